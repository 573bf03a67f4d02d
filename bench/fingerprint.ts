// A digest of everything two runs of a block must agree on: the fields of resultFingerprint
// (src/runners/mainnet.ts) in the same order, hashed as they go instead of joined into one string. The string
// version does not fit the heap for a 1-gigagas Uniswap block (each changed pool's 22 kB of code as a hex string
// built by concatenation, thousands of times); here each field is fed to SHA-256 as bytes.
import { createHash } from 'node:crypto';
import type { BlockResult } from '../src/executor.js';
import { encodeReceipt } from '../src/receipts.js';

/**
 * SHA-256 (hex) over gasUsed, blobGasUsed, the logs bloom, the state root (when computed), every receipt's
 * encoding, gas and contract address, and every changed account's nonce, balance, code (or deletion) and
 * changed slots. Two results with the same digest agree on everything resultFingerprint compares.
 */
export function resultDigest(r: BlockResult): string {
  const h = createHash('sha256');
  const enc = new TextEncoder();
  const field = (b: Uint8Array) => { const n = Buffer.alloc(4); n.writeUInt32BE(b.length); h.update(n); h.update(b); };
  const text = (s: string) => field(enc.encode(s));
  const q = (n: bigint) => text(n.toString(16));
  q(r.gasUsed); q(r.blobGasUsed); field(r.logsBloom);
  if (r.stateRoot) field(r.stateRoot); else text('-');
  text(`receipts ${r.receipts.length}`);
  for (const x of r.receipts) {
    field(encodeReceipt(x)); q(x.gasUsed);
    if (x.contractAddress) field(x.contractAddress); else text('-');
  }
  text(`diff ${r.diff.length}`);
  for (const d of r.diff) {
    text(d.address);
    if (d.after) { q(d.after.nonce); q(d.after.balance); field(d.after.code); } else text('deleted');
    text(`slots ${d.storage.length}`);
    for (const s of d.storage) { q(s.slot); q(s.after); }
  }
  return h.digest('hex');
}
