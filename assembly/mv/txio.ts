// Last input/output of each transaction (Block-STM): the read set and write set of its latest incarnation,
// kept in shared memory so that any worker can validate it, and the reads and writes of the running
// incarnation as the engine makes them.
//
// Reads are recorded with the value seen, and validation re-resolves each location and compares values: an
// execution depends only on the values it read, so equal values mean the same execution.
import {
  K_INFO, K_BAL, K_SLOT, I_NONCE, I_CODE, I_FLAGS, I_EPOCH, VF_DELTA, RESOLVE_BASE, RESOLVE_BLOCKED,
  mvResolve, mvWrite, mvEstimateOrRemove, mvWriters, resolvedFullTx, resolvedBlocker, resolvedEpoch, resolvedOnBase, wroteNew, mvAttach,
} from './mvmemory';
import {
  A_ADDR, A_FLAGS, A_NONCE, A_BALANCE, A_CODE, A_EPOCH, AF_EXISTS, AF_HAS_STORAGE, S_VALUE,
  acctFind, storFind, tableInserted,
} from '../state/records';
import { baseAcct, baseStor, ovAcct, emptyCode, commitStorage } from '../state/world';
import { env, ENV_COINBASE } from '../context';
import { addrEq } from '../state/records';
import * as u from '../u256';

// ---- per-transaction record (TX_IO_SIZE bytes each, laid out by the TypeScript side) ----
export const T_READS: usize = 0; // u32 read-set entries of the latest recorded incarnation
export const T_NREADS: usize = 4; // u32
export const T_WRITES: usize = 8; // u32 write-set entries
export const T_NWRITES: usize = 12; // u32
export const T_INC: usize = 16; // u32 incarnation these sets belong to
// Lazy beneficiary: in parallel mode a transaction's fee to the coinbase is not written to the coinbase's
// balance (every transaction would conflict there) but kept here; a read of the coinbase balance adds the fees
// of the transactions before the reader.
export const T_FEE_STATE: usize = 20; // u32: 0 not yet executed, 1 fee published, 2 aborted (an ESTIMATE)
export const T_FEE: usize = 32; // u256
export const TX_IO_SIZE: usize = 64;
/** Set by the transaction processor in parallel mode: the fee the running incarnation owes the coinbase. */
export let lazyFee: usize = 0;
export function setLazyFeeBuf(p: usize): void { lazyFee = p; }

// ---- set entry (read or write) ----
export const SE_KIND: usize = 0; // u32 K_*
export const SE_ADDR: usize = 4; // 20 bytes
export const SE_FLAGS: usize = 24; // u32 write: VF_DELTA; read: RF_BASE
/**
 * Read-set flag: the read found no version below the reader and took the base state (not a coinbase's INFO or
 * balance, which also depend on the fees of earlier transactions). The base state does not change during a
 * parallel block, so while the location still has no version below the reader the read is current: validation
 * then skips the base lookup and the comparison (~100-200 ns of cache misses per read).
 */
export const RF_BASE: u32 = 4;
export const SE_EPOCH: usize = 28; // u32 SLOT: the account's storage epoch the read or write is relative to
export const SE_VALUE: usize = 32; // 32 bytes
export const SE_SLOT: usize = 64; // u256, SLOT entries only
/** The largest entry (a SLOT's). */
export const SE_SIZE: usize = 96;
/**
 * Bytes of an entry of `kind`: an account's INFO or BAL entry has no slot (64 bytes against 96: a raw transfer's
 * six entries write 192 bytes less of the output area, which every incarnation fills with fresh lines).
 */
// @ts-ignore: decorator
@inline function seSize(kind: u32): usize { return kind == K_SLOT ? SE_SIZE : SE_SLOT; }

/** True while this instance runs an incarnation of a parallel block. */
export let parallelMode: bool = false;
export let curTx: u32 = 0;
export let curInc: u32 = 0;
/** Transaction whose ESTIMATE the running incarnation met, or -1. */
export let blockedOn: i32 = -1;
/** blockedOn value of a read the base state could not answer (strict mode, state fetched on demand). */
export const MISSING_STATE: i32 = 0x7fffffff;
/** Stops the running transaction: a read needs state that is not loaded (state/world.ts strict mode). */
export function stopMissing(): void { blockedOn = MISSING_STATE; }
/** Sequential mode: a transaction starts unblocked. */
export function clearBlockedSequential(): void { if (!parallelMode) blockedOn = -1; }
let txio: usize = 0; // per-transaction records
let outTop: usize = 0; // this worker's shared output area (read/write sets, logs)
let outEnd: usize = 0;
let readsStart: usize = 0;
let nReads: u32 = 0;
let writesStart: usize = 0;
let nWrites: u32 = 0;
/** Set when this worker's output area ran out (the block then falls back to sequential execution). */
export let outFull: bool = false;
let tmp: usize = 0; // 32-byte scratch, from the arena
let tmp2: usize = 0;

export function txioAttach(mvDesc: usize, txioBase: usize, out: usize, outSize: usize, scratch32: usize): void {
  mvAttach(mvDesc);
  txio = txioBase;
  outTop = out;
  outEnd = out + outSize;
  tmp = scratch32;
  tmp2 = scratch32 + 32;
  outFull = false;
}

/** Bump allocation in this worker's shared output area; 0 when full. */
export function outAlloc(size: usize): usize {
  const p = outTop;
  const next = (p + size + 7) & ~(<usize>7);
  if (next > outEnd) { outFull = true; return 0; }
  outTop = next;
  return p;
}

export function beginIncarnation(j: u32, inc: u32): void {
  parallelMode = true;
  curTx = j;
  curInc = inc;
  blockedOn = -1;
  readsStart = outTop;
  nReads = 0;
  nWrites = 0;
  writesStart = 0;
  memory.fill(lazyFee, 0, 32); // an invalid transaction owes nothing
}
export function endParallel(): void { parallelMode = false; }

function record(kind: u32, addr: usize, slot: usize, epoch: u32, value: usize): void {
  const e = outAlloc(seSize(kind));
  if (e == 0) return;
  store<u32>(e + SE_KIND, kind);
  memory.copy(e + SE_ADDR, addr, 20);
  store<u32>(e + SE_FLAGS, fromBase ? RF_BASE : 0);
  store<u32>(e + SE_EPOCH, epoch);
  if (kind == K_SLOT) memory.copy(e + SE_SLOT, slot, 32);
  memory.copy(e + SE_VALUE, value, 32);
  nReads++;
}

// ---- resolution (shared by reads and validation) ----

/** Whether the last resolveInfo / resolveBalance / resolveSlot took the base state alone (see RF_BASE). */
let fromBase: bool = false;

/** INFO of `addr` as transaction j sees it, into out (32 bytes). False when blocked (blocker in resolvedBlocker). */
function resolveInfo(addr: usize, j: u32, out: usize): bool {
  const st = mvResolve(K_INFO, addr, 0, j, out);
  fromBase = st == RESOLVE_BASE && !isCoinbase(addr);
  if (st == RESOLVE_BLOCKED) return false;
  if (st == RESOLVE_BASE) {
    memory.fill(out, 0, 32);
    const b = acctFind(baseAcct, addr, false);
    if (b != 0 && (load<u32>(b + A_FLAGS) & AF_EXISTS) != 0) {
      store<u64>(out + I_NONCE, load<u64>(b + A_NONCE));
      store<u32>(out + I_CODE, load<u32>(b + A_CODE));
      store<u32>(out + I_FLAGS, load<u32>(b + A_FLAGS) & (AF_EXISTS | AF_HAS_STORAGE));
    } else store<u32>(out + I_CODE, <u32>emptyCode);
  }
  // A coinbase missing from the state comes into existence with the first fee paid to it (lazy beneficiary).
  if ((load<u32>(out + I_FLAGS) & AF_EXISTS) == 0 && isCoinbase(addr) && j > 0) {
    const sum = tmp2;
    memory.fill(sum, 0, 32);
    if (!resolveBalance(addr, j, sum)) return false;
    if (!u.isZero(sum)) store<u32>(out + I_FLAGS, AF_EXISTS);
  }
  return true;
}

function resolveBalance(addr: usize, j: u32, out: usize): bool {
  const st = mvResolve(K_BAL, addr, 0, j, out);
  fromBase = st == RESOLVE_BASE && !isCoinbase(addr);
  return finishBalance(st, addr, j, out);
}

/**
 * Adds the fees that transactions [from, j) owe the coinbase to `out`. False when one of them has not run
 * yet or was aborted: the reader then depends on it (resolvedBlocker).
 */
function addFees(from: u32, j: u32, out: usize): bool {
  for (let i = from; i < j; i++) {
    const t = txio + <usize>i * TX_IO_SIZE;
    if (atomic.load<u32>(t + T_FEE_STATE) != 1) { forceBlocker(i); return false; }
    u.add(out, out, t + T_FEE);
  }
  return true;
}
let feeBlocker: u32 = 0;
let feeBlocked: bool = false;
function forceBlocker(i: u32): void { feeBlocker = i; feeBlocked = true; }

// @ts-ignore: decorator
@inline function isCoinbase(addr: usize): bool { return addrEq(addr, env + ENV_COINBASE); }

function finishBalance(st: i32, addr: usize, j: u32, out: usize): bool {
  if (st == RESOLVE_BLOCKED) return false;
  let feesFrom: u32 = 0;
  if (st == RESOLVE_BASE || resolvedOnBase) {
    const b = acctFind(baseAcct, addr, false);
    if (st == RESOLVE_BASE) memory.fill(out, 0, 32);
    if (b != 0) u.add(out, out, b + A_BALANCE);
  } else feesFrom = resolvedFullTx; // a full value written by tx w did not include w's own (lazy) fee
  if (isCoinbase(addr)) return addFees(feesFrom, j, out);
  return true;
}

function resolveSlot(addr: usize, slot: usize, epoch: u32, j: u32, out: usize): bool {
  const st = mvResolve(K_SLOT, addr, slot, j, out);
  fromBase = st == RESOLVE_BASE;
  if (st == RESOLVE_BLOCKED) return false;
  if (st == RESOLVE_BASE) {
    memory.fill(out, 0, 32);
    if (epoch == 0) {
      const b = storFind(baseStor, addr, slot, false);
      if (b != 0) memory.copy(out, b + S_VALUE, 32);
    }
  } else if (resolvedEpoch != epoch) {
    memory.fill(out, 0, 32); // written before the account's storage was wiped
  }
  return true;
}

// ---- reads by the running incarnation (called from state/world.ts in parallel mode) ----

/** Fills cache record `r` (keyed) with the INFO its transaction sees; records the read. */
/** The writer the last failed resolve waits for (an ESTIMATE's writer, or a transaction whose fee is not known yet). */
function blocker(): i32 { const b = feeBlocked ? feeBlocker : resolvedBlocker; feeBlocked = false; return <i32>b; }

export function readInfo(r: usize): void {
  const addr = r + A_ADDR;
  feeBlocked = false;
  if (!resolveInfo(addr, curTx, tmp)) { blockedOn = blocker(); memory.fill(tmp, 0, 32); store<u32>(tmp + I_CODE, <u32>emptyCode); }
  else record(K_INFO, addr, 0, 0, tmp);
  store<u32>(r + A_FLAGS, load<u32>(tmp + I_FLAGS));
  store<u64>(r + A_NONCE, load<u64>(tmp + I_NONCE));
  store<u32>(r + A_CODE, load<u32>(tmp + I_CODE));
  store<u32>(r + A_EPOCH, load<u32>(tmp + I_EPOCH));
}

export function readBalance(addr: usize, dst: usize): void {
  feeBlocked = false;
  if (!resolveBalance(addr, curTx, dst)) { blockedOn = blocker(); memory.fill(dst, 0, 32); return; }
  record(K_BAL, addr, 0, 0, dst);
}

export function readSlot(addr: usize, slot: usize, epoch: u32, dst: usize): void {
  if (!resolveSlot(addr, slot, epoch, curTx, dst)) { blockedOn = <i32>resolvedBlocker; memory.fill(dst, 0, 32); return; }
  record(K_SLOT, addr, slot, epoch, dst);
}

// ---- writes of the running incarnation (from txCommit in parallel mode) ----

/** Starts the write set (after the last read of the incarnation). */
export function writesBegin(): void { writesStart = outTop; nWrites = 0; }

export function emitWrite(kind: u32, addr: usize, slot: usize, flags: u32, epoch: u32, value: usize): void {
  const e = outAlloc(seSize(kind));
  if (e == 0) return;
  store<u32>(e + SE_KIND, kind);
  memory.copy(e + SE_ADDR, addr, 20);
  store<u32>(e + SE_FLAGS, flags);
  store<u32>(e + SE_EPOCH, epoch);
  if (kind == K_SLOT) memory.copy(e + SE_SLOT, slot, 32);
  memory.copy(e + SE_VALUE, value, 32);
  nWrites++;
}

/** INFO value for a cache record. */
export function emitInfo(r: usize, exists: bool, epoch: u32): void {
  memory.fill(tmp, 0, 32);
  if (exists) {
    store<u64>(tmp + I_NONCE, load<u64>(r + A_NONCE));
    store<u32>(tmp + I_CODE, load<u32>(r + A_CODE));
    store<u32>(tmp + I_FLAGS, AF_EXISTS | (epoch == 0 ? load<u32>(r + A_FLAGS) & AF_HAS_STORAGE : 0));
  } else store<u32>(tmp + I_CODE, <u32>emptyCode);
  store<u32>(tmp + I_EPOCH, epoch);
  emitWrite(K_INFO, r + A_ADDR, 0, 0, epoch, tmp);
}

export let lastWroteNew: bool = false;

/**
 * Applies the write set to the multi-version memory, removes the versions the previous incarnation wrote
 * and this one did not, and publishes this incarnation's read and write sets. Returns false if the shared
 * regions ran out.
 */
export function publish(): bool {
  if (outFull) return false;
  if (writesStart == 0) writesStart = outTop; // an invalid transaction writes nothing
  const j = curTx;
  lastWroteNew = false;
  for (let i: u32 = 0, q = writesStart; i < nWrites; i++) {
    const e = q;
    q += seSize(load<u32>(e + SE_KIND));
    if (!mvWrite(load<u32>(e + SE_KIND), e + SE_ADDR, e + SE_SLOT, j, curInc, load<u32>(e + SE_FLAGS), load<u32>(e + SE_EPOCH), e + SE_VALUE)) return false;
    if (wroteNew) lastWroteNew = true;
  }
  const t = txio + <usize>j * TX_IO_SIZE;
  const old = <usize>load<u32>(t + T_WRITES);
  const nOld = load<u32>(t + T_NWRITES);
  for (let i: u32 = 0, q = old; i < nOld; i++) {
    const e = q;
    q += seSize(load<u32>(e + SE_KIND));
    mvEstimateOrRemove(load<u32>(e + SE_KIND), e + SE_ADDR, e + SE_SLOT, j, true, curInc);
  }
  memory.copy(t + T_FEE, lazyFee, 32);
  atomic.store<u32>(t + T_FEE_STATE, 1);
  store<u32>(t + T_READS, <u32>readsStart);
  store<u32>(t + T_NREADS, nReads);
  store<u32>(t + T_WRITES, <u32>writesStart);
  store<u32>(t + T_NWRITES, nWrites);
  atomic.store<u32>(t + T_INC, curInc);
  return true;
}

/** Block-STM validation: is every value transaction j's latest incarnation read still what it would read? */
export function validate(j: u32): bool {
  const t = txio + <usize>j * TX_IO_SIZE;
  const reads = <usize>load<u32>(t + T_READS);
  const n = load<u32>(t + T_NREADS);
  for (let i: u32 = 0, q = reads; i < n; i++) {
    const e = q;
    q += seSize(load<u32>(e + SE_KIND));
    const kind = load<u32>(e + SE_KIND);
    // read from the base state, and still no version below j: the same value (RF_BASE)
    if ((load<u32>(e + SE_FLAGS) & RF_BASE) != 0 && mvResolve(kind, e + SE_ADDR, e + SE_SLOT, j, tmp) == RESOLVE_BASE) continue;
    feeBlocked = false;
    let ok: bool;
    if (kind == K_INFO) ok = resolveInfo(e + SE_ADDR, j, tmp);
    else if (kind == K_BAL) ok = resolveBalance(e + SE_ADDR, j, tmp);
    else ok = resolveSlot(e + SE_ADDR, e + SE_SLOT, load<u32>(e + SE_EPOCH), j, tmp);
    if (!ok) return false;
    if (!u.eq(tmp, e + SE_VALUE)) return false;
  }
  return true;
}

/** After an abort: j's writes become ESTIMATEs, so readers wait for its next incarnation. */
export function markEstimates(j: u32): void {
  const t = txio + <usize>j * TX_IO_SIZE;
  atomic.store<u32>(t + T_FEE_STATE, 2);
  const w = <usize>load<u32>(t + T_WRITES);
  const n = load<u32>(t + T_NWRITES);
  for (let i: u32 = 0, q = w; i < n; i++) {
    const e = q;
    q += seSize(load<u32>(e + SE_KIND));
    mvEstimateOrRemove(load<u32>(e + SE_KIND), e + SE_ADDR, e + SE_SLOT, j, false, 0);
  }
}

// ---- committed transactions into the block overlay (the coordinator, as they commit) ----
//
// The coordinator's commit reader applies each committed transaction's write set to the block overlay, in
// transaction order, as the sequential engine's commits would have: a full value replaces, a balance delta
// adds, a new record starts from the base state. Only that thread writes the overlay during a parallel block
// (the workers read the multi-version memory and the base state, never the overlay). The coinbase's balance
// is left to finalizeCoinbase at the end: its versions plus every transaction's lazy fee.
// Before: a scan of the multi-version table after the block (on one thread, then on all), ~13 ms of thread
// time on a block of 10,000 raw transfers, most of it cache misses; a write set is usually still in cache.

/**
 * The overlay record of `addr`, initialised from the base state when new, unless the `n` writes at `w` being
 * applied hold both its INFO and a full BAL, which overwrite every field the base would give (a transaction's
 * sender, usually: a base lookup less per commit, and often a cache miss).
 */
function ovAccount(addr: usize, w: usize = 0, n: u32 = 0): usize {
  const o = acctFind(ovAcct, addr, true);
  if (o == 0 || !tableInserted || (n > 0 && writesCover(w, n, addr))) return o;
  const b = acctFind(baseAcct, addr, false);
  if (b != 0) {
    store<u32>(o + A_FLAGS, load<u32>(b + A_FLAGS));
    store<u64>(o + A_NONCE, load<u64>(b + A_NONCE));
    memory.copy(o + A_BALANCE, b + A_BALANCE, 32);
    store<u32>(o + A_CODE, load<u32>(b + A_CODE));
  } else store<u32>(o + A_CODE, <u32>emptyCode);
  return o;
}

/** Whether the `n` writes at `w` hold both INFO and a full (not delta) BAL of `addr`. */
function writesCover(w: usize, n: u32, addr: usize): bool {
  let info = false, bal = false;
  for (let i: u32 = 0, q = w; i < n; i++) {
    const e = q;
    q += seSize(load<u32>(e + SE_KIND));
    const kind = load<u32>(e + SE_KIND);
    if (kind == K_SLOT || !addrEq(e + SE_ADDR, addr)) continue;
    if (kind == K_INFO) info = true;
    else if ((load<u32>(e + SE_FLAGS) & VF_DELTA) == 0) bal = true;
  }
  return info && bal;
}

/**
 * Applies the latest write set of committed transaction j (all but the coinbase's balance) to the block
 * overlay; call in transaction order. False when the overlay is full. (A validation that raced with the
 * commit may re-run j: its new incarnation reads the same final values and publishes the same writes, and
 * the old write set stays intact, so either is applied alike.)
 */
export function applyWrites(j: u32): bool {
  const t = txio + <usize>j * TX_IO_SIZE;
  const w = <usize>load<u32>(t + T_WRITES);
  const n = load<u32>(t + T_NWRITES);
  for (let i: u32 = 0, q = w; i < n; i++) {
    const e = q;
    q += seSize(load<u32>(e + SE_KIND));
    const kind = load<u32>(e + SE_KIND);
    const addr = e + SE_ADDR;
    const v = e + SE_VALUE;
    if (kind == K_SLOT) {
      if (!commitStorage(addr, e + SE_SLOT, v, load<u32>(e + SE_EPOCH))) return false;
      continue;
    }
    if (kind == K_BAL && isCoinbase(addr)) continue; // finalizeCoinbase, with the fees
    const o = ovAccount(addr, w, n);
    if (o == 0) return false;
    if (kind == K_BAL) {
      if ((load<u32>(e + SE_FLAGS) & VF_DELTA) != 0) u.add(o + A_BALANCE, o + A_BALANCE, v);
      else memory.copy(o + A_BALANCE, v, 32);
    } else {
      store<u32>(o + A_FLAGS, load<u32>(v + I_FLAGS));
      store<u64>(o + A_NONCE, load<u64>(v + I_NONCE));
      store<u32>(o + A_CODE, load<u32>(v + I_CODE));
      store<u32>(o + A_EPOCH, load<u32>(v + I_EPOCH));
    }
  }
  return true;
}

/**
 * After transactions [0, n) were applied: the coinbase's balance as of n, its versions plus every fee (lazy
 * beneficiary), whether or not a transaction touched it. False when the overlay is full or a fee is missing.
 */
export function finalizeCoinbase(n: u32): bool {
  const cb = env + ENV_COINBASE;
  memory.fill(tmp, 0, 32);
  if (!resolveBalance(cb, n, tmp)) return false;
  const cbe = acctFind(ovAcct, cb, false);
  const b = acctFind(baseAcct, cb, false);
  const existed = cbe != 0 ? (load<u32>(cbe + A_FLAGS) & AF_EXISTS) != 0 : b != 0 && (load<u32>(b + A_FLAGS) & AF_EXISTS) != 0;
  if (cbe != 0 || b != 0 || !u.isZero(tmp)) {
    const o = ovAccount(cb);
    if (o == 0) return false;
    memory.copy(o + A_BALANCE, tmp, 32);
    if (!existed && !u.isZero(tmp)) store<u32>(o + A_FLAGS, AF_EXISTS); // created by the fees
  }
  return true;
}

export const SET_ENTRY_SIZE: usize = SE_SIZE;

/**
 * The transactions whose writes transaction j's final reads saw (the observed dependency graph), as u32
 * indices at `out` (at most `max`, duplicates possible). Coordinator only, after the block.
 */
export function readDependencies(j: u32, out: usize, max: u32): u32 {
  const t = txio + <usize>j * TX_IO_SIZE;
  const reads = <usize>load<u32>(t + T_READS);
  const n = load<u32>(t + T_NREADS);
  let k: u32 = 0;
  for (let i: u32 = 0, q = reads; i < n && k < max; i++) {
    const e = q;
    q += seSize(load<u32>(e + SE_KIND));
    k += mvWriters(load<u32>(e + SE_KIND), e + SE_ADDR, e + SE_SLOT, j, out + (<usize>k << 2), max - k);
  }
  return k;
}
