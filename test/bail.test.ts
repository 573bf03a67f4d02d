// Bail-out (issue #3): a parallel block that re-executes too much stops, the coordinator keeps the committed
// prefix (executed transactions that still validate, in order) and runs the rest sequentially. Forced here
// with a zero threshold (bail at the first abort or suspension after 4 incarnations), on conflict-heavy blocks,
// 2-4 workers, with scheduler chaos: every run must equal the sequential result, and some runs must bail.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createExecutor } from '../src/executor.js';
import { resultFingerprint } from '../src/runners/mainnet.js';
import { dependentChain, mixedConflicts, specialCases } from '../bench/gen/blocks.js';

test('bailed-out blocks equal sequential ones', async () => {
  const seq = createExecutor({ workers: 1 });
  const blocks = [dependentChain(200), dependentChain(120, { kind: 'transfer' }), mixedConflicts(300, 0.5), ...specialCases()];
  let bailed = 0, runs = 0;
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
            }
          }
        }
      } finally { await par.close(); }
    }
  } finally { await seq.close(); }
  assert.ok(bailed > 0, `no run bailed out (${runs} runs)`);
  console.log(`  ${bailed} of ${runs} runs bailed out`);
});

test.run();
