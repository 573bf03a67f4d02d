// Runs a list of blocks through measureBlock: loads (or generates) each block when its turn comes, gives it a
// sequential and a parallel executor (one pair per chain id shared by the blocks, or a pair of its own when its
// code does not fit the engine's default code store), draws the progress bar and collects the results.
import { createExecutor, type Executor } from '../src/executor.js';
import { MAINNET, singleForkChain, type ChainConfig } from '../src/chain.js';
import { Fork } from '../src/forks.js';
import { numOpt, opt } from './common.js';
import { estimatedSteps, failedResult, measureBlock, type BlockBenchResult, type BlockCase, type EthereumjsPolicy, type MeasureContext } from './measure.js';
import { Progress } from './progress.js';

/** A block to be loaded when its turn comes (generating or parsing it can take seconds and memory). */
export interface BlockSource {
  name: string;
  load(): BlockCase;
}

/** Options of {@link runBlocks}. */
export interface RunBlocksOptions {
  suite: string;
  workers: number;
  runs: number;
  /** Warm-up runs per mode (MeasureContext.warmups). */
  warmups: number;
  ethereumjs: EthereumjsPolicy;
  /** A parallel run that falls back to sequential counts as a problem. */
  requireParallel: boolean;
  /** Run even small blocks in parallel (ExecutorOptions.alwaysParallel). */
  alwaysParallel?: boolean;
  /**
   * Passes over every block, in both modes, before any block is measured (0: none). Each block is then loaded
   * once and kept until the end. Small blocks reach V8's steady state only after hundreds of runs of the code
   * they share (see warmPassesOpt); a long-running client is in that state.
   */
  warmPasses?: number;
  /** ExecutorOptions.slowFirst of the parallel executor (default true; --no-slow-first). */
  slowFirst?: boolean;
}

/**
 * --warm-passes N (fixture suites, default 10): warm-up passes over all blocks before measuring. Measured on
 * block 4370000 (97 transactions) after its own 10 warm-ups only: V8's background threads still spent ~230 ms
 * of CPU compiling (TurboFan) during the next 100 runs, on a machine of 2 cores, and the parallel runs took
 * 1.1-16 ms (median 1.39, 0.37x to 1.0x of sequential); after 300 runs of it, 0 ms of compiling and a median
 * of 1.13 ms against 1.41 sequential.
 */
export function warmPassesOpt(argv: string[], dflt: number): number {
  return Math.max(0, Math.round(numOpt(argv, '--warm-passes', dflt)));
}

/** --warmups N: warm-up runs per mode before the measured ones (default 10, at least 1). */
export function warmupsOpt(argv: string[]): number {
  return Math.max(1, Math.round(numOpt(argv, '--warmups', 10)));
}

/** The ethereumjs options of the command line: --no-ethereumjs, --ethereumjs-runs N, --ethereumjs-big-mgas M, --ethereumjs-no-caches. */
export function ethereumjsPolicy(argv: string[]): EthereumjsPolicy {
  const off = argv.includes('--no-ethereumjs');
  const n = opt(argv, '--ethereumjs-runs');
  if (off && n !== undefined) throw new Error('--no-ethereumjs and --ethereumjs-runs exclude each other');
  return {
    runs: off ? 'off' : n === undefined ? 'auto' : Math.round(numOpt(argv, '--ethereumjs-runs', 1)),
    bigGas: numOpt(argv, '--ethereumjs-big-mgas', 100) * 1e6,
    caches: !argv.includes('--ethereumjs-no-caches'),
  };
}

/** Measures every block in turn; progress and log lines go to stderr. */
export async function runBlocks(sources: BlockSource[], o: RunBlocksOptions): Promise<BlockBenchResult[]> {
  const progress = new Progress(0);
  const pairs = new Map<bigint, { seq: Executor; par: Executor }>();
  const results: BlockBenchResult[] = [];
  const ctxBase = { suite: o.suite, workers: o.workers, runs: o.runs, warmups: o.warmups, ethereumjs: o.ethereumjs, progress, requireParallel: o.requireParallel };
  progress.setTotal(sources.length * estimatedSteps(ctxBase as MeasureContext));
  const make = (chain: ChainConfig) => ({
    seq: createExecutor({ workers: 1, chain }),
    par: createExecutor({ workers: o.workers, chain, alwaysParallel: o.alwaysParallel, slowFirst: o.slowFirst }),
  });
  /** The executor pair of a block's chain (made on first use). */
  const pairFor = (c: BlockCase) => {
    let pair = pairs.get(c.chainId);
    if (!pair) pairs.set(c.chainId, pair = make(c.chainId === 1n ? MAINNET : singleForkChain(c.input.fork ?? Fork.Cancun, c.chainId)));
    return pair;
  };
  // with warm passes, every block is loaded first and kept (a block that fails to load is loaded again, and
  // reported, in its turn)
  const passes = o.warmPasses ?? 0;
  const loaded: (BlockCase | undefined)[] = [];
  try {
    if (passes > 0) {
      const t0 = performance.now();
      for (const src of sources) { try { loaded.push(src.load()); } catch { loaded.push(undefined); } }
      const ready = loaded.filter((c): c is BlockCase => c !== undefined);
      progress.addTotal(passes * ready.length * 2);
      progress.log(`warm-up: ${passes} passes over ${ready.length} blocks, both modes (--warm-passes)`);
      for (let k = 0; k < passes; k++) {
        for (const c of ready) {
          const pair = pairFor(c);
          // (a block that fails here fails again when it is measured, which reports it)
          progress.step(`warm-up pass ${k + 1}/${passes} ${c.block} seq`);
          await pair.seq.execute(c.input).catch(() => undefined);
          progress.step(`warm-up pass ${k + 1}/${passes} ${c.block} par`);
          await pair.par.execute(c.input).catch(() => undefined);
        }
      }
      progress.log(`warm-up passes: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    for (let i = 0; i < sources.length; i++) {
      const src = sources[i];
      progress.log(`[${i + 1}/${sources.length}] ${src.name}`);
      const t0 = performance.now();
      const pre = loaded[i];
      const c = pre ?? src.load();
      loaded[i] = undefined; // (measured: its memory can go)
      progress.log(`  ${c.description} (${c.input.block.transactions.length} transactions, ${c.input.state.size} accounts in the pre-state; ${pre ? 'loaded before the warm-up passes' : `loaded in ${(performance.now() - t0).toFixed(0)} ms`})`);
      const pair = pairFor(c);
      try {
        results.push(await measureBlock(c, { ...ctxBase, seq: pair.seq, par: pair.par }));
      } catch (e) {
        // one block that cannot be executed does not end the suite: its row says why
        const msg = `${(e as { code?: string }).code ? `${(e as { code?: string }).code}: ` : ''}${(e as Error).message.split('\n')[0]}`;
        progress.log(`  FAILED ${msg}`);
        results.push(failedResult(o.suite, c, o.workers, o.runs, msg));
      }
    }
  } finally {
    for (const p of pairs.values()) { await p.seq.close(); await p.par.close(); }
    progress.end();
  }
  return results;
}
