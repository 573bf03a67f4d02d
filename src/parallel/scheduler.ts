// Block-STM scheduler (Gelashvili et al., "Block-STM: Scaling Blockchain Execution by Turning Ordering Curse
// to a Performance Blessing", Algorithms 4 and 5) over a SharedArrayBuffer: every worker thread attaches a
// Scheduler to the same words and they coordinate only through `Atomics` (all sequentially consistent).
//
// Status of one transaction; k is its incarnation, packed with the status in one Int32 (k << 2 | status):
//
//   READY_TO_EXECUTE(k) --try_incarnate--> EXECUTING(k) --finish_execution--> EXECUTED(k)
//           ^                                   |                                 |
//           |                            add_dependency                try_validation_abort
//           |                     (read an ESTIMATE, suspended)         (validation failed)
//           |                                   v                                 |
//           +------ set_ready_status ------ ABORTING(k) <-------------------------+
//            (k+1)  by resume_dependencies (when the blocking transaction finishes executing)
//                   or by finish_validation(aborted) of the validator that won the abort
//
// Who may take each arrow (so that a plain compare-and-swap never loses a race it should win):
//   READY->EXECUTING     any thread; the CAS elects exactly one executor of incarnation k.
//   EXECUTING->EXECUTED  only the executor of k, under the transaction's lock (see add_dependency).
//   EXECUTING->ABORTING  only the executor of k (add_dependency), under the blocking transaction's lock.
//   EXECUTED->ABORTING   any validator of k; the CAS elects exactly one (try_validation_abort).
//   ABORTING->READY(k+1) only the thread that put it in ABORTING or the one that resumes it; nobody else
//                        can observe a transition out of ABORTING, so this CAS cannot fail.
//
// Deviation from the paper, same semantics: the paper keeps dependents in a mutex-protected set per blocking
// transaction. Here the set is an intrusive singly linked list threaded through a `next` word of each
// dependent: a suspended transaction sits in exactly one list (it stays ABORTING until the blocking one
// resumes it), so one word per transaction is enough and the list can never run out of nodes.

/** Index of a transaction in the block (0-based). */
export type TxnIndex = number;
/** How many times a transaction was (re-)started before this execution: 0 for the first. */
export type Incarnation = number;
/** One execution of one transaction. */
export interface Version { txIdx: TxnIndex; incarnation: Incarnation }
/** Work handed to a thread: execute or validate a version; null when there is nothing to do right now. */
export type Task = { kind: 'execute' | 'validate'; version: Version } | null;

const READY = 0, EXECUTING = 1, EXECUTED = 2, ABORTING = 3;
const STATUS_NAMES = ['ready', 'executing', 'executed', 'aborting'] as const;
const MAGIC = 0x53544d31; // 'STM1': the region was laid out by init

// Shared words (Int32 index from the region start). Hot words get a 64-byte line each so that threads
// hammering one of them do not also invalidate the others.
const LINE = 16;
// Read-only after init: MAGIC, and the block size (constructors check it against theirs).
const W_MAGIC = 0, W_N = 1;
// execution_idx: the next transaction to try to incarnate (fetch-and-add; may overshoot n by the number of
// racing threads). Invariant: a READY_TO_EXECUTE transaction below it is about to be incarnated by the
// thread that made it ready (finish_validation) or the index is decreased to it (resume_dependencies).
const W_EXEC_IDX = 1 * LINE;
// validation_idx: the next transaction to validate. Invariant: every transaction below it has been (or is
// being) validated since the last execution of any lower transaction that wrote a new location; a write
// that could invalidate higher reads decreases it.
const W_VAL_IDX = 2 * LINE;
// decrease_cnt: number of decrease_execution_idx / decrease_validation_idx calls (only grows). check_done
// reads it before and after its snapshot: a decrease in between may have created work, so no verdict.
const W_DECREASE_CNT = 3 * LINE;
// num_active_tasks: tasks handed out and not finished, counted per thread (word +2 of the thread's counter
// line, see W_COUNTERS; the block's count is the sum over the lines). Incremented before an index is claimed,
// decremented exactly once when a task ends without handing on a follow-up task (a follow-up task returned
// by finish_execution / finish_validation inherits the count); a task begins and ends on one thread, so its
// count stays on one line. One shared word cost two contended read-modify-writes per task (~45 ns each
// against ~15 measured between two threads here). check_done may sum the lines at different instants: a task
// it missed began after its line was read, so it claimed an index below n after check_done saw both indices
// at n or above; the first decrease that made that possible came from a task active at that reading, which
// either was still active when its line was read (seen) or ended before, having counted its decrease (the
// decrease_cnt check fails).
// first_idx: the next entry of the block's start-first list to claim (nextFirst; fetch-and-add, may overshoot
// the list). Claiming an entry only elects a thread to try to incarnate that transaction: the status CAS
// decides, exactly as when execution_idx reaches it (the transaction is then no longer READY and
// tryIncarnate passes it by), so the list never creates work that check_done cannot see. firsts (+1): the
// execution tasks nextFirst handed out (a statistic, see below).
const W_FIRST = 4 * LINE, W_FIRSTS = 4 * LINE + 1;
// done_marker: 0, then 1 once check_done proved that no task exists or can appear; never reset but by init.
// EPOCH: bumped (and waiters notified) whenever work may have appeared (a decrease) or the block is done;
// idle waits on it. WAITERS: threads inside Atomics.wait in idle (notify only when non-zero).
const W_DONE = 5 * LINE, W_EPOCH = 5 * LINE + 1, W_WAITERS = 5 * LINE + 2;
// Statistics, only ever incremented (an execution count also decremented by the thread that counted it),
// always while the changing thread holds an active task, so they are final once done() is true.
// aborts: won validation aborts; dependencies: successful add_dependency; hints: first incarnations
// suspended by addDependency(hint = true) (they ran nothing, and do not count as executions).
// executions (try_incarnate successes) and validations (validation tasks handed out) change once per task:
// each thread counts them on a line of its own (COUNTER_SLOTS lines from W_COUNTERS, slot = thread index
// modulo COUNTER_SLOTS; +0 executions, +1 validations, +2 active tasks) and counters() adds the lines up, so
// that the hot path does not bounce one shared line between cores twice per transaction.
const W_ABORTS = 6 * LINE, W_DEPENDENCIES = 7 * LINE, W_HINTS = 8 * LINE;
// finish_seq: finished executions so far (only grows). An execution takes its number (T_FIN_SEQ) after its
// writes are in the multi-version memory, so a validation that read finish_seq >= F before it began saw the
// writes of every execution numbered up to F (the commit reader's shortcut, see validatedSince).
const W_FINISH_SEQ = 9 * LINE;
const COUNTER_SLOTS = 8;
const C_ACTIVE = 2;
const W_COUNTERS = 10 * LINE;
const HEADER_WORDS = W_COUNTERS + COUNTER_SLOTS * LINE;
// Per transaction i, one cache line (16 words, 7 used) from HEADER_WORDS + 16i: neighbouring transactions
// usually run on different workers, and sharing a line made their status updates bounce between cores:
//   +0 status: incarnation << 2 | READY/EXECUTING/EXECUTED/ABORTING; transitions as in the diagram above.
//   +1 lock: 0 free, 1 held (spin lock). Protects the dependency list of i and serializes i's
//      EXECUTING->EXECUTED with add_dependency(_, i) reading i's status, so a dependent is either refused
//      (i already EXECUTED) or found by i's finish_execution. Held for a few loads and stores only.
//   +2 dependents: 0 for an empty list, else 1 + the first transaction suspended until i finishes executing.
//   +3 next: while i is suspended (ABORTING in some list), 0 or 1 + the next transaction of that list.
//   +4 finish seq: the finish_seq number of i's last finished execution (only grows).
//   +5 validation start, +6 1 + validated incarnation: a successful validation of that incarnation began
//      when finish_seq was +5. Both written and read under i's lock, so that they always come from one
//      validation.
const TX_WORDS = LINE;
const T_STATUS = 0, T_LOCK = 1, T_DEPS = 2, T_NEXT = 3, T_FIN_SEQ = 4, T_VAL_START = 5, T_VAL_INC = 6;

// idle: polls before sleeping (cheap checks of three words), then one Atomics.wait of at most this long.
const IDLE_SPINS = 64;
const IDLE_WAIT_MS = 1;
// Incarnations must fit in the 30 bits above the status.
const MAX_INCARNATION = (1 << 29) - 1;

/**
 * The Block-STM collaborative scheduler. Every thread attaches one instance to the same shared region and
 * runs the paper's loop:
 *
 * ```ts
 * let task: Task = null;
 * while (!s.done()) {
 *   if (task?.kind === 'execute') task = tryExecute(task.version);      // addDependency / finishExecution
 *   if (task?.kind === 'validate') task = needsReexecution(task.version); // tryValidationAbort / finishValidation
 *   if (task === null) { task = s.nextTask(); if (task === null) s.idle(canBlock); }
 * }
 * ```
 */
export class Scheduler {
  /**
   * Debug hook for determinism tests: when set (on the prototype or an instance), it is called at the start
   * of every public method and at a few race-prone points inside them, never while a lock is held.
   */
  declare chaos?: () => void;

  private readonly w: Int32Array;
  private readonly n: number;
  /** This thread's statistics line (W_COUNTERS). */
  private readonly cw: number;

  /** Bytes of shared memory needed for a block of n transactions: 4 * (288 + 16n). */
  static bytesFor(n: number): number {
    checkSize(n);
    return (HEADER_WORDS + TX_WORDS * n) * 4;
  }

  /**
   * Lays out (and resets, by the coordinator before a block) the scheduler over
   * sab[byteOffset, byteOffset + bytesFor(n)). byteOffset must be a multiple of 4 (64 avoids false sharing
   * with neighbours). No thread may use a scheduler on this region while init runs; hand the region to
   * the workers afterwards (postMessage or an Atomics store/load both order it). `zeroed`: the caller has
   * already zeroed the region (a bulk fill in the engine is ~30x faster than fill on a shared buffer).
   */
  static init(sab: SharedArrayBuffer, byteOffset: number, n: number, zeroed = false): void {
    const w = view(sab, byteOffset, n);
    // All zero = every transaction READY_TO_EXECUTE(0), empty lists, both indices 0, not done.
    if (!zeroed) w.fill(0);
    Atomics.store(w, W_N, n);
    Atomics.store(w, W_MAGIC, MAGIC);
  }

  /**
   * Attaches (in any thread) to a scheduler laid out by init for the same n. `thread`: the thread's index
   * among those sharing the scheduler (it picks the line its statistics are counted on; any value is correct,
   * distinct ones are faster).
   */
  constructor(sab: SharedArrayBuffer, byteOffset: number, n: number, thread = 0) {
    this.w = view(sab, byteOffset, n);
    this.n = n;
    this.cw = W_COUNTERS + (Math.abs(Math.trunc(thread)) % COUNTER_SLOTS) * LINE;
    if (Atomics.load(this.w, W_MAGIC) !== MAGIC || Atomics.load(this.w, W_N) !== n) {
      throw new Error(`Scheduler: no scheduler for ${n} transactions at byte ${byteOffset} (call Scheduler.init first)`);
    }
  }

  /** The next execution or validation task (validations first while validation_idx < execution_idx); null if none right now. */
  nextTask(): Task {
    this.chaos?.();
    const w = this.w;
    if (Atomics.load(w, W_VAL_IDX) < Atomics.load(w, W_EXEC_IDX)) {
      const v = this.nextVersionToValidate();
      if (v !== null) return { kind: 'validate', version: v };
    } else {
      const v = this.nextVersionToExecute();
      if (v !== null) return { kind: 'execute', version: v };
    }
    return null;
  }

  /**
   * The next transaction of the block's start-first list (`first`: transaction indices, each at most once,
   * the same list in every thread) that is still READY to execute, as an execution task; null when the list
   * is used up. A scheduling choice only: a transaction started before its predecessors is validated like
   * any other (and re-executed if it read a value they then wrote). Pool threads call it before nextTask.
   */
  nextFirst(first: Int32Array): Task {
    this.chaos?.();
    const w = this.w;
    while (Atomics.load(w, W_FIRST) < first.length) {
      const k = Atomics.add(w, W_FIRST, 1);
      if (k >= first.length) break;
      this.checkIdx(first[k]);
      // counted before the claim, as in nextVersionToExecute (tryIncarnate ends the task when it fails)
      Atomics.add(w, this.cw + C_ACTIVE, 1);
      const v = this.tryIncarnate(first[k]);
      if (v !== null) {
        Atomics.add(w, W_FIRSTS, 1);
        return { kind: 'execute', version: v };
      }
    }
    return null;
  }

  /**
   * The executed incarnation read an ESTIMATE written by `blocking`: returns false if `blocking` has
   * meanwhile finished (caller re-executes at once), true if txIdx is now suspended until it does (the
   * caller drops the task; txIdx becomes ready again, with the next incarnation, when `blocking` finishes).
   * Only the executor of txIdx may call it, while txIdx is EXECUTING; requires blocking < txIdx.
   *
   * `hint` = true: called before the incarnation ran, on a dependency known in advance (the previous
   * transaction of the same sender, whose nonce it reads). Same transitions; counted in `hints` instead of
   * `dependencies`, and the incarnation is not counted as an execution (it ran nothing).
   */
  addDependency(txIdx: TxnIndex, blocking: TxnIndex, hint = false): boolean {
    this.chaos?.();
    this.checkIdx(txIdx);
    if (!(Number.isInteger(blocking) && blocking >= 0 && blocking < txIdx)) {
      throw new RangeError(`Scheduler.addDependency: blocking ${blocking} must be below ${txIdx}`);
    }
    const w = this.w;
    const b = tx(blocking), t = tx(txIdx);
    this.lock(b);
    if ((Atomics.load(w, b + T_STATUS) & 3) === EXECUTED) {
      this.unlock(b);
      return false;
    }
    const s = Atomics.load(w, t + T_STATUS);
    if ((s & 3) !== EXECUTING || Atomics.compareExchange(w, t + T_STATUS, s, (s & ~3) | ABORTING) !== s) {
      this.unlock(b);
      throw new Error(`Scheduler.addDependency: transaction ${txIdx} is ${describe(s)}, not executing`);
    }
    Atomics.store(w, t + T_NEXT, Atomics.load(w, b + T_DEPS));
    Atomics.store(w, b + T_DEPS, txIdx + 1);
    this.unlock(b);
    if (hint) {
      Atomics.sub(w, this.cw, 1);
      Atomics.add(w, W_HINTS, 1);
    } else Atomics.add(w, W_DEPENDENCIES, 1);
    // The execution task ends here (suspended); counted after the statistics so they are final at done.
    Atomics.sub(w, this.cw + C_ACTIVE, 1);
    return true;
  }

  /**
   * After an execution's writes were recorded; `wroteNewLocation` = it wrote a location its previous
   * incarnation did not. Resumes the transactions suspended on txIdx. May return the validation task of
   * the same version (then the caller runs it instead of asking nextTask).
   */
  finishExecution(txIdx: TxnIndex, incarnation: Incarnation, wroteNewLocation: boolean): Task {
    this.chaos?.();
    this.checkIdx(txIdx);
    const w = this.w, t = tx(txIdx);
    const executing = (incarnation << 2) | EXECUTING;
    Atomics.store(w, t + T_FIN_SEQ, Atomics.add(w, W_FINISH_SEQ, 1) + 1); // (its writes are published)
    this.lock(t);
    if (Atomics.compareExchange(w, t + T_STATUS, executing, (incarnation << 2) | EXECUTED) !== executing) {
      const s = Atomics.load(w, t + T_STATUS);
      this.unlock(t);
      throw new Error(`Scheduler.finishExecution: transaction ${txIdx} is ${describe(s)}, not executing(${incarnation})`);
    }
    let dep = Atomics.load(w, t + T_DEPS);
    Atomics.store(w, t + T_DEPS, 0);
    this.unlock(t);
    this.chaos?.();
    if (dep !== 0) {
      // resume_dependencies: read each successor before the resume, after which the dependent may be
      // re-executed, suspended again elsewhere, and its next word reused.
      let min = this.n;
      while (dep !== 0) {
        const j = dep - 1;
        dep = Atomics.load(w, tx(j) + T_NEXT);
        this.setReadyStatus(j);
        if (j < min) min = j;
      }
      this.decreaseExecutionIdx(min);
    }
    if (Atomics.load(w, W_VAL_IDX) > txIdx) {
      if (wroteNewLocation) {
        // Higher transactions may have read around the new location: revalidate the whole suffix.
        this.decreaseValidationIdx(txIdx);
      } else {
        // Only txIdx itself needs validating, and validation_idx is already past it: do it now.
        Atomics.add(w, this.cw + 1, 1);
        return { kind: 'validate', version: { txIdx, incarnation } };
      }
    }
    Atomics.sub(w, this.cw + C_ACTIVE, 1);
    return null;
  }

  /** Validation failed: true when this validator wins the right to abort (status was EXECUTED(incarnation)). */
  tryValidationAbort(txIdx: TxnIndex, incarnation: Incarnation): boolean {
    this.chaos?.();
    this.checkIdx(txIdx);
    const executed = (incarnation << 2) | EXECUTED;
    if (Atomics.compareExchange(this.w, tx(txIdx) + T_STATUS, executed, (incarnation << 2) | ABORTING) !== executed) return false;
    Atomics.add(this.w, W_ABORTS, 1);
    return true;
  }

  /**
   * After a validation; `aborted` = this validator won tryValidationAbort (and has turned the writes of the
   * aborted incarnation into ESTIMATEs). May return the re-execution task of the same transaction.
   */
  finishValidation(txIdx: TxnIndex, aborted: boolean): Task {
    this.chaos?.();
    this.checkIdx(txIdx);
    const w = this.w;
    if (aborted) {
      this.setReadyStatus(txIdx);
      this.chaos?.();
      this.decreaseValidationIdx(txIdx + 1);
      if (Atomics.load(w, W_EXEC_IDX) > txIdx) {
        // tryIncarnate ends the task itself when it fails: do not decrement num_active_tasks twice.
        const v = this.tryIncarnate(txIdx);
        return v === null ? null : { kind: 'execute', version: v };
      }
    }
    Atomics.sub(w, this.cw + C_ACTIVE, 1);
    return null;
  }

  /** True once every transaction is EXECUTED and validated and no task is in flight; then stays true until init. */
  done(): boolean {
    this.chaos?.();
    return Atomics.load(this.w, W_DONE) !== 0;
  }

  /**
   * Call when nextTask returned null and done() is false. Returns at once if work may be available (either
   * index below n: nextTask can also return null on a lost race), if the block is done, or if no task is
   * in flight (the next nextTask then settles done). Otherwise polls a few times and then, only if
   * canBlock, sleeps in Atomics.wait until new work or done is signalled, at most ~1 ms. With
   * canBlock = false (a browser's main thread, where Atomics.wait throws) it never sleeps: it returns after
   * the short poll and the caller should yield to its event loop before retrying.
   */
  idle(canBlock: boolean): void {
    this.chaos?.();
    for (let i = 0; i < IDLE_SPINS; i++) if (this.shouldRetry()) return;
    if (!canBlock) return;
    const w = this.w;
    // Register before reading the epoch: a waker either sees us in WAITERS or bumps EPOCH after our read.
    Atomics.add(w, W_WAITERS, 1);
    const epoch = Atomics.load(w, W_EPOCH);
    if (!this.shouldRetry()) Atomics.wait(w, W_EPOCH, epoch, IDLE_WAIT_MS);
    Atomics.sub(w, W_WAITERS, 1);
  }

  /** finish_seq now: read before a validation begins (noteValidated). */
  validationStart(): number { return Atomics.load(this.w, W_FINISH_SEQ); }

  /** A validation of `incarnation` of txIdx that began at `start` (validationStart) succeeded. */
  noteValidated(txIdx: TxnIndex, incarnation: Incarnation, start: number): void {
    const t = tx(txIdx);
    this.lock(t);
    Atomics.store(this.w, t + T_VAL_START, start);
    Atomics.store(this.w, t + T_VAL_INC, incarnation + 1);
    this.unlock(t);
  }

  /** The finish_seq number of txIdx's last finished execution (0: none yet). */
  finishSeq(txIdx: TxnIndex): number { return Atomics.load(this.w, tx(txIdx) + T_FIN_SEQ); }

  /**
   * When a validation of `incarnation` of txIdx succeeded: a finish_seq value it began at or after (every
   * execution numbered up to it had published its writes), else -1. If every transaction below txIdx is
   * final and their final executions are numbered up to that value, the validation saw final values only.
   */
  validatedSince(txIdx: TxnIndex, incarnation: Incarnation): number {
    const t = tx(txIdx);
    this.lock(t);
    const since = Atomics.load(this.w, t + T_VAL_INC) === incarnation + 1 ? Atomics.load(this.w, t + T_VAL_START) : -1;
    this.unlock(t);
    return since;
  }

  /**
   * The incarnation txIdx last finished executing when it is EXECUTED now, else -1: one atomic read and no
   * allocation (the coordinator's commit reader polls it between tasks).
   */
  executedIncarnation(txIdx: TxnIndex): number {
    const s = Atomics.load(this.w, tx(txIdx) + T_STATUS);
    return (s & 3) === EXECUTED ? s >>> 2 : -1;
  }

  /** Status and incarnation of a transaction (for stats/debugging). */
  status(txIdx: TxnIndex): { status: 'ready' | 'executing' | 'executed' | 'aborting'; incarnation: Incarnation } {
    this.chaos?.();
    this.checkIdx(txIdx);
    const s = Atomics.load(this.w, tx(txIdx) + T_STATUS);
    return { status: STATUS_NAMES[s & 3], incarnation: s >>> 2 };
  }

  /**
   * Counters kept in the shared words (block totals over all threads, final once done() is true):
   * executions (incarnations started), validations (validation tasks handed out), aborts (won validation
   * aborts), dependencies (successful addDependency), hints (successful addDependency with hint = true),
   * firsts (execution tasks handed out by nextFirst). executions = n + aborts + dependencies at the end.
   */
  counters(): { executions: number; validations: number; aborts: number; dependencies: number; hints: number; firsts: number } {
    this.chaos?.();
    const w = this.w;
    return {
      executions: sumSlots(w, 0),
      validations: sumSlots(w, 1),
      aborts: Atomics.load(w, W_ABORTS),
      dependencies: Atomics.load(w, W_DEPENDENCIES),
      hints: Atomics.load(w, W_HINTS),
      firsts: Atomics.load(w, W_FIRSTS),
    };
  }

  // --- Algorithm 4 ---------------------------------------------------------------------------------------

  private decreaseExecutionIdx(target: TxnIndex): void {
    atomicMin(this.w, W_EXEC_IDX, target);
    Atomics.add(this.w, W_DECREASE_CNT, 1);
    this.wake();
  }

  private decreaseValidationIdx(target: TxnIndex): void {
    atomicMin(this.w, W_VAL_IDX, target);
    Atomics.add(this.w, W_DECREASE_CNT, 1);
    this.wake();
  }

  private checkDone(): void {
    const w = this.w;
    const observed = Atomics.load(w, W_DECREASE_CNT);
    this.chaos?.();
    if (
      Math.min(Atomics.load(w, W_EXEC_IDX), Atomics.load(w, W_VAL_IDX)) >= this.n &&
      sumSlots(w, C_ACTIVE) === 0 &&
      observed === Atomics.load(w, W_DECREASE_CNT)
    ) {
      Atomics.store(w, W_DONE, 1);
      this.wake();
    }
  }

  private tryIncarnate(txIdx: TxnIndex): Version | null {
    const w = this.w;
    if (txIdx < this.n) {
      const a = tx(txIdx) + T_STATUS;
      let s = Atomics.load(w, a);
      // READY only ever moves to EXECUTING, so a failed CAS means another thread won; the reload says so.
      while ((s & 3) === READY) {
        const prev = Atomics.compareExchange(w, a, s, s | EXECUTING);
        if (prev === s) {
          Atomics.add(w, this.cw, 1);
          return { txIdx, incarnation: s >>> 2 };
        }
        s = prev;
      }
    }
    Atomics.sub(w, this.cw + C_ACTIVE, 1);
    return null;
  }

  private nextVersionToExecute(): Version | null {
    const w = this.w;
    if (Atomics.load(w, W_EXEC_IDX) >= this.n) {
      this.checkDone();
      return null;
    }
    this.chaos?.();
    Atomics.add(w, this.cw + C_ACTIVE, 1);
    return this.tryIncarnate(Atomics.add(w, W_EXEC_IDX, 1));
  }

  private nextVersionToValidate(): Version | null {
    const w = this.w;
    if (Atomics.load(w, W_VAL_IDX) >= this.n) {
      this.checkDone();
      return null;
    }
    this.chaos?.();
    Atomics.add(w, this.cw + C_ACTIVE, 1);
    const idx = Atomics.add(w, W_VAL_IDX, 1);
    if (idx < this.n) {
      const s = Atomics.load(w, tx(idx) + T_STATUS);
      if ((s & 3) === EXECUTED) {
        Atomics.add(w, this.cw + 1, 1);
        return { txIdx: idx, incarnation: s >>> 2 };
      }
    }
    Atomics.sub(w, this.cw + C_ACTIVE, 1);
    return null;
  }

  // --- Algorithm 5 helpers -------------------------------------------------------------------------------

  private setReadyStatus(txIdx: TxnIndex): void {
    const a = tx(txIdx) + T_STATUS;
    const s = Atomics.load(this.w, a);
    if ((s & 3) !== ABORTING || s >>> 2 >= MAX_INCARNATION ||
        Atomics.compareExchange(this.w, a, s, (((s >>> 2) + 1) << 2) | READY) !== s) {
      throw new Error(`Scheduler: transaction ${txIdx} is ${describe(s)}, cannot become ready`);
    }
  }

  // --- plumbing ------------------------------------------------------------------------------------------

  /** Whether an idle thread should go back to nextTask now. */
  private shouldRetry(): boolean {
    const w = this.w, n = this.n;
    return Atomics.load(w, W_DONE) !== 0 || Atomics.load(w, W_EXEC_IDX) < n || Atomics.load(w, W_VAL_IDX) < n ||
      sumSlots(w, C_ACTIVE) === 0;
  }

  private wake(): void {
    Atomics.add(this.w, W_EPOCH, 1);
    if (Atomics.load(this.w, W_WAITERS) > 0) Atomics.notify(this.w, W_EPOCH);
  }

  private lock(t: number): void {
    const w = this.w, a = t + T_LOCK;
    while (Atomics.compareExchange(w, a, 0, 1) !== 0) {
      // Spin on a plain load until it looks free: CAS only then, to keep the line shared meanwhile.
      while (Atomics.load(w, a) !== 0) { /* critical sections are a few loads and stores */ }
    }
  }

  private unlock(t: number): void {
    Atomics.store(this.w, t + T_LOCK, 0);
  }

  private checkIdx(txIdx: TxnIndex): void {
    if (!(Number.isInteger(txIdx) && txIdx >= 0 && txIdx < this.n)) {
      throw new RangeError(`Scheduler: transaction index ${txIdx} outside 0..${this.n - 1}`);
    }
  }
}

/** A statistic counted per thread (W_COUNTERS), over all threads. */
function sumSlots(w: Int32Array, word: number): number {
  let t = 0;
  for (let k = 0; k < COUNTER_SLOTS; k++) t += Atomics.load(w, W_COUNTERS + k * LINE + word);
  return t;
}

/** First word of transaction i's record. */
function tx(i: TxnIndex): number {
  return HEADER_WORDS + TX_WORDS * i;
}

function atomicMin(w: Int32Array, index: number, target: number): void {
  let cur = Atomics.load(w, index);
  while (target < cur) {
    const prev = Atomics.compareExchange(w, index, cur, target);
    if (prev === cur) return;
    cur = prev;
  }
}

function describe(s: number): string {
  return `${STATUS_NAMES[s & 3]}(${s >>> 2})`;
}

function checkSize(n: number): void {
  // Indices overshoot n by at most the number of threads; keep them (and the word count) far from 2^31.
  if (!(Number.isInteger(n) && n >= 0 && n <= 1 << 26)) throw new RangeError(`Scheduler: bad block size ${n}`);
}

function view(sab: SharedArrayBuffer, byteOffset: number, n: number): Int32Array {
  const bytes = Scheduler.bytesFor(n);
  if (!(Number.isInteger(byteOffset) && byteOffset >= 0 && byteOffset % 4 === 0 && byteOffset + bytes <= sab.byteLength)) {
    throw new RangeError(`Scheduler: region [${byteOffset}, +${bytes}) not 4-aligned or outside the buffer (${sab.byteLength} bytes)`);
  }
  return new Int32Array(sab, byteOffset, bytes / 4);
}
