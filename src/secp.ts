// secp256k1 public-key recovery for transaction senders and the ECRECOVER precompile.
//
// tiny-secp256k1 is bitcoinjs's build of libsecp256k1 (the C library Bitcoin Core and geth use) to WebAssembly:
// it runs in Node, browsers and other WebAssembly hosts, and it is the fastest well-kept option measured here
// (AMD EPYC, Node 20, 500 random signatures, recovery of the uncompressed public key):
//   tiny-secp256k1 2.2.4   297 us per recovery
//   @noble/curves 2.x    1,595 us   (5.4x slower)
//   @noble/secp256k1 3.x 2,770 us
// Senders are the dominant cost of a block whose `from` is not trusted (a 1,100-transaction block: ~0.33 s on
// one core), so they are recovered across the worker threads (src/parallel/worker.ts).
import * as tiny from 'tiny-secp256k1';
import { keccak256 } from './keccak.js';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function put32(out: Uint8Array, off: number, v: bigint): void {
  for (let i = 31; i >= 0; i--) { out[off + i] = Number(v & 0xffn); v >>= 8n; }
}

/**
 * The 20-byte address whose key signed `hash` with (r, s, yParity), or null when no key does (r is not the x of
 * a curve point, or the result is the point at infinity). r and s must be in [1, n); high s is accepted (the
 * callers apply EIP-2 themselves).
 */
export function recoverAddress(hash: Uint8Array, r: bigint, s: bigint, yParity: number): Uint8Array | null {
  if (r < 1n || r >= N || s < 1n || s >= N || (yParity !== 0 && yParity !== 1) || hash.length !== 32) return null;
  const sig = new Uint8Array(64);
  put32(sig, 0, r);
  put32(sig, 32, s);
  let pub: Uint8Array | null;
  try { pub = tiny.recover(hash, sig, yParity as 0 | 1, false); } catch { return null; }
  if (!pub) return null;
  return keccak256(pub.subarray(1)).slice(12);
}
