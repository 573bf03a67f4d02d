#!/usr/bin/env node
// parevm command line.
//   parevm run <block.json | fixture dir> [--prestate FILE] [--block-hashes FILE] [--fork NAME] [--chain-id N]
//              [--full-state] [--workers N] [--compare] [--deps] [--verify-senders] [--json]
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, dirname, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBlock, parseBlockHashes } from './block.js';
import { parseState } from './state.js';
import { jsonRpcProvider } from './rpc-provider.js';
import { createExecutor, type BlockResult, type Executor } from './executor.js';
import { MAINNET, singleForkChain, type ChainConfig } from './chain.js';
import { forkFromName, forkName, type Fork } from './forks.js';
import { bytesToHex } from './hex.js';
import { InputError, ParevmError } from './errors.js';

const USAGE = `usage: parevm run <block.json | fixture dir> [--prestate FILE] [--block-hashes FILE] [--fork NAME]
                  [--chain-id N] [--full-state] [--workers N] [--compare] [--deps] [--verify-senders] [--rpc URL] [--json]
--workers N runs the block on N threads (Block-STM); --compare also runs it sequentially, checks that both
give the same result and prints the speedup; --deps adds the observed dependency graph to --json output;
--verify-senders recovers every sender from its signature (on the worker threads) and checks it against "from";
--rpc URL reads the pre-state (and BLOCKHASH ancestors) from a JSON-RPC endpoint at the parent block instead of
prestate.json (eth_getProof, eth_getCode, eth_getStorageAt, eth_getBlockByNumber, batched).
A fixture dir holds block.json and prestate.json; block_hashes.json and index.json (fork, chainId,
stateRootCheckable) are read from it or its parent when present.`;

function readJson(file: string): unknown {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { throw new InputError(`cannot read ${file}: ${(e as Error).message}`, { file }); }
  try { return JSON.parse(text); } catch (e) { throw new InputError(`malformed JSON: ${(e as Error).message}`, { file }); }
}

interface RunArgs { executor?: Executor; compare?: boolean; deps?: boolean; verifySenders?: boolean; rpc?: string; target: string; prestate?: string; blockHashes?: string; fork?: string; chainId?: bigint; fullState?: boolean; workers: number; json: boolean }

function parseArgs(argv: string[]): RunArgs {
  const a: RunArgs = { target: '', workers: 1, json: false };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    const val = (): string => { const v = argv[++i]; if (v === undefined) throw new InputError(`${x} needs a value`); return v; };
    if (x === '--prestate') a.prestate = val();
    else if (x === '--block-hashes') a.blockHashes = val();
    else if (x === '--fork') a.fork = val();
    else if (x === '--chain-id') a.chainId = BigInt(val());
    else if (x === '--full-state') a.fullState = true;
    else if (x === '--workers') a.workers = Number(val());
    else if (x === '--json') a.json = true;
    else if (x === '--compare') a.compare = true;
    else if (x === '--deps') a.deps = true;
    else if (x === '--verify-senders') a.verifySenders = true;
    else if (x === '--rpc') a.rpc = val();
    else if (x.startsWith('--')) throw new InputError(`unknown option ${x}`);
    else a.target = x;
  }
  if (!a.target) throw new InputError('no block given');
  return a;
}

/** Runs one block from files; returns the result and what was compared. */
export async function runFromFiles(args: RunArgs): Promise<{ result: BlockResult; blockFile: string }> {
  let blockFile = resolve(args.target);
  let dir = dirname(blockFile);
  if (existsSync(blockFile) && statSync(blockFile).isDirectory()) { dir = blockFile; blockFile = join(dir, 'block.json'); }
  const prestateFile = args.prestate ?? join(dir, 'prestate.json');
  if (!args.rpc && !existsSync(prestateFile)) throw new InputError(`no pre-state: ${prestateFile} does not exist (pass --prestate FILE or --rpc URL)`, { file: prestateFile });
  const block = parseBlock(readJson(blockFile), blockFile);
  const state = args.rpc ? undefined : parseState(readJson(prestateFile), { file: prestateFile });
  const provider = args.rpc ? jsonRpcProvider(args.rpc, { block: block.header.number > 0n ? block.header.number - 1n : 0n }) : undefined;
  const hashesFile = args.blockHashes ?? [join(dir, 'block_hashes.json'), join(dir, '..', 'block_hashes.json')].find(existsSync);
  const blockHashes = hashesFile ? parseBlockHashes(readJson(hashesFile), hashesFile) : undefined;
  // index.json beside the block's folder (fixture sets) gives the fork, chain id and whether the state is whole
  let fork: Fork | undefined = args.fork ? forkFromName(args.fork) : undefined;
  let chainId = args.chainId;
  let fullState = args.fullState ?? false;
  const indexFile = [join(dir, 'index.json'), join(dir, '..', 'index.json')].find(existsSync);
  if (indexFile) {
    const idx = readJson(indexFile) as Record<string, any>;
    const entry = Array.isArray(idx.blocks) ? idx.blocks.find((b: any) => BigInt(b.number) === block.header.number) : undefined;
    if (fork === undefined && (entry?.fork ?? idx.fork)) fork = forkFromName(entry?.fork ?? idx.fork);
    if (chainId === undefined && idx.chainId !== undefined) chainId = BigInt(idx.chainId);
    if (args.fullState === undefined && (entry?.stateRootCheckable ?? idx.stateRootCheckable)) fullState = true;
  }
  const chain: ChainConfig = chainId !== undefined && chainId !== 1n ? { ...singleForkChain(fork ?? 12, chainId) } : MAINNET;
  const ex = args.executor ?? createExecutor({ workers: args.workers, chain, dependencyGraph: args.deps, verifySenders: args.verifySenders });
  if (args.executor) ex.options.chain = chain;
  try {
    return { result: await ex.execute({ block, state, provider, blockHashes, fork, fullState }), blockFile };
  } finally { if (!args.executor) await ex.close(); }
}

function summary(r: BlockResult, file: string): string {
  const s = r.stats;
  const mgas = Number(r.gasUsed) / 1e6 / (s.ms.execute / 1e3);
  const check = (k: keyof BlockResult['checks']): string => (r.checks[k] === undefined ? 'not checkable' : r.checks[k] ? 'match' : 'MISMATCH');
  const lines = [
    `block        ${basename(dirname(file))}/${basename(file)} (${forkName(r.fork)}, ${r.mode})`,
    `transactions ${s.txs} (${r.receipts.filter((x) => x.status === 0).length} failed), ${s.workers} worker(s): re-executions ${s.reexecutions}, validations ${s.validations}, aborts ${s.aborts}, dependency waits ${s.dependencyWaits}, sender waits ${s.senderWaits ?? 0}`,
    `gas used     ${r.gasUsed}  [header: ${check('gasUsed')}]`,
    `time         ${s.ms.execute.toFixed(2)} ms executing (${mgas.toFixed(1)} Mgas/s), ${s.ms.total.toFixed(2)} ms in all (senders ${s.ms.senders.toFixed(1)}: ${s.sendersRecovered} recovered on ${s.senderThreads} thread(s), load ${s.ms.load.toFixed(1)}, finalize ${s.ms.finalize.toFixed(1)})`,
    `logs bloom   [header: ${check('logsBloom')}]`,
    `receipts     ${r.receiptsRoot ? bytesToHex(r.receiptsRoot) : '-'}  [header: ${check('receiptsRoot')}]`,
    `state root   ${r.stateRoot ? bytesToHex(r.stateRoot) : '- (pre-state is partial; pass --full-state if it is whole)'}  [header: ${check('stateRoot')}]`,
    `state diff   ${r.diff.length} accounts, ${r.diff.reduce((n, d) => n + d.storage.length, 0)} slots changed`,
  ];
  for (const n of r.notes) lines.push(`note         ${n}`);
  return lines.join('\n');
}

function toJson(r: BlockResult): unknown {
  const hex = (b?: Uint8Array) => (b ? bytesToHex(b) : undefined);
  const q = (n: bigint) => '0x' + n.toString(16);
  return {
    fork: forkName(r.fork), mode: r.mode, gasUsed: q(r.gasUsed), blobGasUsed: q(r.blobGasUsed), logsBloom: hex(r.logsBloom),
    receiptsRoot: hex(r.receiptsRoot), stateRoot: hex(r.stateRoot), checks: r.checks, notes: r.notes, fallback: r.fallback, stats: r.stats,
    receipts: r.receipts.map((x) => ({ type: x.type, status: x.status, gasUsed: q(x.gasUsed), cumulativeGasUsed: q(x.cumulativeGasUsed), contractAddress: hex(x.contractAddress), logs: x.logs.map((l) => ({ address: hex(l.address), topics: l.topics.map(hex), data: hex(l.data) })) })),
    diff: r.diff.map((d) => ({
      address: d.address,
      before: d.before && { nonce: q(d.before.nonce), balance: q(d.before.balance), codeLength: d.before.code.length },
      after: d.after && { nonce: q(d.after.nonce), balance: q(d.after.balance), codeLength: d.after.code.length },
      storage: d.storage.map((s) => ({ slot: q(s.slot), before: q(s.before), after: q(s.after) })),
    })),
  };
}

/** Entry point; returns the exit code (0 all checks match, 1 a mismatch, 2 bad input or an unexecutable block). */
export async function main(argv = process.argv.slice(2)): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd !== 'run') { console.error(USAGE); return cmd === undefined || cmd === '--help' || cmd === '-h' ? 0 : 2; }
  let args: RunArgs;
  try { args = parseArgs(rest); } catch (e) { console.error(`parevm: ${(e as Error).message}\n${USAGE}`); return 2; }
  try {
    let extra = '';
    let same = true;
    let result: BlockResult, blockFile: string;
    if (!args.compare) ({ result, blockFile } = await runFromFiles(args));
    else {
      // Both modes: 3 warm-up runs (thread start-up, compilation), then the median of 5 interleaved runs.
      const { resultFingerprint } = await import('./runners/mainnet.js');
      const par = createExecutor({ workers: args.workers, dependencyGraph: args.deps, verifySenders: args.verifySenders });
      const seqEx = createExecutor({ workers: 1, verifySenders: args.verifySenders });
      try {
        for (let i = 0; i < 3; i++) { await runFromFiles({ ...args, executor: par }); await runFromFiles({ ...args, executor: seqEx }); }
        const ps: BlockResult[] = [], ss: BlockResult[] = [];
        let file = '';
        for (let i = 0; i < 5; i++) {
          const p = await runFromFiles({ ...args, executor: par });
          ps.push(p.result); file = p.blockFile;
          ss.push((await runFromFiles({ ...args, executor: seqEx })).result);
        }
        const median = (rs: BlockResult[]) => [...rs].sort((a, b) => a.stats.ms.execute - b.stats.ms.execute)[2];
        result = median(ps);
        blockFile = file;
        const seq = median(ss);
        same = ps.every((p) => resultFingerprint(p) === resultFingerprint(ss[0])) && ss.every((x) => resultFingerprint(x) === resultFingerprint(ss[0]));
        const speedup = seq.stats.ms.execute / Math.max(result.stats.ms.execute, 1e-3);
        const vs = result.mode === 'parallel' ? `speedup ${speedup.toFixed(2)}x (medians of 5 runs after 3 warm-ups)` : 'no speedup to report: both runs were sequential';
        extra = `\nsequential   ${seq.stats.ms.execute.toFixed(2)} ms executing: ${vs}, results ${same ? 'identical' : 'DIFFER'}`;
      } finally { await par.close(); await seqEx.close(); }
    }
    console.log(args.json ? JSON.stringify(toJson(result), null, 2) : summary(result, blockFile) + extra);
    return Object.values(result.checks).every((v) => v !== false) && same ? 0 : 1;
  } catch (e) {
    if (e instanceof ParevmError) { console.error(`parevm: ${e.code}: ${e.message}`); return 2; }
    throw e;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) main().then((c) => { process.exitCode = c; });
