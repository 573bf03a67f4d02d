// Record layouts and open-addressing hash tables shared by every state layer.
//
// The same account and storage record layout is used by the base state (the pre-state the TypeScript side
// loads), the block overlay (what earlier transactions of the block wrote, sequential mode) and the per-
// transaction cache (what the running transaction read and wrote). Copying between layers is a memory.copy.
//
// A table is a descriptor (TD_*) plus `cap` records. A record is live iff its GEN word equals the table's
// gen, so a table is emptied in O(1) by bumping gen: the transaction cache does that per transaction.
// An indexed table (the base state and the block overlay: large, and mostly looked up for keys they do not
// hold) instead keeps its records dense, in insertion order, behind an index of 8-byte slots (gen, a 16-bit
// hash tag, the record's address): a probe reads the index (8 bytes a slot, so a 131,072-slot table's index is
// 1 MiB and stays in the cache) and touches a record only on a tag match. Inline 128-byte records made every
// probe a cache miss in a 16 MB table, and a scan of the overlay read all of it.
// Keys are always compared in full (20-byte address, 32-byte slot): the 64-bit hash only picks the probe
// start, so a crafted hash collision can never merge two locations.

// ---- account record (128 bytes) ----
import { arenaAlloc } from '../arena';

export const A_ADDR: usize = 0; // 20 bytes, as in Ethereum (big-endian)
export const A_FLAGS: usize = 20; // u32, AF_*
export const A_NONCE: usize = 24; // u64
// Base state and overlay: the balance. Transaction cache: the change the transaction made to it (mod 2^256),
// so crediting an account (a transfer, the coinbase fee) never has to read its balance.
export const A_BALANCE: usize = 32; // u256, 4 LE limbs
export const A_LOWER_BAL: usize = 64; // u256: transaction cache only, the balance below the transaction once loaded
export const A_CODE: usize = 96; // u32 pointer to the code entry (never 0 once resolved; its C_HASH is the code hash)
export const A_EPOCH: usize = 100; // u32 storage epoch: bumped when the account's storage is wiped
export const A_GEN: usize = 104; // u32 liveness stamp
export const A_AUX: usize = 108; // u32 free for the layer (tx cache: journal depth of creation)
export const A_SIZE: usize = 128;

export const AF_EXISTS: u32 = 1;
export const AF_WARM: u32 = 2; // EIP-2929 accessed_addresses
export const AF_TOUCHED: u32 = 4; // EIP-161 touched
export const AF_CREATED: u32 = 8; // created in this transaction (EIP-6780, SSTORE original value)
export const AF_DESTRUCTED: u32 = 16; // SELFDESTRUCT executed, deleted at the end of the transaction
export const AF_WIPED: u32 = 32; // storage wiped in this transaction: slot reads do not fall through
export const AF_DIRTY: u32 = 64; // some field written in this transaction (conservative: never cleared on revert)
export const AF_HAS_STORAGE: u32 = 128; // the pre-state holds storage for it (EIP-7610 collision check)
export const AF_BAL_LOADED: u32 = 256; // transaction cache: A_LOWER_BAL holds the balance below the transaction
export const AF_PARTIAL: u32 = 1024; // base state, strict mode: only some of the account's slots are loaded (a missing slot is unknown, not zero)
export const AF_DELETE: u32 = 512; // transaction cache, at commit: the account is deleted

// ---- storage record (128 bytes) ----
export const S_ADDR: usize = 0; // 20 bytes
export const S_FLAGS: usize = 20; // u32, SF_*
export const S_SLOT: usize = 24; // u256 LE limbs (as on the EVM stack)
export const S_VALUE: usize = 56; // u256 current value
export const S_ORIG: usize = 88; // u256 value at the start of the transaction (tx cache only)
export const S_EPOCH: usize = 120; // u32 storage epoch of the owning account when written
export const S_GEN: usize = 124; // u32 liveness stamp
export const S_SIZE: usize = 128;

export const SF_WARM: u32 = 2;
export const SF_DIRTY: u32 = 64;

// ---- code entry (64 bytes), keyed by code hash ----
export const C_HASH: usize = 0; // 32 bytes
export const C_PTR: usize = 32; // u32 code bytes, followed by 33 zero bytes so PUSH never reads past the end
export const C_LEN: usize = 36; // u32
export const C_BITMAP: usize = 40; // u32 jump-destination bitmap, one bit per code byte
export const C_GEN: usize = 44; // u32 liveness stamp
export const C_SIZE: usize = 64;

// ---- table descriptor (32 bytes) ----
export const TD_BASE: usize = 0; // u32 first record
export const TD_MASK: usize = 4; // u32 capacity - 1 (capacity is a power of two)
export const TD_GEN: usize = 8; // u32 current generation (never 0)
export const TD_COUNT: usize = 12; // u32 live records
export const TD_RECSIZE: usize = 16; // u32 record size
export const TD_GENOFF: usize = 20; // u32 offset of the GEN word inside a record
export const TD_NEXT: usize = 24; // u32 overflow table (transaction-cache tables only), 0 = none; indexed tables: the index
export const TD_GROW: usize = 28; // u32 1 = may chain overflow tables taken from this instance's arena; TD_INDEXED
/** TD_GROW of an indexed table: records dense from TD_BASE (TD_COUNT of them), the index at TD_NEXT. */
export const TD_INDEXED: u32 = 2;
export const TD_SIZE: usize = 32;

/** Sets up a table descriptor at `td` over `cap` (power of two) records at `base`. */
export function tableInit(td: usize, base: usize, cap: u32, recSize: u32, genOff: u32): void {
  store<u32>(td + TD_BASE, <u32>base);
  store<u32>(td + TD_MASK, cap - 1);
  // Start above whatever generation the memory may hold from an earlier use of the region.
  memory.fill(base, 0, <usize>cap * recSize);
  store<u32>(td + TD_GEN, 1);
  store<u32>(td + TD_COUNT, 0);
  store<u32>(td + TD_RECSIZE, recSize);
  store<u32>(td + TD_GENOFF, genOff);
  store<u32>(td + TD_NEXT, 0);
  store<u32>(td + TD_GROW, 0);
}

/**
 * An indexed table (see the top of this file) over `cap` (power of two) records at `base` and an index of
 * `cap` 8-byte slots at `index`; at most 3/4 of `cap` records.
 */
export function tableInitIndexed(td: usize, base: usize, cap: u32, recSize: u32, genOff: u32, index: usize): void {
  tableInit(td, base, cap, recSize, genOff);
  memory.fill(index, 0, <usize>cap << 3);
  store<u32>(td + TD_NEXT, <u32>index);
  store<u32>(td + TD_GROW, TD_INDEXED);
}

/** Empties a table in O(1) (an overflow chain is dropped: its arena space is the caller's to reclaim). */
export function tableClear(td: usize): void {
  if (load<u32>(td + TD_GROW) == TD_INDEXED) {
    let g = load<u32>(td + TD_GEN) + 1;
    if ((g & 0xFFFF) == 0) { // the index keeps 16 bits of the generation: zero it once per 65,535 clears
      memory.fill(<usize>load<u32>(td + TD_NEXT), 0, <usize>(load<u32>(td + TD_MASK) + 1) << 3);
      g++;
    }
    store<u32>(td + TD_GEN, g);
    store<u32>(td + TD_COUNT, 0);
    return;
  }
  store<u32>(td + TD_GEN, load<u32>(td + TD_GEN) + 1);
  store<u32>(td + TD_COUNT, 0);
  store<u32>(td + TD_NEXT, 0);
}

/**
 * Returns the table a new record goes into: `td` itself, or (for growable tables, once one is 3/4 full) an
 * overflow table twice as large chained after it. Records never move, so pointers into them stay valid.
 */
function insertTable(td: usize): usize {
  let t = td;
  while (load<u32>(t + TD_NEXT) != 0) t = <usize>load<u32>(t + TD_NEXT);
  const cap = load<u32>(t + TD_MASK) + 1;
  if (load<u32>(t + TD_COUNT) * 4 < cap * 3) return t;
  if (load<u32>(td + TD_GROW) == 0 || cap >= (1 << 28)) return 0;
  const recSize = load<u32>(t + TD_RECSIZE);
  const nt = arenaAlloc(TD_SIZE + <usize>cap * 2 * recSize);
  if (nt == 0) return 0;
  tableInit(nt, nt + TD_SIZE, cap * 2, recSize, load<u32>(t + TD_GENOFF));
  store<u32>(t + TD_NEXT, <u32>nt);
  return nt;
}

// @ts-ignore: decorator
@inline export function mix64(h: u64): u64 {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccd;
  h ^= h >> 33;
  return h;
}

// @ts-ignore: decorator
@inline export function hashAddr(a: usize): u64 {
  return mix64(load<u64>(a) * 0x9E3779B97F4A7C15 ^ load<u64>(a, 8) * 0xC2B2AE3D27D4EB4F ^ <u64>load<u32>(a, 16));
}

// @ts-ignore: decorator
@inline export function addrEq(a: usize, b: usize): bool {
  return load<u64>(a) == load<u64>(b) && load<u64>(a, 8) == load<u64>(b, 8) && load<u32>(a, 16) == load<u32>(b, 16);
}

// @ts-ignore: decorator
@inline export function hashSlot(addr: usize, slot: usize): u64 {
  return mix64(hashAddr(addr) ^ load<u64>(slot) * 0x9E3779B97F4A7C15 ^ load<u64>(slot, 8) * 0xC2B2AE3D27D4EB4F
    ^ load<u64>(slot, 16) * 0x165667B19E3779F9 ^ load<u64>(slot, 24) * 0x27D4EB2F165667C5);
}

// @ts-ignore: decorator
@inline export function wordEq(a: usize, b: usize): bool {
  return load<u64>(a) == load<u64>(b) && load<u64>(a, 8) == load<u64>(b, 8)
    && load<u64>(a, 16) == load<u64>(b, 16) && load<u64>(a, 24) == load<u64>(b, 24);
}


/** Set by the find functions when they inserted a fresh (zeroed, keyed) record. */
export let tableInserted: bool = false;
/** Set when an insert found the table full (a fatal resource error for the caller). */
export let tableFull: bool = false;

// @ts-ignore: decorator
@inline function probeAcct(td: usize, addr: usize, h: u32): usize {
  const base = <usize>load<u32>(td + TD_BASE);
  const mask = load<u32>(td + TD_MASK);
  const gen = load<u32>(td + TD_GEN);
  let i = h & mask;
  for (let n: u32 = 0; n <= mask; n++) {
    const r = base + (<usize>i << 7); // A_SIZE == 128
    if (load<u32>(r + A_GEN) != gen) return 0;
    if (addrEq(r + A_ADDR, addr)) return r;
    i = (i + 1) & mask;
  }
  return 0;
}

/** The first free slot on `h`'s probe sequence in `td` (the caller made sure there is room). */
function freeSlot(td: usize, h: u32, recShift: u32, genOff: usize): usize {
  const base = <usize>load<u32>(td + TD_BASE);
  const mask = load<u32>(td + TD_MASK);
  const gen = load<u32>(td + TD_GEN);
  let i = h & mask;
  while (true) {
    const r = base + (<usize>i << recShift);
    if (load<u32>(r + genOff) != gen) {
      store<u32>(td + TD_COUNT, load<u32>(td + TD_COUNT) + 1);
      return r;
    }
    i = (i + 1) & mask;
  }
  return 0;
}

/** A zeroed, live 128-byte record on hash `h`'s probe sequence (in an overflow table if need be); 0 if full. */
function newRecord(td: usize, h: u32, genOff: usize): usize {
  const it = insertTable(td);
  if (it == 0) { tableFull = true; return 0; }
  const r = freeSlot(it, h, 7, genOff); // A_SIZE == S_SIZE == 128
  memory.fill(r, 0, 128);
  store<u32>(r + genOff, load<u32>(it + TD_GEN));
  tableInserted = true;
  return r;
}

// ---- indexed tables ----

// @ts-ignore: decorator
@inline function slotTag(td: usize, h: u64): u64 {
  return (<u64>(load<u32>(td + TD_GEN) & 0xFFFF) << 48) | ((h >> 48) << 32);
}

/**
 * The record of `addr` (slot 0: an account table) or of (`addr`, `slot`) (a storage table), key hash `h`, in
 * indexed table `td`; 0 if absent. (Both records keep the address at offset 0: A_ADDR == S_ADDR.)
 */
// @ts-ignore: decorator
@inline function indexedProbe(td: usize, addr: usize, slot: usize, h: u64): usize {
  const index = <usize>load<u32>(td + TD_NEXT);
  const mask = load<u32>(td + TD_MASK);
  const want = slotTag(td, h);
  const gen = want & 0xFFFF000000000000;
  let i = <u32>h & mask;
  for (let n: u32 = 0; n <= mask; n++) {
    const s = load<u64>(index + (<usize>i << 3));
    if ((s & 0xFFFF000000000000) != gen) return 0;
    if ((s & 0xFFFFFFFF00000000) == want) {
      const r = <usize>(<u32>s);
      if ((slot == 0 || wordEq(r + S_SLOT, slot)) && addrEq(r, addr)) return r;
    }
    i = (i + 1) & mask;
  }
  return 0;
}

/**
 * Starts the cache misses of an account lookup in indexed table `td` early (executeIncarnation): loads the
 * index word of `addr`'s first probe and, when its tag matches, the record's first word, and returns them for
 * a sink. Callers issue several of these before the lookups that need them, so that the misses overlap.
 */
export function acctTouch(td: usize, addr: usize): u64 {
  if (load<u32>(td + TD_GROW) != TD_INDEXED) return 0;
  const h = hashAddr(addr);
  const s = load<u64>(<usize>load<u32>(td + TD_NEXT) + (<usize>(<u32>h & load<u32>(td + TD_MASK)) << 3));
  return (s & 0xFFFFFFFF00000000) == slotTag(td, h) ? s ^ load<u64>(<usize>(<u32>s)) : s;
}

/** A zeroed, live record appended to indexed table `td` and entered in its index under hash `h`; 0 if full. */
function indexedNewRecord(td: usize, h: u64, genOff: usize): usize {
  const mask = load<u32>(td + TD_MASK);
  const count = load<u32>(td + TD_COUNT);
  if (count * 4 >= (mask + 1) * 3) { tableFull = true; return 0; }
  const recSize = load<u32>(td + TD_RECSIZE);
  const r = <usize>load<u32>(td + TD_BASE) + <usize>count * recSize;
  store<u32>(td + TD_COUNT, count + 1);
  memory.fill(r, 0, recSize);
  store<u32>(r + genOff, load<u32>(td + TD_GEN));
  const index = <usize>load<u32>(td + TD_NEXT);
  const want = slotTag(td, h);
  const gen = want & 0xFFFF000000000000;
  let i = <u32>h & mask;
  while ((load<u64>(index + (<usize>i << 3)) & 0xFFFF000000000000) == gen) i = (i + 1) & mask;
  store<u64>(index + (<usize>i << 3), want | <u64>r);
  tableInserted = true;
  return r;
}

/** Finds the account record for `addr`; with `insert`, creates a zeroed one (key set). Returns 0 if absent/full. */
export function acctFind(td: usize, addr: usize, insert: bool): usize {
  if (load<u32>(td + TD_GROW) == TD_INDEXED) {
    const h = hashAddr(addr);
    tableInserted = false;
    const f = indexedProbe(td, addr, 0, h);
    if (f != 0 || !insert) return f;
    const r = indexedNewRecord(td, h, A_GEN);
    if (r != 0) memory.copy(r + A_ADDR, addr, 20);
    return r;
  }
  const h = <u32>hashAddr(addr);
  tableInserted = false;
  let t = td;
  while (true) {
    const r = probeAcct(t, addr, h);
    if (r != 0) return r;
    const next = <usize>load<u32>(t + TD_NEXT);
    if (next == 0) break;
    t = next;
  }
  if (!insert) return 0;
  const r = newRecord(td, h, A_GEN);
  if (r != 0) memory.copy(r + A_ADDR, addr, 20);
  return r;
}

// @ts-ignore: decorator
@inline function probeStor(td: usize, addr: usize, slot: usize, h: u32): usize {
  const base = <usize>load<u32>(td + TD_BASE);
  const mask = load<u32>(td + TD_MASK);
  const gen = load<u32>(td + TD_GEN);
  let i = h & mask;
  for (let n: u32 = 0; n <= mask; n++) {
    const r = base + (<usize>i << 7); // S_SIZE == 128
    if (load<u32>(r + S_GEN) != gen) return 0;
    if (wordEq(r + S_SLOT, slot) && addrEq(r + S_ADDR, addr)) return r;
    i = (i + 1) & mask;
  }
  return 0;
}

/** Finds the storage record for (addr, slot); slot is a u256 in LE limbs. */
export function storFind(td: usize, addr: usize, slot: usize, insert: bool): usize {
  if (load<u32>(td + TD_GROW) == TD_INDEXED) {
    const h = hashSlot(addr, slot);
    tableInserted = false;
    const f = indexedProbe(td, addr, slot, h);
    if (f != 0 || !insert) return f;
    const r = indexedNewRecord(td, h, S_GEN);
    if (r != 0) { memory.copy(r + S_ADDR, addr, 20); memory.copy(r + S_SLOT, slot, 32); }
    return r;
  }
  const h = <u32>hashSlot(addr, slot);
  tableInserted = false;
  let t = td;
  while (true) {
    const r = probeStor(t, addr, slot, h);
    if (r != 0) return r;
    const next = <usize>load<u32>(t + TD_NEXT);
    if (next == 0) break;
    t = next;
  }
  if (!insert) return 0;
  const r = newRecord(td, h, S_GEN);
  if (r != 0) { memory.copy(r + S_ADDR, addr, 20); memory.copy(r + S_SLOT, slot, 32); }
  return r;
}

// The code table is shared by every thread of a parallel block (a CREATE inserts the code it deploys, on
// whichever worker runs it), so its entries are claimed and published atomically. An entry's C_GEN is the
// table's generation once the entry is complete (hash, code pointer, length and bitmap all written), or the
// generation with C_BUSY while one thread fills it; any other value is an empty slot. Readers wait out a busy
// slot (a few stores) before comparing its hash. Without this, two workers deploying different codes claimed
// the same slot and one contract got the other's code (the differential fuzzer, generator version 4, seed 1560).
const C_BUSY: u32 = 0x80000000;

/** The published C_GEN of the code entry at `r`, waiting while another thread fills it. */
// @ts-ignore: decorator
@inline function codeGen(r: usize, gen: u32): u32 {
  let g = atomic.load<u32>(r + C_GEN);
  while (g == (gen | C_BUSY)) g = atomic.load<u32>(r + C_GEN);
  return g;
}

/** Finds the complete code entry for a 32-byte code hash, or 0 (a shared table: no overflow chain). */
// @ts-ignore: decorator
@inline export function codeFind(td: usize, hash: usize): usize { return codeClaim(td, hash, 0, 0, 0); }

/**
 * Finds the code entry for `hash`, or inserts it with its code already in place (`ptr`, `len`, `bitmap`; a
 * heap pointer, never 0: with `ptr` 0 it only finds). Another thread may insert the same hash meanwhile: its
 * entry is returned, and the caller's copy stays unused. Returns 0 when not found (ptr 0) or when the table is
 * full (`tableFull`).
 */
export function codeClaim(td: usize, hash: usize, ptr: usize, len: u32, bitmap: usize): usize {
  const base = <usize>load<u32>(td + TD_BASE);
  const mask = load<u32>(td + TD_MASK);
  const gen = load<u32>(td + TD_GEN);
  let i = <u32>load<u64>(hash) & mask; // a keccak output is already uniform
  for (let n: u32 = 0; n <= mask; ) {
    const r = base + (<usize>i << 6); // C_SIZE == 64
    const g = codeGen(r, gen);
    if (g == gen) {
      if (wordEq(r + C_HASH, hash)) return r;
      i = (i + 1) & mask;
      n++;
      continue;
    }
    if (ptr == 0) return 0;
    if (atomic.load<u32>(td + TD_COUNT) * 4 >= (mask + 1) * 3) { tableFull = true; return 0; }
    // claim the empty slot; if another thread claimed it first, look at it again (its hash may be ours)
    if (atomic.cmpxchg<u32>(r + C_GEN, g, gen | C_BUSY) != g) continue;
    memory.copy(r + C_HASH, hash, 32);
    store<u32>(r + C_PTR, <u32>ptr);
    store<u32>(r + C_LEN, len);
    store<u32>(r + C_BITMAP, <u32>bitmap);
    memory.fill(r + C_GEN + 4, 0, C_SIZE - C_GEN - 4);
    atomic.add<u32>(td + TD_COUNT, 1);
    atomic.store<u32>(r + C_GEN, gen); // publishes the complete entry
    return r;
  }
  if (ptr != 0) tableFull = true;
  return 0;
}
