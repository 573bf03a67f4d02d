// RIPEMD-160 over raw memory (little-endian words, MD4-style padding).
import { arenaAlloc, arenaMark, arenaReset } from '../arena';

// Read-only tables: message word selection and rotation amounts, left and right lines (80 steps each).
const RL: usize = memory.data<u8>([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
  3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
  1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
  4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13,
]);
const RR: usize = memory.data<u8>([
  5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
  6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
  15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
  8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
  12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11,
]);
const SL: usize = memory.data<u8>([
  11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
  7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
  11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
  11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
  9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6,
]);
const SR: usize = memory.data<u8>([
  8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
  9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
  9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
  15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
  8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11,
]);
const KL: usize = memory.data<u32>([0x00000000, 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xa953fd4e]);
const KR: usize = memory.data<u32>([0x50a28be6, 0x5c4dd124, 0x6d703ef3, 0x7a6d76e9, 0x00000000]);

let h0: u32 = 0;
let h1: u32 = 0;
let h2: u32 = 0;
let h3: u32 = 0;
let h4: u32 = 0;

// @ts-ignore: decorator
@inline function fn(j: u32, x: u32, y: u32, z: u32): u32 {
  if (j < 16) return x ^ y ^ z;
  if (j < 32) return (x & y) | (~x & z);
  if (j < 48) return (x | ~y) ^ z;
  if (j < 64) return (x & z) | (y & ~z);
  return x ^ (y | ~z);
}

/** Compresses the 64-byte block at `x` (16 little-endian words; unaligned loads are fine in wasm). */
function block(x: usize): void {
  let al = h0, bl = h1, cl = h2, dl = h3, el = h4;
  let ar = h0, br = h1, cr = h2, dr = h3, er = h4;
  for (let j: u32 = 0; j < 80; j++) {
    const g = j >> 4;
    let t = al + fn(j, bl, cl, dl) + load<u32>(x + (<usize>load<u8>(RL + j) << 2)) + load<u32>(KL + (g << 2));
    t = rotl<u32>(t, load<u8>(SL + j)) + el;
    al = el; el = dl; dl = rotl<u32>(cl, 10); cl = bl; bl = t;
    t = ar + fn(79 - j, br, cr, dr) + load<u32>(x + (<usize>load<u8>(RR + j) << 2)) + load<u32>(KR + (g << 2));
    t = rotl<u32>(t, load<u8>(SR + j)) + er;
    ar = er; er = dr; dr = rotl<u32>(cr, 10); cr = br; br = t;
  }
  const t = h1 + cl + dr;
  h1 = h2 + dl + er;
  h2 = h3 + el + ar;
  h3 = h4 + al + br;
  h4 = h0 + bl + cr;
  h0 = t;
}

/** ripemd160(mem[inPtr .. inPtr+len)) -> 20 bytes at outPtr. Returns false only if the arena is exhausted. */
export function ripemd160(inPtr: usize, len: usize, outPtr: usize): bool {
  const mark = arenaMark();
  const tail = arenaAlloc(128);
  if (tail == 0) return false;
  h0 = 0x67452301; h1 = 0xefcdab89; h2 = 0x98badcfe; h3 = 0x10325476; h4 = 0xc3d2e1f0;
  const full = len & ~(<usize>63);
  for (let off: usize = 0; off < full; off += 64) block(inPtr + off);
  const rem = len - full;
  memory.fill(tail, 0, 128);
  memory.copy(tail, inPtr + full, rem);
  store<u8>(tail + rem, 0x80);
  const tl: usize = rem < 56 ? 64 : 128;
  store<u64>(tail + tl - 8, (<u64>len) << 3);
  block(tail);
  if (tl == 128) block(tail + 64);
  store<u32>(outPtr, h0);
  store<u32>(outPtr + 4, h1);
  store<u32>(outPtr + 8, h2);
  store<u32>(outPtr + 12, h3);
  store<u32>(outPtr + 16, h4);
  arenaReset(mark);
  return true;
}
