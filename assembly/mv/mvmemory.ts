// Multi-version memory (Block-STM). One shared table of locations; each location holds the versions written
// by the block's transactions, sorted by transaction index. A read by transaction j sees the highest version
// below j, else the base state; a version marked ESTIMATE (its writer was aborted and is being re-run) makes
// the read return a dependency on that writer instead of a value.
//
// Locations: the account's INFO (existence, nonce, code, storage epoch), its BALANCE, and each storage SLOT.
// Balances may be written as DELTA versions (a credit that did not read the balance: transfers, the coinbase
// fee), which commute; a read sums the deltas down to the nearest full value.
//
// Layout: a compact open-addressing index of 8-byte slots (1 MiB for 131,072 locations, so that a probe stays
// in the cache) points at location entries allocated densely from the shared heap, each with room for one
// version inline. The earlier layout, 96-byte entries in one 12.6 MB table and every version array apart from
// its entry, cost two cache misses per lookup: mvFind was ~13 ms of thread time per 10,000 raw transfers.
//
// Concurrency: a location's entry is filled in by the worker that first writes the location and then published
// with one compare-and-swap of its index slot (so a reader that sees the slot sees the key); its version array
// is guarded by a spin lock held for a few hundred instructions at most. Version arrays grow by copying (under
// the lock) into the shared heap. Keys are always compared in full (address and slot), never by hash alone.
import { mix64, hashAddr } from '../state/records';

// ---- descriptor (laid out by the TypeScript side, MV_DESC_SIZE bytes) ----
export const MD_TABLE: usize = 0; // u32 the index: capacity x MV_INDEX_SLOT bytes
export const MD_MASK: usize = 4; // u32 capacity - 1
export const MD_HEAP_TOP: usize = 8; // u32 entry and version-array heap (atomic bump)
export const MD_HEAP_END: usize = 12; // u32
// u32: the block's generation (1..65535). An index slot belongs to the current block only if it carries this
// generation, so a new block empties the index by bumping it instead of zeroing it. Invariant: slots of older
// generations are never followed, only claimed anew.
export const MD_GEN: usize = 16;
export const MV_DESC_SIZE: usize = 32;

// ---- index slot (u64) ----
// gen << 48 | tag << 32 | entry. `tag` is 16 more bits of the key's hash, so that a probe that meets another
// location's slot rarely follows its pointer. A slot of another generation is empty.
export const MV_INDEX_SLOT: usize = 8;

// ---- location entry (in the heap: MV_ENTRY_SIZE bytes for a SLOT, ACCT_ENTRY_SIZE for an INFO or BAL) ----
// The fields a lookup and a read need (key, version array, count, the first version's writer) come first; a
// SLOT's slot last, so that an account's entries, most of a transfer's, stop before it (96 bytes, not 128).
export const L_LOCK: usize = 0; // u32 spin lock over the version array
export const L_KIND: usize = 4; // u32 K_*
export const L_ADDR: usize = 8; // 20 bytes
export const L_VERS: usize = 28; // u32 version array (first the inline one at L_INLINE)
export const L_COUNT: usize = 32; // u32 versions
export const L_CAP: usize = 36; // u32 capacity of the array
export const L_INLINE: usize = 40; // room for one version (V_SIZE): most locations get one writer per block
export const L_SLOT: usize = 88; // u256 LE (SLOT only)
export const MV_ENTRY_SIZE: usize = 128;
const ACCT_ENTRY_SIZE: usize = 96;

export const K_INFO: u32 = 1;
export const K_BAL: u32 = 2;
export const K_SLOT: u32 = 3;

// ---- version ----
export const V_TX: usize = 0; // u32 writer's transaction index
export const V_INC: usize = 4; // u32 writer's incarnation
export const V_FLAGS: usize = 8; // u32 VF_*
export const V_EPOCH: usize = 12; // u32 SLOT: the account's storage epoch when written
export const V_VALUE: usize = 16; // 32 bytes: u256 (BAL, SLOT) or INFO (below)
export const V_SIZE: usize = 48;
export const VF_ESTIMATE: u32 = 1;
export const VF_DELTA: u32 = 2;

// INFO value layout inside V_VALUE (and read/write-set values)
export const I_NONCE: usize = 0; // u64
export const I_CODE: usize = 8; // u32 code entry
export const I_FLAGS: usize = 12; // u32 AF_EXISTS | AF_HAS_STORAGE
export const I_EPOCH: usize = 16; // u32

let md: usize = 0;
let genHi: u64 = 1 << 48; // this block's generation, in place in an index slot
export function mvAttach(desc: usize): void {
  md = desc;
  genHi = <u64>load<u32>(desc + MD_GEN) << 48;
}

/** Coordinator, before a block: an empty index of `cap` (power of two) slots and an empty heap. */
export function mvInit(desc: usize, table: usize, cap: u32, heap: usize, heapSize: usize): void {
  let gen = load<u32>(desc + MD_GEN) + 1;
  // an index not used before (or a wrapped generation) is zeroed once
  if (gen >= (1 << 16) || load<u32>(desc + MD_TABLE) != <u32>table || load<u32>(desc + MD_MASK) != cap - 1) {
    memory.fill(table, 0, <usize>cap * MV_INDEX_SLOT);
    gen = 1;
  }
  store<u32>(desc + MD_GEN, gen);
  store<u32>(desc + MD_TABLE, <u32>table);
  store<u32>(desc + MD_MASK, cap - 1);
  store<u32>(desc + MD_HEAP_TOP, <u32>((heap + 31) & ~(<usize>31)));
  store<u32>(desc + MD_HEAP_END, <u32>(heap + heapSize));
  mvAttach(desc);
}

/** Set when the index or the heap ran out (the block falls back to sequential execution). */
export let mvFull: bool = false;
export function clearMvFull(): void { mvFull = false; }

// A location's hash: the tag is its top 16 bits, the probe starts at its low bits (mvFind). An account's two
// locations (INFO and BAL: kind 1 and 2) hash by the address alone and start at neighbouring slots of one
// 32-byte group, so that the second lookup of a transaction's account finds the index line in cache: a raw
// transfer reads both, and the index (1 MiB) is mostly a cache miss otherwise. Their tags differ by the kind.
// @ts-ignore: decorator
@inline function keyHash(kind: u32, addr: usize, slot: usize): u64 {
  if (kind != K_SLOT) return (hashAddr(addr) & ~(<u64>3)) ^ (<u64>kind << 48 | <u64>kind);
  return mix64(hashAddr(addr) ^ (<u64>kind * 0x9E3779B97F4A7C15) ^ load<u64>(slot) * 0xC2B2AE3D27D4EB4F
    ^ load<u64>(slot, 8) * 0x165667B19E3779F9 ^ load<u64>(slot, 16) * 0x27D4EB2F165667C5 ^ load<u64>(slot, 24) * 0x94D049BB133111EB);
}

// @ts-ignore: decorator
@inline function keyEq(e: usize, kind: u32, addr: usize, slot: usize): bool {
  if (load<u32>(e + L_KIND) != kind) return false;
  const a = e + L_ADDR;
  if (load<u64>(a) != load<u64>(addr) || load<u64>(a, 8) != load<u64>(addr, 8) || load<u32>(a, 16) != load<u32>(addr, 16)) return false;
  if (kind != K_SLOT) return true;
  const s = e + L_SLOT;
  return load<u64>(s) == load<u64>(slot) && load<u64>(s, 8) == load<u64>(slot, 8)
    && load<u64>(s, 16) == load<u64>(slot, 16) && load<u64>(s, 24) == load<u64>(slot, 24);
}

/** Probes longer than this mean the index is too full to stay fast: the block falls back to sequential. */
const MAX_PROBE: u32 = 256;

// An entry this worker filled in but lost the race to publish (another worker published the same location
// first), and its size: reused by its next insert that fits. Reset with the heap at each block.
let spare: usize = 0;
let spareSize: usize = 0;

/** The index word where a lookup of `addr`'s account locations starts (see acctTouch: an early cache miss). */
export function mvTouch(addr: usize): u64 {
  return atomic.load<u64>(<usize>load<u32>(md + MD_TABLE) + (<usize>(<u32>keyHash(K_INFO, addr, 0) & load<u32>(md + MD_MASK)) << 3));
}

/** The entry of a location, creating it with `insert`. 0 when absent (or the index or heap is full). */
export function mvFind(kind: u32, addr: usize, slot: usize, insert: bool): usize {
  const table = <usize>load<u32>(md + MD_TABLE);
  const mask = load<u32>(md + MD_MASK);
  const h = keyHash(kind, addr, slot);
  const want = genHi | (h >> 48) << 32; // generation and tag
  let i = <u32>h & mask;
  for (let n: u32 = 0; n <= mask; n++) {
    if (n == MAX_PROBE) { mvFull = true; return 0; }
    const sp = table + (<usize>i << 3);
    let s = atomic.load<u64>(sp);
    if ((s & 0xFFFF000000000000) != genHi) { // empty in this block
      if (!insert) return 0;
      const size = kind == K_SLOT ? MV_ENTRY_SIZE : ACCT_ENTRY_SIZE;
      let e = spare;
      if (e == 0 || spareSize < size) {
        e = heapAlloc(size);
        if (e == 0) return 0;
      } else spare = 0;
      store<u32>(e + L_LOCK, 0);
      store<u32>(e + L_KIND, kind);
      memory.copy(e + L_ADDR, addr, 20);
      if (kind == K_SLOT) memory.copy(e + L_SLOT, slot, 32);
      store<u32>(e + L_VERS, <u32>(e + L_INLINE));
      store<u32>(e + L_COUNT, 0);
      store<u32>(e + L_CAP, 1);
      const s2 = atomic.cmpxchg<u64>(sp, s, want | <u64>e); // publishes the entry
      if (s2 == s) return e;
      spare = e; // another worker published a location here first
      spareSize = size;
      s = s2;
    }
    if ((s & 0xFFFFFFFF00000000) == want) {
      const e = <usize>(<u32>s);
      if (keyEq(e, kind, addr, slot)) return e;
    }
    i = (i + 1) & mask;
  }
  mvFull = true;
  return 0;
}

// @ts-ignore: decorator
@inline function lock(e: usize): void {
  while (atomic.cmpxchg<u32>(e + L_LOCK, 0, 1) != 0) { /* spin: critical sections are short */ }
}
// @ts-ignore: decorator
@inline function unlock(e: usize): void { atomic.store<u32>(e + L_LOCK, 0); }

/** Index of the first version with tx >= j (versions sorted by tx). Call under the lock. */
function lowerBound(e: usize, j: u32): u32 {
  const v = <usize>load<u32>(e + L_VERS);
  let lo: u32 = 0, hi = load<u32>(e + L_COUNT);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (load<u32>(v + <usize>mid * V_SIZE + V_TX) < j) lo = mid + 1; else hi = mid;
  }
  return lo;
}

// ---- reads: results of the last resolve ----
/** RESOLVE_*: what `mvResolve` found. */
export const RESOLVE_BASE: i32 = 0; // no version below the reader: read the base state
export const RESOLVE_VALUE: i32 = 1; // resolvedValue holds the value (for BAL: possibly base + resolvedDelta)
export const RESOLVE_BLOCKED: i32 = 2; // an ESTIMATE: resolvedBlocker is the writer to wait for
export let resolvedBlocker: u32 = 0;
/** SLOT: the epoch of the version found. */
export let resolvedEpoch: u32 = 0;
/** BAL: true when the value is base + the deltas copied to `out` (no full version below the reader). */
export let resolvedOnBase: bool = false;
/** BAL: the writer of the full version the value starts from (when resolvedOnBase is false). */
export let resolvedFullTx: u32 = 0;

/**
 * Resolves location (kind, addr, slot) for reader j into `out` (32 bytes). For BAL the deltas above the
 * nearest full version are summed in; with no full version, `out` holds the delta sum and resolvedOnBase is set.
 */
export function mvResolve(kind: u32, addr: usize, slot: usize, j: u32, out: usize): i32 {
  const e = mvFind(kind, addr, slot, false);
  if (e == 0) return RESOLVE_BASE;
  return mvResolveEntry(e, kind, j, out);
}

/** `mvResolve` on a location entry already in hand. */
function mvResolveEntry(e: usize, kind: u32, j: u32, out: usize): i32 {
  lock(e);
  let i = lowerBound(e, j);
  if (i == 0) { unlock(e); return RESOLVE_BASE; }
  const vs = <usize>load<u32>(e + L_VERS);
  let v = vs + <usize>(i - 1) * V_SIZE;
  let fl = load<u32>(v + V_FLAGS);
  if ((fl & VF_ESTIMATE) != 0) { resolvedBlocker = load<u32>(v + V_TX); unlock(e); return RESOLVE_BLOCKED; }
  if (kind != K_BAL || (fl & VF_DELTA) == 0) {
    memory.copy(out, v + V_VALUE, 32);
    resolvedEpoch = load<u32>(v + V_EPOCH);
    resolvedFullTx = load<u32>(v + V_TX);
    unlock(e);
    resolvedOnBase = false;
    return RESOLVE_VALUE;
  }
  // balance deltas: add up until a full value (or the bottom, then the base balance is added by the caller)
  let l0: u64 = 0, l1: u64 = 0, l2: u64 = 0, l3: u64 = 0;
  resolvedOnBase = true;
  while (true) {
    fl = load<u32>(v + V_FLAGS);
    if ((fl & VF_ESTIMATE) != 0) { resolvedBlocker = load<u32>(v + V_TX); unlock(e); return RESOLVE_BLOCKED; }
    // 256-bit add with carries
    const x = v + V_VALUE;
    const a0 = l0 + load<u64>(x); const c0: u64 = a0 < l0 ? 1 : 0;
    const t1 = l1 + load<u64>(x, 8); const c1a: u64 = t1 < l1 ? 1 : 0; const a1 = t1 + c0; const c1: u64 = c1a | (a1 < t1 ? 1 : 0);
    const t2 = l2 + load<u64>(x, 16); const c2a: u64 = t2 < l2 ? 1 : 0; const a2 = t2 + c1; const c2: u64 = c2a | (a2 < t2 ? 1 : 0);
    const a3 = l3 + load<u64>(x, 24) + c2;
    l0 = a0; l1 = a1; l2 = a2; l3 = a3;
    if ((fl & VF_DELTA) == 0) { resolvedOnBase = false; resolvedFullTx = load<u32>(v + V_TX); break; }
    i--;
    if (i == 0) break;
    v = vs + <usize>(i - 1) * V_SIZE;
  }
  unlock(e);
  store<u64>(out, l0); store<u64>(out, l1, 8); store<u64>(out, l2, 16); store<u64>(out, l3, 24);
  return RESOLVE_VALUE;
}

// ---- writes ----
export let wroteNew: bool = false;

// Each worker bump-allocates version arrays from a chunk it took from the shared heap, so that the heap's top
// (a shared, contended cache line) is touched once per chunk instead of once per array.
const CHUNK: u32 = 64 << 10;
let chunkTop: usize = 0;
let chunkEnd: usize = 0;
export function mvResetChunk(): void { chunkTop = 0; chunkEnd = 0; spare = 0; }

function heapAlloc(size: usize): usize {
  const n = (size + 31) & ~(<usize>31);
  if (chunkTop + n > chunkEnd) {
    const want = n > <usize>CHUNK ? <u32>n : CHUNK;
    const p = atomic.add<u32>(md + MD_HEAP_TOP, want);
    if (<usize>p + want > <usize>load<u32>(md + MD_HEAP_END)) { mvFull = true; return 0; }
    chunkTop = <usize>p;
    chunkEnd = <usize>p + want;
  }
  const p = chunkTop;
  chunkTop += n;
  return p;
}

/** Writes (or overwrites) transaction j's version of a location. Sets `wroteNew` when j had none there. */
export function mvWrite(kind: u32, addr: usize, slot: usize, j: u32, inc: u32, flags: u32, epoch: u32, value: usize): bool {
  const e = mvFind(kind, addr, slot, true);
  if (e == 0) return false;
  lock(e);
  const i = lowerBound(e, j);
  let vs = <usize>load<u32>(e + L_VERS);
  const count = load<u32>(e + L_COUNT);
  let v: usize;
  if (i < count && load<u32>(vs + <usize>i * V_SIZE + V_TX) == j) {
    v = vs + <usize>i * V_SIZE;
  } else {
    if (count == load<u32>(e + L_CAP)) {
      const cap = count < 2 ? 4 : count * 2;
      const nv = heapAlloc(<usize>cap * V_SIZE);
      if (nv == 0) { unlock(e); return false; }
      if (count > 0) memory.copy(nv, vs, <usize>count * V_SIZE);
      vs = nv;
      store<u32>(e + L_VERS, <u32>nv);
      store<u32>(e + L_CAP, cap);
    }
    v = vs + <usize>i * V_SIZE;
    if (i < count) memory.copy(v + V_SIZE, v, <usize>(count - i) * V_SIZE);
    store<u32>(e + L_COUNT, count + 1);
    store<u32>(v + V_TX, j);
    wroteNew = true;
  }
  store<u32>(v + V_INC, inc);
  store<u32>(v + V_EPOCH, epoch);
  memory.copy(v + V_VALUE, value, 32);
  store<u32>(v + V_FLAGS, flags); // clears ESTIMATE
  unlock(e);
  return true;
}

/** Marks j's version of a location ESTIMATE (j was aborted), or removes it when `remove` (j no longer writes it). */
export function mvEstimateOrRemove(kind: u32, addr: usize, slot: usize, j: u32, remove: bool, keepInc: u32): void {
  const e = mvFind(kind, addr, slot, false);
  if (e == 0) return;
  lock(e);
  const i = lowerBound(e, j);
  const vs = <usize>load<u32>(e + L_VERS);
  const count = load<u32>(e + L_COUNT);
  if (i < count && load<u32>(vs + <usize>i * V_SIZE + V_TX) == j) {
    const v = vs + <usize>i * V_SIZE;
    if (!remove) store<u32>(v + V_FLAGS, load<u32>(v + V_FLAGS) | VF_ESTIMATE);
    else if (load<u32>(v + V_INC) != keepInc) {
      if (i + 1 < count) memory.copy(v, v + V_SIZE, <usize>(count - i - 1) * V_SIZE);
      store<u32>(e + L_COUNT, count - 1);
    }
  }
  unlock(e);
}

/**
 * The writers whose versions reader j's read of a location sees: the highest version below j, and for a
 * balance every delta down to (and including) the nearest full value. Appends their indices (u32) at `out`,
 * at most `max`; returns how many. Coordinator only, after the block.
 */
export function mvWriters(kind: u32, addr: usize, slot: usize, j: u32, out: usize, max: u32): u32 {
  const e = mvFind(kind, addr, slot, false);
  if (e == 0) return 0;
  let i = lowerBound(e, j);
  const vs = <usize>load<u32>(e + L_VERS);
  let n: u32 = 0;
  while (i > 0 && n < max) {
    const v = vs + <usize>(i - 1) * V_SIZE;
    store<u32>(out + (<usize>n << 2), load<u32>(v + V_TX));
    n++;
    if (kind != K_BAL || (load<u32>(v + V_FLAGS) & VF_DELTA) == 0) break;
    i--;
  }
  return n;
}
