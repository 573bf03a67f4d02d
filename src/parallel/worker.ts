// A worker thread of the parallel executor. It instantiates the engine module once over the shared memory
// (claiming its own arena), then for each block runs the Block-STM worker loop: take a task from the shared
// scheduler, execute an incarnation or validate one, report back to the scheduler, until the block is done.
import { isMainThread } from 'node:worker_threads';
import { precompileHostImports } from '../precompiles/host.js';
import { recoverAddressRaw } from '../secp.js';
import { Scheduler, type Task } from './scheduler.js';
import { abiOf, type Abi, type EngineExports } from '../engine/wasm.js';
import { recordsReceiptsRoot } from './finalize.js';
import { storageRootOfEntries } from '../trie.js';
import { CONTROL_BYTES, type ParallelLayout } from '../engine/engine.js';
import { initBn254 } from '../precompiles/bn254.js';

// bn254 precompiles through mcl in a pool thread too (the results are the same with @noble/curves, only
// slower); the calling thread's executor loads it itself
if (!isMainThread) await initBn254();

/** Sent once per block to every worker. */
export interface BlockTask {
  /**
   * The engine module and memory: sent with an engine's first block only (a thread keeps its instance per
   * engineId); structured-cloning them into every block's message cost ~1 ms per block and thread.
   */
  module?: WebAssembly.Module;
  memory?: WebAssembly.Memory;
  layout: ParallelLayout;
  /** Identifies the engine (a new engine means a new memory and a new instance). */
  engineId: number;
  n: number;
  /** Per transaction: [tx record, result record] u32 pairs. */
  txTable: number;
  txio: number;
  sched: number;
  /**
   * Int32 per transaction (0: none): the earlier transaction it is known to depend on (the previous one of
   * its sender: it reads the nonce that one writes), or -1. A first incarnation waits for it instead of
   * running early and being aborted.
   */
  hints: number;
  /** Int32 word: set to non-zero to make every worker stop (a fatal condition or a failed worker). */
  haltWord: number;
  /**
   * Int32 word: how many transactions' inputs the coordinator has written so far (it writes them while the
   * pool threads start; a worker that takes a transaction not yet written waits for it). Invariant: only
   * grows during a block, to n; the inputs of transactions below it do not change until the block ends.
   */
  writtenWord: number;
  /**
   * Byte offset of the start-first list (0: none): Int32 count, then that many transaction indices that the
   * pool threads take before anything else (Scheduler.nextFirst): transactions expected to run long, which
   * would otherwise start late in index order and end the block alone.
   */
  first?: number;
  /**
   * Byte offset of a Float32 per transaction (0: none): 0 = not timed; otherwise the worker that executes the
   * transaction writes the longest incarnation's milliseconds there (the coordinator marks the transactions
   * worth timing with -1: a clock read costs ~40 ns, too much for the cheap ones).
   */
  times?: number;
  /** Debug: random spins and yields inside the scheduler (determinism tests). */
  chaos?: boolean;
  /** Debug: the pool threads take no task (ExecutorOptions.debugPoolIdle: the calling thread runs the block alone). */
  idle?: boolean;
  /** Debug: trap the engine when this transaction is executed (failure tests). */
  trapTx?: number;
  /** Debug: a pool thread that is to execute this transaction or a later one ends itself (failure tests: a dying worker). */
  exitTx?: number;
  /**
   * Stop the block (halt word HALT_BAIL) once at least `minExecutions` incarnations ran and more than `ratio`
   * of them were re-executions: a block that conflicts this much runs faster sequentially, and the
   * coordinator finishes it so from the first transaction that is not committed.
   */
  bail?: { minExecutions: number; ratio: number };
}

/** Halt word: a worker saw too many re-executions (see BlockTask.bail). */
export const HALT_BAIL = 2;

/** What a worker reports for a block. */
export interface WorkerReport { worker: number; fatal: number; executions: number; validations: number; ms: number }

let inst: { fns: EngineExports; abi: Abi; engineId: number; index: number; memory: WebAssembly.Memory } | undefined;

function instantiate(t: Pick<BlockTask, 'module' | 'memory' | 'layout' | 'engineId'>): NonNullable<typeof inst> {
  if (inst && inst.engineId === t.engineId) return inst;
  if (!t.module || !t.memory) throw new Error(`engine ${t.engineId} was not sent to this thread`);
  const memory = t.memory;
  const instance = new WebAssembly.Instance(t.module, {
    env: { memory, abort: () => { throw new Error('parevm wasm: abort'); }, ...precompileHostImports(memory) },
  });
  const fns = instance.exports as unknown as EngineExports;
  const words = new Int32Array(t.memory.buffer);
  const index = Atomics.add(words, t.layout.workerCounter >> 2, 1);
  if (index >= t.layout.workerArenas.length) throw new Error(`worker index ${index} beyond the ${t.layout.workerArenas.length} arenas laid out`);
  const L = t.layout;
  if (fns.init(L.workerArenas[index], L.arenaBytes, L.desc, L.frameBytes, L.evmMemoryBytes, L.returnDataBytes) === 0) throw new Error('worker arena too small');
  inst = { fns, abi: abiOf(instance), engineId: t.engineId, index, memory };
  return inst;
}

const ST_BLOCKED = 0x62;

/**
 * Sender recovery for one block, shared by all workers: records of SENDER_RECORD bytes after a 64-byte header
 * (Int32 word 0: the next unclaimed record, taken in chunks of SENDER_CHUNK). Record: signing hash (32), r (32),
 * s (32), y parity (1); the worker writes status (1 = recovered, 2 = no key) at byte 97 and the address at
 * 108..128.
 */
export interface SendersTask { kind: 'senders'; buffer: SharedArrayBuffer; n: number }
export const SENDER_RECORD = 128;
export const SENDER_HEADER = 64;
const SENDER_CHUNK = 8;

/** Recovers senders until none is left; returns how many this thread did. */
export function recoverSenders(t: SendersTask): { recovered: number; ms: number } {
  const t0 = performance.now();
  const words = new Int32Array(t.buffer, 0, 16);
  const u8 = new Uint8Array(t.buffer);
  let recovered = 0;
  for (;;) {
    const start = Atomics.add(words, 0, SENDER_CHUNK);
    if (start >= t.n) break;
    for (let i = start; i < Math.min(t.n, start + SENDER_CHUNK); i++) {
      const p = SENDER_HEADER + i * SENDER_RECORD;
      const addr = recoverAddressRaw(u8.slice(p, p + 32), u8.slice(p + 32, p + 96), u8[p + 96]);
      if (addr) u8.set(addr, p + 108);
      u8[p + 97] = addr ? 1 : 2;
      recovered++;
    }
  }
  return { recovered, ms: performance.now() - t0 };
}

/** A worker task: a block's Block-STM loop, sender recovery, or serving an engine's blocks until told to stop. */
export default function run(t: BlockTask | SendersTask | ServeTask): WorkerReport | { recovered: number; ms: number } | { blocks: number } {
  if ('kind' in t && t.kind === 'senders') return recoverSenders(t);
  if ('kind' in t && t.kind === 'serve') return serve(t);
  return runBlock(t as BlockTask);
}

// ---- serving blocks without a message per block ------------------------------------------------------------
//
// A pool thread hands a block over in ~0.6 ms through the pool's messages (post, wake, structured clone, the
// reply through the coordinator's event loop), and the coordinator learns that it finished ~0.25 ms late
// (measured on mainnet blocks of ~5 ms). Serving instead: the thread stays in one task per engine and takes
// each block from a control region of the shared memory (Atomics.wait/notify on a sequence word), and posts
// its report there.
//
// Control region (Int32 words, ParallelLayout.control, CONTROL_BYTES: room for 39 threads):
//   C_SEQ     the coordinator's block sequence number: bumped (then notified) once the block's words below are
//             written. Invariant: the words of block SEQ do not change until every thread reported SEQ done.
//   C_CMD     CMD_BLOCK: run block SEQ; CMD_STOP: end the task (the thread is then free for other tasks);
//             CMD_RECEIPTS: the thread of slot 0 computes the receipts root of the block just done (C_N
//             transactions, C_TX_TABLE; see finalize.ts; C_EXIT 1 or 2: debug failures), the others only report;
//             CMD_STORAGE: the thread of slot 0 computes C_N storage roots (postStorageRoots; C_EXIT as above),
//             the others report.
//   C_N .. C_TIMES     the BlockTask of block SEQ (offsets into the memory; -1 for an absent debug value, 0 for
//             an absent list; C_CHAOS holds the debug flags chaos (1) and idle (2)).
//   per thread slot i (the slot the thread claimed through workerCounter), at word 16 * (1 + i):
//     +0 the last SEQ it finished (written after the report words), +1 fatal, +2 executions, +3 validations,
//     +4 microseconds in the loop; for CMD_RECEIPTS, +5 1 when +6..+13 hold the root (32 bytes), else 0;
//     for CMD_STORAGE, +14 1 when the roots were written, else 0.
const C_SEQ = 0, C_CMD = 1, C_N = 2, C_TX_TABLE = 3, C_TXIO = 4, C_SCHED = 5, C_HINTS = 6, C_HALT = 7, C_CHAOS = 8, C_TRAP = 9, C_EXIT = 10, C_BAIL_MIN = 11, C_BAIL_PPM = 12, C_WRITTEN = 13, C_FIRST = 14, C_TIMES = 15;
const CMD_BLOCK = 1, CMD_STOP = 2, CMD_RECEIPTS = 3, CMD_STORAGE = 4;
const R_ROOT_SET = 5, R_ROOT = 6, R_STORAGE_DONE = 14;
/** A pool thread spins this long for the next block before it sleeps (blocks often follow one another). */
const SERVE_SPIN_MS = 0.5;

/** Start serving an engine's blocks (module and memory as in BlockTask: only when the thread lacks them). */
export interface ServeTask {
  kind: 'serve'; module?: WebAssembly.Module; memory?: WebAssembly.Memory; layout: ParallelLayout; engineId: number;
  /** The last sequence number posted before this task: the thread serves every later one (it may start late). */
  seq: number;
}

/** The control region's words. */
function controlWords(memory: WebAssembly.Memory, L: ParallelLayout): Int32Array {
  return new Int32Array(memory.buffer, L.control, CONTROL_BYTES / 4);
}

/** Coordinator: writes block `seq`'s task into the control region and wakes the serving threads. */
export function postBlock(memory: WebAssembly.Memory, L: ParallelLayout, seq: number, t: BlockTask): void {
  const w = controlWords(memory, L);
  w[C_N] = t.n; w[C_TX_TABLE] = t.txTable; w[C_TXIO] = t.txio; w[C_SCHED] = t.sched; w[C_HINTS] = t.hints; w[C_HALT] = t.haltWord;
  w[C_CHAOS] = (t.chaos ? 1 : 0) | (t.idle ? 2 : 0); w[C_TRAP] = t.trapTx ?? -1; w[C_EXIT] = t.exitTx ?? -1;
  w[C_BAIL_MIN] = t.bail ? t.bail.minExecutions : 0; w[C_BAIL_PPM] = t.bail ? Math.round(t.bail.ratio * 1e6) : 0;
  w[C_WRITTEN] = t.writtenWord; w[C_FIRST] = t.first ?? 0; w[C_TIMES] = t.times ?? 0;
  Atomics.store(w, C_CMD, CMD_BLOCK);
  Atomics.store(w, C_SEQ, seq); // publishes the words above
  Atomics.notify(w, C_SEQ);
}

/**
 * Coordinator: asks the serving threads (slot 0) for the receipts root of the block just done, as `seq`;
 * its transactions' records must stay unchanged until every thread reported `seq` (servedReports), and the
 * root is then read with servedReceiptsRoot.
 */
export function postReceiptsRoot(memory: WebAssembly.Memory, L: ParallelLayout, seq: number, n: number, txTable: number, debug?: 'throw' | 'exit'): void {
  const w = controlWords(memory, L);
  w[C_N] = n; w[C_TX_TABLE] = txTable; w[C_EXIT] = debug === 'exit' ? 2 : debug === 'throw' ? 1 : -1;
  Atomics.store(w, C_CMD, CMD_RECEIPTS);
  Atomics.store(w, C_SEQ, seq);
  Atomics.notify(w, C_SEQ);
}

/** Coordinator, once every thread reported the receipts-root request: the root, or null if slot 0 declined. */
export function servedReceiptsRoot(memory: WebAssembly.Memory, L: ParallelLayout): Uint8Array | null {
  const w = controlWords(memory, L);
  if (Atomics.load(w, 16 + R_ROOT_SET) !== 1) return null;
  return new Uint8Array(memory.buffer, L.control + 4 * (16 + R_ROOT), 32).slice();
}

/**
 * Coordinator: asks the serving threads (slot 0) for `n` storage roots, as `seq`: account i's entries
 * (trie.ts writeStorageEntries) at the u32 offset index[2i] in the memory, index[2i + 1] of them; its root is
 * written to roots + 32i. The memory from `index` on must stay unchanged until every thread reported `seq`;
 * servedStorageRoots then says whether the roots are there.
 */
export function postStorageRoots(memory: WebAssembly.Memory, L: ParallelLayout, seq: number, n: number, index: number, roots: number, debug?: 'throw' | 'exit'): void {
  const w = controlWords(memory, L);
  w[C_N] = n; w[C_TXIO] = index; w[C_SCHED] = roots; w[C_EXIT] = debug === 'exit' ? 2 : debug === 'throw' ? 1 : -1;
  Atomics.store(w, C_CMD, CMD_STORAGE);
  Atomics.store(w, C_SEQ, seq);
  Atomics.notify(w, C_SEQ);
}

/** Coordinator, once every thread reported the storage-roots request: whether slot 0 wrote them. */
export function servedStorageRoots(memory: WebAssembly.Memory, L: ParallelLayout): boolean {
  return Atomics.load(controlWords(memory, L), 16 + R_STORAGE_DONE) === 1;
}

/** Coordinator: tells the serving threads to end their task. */
export function postStop(memory: WebAssembly.Memory, L: ParallelLayout, seq: number): void {
  const w = controlWords(memory, L);
  Atomics.store(w, C_CMD, CMD_STOP);
  Atomics.store(w, C_SEQ, seq);
  Atomics.notify(w, C_SEQ);
}

/** Coordinator: the reports of the serving threads that finished block `seq` (null while one has not). */
export function servedReports(memory: WebAssembly.Memory, L: ParallelLayout, seq: number, threads: number): WorkerReport[] | null {
  const w = controlWords(memory, L);
  const out: WorkerReport[] = [];
  for (let i = 0; i < threads; i++) {
    const b = 16 * (1 + i);
    if (Atomics.load(w, b) !== seq) return null;
    out.push({ worker: i, fatal: w[b + 1], executions: w[b + 2], validations: w[b + 3], ms: w[b + 4] / 1000 });
  }
  return out;
}

/** Serves blocks until CMD_STOP; returns how many it ran. */
function serve(t: ServeTask): { blocks: number } {
  const { fns, index, memory, abi } = instantiate(t);
  const w = controlWords(memory, t.layout);
  let seen = t.seq;
  let blocks = 0;
  for (;;) {
    const until = performance.now() + SERVE_SPIN_MS;
    // (sequence numbers only grow, per executor; a fresh engine's region starts at 0, below `seen`)
    let cur: number;
    while ((cur = Atomics.load(w, C_SEQ)) <= seen && performance.now() < until) { /* the next block usually comes soon */ }
    while ((cur = Atomics.load(w, C_SEQ)) <= seen) Atomics.wait(w, C_SEQ, cur, 1000);
    // the coordinator posts block k + 1 only after every thread reported block k: none is skipped
    seen = cur;
    const cmd = Atomics.load(w, C_CMD);
    if (cmd === CMD_STOP) return { blocks };
    const b = 16 * (1 + index);
    if (cmd === CMD_RECEIPTS) {
      if (index === 0) {
        let root: Uint8Array | null = null;
        if (w[C_EXIT] === 2) process.exit(1); // (debug: in a worker thread, ends the thread)
        try {
          if (w[C_EXIT] === 1) throw new Error('debug: receipts root fails');
          root = recordsReceiptsRoot(new Uint8Array(memory.buffer), abi, w[C_N], w[C_TX_TABLE] >>> 0);
        } catch { /* declined: the coordinator computes it (stats.receiptsRootOnPool = false says so) */ }
        if (root) new Uint8Array(memory.buffer, t.layout.control + 4 * (b + R_ROOT), 32).set(root);
        w[b + R_ROOT_SET] = root ? 1 : 0;
      }
      Atomics.store(w, b, seen); // after the root
      continue;
    }
    if (cmd === CMD_STORAGE) {
      if (index === 0) {
        let done = 0;
        if (w[C_EXIT] === 2) process.exit(1); // (debug: in a worker thread, ends the thread)
        try {
          if (w[C_EXIT] === 1) throw new Error('debug: storage roots fail');
          const u8 = new Uint8Array(memory.buffer), dv = new DataView(memory.buffer);
          const n = w[C_N], at = w[C_TXIO] >>> 0, roots = w[C_SCHED] >>> 0;
          for (let i = 0; i < n; i++) u8.set(storageRootOfEntries(u8, dv.getUint32(at + 8 * i, true), dv.getUint32(at + 8 * i + 4, true)), roots + 32 * i);
          done = 1;
        } catch { /* declined: the coordinator computes them */ }
        w[b + R_STORAGE_DONE] = done;
      }
      Atomics.store(w, b, seen); // after the roots
      continue;
    }
    const bailMin = w[C_BAIL_MIN];
    const task: BlockTask = {
      memory, layout: t.layout, engineId: t.engineId, n: w[C_N], txTable: w[C_TX_TABLE], txio: w[C_TXIO], sched: w[C_SCHED], hints: w[C_HINTS],
      haltWord: w[C_HALT], writtenWord: w[C_WRITTEN], first: w[C_FIRST], times: w[C_TIMES], chaos: (w[C_CHAOS] & 1) !== 0, idle: (w[C_CHAOS] & 2) !== 0, trapTx: w[C_TRAP] >= 0 ? w[C_TRAP] : undefined, exitTx: w[C_EXIT] >= 0 ? w[C_EXIT] : undefined,
      bail: bailMin > 0 ? { minExecutions: bailMin, ratio: w[C_BAIL_PPM] / 1e6 } : undefined,
    };
    attachWorker(fns, index, task);
    const r = task.idle ? idleReport(index) : workerLoop(fns, index, task, true);
    w[b + 1] = r.fatal; w[b + 2] = r.executions; w[b + 3] = r.validations; w[b + 4] = Math.round(r.ms * 1000);
    Atomics.store(w, b, seen); // after the report words
    blocks++;
  }
}

// The last window of incarnations this worker looked at (block totals when the window started).
let winExecutions = 0, winReexecutions = 0;

/**
 * Whether the block re-executes too much to go on in parallel, judged over windows of `minExecutions`
 * incarnations (block totals): a block often starts without conflicts while one worker runs ahead alone, so
 * a ratio over the whole block so far would notice a chain only late. Checked after each abort or suspension.
 */
function bailOut(sched: Scheduler, b: { minExecutions: number; ratio: number }): boolean {
  const c = sched.counters();
  const re = c.aborts + c.dependencies;
  const e = c.executions - winExecutions;
  if (e < b.minExecutions) return false;
  const bail = re - winReexecutions > b.ratio * e;
  winExecutions = c.executions;
  winReexecutions = re;
  return bail;
}

/** The Block-STM worker loop for one block (a pool thread: instantiates the engine on first use). */
export function runBlock(task: BlockTask): WorkerReport {
  const { fns, index, memory } = instantiate(task);
  const t = task.memory ? task : { ...task, memory };
  attachWorker(fns, index, t);
  return t.idle ? idleReport(index) : workerLoop(fns, index, t, true);
}

/** The report of a pool thread that took no task (BlockTask.idle). */
function idleReport(index: number): WorkerReport { return { worker: index, fatal: 0, executions: 0, validations: 0, ms: 0 }; }

/**
 * Attaches an engine instance to a block as worker slot `index` (its output area, the block's shared
 * regions and environment). Once per block and thread: attaching again would reuse the output area that
 * holds this slot's read and write sets.
 */
export function attachWorker(fns: EngineExports, index: number, t: BlockTask): void {
  const L = t.layout;
  fns.parallelAttach(L.mvDesc, t.txio, L.workerOuts[index], L.workerOutBytes);
  fns.useEnv(L.envPtr);
  winExecutions = 0;
  winReexecutions = 0;
}

/**
 * The Block-STM worker loop over an instance attached as worker slot `index` (attachWorker). `canBlock` =
 * false is the coordinator thread taking part: it never sleeps in Atomics.wait and returns as soon as no task
 * is available after a short poll, so that its event loop can run (and notice a pool thread that died: a dead
 * thread's claimed task is never finished, and a sleeping coordinator would wait for it forever); it may
 * call again after yielding. `between` (the coordinator's commit reader) runs before every task and poll.
 */
export function workerLoop(fns: EngineExports, index: number, t: BlockTask, canBlock: boolean, between?: () => void): WorkerReport {
  const t0 = performance.now();
  const buf = t.memory!.buffer as unknown as SharedArrayBuffer;
  const sched = new Scheduler(buf, t.sched, t.n, index);
  if (t.chaos) sched.chaos = () => { const k = Math.random() * 200; for (let i = 0; i < k; i++) Math.sqrt(i); };
  const words = new Int32Array(buf);
  const halt = t.haltWord >> 2;
  const table = new Uint32Array(buf, t.txTable, t.n * 2);
  const hints = t.hints !== 0 ? new Int32Array(buf, t.hints, t.n) : undefined;
  const written = t.writtenWord >> 2;
  // the start-first list is for the pool threads: the coordinator commits in order and writes the inputs
  let first = t.first && canBlock ? new Int32Array(buf, t.first + 4, new Int32Array(buf, t.first, 1)[0]) : undefined;
  const times = t.times ? new Float32Array(buf, t.times, t.n) : undefined;
  let task: Task = null;
  let executions = 0, validations = 0, fatal = 0, misses = 0;
  while (!sched.done()) {
    if (Atomics.load(words, halt) !== 0) break;
    if (between !== undefined) between();
    if (task === null && first !== undefined && (task = sched.nextFirst(first)) === null) first = undefined;
    if (task === null) task = sched.nextTask();
    if (task === null) {
      if (!canBlock && ++misses > COORDINATOR_POLLS) break;
      sched.idle(canBlock);
      continue;
    }
    misses = 0;
    const txIdx: number = task.version.txIdx, incarnation: number = task.version.incarnation;
    if (task.kind === 'execute') {
      // a first incarnation whose known predecessor has not finished waits for it (it would only be aborted)
      if (incarnation === 0 && hints !== undefined && hints[txIdx] >= 0 && sched.addDependency(txIdx, hints[txIdx], true)) { task = null; continue; }
      // the coordinator may still be writing the block's inputs (a pool thread starts before it is done)
      if (Atomics.load(words, written) <= txIdx) {
        while (Atomics.load(words, written) <= txIdx && Atomics.load(words, halt) === 0) { /* ~0.5 us per input */ }
        if (Atomics.load(words, halt) !== 0) break;
      }
      executions++;
      if (txIdx === t.trapTx) fns.debugTrap();
      if (t.exitTx !== undefined && txIdx >= t.exitTx && canBlock) process.exit(1); // in a worker thread: ends the thread, not the process
      const timed = times !== undefined && times[txIdx] !== 0;
      const tx0 = timed ? performance.now() : 0;
      const st = fns.executeIncarnation(txIdx, incarnation, table[txIdx * 2], table[txIdx * 2 + 1]);
      if (timed) { const ms = performance.now() - tx0; if (ms > times[txIdx]) times[txIdx] = ms; }
      if (st === ST_BLOCKED) {
        // Wait for the writer of the ESTIMATE; if it already finished, run again at once.
        task = sched.addDependency(txIdx, fns.blockingTx()) ? null : task;
        if (task === null && t.bail && bailOut(sched, t.bail)) { Atomics.store(words, halt, HALT_BAIL); break; }
        continue;
      }
      if (st >= 0x60) { fatal = st; Atomics.store(words, halt, st); break; }
      task = sched.finishExecution(txIdx, incarnation, fns.wroteNewLocation() !== 0);
    } else {
      validations++;
      const start = sched.validationStart();
      const valid = fns.validateTx(txIdx) !== 0;
      if (valid) sched.noteValidated(txIdx, incarnation, start); // (the commit reader may not validate it again)
      const aborted = !valid && sched.tryValidationAbort(txIdx, incarnation);
      if (aborted) fns.abortTx(txIdx);
      task = sched.finishValidation(txIdx, aborted);
      if (aborted && t.bail && bailOut(sched, t.bail)) { Atomics.store(words, halt, HALT_BAIL); break; }
    }
  }
  // A task in hand when the coordinator leaves (it only leaves with none) or on a halt is void: the block is
  // abandoned (halt) or finished (done).
  return { worker: index, fatal, executions, validations, ms: performance.now() - t0 };
}

/** Empty polls (each a short spin) after which the coordinator leaves the loop to the pool threads. */
const COORDINATOR_POLLS = 4;
