// Test module for assembly/u256.ts and assembly/keccak.ts: re-exports the engine functions plus in-wasm bench loops.
import { add, mul, div, mulmod, u256Init } from "../u256";
import { keccak256 } from "../keccak";
import { arenaInit } from "../arena";

export {
  add, sub, mul, div, sdiv, mod, smod, addmod, mulmod, exp,
  signextend, byteOp, shl, shr, sar, and, or, xor, not,
  lt, gt, slt, sgt, eq, isZero, copy, setZero, setU64, fitsU64,
  loadBE, storeBE, byteLength, clz, u256Init,
} from "../u256";
export { keccak256 } from "../keccak";
export { arenaInit, arenaFree } from "../arena";

export function heapBase(): usize {
  return __heap_base;
}

/** Lays out an arena at [base, base + size) and takes the u256 scratch from it. */
export function setup(base: usize, size: usize): void {
  arenaInit(base, size);
  u256Init();
}

// Bench loops: the operands live in a 128-byte buffer: a at buf, b at buf+32, m at buf+64, r at buf+96.
// Each iteration feeds its result back in so the calls form a dependency chain.

export function benchAdd(n: i32, buf: usize): void {
  for (let i = 0; i < n; i++) add(buf + 96, buf + 96, buf + 32);
}

export function benchMul(n: i32, buf: usize): void {
  for (let i = 0; i < n; i++) mul(buf + 96, buf + 96, buf + 32);
}

export function benchDiv(n: i32, buf: usize): void {
  for (let i = 0; i < n; i++) {
    div(buf + 96, buf, buf + 32);
    store<u64>(buf, load<u64>(buf) ^ load<u64>(buf + 96)); // perturb the dividend
  }
}

export function benchMulmod(n: i32, buf: usize): void {
  for (let i = 0; i < n; i++) mulmod(buf + 96, buf + 96, buf, buf + 64);
}

/** keccak256 of the 64 bytes at buf, output written over the first 32 input bytes. */
export function benchKeccak(n: i32, buf: usize): void {
  for (let i = 0; i < n; i++) keccak256(buf, 64, buf);
}
