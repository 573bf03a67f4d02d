// Block execution: the public entry point. `createExecutor()` gives an executor; `execute()` runs a block on a
// pre-state and returns receipts, gas, the logs bloom, the receipts root, the state diff and (when the
// pre-state is the whole state) the state root, each checked against the header when the header has it.
//
// A block runs sequentially on the calling thread's engine instance (also the oracle the parallel executor
// is tested against), or in parallel (Block-STM, `runParallel`) on that thread and the pool threads.
import { Engine, applyDiff, STATUS_NAMES, CONTROL_BYTES, type ParallelLayout, type EngineOptions, type BlockEnv, type ExecTx, type OverlayDiff, type OverlayAccount, type MissingKey } from './engine/engine.js';
import { type Block } from './block.js';
import { MAINNET, forkAt, fakeExponential, type ChainConfig } from './chain.js';
import { Fork, forkName } from './forks.js';
import { packedOrder } from './packed-order.js';
import { ParevmError } from './errors.js';
import { bigIntToBytes, bytesEqual, bytesToHex, hexToBytes } from './hex.js';
import { signingHash, validateTxStatic, type Tx, type TxType } from './tx.js';
import { recoverAddress } from './secp.js';
import { SENDER_HEADER, SENDER_RECORD, type SendersTask } from './parallel/worker.js';
import { orBlooms, receiptsRoot as computeReceiptsRoot, type Receipt } from './receipts.js';
import { postStateAccounts, postStateKeys, postStateRootOf, type AccountState, type WorldState } from './state.js';
import { STORAGE_ENTRY_BYTES, storageRootOf, writeStorageEntries } from './trie.js';
import { Scheduler } from './parallel/scheduler.js';
import { createPiscinaPool, type WorkerPool } from './parallel/pool.js';
import { wasmModule } from './engine/wasm.js';
import { HALT_BAIL, attachWorker, workerLoop, postBlock, postStop, postReceiptsRoot, postStorageRoots, servedReports, servedReceiptsRoot, servedStorageRoots, recoverSenders as recoverSendersHere, type BlockTask, type ServeTask, type WorkerReport } from './parallel/worker.js';
import type { TxResult } from './engine/engine.js';
import { StateFetcher, type FetchStats, type StateProvider } from './provider.js';
import { initBn254 } from './precompiles/bn254.js';

/** A block that cannot be executed as given (an invalid transaction, an unsupported feature). Nothing is returned of it. */
export class BlockError extends ParevmError {
  /** Index of the offending transaction, when one is to blame. */
  readonly txIndex?: number;
  constructor(code: string, message: string, txIndex?: number, field?: string) {
    super(code, message, field);
    this.txIndex = txIndex;
  }
}

/** Executor configuration. */
export interface ExecutorOptions {
  /** Worker threads; 1 (the default for now) runs the sequential executor. */
  workers?: number;
  /** Chain configuration (fork schedule and chain id); mainnet by default. */
  chain?: ChainConfig;
  /** Engine region sizes (grown automatically for larger pre-states). */
  engine?: EngineOptions;
  /**
   * Recover every sender from its signature and compare it with the JSON's `from` (a mismatch is a
   * SENDER_MISMATCH BlockError). Without it, senders are recovered only for transactions that have no `from`.
   */
  verifySenders?: boolean;
  /** Run a block in parallel even when it has fewer than 2 transactions per worker (tests). */
  alwaysParallel?: boolean;
  /**
   * A pool of threads to use instead of piscina (browsers: Web Workers). It must have `workers - 1` threads
   * (or `workers` with coordinatorWorks: false).
   */
  pool?: WorkerPool;
  /**
   * The calling thread works too (default true): a block runs on it and `workers - 1` pool threads. On 2
   * cores this keeps the thread count at the core count. It never sleeps in Atomics.wait (it yields to its
   * event loop instead), so a browser's main thread may take part as well. false: `workers` pool threads.
   */
  coordinatorWorks?: boolean;
  /** Debug: random spins and yields inside the scheduler (determinism tests). */
  chaos?: boolean;
  /**
   * Debug (`npm run bench -- overhead`): the pool threads take no task, so the calling thread runs each
   * parallel block alone, through the whole parallel path (multi-version memory, validation, scheduler,
   * commits), with the same results. Its time over the sequential executor's is the parallel path's work
   * factor f, which bounds what w threads can gain to w / f. Ignored with coordinatorWorks: false.
   */
  debugPoolIdle?: boolean;
  /** Debug: make the engine trap when it executes this transaction (failure tests). */
  debugTrapTx?: number;
  /** Debug: a pool thread that is to execute this transaction or a later one ends itself (failure tests). */
  debugExitTx?: number;
  /** Debug: the pool thread asked for a parallel block's receipts root fails ('throw') or ends itself ('exit'). */
  debugReceiptsRoot?: 'throw' | 'exit';
  /** Debug: the pool thread asked for storage roots of a parallel block fails ('throw') or ends itself ('exit'). */
  debugStorageRoots?: 'throw' | 'exit';
  /** Parallel runs: report the observed dependency graph in `stats.dependencies` (costs ~1 us per transaction). */
  dependencyGraph?: boolean;
  /**
   * When a parallel block re-executes more than `ratio` (default 0.25) of at least `minExecutions` (default
   * max(32, 8 x workers)) incarnations, stop it and run the rest sequentially from the first transaction that
   * is not committed (stats.sequentialFrom). `false` never does.
   */
  bail?: false | { minExecutions?: number; ratio?: number };
  /**
   * Parallel runs: a transaction waits for the previous transaction of its sender before its first
   * execution (default true); false lets it run early (and be aborted when it read a stale nonce).
   */
  senderHints?: boolean;
  /**
   * Parallel runs: start first, on the pool threads, the transactions to contracts whose transactions took
   * SLOW_TX_MS or more in one execution in two blocks of this executor, recently (default true). Block-STM
   * takes transactions in index order, so one slow transaction near a block's end (a rollup's proof check:
   * bn254 pairings, ~10 ms here for ~0.4M gas) otherwise starts late and runs alone to the end. The executor
   * times the executions of transactions with a gas limit of 200,000 or more (timing every ERC-20 transfer,
   * ~100,000, cost ~4% of a parallel block of 5,000 of them), keeps up to 256 such contracts, and starts at
   * most 2 transactions per contract first (a contract learnt by mistake, from an execution that was slow
   * because its thread was descheduled, costs little). A scheduling choice only: results never depend on it.
   */
  slowFirst?: boolean;
}

/** What to execute. */
export interface ExecuteInput {
  block: Block;
  /** Pre-state: the state after the parent block (all of it, or at least everything the block touches). */
  state?: WorldState;
  /**
   * Instead of `state`: a provider the pre-state is fetched from as the block needs it (src/provider.ts). The
   * result's `stats.provider` says what was fetched; the state root is not computed (the state is partial).
   */
  provider?: StateProvider;
  /** Hashes of recent blocks for BLOCKHASH. */
  blockHashes?: Map<bigint, Uint8Array>;
  /** Override the fork the chain configuration would pick. */
  fork?: Fork;
  /** The pre-state is the entire state, so the post-state root can be computed. */
  fullState?: boolean;
  /**
   * Parallel runs: indices of transactions the pool threads start before any other (ahead of those the
   * executor learnt to start first, see ExecutorOptions.slowFirst): ones the caller knows to be slow. A
   * scheduling hint only: results never depend on it.
   */
  startFirst?: number[];
}

/**
 * One account's change. `before`/`after` are undefined for an account that did not / does not exist. `before`
 * is the pre-state's account; `after` carries the new nonce, balance and code, and its `storage` map is left
 * empty: the changed slots are in `storage` (building every account's full post-storage would cost the state's
 * size, not the change's).
 */
export interface AccountChange {
  address: string;
  before?: AccountState;
  after?: AccountState;
  /** Changed slots (after a wipe, every slot the account had is listed with after = 0). */
  storage: { slot: bigint; before: bigint; after: bigint }[];
}

/** The result of a block. */
export interface BlockResult {
  fork: Fork;
  mode: 'sequential' | 'parallel';
  gasUsed: bigint;
  blobGasUsed: bigint;
  receipts: Receipt[];
  logsBloom: Uint8Array;
  /** Byzantium and later (earlier receipts embed intermediate state roots). */
  receiptsRoot?: Uint8Array;
  /** When the pre-state was the whole state. */
  stateRoot?: Uint8Array;
  /** Changed accounts, sorted by address. */
  diff: AccountChange[];
  /** Comparison with the header: true/false per value the header gives, absent when not checkable. */
  checks: { gasUsed?: boolean; logsBloom?: boolean; receiptsRoot?: boolean; stateRoot?: boolean };
  /** Things the caller should know (e.g. rewards that could not be applied, a fallback to sequential). */
  notes: string[];
  /** Why a block asked to run in parallel ran sequentially, if it did. */
  fallback?: string;
  stats: BlockStats;
}

/** Execution statistics of one block. */
export interface BlockStats {
  txs: number;
  workers: number;
  /** Incarnations run (a transaction's first execution included). */
  executions: number;
  reexecutions: number;
  validations: number;
  /** Validations that aborted an incarnation. */
  aborts: number;
  /** Times a transaction waited for another (it read an ESTIMATE). */
  dependencyWaits: number;
  /**
   * Parallel runs: transactions that waited for the previous transaction of their sender before running at
   * all (it writes the nonce they read), instead of running early and being aborted.
   */
  senderWaits?: number;
  /**
   * Parallel runs: the transactions offered to the pool threads first (ExecuteInput.startFirst, then those the
   * executor learnt to be slow, see ExecutorOptions.slowFirst), when there were any ...
   */
  startFirst?: number[];
  /** ... and how many of them a pool thread took before any other thread had started them. */
  startedFirst?: number;
  /** Parallel runs that bailed out (too many re-executions): the first transaction run sequentially. */
  sequentialFrom?: number;
  /** Senders recovered from signatures (ms.senders is their time, with the stateless transaction checks). */
  sendersRecovered: number;
  /** Threads the senders were recovered on (1 = the calling thread). */
  senderThreads: number;
  /**
   * Parallel runs: the dependency graph actually observed. For each transaction with dependencies, the
   * earlier transactions whose writes its final reads saw (sorted). JSON-ready.
   */
  dependencies?: Record<number, number[]>;
  /**
   * Parallel runs (Byzantium and later): true when a pool thread computed the receipts root from the block's
   * records while this thread built the diff and the state root; false when this thread computed it.
   */
  receiptsRootOnPool?: boolean;
  /**
   * Parallel runs with the state root: how many accounts' storage roots a pool thread computed (from entries
   * this thread wrote into the shared memory) while this thread computed the others.
   */
  storageRootsOnPool?: number;
  ms: { senders: number; load: number; execute: number; finalize: number; total: number };
  /** Blocks run on a StateProvider: what was fetched, and the time of fetching and discovery (in ms.load). */
  provider?: FetchStats;
}

const GWEI = 1_000_000_000n;
const NO_SENDER = new Uint8Array(20);
/** From this many signatures on, senders are recovered by the worker threads (one costs ~0.3 ms). */
const MIN_PARALLEL_SENDERS = 16;
/** Engine status of a transaction stopped by a read of state that is not loaded (strict mode). */
const ST_BLOCKED = 0x62;
/** Discovery on a StateProvider: rounds of independent speculative execution before the sequential pass. */
const SPECULATIVE_ROUNDS = 8;
/** Parallel blocks with the state root: a pool thread computes storage roots when there are this many entries. */
const MIN_POOL_STORAGE_ENTRIES = 512;
/** A parallel block's inputs are published to the running threads in groups of this many transactions. */
const WRITE_GROUP = 64;
/** Polls of the serving threads' reports when the coordinator leaves a block (~0.2 us each; they are usually there). */
const REPORT_POLLS = 1000;
/** slowFirst: an execution this long (ms) marks its contract slow; only gas limits from TIMED_GAS are timed. */
export const SLOW_TX_MS = 1;
const TIMED_GAS = 200_000n;
/** slowFirst: contracts remembered (the oldest is forgotten first), and the most transactions started first. */
const MAX_SLOW_CONTRACTS = 256;
const MAX_START_FIRST = 16;

/** 52 bits of an address (its first 20 and last 32 bits) as a Number: a map key without a string. */
function addressKey(a: Uint8Array): number {
  return ((a[0] << 12) | (a[1] << 4) | (a[2] >> 4)) * 4294967296 + (((a[16] << 24) | (a[17] << 16) | (a[18] << 8) | a[19]) >>> 0);
}

/** An error's message without the "(field: x)" suffix (the BlockError adds its own). */
function reasonOf(e: Error): string {
  const f = (e as ParevmError).field;
  return f !== undefined && e.message.endsWith(` (field: ${f})`) ? e.message.slice(0, -` (field: ${f})`.length) : e.message;
}
/**
 * For each transaction, the previous transaction of the same sender (it writes the nonce and balance this one
 * reads), else -1: the parallel workers let a first incarnation wait for it. A hint is only a scheduling
 * choice (a missing or needless wait changes no result), so senders are told apart by 31 bits of their
 * address and confirmed in full. Also returns the gas limits of the longest such chain: a nonce chain runs one
 * transaction after another in any mode.
 */
function senderChains(txs: ExecTx[]): { hints: Int32Array; chainGas: bigint } {
  const n = txs.length;
  const hints = new Int32Array(n);
  // An open-addressing table keyed by 31 bits of the address (one sender per key: another sender with the same
  // key replaces it, and only loses its hint), with each key's last transaction and its chain's gas as a
  // Number (the sums only pick the longest chain, whose exact sum is taken below). Two Maps cost ~2.6 ms per
  // 10,000 senders, on the coordinator before the block starts; this ~0.3 ms.
  let cap = 1024;
  while (cap < 2 * n) cap *= 2;
  const keys = new Int32Array(cap).fill(-1), last = new Int32Array(cap), gas = new Float64Array(cap);
  const mask = cap - 1;
  let longest = -1, most = 0;
  for (let i = 0; i < n; i++) {
    const s = txs[i].sender;
    const key = ((s[16] & 0x7f) << 24) | (s[17] << 16) | (s[18] << 8) | s[19];
    let h = Math.imul(key, 0x9e3779b1) & mask;
    while (keys[h] !== -1 && keys[h] !== key) h = (h + 1) & mask;
    let g = Number(txs[i].tx.gasLimit);
    if (keys[h] === key && bytesEqual(txs[last[h]].sender, s)) {
      hints[i] = last[h];
      g += gas[h];
    } else hints[i] = -1;
    keys[h] = key;
    last[h] = i;
    gas[h] = g;
    if (g > most) { most = g; longest = i; }
  }
  let chainGas = 0n;
  for (let i = longest; i >= 0; i = hints[i]) chainGas += txs[i].tx.gasLimit;
  return { hints, chainGas };
}

/** Bytes a transaction's input record may take in the engine: `fixed` for the record, then its data and access list. */
function inputBound(t: ExecTx, fixed: number): number {
  const list = t.tx.accessList;
  let entries = 0;
  for (let i = 0; i < list.length; i++) entries += 1 + list[i].storageKeys.length; // (reduce with a closure: ~3x slower)
  return fixed + t.tx.data.length + 64 * entries;
}

/** Below this many transactions per worker a block runs sequentially (and says so). */
const MIN_TXS_PER_WORKER = 32;
/**
 * ... and below this much gas per worker (the header's gasUsed, else the sum of the gas limits). A parallel
 * block has ~1 ms of fixed cost here (thread hand-off, table set-up, finalisation) and runs each transaction
 * ~1.6x slower than the sequential engine does (multi-version reads, validation): at the median sequential
 * rate of the mainnet fixture blocks (~2,200 Mgas/s) 3M gas per worker is ~2.7 ms of work for 2 workers, about
 * where that overhead stops eating the whole gain (bench/README.md, entry 16).
 */
const MIN_GAS_PER_WORKER = 3_000_000n;
/**
 * A plain transfer (no data, to an account without code) costs 21,000 gas but runs no code: ~3 us sequentially
 * (10,000 of them in ~30 ms, writing and reading included), what ~6,600 gas of contract execution costs at
 * that median rate. The rule above counts it so: blocks of 2017 that are mostly transfers (4330482, 4370000,
 * 6196166: 1-2 ms for 6-8M gas) ran at 0.5-0.75x in parallel.
 */
const PLAIN_TRANSFER_GAS = 6_600n;

/**
 * The block's gas with each plain transfer counted as PLAIN_TRANSFER_GAS instead of 21,000 (at least 0), or
 * just `gas` when even counting every transaction without data so would leave at least `need` (no state
 * lookups then: a block of 10,000 raw transfers is far above the line).
 */
function workGas(gas: bigint, txs: ExecTx[], state: WorldState, need: bigint): bigint {
  const saved = 21_000n - PLAIN_TRANSFER_GAS;
  let noData = 0n;
  for (const t of txs) if (t.tx.to && t.tx.data.length === 0) noData++;
  if (gas - saved * noData >= need) return gas;
  let plain = 0n;
  for (const t of txs) {
    const to = t.tx.to;
    if (to && t.tx.data.length === 0 && !state.get(bytesToHex(to))?.code.length) plain++;
  }
  const w = gas - saved * plain;
  return w > 0n ? w : 0n;
}
const BEACON_ROOTS = '0x000f3df6d732807ef1319fb7b8bb8522d0beac02';
const SYSTEM_ADDRESS = hexToBytes('0xfffffffffffffffffffffffffffffffffffffffe');

function blockReward(fork: Fork): bigint {
  if (fork >= Fork.Paris) return 0n;
  if (fork >= Fork.Petersburg || fork === Fork.Constantinople) return 2n * 10n ** 18n; // EIP-1234
  if (fork >= Fork.Byzantium) return 3n * 10n ** 18n; // EIP-649
  return 5n * 10n ** 18n;
}

function envFor(block: Block, fork: Fork, chain: ChainConfig, hashes?: Map<bigint, Uint8Array>): BlockEnv {
  const h = block.header;
  const blobBaseFee = fork >= Fork.Cancun ? fakeExponential(1n, h.excessBlobGas ?? 0n, fork >= Fork.Prague ? 5007716n : 3338477n) : 0n;
  let prevRandao = h.difficulty;
  if (fork >= Fork.Paris) prevRandao = BigInt(bytesToHex(h.mixHash));
  return {
    fork, chainId: chain.chainId, coinbase: h.miner, number: h.number, timestamp: h.timestamp, gasLimit: h.gasLimit,
    baseFee: fork >= Fork.London ? (h.baseFeePerGas ?? 0n) : 0n, prevRandao, blobBaseFee,
    blockHash: hashes ? (n) => hashes.get(n) : undefined,
  };
}

/** Pool threads serving one engine's blocks: their task's promise, and whether it ended. */
interface Serving { engineId: number; memory: WebAssembly.Memory; layout: ParallelLayout; promise: Promise<unknown>; settled: boolean }
/** The serving threads' reports of block `seq`, polled up to `polls` times (fewer once they stopped serving); else null. */
function reportsNow(sv: Serving, seq: number, threads: number, polls: number): WorkerReport[] | null {
  for (let i = 0; i < polls; i++) {
    const r = servedReports(sv.memory, sv.layout, seq, threads);
    if (r || sv.settled) return r;
  }
  return null;
}
/** The control region has a line for each of this many serving threads (CONTROL_BYTES). */
const MAX_SERVING_THREADS = CONTROL_BYTES / 64 - 1;

/** Executes blocks. */
let engineCounter = 0;

export class Executor {
  readonly options: ExecutorOptions;
  private engine?: Engine;
  private engineId = 0;
  /** The engine whose module and memory the pool threads have (0: none yet). */
  private poolEngineId = 0;
  /** The engine of the strict-mode discovery pass (blocks run on a StateProvider). */
  private discoveryEngine?: Engine;
  private pool?: WorkerPool;
  /** The pool's serve tasks, while they run (one per engine). */
  private serving?: Serving;
  /** Sequence number of the last block (or stop) posted to the serving threads. */
  private blockSeq = 0;
  /**
   * slowFirst: contracts whose transactions recently took SLOW_TX_MS or more: `ms`, that time, and
   * `blocks`, in how many blocks they did. A block's slowest time per contract replaces half the remembered
   * one, and a contract below SLOW_TX_MS is forgotten: one fast block does not drop a contract that posts both
   * quick and slow transactions. A contract counts from its second slow block on: a first execution in a
   * fresh thread (compilation) or a descheduled thread is slow once, not twice. Keyed by 52 bits of the
   * address (addressKey), the whole address compared: a hex string per timed transaction cost ~0.5 ms per
   * mainnet block of ~800 transactions, on the calling thread before and after the block.
   */
  private readonly slow = new Map<number, { address: Uint8Array; ms: number; blocks: number }>();
  /** slowFirst: how many entries of `slow` count (blocks >= 2); no block looks them up while none does. */
  private slowCounted = 0;

  /** mcl for the bn254 precompiles, loading since construction (@noble/curves, same results, if it cannot load). */
  private readonly bn254Ready: Promise<void>;

  constructor(options: ExecutorOptions = {}) {
    this.options = options;
    this.bn254Ready = initBn254();
  }

  /** Worker threads this executor uses for parallel blocks (1 = sequential only), the calling thread included. */
  get workers(): number { return Math.max(1, this.options.workers ?? 1); }

  /** Whether the calling thread is one of the workers (the default), so that the pool has workers - 1 threads. */
  private get coordinatorWorks(): boolean { return this.options.coordinatorWorks !== false; }
  private get poolSize(): number { return this.coordinatorWorks ? this.workers - 1 : this.workers; }

  private engineFor(state: WorldState, txs: number, gasLimits: bigint): Engine {
    let slots = 0, codeBytes = 0, codeCount = 0;
    const seenCode = new Set<Uint8Array>();
    for (const a of state.values()) {
      slots += a.storage.size;
      if (a.code.length > 0 && !seenCode.has(a.code)) { seenCode.add(a.code); codeBytes += a.code.length; codeCount++; }
    }
    const pow2 = (n: number, min: number) => { let c = min; while (c < n) c *= 2; return c; };
    // code store: each code with its jumpdest bitmap (len / 8) and ~72 bytes of padding, plus room for the
    // block's deployments; entries at most 3/4 full
    const codes = pow2(((codeCount + 1024) * 4) / 3, 1 << 14);
    const codeHeapBytes = Math.max(64 << 20, Math.ceil((codeBytes * 1.125 + codeCount * 72 + txs * 1024 + (32 << 20)) / (1 << 20)) << 20);
    // Room for the pre-state plus what the block may add, at most 3/4 full.
    const accounts = pow2((state.size + txs * 4) * 2, 1 << 12);
    const wantSlots = pow2((slots + txs * 8) * 2, 1 << 14);
    const workers = this.workers > 1 ? this.workers : 0;
    // a transaction writes about 4 locations (sender INFO and BALANCE, recipient and coinbase BALANCE) plus its slots
    // ... and contract calls touch a location per ~2,000 gas or more (a warm SLOAD is 100, a cold one 2,100;
    // a Uniswap swap touches ~15 in 156k gas): whichever bound is larger
    // (gas limits can be absurd, 2^63 in some state tests: at most 36M gas per transaction, 2M locations)
    const gas = Math.min(Number(gasLimits), txs * 36_000_000); // no transaction uses more than a block's gas
    const mvLocations = pow2(Math.min(1 << 21, Math.max(txs * 8 + 1024, gas / 2000)), 1 << 14);
    const mvHeapBytes = Math.max(64 << 20, txs * 4096);
    // A worker's output area keeps the read and write sets and logs of every incarnation it runs in the block:
    // measured ~0.2 bytes per gas used on Uniswap swaps (~31 KB per 156k-gas swap), so 0.4 bytes per gas of
    // the transactions' limits covers re-executions; at most 512 MiB per worker and 2 GiB in all (else the
    // block may fall back).
    const outPerWorker = Math.min(512 << 20, (2048 << 20) / Math.max(workers, 1), (gas * 0.4) / Math.max(workers, 1));
    const workerOutBytes = Math.ceil(Math.max(32 << 20, (txs * 8192) / Math.max(workers, 1), outPerWorker) / (1 << 20)) << 20;
    const inputBytes = Math.max(64 << 20, txs * 2048);
    const e = this.engine;
    if (e && e.opts.accounts >= accounts && e.opts.slots >= wantSlots && e.opts.workers === workers
      && e.opts.codes >= codes && e.opts.codeHeapBytes >= codeHeapBytes && e.opts.workerArenas === (workers > 0 ? this.poolSize : 0)
      && e.opts.mvLocations >= mvLocations && e.opts.mvHeapBytes >= mvHeapBytes && e.opts.workerOutBytes >= workerOutBytes
      && e.opts.inputBytes >= inputBytes) return e;
    // Parallel blocks need one arena per worker: keep each smaller than the default so that they all fit 4 GiB.
    const arena = workers > 0 ? { arenaBytes: 160 << 20, frameBytes: 48 << 20, evmMemoryBytes: 24 << 20 } : {};
    this.engine = new Engine({ ...arena, codes, codeHeapBytes, ...this.options.engine, accounts, slots: wantSlots, workers, workerArenas: workers > 0 ? this.poolSize : 0, mvLocations, mvHeapBytes, workerOutBytes, inputBytes });
    this.engineId = ++engineCounter;
    return this.engine;
  }

  /**
   * Runs a block, in parallel when the executor has workers and the block has enough transactions. Rejects with
   * a BlockError (or InputError) for a block that cannot be executed; the pre-state object is never modified,
   * and the executor stays usable for the next block.
   */
  async execute(input: ExecuteInput): Promise<BlockResult> {
    await this.bn254Ready;
    const t0 = performance.now();
    const chain = this.options.chain ?? MAINNET;
    const { block } = input;
    const fork = input.fork ?? forkAt(chain, block.header.number, block.header.timestamp);
    const notes: string[] = [];

    // the checks that need no state, then the senders (recovered across the workers when there are many)
    const txs: ExecTx[] = block.transactions.map((bt, i) => {
      let intrinsicGas: bigint;
      try {
        intrinsicGas = validateTxStatic(bt.tx, fork, { chainId: chain.chainId });
      } catch (e) {
        const err = e as ParevmError;
        throw new BlockError(err.code ?? 'TX_INVALID', `transaction ${i}: ${reasonOf(err)}`, i, err.field);
      }
      return { tx: bt.tx, sender: bt.from ?? NO_SENDER, intrinsicGas };
    });
    for (const i of input.startFirst ?? []) {
      if (!(Number.isInteger(i) && i >= 0 && i < txs.length)) throw new BlockError('BAD_INPUT', `startFirst: ${i} is not a transaction index of the block (0..${txs.length - 1})`);
    }
    const recover: number[] = [];
    block.transactions.forEach((bt, i) => { if (!bt.from || this.options.verifySenders) recover.push(i); });
    const { senders: recovered, threads: senderThreads } = await this.recoverSenders(txs, recover);
    for (let k = 0; k < recover.length; k++) {
      const i = recover[k], rec = recovered[k];
      if (!rec) throw new BlockError('EC_RECOVERY_FAIL', `transaction ${i}: no public key recovers from its signature`, i, 'signature');
      const from = block.transactions[i].from;
      if (from && !bytesEqual(from, rec)) throw new BlockError('SENDER_MISMATCH', `transaction ${i}: recovered sender ${bytesToHex(rec)} != from ${bytesToHex(from)}`, i, 'from');
      txs[i].sender = rec;
    }
    const t1 = performance.now();

    let state = input.state;
    let blockHashes = input.blockHashes;
    let fetched: FetchStats | undefined;
    let hasStorage: ReadonlySet<string> | undefined; // (a fetched state lists only the slots the block read)
    if (input.provider) {
      if (state) throw new BlockError('BAD_INPUT', 'give either state or provider, not both');
      ({ state, blockHashes, stats: fetched, hasStorage } = await this.discover(input.provider, block, fork, chain, txs, blockHashes));
      if (input.fullState) notes.push('the state came from a provider (partial): no state root');
    }
    if (!state) throw new BlockError('BAD_INPUT', 'no pre-state: give state or provider');
    const fullState = input.fullState && !input.provider;

    const limits = txs.reduce((g, t) => g + t.tx.gasLimit, 0n); // the sum of the gas limits
    const engine = this.engineFor(state, txs.length, limits);
    engine.loadState(state, hasStorage);
    engine.beginBlock(envFor(block, fork, chain, blockHashes));
    // EIP-4788: the parent beacon block root into the beacon-roots contract, before the transactions. Its
    // writes are moved into the base state, so that both modes read them like pre-state.
    let system: OverlayDiff | undefined;
    const beaconRoot = block.header.parentBeaconBlockRoot;
    if (fork >= Fork.Cancun && beaconRoot && state.get(BEACON_ROOTS)?.code.length) {
      try {
        const r = engine.systemCall(SYSTEM_ADDRESS, hexToBytes(BEACON_ROOTS), beaconRoot, 30_000_000n);
        system = engine.promoteOverlay();
        notes.push(`EIP-4788: parent beacon block root stored by the system call (${STATUS_NAMES[r.status] ?? r.status}, ${r.gasUsed} gas, outside the block's gas)`);
      } catch (e) {
        if (e instanceof ParevmError) throw new BlockError(e.code, `EIP-4788 system call: ${e.message}`);
        throw e;
      }
    }
    const t2 = performance.now();

    // transactions: in parallel (Block-STM) when it can win, else in order on this thread
    const stats: BlockStats = { txs: txs.length, workers: 1, sendersRecovered: recover.length, senderThreads, executions: txs.length, reexecutions: 0, validations: 0, aborts: 0, dependencyWaits: 0, ms: { senders: 0, load: 0, execute: 0, finalize: 0, total: 0 } };
    // receipts are built as results come in (in parallel: between the coordinator's tasks, while the pool works)
    let built = new BlockReceipts(txs, block.header.gasLimit);
    let ran = false;
    let parTable: number | undefined; // a parallel block's transaction table, when every result is in its record
    let parFree: { at: number; end: number } | undefined; // and the free part of its input region
    let fallback: string | undefined;
    let mode: BlockResult['mode'] = 'sequential';
    if (this.workers > 1) {
      // A parallel block costs ~1-3 ms of fixed overhead (thread hand-off, scheduler and table set-up,
      // finalisation): measured on the bundled 48-transaction block, it loses 0.2x to sequential.
      const gas = block.header.gasUsed ?? limits;
      let work = gas;
      const chains = senderChains(txs);
      if (!this.options.alwaysParallel && txs.length < this.workers * MIN_TXS_PER_WORKER) fallback = `${txs.length} transactions for ${this.workers} workers: too few to gain from parallel execution`;
      else if (!this.options.alwaysParallel && (work = workGas(gas, txs, state, BigInt(this.workers) * MIN_GAS_PER_WORKER)) < BigInt(this.workers) * MIN_GAS_PER_WORKER) fallback = `${gas} gas for ${this.workers} workers (${work} counting each plain transfer as ${PLAIN_TRANSFER_GAS}): too little work to gain from parallel execution`;
      else if (!this.options.alwaysParallel && chains.chainGas * 2n > limits) fallback = `one sender's transactions carry ${chains.chainGas} of the ${limits} gas of the limits: a nonce chain that long runs one transaction after another in any mode`;
      else {
        const par = await this.runParallel(engine, txs, stats, built, this.options.senderHints !== false ? chains.hints : undefined, input.startFirst);
        parTable = par.txTable;
        parFree = par.free;
        if (par.fallback !== undefined) {
          fallback = par.fallback;
          built = new BlockReceipts(txs, block.header.gasLimit);
          engine.beginBlock(envFor(block, fork, chain, blockHashes)); // an empty overlay for the sequential run
        } else {
          ran = true;
          mode = 'parallel';
          if (stats.sequentialFrom !== undefined) notes.push(`too many re-executions (${stats.aborts + stats.dependencyWaits} of ${stats.executions - (txs.length - stats.sequentialFrom)} incarnations): transactions ${stats.sequentialFrom}..${txs.length - 1} ran sequentially`);
        }
      }
      if (fallback) notes.push(`ran sequentially: ${fallback}`);
    }
    if (!ran) {
      try {
        this.runSequential(engine, txs, built);
      } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError)) throw e;
        this.engine = undefined; // a trapped instance is not trusted again
        throw new BlockError('ENGINE_TRAP', `the engine trapped: ${e.message}`);
      }
    }
    if (built.error) throw built.error;
    const { receipts, cumulative, blobGas } = built;
    const t3 = performance.now();
    // A parallel block's receipts root is computed by a pool thread from the records meanwhile (never rejects).
    const poolRoot = fork >= Fork.Byzantium && parTable !== undefined ? this.receiptsRootOnPool(parTable, txs.length) : undefined;
    try {
      // after the transactions: rewards before the Merge, withdrawals from Shanghai
      const reward = blockReward(fork);
      if (reward > 0n) {
        const uncles = block.uncleHeaders;
        if (block.uncles.length > 0 && !uncles) notes.push(`block has ${block.uncles.length} uncle(s) but no uncle headers were given: uncle rewards are not applied`);
        engine.credit(block.header.miner, reward + (reward / 32n) * BigInt(uncles?.length ?? 0));
        for (const u of uncles ?? []) engine.credit(u.miner, ((u.number + 8n - block.header.number) * reward) / 8n);
      }
      if (fork >= Fork.Shanghai) for (const w of block.withdrawals ?? []) engine.credit(w.address, w.amount * GWEI);

      const overlay = engine.readOverlay();
      // The system call's writes were moved to the base state: its accounts are the transactions' pre-state.
      const below = system ? applyDiff(state, system) : state;
      const diff = blockDiff(state, below, overlay, system);
      let stateRoot: Uint8Array | undefined;
      if (fullState) {
        const ps = postStateAccounts(below, overlay);
        let keys: Uint8Array | undefined;
        // (the accounts' keys are hashed while the pool thread finishes its storage roots)
        const roots = parFree ? await this.storageRootsOnPool(ps.storages, engine, parFree, poolRoot, stats, () => { keys = postStateKeys(ps); }) : ps.storages.map(storageRootOf);
        stateRoot = postStateRootOf(ps, roots, keys);
      }
      const bloom = orBlooms(receipts.map((r) => r.logsBloom));
      const fromPool = poolRoot ? await poolRoot : null;
      if (poolRoot) stats.receiptsRootOnPool = fromPool !== null;
      const rr = fork >= Fork.Byzantium ? fromPool ?? computeReceiptsRoot(receipts) : undefined;
      if (!rr) notes.push('receipts before Byzantium embed intermediate state roots: the receipts root is not computed');
      const h = block.header;
      const checks: BlockResult['checks'] = {};
      if (h.gasUsed !== undefined) checks.gasUsed = h.gasUsed === cumulative;
      if (h.logsBloom) checks.logsBloom = bytesEqual(h.logsBloom, bloom);
      if (h.receiptsRoot && rr) checks.receiptsRoot = bytesEqual(h.receiptsRoot, rr);
      if (h.stateRoot && stateRoot) checks.stateRoot = bytesEqual(h.stateRoot, stateRoot);
      const t4 = performance.now();
      stats.ms = { senders: t1 - t0, load: t2 - t1, execute: t3 - t2, finalize: t4 - t3, total: t4 - t0 };
      if (fetched) stats.provider = fetched;
      return { fork, mode, gasUsed: cumulative, blobGasUsed: blobGas, receipts, logsBloom: bloom, receiptsRoot: rr, stateRoot, diff, checks, notes, fallback, stats };
    } finally {
      // (a block that failed in finalisation still leaves the pool thread's records alone until it is done)
      if (poolRoot) await poolRoot;
    }
  }

  /**
   * Asks the serving pool thread of slot 0 for the receipts root of the parallel block just done, from its
   * records (finalize.ts). Undefined when no thread serves; resolves to null when the thread declined, or
   * failed (the pool is then discarded and the next parallel block starts a new one). Never rejects.
   */
  private receiptsRootOnPool(txTable: number, n: number): Promise<Uint8Array | null> | undefined {
    const sv = this.serving, pool = this.options.pool ?? this.pool;
    if (!sv || sv.settled || !pool) return undefined;
    const seq = ++this.blockSeq;
    postReceiptsRoot(sv.memory, sv.layout, seq, n, txTable, this.options.debugReceiptsRoot);
    return this.served(sv, seq, pool.size).then(() => servedReceiptsRoot(sv.memory, sv.layout), async () => { await this.dropPool(sv, pool); return null; });
  }

  /**
   * After a serving thread failed outside a block (finalisation), as after a worker that died in one: a new
   * pool next time, and a new engine (the dead thread's arena slot cannot be claimed again in this one).
   */
  private async dropPool(sv: Serving, pool: WorkerPool): Promise<void> {
    if (this.serving === sv) this.serving = undefined;
    if (this.pool === pool) {
      this.pool = undefined;
      await pool.close().catch(() => undefined);
    }
    if (this.engine?.memory === sv.memory) this.engine = undefined;
  }

  /**
   * The storage roots of a parallel block's post-state accounts, about half of their entries' worth computed
   * by the serving pool thread of slot 0 (from entries written into the free input region, trie.ts
   * writeStorageEntries) while this thread computes the rest. Everything here when no thread serves, the
   * storage is small or does not fit, or the thread declines or dies (the pool and engine are then discarded,
   * as after receiptsRootOnPool). `before`: the pool's previous request, which must be reported first;
   * `meanwhile`: more work for this thread while the pool thread works (run only then).
   */
  private async storageRootsOnPool(storages: Iterable<readonly [bigint, bigint]>[], engine: Engine, free: { at: number; end: number }, before: Promise<unknown> | undefined, stats: BlockStats, meanwhile: () => void): Promise<Uint8Array[]> {
    const n = storages.length;
    const roots: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(n);
    const local = () => { for (let i = 0; i < n; i++) roots[i] ??= storageRootOf(storages[i]); return roots as Uint8Array[]; };
    const size = (st: Iterable<readonly [bigint, bigint]>) => (st instanceof Map ? st.size : Array.isArray(st) ? st.length : -1);
    let total = 0;
    for (const st of storages) { const k = size(st); if (k < 0) return local(); total += k; }
    // (little storage: no waiting for the pool thread's receipts root, all here at once)
    if (total < MIN_POOL_STORAGE_ENTRIES || !this.serving) return local();
    if (before) await before;
    const sv = this.serving, pool = this.options.pool ?? this.pool;
    if (!sv || sv.settled || !pool || sv.memory !== engine.memory) return local();
    // the pool's share: accounts from the end until half of the entries (writing one costs this thread ~0.3 us,
    // its root ~3 us)
    const mine: number[] = [];
    let share = 0;
    for (let i = n - 1; i >= 0 && share * 2 < total; i--) { const k = size(storages[i]!); if (k > 0) { mine.push(i); share += k; } }
    const u8 = engine.u8(), dv = engine.dv();
    const index = Math.ceil(free.at / 64) * 64, out = index + 8 * mine.length;
    let at = out + 32 * mine.length;
    for (let k = 0; k < mine.length; k++) {
      const count = writeStorageEntries(u8, at, free.end, storages[mine[k]!]!);
      if (count < 0) return local();
      dv.setUint32(index + 8 * k, at, true);
      dv.setUint32(index + 8 * k + 4, count, true);
      at += count * STORAGE_ENTRY_BYTES;
    }
    const seq = ++this.blockSeq;
    postStorageRoots(sv.memory, sv.layout, seq, mine.length, index, out, this.options.debugStorageRoots);
    const pending = this.served(sv, seq, pool.size).then(() => servedStorageRoots(sv.memory, sv.layout), async () => { await this.dropPool(sv, pool); return false; });
    try {
      const taken = new Set(mine);
      for (let i = 0; i < n; i++) if (!taken.has(i)) roots[i] = storageRootOf(storages[i]);
      meanwhile();
    } finally {
      // (the thread reads the entries until it reports: never leave while it may)
      if (await pending) {
        for (let k = 0; k < mine.length; k++) roots[mine[k]!] = u8.slice(out + 32 * k, out + 32 * k + 32);
        stats.storageRootsOnPool = mine.length;
      }
    }
    return local();
  }

  /** The transactions one after another on this thread; the block overlay carries each one's writes forward. */
  private runSequential(engine: Engine, txs: ExecTx[], out: BlockReceipts): void {
    let p = engine.inputBase;
    const limit = engine.inputBase + engine.opts.inputBytes;
    for (let i = 0; i < txs.length; i++) {
      if (i === this.options.debugTrapTx) engine.fns.debugTrap();
      if (p + inputBound(txs[i], 512) > limit) p = engine.inputBase; // one transaction at a time here: reuse the region
      engine.setBlockGasUsed(out.cumulative, out.blobGas);
      const resPtr = engine.writeTx(p, txs[i]);
      out.add(engine.runTx(p, resPtr, false));
      if (out.error) break; // the block is invalid: the caller reports this transaction
    }
  }

  /**
   * Learns a block's pre-state from a provider (see src/provider.ts): prefetch of the keys a block visibly
   * needs, rounds in which every transaction runs alone on the pre-state and all the keys the round missed are
   * fetched together, then one sequential pass in the engine's strict mode that fetches each key a
   * transaction still misses and runs that transaction again. Returns the state fetched, as a prestateTracer-like WorldState.
   */
  private async discover(provider: StateProvider, block: Block, fork: Fork, chain: ChainConfig, txs: ExecTx[], hashes?: Map<bigint, Uint8Array>): Promise<{ state: WorldState; blockHashes: Map<bigint, Uint8Array>; stats: FetchStats; hasStorage: ReadonlySet<string> }> {
    const t0 = performance.now();
    const f = new StateFetcher(provider);
    const h = block.header;
    const hex = bytesToHex;
    const wrap = async <T>(p: Promise<T>): Promise<T> => {
      try { return await p; } catch (e) {
        if (e instanceof ParevmError) throw new BlockError(e.code, e.message, undefined, e.field);
        throw new BlockError('STATE_MISSING', `the state provider failed: ${(e as Error).message}`);
      }
    };
    const pre: Promise<unknown>[] = [f.account(hex(h.miner)), f.account(BEACON_ROOTS)];
    for (const t of txs) {
      pre.push(f.account(hex(t.sender)));
      if (t.tx.to) pre.push(f.account(hex(t.tx.to)));
      for (const e of t.tx.accessList) {
        pre.push(f.account(hex(e.address)));
        for (const k of e.storageKeys) pre.push(f.slot(hex(e.address), BigInt(hex(k))));
      }
    }
    for (const w of block.withdrawals ?? []) pre.push(f.account(hex(w.address)));
    for (const u of block.uncleHeaders ?? []) pre.push(f.account(hex(u.miner)));
    const hashesP = hashes ? Promise.resolve(hashes) : f.blockHashes(h.number);
    await wrap(Promise.all(pre));
    const blockHashes = await wrap(hashesP);

    // the sequential pass: its own engine sized for what a block of this many transactions may read
    this.discoveryEngine ??= new Engine({ accounts: 1 << 16, slots: 1 << 18, ...this.options.engine });
    const engine = this.discoveryEngine;
    engine.loadState(new Map());
    const load = async (key: { address: string; slot?: bigint }) => {
      if (key.slot === undefined) {
        await wrap(f.account(key.address));
        const a = f.accounts.get(key.address);
        if (a) engine.loadAccount(key.address, a, { partial: true, hasStorage: f.hasStorage.has(key.address) });
        else engine.loadAbsent(key.address);
      } else {
        await wrap(f.slot(key.address, key.slot));
        engine.loadSlot(key.address, key.slot, f.accounts.get(key.address)?.storage.get(key.slot) ?? 0n);
      }
      f.stats.reruns++;
    };
    for (const [a, acct] of f.accounts) engine.loadAccount(a, acct, { partial: true, hasStorage: f.hasStorage.has(a) });
    for (const a of f.absent) engine.loadAbsent(a);
    engine.setStrict(true);
    try {
      engine.beginBlock(envFor(block, fork, chain, blockHashes));
      const beaconRoot = h.parentBeaconBlockRoot;
      if (fork >= Fork.Cancun && beaconRoot && f.accounts.get(BEACON_ROOTS)?.code.length) {
        for (;;) {
          const r = engine.systemCall(SYSTEM_ADDRESS, hexToBytes(BEACON_ROOTS), beaconRoot, 30_000_000n);
          if (r.status !== ST_BLOCKED) break;
          await load(engine.missingKey());
        }
        engine.promoteOverlay();
      }
      const p = engine.inputBase;
      // Speculative rounds: every transaction alone on the pre-state (an empty overlay each), and all the
      // keys a round missed fetched together (one JSON-RPC batch), until none misses. Reads that depend on
      // earlier transactions' writes are left to the sequential pass below.
      let pending = txs.map((_, i) => i);
      for (let round = 0; round < SPECULATIVE_ROUNDS && pending.length > 0; round++) {
        const misses: MissingKey[] = [];
        const again: number[] = [];
        for (const i of pending) {
          engine.fns.beginBlock(engine.envPtr);
          const res = engine.writeTx(p, txs[i]);
          if (engine.fns.executeTx(p, res) === ST_BLOCKED) { misses.push(engine.missingKey()); again.push(i); }
        }
        await Promise.all(misses.map(load));
        pending = again;
      }
      engine.fns.beginBlock(engine.envPtr);
      let cumulative = 0n, blobGas = 0n;
      run: for (let i = 0; i < txs.length; i++) {
        for (;;) {
          engine.setBlockGasUsed(cumulative, blobGas);
          const res = engine.writeTx(p, txs[i]);
          const st = engine.fns.executeTx(p, res);
          if (st === ST_BLOCKED) { await load(engine.missingKey()); continue; }
          if (st >= 0x40) break run; // an invalid transaction (or an engine condition): the real run reports it
          const dv = engine.dv();
          cumulative += dv.getBigUint64(res + engine.abi.R_GAS_USED, true);
          blobGas += dv.getBigUint64(res + engine.abi.R_BLOB_GAS_USED, true);
          break;
        }
      }
    } finally {
      engine.setStrict(false);
    }
    // the accounts the block's end credits (rewards, withdrawals) were prefetched above
    f.stats.ms = performance.now() - t0;
    // (with the accounts known to have storage: the state lists only the slots read, and a creation over an
    // account with storage must collide in the real run too, EIP-7610)
    return { state: f.worldState(), blockHashes, stats: f.stats, hasStorage: f.hasStorage };
  }

  /**
   * The senders of the transactions `which` (null where no key recovers) and the threads that recovered them:
   * the worker threads when the executor has them and there are enough signatures, else this thread. Signature values were checked by
   * validateTxStatic; the signing hashes are computed here (~4 us each against ~300 us per recovery).
   */
  private async recoverSenders(txs: ExecTx[], which: number[]): Promise<{ senders: (Uint8Array | null)[]; threads: number }> {
    if (this.workers < 2 || which.length < MIN_PARALLEL_SENDERS) {
      return { senders: which.map((i) => recoverAddress(signingHash(txs[i].tx), txs[i].tx.r, txs[i].tx.s, txs[i].tx.yParity)), threads: 1 };
    }
    const buffer = new SharedArrayBuffer(SENDER_HEADER + which.length * SENDER_RECORD);
    const u8 = new Uint8Array(buffer);
    which.forEach((i, k) => {
      const p = SENDER_HEADER + k * SENDER_RECORD, tx = txs[i].tx;
      u8.set(signingHash(tx), p);
      u8.set(bigIntToBytes(tx.r, 32), p + 32); // r and s are below the group order (validateTxStatic)
      u8.set(bigIntToBytes(tx.s, 32), p + 64);
      u8[p + 96] = tx.yParity;
    });
    const pool = await this.poolFor(this.poolSize);
    await this.stopServing(); // the threads take these tasks through the pool
    const task: SendersTask = { kind: 'senders', buffer, n: which.length };
    try {
      const running = pool.runOnAll(Array.from({ length: pool.size }, () => task));
      if (this.coordinatorWorks) recoverSendersHere(task); // this thread takes chunks too
      await running;
    } catch (e) {
      await this.pool?.close().catch(() => undefined);
      this.pool = undefined;
      this.serving = undefined;
      throw new BlockError('WORKER_FAILED', `a worker thread failed recovering senders: ${(e as Error).message}`);
    }
    const senders = which.map((_, k) => {
      const p = SENDER_HEADER + k * SENDER_RECORD;
      return u8[p + 97] === 1 ? u8.slice(p + 108, p + 128) : null;
    });
    return { senders, threads: this.workers };
  }

  /**
   * The pool threads serving `engine`'s blocks (worker.ts, "serving blocks"): started once per engine and
   * pool; a running serve task of an earlier engine is stopped first.
   */
  private async serve(engine: Engine, pool: WorkerPool): Promise<Serving> {
    const cur = this.serving;
    if (cur && cur.engineId === this.engineId && !cur.settled) return cur;
    await this.stopServing();
    const first = this.poolEngineId !== this.engineId;
    const L = engine.parallel!;
    const t: ServeTask = { kind: 'serve', module: first ? wasmModule() : undefined, memory: first ? engine.memory : undefined, layout: L, engineId: this.engineId, seq: this.blockSeq };
    this.poolEngineId = this.engineId;
    const sv: Serving = { engineId: this.engineId, memory: engine.memory, layout: L, settled: false, promise: pool.runOnAll(Array.from({ length: pool.size }, () => t)) };
    sv.promise.then(() => { sv.settled = true; }, () => { sv.settled = true; });
    this.serving = sv;
    return sv;
  }

  /** Ends the serve tasks (before the pool runs other tasks, or closes). */
  private async stopServing(): Promise<void> {
    const sv = this.serving;
    this.serving = undefined;
    if (!sv) return;
    if (!sv.settled) postStop(sv.memory, sv.layout, ++this.blockSeq);
    await sv.promise.catch(() => undefined);
  }

  /**
   * The serving threads' reports of block `seq`; rejects when a thread stopped serving (it died or failed).
   * One poll per event-loop turn: the callers post a request and go on with other work before they await the
   * answer (200 polls at the post, when it cannot be there yet, cost the calling thread ~40-50 us: a view over
   * the shared buffer each).
   */
  private async served(sv: Serving, seq: number, threads: number): Promise<WorkerReport[]> {
    for (;;) {
      const r = reportsNow(sv, seq, threads, 1);
      if (r) return r;
      if (sv.settled) {
        await sv.promise; // rejects with the thread's error
        throw new Error('a pool thread stopped serving blocks');
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private async poolFor(n: number): Promise<WorkerPool> {
    if (this.options.pool) return this.options.pool;
    if (!this.pool || this.pool.size !== n) {
      await this.stopServing();
      await this.pool?.close();
      this.pool = await createPiscinaPool(n);
      this.poolEngineId = 0;
    }
    return this.pool;
  }

  /**
   * Block-STM over the worker pool. Returns the per-transaction results, or a reason to run sequentially
   * instead (a shared region ran out). A worker that dies rejects with a BlockError; the executor then
   * discards its pool and stays usable.
   */
  private async runParallel(engine: Engine, txs: ExecTx[], stats: BlockStats, built: BlockReceipts, hints?: Int32Array, startFirst?: number[]): Promise<{ fallback?: string; txTable?: number; free?: { at: number; end: number } }> {
    const t0w = performance.now();
    const L = engine.parallel!;
    const abi = engine.abi;
    const n = txs.length;
    const al = (x: number) => Math.ceil(x / 64) * 64;
    let p = al(engine.inputBase);
    const txTable = p; p = al(p + n * 8);
    const txio = p; p = al(p + n * abi.TX_IO_SIZE);
    const results = p; p = al(p + n * abi.R_SIZE);
    const sched = p; p = al(p + Scheduler.bytesFor(n));
    const haltWord = p; p += 64;
    const writtenWord = p; p += 64;
    const hintsAt = p; p = al(p + n * 4);
    const first = this.startFirstList(txs, hints, startFirst);
    const firstAt = p; p = al(p + 4 + first.length * 4);
    const learn = this.options.slowFirst !== false;
    const timesAt = p; p = al(p + n * 4);
    const limit = engine.inputBase + engine.opts.inputBytes;
    // (result records need no zeroing: the engine writes every byte of one when its transaction ends)
    engine.fns.zeroBytes(txio, n * abi.TX_IO_SIZE);
    engine.fns.zeroBytes(sched, p - sched);
    // the inputs' room first: a block that does not fit falls back before any thread starts; the
    // transactions worth timing are marked on the way
    const times = learn ? new Float32Array(engine.memory.buffer, timesAt, n) : undefined;
    const inputsAt = p;
    for (let i = 0; i < n; i++) {
      p = al(p + inputBound(txs[i], 1024));
      if (times !== undefined && txs[i].tx.gasLimit >= TIMED_GAS) times[i] = -1;
    }
    if (p > limit) return { fallback: 'the block input region is too small' };
    if (first.length > 0) {
      new Int32Array(engine.memory.buffer, firstAt, 1 + first.length).set([first.length, ...first]);
      stats.startFirst = first;
    }
    const useHints = hints !== undefined;
    if (hints) new Int32Array(engine.memory.buffer, hintsAt, n).set(hints);
    const tw = performance.now();
    engine.setBlockGasUsed(0n, 0n); // the block's gas limits are checked in order afterwards
    engine.fns.mvInit(L.mvDesc, L.mvTable, L.mvLocations, L.mvHeap, L.mvHeapBytes);
    Scheduler.init(engine.memory.buffer as unknown as SharedArrayBuffer, sched, n, true);
    const pool = await this.poolFor(this.poolSize);
    const bail = this.options.bail === false ? undefined : { minExecutions: Math.max(32, 8 * L.workers), ratio: 0.25, ...this.options.bail };
    // The pool threads serve this engine's blocks from the control region (one task per engine, no message
    // per block); a custom pool of more threads than the region has lines gets one task per block.
    const serving = pool.size <= MAX_SERVING_THREADS ? await this.serve(engine, pool) : undefined;
    // the module and memory go to the threads once per engine (they keep their instance)
    const firstBlock = this.poolEngineId !== this.engineId;
    const task: BlockTask = { module: firstBlock ? wasmModule() : undefined, memory: firstBlock ? engine.memory : undefined, layout: L, engineId: this.engineId, n, txTable, txio, sched, hints: useHints ? hintsAt : 0, haltWord, writtenWord, first: first.length > 0 ? firstAt : 0, times: learn ? timesAt : 0, chaos: this.options.chaos, idle: this.options.debugPoolIdle === true && this.coordinatorWorks, trapTx: this.options.debugTrapTx, exitTx: this.options.debugExitTx, bail };
    const own: BlockTask = { ...task, memory: engine.memory };
    let reports: WorkerReport[];
    const tDispatch = performance.now();
    const words = new Int32Array(engine.memory.buffer);
    const halt = () => Atomics.store(words, haltWord >> 2, 1);
    let running: Promise<WorkerReport[]> | undefined;
    let settled = false;
    const seq = serving ? ++this.blockSeq : 0;
    if (serving) postBlock(engine.memory, L, seq, task);
    else {
      running = pool.runOnAll<WorkerReport>(Array.from({ length: pool.size }, () => task));
      running.then(() => { settled = true; }, () => { settled = true; });
    }
    // The threads' reports (a serving thread's are polled only from here on: it cannot report before the end).
    const finished = (): Promise<WorkerReport[]> => (running ??= this.served(serving!, seq, pool.size));
    // The inputs, while the pool threads start on the first ones: published in groups of WRITE_GROUP (a
    // worker that takes a transaction not yet written waits for it). Writing costs ~0.5 us per raw transfer,
    // running one in parallel ~2 us: the threads rarely wait.
    const table = new Uint32Array(engine.memory.buffer, txTable, n * 2);
    p = inputsAt;
    try {
      for (let i = 0; i < n; i++) {
        table[i * 2] = p;
        table[i * 2 + 1] = results + i * abi.R_SIZE;
        p = al(engine.writeTx(p, txs[i]));
        built.note(i, txs[i].tx);
        if ((i + 1) % WRITE_GROUP === 0 || i === n - 1) Atomics.store(words, writtenWord >> 2, i + 1);
      }
    } catch (e) {
      halt(); // (an input that does not fit the engine's record: the block is not run)
      await finished().catch(() => undefined);
      throw e;
    }
    const tWritten = performance.now();
    const ended = () => settled || serving?.settled === true;
    let mine: WorkerReport | undefined;
    // Results are read, and writes applied to the block overlay, as transactions commit (commitReader),
    // between the coordinator's tasks: work that would otherwise run alone after the block.
    const commits: Commits = { count: 0, out: built, failedTx: -1, failedInc: 0, overlayFull: false, maxFinishSeq: 0 };
    if (this.coordinatorWorks) {
      // This thread is worker slot `workers - 1` (the pool threads take 0 .. workers - 2): it runs tasks
      // while there are any, yields to its event loop when there are none, and comes back until the block
      // is done or halted, or a pool thread ended.
      const s0 = new Scheduler(engine.memory.buffer as unknown as SharedArrayBuffer, sched, n);
      const readCommitted = () => commitReader(engine, s0, commits, results, n, false);
      try {
        attachWorker(engine.fns, L.workers - 1, own);
        for (;;) {
          const r = workerLoop(engine.fns, L.workers - 1, own, false, readCommitted);
          mine = mine ? { ...mine, executions: mine.executions + r.executions, validations: mine.validations + r.validations, fatal: r.fatal || mine.fatal, ms: mine.ms + r.ms } : r;
          if (s0.done() || Atomics.load(words, haltWord >> 2) !== 0 || ended()) break;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      } catch (e) {
        halt();
        await finished().catch(() => undefined);
        this.engine = undefined; // a trapped instance is not trusted again
        if (e instanceof WebAssembly.RuntimeError) throw new BlockError('ENGINE_TRAP', `the engine trapped: ${e.message}`);
        throw e;
      }
    }
    const tLoopEnd = performance.now();
    try {
      // The serving threads have usually reported by now: their reports are read at once, not after an
      // event-loop turn. Such a turn runs the garbage-collection tasks V8 posted during the block (a scavenge
      // of 5-8 ms after about one raw-transfer block in three) here, while everything waits for it; without
      // it they run in the wait for the pool thread's receipts root, when this thread has nothing else to do.
      // A sequential block has no turn inside its execution either.
      reports = (serving ? reportsNow(serving, seq, pool.size, REPORT_POLLS) : null) ?? await finished();
    } catch (e) {
      halt();
      this.serving = undefined;
      await this.pool?.close().catch(() => undefined);
      this.pool = undefined;
      this.engine = undefined; // its memory may hold a half-run block: start afresh next time
      throw new BlockError('WORKER_FAILED', `a worker thread failed: ${(e as Error).message}`);
    }
    this.poolEngineId = this.engineId;
    if (mine) reports = [...reports, mine];
    if (process.env.PAREVM_DEBUG) console.error('[parevm] workers', JSON.stringify(reports), 'layout', (tw - t0w).toFixed(1), 'init', (tDispatch - tw).toFixed(1), 'write (threads running)', (tWritten - tDispatch).toFixed(1), 'run', (tLoopEnd - tWritten).toFixed(1), 'reports', (performance.now() - tLoopEnd).toFixed(1), 'ms');
    const fatal = reports.find((r) => r.fatal !== 0);
    if (fatal) return { fallback: `a shared region ran out in parallel execution (${STATUS_NAMES[fatal.fatal] ?? fatal.fatal})` };
    const tFin = performance.now();
    const s = new Scheduler(engine.memory.buffer as unknown as SharedArrayBuffer, sched, n);
    engine.fns.parallelAttach(L.mvDesc, txio, 0, 0); // the coordinator reads the block's records from here on
    // The rest of the commits. Bailed out (too many re-executions): the committed prefix is the executed
    // transactions that still validate, in order (each reads only versions of the ones before it, all final);
    // the rest runs here, sequentially.
    const readEarly = commits.count;
    const bailed = Atomics.load(words, haltWord >> 2) === HALT_BAIL;
    if (bailed) {
      commits.failedTx = -1; // (a failure seen during the block may have been a transient ESTIMATE)
      commitReader(engine, s, commits, results, n, false);
    } else if (!s.done()) return { fallback: 'the scheduler did not finish' };
    else commitReader(engine, s, commits, results, n, true);
    const committed = commits.count;
    // the overlay holds the committed transactions' writes, all but the coinbase's balance
    if (commits.overlayFull || !engine.fns.finalizeCoinbase(committed)) return { fallback: 'the block overlay is full' };
    if (!bailed && committed < n) return { fallback: 'a transaction did not commit' };
    const c = s.counters();
    stats.workers = L.workers;
    stats.executions = c.executions + (n - committed);
    stats.reexecutions = stats.executions - n;
    stats.validations = c.validations;
    stats.aborts = c.aborts;
    stats.dependencyWaits = c.dependencies;
    stats.senderWaits = c.hints;
    if (first.length > 0) stats.startedFirst = c.firsts;
    if (times !== undefined) this.learnSlow(txs, times);
    const tDeps = performance.now();
    const deps: Record<number, number[]> = {};
    const scratchPtr = engine.staging;
    const maxDeps = 8192; // the staging buffer holds 16,384 u32s; more than this per transaction is cut off
    for (let i = 0; this.options.dependencyGraph && i < committed; i++) {
      const k = engine.fns.txDependencies(i, scratchPtr, maxDeps);
      if (k === 0) continue;
      const set = new Set(new Uint32Array(engine.memory.buffer, scratchPtr, k));
      deps[i] = [...set].sort((a, b) => a - b);
    }
    if (this.options.dependencyGraph) stats.dependencies = deps;
    const tRes = performance.now();
    if (bailed) {
      // the rest in order on this thread, over the overlay that now holds the committed prefix
      stats.sequentialFrom = committed;
      for (let i = committed; i < n; i++) {
        commits.out.add(engine.runTx(table[i * 2], table[i * 2 + 1], false));
        if (commits.out.error) break;
      }
    }
    if (process.env.PAREVM_DEBUG) console.error('[parevm] finalize', (tDeps - tFin).toFixed(1), 'deps', (tRes - tDeps).toFixed(1), 'results', (performance.now() - tRes).toFixed(1), 'ms', `(${readEarly} of ${n} read during the block)`);
    // Every result is in its record unless the block was finished on this thread (its logs are then reused);
    // either way the input region after the inputs is free until the next block (storage for the pool's roots).
    return bailed ? { free: { at: p, end: limit } } : { txTable, free: { at: p, end: limit } };
  }

  /**
   * The start-first list of a parallel block: the caller's indices (checked by execute), then the transactions to
   * contracts remembered as slow, slowest first, leaving out those that wait for an earlier transaction of
   * their sender anyway (`hints`); at most MAX_START_FIRST.
   */
  private startFirstList(txs: ExecTx[], hints: Int32Array | undefined, given: number[] | undefined): number[] {
    const out: number[] = [];
    const seen = new Set<number>();
    for (const i of given ?? []) {
      if (!seen.has(i) && out.length < MAX_START_FIRST) { seen.add(i); out.push(i); }
    }
    if (this.options.slowFirst === false || this.slowCounted === 0) return out;
    const found: { i: number; ms: number }[] = [];
    const per = new Map<number, number>();
    for (let i = 0; i < txs.length; i++) {
      const t = txs[i].tx;
      if (t.to === null || t.gasLimit < TIMED_GAS || seen.has(i) || (hints !== undefined && hints[i] >= 0)) continue;
      const key = addressKey(t.to);
      const e = this.slow.get(key);
      const taken = per.get(key) ?? 0;
      if (e === undefined || e.blocks < 2 || taken >= 2 || !bytesEqual(e.address, t.to)) continue;
      per.set(key, taken + 1);
      found.push({ i, ms: e.ms });
    }
    found.sort((a, b) => b.ms - a.ms || a.i - b.i);
    for (const f of found) if (out.length < MAX_START_FIRST) out.push(f.i);
    return out;
  }

  /** slowFirst: remembers the contracts of this block's slow executions (times: ms, 0 or -1 = not timed). */
  private learnSlow(txs: ExecTx[], times: Float32Array): void {
    const seen = new Map<number, { address: Uint8Array; ms: number }>();
    for (let i = 0; i < txs.length; i++) {
      const ms = times[i];
      if (ms <= 0 || (ms < SLOW_TX_MS && this.slow.size === 0)) continue;
      const to = txs[i].tx.to;
      if (to === null) continue;
      const key = addressKey(to);
      const known = this.slow.get(key);
      // (another address with the same key: the slow one takes the entry)
      if (ms < SLOW_TX_MS && (known === undefined || !bytesEqual(known.address, to))) continue;
      const s = seen.get(key);
      if (s === undefined || (ms > s.ms && ms >= SLOW_TX_MS)) seen.set(key, { address: to, ms });
    }
    for (const [key, { address, ms }] of seen) {
      const old = this.slow.get(key);
      const same = old !== undefined && bytesEqual(old.address, address);
      const v = Math.max(ms, same ? old.ms / 2 : 0);
      if (old !== undefined) {
        this.slow.delete(key); // (re-inserted last: the oldest entry is the first one forgotten)
        if (old.blocks >= 2) this.slowCounted--;
      }
      if (v < SLOW_TX_MS) continue;
      const blocks = (same ? old.blocks : 0) + (ms >= SLOW_TX_MS ? 1 : 0);
      this.slow.set(key, { address: address.slice(), ms: v, blocks });
      if (blocks >= 2) this.slowCounted++;
      if (this.slow.size > MAX_SLOW_CONTRACTS) {
        const [k0, e0] = this.slow.entries().next().value as [number, { blocks: number }];
        this.slow.delete(k0);
        if (e0.blocks >= 2) this.slowCounted--;
      }
    }
  }

  /** Releases the engine and stops the worker threads. */
  async close(): Promise<void> {
    await this.stopServing();
    this.engine = undefined;
    this.discoveryEngine = undefined;
    const p = this.pool;
    this.pool = undefined;
    await p?.close();
  }
}

/**
 * A block's receipts, built in transaction order as the results come in: each result is checked (valid, within
 * the block's gas limit and blob gas), and the first reason the block is invalid is kept in `error` (thrown by
 * execute once the transactions ran) instead of thrown; later results are then ignored. Building them as the
 * results are read lets a parallel block do it while the pool threads still execute, not after the block.
 */
class BlockReceipts {
  readonly receipts: Receipt[] = [];
  cumulative = 0n;
  blobGas = 0n;
  error?: BlockError;
  /**
   * Each transaction's gas limit (NaN: not noted; Infinity: 2^53 or more) and type, noted (`note`) while a
   * parallel block writes its input. Its commit comes long after, and reading them back from the transaction
   * objects then (dependent cache misses) cost ~0.25 us per raw transfer, 7-9% of a parallel block of them on
   * one thread (bench/README entry 75). A sequential block reads the objects, in cache from writing the input.
   */
  private readonly limits: Float64Array;
  private readonly types: Uint8Array;
  /** min(the block's gas limit, 2^52) as a number: `limit <= gasLimitN - cumulativeN` proves a limit fits. */
  private readonly gasLimitN: number;
  /** `cumulative` as a number (exact below 2^53; above, gasLimitN - cumulativeN < 0 sends add to the BigInts). */
  private cumulativeN = 0;
  constructor(private readonly txs: ExecTx[], private readonly gasLimit: bigint) {
    this.gasLimitN = Number(gasLimit < TWO_52 ? gasLimit : TWO_52);
    this.limits = new Float64Array(txs.length).fill(NaN);
    this.types = new Uint8Array(txs.length);
  }

  /** Notes transaction i's gas limit and type for `add` (while the object is in cache). */
  note(i: number, tx: Tx): void {
    this.limits[i] = tx.gasLimit < TWO_53 ? Number(tx.gasLimit) : Infinity;
    this.types[i] = tx.type;
  }

  add(r: TxResult): void {
    if (this.error) return;
    const i = this.receipts.length;
    if (!r.valid) {
      this.error = new BlockError(STATUS_NAMES[r.status] ?? `STATUS_${r.status}`, `transaction ${i} is invalid: ${STATUS_NAMES[r.status] ?? r.status}`, i);
      return;
    }
    // (sequential runs check these per transaction; parallel runs could not, so they are checked here for both)
    const limit = this.limits[i]!;
    if (!(limit <= this.gasLimitN - this.cumulativeN) && this.txs[i]!.tx.gasLimit > this.gasLimit - this.cumulative) {
      this.error = new BlockError('GAS_ALLOWANCE_EXCEEDED', `transaction ${i}: gas limit ${this.txs[i]!.tx.gasLimit} exceeds the ${this.gasLimit - this.cumulative} gas left in the block`, i);
      return;
    }
    if (r.blobGasUsed !== 0n) { // (most transactions carry no blobs: no BigInt arithmetic for them)
      if (this.blobGas + r.blobGasUsed > 786432n) {
        this.error = new BlockError('TOO_MANY_BLOBS', `transaction ${i}: the block's blob gas would exceed 786432`, i);
        return;
      }
      this.blobGas += r.blobGasUsed;
    }
    this.cumulative += r.gasUsed;
    this.cumulativeN += Number(r.gasUsed);
    this.receipts.push({
      type: limit === limit ? this.types[i]! as TxType : this.txs[i]!.tx.type, status: r.success ? 1 : 0, gasUsed: r.gasUsed, cumulativeGasUsed: this.cumulative,
      logs: r.logs, logsBloom: r.logsBloom, contractAddress: r.contractAddress,
    });
  }
}

const TWO_53 = 1n << 53n;
const TWO_52 = 1n << 52n;

/** Progress of a parallel block's commits (commitReader). */
interface Commits {
  /** Transactions committed so far: their receipts are in `out` and their writes in the block overlay. */
  count: number;
  out: BlockReceipts;
  /** The last transaction whose commit validation failed, and its incarnation then: not tried again until it changes. */
  failedTx: number;
  failedInc: number;
  /** The block overlay ran out of room (the block then runs sequentially). */
  overlayFull: boolean;
  /** The highest finish_seq number of the committed transactions' executions (Scheduler.finishSeq). */
  maxFinishSeq: number;
}

/**
 * Commits the transactions that can commit after `c.count`: reads each one's result into `c.out` and applies
 * its writes to the block overlay (applyWrites), in order. Transaction k commits when every transaction below
 * it committed, it is EXECUTED, and its incarnation validates now: it then read only final values, so its
 * result and writes are final (a validation that raced with this one may still abort it, but its next
 * incarnation reads the same values and gives the same result and writes). The status is read again after
 * the result: an incarnation that started meanwhile may have been rewriting the record, so that read is
 * dropped. `done`: the block is done and every executed incarnation is final (no validation needed).
 * A worker's successful validation of the same incarnation stands in for the commit's own when it began after
 * every committed transaction's last execution had published its writes (Scheduler.validatedSince): it saw
 * final values only. That is the usual case when this thread lags behind the pool (a commit of a raw transfer
 * costs ~1.7 us here against ~2 us for executing and validating it there; its validation ~0.4 us of that).
 */
function commitReader(engine: Engine, s: Scheduler, c: Commits, results: number, n: number, done: boolean): void {
  const { abi } = engine;
  while (c.count < n && !c.overlayFull) {
    const k = c.count;
    const inc = s.executedIncarnation(k);
    if (inc < 0) return;
    if (!done && s.validatedSince(k, inc) < c.maxFinishSeq) {
      if (c.failedTx === k && c.failedInc === inc) return;
      if (!engine.fns.validateTx(k)) { c.failedTx = k; c.failedInc = inc; return; }
    }
    const r = results + k * abi.R_SIZE;
    const status = engine.dv().getInt32(r + abi.R_STATUS, true);
    if (status >= 0x60) return; // (not a result: the block stops on an engine condition)
    const res = engine.readResult(r, status, false);
    if (s.executedIncarnation(k) !== inc) return;
    if (!engine.fns.applyWrites(k)) { c.overlayFull = true; return; }
    c.out.add(res);
    c.count++;
    const f = s.finishSeq(k);
    if (f > c.maxFinishSeq) c.maxFinishSeq = f;
  }
}

const bySlot = (x: { slot: bigint }, y: { slot: bigint }) => (x.slot < y.slot ? -1 : x.slot > y.slot ? 1 : 0);
/**
 * Sorts slot changes by slot: by packedOrder on the top 32 bits of each slot (hashed slots, a mapping's, rarely
 * share them), a short list by the comparator alone.
 */
export function sortBySlot<T extends { slot: bigint }>(items: T[]): void {
  const n = items.length;
  if (n < 64) { items.sort(bySlot); return; }
  const src = items.slice();
  const top = new Uint32Array(n);
  for (let i = 0; i < n; i++) top[i] = Number(src[i]!.slot >> 224n);
  const order = packedOrder(top, (i, j) => bySlot(src[i]!, src[j]!));
  for (let i = 0; i < n; i++) items[i] = src[order[i]!]!;
}

/**
 * The block's state changes against `pre`, from the final overlay (over `below`, the state the transactions
 * started from: `pre` plus the system call's writes). Costs what changed, not the state's size: slots are
 * visited only where the overlay wrote them, or where an account was wiped (self-destruct, creation over
 * leftover storage) and its earlier slots all went.
 */
function blockDiff(pre: WorldState, below: WorldState, overlay: OverlayDiff, system?: OverlayDiff): AccountChange[] {
  const out: AccountChange[] = [];
  // the accounts of both in address order, merged: each list is sorted already (0x-hex strings, as `<` compares them)
  const oa = overlay.addrs, ol = overlay.list;
  const sa = system?.addrs ?? [], sl = system?.list ?? [];
  for (let i = 0, j = 0; i < oa.length || j < sa.length;) {
    let addr: string, a: OverlayAccount | undefined, sys: OverlayAccount | undefined;
    if (j === sa.length || (i < oa.length && oa[i]! < sa[j]!)) { addr = oa[i]!; a = ol[i++]; }
    else if (i === oa.length || sa[j]! < oa[i]!) { addr = sa[j]!; sys = sl[j++]; }
    else { addr = oa[i]!; a = ol[i++]; sys = sl[j++]; }
    const before = pre.get(addr), start = below === pre ? before : below.get(addr);
    let after: AccountState | undefined;
    let wiped = false;
    if (!a || a.fieldsUnchanged) after = start;
    else if (!a.exists) { after = undefined; wiped = true; } else {
      wiped = a.epoch > 0;
      after = { nonce: a.nonce, balance: a.balance, code: a.code, codeHash: a.codeHash, storage: EMPTY_STORAGE };
    }
    let storage: AccountChange['storage'] = NO_SLOT_CHANGES;
    // Slots only where the overlay (or the system call) wrote, or, for a wiped account, every earlier slot;
    // most accounts of most blocks (senders, recipients, the coinbase) have none.
    if (wiped || sys || (a && a.storage.size > 0)) {
      storage = [];
      // slot -> value after the block: in the usual case the slots the block wrote (no map of them)
      let slots: Map<bigint, bigint> = a?.storage ?? EMPTY_STORAGE;
      if (wiped || sys) {
        slots = new Map();
        const valueAfter = (slot: bigint): bigint => {
          const w = a?.storage.get(slot);
          if (w !== undefined) return w;
          return wiped ? 0n : start?.storage.get(slot) ?? 0n;
        };
        const visit = (keys: Iterable<bigint> | undefined) => { for (const slot of keys ?? []) if (!slots.has(slot)) slots.set(slot, valueAfter(slot)); };
        visit(a?.storage.keys());
        visit(sys?.storage.keys());
        if (wiped) { visit(before?.storage.keys()); visit(start?.storage.keys()); }
      }
      for (const [slot, v] of slots) {
        const b0 = before?.storage.get(slot) ?? 0n;
        if (b0 !== v) storage.push({ slot, before: b0, after: v });
      }
      sortBySlot(storage);
    }
    if (!before && !after) continue;
    // (the same code array needs no comparison: 20 KB contracts whose storage alone changed, ~50 ms per 4,000)
    const same = before && after && before.nonce === after.nonce && before.balance === after.balance && (before.code === after.code || bytesEqual(before.code, after.code));
    if (same && storage.length === 0) continue;
    out.push({ address: addr, before, after: after && after !== start ? after : after && { ...after, storage: EMPTY_STORAGE }, storage });
  }
  return out;
}

/** The `storage` of a diff entry without slot changes (most of them): one shared, frozen empty list. */
const NO_SLOT_CHANGES = Object.freeze([]) as unknown as AccountChange['storage'];

/** `after.storage` of a diff entry is not filled in (the changed slots are in `storage`): one shared empty map. */
const EMPTY_STORAGE: Map<bigint, bigint> = new Map();

/** Creates an executor. With `workers` > 1, blocks run in parallel (Block-STM) on that many threads. */
export function createExecutor(options: ExecutorOptions = {}): Executor { return new Executor(options); }

export { forkName };
