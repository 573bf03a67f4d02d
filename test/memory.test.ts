// EVM memory (Yellow Paper, appendix H): C_mem(a) = 3a + floor(a^2 / 512) for a 32-byte words; touching
// memory beyond the current size charges C_mem(new) - C_mem(old), with the size rounded up to whole words.
// MLOAD/MSTORE/MSTORE8 cost 3 (+ expansion), MSIZE 2. Words are big-endian: MSTORE writes the most
// significant byte first; MSTORE8 writes the low byte of the value.
//   C_mem(1) = 3, C_mem(2) = 6, C_mem(3) = 9, C_mem(32) = 96 + 2 = 98, C_mem(724) = 2172 + 1023 = 3195,
//   C_mem(1024) = 3072 + 2048 = 5120, C_mem(10000) = 30000 + 195312 = 225312.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCode, measure, sload, CONTRACT, type RunResult } from './helpers/evm.js';

const S = (r: RunResult, k: number) => sload(r.post, CONTRACT, BigInt(k));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const sizes: [number, bigint][] = [[1, 3n], [2, 6n], [3, 9n], [32, 98n], [724, 3195n], [1024, 5120n], [10000, 225312n]];
for (const [words, cmem] of sizes) {
  test(`expansion from empty to ${words} words costs ${cmem}`, () => {
    // MSTORE8 at the last byte of word `words`: PUSH1 3 + PUSH 3 + MSTORE8 3 + C_mem(words)
    const r = runCode(`${measure(`PUSH1 0xaa PUSH ${words * 32 - 1} MSTORE8`, 1)} MSIZE PUSH1 2 SSTORE STOP`, { gasLimit: 1_000_000n });
    assert.ok(r.success, r.statusName);
    assert.is(S(r, 1), 9n + cmem);
    assert.is(S(r, 2), BigInt(words * 32), 'MSIZE');
  });
}

test('incremental expansion charges only the difference; touching old memory is free', () => {
  const r = runCode(`
    ${measure('PUSH1 1 PUSH0 MSTORE', 1)}          ; PUSH1 3 + PUSH0 2 + 3 + C(1) 3 = 11
    ${measure('PUSH1 1 PUSH2 1023 MSTORE8', 2)}    ; 3 + 3 + 3 + C(32) - C(1) = 9 + 95 = 104
    ${measure('PUSH0 MLOAD POP', 3)}               ; 2 + 3 + 2 = 7, no expansion
    ${measure('PUSH2 992 MLOAD POP', 4)}           ; last word: 3 + 3 + 2 = 8
    ${measure('PUSH2 993 MLOAD POP', 5)}           ; crosses into word 33: 8 + C(33) - C(32) = 8 + 3 = 11
    ${measure('MSIZE POP', 6)}                     ; 2 + 2
    STOP`);
  assert.ok(r.success, r.statusName);
  assert.equal([S(r, 1), S(r, 2), S(r, 3), S(r, 4)], [11n, 104n, 7n, 8n]);
  // C(33) = 99 + floor(1089 / 512) = 101, C(32) = 98: 3 more
  assert.is(S(r, 5), 11n);
  assert.is(S(r, 6), 4n);
});

test('MSIZE rounds up to words and never shrinks', () => {
  const r = runCode(`
    MSIZE PUSH2 0x1000 ADD PUSH1 1 SSTORE   ; 0 (+0x1000 marker)
    PUSH1 1 PUSH1 100 MSTORE8               ; byte 100 -> ceil(101 / 32) = 4 words
    MSIZE PUSH1 2 SSTORE                    ; 128
    PUSH1 33 MLOAD POP                      ; bytes 33..64 -> 3 words, already covered
    MSIZE PUSH1 3 SSTORE                    ; 128
    PUSH2 200 MLOAD POP                     ; bytes 200..231 -> ceil(232 / 32) = 8 words
    MSIZE PUSH1 4 SSTORE                    ; 256
    STOP`);
  assert.equal([S(r, 1), S(r, 2), S(r, 3), S(r, 4)], [0x1000n, 128n, 128n, 256n]);
});

test('MSTORE is big-endian, MSTORE8 writes the low byte, MLOAD reads unaligned', () => {
  const w = Buffer.from(Array.from({ length: 32 }, (_, i) => i + 1)).toString('hex'); // 0102..20
  const r = runCode(`
    .push 0x${w} PUSH0 MSTORE          ; mem[0..32] = 01 02 .. 20
    PUSH2 0xabcd PUSH1 32 MSTORE8      ; mem[32] = cd
    PUSH1 1 MLOAD PUSH1 1 SSTORE       ; 02 03 .. 20 cd
    PUSH1 0x77 PUSH1 70 MSTORE         ; value 0x77 at 70..102: 31 zero bytes then 77 at byte 101
    PUSH1 39 MLOAD PUSH1 2 SSTORE      ; bytes 39..71: 31 zeros then byte 70 = 00
    PUSH1 70 MLOAD PUSH1 3 SSTORE      ; = 0x77
    MSIZE PUSH0 RETURN`);
  assert.ok(r.success, r.statusName);
  const mem = new Uint8Array(128); // MSIZE: byte 101 -> 4 words
  for (let i = 0; i < 32; i++) mem[i] = i + 1;
  mem[32] = 0xcd;
  mem[101] = 0x77;
  assert.is(hex(r.output), hex(mem));
  assert.is(S(r, 1), BigInt('0x' + hex(mem.subarray(1, 33))));
  assert.is(S(r, 2), 0n);
  assert.is(S(r, 3), 0x77n);
});

test('total gas of one MSTORE and one MLOAD', () => {
  // 21000 + PUSH1 3 + PUSH1 3 + MSTORE (3 + C(1) 3) = 21012
  assert.is(runCode('PUSH1 1 PUSH1 0 MSTORE STOP').gasUsed, 21012n);
  // 21000 + PUSH1 3 + MLOAD at 64: 3 + C(3) 9 + POP 2 = 21017
  assert.is(runCode('PUSH1 64 MLOAD POP STOP').gasUsed, 21017n);
});

test('an unaffordable expansion is out of gas and takes all gas', () => {
  for (const code of ['PUSH1 1 PUSH4 0xffffffff MSTORE STOP', 'PUSH8 0xffffffffffffffff MLOAD STOP', 'PUSH3 0x100000 MLOAD STOP']) {
    // MLOAD at 0x100000 needs 32769 words: C = 98307 + 2097280 > 100000 gas
    const r = runCode(code, { gasLimit: 100_000n });
    assert.is(r.statusName, 'OUT_OF_GAS', code);
    assert.is(r.gasUsed, 100_000n, code);
  }
});

test.run();
