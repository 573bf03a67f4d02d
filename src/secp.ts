// secp256k1 public-key recovery for transaction senders and the ECRECOVER precompile, through libsecp256k1 (the C
// library Bitcoin Core and geth use) in one of two builds:
// - native: the optional dependency `secp256k1` (cryptocoinjs' Node addon; N-API, so it loads in worker threads
//   too; a prebuilt binary for linux-x64, darwin-arm64 and win32-x64, compiled by node-gyp elsewhere when the
//   install script may run). Used when it loads;
// - tiny-secp256k1: bitcoinjs's build of the same library to WebAssembly, which runs in every host parevm runs
//   in (browsers, other WebAssembly hosts): the fallback.
// Measured here (AMD EPYC, Node 20, 500 random signatures, recovery of the uncompressed public key):
//   secp256k1 5.0.2 (native)   81 us per recovery
//   tiny-secp256k1 2.2.4      297-428 us, and ~7 ms for its first call in each thread
//   @noble/curves 2.x       1,595 us
//   @noble/secp256k1 3.x    2,770 us
// ECRECOVER was ~28% of the sequential execution time of the 30 mainnet fixture blocks with tiny-secp256k1
// (64 of 223 ms per pass over them). Senders are the dominant cost of a block whose `from` is not trusted (a
// 1,100-transaction block: ~0.33 s on one core with tiny-secp256k1), so they are recovered across the worker
// threads (src/parallel/worker.ts). Both builds are the same library: they accept and reject the same signatures
// (r or s zero or not below the group order, r not the x of a curve point, the point at infinity), and
// test/secp.test.ts compares them on random and edge-case inputs. PAREVM_SECP=wasm forces the fallback.
import { createRequire } from 'node:module';
import * as tiny from 'tiny-secp256k1';
import { keccak256 } from './keccak.js';
import { bigIntToBytes } from './hex.js';

/** The native addon's recovery (secp256k1/bindings): throws when no key recovers. */
type NativeRecover = (sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean) => Uint8Array;

function loadNative(): NativeRecover | undefined {
  if (typeof process !== 'undefined' && process.env?.PAREVM_SECP === 'wasm') return undefined;
  try {
    const m = createRequire(import.meta.url)('secp256k1/bindings') as { ecdsaRecover?: NativeRecover };
    return typeof m.ecdsaRecover === 'function' ? m.ecdsaRecover.bind(m) : undefined;
  } catch {
    return undefined; // not installed (an optional dependency), no binary for this platform, or not Node
  }
}

const nativeRecover = loadNative();

/** Which libsecp256k1 build recovers keys in this thread: 'native' (the `secp256k1` addon) or 'wasm' (tiny-secp256k1). */
export const secpBackend: 'native' | 'wasm' = nativeRecover ? 'native' : 'wasm';

/**
 * The uncompressed public key (65 bytes) that signed `hash` with `rs` (r then s) and `yParity`, or null when no
 * key does, through `backend` (default: the one this thread uses; 'native' throws when the addon is not loaded).
 */
export function recoverPublicKey(hash: Uint8Array, rs: Uint8Array, yParity: 0 | 1, backend: 'native' | 'wasm' = secpBackend): Uint8Array | null {
  if (backend === 'native' && !nativeRecover) throw new Error('the native secp256k1 addon is not loaded');
  try {
    return backend === 'native' ? nativeRecover!(rs, yParity, hash, false) : tiny.recover(hash, rs, yParity, false);
  } catch {
    return null; // (both builds throw for a signature no key recovers from)
  }
}

/**
 * The 20-byte address whose key signed `hash` (32 bytes) with the signature `rs` (r then s, 32 bytes each,
 * big-endian) and `yParity`, or null when no key does: r or s is 0 or not below the group order (libsecp256k1
 * checks these), r is not the x of a curve point, or the result is the point at infinity. High s is accepted
 * (the callers apply EIP-2 themselves).
 */
export function recoverAddressRaw(hash: Uint8Array, rs: Uint8Array, yParity: number): Uint8Array | null {
  if ((yParity !== 0 && yParity !== 1) || hash.length !== 32 || rs.length !== 64) return null;
  const pub = recoverPublicKey(hash, rs, yParity as 0 | 1);
  if (!pub) return null;
  return keccak256(pub.subarray(1)).slice(12);
}

/** {@link recoverAddressRaw} with r and s as integers (null when either does not fit 32 bytes). */
export function recoverAddress(hash: Uint8Array, r: bigint, s: bigint, yParity: number): Uint8Array | null {
  if (r < 0n || s < 0n || r >> 256n !== 0n || s >> 256n !== 0n) return null;
  const rs = new Uint8Array(64);
  rs.set(bigIntToBytes(r, 32), 0);
  rs.set(bigIntToBytes(s, 32), 32);
  return recoverAddressRaw(hash, rs, yParity);
}
