// Finalisation work a pool thread can take over from the coordinator once a parallel block is done: the
// receipts root, computed from the block's records in the shared memory while the coordinator reads the
// overlay, builds the diff and computes the state root. A receipts root is keccak-bound (~10,000 leaves of
// ~300 bytes and their branches: ~21 ms of a 10,000-transfer block's ~95 ms finalisation on this machine),
// and the pool threads are idle after the block.
import { succeeded } from '../engine/engine.js';
import type { Abi } from '../engine/wasm.js';
import { ordinalRoot } from '../trie.js';
import { hdrLen, putHdr, uintHex, uintLen } from '../rlp-writer.js';
import { logItemLen, putReceiptHead, receiptBytes } from '../receipts.js';

/**
 * The receipts root (Byzantium and later) of a finished parallel block of `n` transactions, from its records:
 * the u32 pairs [input record, result record] at `txTable` in `u8`'s memory, each result final (the block is
 * done and was not bailed out of). Each receipt is encoded as receipts.ts encodes the coordinator's Receipt
 * objects (type from the input, status from the engine status, gas summed in order, logs and bloom only for a
 * successful transaction), but straight from the records into one buffer: building the objects first (views
 * of the logs, arrays of topics) made this ~1.5x slower than the same root on the coordinator for ERC-20
 * transfers. Null when a transaction is not a valid result (the block fails anyway, and the coordinator
 * reports why).
 */
export function recordsReceiptsRoot(u8: Uint8Array, abi: Abi, n: number, txTable: number): Uint8Array | null {
  const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const R_STATUS = abi.R_STATUS, R_GAS_USED = abi.R_GAS_USED, R_LOG_COUNT = abi.R_LOG_COUNT, R_LOGS = abi.R_LOGS, R_BLOOM = abi.R_BLOOM, TX_TYPE = abi.TX_TYPE;
  const cum: bigint[] = new Array<bigint>(n), hex: string[] = new Array<string>(n);
  const logBytes = new Int32Array(n), vo = new Int32Array(n), vl = new Int32Array(n);
  let cumulative = 0n, bytes = 0;
  for (let i = 0; i < n; i++) {
    const t = dv.getUint32(txTable + 8 * i, true), r = dv.getUint32(txTable + 8 * i + 4, true);
    const status = dv.getInt32(r + R_STATUS, true);
    if (status >= 0x40 || status < 0) return null;
    cumulative += dv.getBigUint64(r + R_GAS_USED, true);
    cum[i] = cumulative; hex[i] = uintHex(cumulative);
    const count = succeeded(status) ? dv.getUint32(r + R_LOG_COUNT, true) : 0;
    let logs = 0;
    for (let k = 0, q = dv.getUint32(r + R_LOGS, true); k < count; k++) {
      const item = logPayload(u8, dv, q);
      logs += hdrLen(item) + item;
      q = nextLog(dv, q);
    }
    logBytes[i] = logs;
    vl[i] = receiptBytes(dv.getUint32(t + TX_TYPE, true) !== 0, uintLen(cumulative, hex[i]!), logs);
    bytes += vl[i]!;
  }
  const vb = new Uint8Array(bytes);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const t = dv.getUint32(txTable + 8 * i, true), r = dv.getUint32(txTable + 8 * i + 4, true);
    const type = dv.getUint32(t + TX_TYPE, true), status = dv.getInt32(r + R_STATUS, true);
    const success = succeeded(status);
    const count = success ? dv.getUint32(r + R_LOG_COUNT, true) : 0;
    const logs = logBytes[i]!;
    vo[i] = o;
    o = putReceiptHead(vb, o, type, success, cum[i]!, hex[i]!, logs);
    if (count > 0) vb.set(u8.subarray(r + R_BLOOM, r + R_BLOOM + 256), o); // (else zero: the buffer is)
    o += 256;
    o = putHdr(vb, o, logs, 0xc0);
    for (let k = 0, q = dv.getUint32(r + R_LOGS, true); k < count; k++) {
      const topics = dv.getUint32(q + 20, true), len = dv.getUint32(q + 24, true);
      o = putHdr(vb, o, logPayload(u8, dv, q), 0xc0);
      vb[o++] = 0x94; // the 20-byte address
      vb.set(u8.subarray(q, q + 20), o);
      o = putHdr(vb, o + 20, 33 * topics, 0xc0);
      for (let x = 0; x < topics; x++) {
        vb[o++] = 0xa0;
        vb.set(u8.subarray(q + 32 + 32 * x, q + 64 + 32 * x), o);
        o += 32;
      }
      const data = q + 32 + 32 * topics;
      if (len === 1 && u8[data]! < 0x80) vb[o++] = u8[data]!;
      else {
        o = putHdr(vb, o, len, 0x80);
        vb.set(u8.subarray(data, data + len), o);
        o += len;
      }
      q = nextLog(dv, q);
    }
    if (o - vo[i]! !== vl[i]) throw new Error(`receipt ${i}: ${o - vo[i]!} bytes written, ${vl[i]} measured`);
  }
  return ordinalRoot(n, vb, vo, vl);
}

// A log record of the engine (engine.ts parseLogs): address (20), topic count (u32 at +20), data length (u32
// at +24), 4 bytes of padding, the topics (32 bytes each), the data; the next record starts 8-aligned.

/** Bytes of the RLP list of the log at q ([address, [topics], data]) without its header. */
function logPayload(u8: Uint8Array, dv: DataView, q: number): number {
  const topics = dv.getUint32(q + 20, true);
  return logItemLen(topics, dv.getUint32(q + 24, true), u8[q + 32 + 32 * topics]!);
}
/** The log record after the one at q. */
function nextLog(dv: DataView, q: number): number {
  return q + ((32 + 32 * dv.getUint32(q + 20, true) + dv.getUint32(q + 24, true) + 7) & ~7);
}
