// A worker thread of the parallel executor. It instantiates the engine module once over the shared memory
// (claiming its own arena), then for each block runs the Block-STM worker loop: take a task from the shared
// scheduler, execute an incarnation or validate one, report back to the scheduler, until the block is done.
import { precompileHostImports } from '../precompiles/host.js';
import { recoverAddressRaw } from '../secp.js';
import { Scheduler, type Task } from './scheduler.js';
import type { EngineExports } from '../engine/wasm.js';
import type { ParallelLayout } from '../engine/engine.js';
import { initBn254 } from '../precompiles/bn254.js';

// bn254 precompiles through mcl in this thread too (the results are the same with @noble/curves, only slower)
if (process.env.PAREVM_BN254 !== 'noble') await initBn254().catch(() => undefined);

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
  /** Debug: random spins and yields inside the scheduler (determinism tests). */
  chaos?: boolean;
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

let inst: { fns: EngineExports; engineId: number; index: number; memory: WebAssembly.Memory } | undefined;

function instantiate(t: BlockTask): NonNullable<typeof inst> {
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
  inst = { fns, engineId: t.engineId, index, memory };
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

/** A worker task: a block's Block-STM loop, or its sender recovery. */
export default function run(t: BlockTask | SendersTask): WorkerReport | { recovered: number; ms: number } {
  return 'kind' in t && t.kind === 'senders' ? recoverSenders(t) : runBlock(t as BlockTask);
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
  return workerLoop(fns, index, t, true);
}

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
 * call again after yielding.
 */
export function workerLoop(fns: EngineExports, index: number, t: BlockTask, canBlock: boolean): WorkerReport {
  const t0 = performance.now();
  const buf = t.memory!.buffer as unknown as SharedArrayBuffer;
  const sched = new Scheduler(buf, t.sched, t.n);
  if (t.chaos) sched.chaos = () => { const k = Math.random() * 200; for (let i = 0; i < k; i++) Math.sqrt(i); };
  const words = new Int32Array(buf);
  const halt = t.haltWord >> 2;
  const table = new Uint32Array(buf, t.txTable, t.n * 2);
  const hints = t.hints !== 0 ? new Int32Array(buf, t.hints, t.n) : undefined;
  let task: Task = null;
  let executions = 0, validations = 0, fatal = 0, misses = 0;
  while (!sched.done()) {
    if (Atomics.load(words, halt) !== 0) break;
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
      executions++;
      if (txIdx === t.trapTx) fns.debugTrap();
      if (t.exitTx !== undefined && txIdx >= t.exitTx && canBlock) process.exit(1); // in a worker thread: ends the thread, not the process
      const st = fns.executeIncarnation(txIdx, incarnation, table[txIdx * 2], table[txIdx * 2 + 1]);
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
      const valid = fns.validateTx(txIdx) !== 0;
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
