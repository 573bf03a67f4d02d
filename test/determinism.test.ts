// Determinism: one conflict-heavy block (conflict chains through ether relays, ERC-20 relays, a nonce chain, a
// hot ERC-20 recipient and a counter, interleaved with independent transfers) run 1,008 times: 63 runs on each
// of 16 executors, workers 1 to 8 (8 oversubscribe a 2-core machine, which only reorders more), each worker
// count once without and once with `chaos` (random spins inside every scheduler call). Every run must give
// the same resultFingerprint (receipts, gas, bloom, state diff), and the state root (computed on each
// executor's first run) must agree too. `node scripts/determinism.mjs [runs]` does the same at 10,000 runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createExecutor } from '../src/executor.js';
import { resultFingerprint } from '../src/runners/mainnet.js';
import { bytesToHex } from '../src/hex.js';
import { mixedConflicts } from '../bench/gen/blocks.js';

const RUNS_PER_EXECUTOR = 63;
const MAX_WORKERS = 8;

test('1,008 runs of a conflict-heavy block over 1-8 workers, half with chaos: one result', async () => {
  const g = mixedConflicts(240, 0.7, { chains: 5 });
  const fingerprints = new Map<string, string[]>(); // fingerprint -> configurations that produced it
  const roots = new Set<string>();
  let runs = 0, chaosRuns = 0, reexecutions = 0, parallelRuns = 0;
  for (let workers = 1; workers <= MAX_WORKERS; workers++) {
    for (const chaos of [false, true]) {
      const ex = createExecutor({ workers, alwaysParallel: true, chaos });
      try {
        for (let i = 0; i < RUNS_PER_EXECUTOR; i++) {
          const r = await ex.execute({ block: g.block, state: g.state, fork: g.fork, fullState: i === 0 });
          const expectedMode = workers > 1 ? 'parallel' : 'sequential';
          assert.is(r.fallback, undefined, `workers ${workers}${chaos ? ' chaos' : ''} run ${i}: fell back: ${r.fallback}`);
          assert.is(r.mode, expectedMode);
          if (i === 0) roots.add(bytesToHex(r.stateRoot!));
          const fp = resultFingerprint({ ...r, stateRoot: undefined });
          const where = fingerprints.get(fp) ?? [];
          where.push(`${workers}${chaos ? 'c' : ''}#${i}`);
          fingerprints.set(fp, where);
          runs++;
          if (chaos) chaosRuns++;
          if (r.mode === 'parallel') parallelRuns++;
          reexecutions += r.stats.reexecutions;
        }
      } finally {
        await ex.close();
      }
    }
  }
  assert.ok(runs >= 1000, `${runs} runs`);
  assert.is(chaosRuns * 2, runs, 'half of the runs with chaos');
  if (fingerprints.size !== 1) {
    const summary = [...fingerprints.values()].map((w) => `${w.length} runs (e.g. ${w.slice(0, 5).join(', ')})`).join('; ');
    assert.unreachable(`${fingerprints.size} distinct results over ${runs} runs of ${g.name}: ${summary}`);
  }
  assert.is(roots.size, 1, 'one state root');
  // the block must really conflict, or this test proves little
  assert.ok(reexecutions > 0, `no re-execution in ${parallelRuns} parallel runs`);
});

test.run();
