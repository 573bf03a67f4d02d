// Strict hex <-> bytes and bigint <-> bytes helpers. Fixture input is untrusted, so every parse
// names the field it was reading when it fails.
import { HexError } from './errors.js';

/** Options for {@link hexToBytes}. */
export interface HexOptions {
  /** 'required' (default): input must start with 0x. 'optional': a bare hex string is accepted too. */
  prefix?: 'required' | 'optional';
  /** If set, the decoded byte length must equal this. */
  length?: number;
}

// Nibble value per char code, -1 for non-hex. A table is much faster than parseInt per pair.
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  NIBBLE[65 + i] = 10 + i;
  NIBBLE[97 + i] = 10 + i;
}
const HEX_CHARS = '0123456789abcdef';
const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, i) => HEX_CHARS[i >> 4]! + HEX_CHARS[i & 15]!);

function stripPrefix(hex: string, field: string, prefix: 'required' | 'optional'): string {
  if (typeof hex !== 'string') throw new HexError('HEX_NOT_STRING', `expected a hex string, got ${typeof hex}`, field);
  if (hex.startsWith('0x') || hex.startsWith('0X')) return hex.slice(2);
  if (prefix === 'required') throw new HexError('HEX_MISSING_PREFIX', `hex string must start with 0x: ${clip(hex)}`, field);
  return hex;
}

function clip(s: string): string {
  return s.length > 40 ? JSON.stringify(s.slice(0, 40) + '…') : JSON.stringify(s);
}

/**
 * Writes a 20-byte address given as 40 hex digits (with or without 0x, as WorldState keys are) at `at` in
 * `out`, without allocating (state loading and the state root do it once per account).
 * @throws HexError on a digit that is not hex (or a string too short)
 */
export function writeAddressHex(out: Uint8Array, at: number, hex: string): void {
  const o = hex.startsWith('0x') ? 2 : 0;
  for (let i = 0; i < 20; i++) {
    const c1 = hex.charCodeAt(o + 2 * i), c2 = hex.charCodeAt(o + 2 * i + 1);
    const hi = c1 < 128 ? NIBBLE[c1]! : -1, lo = c2 < 128 ? NIBBLE[c2]! : -1;
    if (hi < 0 || lo < 0) throw new HexError('HEX_INVALID_DIGIT', `not a hex address: ${clip(hex)}`, 'address');
    out[at + i] = (hi << 4) | lo;
  }
}

/**
 * Decode a hex string to bytes. Rejects odd length and non-hex digits; "0x" decodes to empty bytes.
 * @param hex input, 0x-prefixed unless `opts.prefix` is 'optional'
 * @param field name of the input field, used in error messages
 * @param opts prefix policy and expected length
 * @throws HexError
 */
export function hexToBytes(hex: string, field = 'hex', opts: HexOptions = {}): Uint8Array {
  const body = stripPrefix(hex, field, opts.prefix ?? 'required');
  if (body.length % 2 !== 0) {
    throw new HexError('HEX_ODD_LENGTH', `hex string has odd length ${body.length}: ${clip(hex)}`, field);
  }
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) {
    const c1 = body.charCodeAt(2 * i);
    const c2 = body.charCodeAt(2 * i + 1);
    const hi = c1 < 128 ? NIBBLE[c1]! : -1;
    const lo = c2 < 128 ? NIBBLE[c2]! : -1;
    if (hi < 0 || lo < 0) {
      const pos = hi < 0 ? 2 * i : 2 * i + 1;
      throw new HexError('HEX_INVALID_DIGIT', `invalid hex digit ${JSON.stringify(body[pos])} at position ${pos}`, field);
    }
    out[i] = (hi << 4) | lo;
  }
  if (opts.length !== undefined && out.length !== opts.length) {
    throw new HexError('HEX_WRONG_LENGTH', `expected ${opts.length} bytes, got ${out.length}`, field);
  }
  return out;
}

/**
 * Encode bytes as a lower-case 0x-prefixed hex string.
 * @param bytes input
 */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '0x';
  for (let i = 0; i < bytes.length; i++) s += BYTE_HEX[bytes[i]!];
  return s;
}

/**
 * Parse a hex quantity ("0x1", "0x00ff"; leading zeros and odd length allowed, "0x" is 0) to a bigint.
 * @param hex 0x-prefixed quantity
 * @param field name of the input field, used in error messages
 * @param maxBits reject values of more bits than this (default: unbounded)
 * @throws HexError
 */
export function hexToBigInt(hex: string, field = 'hex', maxBits?: number): bigint {
  const body = stripPrefix(hex, field, 'required');
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c >= 128 || NIBBLE[c]! < 0) {
      throw new HexError('HEX_INVALID_DIGIT', `invalid hex digit ${JSON.stringify(body[i])} at position ${i}`, field);
    }
  }
  const v = body.length === 0 ? 0n : BigInt('0x' + body);
  if (maxBits !== undefined && v >> BigInt(maxBits) !== 0n) {
    throw new HexError('HEX_VALUE_TOO_LARGE', `value exceeds ${maxBits} bits: ${clip(hex)}`, field);
  }
  return v;
}

/**
 * Encode a non-negative bigint as a minimal 0x-prefixed hex quantity ("0x0" for zero).
 * @param n value, must be >= 0
 */
export function bigIntToHex(n: bigint): string {
  if (n < 0n) throw new RangeError(`negative value ${n}`);
  return '0x' + n.toString(16);
}

/**
 * Big-endian unsigned integer of the bytes (empty bytes are 0).
 * @param bytes input
 */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  // One BigInt parse of the hex beats a shift-and-or loop for anything beyond a few bytes.
  return BigInt(bytesToHex(bytes));
}

/**
 * Big-endian bytes of a non-negative bigint: minimal (0 -> empty) when `length` is omitted,
 * otherwise left-padded to exactly `length` bytes.
 * @param n value, must be >= 0
 * @param length exact output length
 * @throws RangeError when n is negative or does not fit in `length` bytes
 */
export function bigIntToBytes(n: bigint, length?: number): Uint8Array {
  if (n < 0n) throw new RangeError(`negative value ${n}`);
  let hex = n === 0n ? '' : n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  const minimal = hexToBytes('0x' + hex);
  if (length === undefined) return minimal;
  if (minimal.length > length) throw new RangeError(`value ${n} does not fit in ${length} bytes`);
  return padLeft(minimal, length);
}

/**
 * Left-pad with zero bytes to `length` (returns the input if already that long).
 * @param bytes input, at most `length` bytes
 * @param length target length
 * @throws RangeError when the input is longer than `length`
 */
export function padLeft(bytes: Uint8Array, length: number): Uint8Array {
  if (bytes.length === length) return bytes;
  if (bytes.length > length) throw new RangeError(`${bytes.length} bytes do not fit in ${length}`);
  const out = new Uint8Array(length);
  out.set(bytes, length - bytes.length);
  return out;
}

/**
 * Concatenate byte arrays into a new array.
 * @param parts inputs
 */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/**
 * Byte-wise equality.
 * @param a first
 * @param b second
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Lexicographic byte-wise comparison: negative, zero or positive like a sort comparator.
 * @param a first
 * @param b second
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const utf8 = new TextEncoder();
/**
 * UTF-8 bytes of a string.
 * @param s input
 */
export function utf8ToBytes(s: string): Uint8Array {
  return utf8.encode(s);
}
