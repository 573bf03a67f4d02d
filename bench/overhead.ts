// The overhead suite: how much more work the parallel path does than the sequential executor, measured on one
// thread, and what that leaves for N threads.
//
// For each synthetic block (the gigagas suite's small sizes) three executors run interleaved: sequential
// (workers 1), parallel (--workers N, default 2), and parallel with ExecutorOptions.debugPoolIdle, where the
// pool threads take no task and the calling thread runs the block alone through the whole parallel path
// (multi-version reads and writes, read sets, validation, the scheduler, the commits). On one thread nothing
// waits, conflicts or bounces between cores, so its time over the sequential time is the parallel path's work
// factor f, with far less noise than a two-thread ratio: N threads cannot do better than N / f (the ceiling),
// and the measured speedup over that ceiling is what the threads lose to each other (imbalance, the calling
// thread's serial part, cache lines moving between cores, garbage collection on a shared core).
import { createExecutor, type ExecuteInput, type Executor } from '../src/executor.js';
import { fmt, median, numOpt, opt } from './common.js';
import { resultDigest } from './fingerprint.js';
import { SIZES, sizeOpts, syntheticBlocks, type SuiteOptions, type SuiteReport } from './index.js';

/** One block's figures (medians of stats.ms.execute). */
export interface OverheadResult {
  block: string;
  txs: number;
  workers: number;
  runs: number;
  sequentialMs: number;
  /** The parallel path on the calling thread alone (debugPoolIdle). */
  oneThreadParallelMs: number;
  parallelMs: number;
  /** oneThreadParallelMs / sequentialMs. */
  workFactor: number;
  /** workers / workFactor. */
  ceiling: number;
  /** sequentialMs / parallelMs. */
  speedup: number;
  /** Every run of every mode gave the first sequential run's result. */
  match: boolean;
}

const MODES = ['sequential', 'one thread', 'parallel'] as const;

/** Runs the suite (registered as `overhead` in bench/index.ts). */
export async function runOverhead(o: SuiteOptions): Promise<SuiteReport> {
  const { argv, workers, log } = o;
  if (workers < 2) throw new Error('overhead: --workers must be 2 or more');
  const runs = Math.max(5, o.runs ?? 21);
  const warmups = Math.max(1, Math.round(numOpt(argv, '--warmups', 10)));
  const only = opt(argv, '--only');
  const makers = syntheticBlocks(sizeOpts(argv, SIZES.small));
  const chosen = makers.filter(([name]) => !only || name.includes(only));
  if (chosen.length === 0) throw new Error(`--only ${only}: no block name contains it (${makers.map(([n]) => n).join(', ')})`);
  const ex: Executor[] = [
    createExecutor({ workers: 1 }),
    createExecutor({ workers, alwaysParallel: true, debugPoolIdle: true }),
    createExecutor({ workers, alwaysParallel: true }),
  ];
  const results: OverheadResult[] = [];
  try {
    for (const [name, make] of chosen) {
      const g = make();
      const input: ExecuteInput = { block: g.block, state: g.state, fork: g.fork };
      log(`${name}: ${g.block.transactions.length} transactions, ${warmups} warm-ups and ${runs} measured runs per mode`);
      const want = resultDigest(await ex[0].execute(input));
      let match = true;
      const times: number[][] = MODES.map(() => []);
      for (let i = 0; i < warmups + runs; i++) {
        // interleaved, the order rotating so that no mode always follows the same one
        for (let k = 0; k < MODES.length; k++) {
          const m = (i + k) % MODES.length;
          const r = await ex[m].execute(input);
          if (resultDigest(r) !== want) match = false;
          if (m > 0 && r.mode !== 'parallel') throw new Error(`${name}: the ${MODES[m]} run fell back to sequential: ${r.fallback}`);
          if (i >= warmups) times[m].push(r.stats.ms.execute);
        }
      }
      const [s, one, par] = times.map(median);
      const f = one / s;
      results.push({ block: name, txs: g.block.transactions.length, workers, runs, sequentialMs: s, oneThreadParallelMs: one, parallelMs: par, workFactor: f, ceiling: workers / f, speedup: s / par, match });
    }
  } finally {
    for (const e of ex) await e.close();
  }
  const rows = results.map((r) => `| ${r.block} | ${r.txs} | ${fmt(r.sequentialMs, 1)} | ${fmt(r.oneThreadParallelMs, 1)} | **${fmt(r.workFactor, 2)}** | ${fmt(r.ceiling, 2)}x | ${fmt(r.parallelMs, 1)} | **${fmt(r.speedup, 2)}x** | ${r.match ? 'yes' : '**NO**'} |`);
  const markdown = [
    `overhead: medians of ${runs} interleaved runs per mode after ${warmups} warm-ups (stats.ms.execute, ms). One thread = the parallel path with the pool threads idle (debugPoolIdle); `
      + `work factor = one thread / sequential; ceiling = ${workers} workers / work factor; speedup = sequential / parallel (${workers} workers).`,
    '',
    '| block | txs | sequential | one thread | work factor | ceiling | parallel | speedup | same result |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows,
  ].join('\n');
  return { markdown, results, settings: { runs, warmups, workers } };
}
