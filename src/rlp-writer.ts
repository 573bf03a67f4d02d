// RLP written straight into a buffer of known size, for the hot encoders (trie nodes, accounts, receipts):
// the caller adds up the lengths first, allocates once and writes. The generic encoder (rlp.ts rlpEncode)
// takes nested arrays and measures them in a pass of its own: fine for anything else.

/** Bytes of an RLP header for a payload of n bytes. */
export function hdrLen(n: number): number { return n < 56 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 5; }

/** Writes the RLP header of an n-byte payload at o (base 0x80: string, 0xc0: list); returns the next offset. */
export function putHdr(out: Uint8Array, o: number, n: number, base: number): number {
  if (n < 56) { out[o] = base + n; return o + 1; }
  const k = hdrLen(n) - 1;
  out[o++] = base + 55 + k;
  for (let i = k - 1; i >= 0; i--) out[o++] = (n >>> (8 * i)) & 0xff;
  return o;
}

/** Bytes of the RLP string of b. */
export function strLen(b: Uint8Array): number { return b.length === 1 && b[0]! < 0x80 ? 1 : hdrLen(b.length) + b.length; }

/** Writes b as an RLP string at o; returns the next offset. */
export function putStr(out: Uint8Array, o: number, b: Uint8Array): number {
  if (b.length === 1 && b[0]! < 0x80) { out[o] = b[0]!; return o + 1; }
  o = putHdr(out, o, b.length, 0x80);
  out.set(b, o);
  return o + b.length;
}

// Integers: up to 2^48 as Numbers, larger ones through one hex string (BigInt shifts allocate at every step).
const SMALL = 0xffffffffffffn;
/** The hex digits of v when it is above 2^48, else ''. */
export function uintHex(v: bigint): string { return v > SMALL ? v.toString(16) : ''; }
/** Bytes of the RLP of a non-negative integer (big-endian, no leading zeros; 0 is the empty string). */
export function uintLen(v: bigint, hex: string): number {
  if (v < 128n) return 1;
  if (hex === '') { let n = Number(v), k = 0; while (n > 0) { n = Math.floor(n / 256); k++; } return 1 + k; }
  const bytes = (hex.length + 1) >> 1;
  return hdrLen(bytes) + bytes;
}
/** Writes the RLP of a non-negative integer at o (`hex`: uintHex(v)); returns the next offset. */
export function putUint(out: Uint8Array, o: number, v: bigint, hex: string): number {
  if (v === 0n) { out[o] = 0x80; return o + 1; }
  if (v < 128n) { out[o] = Number(v); return o + 1; }
  if (hex === '') {
    let n = Number(v);
    const len = uintLen(v, hex) - 1;
    out[o++] = 0x80 + len;
    for (let i = len - 1; i >= 0; i--) { out[o + i] = n % 256; n = Math.floor(n / 256); }
    return o + len;
  }
  const len = (hex.length + 1) >> 1;
  o = putHdr(out, o, len, 0x80);
  putHexBytes(out, o + len, hex);
  return o + len;
}
/** Writes the bytes of lower-case hex digits (odd count: a leading zero nibble) to end just before `end`. */
function putHexBytes(out: Uint8Array, end: number, hex: string): void {
  let j = hex.length;
  for (let i = end - 1; j > 0; i--) {
    const lo = hexDigit(hex.charCodeAt(--j));
    out[i] = j > 0 ? (hexDigit(hex.charCodeAt(--j)) << 4) | lo : lo;
  }
}
/** The value of a lower-case hex digit's char code. */
function hexDigit(c: number): number { return c <= 57 ? c - 48 : c - 87; }

/** Writes v (below 2^256) as 32 big-endian bytes at `at`. */
export function putWord(out: Uint8Array, at: number, v: bigint): void {
  // (element stores: `fill` over a shared buffer, as the trie builder's scratch memory is, costs ~5x more)
  for (let i = at; i < at + 32; i++) out[i] = 0;
  if (v <= SMALL) {
    let n = Number(v);
    for (let i = at + 31; n > 0; i--) { out[i] = n % 256; n = Math.floor(n / 256); }
    return;
  }
  putHexBytes(out, at + 32, v.toString(16));
}

