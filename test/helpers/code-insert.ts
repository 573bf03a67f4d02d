// The inserting loop of test/code-store-race.test.ts, run by both threads (code-insert-worker.ts).
import type { EngineExports } from '../../src/engine/wasm.js';

/** One thread's share: `count` codes tagged `tag`, written at `scratch`, started together through `go`. */
export interface InsertJob { memory: WebAssembly.Memory; scratch: number; tag: number; count: number; go: SharedArrayBuffer }

/** Code i of thread `tag`: 6 + tag + i % 4 bytes (the two threads' codes differ in length). */
export function codeOf(tag: number, i: number): Uint8Array {
  const c = new Uint8Array(6 + tag + (i % 4));
  for (let k = 0; k < c.length; k++) c[k] = (i + k * 7 + tag * 13) & 0xff;
  return c;
}

/** Its (made-up) hash: the low 32 bits are i, so both threads' i-th codes start probing at slot i. */
export function hashOf(tag: number, i: number): Uint8Array {
  const h = new Uint8Array(32);
  new DataView(h.buffer).setUint32(0, i, true);
  h[4] = tag;
  for (let k = 5; k < 32; k++) h[k] = (i * 31 + k + tag) & 0xff;
  return h;
}

/** Waits for the start signal, inserts the codes, and returns the entry each insert returned. */
export function insertCodes(fns: EngineExports, job: InsertJob): number[] {
  const u8 = new Uint8Array(job.memory.buffer);
  const go = new Int32Array(job.go);
  Atomics.add(go, 1, 1);
  while (Atomics.load(go, 0) === 0) { /* both threads start together */ }
  const entries: number[] = [];
  const h = job.scratch, src = job.scratch + 64;
  for (let i = 0; i < job.count; i++) {
    u8.set(hashOf(job.tag, i), h);
    const code = codeOf(job.tag, i);
    u8.set(code, src);
    entries.push(fns.loadCodeHashed(src, code.length, h));
  }
  return entries;
}
