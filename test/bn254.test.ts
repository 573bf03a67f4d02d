// EIP-196/197 bn254 precompiles: the mcl back end (used once initBn254() resolved) and the @noble/curves back
// end give byte-identical outputs and the same verdicts on valid points, coordinates >= p, points off the
// curve, G2 points on the twist but outside the order-r subgroup, scalars >= r, the point at infinity, and
// pairing products that are and are not one. (The conformance cases of stZeroKnowledge* and
// stPreCompiledContracts* run through the state-test suite with mcl; PAREVM_BN254=noble runs them on noble.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bn254 } from '@noble/curves/bn254.js';
import { initBn254, bn254Backend, forceNobleBn254, bn254Add, bn254Mul, bn254Pairing } from '../src/precompiles/bn254.js';

const G1 = bn254.G1.Point, G2 = bn254.G2.Point, Fp2 = bn254.fields.Fp2;
const P = bn254.fields.Fp.ORDER, R = bn254.fields.Fr.ORDER;

function be(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}
const cat = (...parts: Uint8Array[]) => { const o = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let k = 0; for (const p of parts) { o.set(p, k); k += p.length; } return o; };
const g1 = (p: InstanceType<typeof G1>) => { if (p.is0()) return new Uint8Array(64); const a = p.toAffine(); return cat(be(a.x), be(a.y)); };
const g2 = (q: InstanceType<typeof G2>) => { if (q.is0()) return new Uint8Array(128); const a = q.toAffine(); return cat(be(a.x.c1), be(a.x.c0), be(a.y.c1), be(a.y.c0)); };

// A deterministic stream of scalars.
let seed = 0x9e3779b97f4a7c15n;
function scalar(): bigint {
  seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 256n) - 1n);
  return seed % R || 1n;
}

/** A point on the twist that is not in the order-r subgroup (the twist's cofactor is ~2^254). */
function twistPointOutsideSubgroup(): Uint8Array {
  const gen = G2.BASE.toAffine();
  const b = Fp2.sub(Fp2.sqr(gen.y), Fp2.mul(Fp2.sqr(gen.x), gen.x)); // the twist's b' = y^2 - x^3
  for (let x0 = 1n; ; x0++) {
    const x = Fp2.fromBigTuple([x0, 1n]);
    const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), b);
    let y;
    try { y = Fp2.sqrt(rhs); } catch { continue; }
    const q = G2.fromAffine({ x, y });
    if (!q.multiplyUnsafe(R - 1n).equals(q.negate())) return cat(be(x.c1), be(x.c0), be(y.c1), be(y.c0));
  }
}

/** Runs one precompile input on both back ends: outputs (or null for an invalid input) must be equal. */
function both(kind: 'add' | 'mul' | 'pairing', input: Uint8Array): string | null {
  const results: (string | null)[] = [];
  for (const noble of [true, false]) {
    forceNobleBn254(noble);
    const m = new Uint8Array(input.length + 64);
    m.set(input);
    const o = input.length;
    let r: string | null;
    if (kind === 'pairing') {
      let v: boolean | null;
      try { v = bn254Pairing(m, 0, input.length); } catch { v = null; }
      r = v === null ? null : String(v);
    } else {
      let ok: boolean;
      try { ok = kind === 'add' ? bn254Add(m, 0, o) : bn254Mul(m, 0, o); } catch { ok = false; }
      r = ok ? Buffer.from(m.subarray(o, o + 64)).toString('hex') : null;
    }
    results.push(r);
  }
  forceNobleBn254(false);
  assert.is(results[1], results[0], `${kind} ${Buffer.from(input).toString('hex').slice(0, 64)}...: mcl and noble differ`);
  return results[0];
}

test.before(async () => { await initBn254(); });

test('mcl loads', () => {
  assert.is(bn254Backend(), 'mcl');
});

test('ecAdd: same sums, same rejections', () => {
  const a = G1.BASE.multiply(scalar()), b = G1.BASE.multiply(scalar());
  assert.is(both('add', cat(g1(a), g1(b))), Buffer.from(g1(a.add(b))).toString('hex'));
  assert.is(both('add', cat(g1(a), g1(a))), Buffer.from(g1(a.double())).toString('hex'));
  assert.is(both('add', cat(g1(a), g1(a.negate()))), '0'.repeat(128)); // to infinity
  assert.is(both('add', cat(new Uint8Array(64), g1(b))), Buffer.from(g1(b)).toString('hex'));
  assert.is(both('add', new Uint8Array(128)), '0'.repeat(128));
  assert.is(both('add', cat(be(1n), be(3n), g1(b))), null); // (1, 3) is not on the curve
  assert.is(both('add', cat(be(1n), be(2n + P), g1(b))), null); // y >= p (the generator shifted by p)
  assert.is(both('add', cat(be(P), be(0n), g1(b))), null);
});

test('ecMul: scalars 0, 1, r - 1, >= r, 2^256 - 1; bad points rejected', () => {
  const a = G1.BASE.multiply(scalar());
  for (const k of [0n, 1n, 2n, R - 1n, R, R + 5n, (1n << 256n) - 1n, scalar(), scalar()]) {
    const want = k % R === 0n ? '0'.repeat(128) : Buffer.from(g1(a.multiply(k % R))).toString('hex');
    assert.is(both('mul', cat(g1(a), be(k))), want, `k = ${k}`);
  }
  assert.is(both('mul', cat(new Uint8Array(64), be(7n))), '0'.repeat(128));
  assert.is(both('mul', cat(be(1n), be(3n), be(7n))), null);
  assert.is(both('mul', cat(be(P + 1n), be(2n), be(7n))), null);
});

test('ecPairing: products one and not one, infinity, bad G2 points, bad lengths', () => {
  const a = scalar(), b = scalar();
  const P1 = G1.BASE.multiply(a), Q1 = G2.BASE.multiply(b);
  const P2 = G1.BASE.multiply((a * b) % R).negate();
  // e(aG, bH) * e(-abG, H) = 1
  assert.is(both('pairing', cat(g1(P1), g2(Q1), g1(P2), g2(G2.BASE))), 'true');
  assert.is(both('pairing', cat(g1(P1), g2(Q1), g1(P1), g2(G2.BASE))), 'false');
  assert.is(both('pairing', cat(g1(P1), g2(Q1))), 'false');
  assert.is(both('pairing', new Uint8Array(0)), 'true');
  assert.is(both('pairing', cat(new Uint8Array(64), g2(Q1))), 'true'); // a zero G1 point contributes one
  assert.is(both('pairing', cat(g1(P1), new Uint8Array(128))), 'true');
  assert.is(both('pairing', cat(g1(P1), twistPointOutsideSubgroup())), null);
  const badCoord = g2(Q1); badCoord.set(be(P), 0); // x.im = p
  assert.is(both('pairing', cat(g1(P1), badCoord)), null);
  const offTwist = g2(Q1); offTwist[127] ^= 1;
  assert.is(both('pairing', cat(g1(P1), offTwist)), null);
  assert.is(both('pairing', cat(be(1n), be(3n), g2(Q1))), null);
  assert.is(both('pairing', new Uint8Array(191)), null);
});

test.run();
