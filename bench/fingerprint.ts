// A digest of everything two runs of a block must agree on: the fields of forEachResultField
// (src/runners/mainnet.ts), hashed as they go instead of joined into one string. The string (resultFingerprint)
// does not fit the heap for a 1-gigagas Uniswap block (each changed pool's 22 kB of code as a hex string built by
// concatenation, thousands of times); here each field is fed to SHA-256 as bytes, length-prefixed.
import { createHash } from 'node:crypto';
import type { BlockResult } from '../src/executor.js';
import { forEachResultField } from '../src/runners/mainnet.js';

/** SHA-256 (hex) over the fields of forEachResultField: equal digests, equal results. */
export function resultDigest(r: BlockResult): string {
  const h = createHash('sha256');
  const enc = new TextEncoder();
  forEachResultField(r, (f) => {
    const b = typeof f === 'string' ? enc.encode(f) : f;
    const n = Buffer.alloc(5);
    n.writeUInt8(typeof f === 'string' ? 1 : 2);
    n.writeUInt32BE(b.length, 1);
    h.update(n);
    h.update(b);
  });
  return h.digest('hex');
}
