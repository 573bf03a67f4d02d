// The KECCAK256 opcode on 64-byte inputs goes through a direct-mapped cache of recent hashes (assembly/keccak.ts,
// keccak64: Solidity's mapping slots). Whatever the cache holds, every hash must equal @noble/hashes': repeated
// inputs (hits), more distinct inputs than the cache has entries (evictions), inputs that differ in one byte
// only, and 64 zero bytes (an empty entry is zero-filled: it must not pass for that input).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { runCode } from './helpers/evm.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Hashes each 64-byte input with KECCAK256 in one transaction and returns the hashes, in order. */
function hashAll(inputs: Uint8Array[]): string[] {
  let src = '';
  inputs.forEach((x, i) => {
    src += ` .push 0x${hex(x.subarray(0, 32))} PUSH0 MSTORE .push 0x${hex(x.subarray(32))} PUSH1 32 MSTORE`;
    src += ` PUSH1 64 PUSH0 KECCAK256 PUSH2 ${64 + 32 * i} MSTORE`;
  });
  src += ` PUSH2 ${32 * inputs.length} PUSH1 64 RETURN`;
  const r = runCode(src, { gasLimit: 30_000_000n });
  assert.ok(r.success, r.statusName);
  return Array.from({ length: inputs.length }, (_, i) => hex(r.output.subarray(32 * i, 32 * i + 32)));
}

let seed = 7;
const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed >>> 24; };
/** A mapping-slot-like input: a 20-byte key left-padded to 32 bytes, then a small slot number. */
const slotInput = (key: number, slot: number) => {
  const x = new Uint8Array(64);
  for (let k = 12; k < 32; k++) x[k] = (key * 131 + k * 17) & 0xff;
  x[63] = slot;
  return x;
};

test('64-byte hashes match @noble/hashes: repeats, evictions, one-byte differences, zeros', () => {
  const inputs: Uint8Array[] = [new Uint8Array(64), new Uint8Array(64)];
  for (let i = 0; i < 300; i++) inputs.push(slotInput(i, i % 3)); // more than the cache's 128 entries
  for (let i = 0; i < 300; i += 7) inputs.push(slotInput(i, i % 3)); // again, after evictions
  for (let i = 0; i < 50; i++) { const x = slotInput(5, 0); x[rnd() & 63] ^= 1 << (i & 7); inputs.push(x); }
  for (let i = 0; i < 50; i++) inputs.push(Uint8Array.from({ length: 64 }, rnd));
  inputs.push(new Uint8Array(64));
  const got = hashAll(inputs);
  inputs.forEach((x, i) => assert.is(got[i], hex(keccak_256(x)), `input ${i}: ${hex(x)}`));
});

// Inputs that differ in one byte only, 256 of them per position: more than the cache's 128 entries, so many
// land in an entry holding another of them, and a hit must compare that byte too. One position per 8-byte word.
for (let w = 0; w < 8; w++) {
  test(`inputs differing only in byte ${w * 8 + 3} (word ${w}) are told apart`, () => {
    const base = Uint8Array.from({ length: 64 }, (_, i) => (i * 29 + 5) & 0xff);
    const inputs: Uint8Array[] = [];
    for (let v = 0; v < 256; v++) { const x = base.slice(); x[w * 8 + 3] = v; inputs.push(x); }
    for (let v = 255; v >= 0; v -= 3) inputs.push(inputs[v]);
    const got = hashAll(inputs);
    inputs.forEach((x, i) => assert.is(got[i], hex(keccak_256(x)), `input ${i}: ${hex(x)}`));
  });
}

test.run();
