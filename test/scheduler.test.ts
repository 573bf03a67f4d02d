// Block-STM scheduler (src/parallel/scheduler.ts) with a simulated executor (test/helpers/scheduler-worker.ts):
// transactions over integer locations and a small multi-version memory, run single-threaded, as random
// interleavings of virtual threads in one thread (reproducible by seed), and on 2-4 worker_threads (with and
// without random spins in every scheduler call). Every run must end done, with every transaction EXECUTED
// and the same location values as running the block sequentially.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Worker } from 'node:worker_threads';
import { Scheduler, type Task } from '../src/parallel/scheduler.js';
import {
  READS, Sim, runLoop, sequential, share, resetMemory, type SimBlock, type SimShared, type LoopStats, type SimJob,
} from './helpers/scheduler-worker.js';

const HOT = 4; // locations written conditionally by many transactions

function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/**
 * A block of n transactions over k = 2n + HOT locations. Transaction i always reads its private location
 * n+i (never written) and writes its own location i; with probability `rate` it also reads what an
 * earlier transaction wrote: at rate 1 the location of i-1 (a chain), else the location of one of the 4
 * previous transactions or a hot location. Even results also write hot location i % HOT.
 */
function makeBlock(n: number, rate: number, seed: number): SimBlock {
  const rand = rng(seed);
  const k = 2 * n + HOT;
  const reads = new Int32Array(n * READS).fill(-1);
  const own = new Int32Array(n), cond = new Int32Array(n);
  const storage = new Int32Array(k);
  for (let l = 0; l < k; l++) storage[l] = Math.floor(rand() * 0x10000);
  for (let i = 0; i < n; i++) {
    own[i] = i;
    cond[i] = 2 * n + (i % HOT);
    reads[READS * i] = n + i;
    if (i === 0 || !(rate >= 1 || rand() < rate)) continue;
    if (rate >= 1) reads[READS * i + 1] = i - 1;
    else if (rand() < 0.5) reads[READS * i + 1] = i - 1 - Math.floor(rand() * Math.min(i, 4));
    else reads[READS * i + 1] = 2 * n + Math.floor(rand() * HOT);
  }
  return { n, k, reads, own, cond, storage };
}

/** Checks a finished run against the sequential execution and the scheduler's own bookkeeping. */
function checkRun(name: string, block: SimBlock, shared: SimShared, loops: LoopStats[], rate: number): void {
  const s = new Scheduler(shared.schedSab, 0, block.n);
  assert.ok(s.done(), `${name}: done`);
  assert.equal(Array.from(new Sim(shared).finalState()), Array.from(sequential(block)), `${name}: final state`);
  let incarnations = 0;
  for (let i = 0; i < block.n; i++) {
    const st = s.status(i);
    if (st.status !== 'executed') assert.unreachable(`${name}: transaction ${i} is ${st.status}`);
    incarnations += st.incarnation;
  }
  const c = s.counters();
  // every incarnation ends executed (final) or aborted by a validation or a dependency
  assert.is(c.executions, block.n + c.aborts + c.dependencies, `${name}: executions = n + aborts + dependencies`);
  assert.is(incarnations, c.aborts + c.dependencies, `${name}: incarnations`);
  assert.is(loops.reduce((a, l) => a + l.executions, 0), c.executions, `${name}: execution tasks run`);
  assert.is(loops.reduce((a, l) => a + l.validations, 0), c.validations, `${name}: validation tasks run`);
  assert.ok(c.validations >= block.n, `${name}: every transaction validated`);
  if (rate === 0) assert.equal([c.aborts, c.dependencies], [0, 0], `${name}: no conflicts, no aborts`);
}

// --- unit ------------------------------------------------------------------------------------------------

test('layout: bytesFor, init at an offset, attach checks', () => {
  assert.is(Scheduler.bytesFor(0), 1152); // 10 header lines and 8 lines of per-thread statistics
  assert.is(Scheduler.bytesFor(10), 1152 + 640); // one 64-byte line per transaction
  const sab = new SharedArrayBuffer(64 + Scheduler.bytesFor(3) + Scheduler.bytesFor(5));
  assert.throws(() => new Scheduler(sab, 64, 3), /Scheduler.init/);
  Scheduler.init(sab, 64, 3);
  Scheduler.init(sab, 64 + Scheduler.bytesFor(3), 5);
  assert.throws(() => new Scheduler(sab, 64, 4), /Scheduler.init/);
  assert.throws(() => Scheduler.init(sab, 2, 3), RangeError);
  assert.throws(() => Scheduler.init(sab, 64 + Scheduler.bytesFor(3), 6), RangeError);
  const a = new Scheduler(sab, 64, 3), b = new Scheduler(sab, 64 + Scheduler.bytesFor(3), 5);
  assert.equal(a.nextTask(), { kind: 'execute', version: { txIdx: 0, incarnation: 0 } });
  // the neighbour region is untouched
  assert.equal(b.nextTask(), { kind: 'execute', version: { txIdx: 0, incarnation: 0 } });
  assert.equal(a.status(0), { status: 'executing', incarnation: 0 });
  assert.equal(a.status(1), { status: 'ready', incarnation: 0 });
  assert.throws(() => a.status(3), RangeError);
  // init resets
  Scheduler.init(sab, 64, 3);
  assert.equal(new Scheduler(sab, 64, 3).status(0), { status: 'ready', incarnation: 0 });
});

test('empty block is done at the first nextTask', () => {
  const sab = new SharedArrayBuffer(Scheduler.bytesFor(0));
  Scheduler.init(sab, 0, 0);
  const s = new Scheduler(sab, 0, 0);
  assert.not.ok(s.done());
  assert.is(s.nextTask(), null);
  assert.ok(s.done());
});

test('finish numbers and recorded validations (the commit reader\'s shortcut)', () => {
  const sab = new SharedArrayBuffer(Scheduler.bytesFor(2));
  Scheduler.init(sab, 0, 2);
  const s = new Scheduler(sab, 0, 2);
  assert.is(s.finishSeq(0), 0);
  assert.is(s.validatedSince(1, 0), -1); // no validation recorded
  assert.is(s.validationStart(), 0);
  s.nextTask(); s.nextTask(); s.nextTask(); // 0 and 1 executing
  s.finishExecution(0, 0, true);
  assert.is(s.finishSeq(0), 1);
  const start = s.validationStart(); // a validation of 1 that begins now saw 0's writes
  assert.is(start, 1);
  s.finishExecution(1, 0, true);
  assert.is(s.finishSeq(1), 2);
  s.noteValidated(1, 0, start);
  assert.is(s.validatedSince(1, 0), 1);
  assert.is(s.validatedSince(1, 1), -1); // another incarnation: nothing known of it
  s.noteValidated(1, 1, 2);
  assert.is(s.validatedSince(1, 0), -1);
  assert.is(s.validatedSince(1, 1), 2);
});

test('state machine: validation abort, dependency, resume, counters', () => {
  const sab = new SharedArrayBuffer(Scheduler.bytesFor(3));
  Scheduler.init(sab, 0, 3);
  const s = new Scheduler(sab, 0, 3);
  const ex = (txIdx: number, incarnation: number): Task => ({ kind: 'execute', version: { txIdx, incarnation } });
  const va = (txIdx: number, incarnation: number): Task => ({ kind: 'validate', version: { txIdx, incarnation } });
  // three threads take 0, 1, 2; validation goes first while validation_idx < execution_idx, so every
  // other call spends a validation slot on a transaction that is not executed yet and returns null
  assert.equal(s.nextTask(), ex(0, 0));
  assert.is(s.nextTask(), null);
  assert.equal(s.nextTask(), ex(1, 0));
  assert.is(s.nextTask(), null);
  assert.equal(s.nextTask(), ex(2, 0));
  // 0 finishes and wrote a new location: validation_idx (2) drops back to 0
  assert.is(s.finishExecution(0, 0, true), null);
  assert.equal(s.status(0), { status: 'executed', incarnation: 0 });
  assert.throws(() => s.finishExecution(0, 0, false), /not executing/);
  assert.equal(s.nextTask(), va(0, 0));
  assert.is(s.finishValidation(0, false), null);
  // 1 finishes; validation_idx (1) is not above 1 either
  assert.is(s.finishExecution(1, 0, true), null);
  assert.equal(s.nextTask(), va(1, 0));
  // validation of 1 fails; only one validator wins the abort
  assert.ok(s.tryValidationAbort(1, 0));
  assert.not.ok(s.tryValidationAbort(1, 0));
  assert.equal(s.status(1), { status: 'aborting', incarnation: 0 });
  // execution_idx (3) > 1: the validator re-executes 1 at once, with the next incarnation
  assert.equal(s.finishValidation(1, true), ex(1, 1));
  // 2 read an ESTIMATE of 1: suspended until 1 finishes
  assert.throws(() => s.addDependency(2, 2), RangeError);
  assert.ok(s.addDependency(2, 1));
  assert.equal(s.status(2), { status: 'aborting', incarnation: 0 });
  assert.throws(() => s.addDependency(2, 1), /not executing/);
  // 1 finishes: 2 is resumed (ready, incarnation 1) and execution_idx drops to 2; validation_idx (2) > 1
  // and 1 wrote nothing new: its validation is returned directly
  assert.equal(s.finishExecution(1, 1, false), va(1, 1));
  assert.equal(s.status(2), { status: 'ready', incarnation: 1 });
  assert.is(s.finishValidation(1, false), null);
  assert.equal(s.nextTask(), ex(2, 1));
  // 2 reads an ESTIMATE of 1 it had seen before 1 finished: 1 is EXECUTED now, so re-execute at once
  assert.not.ok(s.addDependency(2, 1));
  assert.equal(s.status(2), { status: 'executing', incarnation: 1 });
  assert.is(s.finishExecution(2, 1, true), null);
  assert.not.ok(s.done());
  assert.equal(s.nextTask(), va(2, 1));
  assert.is(s.nextTask(), null); // nothing left but the validation in flight
  assert.not.ok(s.done());
  assert.is(s.finishValidation(2, false), null);
  assert.is(s.nextTask(), null);
  assert.ok(s.done());
  assert.equal(s.counters(), { executions: 5, validations: 4, aborts: 1, dependencies: 1, hints: 0, firsts: 0 });
});

test('a hint dependency (known before running) suspends like a dependency but counts apart', () => {
  const sab = new SharedArrayBuffer(Scheduler.bytesFor(2));
  Scheduler.init(sab, 0, 2);
  const s = new Scheduler(sab, 0, 2);
  const ex = (txIdx: number, incarnation: number): Task => ({ kind: 'execute', version: { txIdx, incarnation } });
  assert.equal(s.nextTask(), ex(0, 0));
  assert.is(s.nextTask(), null); // a validation slot spent on 0, not executed yet
  assert.equal(s.nextTask(), ex(1, 0));
  // 1 is known to depend on 0 (same sender) and 0 is still executing: 1 waits without running
  assert.ok(s.addDependency(1, 0, true));
  assert.equal(s.status(1), { status: 'aborting', incarnation: 0 });
  assert.equal(s.counters(), { executions: 1, validations: 0, aborts: 0, dependencies: 0, hints: 1, firsts: 0 });
  // 0 finishes: 1 is ready with incarnation 1, and its first real execution counts
  assert.is(s.finishExecution(0, 0, true), null);
  assert.equal(s.status(1), { status: 'ready', incarnation: 1 });
  let t: Task;
  while ((t = s.nextTask()) !== null && t.kind !== 'execute') s.finishValidation(t.version.txIdx, false);
  assert.equal(t, ex(1, 1));
  // once the predecessor is EXECUTED a hint does not suspend
  assert.not.ok(s.addDependency(1, 0, true));
  assert.equal(s.counters().executions, 2);
});

test('finishExecution hands back its own validation unless it wrote a new location', () => {
  const sab = new SharedArrayBuffer(Scheduler.bytesFor(2));
  Scheduler.init(sab, 0, 2);
  const s = new Scheduler(sab, 0, 2);
  assert.equal(s.nextTask(), { kind: 'execute', version: { txIdx: 0, incarnation: 0 } });
  assert.is(s.finishExecution(0, 0, false), null); // validation_idx (0) is not above 0: nextTask will do it
  assert.equal(s.nextTask(), { kind: 'validate', version: { txIdx: 0, incarnation: 0 } });
  assert.ok(s.tryValidationAbort(0, 0));
  // execution_idx (1) > 0: the validator re-executes at once
  assert.equal(s.finishValidation(0, true), { kind: 'execute', version: { txIdx: 0, incarnation: 1 } });
  // validation_idx (1) > 0 and nothing new written: validate the same version right away
  assert.equal(s.finishExecution(0, 1, false), { kind: 'validate', version: { txIdx: 0, incarnation: 1 } });
  assert.not.ok(s.tryValidationAbort(0, 0), 'stale incarnation');
  assert.ok(s.tryValidationAbort(0, 1));
  assert.equal(s.finishValidation(0, true), { kind: 'execute', version: { txIdx: 0, incarnation: 2 } });
  // a new location: the validation of 0 and everything above is rescheduled through validation_idx
  assert.is(s.finishExecution(0, 2, true), null);
  assert.equal(s.nextTask(), { kind: 'validate', version: { txIdx: 0, incarnation: 2 } });
  assert.is(s.finishValidation(0, false), null);
  assert.equal(s.nextTask(), { kind: 'execute', version: { txIdx: 1, incarnation: 0 } });
  assert.equal(s.status(0), { status: 'executed', incarnation: 2 });
});

test('idle: returns at once with work or nothing in flight; sleeps only if canBlock', () => {
  const sab = new SharedArrayBuffer(Scheduler.bytesFor(1));
  Scheduler.init(sab, 0, 1);
  const s = new Scheduler(sab, 0, 1);
  const realWait = Atomics.wait;
  const waits: number[] = [];
  (Atomics as any).wait = (ta: Int32Array, i: number, v: number, t?: number) => { waits.push(t ?? Infinity); return realWait(ta, i, v, t); };
  try {
    s.idle(true); // execution_idx 0 < n
    assert.is(waits.length, 0);
    assert.equal(s.nextTask()?.kind, 'execute');
    assert.is(s.finishExecution(0, 0, false), null);
    s.idle(true); // validation_idx 0 < n
    assert.is(waits.length, 0);
    assert.equal(s.nextTask()?.kind, 'validate');
    // both indices past the end, one task in flight: nothing to do for another thread
    assert.is(s.nextTask(), null);
    s.idle(false);
    assert.is(waits.length, 0, 'idle(false) never waits');
    const t0 = performance.now();
    s.idle(true);
    assert.equal(waits, [1], 'idle(true) waits once, briefly');
    assert.ok(performance.now() - t0 < 200);
    assert.is(s.finishValidation(0, false), null);
    s.idle(true); // no task in flight: nextTask settles done
    assert.is(waits.length, 1);
    assert.is(s.nextTask(), null);
    assert.ok(s.done());
    s.idle(true);
    assert.is(waits.length, 1);
  } finally {
    (Atomics as any).wait = realWait;
  }
});

// --- simulated blocks ------------------------------------------------------------------------------------

const RATES = [0, 0.1, 0.5, 1];

test('single thread: same state as sequential, no aborts', () => {
  for (const rate of RATES) {
    const block = makeBlock(300, rate, 7 + rate * 100);
    const shared = share(block);
    const stats = runLoop(new Scheduler(shared.schedSab, 0, block.n), new Sim(shared), true, 3000);
    checkRun(`1 thread, rate ${rate}`, block, shared, [stats], rate);
    const c = new Scheduler(shared.schedSab, 0, block.n).counters();
    assert.equal([c.executions, c.aborts, c.dependencies], [block.n, 0, 0]);
  }
});

/**
 * Virtual threads in one thread: each step picks a random thread and advances it by one scheduler
 * interaction (an execution attempt with its addDependency / finishExecution, a validation with its
 * finishValidation, or a nextTask). Every such interleaving is a legal schedule, and a failure replays
 * from its seed.
 */
function runVirtual(shared: SimShared, threads: number, seed: number, first?: Int32Array): LoopStats[] {
  const sim = new Sim(shared);
  const rand = rng(seed);
  const tasks: Task[] = new Array(threads).fill(null);
  const stats: LoopStats[] = tasks.map(() => ({ executions: 0, validations: 0, idles: 0 }));
  // one attachment per virtual thread, as real threads have (each counts its statistics on its own line)
  const all = tasks.map((_, t) => new Scheduler(shared.schedSab, 0, shared.n, t));
  let steps = 0;
  while (!all[0].done()) {
    if (++steps > 2_000_000) throw new Error('virtual threads: not done');
    const t = Math.floor(rand() * threads);
    const s = all[t];
    const task = tasks[t];
    if (task === null) {
      // (with a start-first list, the odd virtual threads take from it first, as pool threads do)
      tasks[t] = (first !== undefined && t % 2 === 1 ? s.nextFirst(first) : null) ?? s.nextTask();
      if (tasks[t] !== null) stats[t][tasks[t]!.kind === 'execute' ? 'executions' : 'validations']++;
    } else if (task.kind === 'execute') {
      const { txIdx, incarnation } = task.version;
      const r = sim.execute(txIdx);
      // blocked and the blocking transaction finished meanwhile: keep the task, retry on a later step
      if (r < 0) tasks[t] = s.addDependency(txIdx, -r - 1) ? null : task;
      else tasks[t] = s.finishExecution(txIdx, incarnation, r === 1);
      if (tasks[t]?.kind === 'validate') stats[t].validations++;
    } else {
      const { txIdx, incarnation } = task.version;
      const aborted = !sim.validate(txIdx) && s.tryValidationAbort(txIdx, incarnation);
      if (aborted) sim.convertWritesToEstimates(txIdx);
      tasks[t] = s.finishValidation(txIdx, aborted);
      if (tasks[t]?.kind === 'execute') stats[t].executions++;
    }
  }
  return stats;
}

test('virtual threads: random interleavings, same state as sequential', () => {
  let conflicts = 0;
  for (const rate of RATES) {
    for (let seed = 1; seed <= 6; seed++) {
      const block = makeBlock(120, rate, seed * 13 + rate * 1000);
      const shared = share(block);
      const threads = 2 + (seed % 7);
      const stats = runVirtual(shared, threads, seed);
      checkRun(`virtual ${threads} threads, rate ${rate}, seed ${seed}`, block, shared, stats, rate);
      const c = new Scheduler(shared.schedSab, 0, block.n).counters();
      conflicts += c.aborts + c.dependencies;
    }
  }
  assert.ok(conflicts > 0, 'the conflicting blocks did abort and suspend transactions');
});

test('virtual threads with a start-first list (late transactions first, some of them in conflict): same state as sequential', () => {
  let conflicts = 0, firsts = 0;
  for (const rate of RATES) {
    for (let seed = 1; seed <= 6; seed++) {
      const block = makeBlock(120, rate, seed * 17 + rate * 1000);
      const shared = share(block);
      const first = Int32Array.from([119, 118, 60 + seed, 119 - 10 * seed, 5]);
      const threads = 2 + (seed % 5);
      const stats = runVirtual(shared, threads, seed, first);
      checkRun(`virtual ${threads} threads, start-first, rate ${rate}, seed ${seed}`, block, shared, stats, rate);
      const c = new Scheduler(shared.schedSab, 0, block.n).counters();
      conflicts += c.aborts + c.dependencies;
      firsts += c.firsts;
    }
  }
  assert.ok(conflicts > 0, 'transactions started before their predecessors were aborted or suspended');
  assert.ok(firsts > 0, 'some execution tasks came from the list');
});

test('nextFirst: takes the list in order, skips a transaction already taken, then leaves the rest to nextTask', () => {
  const sab = new SharedArrayBuffer(Scheduler.bytesFor(4));
  Scheduler.init(sab, 0, 4);
  const s = new Scheduler(sab, 0, 4);
  const first = Int32Array.from([3, 0, 3, 1]);
  const ex = (txIdx: number): Task => ({ kind: 'execute', version: { txIdx, incarnation: 0 } });
  assert.equal(s.nextFirst(first), ex(3));
  assert.equal(s.status(3), { status: 'executing', incarnation: 0 });
  assert.equal(s.nextFirst(first), ex(0));
  assert.equal(s.nextFirst(first), ex(1)); // the second 3 is not ready: passed over
  assert.is(s.nextFirst(first), null);
  assert.is(s.nextFirst(first), null);
  // execution_idx passes 0 and 1 (taken already: no task; validation slots of unexecuted ones in between),
  // and the only execution left to hand out is 2's
  const handed: Task[] = [];
  for (let k = 0; k < 8; k++) { const t = s.nextTask(); if (t !== null) handed.push(t); }
  assert.equal(handed, [ex(2)]);
  for (const i of [3, 0, 1, 2]) assert.is(s.finishExecution(i, 0, true), null);
  // everything validates, and the block is done; 4 executions for 4 transactions
  let task = s.nextTask();
  let validations = 0;
  while (!s.done()) {
    if (task !== null) { assert.is(task.kind, 'validate'); validations++; task = s.finishValidation(task.version.txIdx, false); }
    task = task ?? s.nextTask();
  }
  assert.is(validations, 4);
  assert.equal(s.counters().executions, 4);
  assert.is(s.counters().firsts, 3, 'three execution tasks came from the list');
  assert.throws(() => s.nextFirst(Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 9])), RangeError);
});

test('virtual threads: init resets a scheduler for the next block', () => {
  const block = makeBlock(80, 0.5, 99);
  const shared = share(block);
  for (let round = 0; round < 3; round++) {
    if (round > 0) { Scheduler.init(shared.schedSab, 0, block.n); resetMemory(shared); }
    checkRun(`round ${round}`, block, shared, runVirtual(shared, 4, round + 1), 0.5);
  }
});

// --- worker threads --------------------------------------------------------------------------------------

const POOL = 4;
const RUN_TIMEOUT_MS = 5000;
let pool: Worker[] = [];

function workers(count: number): Worker[] {
  while (pool.length < count) {
    const w = new Worker(new URL('./helpers/scheduler-worker.js', import.meta.url));
    w.unref();
    pool.push(w);
  }
  return pool.slice(0, count);
}

function stopPool(): void {
  for (const w of pool) void w.terminate();
  pool = [];
}

/** Runs the block on `threads` workers; rejects on a worker error or after RUN_TIMEOUT_MS (a hang). */
async function runWorkers(shared: SimShared, threads: number, chaosSeed = 0, first?: number[]): Promise<LoopStats[]> {
  const ws = workers(threads);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      stopPool(); // the hung workers are gone; the next run starts fresh ones
      reject(new Error(`${threads} workers: no result after ${RUN_TIMEOUT_MS} ms (hang)`));
    }, RUN_TIMEOUT_MS);
  });
  const runs = ws.map((w, i) => new Promise<LoopStats>((resolve, reject) => {
    const onError = (e: Error) => { w.off('message', onMessage); reject(e); };
    const onMessage = (m: { ok: boolean; stats?: LoopStats; error?: string }) => {
      w.off('error', onError);
      if (m.ok) resolve(m.stats!);
      else reject(new Error(`worker ${i}: ${m.error}`));
    };
    w.once('message', onMessage);
    w.once('error', onError);
    const job: SimJob = { shared, threads, chaosSeed: chaosSeed === 0 ? 0 : chaosSeed * 31 + i, timeoutMs: RUN_TIMEOUT_MS, first };
    w.postMessage(job);
  }));
  try {
    return await Promise.race([Promise.all(runs), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

test('workers: 2 and 4 threads, conflict rates 0 / 10 / 50 / 100 %', async () => {
  try {
    for (const threads of [2, 4]) {
      for (const rate of RATES) {
        const block = makeBlock(300, rate, threads * 1000 + rate * 100);
        // ~10-20 us per execution: long enough for the workers to overlap and conflict
        const shared = share(block, 20000);
        const stats = await runWorkers(shared, threads);
        checkRun(`${threads} workers, rate ${rate}`, block, shared, stats, rate);
      }
    }
  } catch (e) {
    stopPool();
    throw e;
  }
});

test('workers with chaos: random spins and naps inside every scheduler call', async () => {
  try {
    let round = 0;
    for (let seed = 0; seed < 3; seed++) {
      for (const threads of [3, 4]) {
        for (const rate of [0.1, 0.5, 1]) {
          round++;
          const block = makeBlock(150, rate, 500 + round);
          const shared = share(block, 5000);
          const stats = await runWorkers(shared, threads, round);
          checkRun(`chaos ${threads} workers, rate ${rate}, seed ${round}`, block, shared, stats, rate);
        }
      }
    }
  } finally {
    stopPool();
  }
});

test('workers with a start-first list and chaos: late transactions started first by every thread', async () => {
  try {
    let round = 0;
    for (const threads of [2, 4]) {
      for (const rate of [0, 0.5, 1]) {
        round++;
        const block = makeBlock(150, rate, 900 + round);
        const shared = share(block, 5000);
        const stats = await runWorkers(shared, threads, round, [149, 148, 100, 75, 3]);
        checkRun(`start-first, chaos ${threads} workers, rate ${rate}`, block, shared, stats, rate);
      }
    }
  } finally {
    stopPool();
  }
});

test.run();
