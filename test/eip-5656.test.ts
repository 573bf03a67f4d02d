// EIP-5656 MCOPY (0x5e, Cancun): MCOPY(dst, src, length) copies memory as if through an intermediate buffer
// (overlap-safe). Gas: G_verylow 3 + G_copy 3 * ceil(length / 32) + memory expansion, where the expansion
// covers max(dst, src) + length (nothing when length is 0). Memory cost of a words: 3a + floor(a^2 / 512).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fork } from '../src/forks.js';
import { runCode, measure, sload, CONTRACT, type RunResult } from './helpers/evm.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const S = (r: RunResult, k: number) => sload(r.post, CONTRACT, BigInt(k));
const bytes = (n: number, f: (i: number) => number) => Uint8Array.from({ length: n }, (_, i) => f(i));

/** MSTOREs `mem` (a multiple of 32 bytes) at 0, then the measured MCOPY into slot 1, then returns all memory. */
function mcopy(mem: Uint8Array, dst: number, src: number, len: number): RunResult {
  let setup = '';
  for (let o = 0; o < mem.length; o += 32) setup += ` .push 0x${hex(mem.subarray(o, o + 32))} PUSH2 ${o} MSTORE`;
  return runCode(`${setup}
    ${measure(`PUSH2 ${len} PUSH2 ${src} PUSH2 ${dst} MCOPY`, 1)}
    MSIZE PUSH0 RETURN`);
}
/** memmove reference (src range inside `mem`, destination inside `mem`). */
function expectCopy(mem: Uint8Array, dst: number, src: number, len: number): Uint8Array {
  const out = mem.slice();
  out.set(mem.slice(src, src + len), dst);
  return out;
}

// The four examples in EIP-5656's test cases: each 3 + 3 * 1 word = 6 gas, no expansion (memory is already
// large enough). The measured block adds three PUSH2 (9): 15.
const seq32 = bytes(32, (i) => i); // 000102..1f
const eight = bytes(32, (i) => (i < 9 ? i : 0)); // 0001020304050607 08 00..
const vectors: [string, Uint8Array, number, number, number, string][] = [
  ['dst 0, src 32, len 32', new Uint8Array([...new Uint8Array(32), ...seq32]), 0, 32, 32, hex(seq32) + hex(seq32)],
  ['dst 0, src 0, len 32', bytes(32, () => 1), 0, 0, 32, '01'.repeat(32)],
  ['dst 0, src 1, len 8 (overlap, backward)', eight, 0, 1, 8, '0102030405060708' + '08' + '00'.repeat(23)],
  ['dst 1, src 0, len 8 (overlap, forward)', eight, 1, 0, 8, '0000010203040506' + '07' + '00'.repeat(23)],
];
for (const [name, mem, dst, src, len, post] of vectors) {
  test(`EIP-5656 example: ${name}`, () => {
    const r = mcopy(mem, dst, src, len);
    assert.ok(r.success, r.statusName);
    assert.is(hex(r.output), post);
    assert.is(S(r, 1), 15n);
  });
}

test('longer overlapping copies behave like memmove', () => {
  const mem = bytes(96, (i) => (i * 7 + 1) & 0xff);
  for (const [dst, src, len] of [[16, 0, 40], [0, 8, 50], [3, 5, 90], [5, 3, 90], [0, 0, 96]]) {
    const r = mcopy(mem, dst, src, len);
    assert.ok(r.success, r.statusName);
    assert.is(hex(r.output), hex(expectCopy(mem, dst, src, len)), `dst ${dst} src ${src} len ${len}`);
    // no expansion (max(dst, src) + len <= 96); ceil(len / 32) words: 40 -> 2, 50 -> 2, 90 -> 3, 96 -> 3
    const words = Math.ceil(len / 32);
    assert.is(S(r, 1), BigInt(9 + 3 + 3 * words), `gas dst ${dst} src ${src} len ${len}`);
  }
});

// From empty memory: measured = 9 (pushes) + 3 + 3 * words(len) + expansion.
const fromEmpty: [string, number, number, number, number, number][] = [
  // name, dst, src, len, expected measured gas, expected MSIZE
  // dst 64 + 32 = 96 bytes = 3 words: 3*3 + 9/512 = 9 -> 9 + 3 + 3 + 9 = 24
  ['expansion by dst', 64, 0, 32, 24, 96],
  // src 256 + 32 = 288 bytes = 9 words: 27 + 81/512 = 27 -> 9 + 3 + 3 + 27 = 42
  ['expansion by src', 0, 256, 32, 42, 288],
  // 33 bytes: 2 words to copy, 2 words of memory (6) -> 9 + 3 + 6 + 6 = 24
  ['partial word', 0, 0, 33, 24, 64],
  // 32768 bytes = 1024 words: 3*1024 + 1024^2/512 = 3072 + 2048 = 5120; copy 3*1024 = 3072 -> 9 + 3 + 3072 + 5120
  ['1024 words', 0, 0, 32768, 8204, 32768],
  // 1000 bytes at dst 5000: 6000 bytes -> 188 words: 564 + 35344/512 = 564 + 69 = 633; copy 32 words = 96
  // -> 9 + 3 + 96 + 633 = 741
  ['unaligned, 188 words', 5000, 0, 1000, 741, 6016],
];
for (const [name, dst, src, len, gas, msize] of fromEmpty) {
  test(`memory expansion: ${name}`, () => {
    const r = runCode(`${measure(`PUSH2 ${len} PUSH2 ${src} PUSH2 ${dst} MCOPY`, 1)} MSIZE PUSH1 2 SSTORE STOP`);
    assert.ok(r.success, r.statusName);
    assert.is(S(r, 1), BigInt(gas));
    assert.is(S(r, 2), BigInt(msize));
  });
}

test('zero length: no expansion even at huge offsets, 3 gas', () => {
  // pushes: PUSH1 3 + PUSH4 3 + PUSH4 3 = 9, MCOPY 3 + 0 words + no expansion -> 12; MSIZE stays 0
  const r = runCode(`${measure('PUSH1 0 PUSH4 0xffffffff PUSH4 0xfffffff0 MCOPY', 1)} MSIZE PUSH2 0x100 ADD PUSH1 2 SSTORE STOP`);
  assert.ok(r.success, r.statusName);
  assert.is(S(r, 1), 12n);
  assert.is(S(r, 2), 0x100n);
});

test('total gas of one MCOPY', () => {
  // 21000 + PUSH1 32 (3) + PUSH1 0 (3) + PUSH1 64 (3) + MCOPY (3 + 3 + expansion to 3 words 9) = 21024
  assert.is(runCode('PUSH1 32 PUSH1 0 PUSH1 64 MCOPY STOP').gasUsed, 21024n);
});

test('a huge length runs out of gas', () => {
  const r = runCode('PUSH4 0xffffffff PUSH0 PUSH0 MCOPY STOP', { gasLimit: 100_000n });
  assert.is(r.statusName, 'OUT_OF_GAS');
  assert.is(r.gasUsed, 100_000n);
});

test('MCOPY is an invalid opcode before Cancun', () => {
  const r = runCode('PUSH1 32 PUSH1 0 PUSH1 0 MCOPY STOP', { gasLimit: 60_000n }, { fork: Fork.Shanghai });
  assert.is(r.statusName, 'INVALID_OPCODE');
  assert.is(r.gasUsed, 60_000n);
});

test.run();
