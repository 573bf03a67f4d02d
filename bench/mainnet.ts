// The mainnet suite: every block of a fixture folder (default $PAREVM_SHARED/fixtures/mainnet; --dir for another,
// e.g. fixtures/anvil-cancun) run sequentially, in parallel and on @ethereumjs/vm (bench/measure.ts), each also
// compared with its header (gasUsed, logsBloom, receiptsRoot where checkable, stateRoot where index.json marks
// the pre-state whole). The folder layout is the one src/runners/mainnet.ts reads: <number>/block.json and
// <number>/prestate.json, with index.json (fork per block, chainId, stateRootCheckable) and block_hashes.json
// beside them.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseBlock, parseBlockHashes } from '../src/block.js';
import { forkFromName, type Fork } from '../src/forks.js';
import { parseState } from '../src/state.js';
import { opt } from './common.js';
import { sharedDir } from './gen/blocks.js';
import type { SuiteOptions, SuiteReport } from './index.js';
import type { BlockCase } from './measure.js';
import { resultsMarkdown } from './report.js';
import { ethereumjsPolicy, runBlocks, warmPassesOpt, warmupsOpt, type BlockSource } from './run-blocks.js';

function readJson(file: string): any {
  try { return JSON.parse(readFileSync(file, 'utf8')); } catch (e) { throw new Error(`cannot read ${file}: ${(e as Error).message}`); }
}

/** The blocks of a fixture folder, in block-number order, each loaded when its turn comes. */
export function fixtureSources(dir: string, only?: string): BlockSource[] {
  if (!existsSync(dir)) {
    throw new Error(`fixture folder ${dir} not found: set PAREVM_SHARED to the shared data folder (it holds fixtures/mainnet) or pass --dir DIR`);
  }
  const names = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory() && existsSync(join(dir, n, 'block.json')))
    .sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : 1));
  if (names.length === 0) throw new Error(`${dir} holds no block folders (<number>/block.json and prestate.json)`);
  const indexFile = join(dir, 'index.json');
  const index = existsSync(indexFile) ? readJson(indexFile) : undefined;
  const hashesFile = join(dir, 'block_hashes.json');
  const sharedHashes = existsSync(hashesFile) ? parseBlockHashes(readJson(hashesFile), hashesFile) : undefined;
  const chainId = index?.chainId !== undefined ? BigInt(index.chainId) : 1n;
  return names.filter((n) => !only || n.includes(only)).map((n) => ({
    name: `block ${n}`,
    load: (): BlockCase => {
      const bdir = join(dir, n);
      const blockFile = join(bdir, 'block.json'), preFile = join(bdir, 'prestate.json');
      if (!existsSync(preFile)) throw new Error(`${preFile} not found: every block folder needs block.json and prestate.json`);
      const block = parseBlock(readJson(blockFile), blockFile);
      const state = parseState(readJson(preFile), { file: preFile });
      const ownHashes = join(bdir, 'block_hashes.json');
      const blockHashes = existsSync(ownHashes) ? parseBlockHashes(readJson(ownHashes), ownHashes) : sharedHashes;
      const entry = Array.isArray(index?.blocks) ? index.blocks.find((b: any) => BigInt(b.number) === block.header.number) : undefined;
      const forkName: string | undefined = entry?.fork ?? index?.fork;
      const fork: Fork | undefined = forkName ? forkFromName(forkName) : undefined;
      const fullState = !!(entry?.stateRootCheckable ?? index?.stateRootCheckable);
      const kinds = [`${block.transactions.length} txs`, forkName ?? 'fork by number', ...(fullState ? ['whole pre-state'] : [])];
      return { block: n, description: `block ${n} (${kinds.join(', ')})`, input: { block, state, blockHashes, fork, fullState }, chainId };
    },
  }));
}

/**
 * Runs the suite (bench/index.ts calls it for `npm run bench -- mainnet`). Options in opts.argv: --dir DIR,
 * --only NAME (substring of the block number), --always-parallel, --warm-passes N (default 10), --no-slow-first,
 * and the ethereumjs options of run-blocks.ts.
 */
export async function runSuite(o: SuiteOptions): Promise<SuiteReport> {
  const { argv, workers } = o;
  const runs = Math.max(5, o.runs ?? 5);
  const dir = resolve(opt(argv, '--dir') ?? join(sharedDir(), 'fixtures', 'mainnet'));
  const only = opt(argv, '--only');
  const alwaysParallel = argv.includes('--always-parallel');
  const ethereumjs = ethereumjsPolicy(argv);
  const sources = fixtureSources(dir, only);
  if (sources.length === 0) throw new Error(`--only ${only}: no block folder of ${dir} matches`);
  o.log(`${dir}: ${sources.length} blocks`);
  const warmups = warmupsOpt(argv);
  const warmPasses = warmPassesOpt(argv, 10);
  const slowFirst = !argv.includes('--no-slow-first');
  const results = await runBlocks(sources, { suite: 'mainnet', workers, runs, warmups, ethereumjs, requireParallel: false, alwaysParallel, warmPasses, slowFirst });
  const ejs = ethereumjs.runs === 'off' ? 'ethereumjs not run'
    : `@ethereumjs/vm 10.1.3 (runTx per transaction, MerkleStateManager${ethereumjs.caches ? ' with caches' : ' without caches'})`;
  const intro = `mainnet (${dir}): parevm sequential (1 worker) vs parallel (${workers} workers${alwaysParallel ? ', every block in parallel' : '; blocks under 32 transactions per worker run sequentially by the executor\'s rule'}) vs ${ejs}; `
    + `median of ${runs} interleaved runs per mode after ${warmPasses > 0 ? `${warmPasses} warm-up passes over all the blocks (both modes) and ` : ''}${warmups} warm-up run${warmups > 1 ? 's' : ''} each. Times are transaction execution only (parevm: stats.ms.execute; ethereumjs: the runTx loop), `
    + `pre-state loading excluded; whole block: stats.ms.total (senders, loading the pre-state into the engine, execution, finalisation). ${slowFirst ? 'The parallel executor starts first the transactions to contracts it saw run slow in two earlier blocks (ExecutorOptions.slowFirst); here it learns them from the warm-up runs of the same blocks, where a node learns them from the chain\'s recent blocks (--no-slow-first: off). ' : 'slowFirst off (--no-slow-first). '}Speedup`
    + ' = seq / par; par vs ethereumjs = ethereumjs time / parevm parallel time; header = the checks of the sequential result against the block header. '
    + 'Peak RSS: the process high-water mark (MB; worker threads included) after the block\'s parevm warm-ups (before ethereumjs loads it) / at the end of the block; it never goes down, so earlier blocks count.';
  return {
    markdown: resultsMarkdown(results, { intro, fixtures: true }), results, blocks: results,
    settings: { dir, runs, workers, alwaysParallel, ethereumjs, only, warmups, warmPasses, slowFirst },
  };
}
