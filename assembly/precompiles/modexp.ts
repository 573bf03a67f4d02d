// MODEXP (EIP-198, repriced by EIP-2565 from Berlin). Arbitrary precision with u32 limbs (little-endian
// limb order) kept in arena scratch. Odd moduli use Montgomery multiplication, even moduli schoolbook
// multiplication plus Knuth (Algorithm D) remainders; exponentiation is left-to-right sliding window.
//
// Input layout: baseLen (32B BE) | expLen (32B BE) | modLen (32B BE) | base | exp | mod, implicitly
// zero-padded on the right. Output: (base^exp mod mod) as modLen big-endian bytes.
import { arenaAlloc } from '../arena';
import { BERLIN } from '../fork';

const U64_MAX: u64 = 0xffffffffffffffff;
const LEN_HUGE: u64 = 0xffffffffffffffff; // a length word that does not fit in 64 bits

// Lengths parsed by `modexpGas` (wasm globals, per instance). LEN_HUGE when the 256-bit word is >= 2^64.
export let mxBaseLen: u64 = 0;
export let mxExpLen: u64 = 0;
export let mxModLen: u64 = 0;

// Input being processed (set by modexpGas / modexpRun).
let gIn: usize = 0;
let gInLen: u64 = 0;

// @ts-ignore: decorator
@inline function byteAt(pos: u64): u32 {
  return pos < gInLen ? <u32>load<u8>(gIn + <usize>pos) : 0;
}

/** Reads the 32-byte big-endian length word at `off`; LEN_HUGE if it does not fit in 64 bits. */
function readLen(off: u64): u64 {
  for (let i: u64 = 0; i < 24; i++) if (byteAt(off + i) != 0) return LEN_HUGE;
  let v: u64 = 0;
  for (let i: u64 = 24; i < 32; i++) v = (v << 8) | <u64>byteAt(off + i);
  return v;
}

/** floor(a * b / d) for small d, saturating at U64_MAX. */
function mulDivSat(a: u64, b: u64, d: u64): u64 {
  // 64x64 -> 128 via 32-bit halves.
  const al = a & 0xffffffff, ah = a >> 32, bl = b & 0xffffffff, bh = b >> 32;
  const ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  const mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  const lo = (ll & 0xffffffff) | (mid << 32);
  const hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
  // (hi:lo) / d
  const qh = hi / d;
  if (qh != 0) return U64_MAX;
  const r = hi % d;
  const x = (r << 32) | (lo >> 32);
  const q1 = x / d;
  const y = ((x % d) << 32) | (lo & 0xffffffff);
  const q0 = y / d;
  if (q1 >> 32 != 0) return U64_MAX;
  return (q1 << 32) | q0;
}

/**
 * Parses the three length words and returns the gas cost under `fork`'s rules (EIP-198 before Berlin,
 * EIP-2565 from Berlin). Exact whenever the result is below U64_MAX. U64_MAX stands for "more than
 * any gas limit": it is returned for every cost >= 2^64 and also when a base/modulus length is >= 2^32
 * or the exponent length is >= 2^56 (with a non-zero complexity), whose true costs are all > 2^54.
 */
export function modexpGas(inPtr: usize, inLen: u32, fork: i32): u64 {
  gIn = inPtr;
  gInLen = inLen;
  const baseLen = readLen(0);
  const expLen = readLen(32);
  const modLen = readLen(64);
  mxBaseLen = baseLen;
  mxExpLen = expLen;
  mxModLen = modLen;
  const maxLen = baseLen > modLen ? baseLen : modLen;
  if (maxLen >= (<u64>1 << 32)) return U64_MAX;

  // Bit length of the exponent head: the first min(32, expLen) bytes of the exponent.
  const expStart: u64 = 96 + baseLen;
  const hl: u64 = expLen < 32 ? expLen : 32;
  let headBits: u64 = 0;
  for (let j: u64 = 0; j < hl; j++) {
    const b = byteAt(expStart + j);
    if (b != 0) {
      headBits = 8 * (hl - j) - <u64>(clz<u32>(b) - 24);
      break;
    }
  }
  const headLog: u64 = headBits > 0 ? headBits - 1 : 0;
  let iter: u64;
  if (expLen <= 32) iter = headLog;
  else if (expLen >= (<u64>1 << 56)) iter = U64_MAX;
  else iter = 8 * (expLen - 32) + headLog;
  if (iter < 1) iter = 1;

  // Multiplication complexity (maxLen < 2^32, so these fit in 64 bits).
  let c: u64;
  const x = maxLen;
  if (fork >= BERLIN) {
    const words = (x + 7) >> 3;
    c = words * words;
  } else if (x <= 64) c = x * x;
  else if (x <= 1024) c = (x * x) / 4 + 96 * x - 3072;
  else c = (x * x) / 16 + 480 * x - 199680;
  // A saturated iteration count stays saturated (unless the complexity is 0).
  const cost = c == 0 ? 0 : iter == U64_MAX ? U64_MAX : mulDivSat(c, iter, fork >= BERLIN ? 3 : 20);
  if (fork >= BERLIN && cost < 200) return 200;
  return cost;
}

// ---------------------------------------------------------------------------------------------------
// Big-number state for one run (all pointers into arena scratch).

let N: i32 = 0; // limbs of the modulus (top limb non-zero)
let M: usize = 0; // modulus, N limbs
let VN: usize = 0; // modulus normalised for Algorithm D (shifted left by SH), N limbs
let SH: u32 = 0;
let UN: usize = 0; // Algorithm D work buffer
let M0INV: u32 = 0; // -M^-1 mod 2^32 (Montgomery)
let MONT: bool = false;
let T: usize = 0; // product / Montgomery accumulator (2N + 2 limbs)

// @ts-ignore: decorator
@inline function limb(p: usize, i: i32): u32 { return load<u32>(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function setLimb(p: usize, i: i32, v: u32): void { store<u32>(p + (<usize>i << 2), v); }

/** Number of significant limbs of `p[0..len)`. */
function sigLimbs(p: usize, len: i32): i32 {
  while (len > 0 && limb(p, len - 1) == 0) len--;
  return len;
}

/**
 * Remainder of `u[0..ul)` modulo the modulus, written to `r[0..N)`. Uses VN/SH/UN (UN >= ul + 1 limbs).
 */
function remainder(u: usize, ul: i32, r: usize): void {
  const n = N;
  ul = sigLimbs(u, ul);
  if (ul < n) {
    memory.copy(r, u, <usize>ul << 2);
    memory.fill(r + (<usize>ul << 2), 0, <usize>(n - ul) << 2);
    return;
  }
  if (n == 1) {
    const v = <u64>limb(M, 0);
    let rem: u64 = 0;
    for (let i = ul - 1; i >= 0; i--) rem = ((rem << 32) | <u64>limb(u, i)) % v;
    setLimb(r, 0, <u32>rem);
    return;
  }
  const s = <u64>SH;
  const un = UN;
  // un = u << s (ul + 1 limbs)
  setLimb(un, ul, <u32>((<u64>limb(u, ul - 1) << s) >> 32));
  for (let i = ul - 1; i > 0; i--) {
    const w = (<u64>limb(u, i) << 32) | <u64>limb(u, i - 1);
    setLimb(un, i, <u32>((w << s) >> 32));
  }
  setLimb(un, 0, <u32>(<u64>limb(u, 0) << s));
  const vtop = <u64>limb(VN, n - 1);
  const vsec = <u64>limb(VN, n - 2);
  const B: u64 = <u64>1 << 32;
  for (let j = ul - n; j >= 0; j--) {
    const num = (<u64>limb(un, j + n) << 32) | <u64>limb(un, j + n - 1);
    let qhat = num / vtop;
    let rhat = num - qhat * vtop;
    while (qhat >= B || qhat * vsec > ((rhat << 32) | <u64>limb(un, j + n - 2))) {
      qhat--;
      rhat += vtop;
      if (rhat >= B) break;
    }
    if (qhat == 0) continue;
    // un[j .. j+n] -= qhat * vn
    let k: i64 = 0;
    for (let i = 0; i < n; i++) {
      const p = qhat * <u64>limb(VN, i);
      const t = <i64>limb(un, i + j) - k - <i64>(p & 0xffffffff);
      setLimb(un, i + j, <u32>t);
      k = <i64>(p >> 32) - (t >> 32);
    }
    const t = <i64>limb(un, j + n) - k;
    setLimb(un, j + n, <u32>t);
    if (t < 0) {
      // add back
      let c: u64 = 0;
      for (let i = 0; i < n; i++) {
        const x = <u64>limb(un, i + j) + <u64>limb(VN, i) + c;
        setLimb(un, i + j, <u32>x);
        c = x >> 32;
      }
      setLimb(un, j + n, limb(un, j + n) + <u32>c);
    }
  }
  // r = un[0..n) >> s
  for (let i = 0; i < n; i++) {
    const w = (<u64>limb(un, i + 1) << 32) | <u64>limb(un, i);
    setLimb(r, i, <u32>(w >> s));
  }
}

/** out = a * b * R^-1 mod M (Montgomery, R = 2^(32N)); inputs < M, output < M. `out` may alias a or b. */
function montMul(out: usize, a: usize, b: usize): void {
  const n = N;
  const t = T;
  const m = M;
  const minv = M0INV;
  memory.fill(t, 0, <usize>(n + 2) << 2);
  for (let i = 0; i < n; i++) {
    const ai = <u64>limb(a, i);
    let p = <u64>limb(t, 0) + ai * <u64>limb(b, 0);
    let c1 = p >> 32;
    const lo = <u32>p;
    const mm = <u64>(lo * minv);
    let q = <u64>lo + mm * <u64>limb(m, 0);
    let c2 = q >> 32;
    for (let j = 1; j < n; j++) {
      p = <u64>limb(t, j) + ai * <u64>limb(b, j) + c1;
      c1 = p >> 32;
      q = (p & 0xffffffff) + mm * <u64>limb(m, j) + c2;
      c2 = q >> 32;
      setLimb(t, j - 1, <u32>q);
    }
    p = <u64>limb(t, n) + c1 + c2;
    setLimb(t, n - 1, <u32>p);
    setLimb(t, n, <u32>(p >> 32));
  }
  finishSub(out, t);
}

/** T[0 .. 2N) = a^2 (half product: off-diagonal terms once, doubled, plus the squares); T[2N] = 0. */
function square(a: usize): void {
  const n = N;
  const t = T;
  memory.fill(t, 0, <usize>(2 * n + 2) << 2);
  for (let i = 0; i < n - 1; i++) {
    const ai = <u64>limb(a, i);
    let c: u64 = 0;
    for (let j = i + 1; j < n; j++) {
      const x = ai * <u64>limb(a, j) + <u64>limb(t, i + j) + c;
      setLimb(t, i + j, <u32>x);
      c = x >> 32;
    }
    setLimb(t, i + n, <u32>c);
  }
  let c: u64 = 0;
  for (let i = 0; i < n; i++) {
    const sq = <u64>limb(a, i) * <u64>limb(a, i);
    const lo = <u64>limb(t, 2 * i), hi = <u64>limb(t, 2 * i + 1);
    let x = (lo << 1) + (sq & 0xffffffff) + c;
    setLimb(t, 2 * i, <u32>x);
    x = (hi << 1) + (sq >> 32) + (x >> 32);
    setLimb(t, 2 * i + 1, <u32>x);
    c = x >> 32;
  }
}

/** out = a^2 * R^-1 mod M: squaring, then a separate Montgomery reduction. `out` may alias `a`. */
function montSqr(out: usize, a: usize): void {
  const n = N;
  const t = T;
  const m = M;
  const minv = M0INV;
  square(a);
  // REDC: t (2N limbs) -> t[N .. 2N] (N + 1 limbs)
  let top: u64 = 0;
  for (let i = 0; i < n; i++) {
    const mm = <u64>(limb(t, i) * minv);
    let k: u64 = 0;
    for (let j = 0; j < n; j++) {
      const x = <u64>limb(t, i + j) + mm * <u64>limb(m, j) + k;
      setLimb(t, i + j, <u32>x);
      k = x >> 32;
    }
    const x = <u64>limb(t, i + n) + k + top;
    setLimb(t, i + n, <u32>x);
    top = x >> 32;
  }
  setLimb(t, 2 * n, <u32>top);
  finishSub(out, t + (<usize>n << 2));
}

/** out = t mod M given t < 2M (t has N + 1 limbs). */
function finishSub(out: usize, t: usize): void {
  const n = N;
  const m = M;
  let ge = limb(t, n) != 0;
  if (!ge) {
    ge = true; // equal counts as >=
    for (let i = n - 1; i >= 0; i--) {
      const x = limb(t, i), y = limb(m, i);
      if (x != y) { ge = x > y; break; }
    }
  }
  if (ge) {
    let borrow: i64 = 0;
    for (let i = 0; i < n; i++) {
      const d = <i64>limb(t, i) - <i64>limb(m, i) + borrow;
      setLimb(out, i, <u32>d);
      borrow = d >> 32;
    }
  } else {
    memory.copy(out, t, <usize>n << 2);
  }
}

/** out = a * b mod M (plain schoolbook product + Algorithm D). `out` may alias a or b. */
function plainMul(out: usize, a: usize, b: usize): void {
  const n = N;
  const t = T;
  memory.fill(t, 0, <usize>(2 * n) << 2);
  for (let i = 0; i < n; i++) {
    const ai = <u64>limb(a, i);
    if (ai == 0) continue;
    let c: u64 = 0;
    for (let j = 0; j < n; j++) {
      const x = ai * <u64>limb(b, j) + <u64>limb(t, i + j) + c;
      setLimb(t, i + j, <u32>x);
      c = x >> 32;
    }
    setLimb(t, i + n, <u32>c);
  }
  remainder(t, 2 * n, out);
}

// @ts-ignore: decorator
@inline function mulMod(out: usize, a: usize, b: usize): void {
  if (MONT) montMul(out, a, b);
  else plainMul(out, a, b);
}

// @ts-ignore: decorator
@inline function sqrMod(out: usize, a: usize): void {
  if (MONT) montSqr(out, a);
  else { square(a); remainder(T, 2 * N, out); }
}

/** Bit `k` (0 = most significant) of the exponent that starts at input offset `expStart`. */
// @ts-ignore: decorator
@inline function expBit(expStart: u64, k: u64): u32 {
  return (byteAt(expStart + (k >> 3)) >> (7 - <u32>(k & 7))) & 1;
}

/** Reads `len` big-endian bytes at input offset `off` into `p` as `limbs` little-endian u32 limbs. */
function readNumber(off: u64, len: u64, p: usize, limbs: i32): void {
  memory.fill(p, 0, <usize>limbs << 2);
  // Only bytes inside the input can be non-zero.
  if (off >= gInLen) return;
  const end: u64 = len < gInLen - off ? off + len : gInLen;
  for (let pos = off; pos < end; pos++) {
    const b = <u32>load<u8>(gIn + <usize>pos);
    if (b == 0) continue;
    const k = off + len - 1 - pos; // byte index from the least significant end
    const a = p + <usize>(k & ~(<u64>3));
    store<u32>(a, load<u32>(a) | (b << (<u32>(k & 3) << 3)));
  }
}

/**
 * Computes the result into `out` (mxModLen bytes, big-endian). Must follow `modexpGas` on the same
 * input. Returns false when the arena is exhausted or the lengths are beyond what can be computed
 * (only reachable when the caller supplied an absurd gas amount).
 */
export function modexpRun(inPtr: usize, inLen: u32, out: usize): bool {
  gIn = inPtr;
  gInLen = inLen;
  const baseLen = mxBaseLen, expLen = mxExpLen, modLen = mxModLen;
  if (modLen == 0) return true;
  if (baseLen >= (<u64>1 << 32) || modLen >= (<u64>1 << 32) || expLen >= (<u64>1 << 56)) return false;
  memory.fill(out, 0, <usize>modLen);
  const expStart: u64 = 96 + baseLen;
  const modStart: u64 = expStart + expLen;

  // Modulus: significant bytes only.
  let mFirst: u64 = modLen; // index of first non-zero modulus byte
  for (let j: u64 = 0; j < modLen; j++) {
    const pos = modStart + j;
    if (pos >= gInLen) break;
    if (load<u8>(gIn + <usize>pos) != 0) { mFirst = j; break; }
  }
  if (mFirst == modLen) return true; // modulus 0: all-zero output
  const mBytes = modLen - mFirst;
  const n = <i32>((mBytes + 3) >> 2);
  N = n;
  M = arenaAlloc(<usize>n << 2);
  if (M == 0) return false;
  readNumber(modStart + mFirst, mBytes, M, n);
  if (n == 1 && limb(M, 0) == 1) return true; // x mod 1 = 0

  // Exponent: first non-zero bit (bytes past the input are zero).
  let eFirst: u64 = expLen;
  for (let j: u64 = 0; j < expLen; j++) {
    const pos = expStart + j;
    if (pos >= gInLen) break;
    if (load<u8>(gIn + <usize>pos) != 0) { eFirst = j; break; }
  }
  const outEnd = out + <usize>modLen;
  if (eFirst == expLen) { // exponent 0: result 1 (modulus > 1)
    store<u8>(outEnd - 1, 1);
    return true;
  }
  const nbits: u64 = expLen << 3;
  const k0: u64 = (eFirst << 3) + <u64>(clz<u32>(byteAt(expStart + eFirst)) - 24);

  // Base, reduced modulo M.
  const bLimbs = <i32>((baseLen + 3) >> 2);
  const unLimbs = (bLimbs > 2 * n ? bLimbs : 2 * n) + 2;
  VN = arenaAlloc(<usize>n << 2);
  UN = arenaAlloc(<usize>unLimbs << 2);
  T = arenaAlloc(<usize>(2 * n + 2) << 2);
  const braw = arenaAlloc((bLimbs > 0 ? <usize>bLimbs : 1) << 2);
  const base = arenaAlloc(<usize>n << 2);
  const acc = arenaAlloc(<usize>n << 2);
  if (VN == 0 || UN == 0 || T == 0 || braw == 0 || base == 0 || acc == 0) return false;
  SH = clz<u32>(limb(M, n - 1));
  for (let i = n - 1; i >= 0; i--) {
    const w = (<u64>limb(M, i) << 32) | (i > 0 ? <u64>limb(M, i - 1) : 0);
    setLimb(VN, i, <u32>((w << <u64>SH) >> 32));
  }
  readNumber(96, baseLen, braw, bLimbs);
  remainder(braw, bLimbs, base);
  const bs = sigLimbs(base, n);
  if (bs == 0) return true; // 0^e = 0 for e > 0
  if (bs == 1 && limb(base, 0) == 1) { store<u8>(outEnd - 1, 1); return true; }

  MONT = (limb(M, 0) & 1) != 0;
  if (MONT) {
    // M0INV = -M^-1 mod 2^32 (Newton iteration)
    const m0 = limb(M, 0);
    let inv: u32 = m0; // correct to 3 bits for odd m0
    inv *= 2 - m0 * inv;
    inv *= 2 - m0 * inv;
    inv *= 2 - m0 * inv;
    inv *= 2 - m0 * inv;
    M0INV = 0 - inv;
    // base -> Montgomery form: (base * R) mod M
    const sh = T; // 2N limbs: N zero limbs then base
    memory.fill(sh, 0, <usize>n << 2);
    memory.copy(sh + (<usize>n << 2), base, <usize>n << 2);
    remainder(sh, 2 * n, base);
  }

  // Window size by exponent length; table of odd powers base^1, base^3, ..., base^(2^w - 1).
  const ebits = nbits - k0;
  let w: u32 = ebits <= 8 ? 1 : ebits <= 64 ? 3 : ebits <= 384 ? 4 : ebits <= 1536 ? 5 : 6;
  const tsize: i32 = 1 << (w - 1);
  const limbBytes = <usize>n << 2;
  const tbl = arenaAlloc(limbBytes * <usize>tsize);
  if (tbl == 0) return false;
  memory.copy(tbl, base, limbBytes);
  if (tsize > 1) {
    const b2 = acc; // temporarily
    sqrMod(b2, base);
    for (let i = 1; i < tsize; i++) mulMod(tbl + limbBytes * <usize>i, tbl + limbBytes * <usize>(i - 1), b2);
  }

  let started = false;
  let k = k0;
  while (k < nbits) {
    if (expBit(expStart, k) == 0) {
      sqrMod(acc, acc);
      k++;
      continue;
    }
    let l: u64 = <u64>w;
    if (nbits - k < l) l = nbits - k;
    let val: u32 = 0;
    for (let i: u64 = 0; i < l; i++) val = (val << 1) | expBit(expStart, k + i);
    while ((val & 1) == 0) { val >>= 1; l--; }
    const entry = tbl + limbBytes * <usize>(val >> 1);
    if (started) {
      for (let i: u64 = 0; i < l; i++) sqrMod(acc, acc);
      mulMod(acc, acc, entry);
    } else {
      memory.copy(acc, entry, limbBytes);
      started = true;
    }
    k += l;
  }

  if (MONT) {
    // leave Montgomery form: acc * 1 * R^-1
    const one = base;
    memory.fill(one, 0, limbBytes);
    setLimb(one, 0, 1);
    montMul(acc, acc, one);
  }
  // Write big-endian into the last 4N bytes (or fewer) of the output.
  const nb = mBytes; // significant modulus bytes >= result bytes
  for (let j: u64 = 0; j < nb; j++) {
    const v = (limb(acc, <i32>(j >> 2)) >> (<u32>(j & 3) << 3)) & 0xff;
    store<u8>(outEnd - 1 - <usize>j, <u8>v);
  }
  return true;
}
