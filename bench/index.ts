// Benchmarks: `npm run bench -- <suite> [options]` (the build, then node dist/bench/index.js).
//
//   gigagas   synthetic blocks (bench/gen/): raw transfers, ERC-20 transfers, a dependent chain and Uniswap V3
//             swaps. --size small (default: 10,000 / 5,000 / 2,000 / 1,000 transactions) or --size gigagas (the
//             1-gigagas blocks of $PAREVM_SHARED/fixtures/contracts/README.md: 47,620 raw self-transfers,
//             33,628 ERC-20 self-transfers, 6,413 swaps; the chain stays at 2,000); --raw N --erc20 N --chain N
//             --uniswap N override a size; --contention X (share in [0, 1], default 0) sends that share of the
//             raw transfers from one hot sender, of the ERC-20 transfers to one hot recipient, and of the swaps
//             through one hot pool; --chain-kind erc20|transfer|counter; --only NAME (substring of the block
//             name); --state-root (compute the state root in every run).
//   mainnet   every block of $PAREVM_SHARED/fixtures/mainnet (bench/mainnet.ts), or of --dir DIR (e.g. the
//             anvil-cancun set); --only NAME; --always-parallel.
//   micro     the interpreter micro-benchmarks of bench/micro.ts (--runs, --scale X, --only NAME).
//   overhead  the gigagas suite's small blocks: the parallel path run by the calling thread alone (pool threads
//             idle) against the sequential executor: its work factor and the ceiling it leaves for --workers N
//             threads, beside the measured speedup (bench/overhead.ts; --only NAME, --raw N ...).
//
// gigagas and mainnet run each block sequentially (1 worker), in parallel (--workers N, default 2) and on
// @ethereumjs/vm: --warmups (default 10) warm-up runs per mode, then --runs (default 5, at least 5) measured runs interleaved; see
// bench/measure.ts. ethereumjs options: --no-ethereumjs, --ethereumjs-runs N (default: as many as parevm, but one
// cold run for blocks of 100 Mgas or more, --ethereumjs-big-mgas M), --ethereumjs-no-caches.
//
// Common options: --workers N, --runs N, --json FILE (machine, options and results), --svg FILE (chart of the
// block suites). The markdown report goes to stdout; progress (a bar on a terminal) and log lines to stderr.
// Exit code: 0, 1 when any check disagreed (parallel != sequential, ethereumjs != parevm, header mismatch, a
// synthetic block that did not run in parallel), 2 on bad options or missing data.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { START_MACHINE, machineInfo, machineLine, numOpt, opt, shareOpt } from './common.js';
import { rawTransfers, erc20Transfers, dependentChain, type ChainKind, type GeneratedBlock } from './gen/blocks.js';
import { uniswapSwaps, UNISWAP_GIGAGAS_SWAPS } from './gen/uniswap.js';
import type { BlockBenchResult } from './measure.js';
import { resultsMarkdown } from './report.js';
import { ethereumjsPolicy, runBlocks, warmupsOpt } from './run-blocks.js';
import { benchChartSvg } from './svg.js';

export { machineInfo, machineLine };

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
  /** Per-block results of the block suites (the --svg chart and the exit code use them). */
  blocks?: BlockBenchResult[];
}

export type Suite = (opts: SuiteOptions) => Promise<SuiteReport>;

/** The per-block result of the gigagas suite (kept for compatibility: the gigagas and mainnet suites share it). */
export type GigagasResult = BlockBenchResult;

const suites = new Map<string, { describe: string; run: Suite; options?: string[] }>();

/**
 * Adds a suite (for hooks; the built-in ones are registered below). `options`: the suite's own command-line
 * options (`--name`); when given, any other option is refused (the common ones are always accepted).
 */
export function registerSuite(name: string, describe: string, run: Suite, options?: string[]): void { suites.set(name, { describe, run, options }); }

const COMMON_OPTIONS = ['--workers', '--runs', '--warmups', '--json', '--svg'];
const ETHEREUMJS_OPTIONS = ['--no-ethereumjs', '--ethereumjs-runs', '--ethereumjs-big-mgas', '--ethereumjs-no-caches'];

// ---------------------------------------------------------------------------------------------------------------
// gigagas

/** Block sizes of `--size`. gigagas: the contracts README's 1-gigagas blocks (the chain is not one of them). */
export const SIZES = {
  small: { raw: 10_000, erc20: 5_000, chain: 2_000, uniswap: 1_000, self: false },
  gigagas: { raw: 47_620, erc20: 33_628, chain: 2_000, uniswap: UNISWAP_GIGAGAS_SWAPS, self: true },
} as const;

/** Block sizes: `base` with --raw N --erc20 N --chain N --uniswap N applied. */
export function sizeOpts(argv: string[], base: { raw: number; erc20: number; chain: number; uniswap: number }): { raw: number; erc20: number; chain: number; uniswap: number } {
  return {
    raw: numOpt(argv, '--raw', base.raw), erc20: numOpt(argv, '--erc20', base.erc20),
    chain: numOpt(argv, '--chain', base.chain), uniswap: numOpt(argv, '--uniswap', base.uniswap),
  };
}

/** The four synthetic blocks of the gigagas suite (also run by the overhead suite), by name, generated on demand. */
export function syntheticBlocks(sizes: ReturnType<typeof sizeOpts>, o: { contention?: number; self?: boolean; chainKind?: ChainKind } = {}): [string, () => GeneratedBlock][] {
  const { contention = 0, self = false, chainKind = 'erc20' } = o;
  return [
    ['raw-transfers', () => rawTransfers(sizes.raw, { conflict: contention, self })],
    ['erc20-transfers', () => erc20Transfers(sizes.erc20, { conflict: contention, self })],
    ['dependent-chain', () => dependentChain(sizes.chain, { kind: chainKind })],
    ['uniswap-swaps', () => uniswapSwaps(sizes.uniswap, { contention })],
  ];
}

async function gigagas(o: SuiteOptions): Promise<SuiteReport> {
  const { argv, workers } = o;
  const runs = Math.max(5, o.runs ?? 5);
  const sizeName = opt(argv, '--size') ?? 'small';
  if (sizeName !== 'small' && sizeName !== 'gigagas') throw new Error(`--size: small or gigagas, not ${sizeName}`);
  const base = SIZES[sizeName];
  const sizes = sizeOpts(argv, base);
  const contention = shareOpt(argv, '--contention', 0);
  const chainKind = (opt(argv, '--chain-kind') ?? 'erc20') as ChainKind;
  if (!['erc20', 'transfer', 'counter'].includes(chainKind)) throw new Error(`--chain-kind: erc20, transfer or counter, not ${chainKind}`);
  const only = opt(argv, '--only');
  const fullState = argv.includes('--state-root');
  const ethereumjs = ethereumjsPolicy(argv);
  const makers = syntheticBlocks(sizes, { contention, self: base.self, chainKind });
  const sources = makers.filter(([name]) => !only || name.includes(only)).map(([name, make]) => ({
    name,
    load: () => {
      const g = make();
      return { block: g.name, description: g.description, input: { block: g.block, state: g.state, fork: g.fork, fullState }, chainId: 1n, allSucceed: true };
    },
  }));
  if (sources.length === 0) throw new Error(`--only ${only}: no block name contains it (raw-transfers, erc20-transfers, dependent-chain, uniswap-swaps)`);
  const warmups = warmupsOpt(argv);
  const results = await runBlocks(sources, { suite: 'gigagas', workers, runs, warmups, ethereumjs, requireParallel: true });
  const ejs = ethereumjs.runs === 'off' ? 'ethereumjs not run'
    : `@ethereumjs/vm 10.1.3 (runTx per transaction, MerkleStateManager${ethereumjs.caches ? ' with caches' : ' without caches'}; ${ethereumjs.runs === 'auto' ? `as many runs, one cold run for blocks of ${ethereumjs.bigGas / 1e6} Mgas or more` : `${ethereumjs.runs} run(s)`})`;
  const intro = `gigagas (--size ${sizeName}${contention ? `, --contention ${contention}` : ''}): parevm sequential (1 worker) vs parallel (${workers} workers) vs ${ejs}; `
    + `median of ${runs} interleaved runs per mode after ${warmups} warm-up run${warmups > 1 ? 's' : ''} each. Times are transaction execution only (parevm: stats.ms.execute; `
    + `ethereumjs: the runTx loop), pre-state loading excluded${fullState ? '; the state root is computed in every parevm run (not in these times)' : ''}; `
    + `whole block: stats.ms.total (senders, loading the pre-state into the engine, execution, finalisation: receipts, receipts root, diff${fullState ? ', state root' : ''}). `
    + 'Speedup = seq / par; par vs ethereumjs = ethereumjs time / parevm parallel time. Peak RSS: the process high-water mark (MB; worker threads included) after the block\'s parevm warm-ups (before ethereumjs loads it) / at the end of the block; it never goes down, so earlier blocks count.';
  const lines = [resultsMarkdown(results, { intro }), '', ...results.map((r) => `- ${r.block}: ${r.description}`)];
  return { markdown: lines.join('\n'), results, blocks: results, settings: { size: sizeName, runs, sizes, contention, chainKind, fullState, workers, ethereumjs } };
}

registerSuite('gigagas', 'raw transfers, ERC-20 transfers, a dependent chain and Uniswap V3 swaps: sequential, parallel, ethereumjs', gigagas,
  ['--size', '--contention', '--raw', '--erc20', '--chain', '--uniswap', '--chain-kind', '--only', '--state-root', ...ETHEREUMJS_OPTIONS]);

// ---------------------------------------------------------------------------------------------------------------
// overhead (bench/overhead.ts)

registerSuite('overhead', 'the parallel path\'s work on one thread against the sequential executor, and the ceiling it leaves (bench/overhead.ts)',
  async (o) => (await import('./overhead.js')).runOverhead(o), ['--only', '--raw', '--erc20', '--chain', '--uniswap']);

// ---------------------------------------------------------------------------------------------------------------
// micro (bench/micro.ts)

registerSuite('micro', 'interpreter micro-benchmarks (bench/micro.ts)', async (o) => {
  const micro = await import('./micro.js');
  await (await import('../src/precompiles/bn254.js')).initBn254(); // the bn254 case compares mcl with noble
  const scale = opt(o.argv, '--scale');
  const results = micro.runMicro({ runs: o.runs, scale: scale === undefined ? undefined : Number(scale), only: opt(o.argv, '--only'), log: o.log });
  return { markdown: micro.markdown(results), results };
}, ['--scale', '--only']);

// ---------------------------------------------------------------------------------------------------------------
// mainnet: bench/mainnet.ts (`export async function runSuite(opts: SuiteOptions): Promise<SuiteReport>`).

registerSuite('mainnet', 'fixture blocks ($PAREVM_SHARED/fixtures/mainnet or --dir): sequential, parallel, ethereumjs', async (o) => {
  let mod: { runSuite?: Suite };
  try {
    mod = await import(new URL('./mainnet.js', import.meta.url).href);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new Error('the mainnet suite is not available: bench/mainnet.ts (runSuite(opts: SuiteOptions): Promise<SuiteReport>) is missing from the build');
  }
  if (typeof mod.runSuite !== 'function') throw new Error('bench/mainnet.ts does not export runSuite(opts)');
  return mod.runSuite(o);
}, ['--dir', '--only', '--always-parallel', '--warm-passes', '--no-slow-first', ...ETHEREUMJS_OPTIONS]);

// ---------------------------------------------------------------------------------------------------------------

function usage(): string {
  return [
    'usage: npm run bench -- <suite> [--workers N] [--runs N] [--warmups N] [--json FILE] [--svg FILE] [suite options]',
    'suites:',
    ...[...suites].map(([name, s]) => `  ${name.padEnd(9)} ${s.describe}`),
    'gigagas:  --size small|gigagas  --contention X  --raw N --erc20 N --chain N --uniswap N  --chain-kind erc20|transfer|counter  --only NAME  --state-root',
    'mainnet:  --dir DIR  --only NAME  --always-parallel  --warm-passes N (default 10)  --no-slow-first',
    'both:     --no-ethereumjs  --ethereumjs-runs N  --ethereumjs-big-mgas M  --ethereumjs-no-caches',
    'micro:    --scale X  --only NAME',
    'overhead: --only NAME  --raw N --erc20 N --chain N --uniswap N (default --runs 21)',
    'See bench/README.md.',
  ].join('\n');
}

/** Runs a suite from the command line; returns the exit code. */
export async function main(argv = process.argv.slice(2)): Promise<number> {
  const name = argv[0];
  if (!name || name === '--help' || name === '-h') { console.log(usage()); return name ? 0 : 2; }
  const suite = suites.get(name);
  if (!suite) { console.error(`unknown suite ${name}\n${usage()}`); return 2; }
  const rest = argv.slice(1);
  const known = suite.options && [...COMMON_OPTIONS, ...suite.options];
  const unknown = known && rest.find((a) => a.startsWith('--') && !known.includes(a));
  if (unknown) { console.error(`unknown option ${unknown} for the ${name} suite\n${usage()}`); return 2; }
  const workers = numOpt(rest, '--workers', 2);
  const runsOpt = opt(rest, '--runs');
  const json = opt(rest, '--json');
  const svg = opt(rest, '--svg');
  const log = (s: string) => console.error(s);
  log(machineLine());
  const report = await suite.run({ workers, runs: runsOpt === undefined ? undefined : numOpt(rest, '--runs', 5), argv: rest, log });
  console.log(report.markdown);
  const date = new Date().toISOString();
  if (json) {
    const results = report.results.map((r) => (r && typeof r === 'object' && !('suite' in r) ? { suite: name, ...r } : r));
    const out = { suite: name, date, machine: START_MACHINE, workers, settings: report.settings, results };
    writeFileSync(json, JSON.stringify(out, null, 2) + '\n');
    log(`wrote ${json}`);
  }
  if (svg) {
    if (!report.blocks?.length) log(`--svg: the ${name} suite has no per-block results to chart; nothing written`);
    else {
      const m = START_MACHINE;
      writeFileSync(svg, benchChartSvg(report.blocks.filter((r) => r.txs > 0 && Number.isFinite(r.speedup)).map((r) => ({
        block: r.block, speedup: r.speedup, parallel: r.parallelMode === 'parallel',
        seqMgas: r.sequentialMgasPerSec, parMgas: r.parallelMgasPerSec, ejsMgas: r.ethereumjsMgasPerSec,
      })), {
        title: `parevm ${name} benchmark`, workers,
        subtitle: `${date.slice(0, 10)} · ${m.cpu}, ${m.cores} cores, Node ${m.node} · median of ${report.blocks[0].runs} runs per mode`,
      }));
      log(`wrote ${svg}`);
    }
  }
  return report.blocks?.some((r) => r.problems.length > 0) ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().then((c) => { process.exitCode = c; }, (e) => { console.error((e as Error).message); process.exitCode = 2; });
}
