// Receipts, logs blooms and the receipts root.
import { keccak256 as keccak_256 } from './keccak.js';
import { rlpEncode } from './rlp.js';
import { ordinalRoot } from './trie.js';
import { hdrLen, putHdr, putStr, uintHex, uintLen, putUint } from './rlp-writer.js';
import type { Log } from './engine/engine.js';

/** A transaction receipt. */
export interface Receipt {
  /** Transaction type (0..3). */
  type: number;
  /** 1 success, 0 failure (Byzantium and later). */
  status: 0 | 1;
  gasUsed: bigint;
  cumulativeGasUsed: bigint;
  logs: Log[];
  /** 256-byte bloom of this receipt's logs. */
  logsBloom: Uint8Array;
  contractAddress?: Uint8Array;
}

/** Adds one value (an address or a topic) to a 2048-bit bloom (three 11-bit indices of its keccak). */
export function bloomAdd(bloom: Uint8Array, value: Uint8Array): void {
  const h = keccak_256(value);
  for (let i = 0; i < 6; i += 2) {
    const bit = ((h[i] << 8) | h[i + 1]) & 2047;
    bloom[255 - (bit >> 3)] |= 1 << (bit & 7);
  }
}

/** The bloom of a list of logs. */
export function logsBloom(logs: Log[]): Uint8Array {
  const b = new Uint8Array(256);
  for (const l of logs) {
    bloomAdd(b, l.address);
    for (const t of l.topics) bloomAdd(b, t);
  }
  return b;
}

/** OR of blooms. */
export function orBlooms(blooms: Iterable<Uint8Array>): Uint8Array {
  const b = new Uint8Array(256);
  // Receipts without logs share one empty bloom object: a run of the same object is ORed once (OR is
  // idempotent). That was ~4 ms of byte loops for 10,000 raw transfers.
  let last: Uint8Array | undefined;
  const w = new Int32Array(b.buffer);
  for (const x of blooms) {
    if (x === last) continue;
    last = x;
    if (x.length === 256 && (x.byteOffset & 3) === 0) {
      // (64 word ORs through a view: ~4x faster than 256 byte ORs; blooms from results are 8-aligned)
      const v = new Int32Array(x.buffer, x.byteOffset, 64);
      for (let i = 0; i < 64; i++) w[i] |= v[i]!;
    } else for (let i = 0; i < 256; i++) b[i] |= x[i]!;
  }
  return b;
}

/** Consensus encoding of a post-Byzantium receipt (typed receipts are `type || rlp`). */
export function encodeReceipt(r: Receipt): Uint8Array {
  const n = receiptLen(r);
  if (n < 0) return encodeReceiptGeneric(r);
  const out = new Uint8Array(n);
  writeReceipt(out, 0, r);
  return out;
}

// Receipts are written directly into a buffer of the exact size (the generic encoder measured nested arrays
// built for it): rlp([status, cumulative gas, bloom, [[address, [topics], data], ...]]), after the type byte
// of a typed receipt. receiptsRoot writes all of a block's receipts into one buffer; a pool thread writes a
// parallel block's from its records (parallel/finalize.ts) with the same helpers.

/** Bytes of a receipt whose cumulative gas takes `gasLen` bytes of RLP and whose log items take `logs` bytes. */
export function receiptBytes(typed: boolean, gasLen: number, logs: number): number {
  const payload = 1 + gasLen + 259 + hdrLen(logs) + logs;
  return (typed ? 1 : 0) + hdrLen(payload) + payload;
}

/**
 * Writes a receipt up to its bloom (type byte, list header, status, cumulative gas, the bloom's string header)
 * at o; returns where its 256 bloom bytes go. The list of its logs (`logs` bytes of items) follows them.
 */
export function putReceiptHead(out: Uint8Array, o: number, type: number, success: boolean, gas: bigint, gasHex: string, logs: number): number {
  if (type !== 0) out[o++] = type;
  o = putHdr(out, o, 1 + uintLen(gas, gasHex) + 259 + hdrLen(logs) + logs, 0xc0);
  out[o++] = success ? 1 : 0x80;
  o = putUint(out, o, gas, gasHex);
  out[o++] = 0xb9; out[o++] = 0x01; out[o++] = 0x00; // a 256-byte string
  return o;
}

/** Bytes of the RLP list of a log without its header: a 20-byte address, `topics` 32-byte topics, data of `dataLen` bytes (`data0`: its first). */
export function logItemLen(topics: number, dataLen: number, data0: number): number {
  const t = 33 * topics;
  return 21 + hdrLen(t) + t + (dataLen === 1 && data0 < 0x80 ? 1 : hdrLen(dataLen) + dataLen);
}

/** Bytes of encodeReceipt(r); -1 when a field has an odd size (the generic encoder then writes it). */
function receiptLen(r: Receipt): number {
  if (r.logsBloom.length !== 256) return -1;
  for (const l of r.logs) {
    if (l.address.length !== 20) return -1;
    for (const t of l.topics) if (t.length !== 32) return -1;
  }
  return receiptBytes(r.type !== 0, uintLen(r.cumulativeGasUsed, uintHex(r.cumulativeGasUsed)), logsLen(r));
}

/** Writes encodeReceipt(r) at o (receiptLen(r) >= 0); returns the next offset. */
function writeReceipt(out: Uint8Array, o: number, r: Receipt): number {
  const logs = logsLen(r);
  o = putReceiptHead(out, o, r.type, r.status === 1, r.cumulativeGasUsed, uintHex(r.cumulativeGasUsed), logs);
  out.set(r.logsBloom, o);
  o = putHdr(out, o + 256, logs, 0xc0);
  for (const l of r.logs) {
    o = putHdr(out, o, logPayload(l), 0xc0);
    o = putStr(out, o, l.address);
    o = putHdr(out, o, 33 * l.topics.length, 0xc0);
    for (const t of l.topics) o = putStr(out, o, t);
    o = putStr(out, o, l.data);
  }
  return o;
}

/** Bytes of the list of a log (address, topics, data) without its header; topics are 32 bytes each. */
function logPayload(l: Log): number { return logItemLen(l.topics.length, l.data.length, l.data[0] ?? 0); }
/** Bytes of the list of a receipt's logs without its header. */
function logsLen(r: Receipt): number {
  let n = 0;
  for (const l of r.logs) { const item = logPayload(l); n += hdrLen(item) + item; }
  return n;
}

/** encodeReceipt through the generic encoder (odd-sized fields: the encoding is still what they make). */
function encodeReceiptGeneric(r: Receipt): Uint8Array {
  const body = rlpEncode([
    r.status === 1 ? Uint8Array.of(1) : new Uint8Array(0),
    r.cumulativeGasUsed,
    r.logsBloom,
    r.logs.map((l) => [l.address, l.topics, l.data]),
  ]);
  if (r.type === 0) return body;
  const out = new Uint8Array(body.length + 1);
  out[0] = r.type;
  out.set(body, 1);
  return out;
}

/** Receipts trie root (Byzantium and later). */
export function receiptsRoot(receipts: Receipt[]): Uint8Array {
  // all of them written into one buffer (no array per receipt), the trie built over offsets into it
  const n = receipts.length;
  const lens = receipts.map(receiptLen);
  const odd = new Map<number, Uint8Array>(); // (fields of odd sizes: the generic encoder's bytes)
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    if (lens[i]! < 0) { const e = encodeReceiptGeneric(receipts[i]!); odd.set(i, e); lens[i] = e.length; }
    bytes += lens[i]!;
  }
  const all = new Uint8Array(bytes), vo = new Int32Array(n), vl = new Int32Array(n);
  let o = 0;
  for (let i = 0; i < n; i++) {
    vo[i] = o;
    const e = odd.get(i);
    if (e) { all.set(e, o); o += e.length; } else o = writeReceipt(all, o, receipts[i]!);
    vl[i] = o - vo[i]!;
  }
  return ordinalRoot(n, all, vo, vl);
}
