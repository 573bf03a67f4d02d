// BLAKE2 F compression (precompile 0x09, EIP-152) with non-zero message words in every position. The EIP-152
// vectors (test/precompiles.test.ts) use the message "abc" (only word 0 non-zero), so a wrong entry in the
// SIGMA permutation table for any other word goes unnoticed; here every word matters.
//
// Independent reference: node:crypto's blake2b512 of a message M of 1..128 bytes is exactly one compression
// F(h, m, t, f) with h = IV ^ parameter block (digest length 64, key length 0, fanout 1, depth 1, i.e.
// h[0] ^= 0x01010040), m = M zero-padded to 128 bytes, t = |M|, f = final, 12 rounds; the digest is the new h
// as eight little-endian u64 words, which is the precompile's output.
// Precompile input (EIP-152): rounds (4 bytes big-endian) | h (8 x u64 LE) | m (16 x u64 LE) | t (2 x u64 LE)
// | f (1 byte). Gas: 1 per round.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { runTx, makeState, addr } from './helpers/evm.js';

// BLAKE2b IV (RFC 7693 section 2.6, the SHA-512 initial hash values)
const IV = [
  0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n,
];
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function u64le(v: bigint): number[] {
  const out: number[] = [];
  for (let i = 0; i < 8; i++) { out.push(Number(v & 0xffn)); v >>= 8n; }
  return out;
}

/** The precompile input for hashing `msg` (1..128 bytes) in one final block. */
function blake2fInput(msg: Uint8Array, rounds = 12): Uint8Array {
  if (msg.length < 1 || msg.length > 128) throw new Error('one block only');
  const h = IV.map((v, i) => (i === 0 ? v ^ 0x01010040n : v));
  const m = new Uint8Array(128);
  m.set(msg);
  return Uint8Array.from([
    (rounds >>> 24) & 0xff, (rounds >>> 16) & 0xff, (rounds >>> 8) & 0xff, rounds & 0xff,
    ...h.flatMap(u64le),
    ...m,
    ...u64le(BigInt(msg.length)), ...u64le(0n),
    1,
  ]);
}

/** Calls 0x09 with `input` in a transaction; returns output and gas. */
function callBlake2f(input: Uint8Array) {
  const r = runTx(makeState([]), { to: addr(9), data: input, gasLimit: 100_000n });
  assert.ok(r.success, r.statusName);
  return r;
}

/** Calldata cost by hand (EIP-2028): 16 per non-zero byte, 4 per zero byte. */
function calldataGas(b: Uint8Array): bigint {
  let g = 0n;
  for (const x of b) g += x === 0 ? 4n : 16n;
  return g;
}

test('blake2f: 128-byte message with every word non-zero equals blake2b512', () => {
  const msg = Uint8Array.from({ length: 128 }, (_, i) => (i * 37 + 11) & 0xff);
  for (let w = 0; w < 16; w++) {
    assert.ok(msg.subarray(w * 8, w * 8 + 8).some((b) => b !== 0), `word ${w} non-zero`);
  }
  const input = blake2fInput(msg);
  assert.is(input.length, 213);
  const r = callBlake2f(input);
  assert.is(hex(r.output), createHash('blake2b512').update(msg).digest('hex'));
  // 21000 + calldata + 12 rounds * 1
  assert.is(r.gasUsed, 21000n + calldataGas(input) + 12n);
});

test('blake2f: each message word alone (words 9 and 14 included)', () => {
  for (let w = 0; w < 16; w++) {
    const msg = new Uint8Array(128);
    for (let k = 0; k < 8; k++) msg[w * 8 + k] = 0xa1 + 3 * k + w;
    const r = callBlake2f(blake2fInput(msg));
    assert.is(hex(r.output), createHash('blake2b512').update(msg).digest('hex'), `only word ${w} non-zero`);
  }
});

test('blake2f: partial last block (t = 121, zero padding)', () => {
  const msg = Uint8Array.from({ length: 121 }, (_, i) => 255 - i);
  const r = callBlake2f(blake2fInput(msg));
  assert.is(hex(r.output), createHash('blake2b512').update(msg).digest('hex'));
});

test.run();
