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
import { bigIntToBytes } from './hex.js';

/**
 * The 20-byte address whose key signed `hash` (32 bytes) with the signature `rs` (r then s, 32 bytes each,
 * big-endian) and `yParity`, or null when no key does: r or s is 0 or not below the group order (tiny-secp256k1
 * checks these), r is not the x of a curve point, or the result is the point at infinity. High s is accepted
 * (the callers apply EIP-2 themselves).
 */
export function recoverAddressRaw(hash: Uint8Array, rs: Uint8Array, yParity: number): Uint8Array | null {
  if ((yParity !== 0 && yParity !== 1) || hash.length !== 32 || rs.length !== 64) return null;
  let pub: Uint8Array | null;
  try { pub = tiny.recover(hash, rs, yParity as 0 | 1, false); } catch { return null; }
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
