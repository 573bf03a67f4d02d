// keccak256 for the host side (trie roots, transaction hashes, code hashes): the engine's WebAssembly keccak,
// about 10x faster than @noble/hashes in JavaScript (0.3-0.45 us vs 3.9-6.7 us for 64 bytes on this machine
// kind, ../shared/notes/wasm-threads.md), and it allocates only its result. @noble/hashes stays the reference
// the tests compare it with (test/keccak.test.ts, test/keccak-host.test.ts).
import { wasmModule, type EngineExports } from './engine/wasm.js';

const BASE = 1 << 20; // above the module's static data
let fns: EngineExports | undefined;
let memory: WebAssembly.Memory | undefined;
let u8: Uint8Array;

function instance(need: number): Uint8Array {
  if (!fns) {
    memory = new WebAssembly.Memory({ initial: 32, maximum: 65536, shared: true });
    // The precompile host functions are never called by keccak256; stubs satisfy the imports.
    const stub = () => 0;
    const inst = new WebAssembly.Instance(wasmModule(), {
      env: { memory, abort: stub, host_ecrecover: stub, host_bn254_add: stub, host_bn254_mul: stub, host_bn254_pairing: stub, host_kzg_point_eval: stub },
    });
    fns = inst.exports as unknown as EngineExports;
    u8 = new Uint8Array(memory.buffer);
  }
  const bytes = BASE + 64 + need;
  if (bytes > memory!.buffer.byteLength) {
    memory!.grow(Math.ceil((bytes - memory!.buffer.byteLength) / 65536));
    u8 = new Uint8Array(memory!.buffer);
  }
  return u8;
}

/** keccak256 (Ethereum's, with the original Keccak padding) of `data`. */
export function keccak256(data: Uint8Array): Uint8Array {
  const m = instance(data.length);
  m.set(data, BASE + 64);
  fns!.keccak256(BASE + 64, data.length, BASE);
  return m.slice(BASE, BASE + 32);
}

/**
 * Scratch memory of the host instance, from byte `SCRATCH` up, for code that encodes data there and hashes it
 * in place (the trie builder): no copy in, no slice out. Not re-entrant with keccak256, which uses the same
 * bytes. `scratchView(n)` grows the memory to hold n bytes from SCRATCH and returns a view of all of it (take a
 * new view after every call that may grow it).
 */
export const SCRATCH = BASE + 64;
export function scratchView(n: number): Uint8Array { return instance(n); }
/** keccak256 of scratch bytes [ptr, ptr + len) into [out, out + 32) (out may overlap the input). */
export function keccakAt(ptr: number, len: number, out: number): void { fns!.keccak256(ptr, len, out); }
