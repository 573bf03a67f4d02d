// A worker that traps (or dies) gives a typed error for that block, and the executor runs the next block.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createExecutor, BlockError } from '../src/executor.js';
import { ParevmError } from '../src/errors.js';
import { Fork } from '../src/forks.js';
import type { Block } from '../src/block.js';
import type { WorldState } from '../src/state.js';

const bytes = (tag: number, i: number): Uint8Array => { const a = new Uint8Array(20); a[0] = tag; a[18] = i >> 8; a[19] = i & 255; return a; };
const hex = (b: Uint8Array): string => '0x' + Buffer.from(b).toString('hex');

function transfers(n: number): { block: Block; state: WorldState } {
  const state: WorldState = new Map();
  const transactions = [];
  for (let i = 0; i < n; i++) {
    state.set(hex(bytes(0xaa, i)), { nonce: 0n, balance: 10n ** 18n, code: new Uint8Array(0), storage: new Map() });
    transactions.push({
      tx: { type: 0 as const, chainId: 1n, nonce: 0n, gasPrice: 1n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n, gasLimit: 21000n, to: bytes(0xbb, i), value: 1n, data: new Uint8Array(0), accessList: [], v: 37n, r: 1n, s: 1n, yParity: 0 },
      from: bytes(0xaa, i),
    });
  }
  const block: Block = { header: { number: 1n, timestamp: 1n, miner: bytes(0xcc, 0), gasLimit: 60_000_000n, difficulty: 0n, mixHash: new Uint8Array(32), baseFeePerGas: 0n }, transactions, uncles: [] };
  return { block, state };
}

for (const workers of [1, 2]) {
  test(`a trap in ${workers === 1 ? 'sequential' : 'parallel'} execution is a typed BlockError and the executor survives it`, async () => {
    const { block, state } = transfers(20);
    const bad = createExecutor({ workers, alwaysParallel: true, debugTrapTx: 7 });
    let err: unknown;
    try { await bad.execute({ block, state, fork: Fork.Cancun }); } catch (e) { err = e; }
    assert.ok(err instanceof BlockError, `expected a BlockError, got ${String(err)}`);
    assert.ok(['ENGINE_TRAP', 'WORKER_FAILED'].includes((err as BlockError).code), (err as BlockError).code);
    // the same executor, without the trap, runs the next block correctly
    bad.options.debugTrapTx = undefined;
    const r = await bad.execute({ block, state, fork: Fork.Cancun });
    assert.is(r.receipts.length, 20);
    assert.is(r.gasUsed, 20n * 21000n);
    assert.is(r.mode, workers === 1 ? 'sequential' : 'parallel');
    await bad.close();
  });
}

// The pool threads do all the work (coordinatorWorks: false), so one of them surely takes a transaction and
// dies; with the calling thread working too, a block long enough that the pool threads get work before the
// caller finishes it alone (20,000 transfers, ~0.1 s of the caller's time).
for (const [workers, coordinatorWorks, n] of [[2, false, 2000], [3, false, 2000], [2, true, 20000]] as const) {
  test(`a pool thread that dies (${workers} workers, calling thread ${coordinatorWorks ? 'working' : 'waiting'}) is WORKER_FAILED, and the executor runs the next block`, async () => {
    const { block, state } = transfers(n);
    block.header.gasLimit = BigInt(n) * 21000n;
    const ex = createExecutor({ workers, alwaysParallel: true, bail: false, coordinatorWorks });
    try {
      await ex.execute({ block, state, fork: Fork.Cancun }); // the pool threads are up and warm
      // a pool thread ends itself on its first execution (the calling thread never does)
      ex.options.debugExitTx = 0;
      let err: unknown;
      try { await ex.execute({ block, state, fork: Fork.Cancun }); } catch (e) { err = e; }
      assert.ok(err instanceof BlockError, `expected a BlockError, got ${String(err)}`);
      assert.is((err as BlockError).code, 'WORKER_FAILED');
      ex.options.debugExitTx = undefined;
      const r = await ex.execute({ block, state, fork: Fork.Cancun });
      assert.is(r.receipts.length, n);
      assert.is(r.gasUsed, BigInt(n) * 21000n);
      assert.is(r.mode, 'parallel');
    } finally { await ex.close(); }
  });
}

// A transaction object built by hand with an address of the wrong length (not through decodeTx or parseBlock,
// which check it) is a typed error in either mode, not an address cut short or padded in the engine's input.
for (const workers of [1, 2]) {
  test(`an address that is not 20 bytes is TX_FIELD_RANGE (${workers === 1 ? 'sequential' : 'parallel'}), and the executor goes on`, async () => {
    const { block, state } = transfers(40);
    const ex = createExecutor({ workers, alwaysParallel: true });
    try {
      const good = block.transactions[5]!.tx.to;
      block.transactions[5]!.tx.to = good!.subarray(0, 19);
      let err: unknown;
      try { await ex.execute({ block, state, fork: Fork.Cancun }); } catch (e) { err = e; }
      assert.ok(err instanceof ParevmError, `expected a ParevmError, got ${String(err)}`);
      assert.is((err as ParevmError).code, 'TX_FIELD_RANGE');
      assert.is((err as ParevmError).field, 'to');
      block.transactions[5]!.tx.to = good;
      const r = await ex.execute({ block, state, fork: Fork.Cancun });
      assert.is(r.receipts.length, 40);
    } finally { await ex.close(); }
  });
}

// A pool thread computes a parallel block's receipts root while the calling thread finalises the rest: if it
// fails there, or dies, the block's result is still whole and right (the root computed here), and the next
// block runs in parallel on a new pool.
for (const how of ['throw', 'exit'] as const) {
  test(`a pool thread that ${how === 'throw' ? 'fails' : 'dies'} computing the receipts root: the block's result is still right, and the next block runs in parallel`, async () => {
    const { block, state } = transfers(100);
    const ex = createExecutor({ workers: 2, alwaysParallel: true });
    const seq = createExecutor({ workers: 1 });
    try {
      const want = await seq.execute({ block, state, fork: Fork.Cancun });
      const first = await ex.execute({ block, state, fork: Fork.Cancun });
      assert.is(first.stats.receiptsRootOnPool, true);
      ex.options.debugReceiptsRoot = how;
      const r = await ex.execute({ block, state, fork: Fork.Cancun });
      assert.is(r.mode, 'parallel');
      assert.is(r.stats.receiptsRootOnPool, false, 'computed on the calling thread');
      assert.equal(r.receiptsRoot, want.receiptsRoot);
      ex.options.debugReceiptsRoot = undefined;
      for (let k = 0; k < 2; k++) {
        const next = await ex.execute({ block, state, fork: Fork.Cancun });
        assert.is(next.mode, 'parallel');
        assert.is(next.stats.receiptsRootOnPool, true, `block ${k} after: on the pool thread again`);
        assert.equal(next.receiptsRoot, want.receiptsRoot);
      }
    } finally { await ex.close(); await seq.close(); }
  });
}

test.run();
