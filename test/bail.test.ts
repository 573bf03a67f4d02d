// Bail-out (issue #3): a parallel block that re-executes too much stops, the coordinator keeps the committed
// prefix (executed transactions that still validate, in order) and runs the rest sequentially. Forced here
// with a zero threshold (bail at the first abort or suspension after 4 incarnations), on conflict-heavy blocks,
// 2-4 workers, with scheduler chaos: every run must equal the sequential result, and some runs must bail.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createExecutor } from '../src/executor.js';
import { resultFingerprint } from '../src/runners/mainnet.js';
import { dependentChain, erc20Transfers, mixedConflicts, specialCases } from '../bench/gen/blocks.js';

test('bailed-out blocks equal sequential ones', async () => {
  const seq = createExecutor({ workers: 1 });
  // (the ERC-20 block: enough storage, 600 holders, for the pool thread to take storage roots after a bail-out)
  const blocks = [dependentChain(200), dependentChain(120, { kind: 'transfer' }), mixedConflicts(300, 0.5), erc20Transfers(600, { conflict: 1 }), ...specialCases()];
  let bailed = 0, runs = 0, pooled = 0;
  try {
    for (const workers of [2, 3, 4]) {
      const par = createExecutor({ workers, alwaysParallel: true, chaos: true, bail: { minExecutions: 4, ratio: 0 } });
      try {
        for (const g of blocks) {
          const input = { block: g.block, state: g.state, fork: g.fork, fullState: true };
          const want = resultFingerprint(await seq.execute(input));
          for (let i = 0; i < 4; i++) {
            const r = await par.execute(input);
            runs++;
            assert.is(r.mode, 'parallel');
            assert.is(resultFingerprint(r), want, `${g.name}, ${workers} workers, run ${i}`);
            if (r.stats.sequentialFrom !== undefined) {
              bailed++;
              assert.ok(r.stats.sequentialFrom >= 0 && r.stats.sequentialFrom <= g.block.transactions.length);
              assert.ok(r.notes.some((n) => n.startsWith('too many re-executions')));
              // (the state root's storage roots still go partly to the pool thread; the receipts root does not)
              assert.is(r.stats.receiptsRootOnPool, undefined);
              if ((r.stats.storageRootsOnPool ?? 0) > 0) pooled++;
            }
          }
        }
      } finally { await par.close(); }
    }
  } finally { await seq.close(); }
  assert.ok(bailed > 0, `no run bailed out (${runs} runs)`);
  assert.ok(pooled > 0, 'no bailed-out run computed storage roots on the pool thread');
  console.log(`  ${bailed} of ${runs} runs bailed out, ${pooled} of them with storage roots on the pool thread`);
});

test.run();
