// orBlooms ORs aligned 256-byte blooms by 32-bit words and anything else by bytes: both must give the bytewise
// OR, whatever the views' offsets, and a repeated bloom object counts once (OR is idempotent).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { orBlooms } from '../src/receipts.js';

let seed = 7;
const rand = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed >>> 24; };

test('orBlooms: aligned, unaligned and repeated blooms give the bytewise OR', () => {
  const backing = new Uint8Array(256 * 40 + 16);
  for (let i = 0; i < backing.length; i++) backing[i] = rand() & rand() & rand(); // sparse bits
  const blooms: Uint8Array[] = [];
  for (let k = 0; k < 30; k++) {
    const off = k * 256 + (k % 4 === 1 ? 1 : k % 4 === 2 ? 2 : 0); // some views start off a word boundary
    blooms.push(backing.subarray(off, off + 256));
    if (k % 5 === 0) blooms.push(blooms[blooms.length - 1]!); // the same object twice in a row
  }
  blooms.push(new Uint8Array(new SharedArrayBuffer(256)).fill(0x80)); // a view over a shared buffer
  const want = new Uint8Array(256);
  for (const b of blooms) for (let i = 0; i < 256; i++) want[i] |= b[i]!;
  assert.equal(orBlooms(blooms), want);
  assert.equal(orBlooms([]), new Uint8Array(256));
});

test.run();
