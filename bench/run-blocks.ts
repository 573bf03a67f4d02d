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
    par: createExecutor({ workers: o.workers, chain, alwaysParallel: o.alwaysParallel }),
  });
  try {
    for (let i = 0; i < sources.length; i++) {
      const src = sources[i];
      progress.log(`[${i + 1}/${sources.length}] ${src.name}`);
      const t0 = performance.now();
      const c = src.load();
      progress.log(`  ${c.description} (${c.input.block.transactions.length} transactions, ${c.input.state.size} accounts in the pre-state; loaded in ${(performance.now() - t0).toFixed(0)} ms)`);
      const chain = c.chainId === 1n ? MAINNET : singleForkChain(c.input.fork ?? Fork.Cancun, c.chainId);
      const pair = pairs.get(c.chainId) ?? make(chain);
      pairs.set(c.chainId, pair);
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
