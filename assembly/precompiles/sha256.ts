// SHA-256 (FIPS 180-4) over raw memory. No allocation beyond a 64-byte arena block for the padded tail.
import { arenaAlloc, arenaMark, arenaReset } from '../arena';

// Round constants (read-only static data, shared by every instance).
const K: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

// Chaining state: wasm globals, one set per instance.
let h0: u32 = 0;
let h1: u32 = 0;
let h2: u32 = 0;
let h3: u32 = 0;
let h4: u32 = 0;
let h5: u32 = 0;
let h6: u32 = 0;
let h7: u32 = 0;

// @ts-ignore: decorator
@inline function ror(x: u32, n: u32): u32 { return rotr<u32>(x, n); }

/** Compresses one 64-byte block at `p` using the 64-word schedule buffer `w` (256 bytes of scratch). */
function block(p: usize, w: usize): void {
  for (let i: usize = 0; i < 16; i++) store<u32>(w + (i << 2), bswap<u32>(load<u32>(p + (i << 2))));
  for (let i: usize = 16; i < 64; i++) {
    const x15 = load<u32>(w + ((i - 15) << 2));
    const x2 = load<u32>(w + ((i - 2) << 2));
    const s0 = ror(x15, 7) ^ ror(x15, 18) ^ (x15 >>> 3);
    const s1 = ror(x2, 17) ^ ror(x2, 19) ^ (x2 >>> 10);
    store<u32>(w + (i << 2), load<u32>(w + ((i - 16) << 2)) + s0 + load<u32>(w + ((i - 7) << 2)) + s1);
  }
  let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
  for (let i: usize = 0; i < 64; i++) {
    const S1 = ror(e, 6) ^ ror(e, 11) ^ ror(e, 25);
    const ch = (e & f) ^ (~e & g);
    const t1 = h + S1 + ch + load<u32>(K + (i << 2)) + load<u32>(w + (i << 2));
    const S0 = ror(a, 2) ^ ror(a, 13) ^ ror(a, 22);
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = S0 + maj;
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
}

/** sha256(mem[inPtr .. inPtr+len)) -> 32 bytes at outPtr. Returns false only if the arena is exhausted. */
export function sha256(inPtr: usize, len: usize, outPtr: usize): bool {
  const mark = arenaMark();
  const w = arenaAlloc(256 + 128);
  if (w == 0) return false;
  const tail = w + 256;
  h0 = 0x6a09e667; h1 = 0xbb67ae85; h2 = 0x3c6ef372; h3 = 0xa54ff53a;
  h4 = 0x510e527f; h5 = 0x9b05688c; h6 = 0x1f83d9ab; h7 = 0x5be0cd19;
  const full = len & ~(<usize>63);
  for (let off: usize = 0; off < full; off += 64) block(inPtr + off, w);
  const rem = len - full;
  memory.fill(tail, 0, 128);
  memory.copy(tail, inPtr + full, rem);
  store<u8>(tail + rem, 0x80);
  const tl: usize = rem < 56 ? 64 : 128;
  const bits: u64 = (<u64>len) << 3;
  store<u64>(tail + tl - 8, bswap<u64>(bits));
  block(tail, w);
  if (tl == 128) block(tail + 64, w);
  store<u32>(outPtr, bswap<u32>(h0));
  store<u32>(outPtr + 4, bswap<u32>(h1));
  store<u32>(outPtr + 8, bswap<u32>(h2));
  store<u32>(outPtr + 12, bswap<u32>(h3));
  store<u32>(outPtr + 16, bswap<u32>(h4));
  store<u32>(outPtr + 20, bswap<u32>(h5));
  store<u32>(outPtr + 24, bswap<u32>(h6));
  store<u32>(outPtr + 28, bswap<u32>(h7));
  arenaReset(mark);
  return true;
}
