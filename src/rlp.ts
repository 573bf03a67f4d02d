// Recursive Length Prefix encoding (Yellow Paper appendix B) with a strict, canonical-only decoder:
// consensus objects have exactly one valid encoding, so anything else must be rejected.
import { RlpError } from './errors.js';

/** Encoder input: byte strings, non-negative integers (minimal big-endian) and nested lists. */
export type RlpInput = Uint8Array | bigint | number | RlpInput[];

/** Decoder output: byte strings and nested lists. Byte strings are views into the decoded buffer. */
export type RlpItem = Uint8Array | RlpItem[];

/** Nesting deeper than this is rejected so hostile input cannot overflow the JS stack. */
export const RLP_MAX_DEPTH = 1024;

// The encoder runs in two passes over the input: measure (collecting the payload length of every list, in
// order), then write into one buffer of the exact size. The earlier concatenating encoder allocated a buffer
// per item and list and was most of the cost of receipts roots (10,000 receipts: see bench/README.md).

/** Bytes of the minimal big-endian form of a non-negative integer below 2^53. */
function byteLen(n: number): number {
  let k = 0;
  while (n > 0) { k++; n = Math.floor(n / 256); }
  return k;
}

const headerLen = (len: number): number => (len < 56 ? 1 : 1 + byteLen(len));

function intValue(input: bigint | number): bigint | number {
  if (typeof input === 'number') {
    if (!Number.isSafeInteger(input) || input < 0) throw new RlpError('RLP_INVALID_INPUT', `cannot encode number ${input}`);
    return input;
  }
  if (input < 0n) throw new RlpError('RLP_INVALID_INPUT', `cannot encode negative bigint ${input}`);
  return input <= 0x1fffffffffffffn ? Number(input) : input;
}

function intLen(v: bigint | number): number {
  if (typeof v === 'number') return v < 0x80 ? 1 : 1 + byteLen(v); // 0 is the empty string 0x80
  const k = (v.toString(16).length + 1) >> 1;
  return headerLen(k) + k;
}

function measure(x: RlpInput, lists: number[]): number {
  if (x instanceof Uint8Array) return x.length === 1 && x[0]! < 0x80 ? 1 : headerLen(x.length) + x.length;
  if (Array.isArray(x)) {
    const i = lists.length;
    lists.push(0);
    let n = 0;
    for (const e of x) n += measure(e, lists);
    lists[i] = n;
    return headerLen(n) + n;
  }
  if (typeof x === 'bigint' || typeof x === 'number') return intLen(intValue(x));
  throw new RlpError('RLP_INVALID_INPUT', `cannot encode value of type ${typeof x}`);
}

interface Cursor { p: number; list: number }

function writeHeader(out: Uint8Array, c: Cursor, len: number, offset: number): void {
  if (len < 56) { out[c.p++] = offset + len; return; }
  const k = byteLen(len);
  out[c.p++] = offset + 55 + k;
  for (let i = k - 1; i >= 0; i--) { out[c.p + i] = len % 256; len = Math.floor(len / 256); }
  c.p += k;
}

function write(x: RlpInput, out: Uint8Array, c: Cursor, lists: number[]): void {
  if (x instanceof Uint8Array) {
    if (!(x.length === 1 && x[0]! < 0x80)) writeHeader(out, c, x.length, 0x80);
    out.set(x, c.p);
    c.p += x.length;
  } else if (Array.isArray(x)) {
    writeHeader(out, c, lists[c.list++]!, 0xc0);
    for (const e of x) write(e, out, c, lists);
  } else {
    const v = intValue(x as bigint | number);
    if (typeof v === 'number') {
      if (v === 0) { out[c.p++] = 0x80; return; }
      if (v < 0x80) { out[c.p++] = v; return; }
      let n = v;
      const k = byteLen(n);
      out[c.p++] = 0x80 + k;
      for (let i = k - 1; i >= 0; i--) { out[c.p + i] = n % 256; n = Math.floor(n / 256); }
      c.p += k;
    } else {
      let n = v;
      const k = (n.toString(16).length + 1) >> 1;
      if (k < 56) out[c.p++] = 0x80 + k; else writeHeader(out, c, k, 0x80);
      for (let i = k - 1; i >= 0; i--) { out[c.p + i] = Number(n & 0xffn); n >>= 8n; }
      c.p += k;
    }
  }
}

/**
 * RLP-encode a value. Integers are encoded as minimal big-endian byte strings (0 -> empty string).
 * @param input bytes, non-negative integer, or (nested) list of those
 * @throws RlpError on negative or non-integer numbers
 */
export function rlpEncode(input: RlpInput): Uint8Array {
  const lists: number[] = [];
  const out = new Uint8Array(measure(input, lists));
  write(input, out, { p: 0, list: 0 }, lists);
  return out;
}

/**
 * Decode exactly one canonical RLP item spanning all of `bytes`.
 * Rejects: empty input, truncated items, trailing bytes, length prefixes with leading zeros,
 * long-form lengths below 56, single bytes < 0x80 wrapped as 0x81xx, and nesting beyond {@link RLP_MAX_DEPTH}.
 * Returned byte strings are subarray views of `bytes` (no copy).
 * @param bytes encoded item
 * @throws RlpError with the offset of the first problem
 */
export function rlpDecode(bytes: Uint8Array): RlpItem {
  if (bytes.length === 0) throw new RlpError('RLP_EMPTY_INPUT', 'empty input', 0);
  const [item, end] = decodeAt(bytes, 0, bytes.length, 0);
  if (end !== bytes.length) {
    throw new RlpError('RLP_TRAILING_BYTES', `${bytes.length - end} trailing byte(s) after the item`, end);
  }
  return item;
}

/**
 * Decode one canonical RLP item starting at `offset`, without requiring it to span the buffer.
 * @param bytes buffer
 * @param offset start of the item
 * @returns the item and the offset just past it
 * @throws RlpError
 */
export function rlpDecodeAt(bytes: Uint8Array, offset: number): { item: RlpItem; end: number } {
  if (offset >= bytes.length) throw new RlpError('RLP_TRUNCATED', 'input ends before the item', offset);
  const [item, end] = decodeAt(bytes, offset, bytes.length, 0);
  return { item, end };
}

// Returns [payloadStart, payloadLength] of a long-form header at `pos` with `lenOfLen` length bytes.
function readLongLength(bytes: Uint8Array, pos: number, lenOfLen: number, limit: number, kind: string): number {
  if (pos + 1 + lenOfLen > limit) throw new RlpError('RLP_TRUNCATED', `${kind} length prefix is truncated`, pos);
  if (bytes[pos + 1] === 0) throw new RlpError('RLP_LEADING_ZEROS_IN_LENGTH', `${kind} length has leading zero bytes`, pos);
  if (lenOfLen > 6) {
    // Over 2^48 bytes can never fit in a buffer; report it exactly instead of as a rounded float.
    let big = 0n;
    for (let i = 0; i < lenOfLen; i++) big = (big << 8n) | BigInt(bytes[pos + 1 + i]!);
    throw new RlpError('RLP_TRUNCATED', `${kind} of length ${big} exceeds the input`, pos);
  }
  let len = 0;
  for (let i = 0; i < lenOfLen; i++) len = len * 256 + bytes[pos + 1 + i]!;
  if (len < 56) throw new RlpError('RLP_NON_CANONICAL_SIZE', `${kind} of length ${len} < 56 uses the long form`, pos);
  return len;
}

function decodeAt(bytes: Uint8Array, pos: number, limit: number, depth: number): [RlpItem, number] {
  const b = bytes[pos]!;
  if (b < 0x80) return [bytes.subarray(pos, pos + 1), pos + 1];
  if (b <= 0xb7) {
    const len = b - 0x80;
    const start = pos + 1;
    if (start + len > limit) throw new RlpError('RLP_TRUNCATED', `string of length ${len} exceeds the input`, pos);
    if (len === 1 && bytes[start]! < 0x80) {
      throw new RlpError('RLP_NON_CANONICAL_SIZE', `single byte 0x${bytes[start]!.toString(16).padStart(2, '0')} must be encoded as itself`, pos);
    }
    return [bytes.subarray(start, start + len), start + len];
  }
  if (b <= 0xbf) {
    const lenOfLen = b - 0xb7;
    const len = readLongLength(bytes, pos, lenOfLen, limit, 'string');
    const start = pos + 1 + lenOfLen;
    if (start + len > limit) throw new RlpError('RLP_TRUNCATED', `string of length ${len} exceeds the input`, pos);
    return [bytes.subarray(start, start + len), start + len];
  }
  let len: number;
  let start: number;
  if (b <= 0xf7) {
    len = b - 0xc0;
    start = pos + 1;
  } else {
    const lenOfLen = b - 0xf7;
    len = readLongLength(bytes, pos, lenOfLen, limit, 'list');
    start = pos + 1 + lenOfLen;
  }
  const end = start + len;
  if (end > limit) throw new RlpError('RLP_TRUNCATED', `list of length ${len} exceeds the input`, pos);
  if (depth >= RLP_MAX_DEPTH) throw new RlpError('RLP_TOO_DEEP', `nesting deeper than ${RLP_MAX_DEPTH}`, pos);
  const items: RlpItem[] = [];
  let p = start;
  while (p < end) {
    const [item, next] = decodeAt(bytes, p, end, depth + 1);
    items.push(item);
    p = next;
  }
  return [items, end];
}

/**
 * Interpret a decoded item as a canonical unsigned integer: a byte string without leading zeros
 * (zero is the empty string) of at most `maxBits` bits.
 * @param item decoded RLP item
 * @param field name used in error messages
 * @param maxBits largest allowed bit size (default 256)
 * @throws RlpError 'RLP_EXPECTED_BYTES' | 'RLP_LEADING_ZEROS' | 'RLP_VALUE_TOO_LARGE'
 */
export function rlpToBigInt(item: RlpItem, field: string, maxBits = 256): bigint {
  const b = rlpToBytes(item, field);
  if (b.length > 0 && b[0] === 0) throw new RlpError('RLP_LEADING_ZEROS', 'integer has leading zero bytes', undefined, field);
  if (b.length * 8 > maxBits + 7) throw new RlpError('RLP_VALUE_TOO_LARGE', `integer exceeds ${maxBits} bits`, undefined, field);
  let v = 0n;
  for (const byte of b) v = (v << 8n) | BigInt(byte);
  if (v >> BigInt(maxBits) !== 0n) throw new RlpError('RLP_VALUE_TOO_LARGE', `integer exceeds ${maxBits} bits`, undefined, field);
  return v;
}

/**
 * Interpret a decoded item as a byte string, optionally of an exact length.
 * @param item decoded RLP item
 * @param field name used in error messages
 * @param length required length, if any
 * @throws RlpError 'RLP_EXPECTED_BYTES' | 'RLP_WRONG_LENGTH'
 */
export function rlpToBytes(item: RlpItem, field: string, length?: number): Uint8Array {
  if (!(item instanceof Uint8Array)) throw new RlpError('RLP_EXPECTED_BYTES', 'expected a byte string, got a list', undefined, field);
  if (length !== undefined && item.length !== length) {
    throw new RlpError('RLP_WRONG_LENGTH', `expected ${length} bytes, got ${item.length}`, undefined, field);
  }
  return item;
}

/**
 * Interpret a decoded item as a list, optionally of an exact length.
 * @param item decoded RLP item
 * @param field name used in error messages
 * @param length required number of elements, if any
 * @throws RlpError 'RLP_EXPECTED_LIST' | 'RLP_WRONG_LENGTH'
 */
export function rlpToList(item: RlpItem, field: string, length?: number): RlpItem[] {
  if (!Array.isArray(item)) throw new RlpError('RLP_EXPECTED_LIST', 'expected a list, got a byte string', undefined, field);
  if (length !== undefined && item.length !== length) {
    throw new RlpError('RLP_WRONG_LENGTH', `expected ${length} elements, got ${item.length}`, undefined, field);
  }
  return item;
}
