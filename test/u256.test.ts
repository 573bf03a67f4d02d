// assembly/u256.ts against a BigInt reference: edge values, random values of random bit lengths, digit patterns
// that stress Knuth division (qhat correction and add-back), and every aliasing of the result with an input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadTestWasm, heapBase } from './helpers/wasm.js';

const w = loadTestWasm('u256');
const X = w.exports;
const base = (heapBase(w) + 63) & ~63;
const A = base, B = base + 32, C = base + 64, D = base + 96, R = base + 128, BUF = base + 256;
X.setup(base + 4096, 1 << 16);
const dv = () => new DataView(w.memory.buffer);

const ONE = 1n;
const TWO256 = ONE << 256n;
const MASK = TWO256 - ONE;
const SIGN = ONE << 255n;
const wrap = (x: bigint) => ((x % TWO256) + TWO256) % TWO256;
const signed = (x: bigint) => (x >= SIGN ? x - TWO256 : x);

function put(ptr: number, v: bigint): void {
  const d = dv();
  v = wrap(v);
  for (let i = 0; i < 4; i++) d.setBigUint64(ptr + 8 * i, (v >> BigInt(64 * i)) & 0xffffffffffffffffn, true);
}
function get(ptr: number): bigint {
  const d = dv();
  let v = 0n;
  for (let i = 3; i >= 0; i--) v = (v << 64n) | d.getBigUint64(ptr + 8 * i, true);
  return v;
}
const hex = (v: bigint) => '0x' + v.toString(16);

// ---- value sources ----

let seed = 0x9e3779b9;
function rnd32(): number {
  // xorshift32: deterministic, so a failure reproduces
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed;
}
function randBits(bits: number): bigint {
  let v = 0n;
  for (let i = 0; i < bits; i += 32) v = (v << 32n) | BigInt(rnd32());
  return bits === 0 ? 0n : v & ((ONE << BigInt(bits)) - ONE);
}
const DIGITS = [0n, 1n, 2n, 0xffffffffn, 0xfffffffen, 0x80000000n, 0x7fffffffn, 0x8000n, 0xffffn];
function patterned(): bigint {
  // digits drawn from values that trigger the rare branches of algorithm D
  const n = 1 + (rnd32() % 8);
  let v = 0n;
  for (let i = 0; i < n; i++) {
    const r = rnd32() % 12;
    v = (v << 32n) | (r < DIGITS.length ? DIGITS[r] : BigInt(rnd32()));
  }
  return v;
}

const EDGE: bigint[] = [];
for (const e of [0n, 1n, 2n, 3n, 7n, 8n, 31n, 32n, 33n, 255n, 256n, 257n,
  (ONE << 32n) - ONE, ONE << 32n, (ONE << 63n) - ONE, ONE << 63n, (ONE << 64n) - ONE, ONE << 64n, (ONE << 64n) + ONE,
  (ONE << 127n) - ONE, ONE << 128n, (ONE << 128n) - ONE, (ONE << 128n) + ONE, (ONE << 192n) - ONE, ONE << 192n,
  SIGN - ONE, SIGN, SIGN + ONE, MASK, MASK - ONE, -2n, -3n, -7n, -8n, -255n, -256n, -(ONE << 64n), -(ONE << 128n),
  0x0123456789abcdef_fedcba9876543210_0f1e2d3c4b5a6978_8796a5b4c3d2e1f0n]) EDGE.push(wrap(e));

function randomValue(): bigint {
  const k = rnd32() % 10;
  if (k < 2) return EDGE[rnd32() % EDGE.length];
  if (k < 4) return patterned();
  if (k < 5) return wrap(-randBits(rnd32() % 257)); // small and large negatives
  return randBits(rnd32() % 257);
}

const RANDOM_CASES = 3000;
function* pairs(): Generator<[bigint, bigint]> {
  for (const a of EDGE) for (const b of EDGE) yield [a, b];
  for (let i = 0; i < RANDOM_CASES; i++) yield [randomValue(), randomValue()];
  // divisor / dividend pairs with related sizes (quotients of 1..3 digits, remainders near the divisor)
  for (let i = 0; i < RANDOM_CASES; i++) {
    const b = randomValue() | 1n;
    const q = randBits(rnd32() % 97);
    yield [wrap(b * q + randBits(rnd32() % 257) % b), b];
  }
}

// ---- reference ----

const ref = {
  add: (a: bigint, b: bigint) => wrap(a + b),
  sub: (a: bigint, b: bigint) => wrap(a - b),
  mul: (a: bigint, b: bigint) => wrap(a * b),
  div: (a: bigint, b: bigint) => (b === 0n ? 0n : a / b),
  mod: (a: bigint, b: bigint) => (b === 0n ? 0n : a % b),
  sdiv: (a: bigint, b: bigint) => (b === 0n ? 0n : wrap(signed(a) / signed(b))),
  smod: (a: bigint, b: bigint) => (b === 0n ? 0n : wrap(signed(a) % signed(b))),
  exp: (a: bigint, b: bigint) => {
    let r = 1n, x = a, e = b;
    while (e > 0n) { if (e & 1n) r = (r * x) & MASK; x = (x * x) & MASK; e >>= 1n; }
    return r;
  },
  signextend: (b: bigint, x: bigint) => {
    if (b >= 31n) return x;
    const bit = 8n * b + 7n;
    const mask = (ONE << (bit + 1n)) - ONE;
    return (x >> bit) & 1n ? x | (MASK ^ mask) : x & mask;
  },
  byteOp: (i: bigint, x: bigint) => (i >= 32n ? 0n : (x >> (8n * (31n - i))) & 0xffn),
  shl: (s: bigint, v: bigint) => (s >= 256n ? 0n : (v << s) & MASK),
  shr: (s: bigint, v: bigint) => (s >= 256n ? 0n : v >> s),
  sar: (s: bigint, v: bigint) => (s >= 256n ? (v >= SIGN ? MASK : 0n) : wrap(signed(v) >> s)),
  and: (a: bigint, b: bigint) => a & b,
  or: (a: bigint, b: bigint) => a | b,
  xor: (a: bigint, b: bigint) => a ^ b,
};
type BinOp = keyof typeof ref;

/** Runs op on (a, b) with r distinct, r == a, r == b, and (when a == b) both inputs one pointer. */
function checkBin(op: BinOp, a: bigint, b: bigint): void {
  const want = ref[op](a, b);
  const fn = X[op];
  const msg = (how: string) => `${op}(${hex(a)}, ${hex(b)}) ${how}`;
  put(A, a); put(B, b); put(R, 0xdeadn);
  fn(R, A, B);
  assert.is(get(R), want, msg('r distinct'));
  assert.is(get(A), a, msg('clobbered a'));
  assert.is(get(B), b, msg('clobbered b'));
  put(A, a); put(B, b);
  fn(A, A, B);
  assert.is(get(A), want, msg('r == a'));
  put(A, a); put(B, b);
  fn(B, A, B);
  assert.is(get(B), want, msg('r == b'));
  if (a === b) {
    put(A, a);
    fn(A, A, A);
    assert.is(get(A), want, msg('r == a == b'));
  }
}

function shiftAmounts(): bigint[] {
  const s = [0n, 1n, 7n, 8n, 31n, 32n, 63n, 64n, 65n, 127n, 128n, 129n, 191n, 192n, 193n, 255n, 256n, 257n, 1000n,
    ONE << 64n, (ONE << 64n) + 1n, SIGN, MASK];
  for (let i = 0; i < 40; i++) s.push(BigInt(rnd32() % 300));
  return s;
}

// ---- tests ----

for (const op of ['add', 'sub', 'mul', 'div', 'mod', 'sdiv', 'smod', 'and', 'or', 'xor'] as BinOp[]) {
  test(`${op} matches BigInt`, () => {
    let n = 0;
    for (const [a, b] of pairs()) { checkBin(op, a, b); checkBin(op, b, a); n++; }
    for (let i = 0; i < 200; i++) { const a = randomValue(); checkBin(op, a, a); }
    assert.ok(n > RANDOM_CASES);
  });
}

test('division special cases', () => {
  const MIN = SIGN; // -2^255
  put(A, MIN); put(B, MASK); X.sdiv(R, A, B);
  assert.is(get(R), MIN, 'SDIV(-2^255, -1) = -2^255');
  X.smod(R, A, B);
  assert.is(get(R), 0n, 'SMOD(-2^255, -1) = 0');
  put(B, 0n);
  for (const op of ['div', 'mod', 'sdiv', 'smod']) { X[op](R, A, B); assert.is(get(R), 0n, `${op} by zero`); }
  put(A, wrap(-7n)); put(B, 2n); X.smod(R, A, B);
  assert.is(get(R), wrap(-1n), 'SMOD sign follows the dividend');
  put(A, 7n); put(B, wrap(-2n)); X.smod(R, A, B);
  assert.is(get(R), 1n);
  X.sdiv(R, A, B);
  assert.is(get(R), wrap(-3n), 'SDIV truncates toward zero');
  // Hacker's Delight divmnu test vectors (32-bit digits, least significant first) incl. the add-back cases
  const digits = (ds: number[]) => ds.reduceRight((v, d) => (v << 32n) | BigInt(d), 0n);
  const hd: [number[], number[]][] = [
    [[0, 0xfffe, 0x8000], [0xffff, 0x8000]],
    [[3, 0, 0x80000000], [1, 0, 0x20000000]],
    [[0, 0, 0x8000, 0x7fff], [1, 0, 0x8000]],
    [[0, 0xfffe, 0, 0x8000], [0xffff, 0, 0x8000]],
    [[0, 0xffff, 0, 0x8000], [0xffff, 0, 0x8000]],
    [[0x89abcdef, 0x01234567], [0, 1]],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]],
    [[0, 0, 0, 0, 0, 0, 0, 0x80000000], [1, 0, 0, 0x80000000]],
  ];
  for (const [u, v] of hd) {
    for (const k of [0n, 32n, 64n]) {
      const a = wrap(digits(u) << k), b = wrap(digits(v) << k);
      if (a >> 256n) continue;
      checkBin('div', a, b); checkBin('mod', a, b);
    }
  }
});

test('exp matches BigInt (incl. powers of two, 0^0 = 1)', () => {
  const bases = [...EDGE, 3n, 4n, 16n, 1n << 63n, 10n];
  const exps = [0n, 1n, 2n, 3n, 31n, 63n, 64n, 127n, 128n, 255n, 256n, 257n, 1000n, MASK, SIGN, ONE << 64n];
  for (const a of bases) for (const e of exps) checkBin('exp', a, e);
  for (let i = 0; i < 400; i++) checkBin('exp', randomValue(), i % 3 === 0 ? randBits(rnd32() % 20) : randomValue());
  put(A, 0n); put(B, 0n); X.exp(R, A, B);
  assert.is(get(R), 1n);
  put(A, 2n); put(B, 255n); X.exp(R, A, B);
  assert.is(get(R), SIGN);
  put(B, 256n); X.exp(R, A, B);
  assert.is(get(R), 0n);
});

for (const op of ['shl', 'shr', 'sar'] as BinOp[]) {
  test(`${op} matches BigInt`, () => {
    const vals = [...EDGE];
    for (let i = 0; i < 60; i++) vals.push(randomValue());
    for (const s of shiftAmounts()) for (const v of vals) checkBin(op, s, v);
  });
}

test('signextend and byte match BigInt', () => {
  const vals = [...EDGE];
  for (let i = 0; i < 60; i++) vals.push(randomValue());
  const idx: bigint[] = [];
  for (let i = 0n; i <= 40n; i++) idx.push(i);
  idx.push(ONE << 64n, (ONE << 64n) + 3n, MASK, SIGN);
  for (const i of idx) for (const v of vals) { checkBin('signextend', i, v); checkBin('byteOp', i, v); }
  put(A, 0n); put(B, 0xff80n); X.signextend(R, A, B);
  assert.is(get(R), MASK ^ 0x7fn);
});

test('addmod and mulmod match BigInt (512-bit intermediate, m = 0, aliasing)', () => {
  const cases: [bigint, bigint, bigint][] = [];
  const ms = [0n, 1n, 2n, 3n, 7n, 0xffffffffn, (ONE << 64n) - 1n, ONE << 64n, (ONE << 127n) - 1n, SIGN, MASK, MASK - 1n,
    0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n,
    0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n];
  for (const m of ms) for (const a of [0n, 1n, MASK, SIGN, m, m - 1n, m + 1n]) for (const b of [0n, 1n, MASK, m - 1n, SIGN + 5n])
    cases.push([wrap(a), wrap(b), m]);
  for (let i = 0; i < RANDOM_CASES; i++) {
    const m = rnd32() % 3 === 0 ? ms[rnd32() % ms.length] : randomValue();
    const r = rnd32() % 3;
    // mostly a, b < m (the usual modular arithmetic), sometimes unconstrained
    const a = r === 0 || m === 0n ? randomValue() : randomValue() % m;
    const b = r === 0 || m === 0n ? randomValue() : randomValue() % m;
    cases.push([a, b, m]);
  }
  const ptrs = [A, B, C];
  for (const [a, b, m] of cases) {
    for (const op of ['addmod', 'mulmod']) {
      const want = m === 0n ? 0n : op === 'addmod' ? (a + b) % m : (a * b) % m;
      for (const out of [R, A, B, C]) {
        put(A, a); put(B, b); put(C, m);
        X[op](out, A, B, C);
        assert.is(get(out), want, `${op}(${hex(a)}, ${hex(b)}, ${hex(m)}) out=${ptrs.indexOf(out)}`);
      }
    }
  }
  put(A, MASK); put(B, MASK); put(C, 0n); X.mulmod(R, A, B, C);
  assert.is(get(R), 0n);
});

test('comparisons match BigInt', () => {
  let trues = 0;
  const check = (a: bigint, b: bigint) => {
    put(A, a); put(B, b);
    const sa = signed(a), sb = signed(b);
    const got = [X.lt(A, B), X.gt(A, B), X.slt(A, B), X.sgt(A, B), X.eq(A, B)].map((x: number) => x !== 0);
    assert.equal(got, [a < b, a > b, sa < sb, sa > sb, a === b], `cmp(${hex(a)}, ${hex(b)})`);
    trues += got.filter(Boolean).length;
    assert.is(X.isZero(A) !== 0, a === 0n);
    assert.is(X.fitsU64(A) !== 0, a < (ONE << 64n));
  };
  for (const [a, b] of pairs()) { check(a, b); check(a, a); }
  // values differing in only one limb
  for (let i = 0; i < 4; i++) for (const d of [1n, -1n]) {
    const a = randBits(256), b = wrap(a + (d << BigInt(64 * i)));
    check(a, b); check(b, a);
  }
  assert.ok(trues > 1000);
});

test('not, copy, setZero, setU64, byteLength, clz', () => {
  const vals = [...EDGE];
  for (let i = 0; i < 2000; i++) vals.push(randomValue());
  for (const v of vals) {
    put(A, v); put(R, 1234n);
    X.not(R, A); assert.is(get(R), MASK ^ v);
    X.not(A, A); assert.is(get(A), MASK ^ v, 'not in place');
    put(A, v); X.copy(R, A); assert.is(get(R), v);
    X.setZero(R); assert.is(get(R), 0n);
    const bits = v.toString(2).length - (v === 0n ? 1 : 0);
    assert.is(X.clz(A), 256 - bits, `clz ${hex(v)}`);
    assert.is(X.byteLength(A), Math.ceil(bits / 8), `byteLength ${hex(v)}`);
  }
  put(R, MASK);
  X.setU64(R, 0xfedcba9876543210n);
  assert.is(get(R), 0xfedcba9876543210n);
});

test('loadBE / storeBE round trip (all lengths, unaligned)', () => {
  for (let len = 0; len <= 32; len++) {
    for (let t = 0; t < 40; t++) {
      const off = t % 9;
      const u8 = w.u8();
      const bytes = new Uint8Array(len);
      for (let i = 0; i < len; i++) bytes[i] = t === 0 ? 0xff : rnd32() & 0xff;
      // guard bytes around the source: they must not leak into the value
      u8.fill(0xa5, BUF, BUF + 64);
      u8.set(bytes, BUF + off + 8);
      put(R, MASK);
      X.loadBE(R, BUF + off + 8, len);
      const want = bytes.reduce((v, b) => (v << 8n) | BigInt(b), 0n);
      assert.is(get(R), want, `loadBE len ${len} off ${off}`);
      X.storeBE(BUF + 100 + off, R);
      const out = w.u8().slice(BUF + 100 + off, BUF + 132 + off);
      const padded = new Uint8Array(32);
      padded.set(bytes, 32 - len);
      assert.equal(Array.from(out), Array.from(padded), `storeBE len ${len}`);
    }
  }
  // len > 32 keeps the last 32 bytes
  const u8 = w.u8();
  for (let i = 0; i < 40; i++) u8[BUF + i] = i + 1;
  X.loadBE(R, BUF, 40);
  assert.is(get(R), BigInt('0x' + Array.from(u8.slice(BUF + 8, BUF + 40), (b) => b.toString(16).padStart(2, '0')).join('')));
});

test.run();
