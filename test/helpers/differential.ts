// Differential check of one random block (bench/gen/fuzz.ts): the sequential executor is the oracle, and every
// parallel executor must give the same outcome, the same result byte for byte (resultFingerprint: receipts, logs,
// gas, bloom, receipts root, diff, state root) or the same BlockError (code and transaction) for an invalid block;
// optionally also over a StateProvider (the state fetched as the block needs it), and the sequential result against
// @ethereumjs/vm (a second implementation: sequential must equal the specification, not only parallel equal sequential).
// Used by test/fuzz.test.ts and scripts/fuzz.mjs.
import { BlockError, type BlockResult, type Executor } from '../../src/executor.js';
import { resultFingerprint } from '../../src/runners/mainnet.js';
import { bytesToHex } from '../../src/hex.js';
import { fuzzBlock, type FuzzBlock } from '../../bench/gen/fuzz.js';
import { worldStateProvider, type StateProvider } from '../../src/provider.js';
import { prepareEthereumjs } from '../../bench/ethereumjs-block.js';

/** What one executor made of a block. */
export type Outcome =
  | { kind: 'result'; result: BlockResult; fingerprint: string }
  | { kind: 'error'; code: string; txIndex?: number; message: string };

/**
 * Runs the block (on its full pre-state, or over `provider`); a BlockError is an outcome (an invalid block),
 * anything else thrown is a failure of the run.
 */
export async function outcomeOf(e: Executor, b: FuzzBlock, provider?: StateProvider): Promise<Outcome> {
  try {
    // (over a provider the block hashes come from it too: StateProvider.blockHash)
    const on = provider ? { provider } : { state: b.state, fullState: true, blockHashes: b.blockHashes };
    const result = await e.execute({ block: b.block, fork: b.fork, startFirst: b.startFirst, ...on });
    return { kind: 'result', result, fingerprint: resultFingerprint(result) };
  } catch (err) {
    if (err instanceof BlockError) return { kind: 'error', code: err.code, txIndex: err.txIndex, message: err.message };
    throw err;
  }
}

/** Where two results first differ, in words. */
export function firstDifference(s: BlockResult, p: BlockResult): string {
  for (let i = 0; i < Math.min(s.receipts.length, p.receipts.length); i++) {
    const a = s.receipts[i], b = p.receipts[i];
    if (a.status !== b.status || a.gasUsed !== b.gasUsed || a.logs.length !== b.logs.length) {
      return `receipt ${i}: status ${a.status} / ${b.status}, gas ${a.gasUsed} / ${b.gasUsed}, logs ${a.logs.length} / ${b.logs.length}`;
    }
  }
  if (s.receipts.length !== p.receipts.length) return `${s.receipts.length} / ${p.receipts.length} receipts`;
  const pd = new Map(p.diff.map((d) => [d.address, d]));
  for (const d of s.diff) {
    const e = pd.get(d.address);
    const show = (x: typeof d | undefined) => (x === undefined ? 'unchanged' : x.after === undefined ? 'deleted'
      : `nonce ${x.after.nonce} balance ${x.after.balance} code ${x.after.code.length} bytes, ${x.storage.length} slots [${x.storage.map((z) => `${z.slot}=${z.after}`).join(' ')}]`);
    if (show(d) !== show(e)) return `account ${d.address}: ${show(d)} / ${show(e)}`;
    pd.delete(d.address);
  }
  for (const d of pd.values()) return `account ${d.address} changed only in parallel`;
  if (s.stateRoot && p.stateRoot && bytesToHex(s.stateRoot) !== bytesToHex(p.stateRoot)) return 'state root';
  return 'receipts root, bloom or logs';
}

/**
 * What a result over a StateProvider must share with the result over the full pre-state: everything but the state
 * root (not computed over a provider) and, for a wiped account (deleted, or with slots cleared), the slots the
 * block never read (the fetched state does not know them). Returns `r` so reduced, against `want`.
 */
export function comparableOverProvider(r: BlockResult, want: BlockResult): BlockResult {
  const wiped = new Set(want.diff.filter((d) => !d.after || d.storage.some((x) => x.after === 0n)).map((d) => d.address));
  return { ...r, stateRoot: undefined, diff: r.diff.map((d) => (wiped.has(d.address) ? { ...d, storage: d.storage.filter((x) => x.after !== 0n) } : d)) };
}

/**
 * The sequential executor against @ethereumjs/vm (bench/ethereumjs-block.ts) on the same block: per-transaction
 * gas and status, the logs bloom and the state root after the block (with the beacon root's system call,
 * withdrawals and rewards: `blockEnds`), or both rejecting the block. Returns the differences, or
 * `skipped` when the block breaks a block-level rule that runTx does not check (the blob gas limit).
 */
export async function versusEthereumjs(block: FuzzBlock, want: Outcome): Promise<{ problems: string[]; skipped?: string }> {
  const ej = await prepareEthereumjs({ block: block.block, state: block.state, fork: block.fork, chainId: 1n, blockHashes: block.blockHashes });
  const x = await ej.run({ stateRoot: true, blockEnds: true });
  if (want.kind === 'error' && want.code === 'TOO_MANY_BLOBS') return { problems: [], skipped: 'the block carries too many blobs (ethereumjs runTx does not check the block\'s blob gas)' };
  if (want.kind === 'error' || x.error) {
    return { problems: want.kind === 'error' && x.error ? [] : [`parevm: ${want.kind === 'error' ? `${want.code} at transaction ${want.txIndex}` : 'a result'}; ethereumjs: ${x.error ?? 'a result'}`] };
  }
  const r = want.result;
  const problems: string[] = [];
  // (receipts before Byzantium carry no status: ethereumjs gives none, the state root still tells)
  const i = r.receipts.findIndex((q, k) => q.gasUsed !== x.gas[k] || (x.statuses[k] !== null && q.status !== x.statuses[k]));
  if (i >= 0) problems.push(`transaction ${i}: gas ${r.receipts[i].gasUsed} / ${x.gas[i]}, status ${r.receipts[i].status} / ${x.statuses[i]} (parevm / ethereumjs)`);
  if (r.receipts.length !== x.gas.length) problems.push(`${r.receipts.length} / ${x.gas.length} transactions`);
  if (bytesToHex(r.logsBloom) !== bytesToHex(x.logsBloom)) problems.push('logs bloom');
  if (!r.stateRoot || !x.stateRoot || bytesToHex(r.stateRoot) !== bytesToHex(x.stateRoot)) problems.push('state root');
  return { problems };
}

/** The verdict on one seed. */
export interface Verdict {
  seed: number;
  block: FuzzBlock;
  /** The sequential outcome: a valid block or the reason it is invalid. */
  invalid?: string;
  /** Differences from the sequential outcome, one line per parallel executor that differed (empty: all agree). */
  problems: string[];
  /** Parallel runs that really ran in parallel (not a fallback), and their re-executions. */
  parallelRuns: number;
  reexecutions: number;
  /** Parallel runs that stopped for too many re-executions and finished sequentially (stats.sequentialFrom). */
  bailedOut: number;
  fallbacks: string[];
  /** Why the ethereumjs comparison (opts.ethereumjs) did not apply to this block, if it did not. */
  ethereumjsSkipped?: string;
}

/**
 * Runs seed `seed` sequentially and on each parallel executor, and compares. `provider`: each executor also runs
 * the block over a StateProvider of the pre-state (fetched as the block needs it) and must agree with the
 * sequential run on the full pre-state (comparableOverProvider).
 */
export async function differential(seed: number, seq: Executor, pars: { label: string; executor: Executor }[], opts: { provider?: boolean; ethereumjs?: boolean } = {}): Promise<Verdict> {
  const block = fuzzBlock(seed);
  const want = await outcomeOf(seq, block);
  const v: Verdict = { seed, block, problems: [], parallelRuns: 0, reexecutions: 0, bailedOut: 0, fallbacks: [] };
  if (want.kind === 'error') v.invalid = `${want.code} at transaction ${want.txIndex}`;
  else if (want.result.mode !== 'sequential') v.problems.push(`the sequential executor ran in mode ${want.result.mode}`);
  if (opts.ethereumjs) {
    const e = await versusEthereumjs(block, want);
    for (const p of e.problems) v.problems.push(`sequential vs ethereumjs: ${p}`);
    v.ethereumjsSkipped = e.skipped;
  }
  for (const { label, executor } of pars) {
    let got: Outcome;
    try {
      got = await outcomeOf(executor, block);
    } catch (err) {
      v.problems.push(`${label}: threw ${(err as Error).stack ?? err}`);
      continue;
    }
    if (got.kind === 'result') {
      if (got.result.mode === 'parallel') {
        v.parallelRuns++;
        v.reexecutions += got.result.stats.reexecutions;
        if (got.result.stats.sequentialFrom !== undefined) v.bailedOut++;
      } else v.fallbacks.push(`${label}: ${got.result.fallback}`);
    }
    if (want.kind === 'error' && got.kind === 'error') {
      if (want.code !== got.code || want.txIndex !== got.txIndex) v.problems.push(`${label}: ${got.code} at transaction ${got.txIndex}, sequentially ${want.code} at transaction ${want.txIndex}`);
    } else if (want.kind === 'error') v.problems.push(`${label}: a result, sequentially ${want.code} at transaction ${want.txIndex} (${want.message})`);
    else if (got.kind === 'error') v.problems.push(`${label}: ${got.code} at transaction ${got.txIndex} (${got.message}), sequentially a result`);
    else if (got.fingerprint !== want.fingerprint) v.problems.push(`${label}: parallel != sequential (${firstDifference(want.result, got.result)})`);
  }
  for (const { label, executor } of opts.provider ? [{ label: 'sequential', executor: seq }, ...pars] : []) {
    let got: Outcome;
    try {
      got = await outcomeOf(executor, block, worldStateProvider(block.state, { delayMs: 0, blockHashes: block.blockHashes }));
    } catch (err) {
      v.problems.push(`${label} over a provider: threw ${(err as Error).stack ?? err}`);
      continue;
    }
    if (want.kind === 'error' || got.kind === 'error') {
      const w = want.kind === 'error' ? `${want.code} at transaction ${want.txIndex}` : 'a result';
      const g = got.kind === 'error' ? `${got.code} at transaction ${got.txIndex}` : 'a result';
      if (w !== g) v.problems.push(`${label} over a provider: ${g}, on the full pre-state ${w}`);
      continue;
    }
    const a = comparableOverProvider(want.result, want.result), b = comparableOverProvider(got.result, want.result);
    if (resultFingerprint(a) !== resultFingerprint(b)) v.problems.push(`${label} over a provider: != the full pre-state (${firstDifference(a, b)})`);
  }
  return v;
}
