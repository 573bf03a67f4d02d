// 256-bit EVM words. A word lives in memory as 4 little-endian u64 limbs (limb 0, the least significant, at
// ptr+0; limb 3 at ptr+24), which is also 8 little-endian u32 digits (digit i at ptr+4i): division uses that view.
//
// Every function takes pointers and the result pointer `r` may alias any input: all inputs are read into locals
// (or into this instance's scratch) before the first store to `r`.
//
// Engine rules: no managed allocation, no exceptions. Division, MULMOD/ADDMOD (general case), SDIV/SMOD and EXP use a
// per-instance scratch block taken from the arena by `u256Init()`, which must run once per instance after
// `arenaInit` and before any of those are called.

import { arenaAlloc } from "./arena";

const M32: u64 = 0xFFFFFFFF;

// ---- scratch (per instance; wasm globals are per instance, the block comes from this instance's arena) ----

let SCR: usize = 0;
const UN: usize = 0; // dividend digits, normalized in place: up to 17 u32 (mulmod: 16 + 1)
const VN: usize = 80; // normalized divisor: 8 u32
const QD: usize = 112; // quotient digits: up to 16 u32
const RD: usize = 176; // remainder: 8 u32 (one word)
const T1: usize = 208; // word temporaries (SDIV/SMOD |a|, |b|; EXP base, result)
const T2: usize = 240;
const SCRATCH_SIZE: usize = 288;

/** Takes this instance's scratch block from the arena. Call once per instance after `arenaInit`. */
export function u256Init(): void {
  SCR = arenaAlloc(SCRATCH_SIZE);
}

// ---- small helpers ----

// @ts-ignore: decorator
@inline function st(r: usize, r0: u64, r1: u64, r2: u64, r3: u64): void {
  store<u64>(r, r0);
  store<u64>(r, r1, 8);
  store<u64>(r, r2, 16);
  store<u64>(r, r3, 24);
}

// @ts-ignore: decorator
@inline function ltL(a0: u64, a1: u64, a2: u64, a3: u64, b0: u64, b1: u64, b2: u64, b3: u64): bool {
  if (a3 != b3) return a3 < b3;
  if (a2 != b2) return a2 < b2;
  if (a1 != b1) return a1 < b1;
  return a0 < b0;
}

// @ts-ignore: decorator
@inline function dg(p: usize, i: i32): u64 {
  return <u64>load<u32>(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function sdg(p: usize, i: i32, v: u64): void {
  store<u32>(p + (<usize>i << 2), <u32>v);
}

/** Number of significant u32 digits among the first n at p. */
// @ts-ignore: decorator
@inline function sigDigits(p: usize, n: i32): i32 {
  while (n > 0 && load<u32>(p + (<usize>(n - 1) << 2)) == 0) n--;
  return n;
}

/** r = -a (two's complement). */
// @ts-ignore: decorator
@inline function neg(r: usize, a: usize): void {
  const r0 = ~load<u64>(a) + 1;
  let c = <u64>(r0 == 0);
  const r1 = ~load<u64>(a, 8) + c;
  c &= <u64>(r1 == 0);
  const r2 = ~load<u64>(a, 16) + c;
  c &= <u64>(r2 == 0);
  const r3 = ~load<u64>(a, 24) + c;
  st(r, r0, r1, r2, r3);
}

// ---- basic ----

// @ts-ignore: decorator
@inline export function copy(r: usize, a: usize): void {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  st(r, a0, a1, a2, a3);
}

// @ts-ignore: decorator
@inline export function setZero(r: usize): void {
  st(r, 0, 0, 0, 0);
}

// @ts-ignore: decorator
@inline export function setU64(r: usize, v: u64): void {
  st(r, v, 0, 0, 0);
}

/** True when limbs 1..3 are zero. */
// @ts-ignore: decorator
@inline export function fitsU64(a: usize): bool {
  return (load<u64>(a, 8) | load<u64>(a, 16) | load<u64>(a, 24)) == 0;
}

// @ts-ignore: decorator
@inline export function isZero(a: usize): bool {
  return (load<u64>(a) | load<u64>(a, 8) | load<u64>(a, 16) | load<u64>(a, 24)) == 0;
}

// @ts-ignore: decorator
@inline export function eq(a: usize, b: usize): bool {
  return ((load<u64>(a) ^ load<u64>(b)) | (load<u64>(a, 8) ^ load<u64>(b, 8)) |
    (load<u64>(a, 16) ^ load<u64>(b, 16)) | (load<u64>(a, 24) ^ load<u64>(b, 24))) == 0;
}

// @ts-ignore: decorator
@inline export function lt(a: usize, b: usize): bool {
  const a3 = load<u64>(a, 24), b3 = load<u64>(b, 24);
  if (a3 != b3) return a3 < b3;
  const a2 = load<u64>(a, 16), b2 = load<u64>(b, 16);
  if (a2 != b2) return a2 < b2;
  const a1 = load<u64>(a, 8), b1 = load<u64>(b, 8);
  if (a1 != b1) return a1 < b1;
  return load<u64>(a) < load<u64>(b);
}

// @ts-ignore: decorator
@inline export function gt(a: usize, b: usize): bool {
  return lt(b, a);
}

// @ts-ignore: decorator
@inline export function slt(a: usize, b: usize): bool {
  const a3 = load<u64>(a, 24), b3 = load<u64>(b, 24);
  if (a3 != b3) return <i64>a3 < <i64>b3;
  const a2 = load<u64>(a, 16), b2 = load<u64>(b, 16);
  if (a2 != b2) return a2 < b2;
  const a1 = load<u64>(a, 8), b1 = load<u64>(b, 8);
  if (a1 != b1) return a1 < b1;
  return load<u64>(a) < load<u64>(b);
}

// @ts-ignore: decorator
@inline export function sgt(a: usize, b: usize): bool {
  return slt(b, a);
}

// @ts-ignore: decorator
@inline export function and(r: usize, a: usize, b: usize): void {
  const r0 = load<u64>(a) & load<u64>(b), r1 = load<u64>(a, 8) & load<u64>(b, 8);
  const r2 = load<u64>(a, 16) & load<u64>(b, 16), r3 = load<u64>(a, 24) & load<u64>(b, 24);
  st(r, r0, r1, r2, r3);
}

// @ts-ignore: decorator
@inline export function or(r: usize, a: usize, b: usize): void {
  const r0 = load<u64>(a) | load<u64>(b), r1 = load<u64>(a, 8) | load<u64>(b, 8);
  const r2 = load<u64>(a, 16) | load<u64>(b, 16), r3 = load<u64>(a, 24) | load<u64>(b, 24);
  st(r, r0, r1, r2, r3);
}

// @ts-ignore: decorator
@inline export function xor(r: usize, a: usize, b: usize): void {
  const r0 = load<u64>(a) ^ load<u64>(b), r1 = load<u64>(a, 8) ^ load<u64>(b, 8);
  const r2 = load<u64>(a, 16) ^ load<u64>(b, 16), r3 = load<u64>(a, 24) ^ load<u64>(b, 24);
  st(r, r0, r1, r2, r3);
}

// @ts-ignore: decorator
@inline export function not(r: usize, a: usize): void {
  const r0 = ~load<u64>(a), r1 = ~load<u64>(a, 8), r2 = ~load<u64>(a, 16), r3 = ~load<u64>(a, 24);
  st(r, r0, r1, r2, r3);
}

// ---- arithmetic ----

// @ts-ignore: decorator
@inline export function add(r: usize, a: usize, b: usize): void {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  const b0 = load<u64>(b), b1 = load<u64>(b, 8), b2 = load<u64>(b, 16), b3 = load<u64>(b, 24);
  const r0 = a0 + b0;
  let c = <u64>(r0 < b0);
  const t1 = a1 + c;
  c = <u64>(t1 < c);
  const r1 = t1 + b1;
  c |= <u64>(r1 < b1);
  const t2 = a2 + c;
  c = <u64>(t2 < c);
  const r2 = t2 + b2;
  c |= <u64>(r2 < b2);
  const r3 = a3 + b3 + c;
  st(r, r0, r1, r2, r3);
}

// @ts-ignore: decorator
@inline export function sub(r: usize, a: usize, b: usize): void {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  const b0 = load<u64>(b), b1 = load<u64>(b, 8), b2 = load<u64>(b, 16), b3 = load<u64>(b, 24);
  const r0 = a0 - b0;
  let w = <u64>(a0 < b0);
  const t1 = a1 - b1;
  const r1 = t1 - w;
  w = <u64>(a1 < b1) | <u64>(t1 < w);
  const t2 = a2 - b2;
  const r2 = t2 - w;
  w = <u64>(a2 < b2) | <u64>(t2 < w);
  const r3 = a3 - b3 - w;
  st(r, r0, r1, r2, r3);
}

/** r = a * b mod 2^256 (64-bit limbs, 128-bit partial products from 32-bit halves: 28 i64 multiplies, 5 when both fit in u64). */
export function mul(r: usize, a: usize, b: usize): void {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  const b0 = load<u64>(b), b1 = load<u64>(b, 8), b2 = load<u64>(b, 16), b3 = load<u64>(b, 24);
  const M = M32;
  const aL0 = a0 & M, aH0 = a0 >> 32, bL0 = b0 & M, bH0 = b0 >> 32;
  // hi(a0 * b0)
  const t00 = aL0 * bL0;
  const u00 = aH0 * bL0 + (t00 >> 32);
  const v00 = aL0 * bH0 + (u00 & M);
  const h00 = aH0 * bH0 + (u00 >> 32) + (v00 >> 32);
  const l00 = a0 * b0;
  if ((a1 | a2 | a3 | b1 | b2 | b3) == 0) {
    st(r, l00, h00, 0, 0);
    return;
  }
  const aL1 = a1 & M, aH1 = a1 >> 32, bL1 = b1 & M, bH1 = b1 >> 32;
  const aL2 = a2 & M, aH2 = a2 >> 32, bL2 = b2 & M, bH2 = b2 >> 32;
  const t01 = aL0 * bL1;
  const u01 = aH0 * bL1 + (t01 >> 32);
  const v01 = aL0 * bH1 + (u01 & M);
  const h01 = aH0 * bH1 + (u01 >> 32) + (v01 >> 32);
  const l01 = a0 * b1;
  const t10 = aL1 * bL0;
  const u10 = aH1 * bL0 + (t10 >> 32);
  const v10 = aL1 * bH0 + (u10 & M);
  const h10 = aH1 * bH0 + (u10 >> 32) + (v10 >> 32);
  const l10 = a1 * b0;
  const t02 = aL0 * bL2;
  const u02 = aH0 * bL2 + (t02 >> 32);
  const v02 = aL0 * bH2 + (u02 & M);
  const h02 = aH0 * bH2 + (u02 >> 32) + (v02 >> 32);
  const t11 = aL1 * bL1;
  const u11 = aH1 * bL1 + (t11 >> 32);
  const v11 = aL1 * bH1 + (u11 & M);
  const h11 = aH1 * bH1 + (u11 >> 32) + (v11 >> 32);
  const t20 = aL2 * bL0;
  const u20 = aH2 * bL0 + (t20 >> 32);
  const v20 = aL2 * bH0 + (u20 & M);
  const h20 = aH2 * bH0 + (u20 >> 32) + (v20 >> 32);
  // column 1: h00 + l01 + l10
  const x1 = h00 + l01;
  const r1 = x1 + l10;
  const k1 = <u64>(x1 < l01) + <u64>(r1 < l10);
  // column 2: h01 + h10 + l02 + l11 + l20 + k1
  const x2 = h01 + h10;
  const y2 = x2 + a0 * b2;
  const z2 = y2 + a1 * b1;
  const w2 = z2 + a2 * b0;
  const r2 = w2 + k1;
  const k2 = <u64>(x2 < h10) + <u64>(y2 < x2) + <u64>(z2 < y2) + <u64>(w2 < z2) + <u64>(r2 < w2);
  // column 3 (mod 2^64)
  const r3 = h02 + h11 + h20 + a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + k2;
  st(r, l00, r1, r2, r3);
}

/** Full 512-bit product of a and b written as 16 u32 digits at dst (dst must not alias a or b). */
function mulFull(dst: usize, a: usize, b: usize): void {
  const a0 = <u64>load<u32>(a), a1 = <u64>load<u32>(a, 4), a2 = <u64>load<u32>(a, 8), a3 = <u64>load<u32>(a, 12);
  const a4 = <u64>load<u32>(a, 16), a5 = <u64>load<u32>(a, 20), a6 = <u64>load<u32>(a, 24), a7 = <u64>load<u32>(a, 28);
  const b0 = <u64>load<u32>(b), b1 = <u64>load<u32>(b, 4), b2 = <u64>load<u32>(b, 8), b3 = <u64>load<u32>(b, 12);
  const b4 = <u64>load<u32>(b, 16), b5 = <u64>load<u32>(b, 20), b6 = <u64>load<u32>(b, 24), b7 = <u64>load<u32>(b, 28);
  const M = M32;
  const p00 = a0 * b0;
  const c0: u64 = (p00 & M);
  const h0: u64 = (p00 >> 32);
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const c1: u64 = h0 + (p01 & M) + (p10 & M) + (c0 >> 32);
  const h1: u64 = (p01 >> 32) + (p10 >> 32);
  const p02 = a0 * b2;
  const p11 = a1 * b1;
  const p20 = a2 * b0;
  const c2: u64 = h1 + (p02 & M) + (p11 & M) + (p20 & M) + (c1 >> 32);
  const h2: u64 = (p02 >> 32) + (p11 >> 32) + (p20 >> 32);
  const p03 = a0 * b3;
  const p12 = a1 * b2;
  const p21 = a2 * b1;
  const p30 = a3 * b0;
  const c3: u64 = h2 + (p03 & M) + (p12 & M) + (p21 & M) + (p30 & M) + (c2 >> 32);
  const h3: u64 = (p03 >> 32) + (p12 >> 32) + (p21 >> 32) + (p30 >> 32);
  const p04 = a0 * b4;
  const p13 = a1 * b3;
  const p22 = a2 * b2;
  const p31 = a3 * b1;
  const p40 = a4 * b0;
  const c4: u64 = h3 + (p04 & M) + (p13 & M) + (p22 & M) + (p31 & M) + (p40 & M) + (c3 >> 32);
  const h4: u64 = (p04 >> 32) + (p13 >> 32) + (p22 >> 32) + (p31 >> 32) + (p40 >> 32);
  const p05 = a0 * b5;
  const p14 = a1 * b4;
  const p23 = a2 * b3;
  const p32 = a3 * b2;
  const p41 = a4 * b1;
  const p50 = a5 * b0;
  const c5: u64 = h4 + (p05 & M) + (p14 & M) + (p23 & M) + (p32 & M) + (p41 & M) + (p50 & M) + (c4 >> 32);
  const h5: u64 = (p05 >> 32) + (p14 >> 32) + (p23 >> 32) + (p32 >> 32) + (p41 >> 32) + (p50 >> 32);
  const p06 = a0 * b6;
  const p15 = a1 * b5;
  const p24 = a2 * b4;
  const p33 = a3 * b3;
  const p42 = a4 * b2;
  const p51 = a5 * b1;
  const p60 = a6 * b0;
  const c6: u64 = h5 + (p06 & M) + (p15 & M) + (p24 & M) + (p33 & M) + (p42 & M) + (p51 & M) + (p60 & M) + (c5 >> 32);
  const h6: u64 = (p06 >> 32) + (p15 >> 32) + (p24 >> 32) + (p33 >> 32) + (p42 >> 32) + (p51 >> 32) + (p60 >> 32);
  const p07 = a0 * b7;
  const p16 = a1 * b6;
  const p25 = a2 * b5;
  const p34 = a3 * b4;
  const p43 = a4 * b3;
  const p52 = a5 * b2;
  const p61 = a6 * b1;
  const p70 = a7 * b0;
  const c7: u64 = h6 + (p07 & M) + (p16 & M) + (p25 & M) + (p34 & M) + (p43 & M) + (p52 & M) + (p61 & M) + (p70 & M) + (c6 >> 32);
  const h7: u64 = (p07 >> 32) + (p16 >> 32) + (p25 >> 32) + (p34 >> 32) + (p43 >> 32) + (p52 >> 32) + (p61 >> 32) + (p70 >> 32);
  const p17 = a1 * b7;
  const p26 = a2 * b6;
  const p35 = a3 * b5;
  const p44 = a4 * b4;
  const p53 = a5 * b3;
  const p62 = a6 * b2;
  const p71 = a7 * b1;
  const c8: u64 = h7 + (p17 & M) + (p26 & M) + (p35 & M) + (p44 & M) + (p53 & M) + (p62 & M) + (p71 & M) + (c7 >> 32);
  const h8: u64 = (p17 >> 32) + (p26 >> 32) + (p35 >> 32) + (p44 >> 32) + (p53 >> 32) + (p62 >> 32) + (p71 >> 32);
  const p27 = a2 * b7;
  const p36 = a3 * b6;
  const p45 = a4 * b5;
  const p54 = a5 * b4;
  const p63 = a6 * b3;
  const p72 = a7 * b2;
  const c9: u64 = h8 + (p27 & M) + (p36 & M) + (p45 & M) + (p54 & M) + (p63 & M) + (p72 & M) + (c8 >> 32);
  const h9: u64 = (p27 >> 32) + (p36 >> 32) + (p45 >> 32) + (p54 >> 32) + (p63 >> 32) + (p72 >> 32);
  const p37 = a3 * b7;
  const p46 = a4 * b6;
  const p55 = a5 * b5;
  const p64 = a6 * b4;
  const p73 = a7 * b3;
  const c10: u64 = h9 + (p37 & M) + (p46 & M) + (p55 & M) + (p64 & M) + (p73 & M) + (c9 >> 32);
  const h10: u64 = (p37 >> 32) + (p46 >> 32) + (p55 >> 32) + (p64 >> 32) + (p73 >> 32);
  const p47 = a4 * b7;
  const p56 = a5 * b6;
  const p65 = a6 * b5;
  const p74 = a7 * b4;
  const c11: u64 = h10 + (p47 & M) + (p56 & M) + (p65 & M) + (p74 & M) + (c10 >> 32);
  const h11: u64 = (p47 >> 32) + (p56 >> 32) + (p65 >> 32) + (p74 >> 32);
  const p57 = a5 * b7;
  const p66 = a6 * b6;
  const p75 = a7 * b5;
  const c12: u64 = h11 + (p57 & M) + (p66 & M) + (p75 & M) + (c11 >> 32);
  const h12: u64 = (p57 >> 32) + (p66 >> 32) + (p75 >> 32);
  const p67 = a6 * b7;
  const p76 = a7 * b6;
  const c13: u64 = h12 + (p67 & M) + (p76 & M) + (c12 >> 32);
  const h13: u64 = (p67 >> 32) + (p76 >> 32);
  const p77 = a7 * b7;
  const c14: u64 = h13 + (p77 & M) + (c13 >> 32);
  const h14: u64 = (p77 >> 32);
  const c15: u64 = h14 + (c14 >> 32);
  st(dst, (c0 & M) | (c1 << 32), (c2 & M) | (c3 << 32), (c4 & M) | (c5 << 32), (c6 & M) | (c7 << 32));
  st(dst + 32, (c8 & M) | (c9 << 32), (c10 & M) | (c11 << 32), (c12 & M) | (c13 << 32), (c14 & M) | (c15 << 32));
}

// ---- division (Knuth, TAOCP 4.3.1 algorithm D, on 32-bit digits; after Hacker's Delight divmnu) ----

/**
 * Divides the m-digit number at u by the n-digit number at v (m >= n >= 1, top digit of v nonzero).
 * Writes quotient digits 0..m-n to scratch QD and the remainder to scratch RD (one word, zero-filled).
 * u may be the scratch UN itself (normalization runs top-down in place); v is only read before any output.
 */
function divDigits(u: usize, m: i32, v: usize, n: i32): void {
  const s = SCR;
  const un = s + UN, vn = s + VN, q = s + QD, rd = s + RD;
  st(rd, 0, 0, 0, 0);
  if (n == 1) {
    const d = dg(v, 0);
    let rem: u64 = 0;
    for (let i = m - 1; i >= 0; i--) {
      const cur = (rem << 32) | dg(u, i);
      const qd = cur / d;
      rem = cur - qd * d;
      sdg(q, i, qd);
    }
    store<u64>(rd, rem);
    return;
  }
  const sh = <u64>clz<u32>(load<u32>(v + (<usize>(n - 1) << 2)));
  const rs: u64 = 32 - sh; // 1..32: shifts done in 64 bits so a 32-bit shift is well defined
  for (let i = n - 1; i > 0; i--) sdg(vn, i, (dg(v, i) << sh) | (dg(v, i - 1) >> rs));
  sdg(vn, 0, dg(v, 0) << sh);
  sdg(un, m, dg(u, m - 1) >> rs);
  for (let i = m - 1; i > 0; i--) sdg(un, i, (dg(u, i) << sh) | (dg(u, i - 1) >> rs));
  sdg(un, 0, dg(u, 0) << sh);

  const vh = dg(vn, n - 1);
  const vh2 = dg(vn, n - 2);
  for (let j = m - n; j >= 0; j--) {
    const ujn = dg(un, j + n);
    const num = (ujn << 32) | dg(un, j + n - 1);
    let qhat = num / vh;
    let rhat = num - qhat * vh;
    const u2 = dg(un, j + n - 2);
    while (qhat > M32 || qhat * vh2 > ((rhat << 32) | u2)) {
      qhat--;
      rhat += vh;
      if (rhat > M32) break;
    }
    // un[j .. j+n] -= qhat * vn
    let k: i64 = 0;
    let t: i64 = 0;
    for (let i = 0; i < n; i++) {
      const p = qhat * dg(vn, i);
      t = <i64>dg(un, i + j) - k - <i64>(p & M32);
      sdg(un, i + j, <u64>t);
      k = <i64>(p >> 32) - (t >> 32);
    }
    t = <i64>ujn - k;
    sdg(un, j + n, <u64>t);
    if (t < 0) {
      // qhat was one too large: add the divisor back
      qhat--;
      let c: u64 = 0;
      for (let i = 0; i < n; i++) {
        const x = dg(un, i + j) + dg(vn, i) + c;
        sdg(un, i + j, x);
        c = x >> 32;
      }
      sdg(un, j + n, dg(un, j + n) + c);
    }
    sdg(q, j, qhat);
  }
  for (let i = 0; i < n - 1; i++) sdg(rd, i, (dg(un, i) >> sh) | (dg(un, i + 1) << rs));
  sdg(rd, n - 1, dg(un, n - 1) >> sh);
}

/** q = a / b and rem = a % b (unsigned; either output pointer may be 0 = not wanted; b == 0 gives 0 for both). */
function udivmod(q: usize, rem: usize, a: usize, b: usize): void {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  const b0 = load<u64>(b), b1 = load<u64>(b, 8), b2 = load<u64>(b, 16), b3 = load<u64>(b, 24);
  if ((b1 | b2 | b3) == 0) {
    if (b0 == 0) {
      if (q) st(q, 0, 0, 0, 0);
      if (rem) st(rem, 0, 0, 0, 0);
      return;
    }
    if ((a1 | a2 | a3) == 0) {
      const qq = a0 / b0;
      if (q) st(q, qq, 0, 0, 0);
      if (rem) st(rem, a0 - qq * b0, 0, 0, 0);
      return;
    }
  }
  if (ltL(a0, a1, a2, a3, b0, b1, b2, b3)) {
    if (q) st(q, 0, 0, 0, 0);
    if (rem) st(rem, a0, a1, a2, a3);
    return;
  }
  const s = SCR;
  st(s + QD, 0, 0, 0, 0);
  divDigits(a, sigDigits(a, 8), b, sigDigits(b, 8));
  if (q) copy(q, s + QD);
  if (rem) copy(rem, s + RD);
}

/** r = (the m-digit number in scratch UN) mod v; v == 0 gives 0. */
function modScratch(r: usize, m: i32, v: usize): void {
  const un = SCR + UN;
  const n = sigDigits(v, 8);
  if (n == 0) {
    setZero(r);
    return;
  }
  const mm = sigDigits(un, m);
  if (mm < n) {
    copy(r, un); // fewer digits than v: already reduced (digits 8.. are zero here)
    return;
  }
  divDigits(un, mm, v, n);
  copy(r, SCR + RD);
}

export function div(r: usize, a: usize, b: usize): void {
  udivmod(r, 0, a, b);
}

export function mod(r: usize, a: usize, b: usize): void {
  udivmod(0, r, a, b);
}

/** Signed division truncating toward zero; x / 0 = 0 and -2^255 / -1 = -2^255. */
export function sdiv(r: usize, a: usize, b: usize): void {
  const sa = load<u64>(a, 24) >> 63, sb = load<u64>(b, 24) >> 63;
  if ((sa | sb) == 0) {
    udivmod(r, 0, a, b);
    return;
  }
  const t1 = SCR + T1, t2 = SCR + T2;
  if (sa) neg(t1, a); else copy(t1, a);
  if (sb) neg(t2, b); else copy(t2, b);
  udivmod(r, 0, t1, t2);
  if (sa != sb) neg(r, r);
}

/** Signed remainder, sign of the dividend; x % 0 = 0. */
export function smod(r: usize, a: usize, b: usize): void {
  const sa = load<u64>(a, 24) >> 63, sb = load<u64>(b, 24) >> 63;
  if ((sa | sb) == 0) {
    udivmod(0, r, a, b);
    return;
  }
  const t1 = SCR + T1, t2 = SCR + T2;
  if (sa) neg(t1, a); else copy(t1, a);
  if (sb) neg(t2, b); else copy(t2, b);
  udivmod(0, r, t1, t2);
  if (sa) neg(r, r);
}

/** r = (a + b) mod m with a 257-bit intermediate; m == 0 gives 0. */
export function addmod(r: usize, a: usize, b: usize, m: usize): void {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  const b0 = load<u64>(b), b1 = load<u64>(b, 8), b2 = load<u64>(b, 16), b3 = load<u64>(b, 24);
  const m0 = load<u64>(m), m1 = load<u64>(m, 8), m2 = load<u64>(m, 16), m3 = load<u64>(m, 24);
  let s0 = a0 + b0;
  let c = <u64>(s0 < b0);
  let s1 = a1 + c;
  c = <u64>(s1 < c);
  s1 += b1;
  c |= <u64>(s1 < b1);
  let s2 = a2 + c;
  c = <u64>(s2 < c);
  s2 += b2;
  c |= <u64>(s2 < b2);
  let s3 = a3 + c;
  c = <u64>(s3 < c);
  s3 += b3;
  c |= <u64>(s3 < b3);
  if (ltL(a0, a1, a2, a3, m0, m1, m2, m3) && ltL(b0, b1, b2, b3, m0, m1, m2, m3)) {
    // a + b < 2m: at most one subtraction
    if (c || !ltL(s0, s1, s2, s3, m0, m1, m2, m3)) {
      const t0 = s0 - m0;
      let w = <u64>(s0 < m0);
      const t1 = s1 - m1;
      const u1 = t1 - w;
      w = <u64>(s1 < m1) | <u64>(t1 < w);
      const t2 = s2 - m2;
      const u2 = t2 - w;
      w = <u64>(s2 < m2) | <u64>(t2 < w);
      s0 = t0;
      s1 = u1;
      s2 = u2;
      s3 = s3 - m3 - w;
    }
    st(r, s0, s1, s2, s3);
    return;
  }
  const un = SCR + UN;
  st(un, s0, s1, s2, s3);
  store<u64>(un, c, 32);
  modScratch(r, 9, m);
}

/** r = (a * b) mod m with the full 512-bit product; m == 0 gives 0. */
export function mulmod(r: usize, a: usize, b: usize, m: usize): void {
  if (isZero(m)) {
    setZero(r);
    return;
  }
  mulFull(SCR + UN, a, b);
  modScratch(r, 16, m);
}

/** r = base ** exponent mod 2^256. */
export function exp(r: usize, base: usize, exponent: usize): void {
  const e0 = load<u64>(exponent), e1 = load<u64>(exponent, 8), e2 = load<u64>(exponent, 16), e3 = load<u64>(exponent, 24);
  const b0 = load<u64>(base), b1 = load<u64>(base, 8), b2 = load<u64>(base, 16), b3 = load<u64>(base, 24);
  if ((e0 | e1 | e2 | e3) == 0) {
    st(r, 1, 0, 0, 0);
    return;
  }
  if ((b1 | b2 | b3) == 0) {
    if (b0 <= 1) {
      st(r, b0, 0, 0, 0); // 0^e = 0, 1^e = 1 (e != 0)
      return;
    }
    if ((b0 & (b0 - 1)) == 0) {
      // (2^k)^e = 2^(k*e)
      const k = ctz<u64>(b0);
      if ((e1 | e2 | e3) == 0 && e0 < 256) {
        const sh = k * e0;
        if (sh < 256) {
          const bit: u64 = <u64>1 << (sh & 63);
          const li = sh >> 6;
          st(r, li == 0 ? bit : 0, li == 1 ? bit : 0, li == 2 ? bit : 0, li == 3 ? bit : 0);
          return;
        }
      }
      st(r, 0, 0, 0, 0);
      return;
    }
  }
  const tb = SCR + T1, tr = SCR + T2;
  st(tb, b0, b1, b2, b3);
  st(tr, 1, 0, 0, 0);
  const top = e3 != 0 ? 3 : e2 != 0 ? 2 : e1 != 0 ? 1 : 0;
  for (let li = 0; li <= top; li++) {
    let e = li == 0 ? e0 : li == 1 ? e1 : li == 2 ? e2 : e3;
    let cnt = li == top ? 64 - <i32>clz<u64>(e) : 64;
    while (cnt > 0) {
      if (e & 1) mul(tr, tr, tb);
      e >>= 1;
      cnt--;
      if (cnt > 0 || li < top) mul(tb, tb, tb);
    }
  }
  copy(r, tr);
}

// ---- bits and bytes ----

/** SIGNEXTEND: extend the sign of byte b (0 = least significant) of x; b >= 31 returns x. */
export function signextend(r: usize, b: usize, x: usize): void {
  const bb = load<u64>(b);
  const big = (load<u64>(b, 8) | load<u64>(b, 16) | load<u64>(b, 24)) != 0;
  let x0 = load<u64>(x), x1 = load<u64>(x, 8), x2 = load<u64>(x, 16), x3 = load<u64>(x, 24);
  if (!big && bb < 31) {
    const t = <u32>bb * 8 + 7; // index of the sign bit, 7..247
    const li = t >> 6;
    const bit = <u64>(t & 63);
    const mask: u64 = (<u64>2 << bit) - 1; // bits 0..bit (all ones when bit == 63)
    const v = li == 0 ? x0 : li == 1 ? x1 : li == 2 ? x2 : x3;
    const fill: u64 = 0 - ((v >> bit) & 1);
    const ext = (v & mask) | (fill & ~mask);
    if (li == 0) {
      x0 = ext; x1 = fill; x2 = fill; x3 = fill;
    } else if (li == 1) {
      x1 = ext; x2 = fill; x3 = fill;
    } else if (li == 2) {
      x2 = ext; x3 = fill;
    } else {
      x3 = ext;
    }
  }
  st(r, x0, x1, x2, x3);
}

/** BYTE: byte i of x counting from the most significant (i >= 32 gives 0). */
export function byteOp(r: usize, i: usize, x: usize): void {
  const i0 = load<u64>(i);
  if ((load<u64>(i, 8) | load<u64>(i, 16) | load<u64>(i, 24)) != 0 || i0 >= 32) {
    st(r, 0, 0, 0, 0);
    return;
  }
  const v = <u64>load<u8>(x + (31 - <usize>i0)); // little-endian limbs: byte k from the bottom sits at x + k
  st(r, v, 0, 0, 0);
}

/** SHL: value << shift (shift >= 256 gives 0). */
export function shl(r: usize, shift: usize, value: usize): void {
  const s0 = load<u64>(shift);
  if ((load<u64>(shift, 8) | load<u64>(shift, 16) | load<u64>(shift, 24)) != 0 || s0 >= 256) {
    st(r, 0, 0, 0, 0);
    return;
  }
  const v0 = load<u64>(value), v1 = load<u64>(value, 8), v2 = load<u64>(value, 16), v3 = load<u64>(value, 24);
  const n = s0 >> 6;
  const s = s0 & 63;
  let r0: u64, r1: u64, r2: u64, r3: u64;
  if (n == 0) {
    r0 = v0; r1 = v1; r2 = v2; r3 = v3;
  } else if (n == 1) {
    r0 = 0; r1 = v0; r2 = v1; r3 = v2;
  } else if (n == 2) {
    r0 = 0; r1 = 0; r2 = v0; r3 = v1;
  } else {
    r0 = 0; r1 = 0; r2 = 0; r3 = v0;
  }
  if (s != 0) {
    const t = 64 - s;
    r3 = (r3 << s) | (r2 >> t);
    r2 = (r2 << s) | (r1 >> t);
    r1 = (r1 << s) | (r0 >> t);
    r0 = r0 << s;
  }
  st(r, r0, r1, r2, r3);
}

/** SHR: logical value >> shift (shift >= 256 gives 0). */
export function shr(r: usize, shift: usize, value: usize): void {
  const s0 = load<u64>(shift);
  if ((load<u64>(shift, 8) | load<u64>(shift, 16) | load<u64>(shift, 24)) != 0 || s0 >= 256) {
    st(r, 0, 0, 0, 0);
    return;
  }
  const v0 = load<u64>(value), v1 = load<u64>(value, 8), v2 = load<u64>(value, 16), v3 = load<u64>(value, 24);
  const n = s0 >> 6;
  const s = s0 & 63;
  let r0: u64, r1: u64, r2: u64, r3: u64;
  if (n == 0) {
    r0 = v0; r1 = v1; r2 = v2; r3 = v3;
  } else if (n == 1) {
    r0 = v1; r1 = v2; r2 = v3; r3 = 0;
  } else if (n == 2) {
    r0 = v2; r1 = v3; r2 = 0; r3 = 0;
  } else {
    r0 = v3; r1 = 0; r2 = 0; r3 = 0;
  }
  if (s != 0) {
    const t = 64 - s;
    r0 = (r0 >> s) | (r1 << t);
    r1 = (r1 >> s) | (r2 << t);
    r2 = (r2 >> s) | (r3 << t);
    r3 = r3 >> s;
  }
  st(r, r0, r1, r2, r3);
}

/** SAR: arithmetic value >> shift (shift >= 256 gives 0 or all ones by the sign). */
export function sar(r: usize, shift: usize, value: usize): void {
  const s0 = load<u64>(shift);
  const big = (load<u64>(shift, 8) | load<u64>(shift, 16) | load<u64>(shift, 24)) != 0 || s0 >= 256;
  const v0 = load<u64>(value), v1 = load<u64>(value, 8), v2 = load<u64>(value, 16), v3 = load<u64>(value, 24);
  const f = <u64>(<i64>v3 >> 63);
  if (big) {
    st(r, f, f, f, f);
    return;
  }
  const n = s0 >> 6;
  const s = s0 & 63;
  let r0: u64, r1: u64, r2: u64, r3: u64;
  if (n == 0) {
    r0 = v0; r1 = v1; r2 = v2; r3 = v3;
  } else if (n == 1) {
    r0 = v1; r1 = v2; r2 = v3; r3 = f;
  } else if (n == 2) {
    r0 = v2; r1 = v3; r2 = f; r3 = f;
  } else {
    r0 = v3; r1 = f; r2 = f; r3 = f;
  }
  if (s != 0) {
    const t = 64 - s;
    r0 = (r0 >> s) | (r1 << t);
    r1 = (r1 >> s) | (r2 << t);
    r2 = (r2 >> s) | (r3 << t);
    r3 = <u64>(<i64>r3 >> s);
  }
  st(r, r0, r1, r2, r3);
}

/** Number of significant bytes (0 for zero): the EXP gas byte count of an exponent. */
export function byteLength(a: usize): u32 {
  const a3 = load<u64>(a, 24);
  if (a3 != 0) return 32 - (<u32>clz<u64>(a3) >> 3);
  const a2 = load<u64>(a, 16);
  if (a2 != 0) return 24 - (<u32>clz<u64>(a2) >> 3);
  const a1 = load<u64>(a, 8);
  if (a1 != 0) return 16 - (<u32>clz<u64>(a1) >> 3);
  return 8 - (<u32>clz<u64>(load<u64>(a)) >> 3);
}

/** Count of leading zero bits (256 for zero); exported as `clz` (the name would shadow the builtin in here). */
function clzWord(a: usize): u32 {
  const a3 = load<u64>(a, 24);
  if (a3 != 0) return <u32>clz<u64>(a3);
  const a2 = load<u64>(a, 16);
  if (a2 != 0) return 64 + <u32>clz<u64>(a2);
  const a1 = load<u64>(a, 8);
  if (a1 != 0) return 128 + <u32>clz<u64>(a1);
  return 192 + <u32>clz<u64>(load<u64>(a));
}

export { clzWord as clz };

// ---- big-endian bytes ----

/** r = the len (0..32) big-endian bytes at src as a number. len > 32 keeps only the last 32 bytes. */
export function loadBE(r: usize, src: usize, len: u32): void {
  if (len >= 32) {
    src += <usize>(len - 32);
    const r3 = bswap<u64>(load<u64>(src)), r2 = bswap<u64>(load<u64>(src, 8));
    const r1 = bswap<u64>(load<u64>(src, 16)), r0 = bswap<u64>(load<u64>(src, 24));
    st(r, r0, r1, r2, r3);
    return;
  }
  let l0: u64 = 0, l1: u64 = 0, l2: u64 = 0, l3: u64 = 0;
  const end = src + <usize>len;
  let rem = len;
  if (rem >= 8) {
    l0 = bswap<u64>(load<u64>(end - 8));
    rem -= 8;
    if (rem >= 8) {
      l1 = bswap<u64>(load<u64>(end - 16));
      rem -= 8;
      if (rem >= 8) {
        l2 = bswap<u64>(load<u64>(end - 24));
        rem -= 8;
      }
    }
  }
  if (rem != 0) {
    let v: u64 = 0;
    for (let i: u32 = 0; i < rem; i++) v = (v << 8) | <u64>load<u8>(src + <usize>i);
    const li = len >> 3;
    if (li == 0) l0 = v;
    else if (li == 1) l1 = v;
    else if (li == 2) l2 = v;
    else l3 = v;
  }
  st(r, l0, l1, l2, l3);
}

/** Writes a as 32 big-endian bytes at dst. */
export function storeBE(dst: usize, a: usize): void {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  store<u64>(dst, bswap<u64>(a3));
  store<u64>(dst, bswap<u64>(a2), 8);
  store<u64>(dst, bswap<u64>(a1), 16);
  store<u64>(dst, bswap<u64>(a0), 24);
}
