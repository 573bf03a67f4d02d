// The layers below a running transaction: the base state (the block's pre-state, loaded by the TypeScript
// side and read-only while a block runs), the block overlay (sequential mode: what the block's earlier
// transactions committed) and the code store. All live in shared regions laid out by the TypeScript side;
// this instance only keeps a pointer to their descriptors (`WD_*`).
//
// Every read a transaction makes of state it has not yet cached goes through `lowerAccount` /
// `lowerStorage`: the one place where the parallel executor substitutes the multi-version memory.
import {
  A_ADDR, A_FLAGS, A_NONCE, A_BALANCE, A_CODE, A_EPOCH, AF_EXISTS, AF_HAS_STORAGE,
  S_VALUE, S_EPOCH, C_HASH, C_PTR, C_LEN, C_BITMAP, AF_PARTIAL,
  acctFind, storFind, codeFind, codeClaim, tableInserted,
} from './records';
import { keccak256 } from '../keccak';
import { parallelMode, readInfo, readBalance, readSlot, stopMissing } from '../mv/txio';

// ---- shared descriptor block, laid out by the TypeScript side ----
export const WD_BASE_ACCT: usize = 0; // table descriptor (TD_SIZE bytes each, state/records.ts)
export const WD_BASE_STOR: usize = 32;
export const WD_CODE: usize = 64;
export const WD_OV_ACCT: usize = 96;
export const WD_OV_STOR: usize = 128;
export const WD_HEAP_TOP: usize = 160; // u32: code heap bump pointer (atomically advanced)
export const WD_HEAP_END: usize = 164; // u32
export const WD_EMPTY_CODE: usize = 168; // u32: the code entry of empty code
export const WD_TABLES: usize = 172; // u32: fork tables (gas and stack requirements)
export const WD_SIZE: usize = 192;

export let wd: usize = 0;
export let baseAcct: usize = 0;
export let baseStor: usize = 0;
export let codeTab: usize = 0;
export let ovAcct: usize = 0;
export let ovStor: usize = 0;
export let emptyCode: usize = 0;

// keccak256("") = c5d24601 86f7233c 927e7db2 dcc703c0 e500b653 ca82273b 7bfad804 5d85a470
const EMPTY_HASH: usize = memory.data<u8>([
  0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d, 0xb2, 0xdc, 0xc7, 0x03, 0xc0,
  0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82, 0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70,
]);

/** Points this instance at the shared descriptors (every instance, after the coordinator set them up). */
export function worldAttach(desc: usize): void {
  wd = desc;
  baseAcct = desc + WD_BASE_ACCT;
  baseStor = desc + WD_BASE_STOR;
  codeTab = desc + WD_CODE;
  ovAcct = desc + WD_OV_ACCT;
  ovStor = desc + WD_OV_STOR;
  emptyCode = <usize>load<u32>(desc + WD_EMPTY_CODE);
}

/** Coordinator only: the code heap region, and the empty-code entry. Call after the code table is set up. */
export function codeHeapInit(desc: usize, base: usize, size: usize): void {
  store<u32>(desc + WD_HEAP_TOP, <u32>((base + 31) & ~(<usize>31)));
  store<u32>(desc + WD_HEAP_END, <u32>(base + size));
  worldAttach(desc);
  store<u32>(desc + WD_EMPTY_CODE, <u32>codeInsertHashed(EMPTY_HASH, 0, 0));
  emptyCode = <usize>load<u32>(desc + WD_EMPTY_CODE);
}

/** Bump allocation in the shared code heap; 0 when full. */
function heapAlloc(size: usize): usize {
  const n = <u32>((size + 31) & ~(<usize>31));
  const p = atomic.add<u32>(wd + WD_HEAP_TOP, n);
  if (<usize>p + n > <usize>load<u32>(wd + WD_HEAP_END)) return 0;
  return <usize>p;
}

/** Marks the JUMPDEST bytes that are not PUSH data. `bitmap` must hold (len + 7) / 8 zeroed bytes. */
export function buildJumpdests(code: usize, len: u32, bitmap: usize): void {
  let i: u32 = 0;
  while (i < len) {
    const op = load<u8>(code + i);
    if (op == 0x5b) {
      const b = bitmap + (i >> 3);
      store<u8>(b, load<u8>(b) | <u8>(<u32>1 << (i & 7)));
      i++;
    } else if (op >= 0x60 && op <= 0x7f) {
      i += <u32>op - 0x5e; // PUSHn skips n data bytes
    } else {
      i++;
    }
  }
}

/**
 * Copies code into the code heap with its jumpdest bitmap, under a known hash (unless the store has it). Returns
 * the entry, or 0. Safe on several threads at once (records.ts codeClaim): the copy is made before the entry is
 * claimed, so an entry is never seen without its code; a thread that loses the race for the same hash leaves
 * its copy unused in the heap.
 */
export function codeInsertHashed(hash: usize, src: usize, len: u32): usize {
  const e = codeFind(codeTab, hash);
  if (e != 0) return e;
  const bmLen = (<usize>len + 7) >> 3;
  const p = heapAlloc(<usize>len + 33 + bmLen + 8);
  if (p == 0) return 0;
  memory.copy(p, src, len);
  memory.fill(p + len, 0, 33 + bmLen + 8);
  const bm = p + len + 33;
  buildJumpdests(p, len, bm);
  return codeClaim(codeTab, hash, p, len, bm);
}

/** Hashes and inserts code; the hash is written to `hashOut` (32 bytes of scratch). */
export function codeInsert(src: usize, len: u32, hashOut: usize): usize {
  keccak256(src, len, hashOut);
  return codeInsertHashed(hashOut, src, len);
}

// ---- base state loading (coordinator, before a block) ----

/**
 * Inserts (or updates) an existing account in the base state. `code` is a code entry (emptyCode for none). An
 * account already there keeps what the base state knows of its storage (AF_HAS_STORAGE, AF_PARTIAL): an update
 * (a system call's writes moved into the base state) changes its fields, not its storage.
 */
export function baseLoadAccount(addr: usize, nonce: u64, balance: usize, code: usize): usize {
  const r = acctFind(baseAcct, addr, true);
  if (r == 0) return 0;
  const keep = tableInserted ? 0 : load<u32>(r + A_FLAGS) & (AF_HAS_STORAGE | AF_PARTIAL);
  store<u32>(r + A_FLAGS, AF_EXISTS | keep);
  store<u64>(r + A_NONCE, nonce);
  memory.copy(r + A_BALANCE, balance, 32);
  store<u32>(r + A_CODE, <u32>(code == 0 ? emptyCode : code));
  return r;
}

/** Inserts a storage slot into the base state (slot and value as LE-limb words). */
export function baseLoadStorage(addr: usize, slot: usize, value: usize): usize {
  const r = storFind(baseStor, addr, slot, true);
  if (r == 0) return 0;
  memory.copy(r + S_VALUE, value, 32);
  const a = acctFind(baseAcct, addr, false);
  if (a != 0) store<u32>(a + A_FLAGS, load<u32>(a + A_FLAGS) | AF_HAS_STORAGE);
  return r;
}

// ---- strict base (state fetched on demand, coordinator only) ----
// The base state holds only what was fetched so far: an account without a base record is unknown (a fetched
// absent account has a record with flags 0), and so is a missing slot of an account marked AF_PARTIAL. Such a
// read stops the transaction (blockedOn = MISSING_STATE, the interpreter unwinds at once) and leaves its key
// at `missingKey` for the host to fetch, load and run the transaction again.

let strictBase = false;
/** kind u32 (1 account, 2 slot) | pad | address (20 bytes at +4) | pad | slot (u256 LE limbs at +32). */
export const missingKey: usize = memory.data(64, 16);

export function setStrictBase(on: bool): void { strictBase = on; }

function missing(kind: u32, addr: usize, slot: usize): void {
  store<u32>(missingKey, kind);
  memory.copy(missingKey + 4, addr, 20);
  if (kind == 2) memory.copy(missingKey + 32, slot, 32); else memory.fill(missingKey + 32, 0, 32);
  stopMissing();
}

/** Strict mode: records a fetched absent account (reads of it answer "does not exist", its storage is empty). */
export function baseLoadAbsent(addr: usize): usize {
  const r = acctFind(baseAcct, addr, true);
  if (r == 0) return 0;
  store<u32>(r + A_FLAGS, 0);
  store<u64>(r + A_NONCE, 0);
  memory.fill(r + A_BALANCE, 0, 32);
  store<u32>(r + A_CODE, <u32>emptyCode);
  return r;
}

/** Strict mode: sets base flags of a loaded account (AF_PARTIAL, AF_HAS_STORAGE). */
export function baseMarkAccount(addr: usize, flags: u32): bool {
  const r = acctFind(baseAcct, addr, false);
  if (r == 0) return false;
  store<u32>(r + A_FLAGS, load<u32>(r + A_FLAGS) | flags);
  return true;
}

// ---- reads below the transaction (sequential mode: overlay, then base) ----

/**
 * Fills the keyed cache record `r` with the account as the layers below the transaction see it: existence,
 * nonce, code and storage epoch. The balance is read separately (`lowerBalance`), only when needed.
 */
export function lowerAccount(r: usize): void {
  if (parallelMode) { readInfo(r); return; }
  let src = acctFind(ovAcct, r + A_ADDR, false);
  if (src == 0) src = acctFind(baseAcct, r + A_ADDR, false);
  if (src == 0 && strictBase) missing(1, r + A_ADDR, 0);
  if (src != 0 && (load<u32>(src + A_FLAGS) & AF_EXISTS) != 0) {
    // base storage is visible only at epoch 0, and only the base state knows whether it has any
    store<u32>(r + A_FLAGS, AF_EXISTS | (load<u32>(src + A_EPOCH) == 0 ? load<u32>(src + A_FLAGS) & AF_HAS_STORAGE : 0));
    store<u64>(r + A_NONCE, load<u64>(src + A_NONCE));
    store<u32>(r + A_CODE, load<u32>(src + A_CODE));
    store<u32>(r + A_EPOCH, load<u32>(src + A_EPOCH));
  } else {
    store<u32>(r + A_FLAGS, 0);
    store<u64>(r + A_NONCE, 0);
    store<u32>(r + A_CODE, <u32>emptyCode);
    // A deleted account keeps its epoch so that storage written before the deletion stays invisible.
    store<u32>(r + A_EPOCH, src != 0 ? load<u32>(src + A_EPOCH) : 0);
  }
}

/** Writes to `dst` the balance of `addr` below the transaction. */
export function lowerBalance(addr: usize, dst: usize): void {
  if (parallelMode) { readBalance(addr, dst); return; }
  let src = acctFind(ovAcct, addr, false);
  if (src == 0) src = acctFind(baseAcct, addr, false);
  if (src == 0 && strictBase) missing(1, addr, 0);
  if (src != 0) memory.copy(dst, src + A_BALANCE, 32);
  else memory.fill(dst, 0, 32);
}

/** Writes to `dst` the value of (addr, slot) below the transaction, for an account at storage epoch `epoch`. */
export function lowerStorage(addr: usize, slot: usize, epoch: u32, dst: usize): void {
  if (parallelMode) { readSlot(addr, slot, epoch, dst); return; }
  const o = storFind(ovStor, addr, slot, false);
  if (o != 0 && load<u32>(o + S_EPOCH) == epoch) { memory.copy(dst, o + S_VALUE, 32); return; }
  if (epoch == 0) {
    const b = storFind(baseStor, addr, slot, false);
    if (b != 0) { memory.copy(dst, b + S_VALUE, 32); return; }
    if (strictBase) {
      const a = acctFind(baseAcct, addr, false);
      if (a == 0) missing(1, addr, 0);
      else if ((load<u32>(a + A_FLAGS) & AF_PARTIAL) != 0) missing(2, addr, slot);
    }
  }
  memory.fill(dst, 0, 32);
}

// ---- commit of a finished transaction (sequential mode) ----

/** Writes a cache account record (balance: `balance`, a full value) to the overlay. False when the overlay is full. */
export function commitAccount(r: usize, exists: bool, epoch: u32, balance: usize): bool {
  const o = acctFind(ovAcct, r + A_ADDR, true);
  if (o == 0) return false;
  store<u32>(o + A_EPOCH, epoch);
  if (exists) {
    store<u32>(o + A_FLAGS, AF_EXISTS | (epoch == 0 ? load<u32>(r + A_FLAGS) & AF_HAS_STORAGE : 0));
    store<u64>(o + A_NONCE, load<u64>(r + A_NONCE));
    memory.copy(o + A_BALANCE, balance, 32);
    store<u32>(o + A_CODE, load<u32>(r + A_CODE));
  } else {
    store<u32>(o + A_FLAGS, 0);
    store<u64>(o + A_NONCE, 0);
    memory.fill(o + A_BALANCE, 0, 32);
    store<u32>(o + A_CODE, <u32>emptyCode);
  }
  return true;
}

export function commitStorage(addr: usize, slot: usize, value: usize, epoch: u32): bool {
  const o = storFind(ovStor, addr, slot, true);
  if (o == 0) return false;
  memory.copy(o + S_VALUE, value, 32);
  store<u32>(o + S_EPOCH, epoch);
  return true;
}

