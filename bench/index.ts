// Benchmarks: `npm run bench -- <suite> [options]` (the build, then node dist/bench/index.js).
//
//   gigagas   synthetic blocks of bench/gen/blocks.ts (pevm's gigagas shapes): 10,000 raw transfers, 5,000 ERC-20
//             transfers and a 2,000-transaction dependent chain, each run sequentially (workers 1) and in parallel
//             (--workers N, default 2): a warm-up run of each mode, then --runs (default 5, at least 5) measured
//             runs of each mode interleaved (seq, par, seq, par, ...). Reports medians of stats.ms.execute (and of
//             stats.ms.total), tx/s and Mgas/s per mode, speedup and re-executions; every run's result must equal
//             the sequential warm-up's (resultFingerprint) and every parallel run must really run in parallel.
//             Options: --raw N --erc20 N --chain N (sizes), --chain-kind erc20|transfer|counter, --only NAME
//             (substring of the block name), --state-root (compute the state root in every run; off by default).
//   micro     the interpreter micro-benchmarks of bench/micro.ts (--runs, --scale X, --only NAME).
//   mainnet   a hook: bench/mainnet.ts, when someone adds it, exporting `runSuite(opts: SuiteOptions):
//             Promise<SuiteReport>` (see below); until then the suite says it is not available.
//
// Common options: --workers N, --runs N, --json FILE (machine info, options and the suite's results).
// The markdown table goes to stdout, progress to stderr.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createExecutor, type BlockResult, type Executor } from '../src/executor.js';
import { resultFingerprint } from '../src/runners/mainnet.js';
import { rawTransfers, erc20Transfers, dependentChain, type ChainKind, type GeneratedBlock } from './gen/blocks.js';

/** What every suite gets. */
export interface SuiteOptions {
  /** Worker threads of the parallel executor. */
  workers: number;
  /** Measured runs per mode (a suite may use its own default when undefined). */
  runs?: number;
  /** The command line after the suite name, for suite-specific options. */
  argv: string[];
  /** Progress (stderr). */
  log: (s: string) => void;
}

/** What every suite returns: a markdown report and the JSON results (`{"results": [...]}` in the --json file). */
export interface SuiteReport {
  markdown: string;
  results: unknown[];
  /** Suite-specific settings worth recording in the JSON. */
  settings?: Record<string, unknown>;
}

export type Suite = (opts: SuiteOptions) => Promise<SuiteReport>;

const suites = new Map<string, { describe: string; run: Suite }>();

/** Adds a suite (for hooks; the built-in ones are registered below). */
export function registerSuite(name: string, describe: string, run: Suite): void { suites.set(name, { describe, run }); }

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, availableParallelism: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`, loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/** Taken when the module loads, i.e. before any suite runs (the load average is the one at the start). */
const START_MACHINE = machineInfo();

function machineLine(): string {
  const m = START_MACHINE;
  return `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node} (load average at start ${m.loadavg.join(' ')})`;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/** Value of `--name V` in argv (undefined when absent). */
function opt(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}
const numOpt = (argv: string[], name: string, dflt: number): number => {
  const v = opt(argv, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: expected a positive number, got ${v}`);
  return n;
};

// ---------------------------------------------------------------------------------------------------------------
// gigagas

export interface GigagasResult {
  block: string;
  description: string;
  txs: number;
  gasUsed: number;
  workers: number;
  runs: number;
  /** Medians of stats.ms.execute. */
  sequentialMs: number;
  parallelMs: number;
  speedup: number;
  /** Medians of stats.ms.total (sender handling, state load, execution, finalization). */
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
  /** Every run equal to the sequential warm-up, every parallel run in parallel. */
  match: boolean;
  fallback?: string;
  sequentialRunsMs: number[];
  parallelRunsMs: number[];
}

async function gigagas(o: SuiteOptions): Promise<SuiteReport> {
  const { argv, log, workers } = o;
  const runs = Math.max(5, o.runs ?? 5);
  const sizes = { raw: numOpt(argv, '--raw', 10_000), erc20: numOpt(argv, '--erc20', 5_000), chain: numOpt(argv, '--chain', 2_000) };
  const chainKind = (opt(argv, '--chain-kind') ?? 'erc20') as ChainKind;
  if (!['erc20', 'transfer', 'counter'].includes(chainKind)) throw new Error(`--chain-kind: erc20, transfer or counter, not ${chainKind}`);
  const only = opt(argv, '--only');
  const fullState = argv.includes('--state-root');
  const makers: [string, () => GeneratedBlock][] = [
    ['raw-transfers', () => rawTransfers(sizes.raw)],
    ['erc20-transfers', () => erc20Transfers(sizes.erc20)],
    ['dependent-chain', () => dependentChain(sizes.chain, { kind: chainKind })],
  ];
  const seq = createExecutor({ workers: 1 });
  const par = createExecutor({ workers });
  const results: GigagasResult[] = [];
  try {
    for (const [name, make] of makers) {
      if (only && !name.includes(only)) continue;
      const t0 = performance.now();
      const g = make();
      log(`${g.name}: ${g.description} (generated in ${(performance.now() - t0).toFixed(0)} ms)`);
      results.push(await measure(g, seq, par, workers, runs, fullState, log));
    }
  } finally {
    await seq.close();
    await par.close();
  }
  const f = (x: number, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const lines = [
    machineLine(),
    '',
    `gigagas: sequential (1 worker) vs parallel (${workers} workers); median of ${runs} interleaved runs per mode after one warm-up run each;`
      + ` times are stats.ms.execute (transaction execution; the total with sender handling, state load and finalization${fullState ? ' including the state root' : ', no state root'} in the last column).`,
    '',
    '| block | txs | gas used | seq ms | par ms | speedup | seq tx/s | par tx/s | seq Mgas/s | par Mgas/s | re-executions (min-max) | total ms seq / par | par = seq |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|',
  ];
  for (const r of results) {
    lines.push(`| ${r.block} | ${f(r.txs)} | ${f(r.gasUsed)} | ${f(r.sequentialMs, 1)} | ${f(r.parallelMs, 1)} | ${r.speedup.toFixed(2)}x | ${f(r.sequentialTxPerSec)} | ${f(r.parallelTxPerSec)} | ${f(r.sequentialMgasPerSec, 1)} | ${f(r.parallelMgasPerSec, 1)} | ${f(r.reexecutions)} (${r.reexecutionsRange.join('-')}) | ${f(r.sequentialTotalMs, 1)} / ${f(r.parallelTotalMs, 1)} | ${r.match ? 'yes' : `**NO**${r.fallback ? ` (${r.fallback})` : ''}`} |`);
  }
  lines.push('', ...results.map((r) => `- ${r.block}: ${r.description}`));
  return { markdown: lines.join('\n'), results, settings: { runs, sizes, chainKind, fullState, workers } };
}

async function measure(g: GeneratedBlock, seq: Executor, par: Executor, workers: number, runs: number, fullState: boolean, log: (s: string) => void): Promise<GigagasResult> {
  const input = { block: g.block, state: g.state, fork: g.fork, fullState };
  const problems: string[] = [];
  const check = (r: BlockResult, want: string, what: string) => {
    if (r.mode === 'parallel' || what.startsWith('seq')) { /* mode as expected */ } else problems.push(`${what}: ran ${r.mode}${r.fallback ? ` (${r.fallback})` : ''}`);
    if (resultFingerprint(r) !== want) problems.push(`${what}: result differs from the sequential warm-up`);
  };
  // warm-up (engine allocation, pool start, JIT tiers)
  const w0 = await seq.execute(input);
  const want = resultFingerprint(w0);
  const w1 = await par.execute(input);
  check(w1, want, 'parallel warm-up');
  const fallback = w1.fallback;
  log(`  warm-up: seq ${w0.stats.ms.execute.toFixed(1)} ms, par ${w1.stats.ms.execute.toFixed(1)} ms (${w1.mode}${w1.fallback ? `: ${w1.fallback}` : ''})`);
  const s: BlockResult[] = [], p: BlockResult[] = [];
  for (let i = 0; i < runs; i++) {
    const a = await seq.execute(input);
    check(a, want, `seq run ${i}`);
    s.push(a);
    const b = await par.execute(input);
    check(b, want, `par run ${i}`);
    p.push(b);
    log(`  run ${i + 1}/${runs}: seq ${a.stats.ms.execute.toFixed(1)} ms, par ${b.stats.ms.execute.toFixed(1)} ms, ${b.stats.reexecutions} re-executions`);
  }
  for (const x of problems) log(`  PROBLEM ${x}`);
  const txs = g.block.transactions.length;
  const gas = Number(w0.gasUsed);
  const sMs = median(s.map((r) => r.stats.ms.execute)), pMs = median(p.map((r) => r.stats.ms.execute));
  const sTot = median(s.map((r) => r.stats.ms.total)), pTot = median(p.map((r) => r.stats.ms.total));
  const re = p.map((r) => r.stats.reexecutions);
  return {
    block: g.name, description: g.description, txs, gasUsed: gas, workers, runs,
    sequentialMs: sMs, parallelMs: pMs, speedup: sMs / pMs,
    sequentialTotalMs: sTot, parallelTotalMs: pTot, totalSpeedup: sTot / pTot,
    sequentialTxPerSec: (txs * 1000) / sMs, parallelTxPerSec: (txs * 1000) / pMs,
    sequentialMgasPerSec: gas / 1e3 / sMs, parallelMgasPerSec: gas / 1e3 / pMs,
    reexecutions: median(re), reexecutionsRange: [Math.min(...re), Math.max(...re)],
    aborts: median(p.map((r) => r.stats.aborts)), dependencyWaits: median(p.map((r) => r.stats.dependencyWaits)),
    match: problems.length === 0, fallback,
    sequentialRunsMs: s.map((r) => r.stats.ms.execute), parallelRunsMs: p.map((r) => r.stats.ms.execute),
  };
}

registerSuite('gigagas', 'raw transfers, ERC-20 transfers and a dependent chain, sequential vs parallel', gigagas);

// ---------------------------------------------------------------------------------------------------------------
// micro (bench/micro.ts)

registerSuite('micro', 'interpreter micro-benchmarks (bench/micro.ts)', async (o) => {
  const micro = await import('./micro.js');
  const scale = opt(o.argv, '--scale');
  const results = micro.runMicro({ runs: o.runs, scale: scale === undefined ? undefined : Number(scale), only: opt(o.argv, '--only'), log: o.log });
  return { markdown: micro.markdown(results), results };
});

// ---------------------------------------------------------------------------------------------------------------
// mainnet: hook for bench/mainnet.ts (`export async function runSuite(opts: SuiteOptions): Promise<SuiteReport>`).

registerSuite('mainnet', 'fixture mainnet blocks (bench/mainnet.ts, when present)', async (o) => {
  let mod: { runSuite?: Suite };
  try {
    mod = await import(new URL('./mainnet.js', import.meta.url).href);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new Error('the mainnet suite is not available yet: add bench/mainnet.ts exporting runSuite(opts: SuiteOptions): Promise<SuiteReport>');
  }
  if (typeof mod.runSuite !== 'function') throw new Error('bench/mainnet.ts does not export runSuite(opts)');
  return mod.runSuite(o);
});

// ---------------------------------------------------------------------------------------------------------------

function usage(): string {
  return [
    'usage: npm run bench -- <suite> [--workers N] [--runs N] [--json FILE] [suite options]',
    'suites:',
    ...[...suites].map(([name, s]) => `  ${name.padEnd(9)} ${s.describe}`),
  ].join('\n');
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const name = argv[0];
  if (!name || name === '--help' || name === '-h') { console.log(usage()); return name ? 0 : 2; }
  const suite = suites.get(name);
  if (!suite) { console.error(`unknown suite ${name}\n${usage()}`); return 2; }
  const rest = argv.slice(1);
  const workers = numOpt(rest, '--workers', 2);
  const runsOpt = opt(rest, '--runs');
  const json = opt(rest, '--json');
  const log = (s: string) => console.error(s);
  log(machineLine());
  const report = await suite.run({ workers, runs: runsOpt === undefined ? undefined : numOpt(rest, '--runs', 5), argv: rest, log });
  console.log(report.markdown);
  if (json) {
    const out = { suite: name, date: new Date().toISOString(), machine: START_MACHINE, workers, settings: report.settings, results: report.results };
    writeFileSync(json, JSON.stringify(out, null, 2) + '\n');
    log(`wrote ${json}`);
  }
  const bad = name === 'gigagas' && (report.results as GigagasResult[]).some((r) => !r.match);
  return bad ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().then((c) => { process.exitCode = c; }, (e) => { console.error((e as Error).message); process.exitCode = 2; });
}
