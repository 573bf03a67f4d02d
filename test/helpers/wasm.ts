// Loads a test module built from assembly/tests/<name>.ts over a fresh shared memory.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface TestWasm {
  exports: any;
  memory: WebAssembly.Memory;
  /** A fresh view (the memory may have grown). */
  u8(): Uint8Array;
}

export function loadTestWasm(name: string, env: Record<string, unknown> = {}, pages = 256): TestWasm {
  const file = fileURLToPath(new URL(`../../../build/tests/${name}.wasm`, import.meta.url));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: 65536, shared: true });
  const mod = new WebAssembly.Module(readFileSync(file));
  const inst = new WebAssembly.Instance(mod, {
    env: { memory, abort: () => { throw new Error('wasm abort'); }, ...env },
  });
  return { exports: inst.exports, memory, u8: () => new Uint8Array(memory.buffer) };
}

/** First byte above the module's static data: tests lay their buffers out from here. */
export function heapBase(w: TestWasm): number {
  const g = w.exports.__heap_base ?? w.exports.heapBase;
  return typeof g === 'object' ? g.value : typeof g === 'function' ? g() : 65536;
}
