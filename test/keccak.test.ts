// assembly/keccak.ts against @noble/hashes keccak_256 (Ethereum's Keccak-256, padding 0x01).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { loadTestWasm, heapBase } from './helpers/wasm.js';

const w = loadTestWasm('u256', {}, 64);
const X = w.exports;
const base = (heapBase(w) + 63) & ~63;
const OUT = base;
const IN = base + 64;

let seed = 12345;
const rnd8 = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed >>> 24; };

function wasmKeccak(data: Uint8Array, off = 0): Uint8Array {
  const u8 = w.u8();
  u8.set(data, IN + off);
  u8.fill(0xcc, IN + off + data.length, IN + off + data.length + 200); // bytes past the end must not matter
  X.keccak256(IN + off, data.length, OUT);
  return w.u8().slice(OUT, OUT + 32);
}
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('known vectors', () => {
  assert.is(toHex(wasmKeccak(new Uint8Array(0))), 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  assert.is(toHex(wasmKeccak(new TextEncoder().encode('abc'))), '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
});

test('lengths 0..300 match @noble/hashes (aligned and unaligned input)', () => {
  for (let len = 0; len <= 300; len++) {
    const data = new Uint8Array(len);
    for (let i = 0; i < len; i++) data[i] = rnd8();
    const want = toHex(keccak_256(data));
    assert.is(toHex(wasmKeccak(data)), want, `len ${len}`);
    assert.is(toHex(wasmKeccak(data, 1 + (len % 7))), want, `len ${len} unaligned`);
  }
});

test('rate multiples and large inputs', () => {
  for (const len of [135, 136, 137, 271, 272, 273, 1088, 4096, 65536, 200003]) {
    const data = new Uint8Array(len);
    for (let i = 0; i < len; i++) data[i] = rnd8();
    assert.is(toHex(wasmKeccak(data)), toHex(keccak_256(data)), `len ${len}`);
  }
  const ff = new Uint8Array(136 * 3).fill(0xff);
  assert.is(toHex(wasmKeccak(ff)), toHex(keccak_256(ff)));
});

test('output may overwrite the input', () => {
  const data = new Uint8Array(64);
  for (let i = 0; i < 64; i++) data[i] = i;
  w.u8().set(data, IN);
  X.keccak256(IN, 64, IN);
  assert.is(toHex(w.u8().slice(IN, IN + 32)), toHex(keccak_256(data)));
});

test.run();
