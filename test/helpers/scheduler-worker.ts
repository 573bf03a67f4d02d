// A simulated Block-STM executor for the scheduler tests (no EVM): transactions over K integer locations,
// a tiny multi-version memory in SharedArrayBuffers, and the paper's worker loop. Imported by
// test/scheduler.test.ts for single-threaded runs; as a worker_threads entry it runs the same loop on jobs
// posted to it (the pool is reused across runs, so each job re-attaches and resets the chaos hook).
import { isMainThread, parentPort } from 'node:worker_threads';
import { Scheduler, type Task, type Version } from '../../src/parallel/scheduler.js';

/** Reads per transaction (slots of the read set). */
export const READS = 2;
/** Writes per transaction: its own location, plus a second one depending on the values it read. */
export const WRITES = 2;

/**
 * The block. Transaction i reads reads[2i] and reads[2i+1] (-1 = none), computes v = mix(values, i),
 * writes own[i] := v and, if v is even and cond[i] >= 0, also cond[i] := v ^ 0x5555 (so the write set
 * changes between incarnations).
 */
export interface SimBlock {
  n: number;
  k: number;
  reads: Int32Array;
  own: Int32Array;
  cond: Int32Array;
  /** Initial value of each location (storage below the block). */
  storage: Int32Array;
}

/** Shared memory of one run: the block description, the multi-version memory and the scheduler region. */
export interface SimShared {
  n: number;
  k: number;
  /** reads (n*READS) | own (n) | cond (n) | storage (k): written once by the test, read-only afterwards. */
  blockSab: SharedArrayBuffer;
  /** mv (k*n) | readSet (n * 2*READS: location, value) | writeSet (n*WRITES locations). */
  mvSab: SharedArrayBuffer;
  schedSab: SharedArrayBuffer;
  /** Start barrier of a worker run: [0] = workers arrived. */
  ctlSab: SharedArrayBuffer;
  /** Busy-loop iterations of simulated work in each execution (between its reads and its writes). */
  work: number;
}

/** What one loop did (per thread). */
export interface LoopStats {
  executions: number;
  validations: number;
  idles: number;
}

/** Job posted to a worker. */
export interface SimJob {
  shared: SimShared;
  /** Workers in this run: each waits at the barrier until all arrived, so that they really overlap. */
  threads: number;
  /** 0: no chaos hook; otherwise the seed of its random spins. */
  chaosSeed: number;
  timeoutMs: number;
  /** A start-first list (Scheduler.nextFirst), taken before nextTask while it lasts. */
  first?: number[];
}

/** The value a transaction writes to its own location. */
export function mix(a: number, b: number, i: number): number {
  return (Math.imul(a, 31) + Math.imul(b, 17) + i + 1) & 0xfffff;
}

/** The final location values of running the block one transaction after another. */
export function sequential(b: SimBlock): Int32Array {
  const mem = Int32Array.from(b.storage);
  for (let i = 0; i < b.n; i++) {
    const r0 = b.reads[READS * i], r1 = b.reads[READS * i + 1];
    const v = mix(r0 < 0 ? 0 : mem[r0], r1 < 0 ? 0 : mem[r1], i);
    mem[b.own[i]] = v;
    if ((v & 1) === 0 && b.cond[i] >= 0) mem[b.cond[i]] = v ^ 0x5555;
  }
  return mem;
}

/** Copies a block into fresh shared memory (multi-version memory empty, scheduler initialized). */
export function share(b: SimBlock, work = 0): SimShared {
  const { n, k } = b;
  const blockSab = new SharedArrayBuffer(4 * (n * READS + 2 * n + k));
  const blk = new Int32Array(blockSab);
  blk.set(b.reads, 0);
  blk.set(b.own, n * READS);
  blk.set(b.cond, n * READS + n);
  blk.set(b.storage, n * READS + 2 * n);
  const mvSab = new SharedArrayBuffer(4 * (k * n + n * 2 * READS + n * WRITES));
  const schedSab = new SharedArrayBuffer(Scheduler.bytesFor(n));
  Scheduler.init(schedSab, 0, n);
  const shared = { n, k, blockSab, mvSab, schedSab, ctlSab: new SharedArrayBuffer(4), work };
  resetMemory(shared);
  return shared;
}

/** Empties the multi-version memory and the barrier (for a rerun on the same buffers). */
export function resetMemory(s: SimShared): void {
  Atomics.store(new Int32Array(s.ctlSab), 0, 0);
  const m = new Int32Array(s.mvSab);
  m.fill(0, 0, s.k * s.n);
  m.fill(-1, s.k * s.n); // no locations in read and write sets
}

/**
 * The simulated executor over the shared memory. Multi-version entry (location l, transaction j) at
 * mv[l*n + j]: 0 = no write, ESTIMATE = -1, else value + 1, one word so a reader never sees half an update.
 */
export class Sim {
  readonly n: number;
  readonly k: number;
  private readonly work: number;
  private readonly reads: Int32Array;
  private readonly own: Int32Array;
  private readonly cond: Int32Array;
  private readonly storage: Int32Array;
  private readonly mv: Int32Array;
  private readonly readSet: Int32Array;
  private readonly writeSet: Int32Array;

  constructor(s: SimShared) {
    const { n, k } = s;
    this.n = n;
    this.k = k;
    this.work = s.work;
    this.reads = new Int32Array(s.blockSab, 0, n * READS);
    this.own = new Int32Array(s.blockSab, 4 * n * READS, n);
    this.cond = new Int32Array(s.blockSab, 4 * (n * READS + n), n);
    this.storage = new Int32Array(s.blockSab, 4 * (n * READS + 2 * n), k);
    this.mv = new Int32Array(s.mvSab, 0, k * n);
    this.readSet = new Int32Array(s.mvSab, 4 * k * n, n * 2 * READS);
    this.writeSet = new Int32Array(s.mvSab, 4 * (k * n + n * 2 * READS), n * WRITES);
  }

  /** Value of `loc` seen by transaction `txIdx` (highest write below it), or -(1 + blocking) for an ESTIMATE. */
  read(loc: number, txIdx: number): number {
    const base = loc * this.n;
    for (let j = txIdx - 1; j >= 0; j--) {
      const e = Atomics.load(this.mv, base + j);
      if (e === -1) return -(1 + j);
      if (e > 0) return e - 1;
    }
    return this.storage[loc];
  }

  /** Executes and records one incarnation: -(1 + blocking) if it read an ESTIMATE, else 1 if it wrote a new location, else 0. */
  execute(txIdx: number): number {
    const vals = [0, 0];
    const locs = [-1, -1];
    for (let r = 0; r < READS; r++) {
      const loc = this.reads[READS * txIdx + r];
      if (loc < 0) continue;
      const v = this.read(loc, txIdx);
      if (v < 0) return v;
      vals[r] = v;
      locs[r] = loc;
      spin(this.work >> 1);
    }
    spin(this.work >> 1);
    const v = mix(vals[0], vals[1], txIdx);
    const writes: [number, number][] = [[this.own[txIdx], v]];
    if ((v & 1) === 0 && this.cond[txIdx] >= 0) writes.push([this.cond[txIdx], v ^ 0x5555]);
    // record: apply the write set, drop locations the previous incarnation wrote and this one did not
    for (const [loc, val] of writes) Atomics.store(this.mv, loc * this.n + txIdx, val + 1);
    let wroteNew = false;
    const ws = WRITES * txIdx;
    for (let w = 0; w < WRITES; w++) {
      const prev = Atomics.load(this.writeSet, ws + w);
      if (prev >= 0 && !writes.some(([l]) => l === prev)) Atomics.store(this.mv, prev * this.n + txIdx, 0);
    }
    for (const [loc] of writes) {
      let seen = false;
      for (let w = 0; w < WRITES; w++) if (Atomics.load(this.writeSet, ws + w) === loc) seen = true;
      if (!seen) wroteNew = true;
    }
    for (let w = 0; w < WRITES; w++) Atomics.store(this.writeSet, ws + w, w < writes.length ? writes[w][0] : -1);
    const rs = 2 * READS * txIdx;
    for (let r = 0; r < READS; r++) {
      Atomics.store(this.readSet, rs + 2 * r, locs[r]);
      Atomics.store(this.readSet, rs + 2 * r + 1, vals[r]);
    }
    return wroteNew ? 1 : 0;
  }

  /** Re-reads the last incarnation's read set and compares values (an ESTIMATE fails). */
  validate(txIdx: number): boolean {
    const rs = 2 * READS * txIdx;
    for (let r = 0; r < READS; r++) {
      const loc = Atomics.load(this.readSet, rs + 2 * r);
      if (loc < 0) continue;
      if (this.read(loc, txIdx) !== Atomics.load(this.readSet, rs + 2 * r + 1)) return false;
    }
    return true;
  }

  /** Marks the aborted incarnation's writes as ESTIMATEs. */
  convertWritesToEstimates(txIdx: number): void {
    for (let w = 0; w < WRITES; w++) {
      const loc = Atomics.load(this.writeSet, WRITES * txIdx + w);
      if (loc >= 0) Atomics.store(this.mv, loc * this.n + txIdx, -1);
    }
  }

  /** Final value of every location after the block (throws on a leftover ESTIMATE). */
  finalState(): Int32Array {
    const out = new Int32Array(this.k);
    for (let l = 0; l < this.k; l++) {
      const v = this.read(l, this.n);
      if (v < 0) throw new Error(`location ${l}: ESTIMATE of transaction ${-v - 1} left after the block`);
      out[l] = v;
    }
    return out;
  }
}

let sink = 0;
/** Busy work the optimizer cannot drop. */
function spin(iterations: number): void {
  for (let i = iterations; i > 0; i--) sink = (sink + i) | 0;
  if (sink === 0x7fffffff) console.log('');
}

/** The paper's worker loop (Algorithm 1 `run`) over one scheduler; throws after `timeoutMs`. */
export function runLoop(s: Scheduler, sim: Sim, canBlock: boolean, timeoutMs: number, first?: Int32Array): LoopStats {
  const stats: LoopStats = { executions: 0, validations: 0, idles: 0 };
  const deadline = Date.now() + timeoutMs;
  let task: Task = null;
  let iter = 0;
  while (!s.done()) {
    if (task !== null && task.kind === 'execute') {
      stats.executions++;
      task = tryExecute(s, sim, task.version);
    }
    if (task !== null && task.kind === 'validate') {
      stats.validations++;
      const { txIdx, incarnation } = task.version;
      const aborted = !sim.validate(txIdx) && s.tryValidationAbort(txIdx, incarnation);
      if (aborted) sim.convertWritesToEstimates(txIdx);
      task = s.finishValidation(txIdx, aborted);
    }
    if (task === null && first !== undefined && (task = s.nextFirst(first)) === null) first = undefined;
    if (task === null) {
      task = s.nextTask();
      if (task === null) {
        stats.idles++;
        s.idle(canBlock);
      }
    }
    if ((++iter & 255) === 0 && Date.now() > deadline) throw new Error(`runLoop: not done after ${timeoutMs} ms`);
  }
  return stats;
}

function tryExecute(s: Scheduler, sim: Sim, v: Version): Task {
  for (;;) {
    const r = sim.execute(v.txIdx);
    if (r < 0) {
      // Blocked on an ESTIMATE: suspend, unless the blocking transaction finished meanwhile (then retry).
      if (s.addDependency(v.txIdx, -r - 1)) return null;
      continue;
    }
    return s.finishExecution(v.txIdx, v.incarnation, r === 1);
  }
}

/** Random spins and, rarely, a short sleep: installed as Scheduler.prototype.chaos. */
export function makeChaos(seed: number): () => void {
  let x = seed | 0 || 1;
  const nap = new Int32Array(new SharedArrayBuffer(4));
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const r = (x >>> 0) % 1000;
    if (r < 500) return;
    if (r < 995) spin((x >>> 10) & 1023);
    else {
      Atomics.wait(nap, 0, 0, 0.05);
    }
  };
}

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  port.on('message', (job: SimJob) => {
    try {
      if (job.chaosSeed !== 0) Scheduler.prototype.chaos = makeChaos(job.chaosSeed);
      else delete Scheduler.prototype.chaos;
      const ctl = new Int32Array(job.shared.ctlSab);
      // (the arrival order is the thread's index: each counts its statistics on a line of its own)
      const s = new Scheduler(job.shared.schedSab, 0, job.shared.n, Atomics.add(ctl, 0, 1));
      while (Atomics.load(ctl, 0) < job.threads) Atomics.wait(ctl, 0, Atomics.load(ctl, 0), 1);
      Atomics.notify(ctl, 0);
      const stats = runLoop(s, new Sim(job.shared), true, job.timeoutMs, job.first ? Int32Array.from(job.first) : undefined);
      port.postMessage({ ok: true, stats });
    } catch (e) {
      port.postMessage({ ok: false, error: e instanceof Error ? e.stack ?? e.message : String(e) });
    }
  });
}
