// Finalisation work a pool thread can take over from the coordinator once a parallel block is done: the
// receipts root, computed from the block's records in the shared memory while the coordinator reads the
// overlay, builds the diff and computes the state root. A receipts root is keccak-bound (~10,000 leaves of
// ~300 bytes and their branches: ~21 ms of a 10,000-transfer block's ~95 ms finalisation on this machine),
// and the pool threads are idle after the block.
import { parseLogs, succeeded, ZERO_BLOOM, type Log } from '../engine/engine.js';
import type { Abi } from '../engine/wasm.js';
import { receiptsRoot, type Receipt } from '../receipts.js';

const NO_LOGS: Log[] = [];

/**
 * The receipts root (Byzantium and later) of a finished parallel block of `n` transactions, from its records:
 * the u32 pairs [input record, result record] at `txTable` in `u8`'s memory, each result final (the block is
 * done and was not bailed out of). The receipts are built as the coordinator's BlockReceipts builds them
 * (type from the input, status from the engine status, gas summed in order; logs and bloom only for a
 * successful transaction), as views into the memory. Null when a transaction is not a valid result (the
 * block fails anyway, and the coordinator reports why).
 */
export function recordsReceiptsRoot(u8: Uint8Array, abi: Abi, n: number, txTable: number): Uint8Array | null {
  const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const receipts: Receipt[] = new Array<Receipt>(n);
  let cumulative = 0n;
  for (let i = 0; i < n; i++) {
    const t = dv.getUint32(txTable + 8 * i, true), r = dv.getUint32(txTable + 8 * i + 4, true);
    const status = dv.getInt32(r + abi.R_STATUS, true);
    if (status >= 0x40 || status < 0) return null;
    cumulative += dv.getBigUint64(r + abi.R_GAS_USED, true);
    const success = succeeded(status);
    const count = success ? dv.getUint32(r + abi.R_LOG_COUNT, true) : 0;
    receipts[i] = {
      type: dv.getUint32(t + abi.TX_TYPE, true),
      status: success ? 1 : 0,
      gasUsed: 0n, // (not part of the encoding)
      cumulativeGasUsed: cumulative,
      logs: count > 0 ? parseLogs(u8, dv.getUint32(r + abi.R_LOGS, true), count) : NO_LOGS,
      logsBloom: count > 0 ? u8.subarray(r + abi.R_BLOOM, r + abi.R_BLOOM + 256) : ZERO_BLOOM,
    };
  }
  return receiptsRoot(receipts);
}
