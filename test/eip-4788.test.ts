// EIP-4788 (Cancun): before the transactions, SYSTEM_ADDRESS calls the beacon-roots contract with the header's
// parentBeaconBlockRoot; the contract stores the timestamp at slot timestamp % 8191 and the root at slot
// timestamp % 8191 + 8191. A transaction of the same block reads the root back through the contract's `get`.
// Checked in both modes (the system call's writes are read as pre-state by the workers too), and outside
// the block's gas.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createExecutor } from '../src/executor.js';
import { resultFingerprint } from '../src/runners/mainnet.js';
import { worldStateProvider } from '../src/provider.js';
import { Fork } from '../src/forks.js';
import type { Tx } from '../src/tx.js';
import type { WorldState, AccountState } from '../src/state.js';
import { rawTransfers, fromHex, toHex, addrOfInt, BEACON_ROOTS_ADDRESS as BEACON_ROOTS, BEACON_ROOTS_CODE as BEACON_CODE } from '../bench/gen/blocks.js';
// reader: mem[0] = TIMESTAMP; slot 1 = CALL(beacon, in mem[0..32], out mem[0..32]); slot 0 = mem[0]
const READER_CODE = fromHex('4260005260206000602060006000' + '73' + BEACON_ROOTS.slice(2) + '5af160015560005160005500');
const READER = addrOfInt(0xbeac);
const ROOT = fromHex('ab'.repeat(16) + 'cd'.repeat(16));
const TIMESTAMP = 1_710_338_135n;

const acct = (balance: bigint, nonce: bigint, code: Uint8Array = new Uint8Array(0), storage = new Map<bigint, bigint>()): AccountState =>
  ({ balance, nonce, code, storage });

function block(withRoot: boolean) {
  const g = rawTransfers(80); // 80 independent transfers, then one transaction that reads the root
  const state: WorldState = new Map(g.state);
  state.set(BEACON_ROOTS, acct(0n, 1n, BEACON_CODE, new Map([[5n, 7n]])));
  state.set(toHex(READER), acct(0n, 1n, READER_CODE));
  const sender = g.block.transactions[0].from!;
  const reader: Tx = {
    type: 0, chainId: 1n, nonce: 2n, gasPrice: 1n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n, gasLimit: 200_000n,
    to: READER, value: 0n, data: new Uint8Array(0), accessList: [], v: 37n, r: 1n, s: 1n, yParity: 0,
  };
  const header = { ...g.block.header, timestamp: TIMESTAMP, parentBeaconBlockRoot: withRoot ? ROOT : undefined };
  return { block: { ...g.block, header, transactions: [...g.block.transactions, { tx: reader, from: sender }] }, state, fork: Fork.Cancun };
}

const word = (b: Uint8Array) => BigInt(toHex(b));

test('the system call stores timestamp and root; a transaction of the block reads the root, in both modes', async () => {
  const seq = createExecutor({ workers: 1 });
  const par = createExecutor({ workers: 2, alwaysParallel: true });
  try {
    const input = block(true);
    const s = await seq.execute(input);
    const p = await par.execute(input);
    assert.is(p.mode, 'parallel');
    assert.is(resultFingerprint(p), resultFingerprint(s));
    const k = TIMESTAMP % 8191n;
    const beacon = s.diff.find((d) => d.address === BEACON_ROOTS)!;
    assert.ok(beacon, 'the beacon-roots contract changed');
    assert.equal(beacon.storage.map((x) => [x.slot, x.after]), [[k, TIMESTAMP], [k + 8191n, word(ROOT)]]);
    const r = s.diff.find((d) => d.address === toHex(READER))!;
    assert.equal(r.storage.map((x) => [x.slot, x.after]), [[0n, word(ROOT)], [1n, 1n]]);
    // outside the block's gas: the gas used is the sum of the receipts
    assert.is(s.gasUsed, s.receipts.reduce((a, x) => a + x.gasUsed, 0n));
    assert.ok(s.notes.some((n) => n.startsWith('EIP-4788')));
  } finally { await seq.close(); await par.close(); }
});

test('without a parent beacon block root there is no system call: the read reverts', async () => {
  const seq = createExecutor({ workers: 1 });
  try {
    const s = await seq.execute(block(false));
    assert.not.ok(s.diff.find((d) => d.address === BEACON_ROOTS));
    const r = s.diff.find((d) => d.address === toHex(READER));
    // slot 1 = CALL's result 0 (no change), slot 0 = the timestamp left in memory by the failed call
    assert.equal(r?.storage.map((x) => [x.slot, x.after]), [[0n, TIMESTAMP]]);
  } finally { await seq.close(); }
});

test('over a StateProvider: after the system call, an older root is still fetched from the provider', async () => {
  // The pre-state holds the root of an earlier block (timestamp OLD); a second reader asks for it. In the
  // discovery pass the contract's storage is only partly loaded even after the system call's writes were
  // moved into its base state, so the old slots must be fetched, not read as zero.
  const OLD = TIMESTAMP - 12n * 5n, OLD_ROOT = 0x5151n;
  const OLD_READER = addrOfInt(0xbeac01);
  const oldReaderCode = fromHex('67' + OLD.toString(16).padStart(16, '0') + '600052' + '6020600060206000600073' + BEACON_ROOTS.slice(2) + '5af160015560005160005500');
  const input = block(true);
  input.state.set(BEACON_ROOTS, acct(0n, 1n, BEACON_CODE, new Map([[OLD % 8191n, OLD], [OLD % 8191n + 8191n, OLD_ROOT]])));
  input.state.set(toHex(OLD_READER), acct(0n, 1n, oldReaderCode));
  const last = input.block.transactions[input.block.transactions.length - 1];
  input.block.transactions.push({ tx: { ...last.tx, nonce: 3n, to: OLD_READER }, from: last.from });
  const seq = createExecutor({ workers: 1 });
  const par = createExecutor({ workers: 2, alwaysParallel: true });
  try {
    const want = await seq.execute(input);
    const oldRead = want.diff.find((d) => d.address === toHex(OLD_READER))!;
    assert.equal(oldRead.storage.map((x) => [x.slot, x.after]), [[0n, OLD_ROOT], [1n, 1n]]);
    for (const ex of [seq, par]) {
      const r = await ex.execute({ block: input.block, fork: input.fork, provider: worldStateProvider(input.state) });
      assert.is(resultFingerprint(r), resultFingerprint(want), `${ex.workers} worker(s)`);
    }
  } finally { await seq.close(); await par.close(); }
});

test.run();
