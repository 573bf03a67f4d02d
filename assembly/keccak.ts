// Keccak-256 as Ethereum uses it: Keccak[r=1088, c=512] with the original multi-rate padding (0x01 ... 0x80),
// not FIPS-202 SHA3-256 (0x06). The 25 lanes of the Keccak-f[1600] state live in locals; the only memory this
// touches is the input, the 32-byte output and the read-only round-constant table (static data is shared by all
// instances, so it is never written).

const RATE: usize = 136;

// Round constants of Keccak-f[1600] (iota).
const RC: usize = memory.data<u64>([
  0x0000000000000001, 0x0000000000008082, 0x800000000000808a, 0x8000000080008000,
  0x000000000000808b, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
  0x000000000000008a, 0x0000000000000088, 0x0000000080008009, 0x000000008000000a,
  0x000000008000808b, 0x800000000000008b, 0x8000000000008089, 0x8000000000008003,
  0x8000000000008002, 0x8000000000000080, 0x000000000000800a, 0x800000008000000a,
  0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]);

/** Lane i (0..16) of the final, padded block: `rem` (0..135) message bytes at p, then 0x01, zeros, 0x80 at byte 135. */
// @ts-ignore: decorator
@inline function lastLane(p: usize, rem: usize, i: usize): u64 {
  const off = i << 3;
  let v: u64 = 0;
  if (off + 8 <= rem) {
    v = load<u64>(p + off);
  } else if (off <= rem) {
    const k = rem - off; // 0..7 message bytes in this lane, then the 0x01 pad byte
    for (let j: usize = 0; j < k; j++) v |= <u64>load<u8>(p + off + j) << (<u64>j << 3);
    v |= <u64>1 << (<u64>k << 3);
  }
  if (i == 16) v |= 0x8000000000000000;
  return v;
}

/** Writes keccak256(bytes [ptr, ptr + len)) as 32 bytes at out (out may overlap the input). */
export function keccak256(ptr: usize, len: usize, out: usize): void {
  let a0: u64 = 0, a1: u64 = 0, a2: u64 = 0, a3: u64 = 0, a4: u64 = 0, a5: u64 = 0, a6: u64 = 0, a7: u64 = 0, a8: u64 = 0,
    a9: u64 = 0, a10: u64 = 0, a11: u64 = 0, a12: u64 = 0, a13: u64 = 0, a14: u64 = 0, a15: u64 = 0, a16: u64 = 0, a17: u64 = 0,
    a18: u64 = 0, a19: u64 = 0, a20: u64 = 0, a21: u64 = 0, a22: u64 = 0, a23: u64 = 0, a24: u64 = 0;
  let p = ptr;
  let n = len;
  let last = false;
  while (true) {
    if (n >= RATE) {
      a0 ^= load<u64>(p, 0);
      a1 ^= load<u64>(p, 8);
      a2 ^= load<u64>(p, 16);
      a3 ^= load<u64>(p, 24);
      a4 ^= load<u64>(p, 32);
      a5 ^= load<u64>(p, 40);
      a6 ^= load<u64>(p, 48);
      a7 ^= load<u64>(p, 56);
      a8 ^= load<u64>(p, 64);
      a9 ^= load<u64>(p, 72);
      a10 ^= load<u64>(p, 80);
      a11 ^= load<u64>(p, 88);
      a12 ^= load<u64>(p, 96);
      a13 ^= load<u64>(p, 104);
      a14 ^= load<u64>(p, 112);
      a15 ^= load<u64>(p, 120);
      a16 ^= load<u64>(p, 128);
      p += RATE;
      n -= RATE;
    } else {
      const rem = n;
      a0 ^= lastLane(p, rem, 0);
      a1 ^= lastLane(p, rem, 1);
      a2 ^= lastLane(p, rem, 2);
      a3 ^= lastLane(p, rem, 3);
      a4 ^= lastLane(p, rem, 4);
      a5 ^= lastLane(p, rem, 5);
      a6 ^= lastLane(p, rem, 6);
      a7 ^= lastLane(p, rem, 7);
      a8 ^= lastLane(p, rem, 8);
      a9 ^= lastLane(p, rem, 9);
      a10 ^= lastLane(p, rem, 10);
      a11 ^= lastLane(p, rem, 11);
      a12 ^= lastLane(p, rem, 12);
      a13 ^= lastLane(p, rem, 13);
      a14 ^= lastLane(p, rem, 14);
      a15 ^= lastLane(p, rem, 15);
      a16 ^= lastLane(p, rem, 16);
      last = true;
    }
    for (let round: usize = 0; round < 24; round++) {
      const c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
      const c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
      const c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
      const c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
      const c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
      const d0 = c4 ^ rotl<u64>(c1, 1);
      const d1 = c0 ^ rotl<u64>(c2, 1);
      const d2 = c1 ^ rotl<u64>(c3, 1);
      const d3 = c2 ^ rotl<u64>(c4, 1);
      const d4 = c3 ^ rotl<u64>(c0, 1);
      const b0 = a0 ^ d0;
      const b1 = rotl<u64>(a6 ^ d1, 44);
      const b2 = rotl<u64>(a12 ^ d2, 43);
      const b3 = rotl<u64>(a18 ^ d3, 21);
      const b4 = rotl<u64>(a24 ^ d4, 14);
      const b5 = rotl<u64>(a3 ^ d3, 28);
      const b6 = rotl<u64>(a9 ^ d4, 20);
      const b7 = rotl<u64>(a10 ^ d0, 3);
      const b8 = rotl<u64>(a16 ^ d1, 45);
      const b9 = rotl<u64>(a22 ^ d2, 61);
      const b10 = rotl<u64>(a1 ^ d1, 1);
      const b11 = rotl<u64>(a7 ^ d2, 6);
      const b12 = rotl<u64>(a13 ^ d3, 25);
      const b13 = rotl<u64>(a19 ^ d4, 8);
      const b14 = rotl<u64>(a20 ^ d0, 18);
      const b15 = rotl<u64>(a4 ^ d4, 27);
      const b16 = rotl<u64>(a5 ^ d0, 36);
      const b17 = rotl<u64>(a11 ^ d1, 10);
      const b18 = rotl<u64>(a17 ^ d2, 15);
      const b19 = rotl<u64>(a23 ^ d3, 56);
      const b20 = rotl<u64>(a2 ^ d2, 62);
      const b21 = rotl<u64>(a8 ^ d3, 55);
      const b22 = rotl<u64>(a14 ^ d4, 39);
      const b23 = rotl<u64>(a15 ^ d0, 41);
      const b24 = rotl<u64>(a21 ^ d1, 2);
      a0 = b0 ^ (~b1 & b2);
      a1 = b1 ^ (~b2 & b3);
      a2 = b2 ^ (~b3 & b4);
      a3 = b3 ^ (~b4 & b0);
      a4 = b4 ^ (~b0 & b1);
      a5 = b5 ^ (~b6 & b7);
      a6 = b6 ^ (~b7 & b8);
      a7 = b7 ^ (~b8 & b9);
      a8 = b8 ^ (~b9 & b5);
      a9 = b9 ^ (~b5 & b6);
      a10 = b10 ^ (~b11 & b12);
      a11 = b11 ^ (~b12 & b13);
      a12 = b12 ^ (~b13 & b14);
      a13 = b13 ^ (~b14 & b10);
      a14 = b14 ^ (~b10 & b11);
      a15 = b15 ^ (~b16 & b17);
      a16 = b16 ^ (~b17 & b18);
      a17 = b17 ^ (~b18 & b19);
      a18 = b18 ^ (~b19 & b15);
      a19 = b19 ^ (~b15 & b16);
      a20 = b20 ^ (~b21 & b22);
      a21 = b21 ^ (~b22 & b23);
      a22 = b22 ^ (~b23 & b24);
      a23 = b23 ^ (~b24 & b20);
      a24 = b24 ^ (~b20 & b21);
      a0 ^= load<u64>(RC + (round << 3));
    }
    if (last) break;
  }
  store<u64>(out, a0);
  store<u64>(out, a1, 8);
  store<u64>(out, a2, 16);
  store<u64>(out, a3, 24);
}

// Hashes of 64-byte inputs, direct-mapped: Solidity's mapping slot is keccak256(key . slot), and a contract
// usually hashes the same one more than once in a transaction (a balance checked, then debited; an allowance
// read, then spent). The full 64 bytes are compared, so a hit is always the right hash. The cache lives in the
// instance's arena (keccakMemoInit); keccak is a pure function, so it is never invalidated.
// Entry (128 bytes): u32 filled flag at +0, the hash at +32, the input at +64.
const MEMO_ENTRIES: usize = 128;
const ME_SIZE: usize = 128;
const ME_FILLED: usize = 0; // u32
const ME_HASH: usize = 32; // 32 bytes
const ME_KEY: usize = 64; // 64 bytes
let memo: usize = 0;

/** Sets up this instance's cache of 64-byte hashes at `p` (MEMO_BYTES bytes); 0 turns it off. */
export function keccakMemoInit(p: usize): void {
  memo = p;
  if (p != 0) memory.fill(p, 0, MEMO_BYTES);
}
export const MEMO_BYTES: usize = MEMO_ENTRIES * ME_SIZE;

/** keccak256 of the 64 bytes at ptr into out (out may overlap the input), from the cache when it has them. */
export function keccak64(ptr: usize, out: usize): void {
  if (memo == 0) { keccak256(ptr, 64, out); return; }
  const w0 = load<u64>(ptr), w1 = load<u64>(ptr, 8), w2 = load<u64>(ptr, 16), w3 = load<u64>(ptr, 24);
  const w4 = load<u64>(ptr, 32), w5 = load<u64>(ptr, 40), w6 = load<u64>(ptr, 48), w7 = load<u64>(ptr, 56);
  const h = (w0 ^ w1 * 0x9E3779B97F4A7C15 ^ w2 * 0xC2B2AE3D27D4EB4F ^ w3 * 0x165667B19E3779F9
    ^ w4 ^ w5 * 0x27D4EB2F165667C5 ^ w6 * 0x94D049BB133111EB ^ w7 * 0xFF51AFD7ED558CCD) * 0x9E3779B97F4A7C15;
  const e = memo + <usize>(h >> 57) * ME_SIZE; // 128 entries
  const k = e + ME_KEY;
  if (load<u32>(e + ME_FILLED) != 0 && load<u64>(k) == w0 && load<u64>(k, 8) == w1 && load<u64>(k, 16) == w2
    && load<u64>(k, 24) == w3 && load<u64>(k, 32) == w4 && load<u64>(k, 40) == w5 && load<u64>(k, 48) == w6 && load<u64>(k, 56) == w7) {
    memory.copy(out, e + ME_HASH, 32);
    return;
  }
  store<u64>(k, w0); store<u64>(k, w1, 8); store<u64>(k, w2, 16); store<u64>(k, w3, 24);
  store<u64>(k, w4, 32); store<u64>(k, w5, 40); store<u64>(k, w6, 48); store<u64>(k, w7, 56);
  keccak256(k, 64, e + ME_HASH);
  store<u32>(e + ME_FILLED, 1);
  memory.copy(out, e + ME_HASH, 32);
}
