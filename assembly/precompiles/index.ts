// Precompiled contracts 0x01..0x0a (Frontier .. Cancun).
//
// Hashes, identity, MODEXP and BLAKE2F run in wasm; the elliptic-curve work (secp256k1 recovery,
// bn254 add/mul/pairing, KZG point evaluation) is delegated to the host through the `env.host_*`
// imports below. Each reads a fixed-size input that has already been zero-padded into arena scratch
// (the pairing reads the caller's input in place: its length is checked to be a multiple of 192).
//
// Memory: the output (and all scratch) comes from the instance's arena. On PC_OK the output stays
// allocated at [pcOutPtr, pcOutPtr + pcOutLen) and the arena top is left just above it, so the caller
// brackets the call with arenaMark()/arenaReset() once it has copied the output. On PC_FAIL the arena
// is restored to where it was on entry.
import { arenaAlloc, arenaMark, arenaReset } from '../arena';
import { BYZANTIUM, ISTANBUL, CANCUN } from '../fork';
import { sha256 } from './sha256';
import { ripemd160 } from './ripemd160';
import { modexpGas, modexpRun, mxModLen } from './modexp';
import { blake2f } from './blake2f';

/** 128 bytes at inPtr: hash | v | r | s (32 bytes each). On success writes 32 bytes (12 zero bytes +
 *  address) at outPtr and returns 1; returns 0 if the signature is invalid / unrecoverable. */
// @ts-ignore: decorator
@external("env", "host_ecrecover") declare function host_ecrecover(inPtr: usize, outPtr: usize): i32;
/** 128 bytes at inPtr: x1 | y1 | x2 | y2. Writes 64 bytes at outPtr; returns 1, or 0 for invalid input. */
// @ts-ignore: decorator
@external("env", "host_bn254_add") declare function host_bn254_add(inPtr: usize, outPtr: usize): i32;
/** 96 bytes at inPtr: x | y | scalar. Writes 64 bytes at outPtr; returns 1, or 0 for invalid input. */
// @ts-ignore: decorator
@external("env", "host_bn254_mul") declare function host_bn254_mul(inPtr: usize, outPtr: usize): i32;
/** len (multiple of 192) bytes at inPtr. Writes 32 bytes (0 or 1, big-endian) at outPtr; returns 1, or
 *  0 for invalid input. */
// @ts-ignore: decorator
@external("env", "host_bn254_pairing") declare function host_bn254_pairing(inPtr: usize, len: u32, outPtr: usize): i32;
/** 192 bytes at inPtr: versioned hash | z | y | commitment (48) | proof (48). Returns 1 iff the proof
 *  verifies (z, y canonical field elements, points valid); 0 otherwise. Writes nothing. */
// @ts-ignore: decorator
@external("env", "host_kzg_point_eval") declare function host_kzg_point_eval(inPtr: usize): i32;

export const PC_OK: i32 = 0;
export const PC_FAIL: i32 = 1;

/** Gas charged (on PC_OK); equals the gas given on PC_FAIL. */
export let pcGasUsed: u64 = 0;
/** Output location (arena) and length (valid on PC_OK). */
export let pcOutPtr: usize = 0;
export let pcOutLen: u32 = 0;

// 32-byte big-endian FIELD_ELEMENTS_PER_BLOB (4096) followed by BLS_MODULUS (read-only).
const KZG_RETURN: usize = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x00,
  0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8, 0x08, 0x09, 0xa1, 0xd8, 0x05,
  0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe, 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
]);

/** Highest precompile address active in `fork` (addresses 1..n are precompiles). */
export function precompileCount(fork: i32): i32 {
  if (fork >= CANCUN) return 10;
  if (fork >= ISTANBUL) return 9;
  if (fork >= BYZANTIUM) return 8;
  return 4;
}

// @ts-ignore: decorator
@inline function words(len: u32): u64 { return (<u64>len + 31) >> 5; }

/** Copies min(inLen, size) input bytes to fresh scratch and zero-fills the rest; 0 if out of arena. */
function padded(inPtr: usize, inLen: u32, size: u32): usize {
  const p = arenaAlloc(<usize>size);
  if (p == 0) return 0;
  const n = inLen < size ? inLen : size;
  memory.copy(p, inPtr, <usize>n);
  memory.fill(p + <usize>n, 0, <usize>(size - n));
  return p;
}

// Per-call state shared by the helpers below.
let entryMark: usize = 0;

function fail(gas: u64): i32 {
  arenaReset(entryMark);
  pcGasUsed = gas;
  pcOutPtr = 0;
  pcOutLen = 0;
  return PC_FAIL;
}

/** Success with `len` bytes at `out`; releases scratch allocated after `keepTop`. */
function ok(cost: u64, out: usize, len: u32, keepTop: usize): i32 {
  arenaReset(keepTop);
  pcGasUsed = cost;
  pcOutPtr = out;
  pcOutLen = len;
  return PC_OK;
}

/**
 * Runs precompile `id` (its address, 1..10) under `fork` on mem[inPtr .. inPtr+inLen) with `gas`.
 * Returns PC_OK (pcGasUsed / pcOutPtr / pcOutLen set) or PC_FAIL (exceptional halt: all gas consumed,
 * empty output). An id that is not active in `fork` also yields PC_FAIL: callers should check
 * `id <= precompileCount(fork)` first and treat other addresses as ordinary accounts.
 */
export function runPrecompile(id: i32, fork: i32, inPtr: usize, inLen: u32, gas: u64): i32 {
  entryMark = arenaMark();
  if (id < 1 || id > precompileCount(fork)) return fail(gas);
  switch (id) {
    case 1: return ecrecover(inPtr, inLen, gas);
    case 2: {
      const cost: u64 = 60 + 12 * words(inLen);
      if (gas < cost) return fail(gas);
      const out = arenaAlloc(32);
      if (out == 0) return fail(gas);
      const top = arenaMark();
      if (!sha256(inPtr, inLen, out)) return fail(gas);
      return ok(cost, out, 32, top);
    }
    case 3: {
      const cost: u64 = 600 + 120 * words(inLen);
      if (gas < cost) return fail(gas);
      const out = arenaAlloc(32);
      if (out == 0) return fail(gas);
      const top = arenaMark();
      memory.fill(out, 0, 12);
      if (!ripemd160(inPtr, inLen, out + 12)) return fail(gas);
      return ok(cost, out, 32, top);
    }
    case 4: {
      const cost: u64 = 15 + 3 * words(inLen);
      if (gas < cost) return fail(gas);
      const out = arenaAlloc(<usize>inLen);
      if (out == 0) return fail(gas);
      memory.copy(out, inPtr, <usize>inLen);
      return ok(cost, out, inLen, arenaMark());
    }
    case 5: return modexp(inPtr, inLen, gas, fork);
    case 6: return bnAdd(inPtr, inLen, gas, fork);
    case 7: return bnMul(inPtr, inLen, gas, fork);
    case 8: return bnPairing(inPtr, inLen, gas, fork);
    case 9: return blake2(inPtr, inLen, gas);
    case 10: return pointEval(inPtr, inLen, gas);
  }
  return fail(gas);
}

function ecrecover(inPtr: usize, inLen: u32, gas: u64): i32 {
  const cost: u64 = 3000;
  if (gas < cost) return fail(gas);
  const out = arenaAlloc(32);
  if (out == 0) return fail(gas);
  const top = arenaMark();
  const p = padded(inPtr, inLen, 128);
  if (p == 0) return fail(gas);
  // v must be exactly 27 or 28 as a 32-byte word; anything else returns empty output.
  let vok = true;
  for (let i: usize = 32; i < 63; i++) if (load<u8>(p + i) != 0) { vok = false; break; }
  const v = load<u8>(p + 63);
  if (!vok || (v != 27 && v != 28)) return ok(cost, 0, 0, entryMark);
  if (host_ecrecover(p, out) != 1) return ok(cost, 0, 0, entryMark);
  return ok(cost, out, 32, top);
}

function modexp(inPtr: usize, inLen: u32, gas: u64, fork: i32): i32 {
  const cost = modexpGas(inPtr, inLen, fork);
  if (gas < cost) return fail(gas);
  const modLen = mxModLen;
  if (modLen == 0) return ok(cost, 0, 0, entryMark);
  if (modLen >= (<u64>1 << 32)) return fail(gas);
  const out = arenaAlloc(<usize>modLen);
  if (out == 0) return fail(gas);
  const top = arenaMark();
  if (!modexpRun(inPtr, inLen, out)) return fail(gas);
  return ok(cost, out, <u32>modLen, top);
}

function bnAdd(inPtr: usize, inLen: u32, gas: u64, fork: i32): i32 {
  const cost: u64 = fork >= ISTANBUL ? 150 : 500;
  if (gas < cost) return fail(gas);
  const out = arenaAlloc(64);
  if (out == 0) return fail(gas);
  const top = arenaMark();
  const p = padded(inPtr, inLen, 128);
  if (p == 0) return fail(gas);
  if (host_bn254_add(p, out) != 1) return fail(gas);
  return ok(cost, out, 64, top);
}

function bnMul(inPtr: usize, inLen: u32, gas: u64, fork: i32): i32 {
  const cost: u64 = fork >= ISTANBUL ? 6000 : 40000;
  if (gas < cost) return fail(gas);
  const out = arenaAlloc(64);
  if (out == 0) return fail(gas);
  const top = arenaMark();
  const p = padded(inPtr, inLen, 96);
  if (p == 0) return fail(gas);
  if (host_bn254_mul(p, out) != 1) return fail(gas);
  return ok(cost, out, 64, top);
}

function bnPairing(inPtr: usize, inLen: u32, gas: u64, fork: i32): i32 {
  const k: u64 = <u64>(inLen / 192);
  const cost: u64 = fork >= ISTANBUL ? 45000 + 34000 * k : 100000 + 80000 * k;
  if (gas < cost) return fail(gas);
  if (inLen % 192 != 0) return fail(gas);
  const out = arenaAlloc(32);
  if (out == 0) return fail(gas);
  if (host_bn254_pairing(inPtr, inLen, out) != 1) return fail(gas);
  return ok(cost, out, 32, arenaMark());
}

function blake2(inPtr: usize, inLen: u32, gas: u64): i32 {
  if (inLen != 213) return fail(gas);
  const rounds = bswap<u32>(load<u32>(inPtr));
  const cost: u64 = <u64>rounds;
  if (gas < cost) return fail(gas);
  const f = load<u8>(inPtr + 212);
  if (f > 1) return fail(gas);
  const out = arenaAlloc(64);
  if (out == 0) return fail(gas);
  blake2f(inPtr, rounds, out);
  return ok(cost, out, 64, arenaMark());
}

function pointEval(inPtr: usize, inLen: u32, gas: u64): i32 {
  if (inLen != 192) return fail(gas);
  const cost: u64 = 50000;
  if (gas < cost) return fail(gas);
  const out = arenaAlloc(64);
  if (out == 0) return fail(gas);
  const top = arenaMark();
  const h = arenaAlloc(32);
  if (h == 0) return fail(gas);
  // versioned hash must be 0x01 || sha256(commitment)[1:]
  if (!sha256(inPtr + 96, 48, h)) return fail(gas);
  if (load<u8>(inPtr) != 0x01) return fail(gas);
  for (let i: usize = 1; i < 32; i++) if (load<u8>(inPtr + i) != load<u8>(h + i)) return fail(gas);
  if (host_kzg_point_eval(inPtr) != 1) return fail(gas);
  memory.copy(out, KZG_RETURN, 64);
  return ok(cost, out, 64, top);
}
