// The parevm WebAssembly module: one per worker thread, all instances over one shared memory.
// Everything an instance owns lives in wasm globals and in the arena region the TypeScript side hands to
// `init`; the shared regions (state tables, code store, fork tables, block input) are laid out by the
// TypeScript side and described by the descriptor block `desc` (state/world.ts WD_*).
import { arenaInit, arenaAlloc } from './arena';
import { u256Init, isZero as u256IsZero } from './u256';
import { keccak256, keccakMemoInit, MEMO_BYTES } from './keccak';
import { txCacheInit, txBegin, account, addBalance, touch, txCommit } from './state/txcache';
import { worldAttach, codeHeapInit, codeInsertHashed, baseLoadAccount, baseLoadStorage, ovAcct, ovStor, baseAcct, codeTab, wd, WD_TABLES, WD_HEAP_TOP, WD_HEAP_END } from './state/world';
import { tableInit, tableInitIndexed, tableClear, acctTouch, codeFind } from './state/records';
import { buildTables } from './gas/tables';
import { framesInit, } from './interpreter/frame';
import { setAddrScratch } from './interpreter/interpreter';
import { setTables, setScratch, setEnv } from './context';
import { executeTx, executeSystemCall, bloomCacheInit } from './tx';
import {
  txioAttach, beginIncarnation, endParallel, blockedOn, outAlloc, outFull, publish, validate, markEstimates,
  lastWroteNew, TX_IO_SIZE, SET_ENTRY_SIZE, readDependencies, setLazyFeeBuf, clearBlockedSequential,
} from './mv/txio';
import { mvTouch, mvFull, clearMvFull, mvResetChunk, MV_DESC_SIZE, MV_INDEX_SLOT, MV_ENTRY_SIZE, V_SIZE } from './mv/mvmemory';
import { R_LOGS, R_LOG_BYTES, R_OUTPUT_LEN, TX_SENDER, TX_TO } from './context';

export {
  A_ADDR, A_FLAGS, A_NONCE, A_BALANCE, A_CODE, A_EPOCH, A_GEN, A_SIZE, AF_EXISTS, AF_PARTIAL, AF_HAS_STORAGE,
  S_ADDR, S_SLOT, S_VALUE, S_EPOCH, S_GEN, S_SIZE, C_HASH, C_PTR, C_LEN, C_SIZE,
  TD_BASE, TD_MASK, TD_GEN, TD_COUNT, TD_GROW, TD_INDEXED, TD_SIZE,
} from './state/records';
export { WD_BASE_ACCT, WD_BASE_STOR, WD_CODE, WD_OV_ACCT, WD_OV_STOR, WD_TABLES, WD_SIZE } from './state/world';
export {
  ENV_COINBASE, ENV_FORK, ENV_NUMBER, ENV_TIMESTAMP, ENV_GAS_LIMIT, ENV_CHAIN_ID, ENV_BLOCKHASHES, ENV_BASE_FEE,
  ENV_PREVRANDAO, ENV_BLOB_BASE_FEE, ENV_GAS_USED, ENV_BLOB_GAS_USED, ENV_MAX_BLOB_GAS, ENV_SIZE,
  BH_NUMBER, BH_HASH, BH_SIZE,
  TX_TYPE, TX_FLAGS, TX_NONCE, TX_GAS_LIMIT, TX_INTRINSIC, TX_SENDER, TX_TO, TX_VALUE, TX_MAX_FEE,
  TX_PRIORITY_FEE, TX_BLOB_FEE_CAP, TX_DATA, TX_DATA_LEN, TX_ACCESS_LIST, TX_ACCESS_COUNT, TX_BLOB_HASHES,
  TX_BLOB_COUNT, TX_SIZE, TXF_CREATE,
  R_STATUS, R_GAS_USED, R_GAS_REFUND, R_LOGS, R_LOG_COUNT, R_LOG_BYTES, R_OUTPUT, R_OUTPUT_LEN, R_CONTRACT,
  R_GAS_BEFORE_REFUND, R_BLOB_GAS_USED, R_BLOOM, R_SIZE,
} from './context';
export { TABLE_BYTES } from './gas/tables';
export { FORK_COUNT } from './fork';
export { executeTx, executeSystemCall, buildTables, tableInit, tableInitIndexed, keccak256, codeHeapInit };

let staging: usize = 0;
let parScratch: usize = 0;
export { TX_IO_SIZE, SET_ENTRY_SIZE, MV_DESC_SIZE, MV_INDEX_SLOT, MV_ENTRY_SIZE, V_SIZE };

/**
 * Sets up this instance: its arena [arenaBase, arenaBase + arenaSize) and the shared descriptor block.
 * Returns the address of a 4 KiB staging buffer in the arena for the TypeScript side, or 0 if the arena is
 * too small.
 */
export function init(arenaBase: usize, arenaSize: usize, desc: usize, frameBytes: usize, memBytes: usize, retBytes: usize): usize {
  arenaInit(arenaBase, arenaSize);
  staging = arenaAlloc(1 << 16);
  const scr = arenaAlloc(1024);
  const gp = arenaAlloc(32);
  parScratch = arenaAlloc(96); // two 32-byte words and the lazy fee
  if (staging == 0 || scr == 0 || gp == 0 || parScratch == 0) return 0;
  setScratch(gp, scr);
  setAddrScratch(arenaAlloc(32));
  u256Init();
  if (!txCacheInit() || !bloomCacheInit()) return 0;
  const memo = arenaAlloc(MEMO_BYTES);
  if (memo == 0) return 0;
  keccakMemoInit(memo);
  if (!framesInit(frameBytes, memBytes, retBytes)) return 0;
  worldAttach(desc);
  setTables(<usize>load<u32>(desc + WD_TABLES));
  return staging;
}

/** The code entry of a code hash already in the store, else 0. */
export function codeLookup(hash: usize): usize { return codeFind(codeTab, hash); }
/** Inserts code whose hash the caller computed earlier (codeLookup found no entry); returns its entry, 0 if full. */
export function loadCodeHashed(src: usize, len: u32, hash: usize): usize { return codeInsertHashed(hash, src, len); }
/** Bytes left in the code heap. */
export function codeHeapFree(): u32 { return load<u32>(wd + WD_HEAP_END) - load<u32>(wd + WD_HEAP_TOP); }
export function loadAccount(addr: usize, nonce: u64, balance: usize, code: usize): usize {
  return baseLoadAccount(addr, nonce, balance, code);
}
export function loadStorage(addr: usize, slot: usize, value: usize): usize { return baseLoadStorage(addr, slot, value); }

/** Starts a block in sequential mode: sets the environment and empties the block overlay. */
export function beginBlock(envPtr: usize): void {
  setEnv(envPtr);
  tableClear(ovAcct);
  tableClear(ovStor);
}

/** Selects the environment without clearing the overlay (between transactions of one block). */
export function useEnv(envPtr: usize): void { setEnv(envPtr); }

export function clearTable(td: usize): void { tableClear(td); }

/**
 * Zeroes [ptr, ptr + len) with one bulk memory.fill: the host's fill(0) over a shared buffer stores byte by
 * byte (~0.5 ms per MiB here, ~30x slower); a parallel block zeroes ~64 bytes of records per transaction.
 */
export function zeroBytes(ptr: usize, len: usize): void { memory.fill(ptr, 0, len); }

/**
 * Credits `amount` (u256 LE limbs) to `addr` in the block overlay, outside any transaction: withdrawals
 * (EIP-4895) and pre-Merge block rewards. The account is then deleted if it exists and is empty, as
 * execution-specs' withdrawals do (`process_withdrawal`, then `destroy_account` when
 * `account_exists_and_is_empty`): only a withdrawal of 0 gwei to an empty account left from before EIP-161 can
 * be, and a credit of 0 to an absent account creates nothing. Returns 1, 0 if the overlay is full, or 2 if
 * the account is not loaded (strict mode: its key is at `missingKey`).
 */
export function creditBalance(addr: usize, amount: usize): i32 {
  clearBlockedSequential();
  txBegin();
  const r = account(addr);
  if (u256IsZero(amount)) touch(r);
  else addBalance(r, amount);
  if (blockedOn >= 0) return 2;
  return txCommit(true) ? 1 : 0;
}

// ---- parallel execution (Block-STM): called by the worker threads and the coordinator ----

/** Coordinator, before a parallel block: an empty multi-version table and version heap. */
export { mvInit } from './mv/mvmemory';

/** Every worker, before a parallel block: the shared regions of the block and this worker's output area. */
export function parallelAttach(mvDesc: usize, txioBase: usize, out: usize, outSize: usize): void {
  txioAttach(mvDesc, txioBase, out, outSize, parScratch);
  setLazyFeeBuf(parScratch + 64);
  clearMvFull();
  mvResetChunk(); // the heap was reset for this block
}

/**
 * Runs incarnation `inc` of transaction `j` (input and result records at tx/res). Returns its status, or
 * ST_BLOCKED (0x62) when it read an ESTIMATE (`blockingTx()` names the writer to wait for), or an engine
 * condition (>= 0x60) when a shared region ran out. On success its writes are in the multi-version memory,
 * its read and write sets are published and its logs are copied to this worker's output area.
 */
export function executeIncarnation(j: u32, inc: u32, tx: usize, res: usize): i32 {
  // The sender's and recipient's first lookups (multi-version index, base index and record) are usually cache
  // misses, each waited for in turn as execution reaches it: loading them all here first overlaps them.
  touchSink ^= mvTouch(tx + TX_SENDER) ^ mvTouch(tx + TX_TO) ^ acctTouch(baseAcct, tx + TX_SENDER) ^ acctTouch(baseAcct, tx + TX_TO);
  beginIncarnation(j, inc);
  let st = executeTx(tx, res);
  endParallel();
  if (blockedOn >= 0) return 0x62;
  if (st >= 0x60) return st;
  if (mvFull || outFull) return 0x61;
  const n = load<u32>(res + R_LOG_BYTES);
  if (st < 0x40 && n > 0) {
    const p = outAlloc(n);
    if (p == 0) return 0x60;
    memory.copy(p, <usize>load<u32>(res + R_LOGS), n);
    store<u32>(res + R_LOGS, <u32>p);
  }
  store<u32>(res + R_OUTPUT_LEN, 0); // the output stays in the worker's arena; receipts do not need it
  if (!publish()) return 0x61;
  return st;
}

/** Keeps the early loads of executeIncarnation from being optimised away. */
let touchSink: u64 = 0;

export function blockingTx(): i32 { return blockedOn; }
export function wroteNewLocation(): bool { return lastWroteNew; }
export function validateTx(j: u32): bool { return validate(j); }
export function abortTx(j: u32): void { markEstimates(j); }

/**
 * Coordinator, parallel blocks: applyWrites(j) moves committed transaction j's writes into the block overlay
 * (in transaction order); finalizeCoinbase(n) then sets the coinbase's balance with the fees of [0, n).
 */
export { applyWrites, finalizeCoinbase } from './mv/txio';

/** Coordinator, after a parallel block: transaction j's observed dependencies (u32 indices at out, at most max). */
export function txDependencies(j: u32, out: usize, max: u32): u32 { return readDependencies(j, out, max); }

/** Debug hook for failure tests: traps (as a corrupt engine state would). Never called in normal operation. */
export function debugTrap(): void { unreachable(); }

// ---- strict base: state fetched on demand (coordinator, sequential mode) ----
export { setStrictBase, missingKey, baseLoadAbsent as loadAbsentAccount, baseMarkAccount as markAccount } from './state/world';


