// BLAKE2b compression function F (EIP-152). The working vector lives in locals; the message words are
// read straight from the (little-endian) input.

// Read-only message schedule, 10 rows of 16 word indices.
const SIGMA: usize = memory.data<u8>([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
  11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
  7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
  9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
  2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
  12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
  13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
  6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
  10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
]);

/**
 * F(h, m, t, f) for `rounds` rounds. `inPtr` points at the 213-byte EIP-152 input
 * (rounds u32 BE | h 8xu64 LE | m 16xu64 LE | t0, t1 u64 LE | f u8), already validated by the caller.
 * Writes the 64-byte new state (8 x u64 LE) to `outPtr`.
 */
export function blake2f(inPtr: usize, rounds: u32, outPtr: usize): void {
  const hp = inPtr + 4;
  const m = inPtr + 68;
  let v0 = load<u64>(hp), v1 = load<u64>(hp + 8), v2 = load<u64>(hp + 16), v3 = load<u64>(hp + 24);
  let v4 = load<u64>(hp + 32), v5 = load<u64>(hp + 40), v6 = load<u64>(hp + 48), v7 = load<u64>(hp + 56);
  let v8: u64 = 0x6a09e667f3bcc908, v9: u64 = 0xbb67ae8584caa73b, v10: u64 = 0x3c6ef372fe94f82b, v11: u64 = 0xa54ff53a5f1d36f1;
  let v12: u64 = 0x510e527fade682d1 ^ load<u64>(inPtr + 196);
  let v13: u64 = 0x9b05688c2b3e6c1f ^ load<u64>(inPtr + 204);
  let v14: u64 = 0x1f83d9abfb41bd6b;
  let v15: u64 = 0x5be0cd19137e2179;
  if (load<u8>(inPtr + 212) != 0) v14 = ~v14;
  let row: u32 = 0;
  for (let r: u32 = 0; r < rounds; r++) {
    const s = SIGMA + (<usize>row << 4);
    row = row == 9 ? 0 : row + 1;
    // G0
    v0 += v4 + load<u64>(m + (<usize>load<u8>(s + 0) << 3)); v12 = rotr<u64>(v12 ^ v0, 32);
    v8 += v12; v4 = rotr<u64>(v4 ^ v8, 24);
    v0 += v4 + load<u64>(m + (<usize>load<u8>(s + 1) << 3)); v12 = rotr<u64>(v12 ^ v0, 16);
    v8 += v12; v4 = rotr<u64>(v4 ^ v8, 63);
    // G1
    v1 += v5 + load<u64>(m + (<usize>load<u8>(s + 2) << 3)); v13 = rotr<u64>(v13 ^ v1, 32);
    v9 += v13; v5 = rotr<u64>(v5 ^ v9, 24);
    v1 += v5 + load<u64>(m + (<usize>load<u8>(s + 3) << 3)); v13 = rotr<u64>(v13 ^ v1, 16);
    v9 += v13; v5 = rotr<u64>(v5 ^ v9, 63);
    // G2
    v2 += v6 + load<u64>(m + (<usize>load<u8>(s + 4) << 3)); v14 = rotr<u64>(v14 ^ v2, 32);
    v10 += v14; v6 = rotr<u64>(v6 ^ v10, 24);
    v2 += v6 + load<u64>(m + (<usize>load<u8>(s + 5) << 3)); v14 = rotr<u64>(v14 ^ v2, 16);
    v10 += v14; v6 = rotr<u64>(v6 ^ v10, 63);
    // G3
    v3 += v7 + load<u64>(m + (<usize>load<u8>(s + 6) << 3)); v15 = rotr<u64>(v15 ^ v3, 32);
    v11 += v15; v7 = rotr<u64>(v7 ^ v11, 24);
    v3 += v7 + load<u64>(m + (<usize>load<u8>(s + 7) << 3)); v15 = rotr<u64>(v15 ^ v3, 16);
    v11 += v15; v7 = rotr<u64>(v7 ^ v11, 63);
    // G4
    v0 += v5 + load<u64>(m + (<usize>load<u8>(s + 8) << 3)); v15 = rotr<u64>(v15 ^ v0, 32);
    v10 += v15; v5 = rotr<u64>(v5 ^ v10, 24);
    v0 += v5 + load<u64>(m + (<usize>load<u8>(s + 9) << 3)); v15 = rotr<u64>(v15 ^ v0, 16);
    v10 += v15; v5 = rotr<u64>(v5 ^ v10, 63);
    // G5
    v1 += v6 + load<u64>(m + (<usize>load<u8>(s + 10) << 3)); v12 = rotr<u64>(v12 ^ v1, 32);
    v11 += v12; v6 = rotr<u64>(v6 ^ v11, 24);
    v1 += v6 + load<u64>(m + (<usize>load<u8>(s + 11) << 3)); v12 = rotr<u64>(v12 ^ v1, 16);
    v11 += v12; v6 = rotr<u64>(v6 ^ v11, 63);
    // G6
    v2 += v7 + load<u64>(m + (<usize>load<u8>(s + 12) << 3)); v13 = rotr<u64>(v13 ^ v2, 32);
    v8 += v13; v7 = rotr<u64>(v7 ^ v8, 24);
    v2 += v7 + load<u64>(m + (<usize>load<u8>(s + 13) << 3)); v13 = rotr<u64>(v13 ^ v2, 16);
    v8 += v13; v7 = rotr<u64>(v7 ^ v8, 63);
    // G7
    v3 += v4 + load<u64>(m + (<usize>load<u8>(s + 14) << 3)); v14 = rotr<u64>(v14 ^ v3, 32);
    v9 += v14; v4 = rotr<u64>(v4 ^ v9, 24);
    v3 += v4 + load<u64>(m + (<usize>load<u8>(s + 15) << 3)); v14 = rotr<u64>(v14 ^ v3, 16);
    v9 += v14; v4 = rotr<u64>(v4 ^ v9, 63);
  }
  store<u64>(outPtr, load<u64>(hp) ^ v0 ^ v8);
  store<u64>(outPtr + 8, load<u64>(hp + 8) ^ v1 ^ v9);
  store<u64>(outPtr + 16, load<u64>(hp + 16) ^ v2 ^ v10);
  store<u64>(outPtr + 24, load<u64>(hp + 24) ^ v3 ^ v11);
  store<u64>(outPtr + 32, load<u64>(hp + 32) ^ v4 ^ v12);
  store<u64>(outPtr + 40, load<u64>(hp + 40) ^ v5 ^ v13);
  store<u64>(outPtr + 48, load<u64>(hp + 48) ^ v6 ^ v14);
  store<u64>(outPtr + 56, load<u64>(hp + 56) ^ v7 ^ v15);
}
