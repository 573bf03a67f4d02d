// Sender recovery (issue #4): senders recovered from signatures on the worker threads equal the ones recovered
// on the calling thread and the keys that signed (signed here with @noble/curves, an independent library from
// the libsecp256k1 the executor uses, native or tiny-secp256k1); a wrong `from` or an unrecoverable signature is a typed BlockError
// naming the transaction.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { createExecutor, BlockError, type Executor } from '../src/executor.js';
import { resultFingerprint } from '../src/runners/mainnet.js';
import { signingHash, type Tx } from '../src/tx.js';
import { rawTransfers, toHex } from '../bench/gen/blocks.js';
import type { Block } from '../src/block.js';
import type { WorldState } from '../src/state.js';

const N = 40;

function addressOf(key: Uint8Array): Uint8Array {
  return keccak_256(secp256k1.getPublicKey(key, false).subarray(1)).slice(12);
}

function sign(tx: Tx, key: Uint8Array): Tx {
  const sig = secp256k1.Signature.fromBytes(secp256k1.sign(signingHash(tx), key, { prehash: false, format: 'recovered' }), 'recovered');
  const parity = sig.recovery!;
  return { ...tx, v: tx.chainId! * 2n + 35n + BigInt(parity), r: sig.r, s: sig.s, yParity: parity };
}

/** rawTransfers(N) re-signed: sender i is the address of key i (funded like the generator's senders). */
function signedBlock(): { block: Block; state: WorldState; fork: number; senders: Uint8Array[] } {
  const g = rawTransfers(N);
  const state: WorldState = new Map(g.state);
  const senders: Uint8Array[] = [];
  const transactions = g.block.transactions.map((bt, i) => {
    const key = keccak_256(new TextEncoder().encode(`parevm sender ${i}`));
    const from = addressOf(key);
    const old = state.get(toHex(bt.from!))!;
    state.delete(toHex(bt.from!));
    state.set(toHex(from), old);
    senders.push(from);
    return { tx: sign(bt.tx, key), from };
  });
  return { block: { ...g.block, transactions }, state, fork: g.fork, senders };
}

let seq: Executor, par: Executor;
test.before(() => {
  seq = createExecutor({ workers: 1, verifySenders: true });
  par = createExecutor({ workers: 2, verifySenders: true });
});
test.after(async () => { await seq.close(); await par.close(); });

test('senders recovered on the workers equal the signing keys and the sequential recovery', async () => {
  const { block, state, fork } = signedBlock();
  const s = await seq.execute({ block, state, fork });
  const p = await par.execute({ block, state, fork });
  assert.is(s.stats.sendersRecovered, N);
  assert.is(s.stats.senderThreads, 1);
  assert.is(p.stats.sendersRecovered, N);
  assert.is(p.stats.senderThreads, 2);
  assert.is(resultFingerprint(p), resultFingerprint(s));
  assert.ok(s.receipts.every((r) => r.status === 1));
  // without `from` the senders come from the signatures alone, with the same result
  const anonymous = { ...block, transactions: block.transactions.map((bt) => ({ tx: bt.tx })) };
  const plain = createExecutor({ workers: 2 });
  try {
    const a = await plain.execute({ block: anonymous, state, fork });
    assert.is(a.stats.sendersRecovered, N);
    assert.is(resultFingerprint(a), resultFingerprint(s));
  } finally { await plain.close(); }
});

test('a wrong from is SENDER_MISMATCH naming the transaction, in both modes', async () => {
  const { block, state, fork } = signedBlock();
  const txs = block.transactions.slice();
  txs[17] = { ...txs[17], from: txs[18].from };
  for (const ex of [seq, par]) {
    try {
      await ex.execute({ block: { ...block, transactions: txs }, state, fork });
      assert.unreachable('accepted a wrong from');
    } catch (e) {
      assert.instance(e, BlockError);
      assert.is((e as BlockError).code, 'SENDER_MISMATCH');
      assert.is((e as BlockError).txIndex, 17);
    }
  }
});

test('an unrecoverable signature (r not the x of a curve point) is EC_RECOVERY_FAIL', async () => {
  const { block, state, fork } = signedBlock();
  // 5 is not the x coordinate of a secp256k1 point (5^3 + 7 = 132 is a non-residue mod p)
  const P = 2n ** 256n - 2n ** 32n - 977n;
  const pow = (b: bigint, e: bigint) => { let r = 1n; b %= P; while (e > 0n) { if (e & 1n) r = (r * b) % P; b = (b * b) % P; e >>= 1n; } return r; };
  let x = 5n;
  while (pow(x ** 3n + 7n, (P - 1n) / 2n) === 1n) x++;
  const txs = block.transactions.slice();
  txs[3] = { ...txs[3], tx: { ...txs[3].tx, r: x } };
  for (const ex of [seq, par]) {
    try {
      await ex.execute({ block: { ...block, transactions: txs }, state, fork });
      assert.unreachable('accepted an unrecoverable signature');
    } catch (e) {
      assert.instance(e, BlockError);
      assert.is((e as BlockError).code, 'EC_RECOVERY_FAIL');
      assert.is((e as BlockError).txIndex, 3);
    }
  }
});

test.run();
