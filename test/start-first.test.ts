// Starting some transactions first (ExecuteInput.startFirst, ExecutorOptions.slowFirst): a scheduling choice
// that must never change a result. Transactions started before their predecessors, in blocks where they
// conflict, must still give the sequential result; bad indices are a typed error; and the executor learns a
// contract whose transaction ran slow (a loop that burns 30M gas: ~10-100 ms here, far above the 1 ms mark)
// and starts the next block's transaction to it first.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createExecutor, SLOW_TX_MS, BlockError } from '../src/executor.js';
import { resultFingerprint } from '../src/runners/mainnet.js';
import {
  dependentChain, erc20Transfers, mixedConflicts, asm, account, legacy, makeBlock, ETHER, type GeneratedBlock,
} from '../bench/gen/blocks.js';

const input = (g: GeneratedBlock) => ({ block: g.block, state: g.state, fork: g.fork, fullState: true });

test('startFirst: late and conflicting transactions started first, 2-4 workers, with and without chaos: the sequential result', async () => {
  const seq = createExecutor({ workers: 1 });
  try {
    const blocks: [GeneratedBlock, number[]][] = [
      [dependentChain(120, { kind: 'counter' }), [119, 118, 60, 1]],
      [dependentChain(120, { kind: 'erc20' }), [119, 100, 3]],
      [mixedConflicts(200, 0.5), [199, 150, 198, 0, 7]],
    ];
    for (const [g, first] of blocks) {
      const want = resultFingerprint(await seq.execute(input(g)));
      for (const workers of [2, 3, 4]) {
        for (const chaos of [false, true]) {
          // (slowFirst off: a transaction learnt slow would join the list)
          const par = createExecutor({ workers, alwaysParallel: true, chaos, bail: false, slowFirst: false });
          try {
            for (let run = 0; run < 4; run++) {
              const r = await par.execute({ ...input(g), startFirst: first });
              const label = `${g.name}, ${workers} workers${chaos ? ', chaos' : ''}, run ${run}`;
              assert.is(r.mode, 'parallel', label);
              assert.equal(r.stats.startFirst, first, `${label}: the list offered first`);
              assert.is(resultFingerprint(r), want, `${label}: parallel = sequential`);
            }
          } finally { await par.close(); }
        }
      }
    }
  } finally { await seq.close(); }
});

test('startFirst: an index outside the block is a BAD_INPUT BlockError in either mode; duplicates count once; the executor stays usable', async () => {
  const g = erc20Transfers(100);
  const par = createExecutor({ workers: 2, alwaysParallel: true, slowFirst: false });
  const seq = createExecutor({ workers: 1 });
  try {
    for (const ex of [par, seq]) {
      for (const bad of [100, -1, 1.5, Number.NaN]) {
        try {
          await ex.execute({ ...input(g), startFirst: [3, bad] });
          assert.unreachable(`startFirst ${bad} accepted`);
        } catch (e) {
          assert.instance(e, BlockError);
          assert.is((e as BlockError).code, 'BAD_INPUT');
          assert.match((e as Error).message, /startFirst: .* is not a transaction index of the block \(0\.\.99\)/);
        }
      }
    }
    assert.is((await seq.execute({ ...input(g), startFirst: [5] })).stats.startFirst, undefined, 'sequential: nothing started first');
    const r = await par.execute({ ...input(g), startFirst: [50, 99, 50] });
    assert.equal(r.stats.startFirst, [50, 99]);
    const s = await par.execute(input(g));
    assert.is(s.stats.startFirst, undefined, 'no list when none was given');
    assert.is(resultFingerprint(r), resultFingerprint(s));
  } finally { await par.close(); await seq.close(); }
});

/** 60 ERC-20 transfers, then a call that loops until its 30M gas run out (a slow transaction at the end). */
function slowAtTheEnd(): { g: GeneratedBlock; slowIdx: number } {
  const base = erc20Transfers(60);
  const burner = new Uint8Array(20).fill(0xbb);
  const caller = new Uint8Array(20).fill(0xcc);
  const state = new Map(base.state);
  state.set('0x' + 'bb'.repeat(20), account(0n, 1n, asm('loop: 1 1 ADD POP @loop JUMP')));
  state.set('0x' + 'cc'.repeat(20), account(100n * ETHER));
  const slow = legacy({ from: caller, nonce: 0n, to: burner, gasLimit: 30_000_000n, gasPrice: 3_000_000_007n });
  const txs = [...base.block.transactions, slow];
  return { g: makeBlock('slow-at-the-end', '60 ERC-20 transfers and a 30M-gas loop', state, txs), slowIdx: txs.length - 1 };
}

test('slowFirst: a contract whose transactions ran slow in two blocks is learnt, and its next transaction starts first; off, nothing is learnt', async () => {
  const { g, slowIdx } = slowAtTheEnd();
  const seq = createExecutor({ workers: 1 });
  const par = createExecutor({ workers: 2, alwaysParallel: true });
  const off = createExecutor({ workers: 2, alwaysParallel: true, slowFirst: false });
  try {
    const want = await seq.execute(input(g));
    assert.is(want.receipts[slowIdx].status, 0, 'the loop runs out of gas');
    assert.is(want.receipts[slowIdx].gasUsed, 30_000_000n);
    const r1 = await par.execute(input(g));
    assert.is(r1.stats.startFirst, undefined, 'nothing learnt before the first block');
    // (the token's transfers have 100,000-gas limits, below the timed ones: only the loop can be learnt)
    const r2 = await par.execute(input(g));
    assert.is(r2.stats.startFirst, undefined, 'one slow block is not enough');
    const r3 = await par.execute(input(g));
    assert.equal(r3.stats.startFirst, [slowIdx], `learnt (executions of ${SLOW_TX_MS} ms or more in two blocks)`);
    // explicit entries come first, the learnt ones after them
    const r4 = await par.execute({ ...input(g), startFirst: [7] });
    assert.equal(r4.stats.startFirst, [7, slowIdx]);
    // the pool thread takes the list's first entries (it starts on them before the calling thread, which
    // writes the inputs first, reaches index 60; so in nearly every run)
    let taken = 0;
    for (let k = 0; k < 5; k++) {
      const r = await par.execute({ ...input(g), startFirst: [slowIdx] });
      assert.ok((r.stats.startedFirst ?? -1) >= 0 && r.stats.startedFirst! <= r.stats.startFirst!.length, `startedFirst ${r.stats.startedFirst}`);
      if (r.stats.startedFirst! >= 1) taken++;
    }
    assert.ok(taken >= 1, 'the pool thread started the listed slow transaction first');
    for (const r of [r1, r2, r3, r4]) assert.is(resultFingerprint(r), resultFingerprint(want));
    for (let k = 0; k < 3; k++) await off.execute(input(g));
    const q = await off.execute(input(g));
    assert.is(q.stats.startFirst, undefined, 'slowFirst: false learns nothing');
    assert.is(resultFingerprint(q), resultFingerprint(want));
  } finally {
    await seq.close(); await par.close(); await off.close();
  }
});

test.run();
