// The running transaction's view of state: a cache of every account and slot it touched, in this worker's
// arena, with a journal so that a failed call frame reverts exactly its own changes. Reset per transaction
// in O(1) (generation bump). Also holds transient storage (EIP-1153), the log buffer and the refund counter.
import {
  A_ADDR, A_FLAGS, A_NONCE, A_BALANCE, A_LOWER_BAL, A_CODE, A_EPOCH, A_SIZE, AF_BAL_LOADED,
  AF_EXISTS, AF_WARM, AF_TOUCHED, AF_CREATED, AF_DESTRUCTED, AF_WIPED, AF_DIRTY, AF_DELETE,
  S_ADDR, S_FLAGS, S_SLOT, S_VALUE, S_ORIG, S_SIZE, SF_WARM, SF_DIRTY,
  C_HASH, TD_SIZE, TD_GROW, addrEq, tableInit, tableClear, acctFind, storFind, tableInserted, tableFull,
} from './records';
import { lowerAccount, lowerBalance, lowerStorage, commitAccount, commitStorage, emptyCode } from './world';
import { arenaAlloc, arenaMark, arenaReset } from '../arena';
import { fork, env, ENV_COINBASE } from '../context';
import { BERLIN, SHANGHAI } from '../fork';
import { precompileCount } from '../precompiles/index';
import { parallelMode, blockedOn, writesBegin, emitWrite, emitInfo } from '../mv/txio';
import { K_BAL, K_SLOT, VF_DELTA } from '../mv/mvmemory';
import { isZero } from '../u256';
import * as u from '../u256';

// ---- journal entry (48 bytes) ----
const J_KIND: usize = 0; // u32
const J_REC: usize = 4; // u32 record
const J_AUX: usize = 8; // u64
const J_OLD: usize = 16; // 32 bytes
const J_SIZE: usize = 48;

const J_BALANCE: u32 = 1;
const J_NONCE: u32 = 2;
const J_FLAGS: u32 = 3;
const J_STORAGE: u32 = 4;
const J_SFLAGS: u32 = 5;
const J_CODE: u32 = 6;
const J_TSTORE: u32 = 7;

const ACCT_CAP: u32 = 1 << 10; // small so that it stays in cache; a large transaction chains overflow tables
const STOR_CAP: u32 = 1 << 11;
const TSTOR_CAP: u32 = 1 << 9;
const JOURNAL_CAP: u32 = 1 << 18;
const LOG_CAP: usize = 1 << 20;

let acctTD: usize = 0;
let storTD: usize = 0;
let tstorTD: usize = 0;
let acctList: usize = 0;
let acctCount: u32 = 0;
let storList: usize = 0;
let storCount: u32 = 0;
let journal: usize = 0;
let journalTop: u32 = 0;
let journalCap: u32 = 0;
let acctListCap: u32 = 0;
let storListCap: u32 = 0;
// the initial (arena-start) blocks, restored at every txBegin
let journal0: usize = 0;
let acctList0: usize = 0;
let storList0: usize = 0;
let dummy: usize = 0;
let txArenaMark: usize = 0;

export let logBase: usize = 0;
let logBase0: usize = 0;
let logCap: usize = 0;
export let logBytes: u32 = 0;
export let logCount: u32 = 0;
/** Refund counter (EIP-2200/3529); may go negative inside a transaction. */
export let refund: i64 = 0;
export function addRefund(v: i64): void { refund += v; }
export function setRefund(v: i64): void { refund = v; }

/** Set when a table, the journal or the log buffer overflowed: the transaction result is an engine error. */
export let fatal: i32 = 0;

export function txCacheInit(): bool {
  acctTD = arenaAlloc(TD_SIZE * 3);
  storTD = acctTD + TD_SIZE;
  tstorTD = storTD + TD_SIZE;
  const a = arenaAlloc(<usize>ACCT_CAP * A_SIZE);
  const s = arenaAlloc(<usize>STOR_CAP * S_SIZE);
  const t = arenaAlloc(<usize>TSTOR_CAP * S_SIZE);
  acctList = arenaAlloc(<usize>ACCT_CAP * 4);
  storList = arenaAlloc(<usize>STOR_CAP * 4);
  journal = arenaAlloc(<usize>JOURNAL_CAP * J_SIZE);
  logBase = arenaAlloc(LOG_CAP);
  dummy = arenaAlloc(S_SIZE);
  if (acctTD == 0 || a == 0 || s == 0 || t == 0 || acctList == 0 || storList == 0 || journal == 0 || logBase == 0 || dummy == 0) return false;
  tableInit(acctTD, a, ACCT_CAP, <u32>A_SIZE, 104);
  tableInit(storTD, s, STOR_CAP, <u32>S_SIZE, 124);
  tableInit(tstorTD, t, TSTOR_CAP, <u32>S_SIZE, 124);
  // These three may chain overflow tables from the arena; the space is reclaimed at the next txBegin.
  store<u32>(acctTD + TD_GROW, 1);
  store<u32>(storTD + TD_GROW, 1);
  store<u32>(tstorTD + TD_GROW, 1);
  journal0 = journal; acctList0 = acctList; storList0 = storList; logBase0 = logBase;
  return true;
}

/** Starts a transaction: empties the cache, journal, logs, transient storage and refund counter. */
export function txBegin(): void {
  // Everything the arena handed out after init is per-transaction; the mark is taken once init is over.
  if (txArenaMark == 0) txArenaMark = arenaMark();
  arenaReset(txArenaMark);
  journal = journal0; journalCap = JOURNAL_CAP;
  acctList = acctList0; acctListCap = ACCT_CAP;
  storList = storList0; storListCap = STOR_CAP;
  logBase = logBase0; logCap = LOG_CAP;
  tableClear(acctTD);
  tableClear(storTD);
  tableClear(tstorTD);
  acctCount = 0;
  storCount = 0;
  journalTop = 0;
  logBytes = 0;
  logCount = 0;
  refund = 0;
  fatal = 0;
}

function setFatal(code: i32): usize {
  if (fatal == 0) fatal = code;
  memory.fill(dummy, 0, S_SIZE);
  store<u32>(dummy + A_CODE, <u32>emptyCode);
  store<u32>(dummy + A_FLAGS, AF_BAL_LOADED);
  return dummy;
}

// ---- accounts ----

/** The transaction's record of `addr` (20 bytes), loaded from the layers below on first use. */
export function account(addr: usize): usize {
  const r = acctFind(acctTD, addr, true);
  if (r == 0) return setFatal(0x61);
  if (tableInserted) {
    lowerAccount(r);
    if (acctCount == acctListCap) acctList = growList(acctList, acctListCap), acctListCap <<= 1;
    store<u32>(acctList + (<usize>acctCount << 2), <u32>r);
    acctCount++;
  }
  return r;
}

/** Moves a full u32 list into an arena block twice as large (reclaimed at the next txBegin). */
function growList(list: usize, cap: u32): usize {
  const n = arenaAlloc(<usize>cap << 3);
  if (n == 0) { setFatal(0x60); return list; }
  memory.copy(n, list, <usize>cap << 2);
  return n;
}

function jpush(kind: u32, rec: usize): usize {
  if (journalTop >= journalCap) {
    const n = arenaAlloc(<usize>journalCap * 2 * J_SIZE);
    if (n == 0) { setFatal(0x60); journalTop = 0; }
    else { memory.copy(n, journal, <usize>journalCap * J_SIZE); journal = n; journalCap <<= 1; }
  }
  const j = journal + <usize>journalTop * J_SIZE;
  journalTop++;
  store<u32>(j + J_KIND, kind);
  store<u32>(j + J_REC, <u32>rec);
  return j;
}

// @ts-ignore: decorator
@inline export function flags(r: usize): u32 { return load<u32>(r + A_FLAGS); }

export function setFlags(r: usize, f: u32): void {
  const old = load<u32>(r + A_FLAGS);
  if (old == f) return;
  const j = jpush(J_FLAGS, r);
  store<u64>(j + J_AUX, <u64>old);
  store<u32>(r + A_FLAGS, f);
}

/**
 * Precompiles (EIP-2929) and the coinbase (EIP-3651) are warm from the start of every transaction. They are
 * warm by definition here rather than by loading their accounts up front: an unneeded load is a recorded
 * read (and a later re-check) in parallel mode.
 */
function warmByDefault(a: usize): bool {
  if (fork < BERLIN) return false;
  if (load<u64>(a) == 0 && load<u64>(a, 8) == 0 && load<u16>(a, 16) == 0 && load<u8>(a, 18) == 0) {
    const id = <i32>load<u8>(a, 19);
    if (id >= 1 && id <= precompileCount(fork)) return true;
  }
  return fork >= SHANGHAI && addrEq(a, env + ENV_COINBASE);
}

/** Marks the account warm; returns whether it already was (EIP-2929). */
export function warmAccount(r: usize): bool {
  const f = load<u32>(r + A_FLAGS);
  if ((f & AF_WARM) != 0) return true;
  if (warmByDefault(r + A_ADDR)) { store<u32>(r + A_FLAGS, f | AF_WARM); return true; } // no journal: always warm
  setFlags(r, f | AF_WARM);
  return false;
}

/**
 * Whether the transaction's record of `addr` (if it has one) is to be deleted for a SELFDESTRUCT at its end
 * (txCommit). Never creates the record.
 */
export function destructedInTx(addr: usize): bool {
  const r = acctFind(acctTD, addr, false);
  return r != 0 && (load<u32>(r + A_FLAGS) & AF_DESTRUCTED) != 0;
}

export function touch(r: usize): void {
  const f = load<u32>(r + A_FLAGS);
  if ((f & AF_TOUCHED) == 0) setFlags(r, f | AF_TOUCHED);
}

/** Reads the balance below the transaction into the record, once (a read, not a change: never journaled). */
export function loadBalance(r: usize): void {
  const f = load<u32>(r + A_FLAGS);
  if ((f & AF_BAL_LOADED) != 0) return;
  lowerBalance(r + A_ADDR, r + A_LOWER_BAL);
  store<u32>(r + A_FLAGS, f | AF_BAL_LOADED);
}

/** The account's current balance into `dst`. */
export function balanceOf(r: usize, dst: usize): void {
  loadBalance(r);
  u.add(dst, r + A_LOWER_BAL, r + A_BALANCE);
}

/** Is the current balance zero? Decided without reading it when the transaction only credited the account. */
export function balanceIsZero(r: usize): bool {
  // Unloaded means nothing was debited, so a non-zero change is a credit and the balance is positive.
  if ((load<u32>(r + A_FLAGS) & AF_BAL_LOADED) == 0 && !isZero(r + A_BALANCE)) return false;
  loadBalance(r);
  const d = r + A_BALANCE, l = r + A_LOWER_BAL;
  // lower + delta == 0 (mod 2^256)  <=>  delta == -lower
  let c: u64 = 1;
  for (let i: usize = 0; i < 32; i += 8) {
    const s = ~load<u64>(l + i) + c;
    c = s == 0 && c == 1 ? 1 : 0;
    if (s != load<u64>(d + i)) return false;
  }
  return true;
}

export function setBalance(r: usize, value: usize): void {
  loadBalance(r);
  const j = jpush(J_BALANCE, r);
  memory.copy(j + J_OLD, r + A_BALANCE, 32);
  u.sub(r + A_BALANCE, value, r + A_LOWER_BAL);
}

/** balance += amount (a transfer never overflows: total supply < 2^256). Creates the account. */
export function addBalance(r: usize, amount: usize): void {
  const j = jpush(J_BALANCE, r);
  memory.copy(j + J_OLD, r + A_BALANCE, 32);
  u.add(r + A_BALANCE, r + A_BALANCE, amount);
  const f = load<u32>(r + A_FLAGS);
  // a credit brings a missing account into existence: its INFO changes too
  if ((f & AF_EXISTS) == 0) setFlags(r, f | AF_EXISTS | AF_DIRTY);
}

/** balance -= amount; the caller checked that it suffices (so the balance is loaded). */
export function subBalance(r: usize, amount: usize): void {
  loadBalance(r);
  const j = jpush(J_BALANCE, r);
  memory.copy(j + J_OLD, r + A_BALANCE, 32);
  u.sub(r + A_BALANCE, r + A_BALANCE, amount);
}

export function setNonce(r: usize, n: u64): void {
  const j = jpush(J_NONCE, r);
  store<u64>(j + J_AUX, load<u64>(r + A_NONCE));
  store<u64>(r + A_NONCE, n);
  store<u32>(r + A_FLAGS, load<u32>(r + A_FLAGS) | AF_DIRTY);
}

/** Installs code (a code entry) on the account. */
export function setCode(r: usize, code: usize): void {
  const j = jpush(J_CODE, r);
  store<u64>(j + J_AUX, <u64>load<u32>(r + A_CODE));
  store<u32>(r + A_CODE, <u32>code);
  store<u32>(r + A_FLAGS, load<u32>(r + A_FLAGS) | AF_DIRTY);
}

// @ts-ignore: decorator
@inline export function isEmpty(r: usize): bool {
  return load<u64>(r + A_NONCE) == 0 && load<u32>(load<u32>(r + A_CODE) + 36) == 0 && balanceIsZero(r); // C_LEN
}

// ---- storage ----

/** The transaction's record of (account record `r`, slot), loaded on first use. S_ORIG is the tx-start value. */
export function storage(r: usize, slot: usize): usize {
  const s = storFind(storTD, r + A_ADDR, slot, true);
  if (s == 0) return setFatal(0x61);
  if (tableInserted) {
    if ((load<u32>(r + A_FLAGS) & (AF_WIPED | AF_CREATED)) != 0) memory.fill(s + S_VALUE, 0, 32);
    else lowerStorage(r + A_ADDR, slot, load<u32>(r + A_EPOCH), s + S_VALUE);
    memory.copy(s + S_ORIG, s + S_VALUE, 32);
    if (storCount == storListCap) storList = growList(storList, storListCap), storListCap <<= 1;
    store<u32>(storList + (<usize>storCount << 2), <u32>s);
    storCount++;
  }
  return s;
}

export function warmSlot(s: usize): bool {
  const f = load<u32>(s + S_FLAGS);
  if ((f & SF_WARM) != 0) return true;
  const j = jpush(J_SFLAGS, s);
  store<u64>(j + J_AUX, <u64>f);
  store<u32>(s + S_FLAGS, f | SF_WARM);
  return false;
}

export function setStorage(s: usize, value: usize): void {
  const j = jpush(J_STORAGE, s);
  memory.copy(j + J_OLD, s + S_VALUE, 32);
  memory.copy(s + S_VALUE, value, 32);
  store<u32>(s + S_FLAGS, load<u32>(s + S_FLAGS) | SF_DIRTY);
}

// ---- transient storage (EIP-1153) ----

export function tload(addr: usize, slot: usize, dst: usize): void {
  const t = storFind(tstorTD, addr, slot, false);
  if (t == 0) memory.fill(dst, 0, 32);
  else memory.copy(dst, t + S_VALUE, 32);
}

export function tstore(addr: usize, slot: usize, value: usize): void {
  const t = storFind(tstorTD, addr, slot, true);
  if (t == 0) { setFatal(0x61); return; }
  const j = jpush(J_TSTORE, t);
  memory.copy(j + J_OLD, t + S_VALUE, 32);
  memory.copy(t + S_VALUE, value, 32);
}

// ---- journal ----

// @ts-ignore: decorator
@inline export function journalMark(): u32 { return journalTop; }

/** Undoes every change after `mark`. */
export function revertTo(mark: u32): void {
  while (journalTop > mark) {
    journalTop--;
    const j = journal + <usize>journalTop * J_SIZE;
    const r = <usize>load<u32>(j + J_REC);
    switch (load<u32>(j + J_KIND)) {
      case J_BALANCE: memory.copy(r + A_BALANCE, j + J_OLD, 32); break;
      case J_NONCE: store<u64>(r + A_NONCE, load<u64>(j + J_AUX)); break;
      // a revert never forgets what was read (AF_BAL_LOADED) nor that something was written (AF_DIRTY)
      case J_FLAGS: store<u32>(r + A_FLAGS, (<u32>load<u64>(j + J_AUX)) | (load<u32>(r + A_FLAGS) & (AF_DIRTY | AF_BAL_LOADED))); break;
      case J_STORAGE: memory.copy(r + S_VALUE, j + J_OLD, 32); break;
      case J_SFLAGS: store<u32>(r + S_FLAGS, (<u32>load<u64>(j + J_AUX)) | (load<u32>(r + S_FLAGS) & SF_DIRTY)); break;
      case J_CODE: store<u32>(r + A_CODE, <u32>load<u64>(j + J_AUX)); break;
      case J_TSTORE: memory.copy(r + S_VALUE, j + J_OLD, 32); break;
      default: break;
    }
  }
}

// ---- logs: [addr 20][ntopics u32][datalen u32] then topics (32 BE bytes each) then data, 8-aligned ----

export const LOG_HDR: u32 = 32;

/** Appends a log; topics are read from `topics` as LE words spaced `stride` bytes apart (stack order). */
export function logAppend(addr: usize, topics: usize, n: u32, stride: isize, data: usize, len: u32): bool {
  const size = (LOG_HDR + n * 32 + len + 7) & ~7;
  while (<usize>logBytes + size > logCap) {
    // grow into the per-transaction part of the arena (reclaimed at the next txBegin)
    const nb = arenaAlloc(logCap * 2);
    if (nb == 0) { setFatal(0x60); return false; }
    memory.copy(nb, logBase, logBytes);
    logBase = nb;
    logCap *= 2;
  }
  const p = logBase + logBytes;
  memory.copy(p, addr, 20);
  store<u32>(p + 20, n);
  store<u32>(p + 24, len);
  store<u32>(p + 28, 0);
  for (let i: u32 = 0; i < n; i++) u.storeBE(p + LOG_HDR + (<usize>i << 5), <usize>(<isize>topics + <isize>i * stride));
  memory.copy(p + LOG_HDR + (<usize>n << 5), data, len);
  logBytes += size;
  logCount++;
  return true;
}

export function logTruncate(bytes: u32, count: u32): void { logBytes = bytes; logCount = count; }

// ---- end of transaction ----

/**
 * Deletes self-destructed accounts and (with `clearEmpty`, EIP-161) touched empty ones, then writes every
 * changed account and slot to the layer below: the block overlay (sequential) or the multi-version memory
 * (parallel, as this incarnation's write set). An account's INFO (existence, nonce, code, storage epoch) and
 * its BALANCE are written separately; a balance the transaction only credited is written as a delta.
 * Returns false if the layer below is full.
 */
export function txCommit(clearEmpty: bool): bool {
  // the incarnation is void (it waits for its blocker), or a read met state that is not loaded (strict mode)
  if (blockedOn >= 0) return true;
  // pass 1: which accounts go (may read balances, so it runs before the write set starts)
  for (let i: u32 = 0; i < acctCount; i++) {
    const r = <usize>load<u32>(acctList + (<usize>i << 2));
    const f = load<u32>(r + A_FLAGS);
    if ((f & AF_DESTRUCTED) != 0 || (clearEmpty && (f & AF_TOUCHED) != 0 && (f & AF_EXISTS) != 0 && isEmpty(r))) {
      store<u32>(r + A_FLAGS, f | AF_DELETE);
    }
  }
  if (parallelMode) {
    if (blockedOn >= 0) return true;
    writesBegin();
  }
  // pass 2: the writes
  for (let i: u32 = 0; i < acctCount; i++) {
    const r = <usize>load<u32>(acctList + (<usize>i << 2));
    const f = load<u32>(r + A_FLAGS);
    const epoch = load<u32>(r + A_EPOCH);
    if ((f & AF_DELETE) != 0) {
      // storage goes with the account: a later incarnation of the address starts at a fresh epoch
      if (parallelMode) {
        emitInfo(r, false, epoch + 1);
        u.setZero(r + A_LOWER_BAL);
        emitWrite(K_BAL, r + A_ADDR, 0, 0, 0, r + A_LOWER_BAL);
      } else if (!commitAccount(r, false, epoch + 1, 0)) return false;
      store<u32>(r + A_EPOCH, 0xffffffff); // storage of this record is not committed
      continue;
    }
    const newEpoch = (f & AF_WIPED) != 0 ? epoch + 1 : epoch;
    const infoChanged = (f & (AF_DIRTY | AF_WIPED)) != 0;
    const balChanged = !isZero(r + A_BALANCE);
    store<u32>(r + A_EPOCH, newEpoch);
    if (!infoChanged && !balChanged) continue;
    const exists = (f & AF_EXISTS) != 0;
    if (parallelMode) {
      if (infoChanged) emitInfo(r, exists, newEpoch);
      if (balChanged) {
        if ((f & AF_BAL_LOADED) != 0) {
          u.add(r + A_LOWER_BAL, r + A_LOWER_BAL, r + A_BALANCE);
          emitWrite(K_BAL, r + A_ADDR, 0, 0, 0, r + A_LOWER_BAL);
        } else emitWrite(K_BAL, r + A_ADDR, 0, VF_DELTA, 0, r + A_BALANCE); // a pure credit commutes
      }
    } else {
      const bal = r + A_LOWER_BAL; // the full balance, computed in place (the record is done with)
      loadBalance(r);
      u.add(bal, bal, r + A_BALANCE);
      if (!commitAccount(r, exists, newEpoch, bal)) return false;
    }
  }
  for (let i: u32 = 0; i < storCount; i++) {
    const s = <usize>load<u32>(storList + (<usize>i << 2));
    if ((load<u32>(s + S_FLAGS) & SF_DIRTY) == 0) continue;
    const r = acctFind(acctTD, s + S_ADDR, false);
    const epoch = load<u32>(r + A_EPOCH);
    if (epoch == 0xffffffff) continue;
    if (parallelMode) emitWrite(K_SLOT, s + S_ADDR, s + S_SLOT, 0, epoch, s + S_VALUE);
    else if (!commitStorage(s + S_ADDR, s + S_SLOT, s + S_VALUE, epoch)) return false;
  }
  return true;
}

