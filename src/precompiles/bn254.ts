// bn254 (alt_bn128) for the EIP-196/197 precompiles: ecAdd, ecMul and ecPairing on 32-byte big-endian
// coordinates, with the precompiles' validity rules (coordinates below p, points on the curve, G2 points in
// the order-r subgroup; the point at infinity is (0, 0)).
//
// Two back ends give the same answers (test/bn254.test.ts compares them on valid and invalid inputs):
// - mcl-wasm (herumi's mcl, C++ compiled to WebAssembly), used once `initBn254()` resolved in a thread. It
//   must be initialised asynchronously, once per thread (~120 ms). A pairing check of two pairs with the G2
//   subgroup checks: ~8 ms against ~20 ms (2.5x, `npm run bench -- micro --only bn254`, one run, loaded machine).
//   Mainnet block 11743952 spends ~39 ms of its ~50 ms in one transaction's pairings with @noble/curves.
// - @noble/curves (BigInt arithmetic), synchronous, for a thread that has not initialised mcl.
import { bn254 } from '@noble/curves/bn254.js';

type Mcl = typeof import('mcl-wasm');
let mcl: Mcl | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads and initialises mcl in this thread (idempotent; never rejects). Until it resolves, and for good if mcl
 * cannot load or PAREVM_BN254=noble is set, @noble/curves does the work.
 */
export function initBn254(): Promise<void> {
  loading ??= (async () => {
    if (typeof process !== 'undefined' && process.env?.PAREVM_BN254 === 'noble') return;
    const mod = await import('mcl-wasm'); // CommonJS: its exports are the default export under Node
    const m = ((mod as unknown as { default?: Mcl }).default ?? mod) as Mcl;
    await m.init(m.BN_SNARK1);
    m.verifyOrderG2(true); // a G2 point must be in the order-r subgroup (EIP-197)
    mcl = m;
  })().catch(() => undefined);
  return loading;
}

/** Which implementation this thread uses now. */
export function bn254Backend(): 'mcl' | 'noble' { return mcl ? 'mcl' : 'noble'; }

/** Debug/tests: use @noble/curves even when mcl is loaded (true), or mcl again (false). */
export function forceNobleBn254(on: boolean): void { forceNoble = on; }
let forceNoble = false;

const BN_P = bn254.fields.Fp.ORDER;
const BN_R = bn254.fields.Fr.ORDER;
const P_HEX = BN_P.toString(16).padStart(64, '0');

function hexOf(b: Uint8Array, off: number): string {
  let h = '';
  for (let i = 0; i < 32; i++) h += HEX[b[off + i]];
  return h;
}
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Whether 32 bytes at off are a field element (below p): fixed-width hex strings compare like numbers. */
function belowP(h: string): boolean { return h < P_HEX; }

function writeHex(b: Uint8Array, off: number, h: string): void {
  const s = h.padStart(64, '0');
  for (let i = 0; i < 32; i++) b[off + i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
}

/** ecAdd: 128 bytes at p (two G1 points) -> 64 bytes at o. False for an invalid point. */
export function bn254Add(m: Uint8Array, p: number, o: number): boolean {
  if (!mcl || forceNoble) return nobleAdd(m, p, o);
  const a = mclG1(m, p), b = mclG1(m, p + 64);
  if (a === null || b === null) return false;
  writeMclG1(m, o, mcl.add(a, b));
  return true;
}

/** ecMul: 96 bytes at p (a G1 point and a 32-byte scalar) -> 64 bytes at o. False for an invalid point. */
export function bn254Mul(m: Uint8Array, p: number, o: number): boolean {
  if (!mcl || forceNoble) return nobleMul(m, p, o);
  const a = mclG1(m, p);
  if (a === null) return false;
  const k = new mcl.Fr();
  k.setBigEndianMod(m.subarray(p + 64, p + 96)); // G1 has prime order r: the scalar counts mod r
  writeMclG1(m, o, mcl.mul(a, k));
  return true;
}

/** ecPairing: n bytes at p (a multiple of 192: G1 point, G2 point) -> whether the product is one. null: invalid input. */
export function bn254Pairing(m: Uint8Array, p: number, n: number): boolean | null {
  if (n % 192 !== 0) return null;
  if (!mcl || forceNoble) return noblePairing(m, p, n);
  let acc: InstanceType<Mcl['GT']> | undefined;
  for (let off = p; off < p + n; off += 192) {
    const a = mclG1(m, off), b = mclG2(m, off + 64);
    if (a === null || b === null) return null;
    if (a.isZero() || b.isZero()) continue;
    const e = mcl.millerLoop(a, b);
    acc = acc ? mcl.mul(acc, e) : e;
  }
  return acc === undefined || mcl.finalExp(acc).isOne();
}

// ---- mcl ----

function mclG1(m: Uint8Array, off: number): InstanceType<Mcl['G1']> | null {
  const x = hexOf(m, off), y = hexOf(m, off + 32);
  if (!belowP(x) || !belowP(y)) return null;
  const g = new mcl!.G1();
  if (/^0+$/.test(x + y)) return g; // (0, 0): the point at infinity (new points are zero)
  try {
    g.setStr(`1 ${x} ${y}`, 16); // throws for a point not on the curve
  } catch {
    return null;
  }
  return g.isValid() ? g : null;
}

/** G2 from x.im | x.re | y.im | y.re (EIP-197 order); mcl writes an Fp2 element as re im. */
function mclG2(m: Uint8Array, off: number): InstanceType<Mcl['G2']> | null {
  const x1 = hexOf(m, off), x0 = hexOf(m, off + 32), y1 = hexOf(m, off + 64), y0 = hexOf(m, off + 96);
  if (!belowP(x0) || !belowP(x1) || !belowP(y0) || !belowP(y1)) return null;
  const g = new mcl!.G2();
  if (/^0+$/.test(x0 + x1 + y0 + y1)) return g;
  try {
    g.setStr(`1 ${x0} ${x1} ${y0} ${y1}`, 16); // throws off the twist or (verifyOrderG2) outside the subgroup
  } catch {
    return null;
  }
  // (no isValid() after it: with verifyOrderG2 on it repeats the subgroup check, ~1.1 ms a point, a quarter of
  // a 4-pair check's ~17.5 ms; test/bn254.test.ts keeps a point off the subgroup among its cases)
  return g;
}

function writeMclG1(m: Uint8Array, o: number, g: InstanceType<Mcl['G1']>): void {
  if (g.isZero()) { m.fill(0, o, o + 64); return; }
  g.normalize();
  const [, x, y] = g.getStr(16).split(' ');
  writeHex(m, o, x);
  writeHex(m, o + 32, y);
}

// ---- @noble/curves ----

const G1 = bn254.G1.Point;
const G2 = bn254.G2.Point;
const Fp2 = bn254.fields.Fp2;
const Fp12 = bn254.fields.Fp12;
type G1Point = InstanceType<typeof G1>;
type G2Point = InstanceType<typeof G2>;

function toBig(b: Uint8Array, off: number): bigint { return BigInt('0x' + hexOf(b, off)); }

function writeBig(b: Uint8Array, off: number, v: bigint): void {
  for (let i = 31; i >= 0; i--) {
    b[off + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** G1 point from 64 bytes (x | y); null if a coordinate is >= p or the point is not on the curve. */
function readG1(b: Uint8Array, off: number): G1Point | null {
  const x = toBig(b, off), y = toBig(b, off + 32);
  if (x >= BN_P || y >= BN_P) return null;
  if (x === 0n && y === 0n) return G1.ZERO;
  const p = G1.fromAffine({ x, y });
  p.assertValidity();
  return p;
}

/** G2 point from 128 bytes (x.im | x.re | y.im | y.re); null if not canonical, not on the twist or
 *  not in the order-r subgroup. */
function readG2(b: Uint8Array, off: number): G2Point | null {
  const x1 = toBig(b, off), x0 = toBig(b, off + 32), y1 = toBig(b, off + 64), y0 = toBig(b, off + 96);
  if (x0 >= BN_P || x1 >= BN_P || y0 >= BN_P || y1 >= BN_P) return null;
  if (x0 === 0n && x1 === 0n && y0 === 0n && y1 === 0n) return G2.ZERO;
  const p = G2.fromAffine({ x: Fp2.fromBigTuple([x0, x1]), y: Fp2.fromBigTuple([y0, y1]) });
  p.assertValidity();
  return p;
}

function writeG1(b: Uint8Array, off: number, p: G1Point): void {
  if (p.is0()) {
    b.fill(0, off, off + 64);
    return;
  }
  const a = p.toAffine();
  writeBig(b, off, a.x);
  writeBig(b, off + 32, a.y);
}

function nobleAdd(m: Uint8Array, p: number, o: number): boolean {
  const a = readG1(m, p), b = readG1(m, p + 64);
  if (a === null || b === null) return false;
  writeG1(m, o, a.add(b));
  return true;
}

function nobleMul(m: Uint8Array, p: number, o: number): boolean {
  const a = readG1(m, p);
  if (a === null) return false;
  const k = toBig(m, p + 64) % BN_R; // G1 has prime order r (cofactor 1)
  writeG1(m, o, k === 0n || a.is0() ? G1.ZERO : a.multiplyUnsafe(k));
  return true;
}

function noblePairing(m: Uint8Array, p: number, n: number): boolean | null {
  const pairs: { g1: G1Point; g2: G2Point }[] = [];
  for (let off = p; off < p + n; off += 192) {
    const a = readG1(m, off), b = readG2(m, off + 64);
    if (a === null || b === null) return null;
    if (!a.is0() && !b.is0()) pairs.push({ g1: a, g2: b });
  }
  return pairs.length === 0 || Fp12.eql(bn254.pairingBatch(pairs), Fp12.ONE);
}
