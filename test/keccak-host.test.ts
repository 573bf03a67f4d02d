// The host-side keccak (the engine's WASM keccak) against @noble/hashes, the reference.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { keccak256 } from '../src/keccak.js';

test('host keccak256 equals @noble/hashes for lengths 0..600 and large inputs', () => {
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 255;
  for (const n of [...Array(601).keys(), 4095, 65536, 3_000_000]) {
    const data = Uint8Array.from({ length: n }, rnd);
    assert.equal(keccak256(data), keccak_256(data), `length ${n}`);
  }
});

test('host keccak256 of the empty string is the known constant', () => {
  assert.is(Buffer.from(keccak256(new Uint8Array(0))).toString('hex'), 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
});

test.run();
