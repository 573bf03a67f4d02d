// Merkle-Patricia trie roots computed from a complete key/value set (Yellow Paper appendix D).
// Executing a block only ever needs the root of the final set, so instead of a mutable trie we
// sort the keys once and build each node by recursing on nibble ranges.
import { keccak256 as keccak_256, keccakAt, scratchView, SCRATCH } from './keccak.js';
import { rlpEncode } from './rlp.js';
import { hdrLen, putHdr, uintHex, uintLen, putUint, putWord } from './rlp-writer.js';

/** keccak256(rlp('')): the root of a trie with no entries. */
export const EMPTY_TRIE_ROOT: Uint8Array = keccak_256(Uint8Array.of(0x80));

/** keccak256(''): the code hash of an account without code. */
export const EMPTY_CODE_HASH: Uint8Array = keccak_256(new Uint8Array(0));

/** An account as stored in the state trie. */
export interface TrieAccount {
  /** 20-byte address; the trie key is keccak(address). */
  address: Uint8Array;
  /** Account nonce. */
  nonce: bigint;
  /** Balance in wei. */
  balance: bigint;
  /** keccak256 of the account code ({@link EMPTY_CODE_HASH} for none). */
  codeHash: Uint8Array;
  /** Storage slots; zero values are skipped. Ignored when `storageRoot` is given. */
  storage?: Iterable<readonly [bigint, bigint]>;
  /** Precomputed storage root (e.g. cached by the caller); overrides `storage`. */
  storageRoot?: Uint8Array;
}

// The builder encodes nodes straight into the host keccak instance's memory (src/keccak.ts, SCRATCH) and
// hashes them there: a child's encoding is replaced in place by its reference (itself when shorter than 32
// bytes, else 0xa0 and its hash), so its parent's children end up side by side and the parent is written
// around them. Only the root's hash is copied out. Before, every node, path and reference was a Uint8Array of
// its own and every hash a copy in and a copy out: 10,000 accounts took ~110 ms, most of it allocation and GC.

/**
 * Entries packed in two buffers (no array per key or value): key i is kb[ko[i], ko[i] + kl[i]) and value i is
 * vb[vo[i], vo[i] + vl[i]). An empty value means absent; of equal keys the last one counts.
 */
interface Packed { n: number; kb: Uint8Array; ko: Int32Array; kl: Int32Array; vb: Uint8Array; vo: Int32Array; vl: Int32Array }

// The builder's input (set by rootOf): the sorted, distinct keys with non-empty values, as offsets and lengths
// into the packed buffers.
let kb: Uint8Array = new Uint8Array(0);
let vb: Uint8Array = new Uint8Array(0);
let sko: Int32Array = new Int32Array(0);
let skl: Int32Array = new Int32Array(0);
let svo: Int32Array = new Int32Array(0);
let svl: Int32Array = new Int32Array(0);
/** Scratch memory and the first free byte of it. */
let mem: Uint8Array = new Uint8Array(0);
let top = 0;
/** Where encNode / encLeaf / encBranch put the node they encoded: [nodeAt, nodeAt + nodeLen). */
let nodeAt = 0;
let nodeLen = 0;

/** Nibble d of sorted key x (high nibble first). */
function nib(x: number, d: number): number {
  const b = kb[sko[x]! + (d >> 1)]!;
  return d & 1 ? b & 15 : b >> 4;
}

/** Bytes of the RLP string of the hex-prefix encoding of nibbles [from, to). */
function hpLen(from: number, to: number): number {
  const n = 1 + ((to - from) >> 1);
  return n === 1 ? 1 : hdrLen(n) + n; // one byte (flag nibble <= 3): below 0x80, its own RLP
}

/** Writes the RLP string of the hex-prefix encoding (YP appendix C) of nibbles [from, to) of sorted key x at o. */
function putHp(o: number, x: number, from: number, to: number, leaf: boolean): number {
  const len = to - from;
  const n = 1 + (len >> 1);
  if (n > 1) o = putHdr(mem, o, n, 0x80);
  const flag = (leaf ? 2 : 0) + (len & 1);
  let i = from;
  mem[o++] = len & 1 ? (flag << 4) | nib(x, i++) : flag << 4;
  for (; i < to; i += 2) mem[o++] = (nib(x, i) << 4) | nib(x, i + 1);
  return o;
}

/** Bytes of the RLP string of sorted value x. */
function valLen(x: number): number {
  const n = svl[x]!;
  return n === 1 && vb[svo[x]!]! < 0x80 ? 1 : hdrLen(n) + n;
}

/** Writes sorted value x as an RLP string at o in scratch memory. */
function putVal(o: number, x: number): number {
  const p = svo[x]!, n = svl[x]!;
  if (n === 1 && vb[p]! < 0x80) { mem[o] = vb[p]!; return o + 1; }
  o = putHdr(mem, o, n, 0x80);
  if (n > 64) mem.set(vb.subarray(p, p + n), o); // (a receipt's 256-byte bloom: one copy, not 256 stores)
  else for (let i = 0; i < n; i++) mem[o + i] = vb[p + i]!;
  return o + n;
}

/** Replaces the node at [nodeAt, nodeAt + nodeLen) by its reference at `at` (<= nodeAt); returns its end. */
function putRef(at: number): number {
  if (nodeLen < 32) {
    // (element stores: copyWithin over the shared scratch memory has a high fixed cost; at <= nodeAt)
    for (let i = 0; i < nodeLen; i++) mem[at + i] = mem[nodeAt + i]!;
    return at + nodeLen;
  }
  keccakAt(nodeAt, nodeLen, at + 1);
  mem[at] = 0xa0;
  return at + 33;
}

/** A leaf [hp(rest of key x), value x] at top. */
function encLeaf(x: number, depth: number): void {
  const end = skl[x]! * 2;
  const payload = hpLen(depth, end) + valLen(x);
  nodeAt = top;
  let o = putHdr(mem, top, payload, 0xc0);
  o = putHp(o, x, depth, end, true);
  top = putVal(o, x);
  nodeLen = top - nodeAt;
}

/** The node of the sorted keys [lo, hi), which share their first `depth` nibbles, at or after top. */
function encNode(lo: number, hi: number, depth: number): void {
  if (hi - lo === 1) { encLeaf(lo, depth); return; }
  // in sorted order, the prefix all the keys share is the one the first and the last share
  const max = Math.min(skl[lo]!, skl[hi - 1]!) * 2;
  let cp = depth;
  while (cp < max && nib(lo, cp) === nib(hi - 1, cp)) cp++;
  if (cp === depth) { encBranch(lo, hi, depth); return; }
  // an extension [hp(shared nibbles), reference to the branch]: room for its header and path first
  const path = hpLen(depth, cp);
  const refAt = top + 9 + path;
  top = refAt;
  encBranch(lo, hi, cp);
  top = putRef(refAt);
  const payload = path + (top - refAt);
  nodeAt = refAt - path - hdrLen(payload);
  putHp(putHdr(mem, nodeAt, payload, 0xc0), lo, depth, cp, false);
  nodeLen = top - nodeAt;
}

/** A branch over the sorted keys [lo, hi) at nibble `depth`: 16 child references and a value. */
function encBranch(lo: number, hi: number, depth: number): void {
  const payloadAt = top + 9; // room for the list header, written once the payload's length is known
  top = payloadAt;
  let i = lo;
  // a key that ends exactly here sorts first and becomes the branch value
  const valueAt = skl[i]! * 2 === depth ? i++ : -1;
  for (let n = 0; n < 16; n++) {
    let j = i;
    while (j < hi && nib(j, depth) === n) j++;
    if (j > i) {
      const at = top;
      encNode(i, j, depth + 1);
      top = putRef(at);
    } else mem[top++] = 0x80;
    i = j;
  }
  if (valueAt >= 0) top = putVal(top, valueAt);
  else mem[top++] = 0x80;
  const payload = top - payloadAt;
  nodeAt = payloadAt - hdrLen(payload);
  putHdr(mem, nodeAt, payload, 0xc0);
  nodeLen = top - nodeAt;
}

/** Compares packed keys i and j by their bytes (the order of their nibbles; a prefix first). */
function compareKeys(p: Packed, i: number, j: number): number {
  const a = p.ko[i]!, b = p.ko[j]!, la = p.kl[i]!, lb = p.kl[j]!;
  const n = Math.min(la, lb), k = p.kb;
  for (let x = 0; x < n; x++) if (k[a + x] !== k[b + x]) return k[a + x]! - k[b + x]!;
  return la - lb;
}

// The builder's work arrays, kept from call to call and grown when a trie is larger: a state root computes
// thousands of small storage tries (1,000 Uniswap swaps: 7,000 of 1-10 slots), and a dozen typed arrays per
// trie were a large part of their cost.
let head = new Float64Array(0);
let order = new Int32Array(0);
/** Work arrays and buffers are kept between calls up to this many entries, and value bytes (~2 MB in all). */
const KEEP_ENTRIES = 1 << 16, KEEP_BYTES = 1 << 20;
/** Makes the work arrays hold at least n entries (exactly n beyond KEEP_ENTRIES, replaced by the next call). */
function reserve(n: number): void {
  if (sko.length >= n && (sko.length <= KEEP_ENTRIES || n > KEEP_ENTRIES)) return;
  let c = 64;
  while (c < n) c *= 2;
  if (n > KEEP_ENTRIES) c = n;
  sko = new Int32Array(c); skl = new Int32Array(c); svo = new Int32Array(c); svl = new Int32Array(c);
  head = new Float64Array(c); order = new Int32Array(c);
}

/** The root of packed entries. */
function rootOf(p: Packed): Uint8Array {
  const n = p.n;
  reserve(n);
  // Keys sorted by their bytes, ties in input order (the sort is stable), so that among equal keys the last
  // one wins. The first 4 bytes compare as a number first: hashed keys rarely tie there.
  for (let i = 0; i < n; i++) {
    const o = p.ko[i]!, k = p.kb;
    head[i] = p.kl[i]! >= 4 ? ((k[o]! << 24) | (k[o + 1]! << 16) | (k[o + 2]! << 8) | k[o + 3]!) >>> 0 : -1;
    order[i] = i;
  }
  const before = (a: number, b: number): number => (head[a]! >= 0 && head[b]! >= 0 && head[a] !== head[b] ? head[a]! - head[b]! : compareKeys(p, a, b));
  if (n <= 16) {
    // (insertion sort, stable: the few slots of most storage tries)
    for (let i = 1; i < n; i++) {
      const x = order[i]!;
      let j = i - 1;
      while (j >= 0 && before(order[j]!, x) > 0) { order[j + 1] = order[j]!; j--; }
      order[j + 1] = x;
    }
  } else {
    const all = Array.from({ length: n }, (_, i) => i);
    all.sort(before); // (stable)
    for (let i = 0; i < n; i++) order[i] = all[i]!;
  }
  let m = 0, bytes = 0;
  for (let x = 0; x < n; x++) {
    const i = order[x]!;
    if (x + 1 < n && compareKeys(p, i, order[x + 1]!) === 0) continue;
    if (p.vl[i] === 0) continue;
    sko[m] = p.ko[i]!; skl[m] = p.kl[i]!; svo[m] = p.vo[i]!; svl[m] = p.vl[i]!;
    bytes += p.kl[i]! + p.vl[i]!;
    m++;
  }
  if (m === 0) return EMPTY_TRIE_ROOT.slice();
  kb = p.kb; vb = p.vb;
  // Room for every node if none were replaced by its reference: the leaves (keys and values), the branches
  // (fewer than the leaves, each at most 16 references, a value and headers) and the extensions (their paths
  // are prefixes shared by several keys: fewer bytes than the keys).
  mem = scratchView(2 * bytes + m * 640 + 4096);
  top = SCRATCH;
  try {
    encNode(0, m, 0);
    // the root is always hashed, even when its encoding is shorter than 32 bytes
    keccakAt(nodeAt, nodeLen, SCRATCH);
    return mem.slice(SCRATCH, SCRATCH + 32);
  } finally {
    kb = vb = EMPTY_BYTES;
  }
}
const EMPTY_BYTES = new Uint8Array(0);

/** Packs n = vs.length [key, value] pairs (copies them into two buffers); without `ks`, values only. */
function pack(ks: readonly Uint8Array[] | null, vs: readonly Uint8Array[]): Packed {
  const n = vs.length;
  let kBytes = 0, vBytes = 0;
  for (let i = 0; i < n; i++) { kBytes += ks ? ks[i]!.length : 0; vBytes += vs[i]!.length; }
  const p: Packed = { n, kb: new Uint8Array(kBytes), ko: new Int32Array(n), kl: new Int32Array(n), vb: new Uint8Array(vBytes), vo: new Int32Array(n), vl: new Int32Array(n) };
  let ko = 0, vo = 0;
  for (let i = 0; i < n; i++) {
    if (ks) { p.kb.set(ks[i]!, ko); p.ko[i] = ko; p.kl[i] = ks[i]!.length; ko += ks[i]!.length; }
    p.vb.set(vs[i]!, vo); p.vo[i] = vo; p.vl[i] = vs[i]!.length; vo += vs[i]!.length;
  }
  return p;
}

/**
 * Packed entries whose keys are keccak256 of the given keys (a secure trie), hashed in scratch memory one
 * after another and copied out at once; `key(i, at)` writes key i at `at` in the scratch view `m` and returns
 * its length (at most `maxKey` bytes).
 */
function hashedKeys(n: number, maxKey: number, key: (i: number, m: Uint8Array, at: number) => number): Packed['kb'] {
  const m = scratchView(32 * n + maxKey);
  const at = SCRATCH + 32 * n;
  for (let i = 0; i < n; i++) keccakAt(at, key(i, m, at), SCRATCH + 32 * i);
  return m.slice(SCRATCH, SCRATCH + 32 * n);
}
/** Offsets 0, 32, 64, ... and lengths 32 of (at least) n hashed keys: one pair of arrays, grown as needed. */
function hashedLayout(n: number): { ko: Int32Array; kl: Int32Array } {
  if (layout.ko.length >= n) return layout;
  let c = 64;
  while (c < n) c *= 2;
  const ko = new Int32Array(c), kl = new Int32Array(c).fill(32);
  for (let i = 0; i < c; i++) ko[i] = 32 * i;
  if (c <= KEEP_ENTRIES) layout = { ko, kl }; // (a larger one is not kept)
  return { ko, kl };
}
let layout = { ko: new Int32Array(0), kl: new Int32Array(0) };

/**
 * Root hash of the Merkle-Patricia trie holding the given entries. If a key repeats, the last
 * entry wins; an empty value means "absent" (as in a trie, where it deletes the key).
 * @param entries [key, value] pairs in any order
 * @returns 32-byte root hash
 */
export function trieRoot(entries: Iterable<readonly [Uint8Array, Uint8Array]>): Uint8Array {
  const ks: Uint8Array[] = [], vs: Uint8Array[] = [];
  for (const [k, v] of entries) { ks.push(k); vs.push(v); }
  return rootOf(pack(ks, vs));
}

/**
 * Root of a "secure" trie: like {@link trieRoot} but every key is replaced by keccak256(key).
 * @param entries [key, value] pairs in any order
 * @returns 32-byte root hash
 */
export function secureTrieRoot(entries: Iterable<readonly [Uint8Array, Uint8Array]>): Uint8Array {
  const ks: Uint8Array[] = [], vs: Uint8Array[] = [];
  let maxKey = 0;
  for (const [k, v] of entries) { ks.push(k); vs.push(v); if (k.length > maxKey) maxKey = k.length; }
  const p = pack(null, vs);
  const { ko, kl } = hashedLayout(ks.length);
  return rootOf({ ...p, kb: hashedKeys(ks.length, maxKey, (i, m, at) => { m.set(ks[i]!, at); return ks[i]!.length; }), ko, kl });
}

/**
 * Storage root of an account: values RLP(value) keyed by keccak256(pad32(slot)); zero values skipped.
 * @param storage [slot, value] pairs (slot and value are 256-bit)
 * @returns 32-byte root hash
 */
export function storageRoot(storage: Iterable<readonly [bigint, bigint]>): Uint8Array {
  const slots: bigint[] = [], values: bigint[] = [];
  for (const [slot, value] of storage) {
    if (slot < 0n || slot >= WORD_LIMIT) throw new RangeError(`storage slot ${slot} is not a 256-bit word`);
    if (value < 0n || value >= WORD_LIMIT) throw new RangeError(`storage value ${value} is not a 256-bit word`);
    slots.push(slot); values.push(value);
  }
  const n = slots.length;
  if (n === 0) return EMPTY_TRIE_ROOT.slice();
  // keys: keccak of each slot as 32 big-endian bytes; values: rlp(value), packed (a zero value must still
  // override an earlier non-zero one for the same slot, so it is kept, as "absent")
  const kb = hashedKeys(n, 32, (i, m, at) => { putWord(m, at, slots[i]!); return 32; });
  const hexes = values.map(uintHex);
  let bytes = 0;
  for (let i = 0; i < n; i++) if (values[i] !== 0n) bytes += uintLen(values[i]!, hexes[i]!);
  // (one value buffer and its offsets, kept from call to call: rootOf reads them only while it runs)
  // (a larger storage gets a buffer of its own, so that a rare huge one is not kept alive)
  let vb = stVals;
  if (bytes > KEEP_BYTES) vb = new Uint8Array(bytes);
  else if (stVals.length < bytes) vb = stVals = new Uint8Array(Math.max(bytes, 2 * stVals.length, 4096));
  const { vo, vl } = valueOffsets(n);
  let o = 0;
  for (let i = 0; i < n; i++) {
    vo[i] = o;
    if (values[i] !== 0n) o = putUint(vb, o, values[i]!, hexes[i]!);
    vl[i] = o - vo[i]!;
  }
  return rootOf({ n, kb, ...hashedLayout(n), vb, vo, vl });
}

const WORD_LIMIT = 1n << 256n;
let stVals = new Uint8Array(0), stOff = new Int32Array(0), stLen = new Int32Array(0);
/** Value offsets and lengths for n entries: kept between calls up to KEEP_ENTRIES (rootOf reads them only while it runs). */
function valueOffsets(n: number): { vo: Int32Array; vl: Int32Array } {
  if (n > KEEP_ENTRIES) return { vo: new Int32Array(n), vl: new Int32Array(n) };
  if (stOff.length < n) { stOff = new Int32Array(Math.max(n, 2 * stOff.length, 256)); stLen = new Int32Array(stOff.length); }
  return { vo: stOff, vl: stLen };
}

// Storage handed to another thread (a pool thread computes part of a parallel block's storage roots): each
// entry in STORAGE_ENTRY_BYTES, the slot as 32 big-endian bytes, then the length of its value's RLP (one byte,
// 0 for a zero value: absent) and that RLP (at most 33 bytes). Entries keep their order (the last of a slot wins).
export const STORAGE_ENTRY_BYTES = 66;

/**
 * Writes `storage`'s entries at `at` in `out`, in order; returns how many, or -1 when they do not fit before
 * `end` (nothing is promised about the bytes written then).
 * @throws RangeError for a slot or value that is not a 256-bit word (as storageRoot)
 */
export function writeStorageEntries(out: Uint8Array, at: number, end: number, storage: Iterable<readonly [bigint, bigint]>): number {
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let n = 0;
  for (const [slot, value] of storage) {
    if (slot < 0n || slot >= WORD_LIMIT) throw new RangeError(`storage slot ${slot} is not a 256-bit word`);
    if (value < 0n || value >= WORD_LIMIT) throw new RangeError(`storage value ${value} is not a 256-bit word`);
    if (at + STORAGE_ENTRY_BYTES > end) return -1;
    // big-endian limbs, lowest last (setBigUint64 keeps the low 64 bits of what it is given)
    let v = slot;
    for (let k = 24; k >= 0; k -= 8) { dv.setBigUint64(at + k, v, false); if (k > 0) v >>= 64n; }
    if (value === 0n) out[at + 32] = 0;
    else out[at + 32] = putUint(out, at + 33, value, uintHex(value)) - (at + 33);
    at += STORAGE_ENTRY_BYTES;
    n++;
  }
  return n;
}

/** The storage root of the n entries at `at` in `src` written by writeStorageEntries (storageRoot of the same storage). */
export function storageRootOfEntries(src: Uint8Array, at: number, n: number): Uint8Array {
  if (n === 0) return EMPTY_TRIE_ROOT.slice();
  // (offsets relative to the entries: the memory they are in may be larger than an Int32Array can index)
  const region = src.subarray(at, at + n * STORAGE_ENTRY_BYTES);
  const kb = hashedKeys(n, 32, (i, m, o) => { const q = i * STORAGE_ENTRY_BYTES; for (let b = 0; b < 32; b++) m[o + b] = region[q + b]!; return 32; });
  const { vo, vl } = valueOffsets(n);
  for (let i = 0; i < n; i++) { vo[i] = i * STORAGE_ENTRY_BYTES + 33; vl[i] = region[i * STORAGE_ENTRY_BYTES + 32]!; }
  return rootOf({ n, kb, ...hashedLayout(n), vb: region, vo, vl });
}

/**
 * RLP of an account as stored in the state trie: [nonce, balance, storageRoot, codeHash].
 * @param account the account
 */
export function encodeAccount(account: TrieAccount): Uint8Array {
  const st = account.storage;
  const sr = account.storageRoot ?? storageRootOf(st);
  const { nonce, balance, codeHash } = account;
  if (nonce < 0n || balance < 0n || sr.length !== 32 || codeHash.length !== 32) return rlpEncode([nonce, balance, sr, codeHash]);
  const n = uintHex(nonce), b = uintHex(balance);
  const out = new Uint8Array(accountLen(nonce, n, balance, b));
  putAccount(out, 0, nonce, n, balance, b, sr, codeHash);
  return out;
}

/** The storage root of an account's storage (most have none: the empty root without building a trie). */
export function storageRootOf(st: Iterable<readonly [bigint, bigint]> | undefined): Uint8Array {
  return st === undefined || (st instanceof Map && st.size === 0) || (Array.isArray(st) && st.length === 0) ? EMPTY_TRIE_ROOT : storageRoot(st);
}

// An account's RLP written directly (~10x the generic encoder's speed, which was a third of a 10,000-account
// state root): [nonce, balance, storage root, code hash].
function accountLen(nonce: bigint, n: string, balance: bigint, b: string): number {
  const payload = uintLen(nonce, n) + uintLen(balance, b) + 66;
  return hdrLen(payload) + payload;
}
function putAccount(out: Uint8Array, o: number, nonce: bigint, n: string, balance: bigint, b: string, sr: Uint8Array, codeHash: Uint8Array): number {
  o = putHdr(out, o, uintLen(nonce, n) + uintLen(balance, b) + 66, 0xc0);
  o = putUint(out, o, nonce, n);
  o = putUint(out, o, balance, b);
  out[o] = 0xa0; out.set(sr, o + 1);
  out[o + 33] = 0xa0; out.set(codeHash, o + 34);
  return o + 66;
}

/** The trie keys of n accounts, keccak256 of each address (`address` as for accountsRoot), 32 bytes each. */
export function accountKeys(n: number, address: (i: number, m: Uint8Array, at: number) => void): Uint8Array {
  return hashedKeys(n, 20, (i, m, at) => { address(i, m, at); return 20; });
}

/**
 * The world-state root of n accounts given as parallel arrays (no object per account): `address(i, m, at)`
 * writes account i's 20-byte address at `at` in the scratch view m. Nonces and balances must be
 * non-negative; storage roots and code hashes 32 bytes. `keys`: accountKeys of the same addresses, when
 * they were hashed already (while a pool thread computed storage roots, say).
 */
export function accountsRoot(n: number, address: (i: number, m: Uint8Array, at: number) => void, nonce: readonly bigint[], balance: readonly bigint[], storageRoots: readonly Uint8Array[], codeHashes: readonly Uint8Array[], keys?: Uint8Array): Uint8Array {
  const kb = keys ?? accountKeys(n, address);
  const nh = nonce.map(uintHex), bh = balance.map(uintHex);
  let bytes = 0;
  for (let i = 0; i < n; i++) bytes += accountLen(nonce[i]!, nh[i]!, balance[i]!, bh[i]!);
  const vb = new Uint8Array(bytes), vo = new Int32Array(n), vl = new Int32Array(n);
  let o = 0;
  for (let i = 0; i < n; i++) {
    if (nonce[i]! < 0n || balance[i]! < 0n || storageRoots[i]!.length !== 32 || codeHashes[i]!.length !== 32) throw new RangeError(`account ${i}: a negative nonce or balance, or a root or hash not 32 bytes`);
    vo[i] = o;
    o = putAccount(vb, o, nonce[i]!, nh[i]!, balance[i]!, bh[i]!, storageRoots[i]!, codeHashes[i]!);
    vl[i] = o - vo[i]!;
  }
  return rootOf({ n, kb, ...hashedLayout(n), vb, vo, vl });
}

/**
 * World-state root: RLP accounts keyed by keccak256(address).
 * @param accounts accounts in any order (an address appearing twice: the last wins)
 * @returns 32-byte root hash
 */
export function stateRoot(accounts: Iterable<TrieAccount>): Uint8Array {
  const list = [...accounts];
  if (list.some((a) => a.nonce < 0n || a.balance < 0n || a.codeHash.length !== 32 || a.address.length !== 20 || (a.storageRoot && a.storageRoot.length !== 32))) {
    return secureTrieRoot(list.map((a) => [a.address, encodeAccount(a)] as const)); // (odd input: the generic path)
  }
  return accountsRoot(list.length, (i, m, at) => m.set(list[i]!.address, at), list.map((a) => a.nonce), list.map((a) => a.balance),
    list.map((a) => a.storageRoot ?? storageRootOf(a.storage)), list.map((a) => a.codeHash));
}

/**
 * Root of a list trie (transactions, receipts, withdrawals): value i is keyed by rlp(i).
 * @param values encoded items in list order
 * @returns 32-byte root hash
 */
export function ordinalTrieRoot(values: readonly Uint8Array[]): Uint8Array {
  const p = pack(null, values);
  return ordinalRoot(values.length, p.vb, p.vo, p.vl);
}

/** The root of a list trie whose n values are packed: value i is vb[vo[i], vo[i] + vl[i]). */
export function ordinalRoot(n: number, vb: Uint8Array, vo: Int32Array, vl: Int32Array): Uint8Array {
  if (n >= 1 << 24) throw new RangeError(`a list trie of ${n} items`);
  // keys rlp(i): 0x80 for 0, the byte itself below 0x80, else a header and the big-endian bytes
  const kb = new Uint8Array(4 * n), ko = new Int32Array(n), kl = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = 4 * i;
    ko[i] = o;
    if (i === 0) { kb[o] = 0x80; kl[i] = 1; } else if (i < 0x80) { kb[o] = i; kl[i] = 1; } else {
      const len = i < 0x100 ? 1 : i < 0x10000 ? 2 : 3;
      kb[o] = 0x80 + len;
      for (let k = 0; k < len; k++) kb[o + 1 + k] = (i >>> (8 * (len - 1 - k))) & 0xff;
      kl[i] = 1 + len;
    }
  }
  return rootOf({ n, kb, ko, kl, vb, vo, vl });
}
