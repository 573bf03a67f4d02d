// One block, three ways: parevm sequential (workers 1), parevm parallel (workers N) and @ethereumjs/vm. A warm-up
// run of each mode, then the measured runs interleaved (seq, par, ethereumjs, seq, par, ethereumjs, ...), and the
// medians. Every parevm run must agree with the sequential warm-up (resultDigest); every ethereumjs run must give
// parevm's gasUsed, logs bloom and receipt statuses. Disagreements are reported, never hidden.
import type { BlockResult, ExecuteInput, Executor } from '../src/executor.js';
import { forkName } from '../src/forks.js';
import type { WorldState } from '../src/state.js';
import { median, peakRssMB } from './common.js';
import { prepareEthereumjs, type EthereumjsBlock, type EthereumjsRun } from './ethereumjs-block.js';
import { resultDigest } from './fingerprint.js';
import type { Progress } from './progress.js';

/** A block to measure. */
export interface BlockCase {
  /** Block label in tables and charts. */
  block: string;
  description: string;
  /** What parevm executes; the pre-state is always given (ethereumjs loads the same one). */
  input: ExecuteInput & { state: WorldState };
  /** Chain id (for ethereumjs; parevm's executors carry their chain configuration). */
  chainId: bigint;
  /** Every transaction is built to succeed (synthetic blocks): a receipt with status 0 is a problem. */
  allSucceed?: boolean;
}

/** When and how often ethereumjs runs. */
export interface EthereumjsPolicy {
  /**
   * 'off' (--no-ethereumjs); a number: that many measured runs on every block (after a warm-up run when more
   * than one); 'auto': as many as parevm, except a single cold run for blocks of at least `bigGas` gas.
   */
  runs: 'off' | 'auto' | number;
  bigGas: number;
  /** Give ethereumjs's MerkleStateManager its caches (default; without, ~2x slower on mainnet blocks). */
  caches: boolean;
}

/** Shared by the blocks of a suite run. */
export interface MeasureContext {
  suite: string;
  seq: Executor;
  par: Executor;
  workers: number;
  /** Measured runs per parevm mode (at least 5). */
  runs: number;
  /**
   * Warm-up runs per parevm mode before them (at least 1; every one is checked against the first sequential
   * result). With both cores busy the JIT's background compilers get little time: on this 2-core machine the
   * parallel runs of 10,000 raw transfers took 200, 60, 36, 55, 37, 33, 37, 34, 32, 21, 23 ... ms, the steady
   * state (~21 ms) that a client running block after block sees only from the ~10th block on; sequential
   * ones settle after ~3.
   */
  warmups: number;
  ethereumjs: EthereumjsPolicy;
  progress: Progress;
  /** A parallel run that fell back to sequential is a problem (synthetic blocks are built to run in parallel). */
  requireParallel: boolean;
}

/** What the tables, the JSON file and the chart get per block. */
export interface BlockBenchResult {
  suite: string;
  block: string;
  description: string;
  fork: string;
  txs: number;
  gasUsed: number;
  /** Transactions whose receipt has status 0 (failed execution, still included). */
  failedTxs: number;
  workers: number;
  runs: number;
  /** Medians of stats.ms.execute (transaction execution). */
  sequentialMs: number;
  parallelMs: number;
  speedup: number;
  /** Medians of stats.ms.total (with sender handling, state load and finalization). */
  sequentialTotalMs: number;
  parallelTotalMs: number;
  totalSpeedup: number;
  sequentialTxPerSec: number;
  parallelTxPerSec: number;
  sequentialMgasPerSec: number;
  parallelMgasPerSec: number;
  /** Median re-executions (incarnations beyond the first) per parallel run, and min/max. */
  reexecutions: number;
  reexecutionsRange: [number, number];
  aborts: number;
  dependencyWaits: number;
  /** How the parallel executor ran the block (it runs small blocks sequentially), and why not in parallel. */
  parallelMode: 'parallel' | 'sequential';
  fallback?: string;
  /** Every parevm run gave the sequential warm-up's result. */
  match: boolean;
  /** Comparison with the header where the block has the values (mainnet fixtures): check name -> true/false. */
  headerChecks: Record<string, boolean>;
  /** Median of the measured ethereumjs runs (null when it did not run). */
  ethereumjsMs: number | null;
  ethereumjsRuns: number;
  /** Why ethereumjs ran fewer runs than parevm or not at all. */
  ethereumjsNote?: string;
  ethereumjsLoadMs: number | null;
  ethereumjsTxPerSec: number | null;
  ethereumjsMgasPerSec: number | null;
  /** ethereumjsMs / parallelMs and ethereumjsMs / sequentialMs: how many times faster parevm is. */
  parallelVsEthereumjs: number | null;
  sequentialVsEthereumjs: number | null;
  /** ethereumjs's gasUsed (first measured run), as a decimal string. */
  ethereumjsGasUsed: string | null;
  /** gasUsed, logs bloom and every receipt status (Byzantium and later) equal to parevm's in every ethereumjs run (null: not run). */
  ethereumjsAgrees: boolean | null;
  /** Peak RSS of the process (MB) after this block's parevm warm-ups, before ethereumjs loads it; and at the end of the block. */
  peakRssParevmMB: number;
  peakRssMB: number;
  /** Everything that disagreed (empty when all is well). */
  problems: string[];
  sequentialRunsMs: number[];
  parallelRunsMs: number[];
  ethereumjsRunsMs: number[];
}

/** A row for a block that could not be measured (parevm rejected it, an engine failed): the error as its problem. */
export function failedResult(suite: string, c: BlockCase, workers: number, runs: number, error: string): BlockBenchResult {
  const txs = c.input.block.transactions.length;
  return {
    suite, block: c.block, description: c.description, fork: c.input.fork === undefined ? '-' : forkName(c.input.fork), txs, gasUsed: NaN, failedTxs: NaN, workers, runs,
    sequentialMs: NaN, parallelMs: NaN, speedup: NaN, sequentialTotalMs: NaN, parallelTotalMs: NaN, totalSpeedup: NaN,
    sequentialTxPerSec: NaN, parallelTxPerSec: NaN, sequentialMgasPerSec: NaN, parallelMgasPerSec: NaN,
    reexecutions: NaN, reexecutionsRange: [NaN, NaN], aborts: NaN, dependencyWaits: NaN, parallelMode: 'sequential', fallback: 'not measured',
    match: false, headerChecks: {}, ethereumjsMs: null, ethereumjsRuns: 0, ethereumjsLoadMs: null, ethereumjsTxPerSec: null,
    ethereumjsMgasPerSec: null, parallelVsEthereumjs: null, sequentialVsEthereumjs: null, ethereumjsGasUsed: null, ethereumjsAgrees: null,
    peakRssParevmMB: peakRssMB(), peakRssMB: peakRssMB(), problems: [`not measured: ${error}`],
    sequentialRunsMs: [], parallelRunsMs: [], ethereumjsRunsMs: [],
  };
}

/** The number of progress steps measureBlock takes when ethereumjs runs `ejsRuns` times. */
export function stepsFor(runs: number, ejsRuns: number, warmups = 1): number {
  return 2 * warmups + 2 * runs + (ejsRuns > 0 ? 1 + ejsRuns + (ejsRuns > 1 ? 1 : 0) : 0);
}

/** The steps a block is expected to take before its gas is known (for the progress total). */
export function estimatedSteps(ctx: MeasureContext): number {
  const e = ctx.ethereumjs.runs;
  return stepsFor(ctx.runs, e === 'off' ? 0 : e === 'auto' ? ctx.runs : e, ctx.warmups);
}

const statusMismatches = (w: BlockResult, e: EthereumjsRun): number => {
  let k = Math.abs(w.receipts.length - e.statuses.length);
  for (let i = 0; i < Math.min(w.receipts.length, e.statuses.length); i++) if (e.statuses[i] !== null && w.receipts[i].status !== e.statuses[i]) k++;
  return k;
};
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Measures one block: warm-ups, `ctx.runs` interleaved measured runs per parevm mode, ethereumjs per the policy.
 * Progress steps and log lines go to ctx.progress.
 */
export async function measureBlock(c: BlockCase, ctx: MeasureContext): Promise<BlockBenchResult> {
  const { seq, par, progress: pg, runs } = ctx;
  const log = (s: string) => pg.log(s);
  const input = c.input;
  const problems: string[] = [];
  let allParallel = true;
  let fallback: string | undefined;
  const checkParevm = (r: BlockResult, want: string, what: string, parallel: boolean) => {
    if (parallel && r.mode !== 'parallel') {
      allParallel = false;
      fallback ??= r.fallback;
      if (ctx.requireParallel) problems.push(`${what}: ran ${r.mode}${r.fallback ? ` (${r.fallback})` : ''}`);
    }
    if (resultDigest(r) !== want) problems.push(`${what}: result differs from the sequential warm-up`);
  };

  // parevm warm-ups (engine allocation, pool start, JIT tiers)
  pg.step(`${c.block} seq warm-up`);
  const w0 = await seq.execute(input);
  const want = resultDigest(w0);
  const headerChecks: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(w0.checks)) if (v !== undefined) headerChecks[k] = v;
  for (const [k, v] of Object.entries(headerChecks)) if (!v) problems.push(`header ${k} mismatch`);
  const failedTxs = w0.receipts.filter((x) => x.status === 0).length;
  if (c.allSucceed && failedTxs > 0) problems.push(`${failedTxs} of ${w0.receipts.length} transactions failed (status 0); the generator builds every one to succeed`);
  pg.step(`${c.block} par warm-up`);
  const w1 = await par.execute(input);
  checkParevm(w1, want, 'par warm-up', true);
  for (const [k, v] of Object.entries(w1.checks)) if (v === false) problems.push(`par warm-up: header ${k} mismatch`);
  for (let i = 1; i < ctx.warmups; i++) {
    pg.step(`${c.block} warm-up ${i + 1}`);
    checkParevm(await seq.execute(input), want, `seq warm-up ${i + 1}`, false);
    pg.step(`${c.block} warm-up ${i + 1}`);
    checkParevm(await par.execute(input), want, `par warm-up ${i + 1}`, true);
  }
  const gas = Number(w0.gasUsed);
  log(`  warm-up: seq ${w0.stats.ms.execute.toFixed(1)} ms, par ${w1.stats.ms.execute.toFixed(1)} ms (${w1.mode}${w1.fallback ? `: ${w1.fallback}` : ''})`);
  const peakRssParevmMB = peakRssMB();

  // ethereumjs: how often, then load (untimed) and warm up
  const pol = ctx.ethereumjs;
  // (measured ethereumjs runs join the parevm rounds, so there are at most `runs` of them)
  let ejsRuns = Math.min(runs, pol.runs === 'off' ? 0 : pol.runs === 'auto' ? (gas >= pol.bigGas ? 1 : runs) : pol.runs);
  let ejsNote: string | undefined;
  if (pol.runs === 'off') ejsNote = 'not run (--no-ethereumjs)';
  else if (pol.runs === 'auto' && gas >= pol.bigGas) ejsNote = `1 cold run on blocks of ${(pol.bigGas / 1e6).toFixed(0)} Mgas or more (--ethereumjs-runs N for more)`;
  else if (typeof pol.runs === 'number' && pol.runs < runs) ejsNote = `${ejsRuns} run${ejsRuns > 1 ? 's after a warm-up' : ', cold'} (--ethereumjs-runs ${pol.runs})`;
  pg.addTotal(stepsFor(runs, ejsRuns, ctx.warmups) - estimatedSteps(ctx));
  let ej: EthereumjsBlock | undefined;
  let ejsLoadMs: number | null = null;
  const ejsMs: number[] = [];
  let ejsAgrees: boolean | null = null;
  let ejsGas: string | null = null;
  const checkEjs = (e: EthereumjsRun, what: string) => {
    ejsGas ??= e.gasUsed.toString();
    const bad: string[] = [];
    if (e.error) bad.push(e.error);
    if (e.gasUsed !== w0.gasUsed) bad.push(`gasUsed ${e.gasUsed} != parevm ${w0.gasUsed}`);
    if (!sameBytes(e.logsBloom, w0.logsBloom)) bad.push('logs bloom differs');
    const sm = statusMismatches(w0, e);
    if (sm) bad.push(`${sm} receipt statuses differ`);
    if (bad.length) { ejsAgrees = false; problems.push(`ethereumjs ${what}: ${bad.join(', ')}`); } else ejsAgrees ??= true;
  };
  if (ejsRuns > 0) {
    pg.step(`${c.block} ethereumjs load`);
    try {
      ej = await prepareEthereumjs({ block: input.block, state: input.state, fork: w0.fork, chainId: c.chainId, blockHashes: input.blockHashes }, { caches: pol.caches });
      ejsLoadMs = ej.loadMs;
    } catch (e) {
      const msg = (e as Error).message.split('\n')[0];
      ejsNote = `could not load the block: ${msg}`;
      problems.push(`ethereumjs: ${msg}`);
      pg.addTotal(-(ejsRuns + (ejsRuns > 1 ? 1 : 0)));
      ejsRuns = 0;
    }
  }
  if (ej && ejsRuns > 1) {
    pg.step(`${c.block} ethereumjs warm-up`);
    const e = await ej.run();
    checkEjs(e, 'warm-up');
    log(`  ethereumjs: loaded in ${ej.loadMs.toFixed(0)} ms, warm-up ${e.ms.toFixed(1)} ms`);
  } else if (ej) log(`  ethereumjs: loaded in ${ej.loadMs.toFixed(0)} ms, no warm-up (${ejsRuns} run)`);

  // measured runs, interleaved
  const s: BlockResult['stats'][] = [], p: BlockResult['stats'][] = [];
  for (let i = 0; i < runs; i++) {
    pg.step(`${c.block} seq run ${i + 1}`);
    const a = await seq.execute(input);
    checkParevm(a, want, `seq run ${i + 1}`, false);
    s.push(a.stats);
    pg.step(`${c.block} par run ${i + 1}`);
    const b = await par.execute(input);
    checkParevm(b, want, `par run ${i + 1}`, true);
    p.push(b.stats);
    let line = `  run ${i + 1}/${runs}: seq ${a.stats.ms.execute.toFixed(1)} ms, par ${b.stats.ms.execute.toFixed(1)} ms, ${b.stats.reexecutions} re-executions`;
    if (ej && i < ejsRuns) {
      pg.step(`${c.block} ethereumjs run ${i + 1}`);
      const e = await ej.run();
      checkEjs(e, `run ${i + 1}`);
      ejsMs.push(e.ms);
      line += `, ethereumjs ${e.ms.toFixed(1)} ms`;
    }
    log(line);
  }
  ej = undefined;
  const merged = mergeProblems(problems);
  for (const x of merged) log(`  PROBLEM ${x}`);

  const txs = input.block.transactions.length;
  const sMs = median(s.map((r) => r.ms.execute)), pMs = median(p.map((r) => r.ms.execute));
  const sTot = median(s.map((r) => r.ms.total)), pTot = median(p.map((r) => r.ms.total));
  const re = p.map((r) => r.reexecutions);
  const eMs = ejsMs.length ? median(ejsMs) : null;
  return {
    suite: ctx.suite, block: c.block, description: c.description, fork: forkName(w0.fork), txs, gasUsed: gas, failedTxs, workers: ctx.workers, runs,
    sequentialMs: sMs, parallelMs: pMs, speedup: sMs / pMs,
    sequentialTotalMs: sTot, parallelTotalMs: pTot, totalSpeedup: sTot / pTot,
    sequentialTxPerSec: (txs * 1000) / sMs, parallelTxPerSec: (txs * 1000) / pMs,
    sequentialMgasPerSec: gas / 1e3 / sMs, parallelMgasPerSec: gas / 1e3 / pMs,
    reexecutions: median(re), reexecutionsRange: [Math.min(...re), Math.max(...re)],
    aborts: median(p.map((r) => r.aborts)), dependencyWaits: median(p.map((r) => r.dependencyWaits)),
    parallelMode: allParallel ? 'parallel' : 'sequential', fallback,
    match: !merged.some((x) => x.includes('differs from the sequential')),
    headerChecks,
    ethereumjsMs: eMs, ethereumjsRuns: ejsMs.length, ethereumjsNote: ejsNote,
    ethereumjsLoadMs: ejsLoadMs,
    ethereumjsTxPerSec: eMs === null ? null : (txs * 1000) / eMs,
    ethereumjsMgasPerSec: eMs === null ? null : gas / 1e3 / eMs,
    parallelVsEthereumjs: eMs === null ? null : eMs / pMs,
    sequentialVsEthereumjs: eMs === null ? null : eMs / sMs,
    ethereumjsGasUsed: ejsGas, ethereumjsAgrees: ejsAgrees,
    peakRssParevmMB, peakRssMB: peakRssMB(),
    problems: merged,
    sequentialRunsMs: s.map((r) => r.ms.execute), parallelRunsMs: p.map((r) => r.ms.execute), ethereumjsRunsMs: ejsMs,
  };
}

/** "seq run 1: X", "seq run 2: X" -> "seq run 1, seq run 2: X" (the same finding in several runs, once). */
function mergeProblems(problems: string[]): string[] {
  const by = new Map<string, string[]>();
  for (const p of problems) {
    const i = p.indexOf(': ');
    const [what, msg] = i < 0 ? ['', p] : [p.slice(0, i), p.slice(i + 2)];
    const k = `${what.replace(/ (warm-up|run \d+)$/, '')}\u0000${msg}`;
    if (!by.has(k)) by.set(k, []);
    by.get(k)!.push(what);
  }
  return [...by].map(([k, whats]) => {
    const msg = k.slice(k.indexOf('\u0000') + 1);
    return whats[0] === '' ? msg : `${whats.join(', ')}: ${msg}`;
  });
}
