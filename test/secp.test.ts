// secp256k1 recovery (src/secp.ts): the native libsecp256k1 addon, when it loads, gives exactly what the
// WebAssembly build (tiny-secp256k1) gives, on signatures made with @noble/curves (an independent library) and on
// the inputs no key recovers from; PAREVM_SECP=wasm forces the WebAssembly build.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { recoverPublicKey, recoverAddressRaw, secpBackend } from '../src/secp.js';

const N_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const P_FIELD = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;

function be32(x: bigint): Uint8Array {
  const b = new Uint8Array(32);
  for (let i = 31; i >= 0; i--, x >>= 8n) b[i] = Number(x & 0xffn);
  return b;
}
function rsOf(r: bigint, s: bigint): Uint8Array {
  const rs = new Uint8Array(64);
  rs.set(be32(r), 0);
  rs.set(be32(s), 32);
  return rs;
}
const hex = (b: Uint8Array | null) => (b ? Buffer.from(b).toString('hex') : 'null');
const hash = (i: number) => keccak_256(new TextEncoder().encode(`parevm secp ${i}`));

/** Deterministic pseudo-random bytes (the cases are the same in every run). */
function bytes(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let k = 0;
  for (let c = 0; k < n; c++) for (const b of keccak_256(new TextEncoder().encode(`${seed}:${c}`))) if (k < n) out[k++] = b;
  return out;
}

/** An x below p that is not the x of any curve point (x^3 + 7 not a square mod p). */
function notOnCurveX(): bigint {
  const pow = (b: bigint, e: bigint) => { let r = 1n; b %= P_FIELD; for (; e > 0n; e >>= 1n, b = (b * b) % P_FIELD) if (e & 1n) r = (r * b) % P_FIELD; return r; };
  for (let x = 5n; ; x++) if (pow((x * x * x + 7n) % P_FIELD, (P_FIELD - 1n) / 2n) !== 1n) return x;
}

/** Cases no key recovers from: r or s zero or not below n, r not the x of a curve point. */
const REJECTED = new Set(['r = 0', 's = 0', 'r = n', 's = n', 'r = 2^256 - 1', 'r not the x of a curve point']);

/** [hash, rs, yParity, what]: every kind of input the callers pass. */
function cases(): [Uint8Array, Uint8Array, 0 | 1, string][] {
  const out: [Uint8Array, Uint8Array, 0 | 1, string][] = [];
  for (let i = 0; i < 24; i++) {
    const key = hash(1000 + i);
    const h = hash(i);
    const sig = secp256k1.Signature.fromBytes(secp256k1.sign(h, key, { prehash: false, format: 'recovered' }), 'recovered');
    const y = sig.recovery! as 0 | 1;
    out.push([h, rsOf(sig.r, sig.s), y, `signature ${i}`]);
    // the same signature with high s (and the other parity) recovers the same key: EIP-2 is the caller's rule
    out.push([h, rsOf(sig.r, N_ORDER - sig.s), (1 - y) as 0 | 1, `signature ${i}, high s`]);
    out.push([h, rsOf(sig.r, sig.s), (1 - y) as 0 | 1, `signature ${i}, other parity`]);
  }
  const h = hash(7);
  out.push([h, rsOf(0n, 5n), 0, 'r = 0'], [h, rsOf(5n, 0n), 0, 's = 0']);
  out.push([h, rsOf(N_ORDER, 5n), 0, 'r = n'], [h, rsOf(5n, N_ORDER), 1, 's = n']);
  out.push([h, rsOf(N_ORDER - 1n, N_ORDER - 1n), 1, 'r = s = n - 1']);
  out.push([h, rsOf((1n << 256n) - 1n, 1n), 0, 'r = 2^256 - 1']);
  out.push([h, rsOf(notOnCurveX(), 3n), 0, 'r not the x of a curve point']);
  out.push([new Uint8Array(32), rsOf(1n, 1n), 0, 'zero hash, r = s = 1']);
  for (let i = 0; i < 40; i++) out.push([bytes(i, 32), bytes(100 + i, 64), (i & 1) as 0 | 1, `random bytes ${i}`]);
  return out;
}

test('the build in use is reported, and asking for an unloaded native addon throws', () => {
  assert.ok(secpBackend === 'native' || secpBackend === 'wasm');
  if (secpBackend === 'wasm') {
    assert.throws(() => recoverPublicKey(hash(0), rsOf(1n, 1n), 0, 'native'), /not loaded/);
    console.log('  (the native secp256k1 addon is not loaded here: recovery uses tiny-secp256k1; the comparison below checks the WebAssembly build against @noble/curves only)');
  }
});

test('both builds recover the signing key, and agree on every input, recoverable or not', () => {
  let recovered = 0, none = 0;
  const all = cases();
  assert.is(all.filter((c) => REJECTED.has(c[3])).length, REJECTED.size, 'every rejected case is among the cases');
  for (const [h, rs, y, what] of all) {
    const wasm = recoverPublicKey(h, rs, y, 'wasm');
    if (secpBackend === 'native') assert.is(hex(recoverPublicKey(h, rs, y, 'native')), hex(wasm), what);
    if (wasm) recovered++; else none++;
    if (what.startsWith('signature')) {
      const i = Number(what.split(' ')[1].replace(',', ''));
      const signer = hex(secp256k1.getPublicKey(hash(1000 + i), false));
      // (the other parity names the other point with that x: some other key, never the signer's)
      if (what.endsWith('other parity')) assert.ok(wasm !== null && hex(wasm) !== signer, `${what}: another key`);
      else assert.is(hex(wasm), signer, `${what}: the signing key`);
    }
    if (REJECTED.has(what)) assert.is(wasm, null, `${what}: no key`);
  }
  assert.ok(recovered >= 48 && none >= 8, `${recovered} recovered, ${none} not`);
});

test('recoverAddressRaw: the address of the signing key, null for a bad parity or length', () => {
  const key = hash(2000), h = hash(2001);
  const sig = secp256k1.Signature.fromBytes(secp256k1.sign(h, key, { prehash: false, format: 'recovered' }), 'recovered');
  const want = keccak_256(secp256k1.getPublicKey(key, false).subarray(1)).slice(12);
  assert.is(hex(recoverAddressRaw(h, rsOf(sig.r, sig.s), sig.recovery!)), hex(want));
  assert.is(recoverAddressRaw(h, rsOf(sig.r, sig.s), 2), null);
  assert.is(recoverAddressRaw(h.subarray(1), rsOf(sig.r, sig.s), sig.recovery!), null);
  assert.is(recoverAddressRaw(h, rsOf(sig.r, sig.s).subarray(1), sig.recovery!), null);
});

test('PAREVM_SECP=wasm forces the WebAssembly build', () => {
  const mod = fileURLToPath(new URL('../src/secp.js', import.meta.url));
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(mod)}).then((m) => console.log(m.secpBackend))`], {
    env: { ...process.env, PAREVM_SECP: 'wasm' }, encoding: 'utf8',
  });
  assert.is(out.trim(), 'wasm');
});

test.run();
