// Merkle-Patricia trie roots computed from a complete key/value set (Yellow Paper appendix D).
// Executing a block only ever needs the root of the final set, so instead of a mutable trie we
// sort the keys once and build each node by recursing on nibble ranges.
import { keccak256 as keccak_256, keccakAt, scratchView, SCRATCH } from './keccak.js';
import { bigIntToBytes } from './hex.js';
import { rlpEncode } from './rlp.js';
import { hdrLen, putHdr, strLen, putStr, uintHex, uintLen, putUint, putWord, rlpUint } from './rlp-writer.js';

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

/** Sorted, distinct keys with non-empty values (set by trieRoot for the builder). */
let keys: Uint8Array[] = [];
let vals: Uint8Array[] = [];
/** Scratch memory and the first free byte of it. */
let mem: Uint8Array = new Uint8Array(0);
let top = 0;
/** Where encNode / encLeaf / encBranch put the node they encoded: [nodeAt, nodeAt + nodeLen). */
let nodeAt = 0;
let nodeLen = 0;

/** Nibble d of key k (high nibble first). */
function nib(k: Uint8Array, d: number): number {
  const b = k[d >> 1]!;
  return d & 1 ? b & 15 : b >> 4;
}

/** Bytes of the RLP string of the hex-prefix encoding of nibbles [from, to). */
function hpLen(from: number, to: number): number {
  const n = 1 + ((to - from) >> 1);
  return n === 1 ? 1 : hdrLen(n) + n; // one byte (flag nibble <= 3): below 0x80, its own RLP
}

/** Writes the RLP string of the hex-prefix encoding (YP appendix C) of key nibbles [from, to) at o. */
function putHp(o: number, k: Uint8Array, from: number, to: number, leaf: boolean): number {
  const len = to - from;
  const n = 1 + (len >> 1);
  if (n > 1) o = putHdr(mem, o, n, 0x80);
  const flag = (leaf ? 2 : 0) + (len & 1);
  let i = from;
  mem[o++] = len & 1 ? (flag << 4) | nib(k, i++) : flag << 4;
  for (; i < to; i += 2) mem[o++] = (nib(k, i) << 4) | nib(k, i + 1);
  return o;
}

/** Writes b as an RLP string at o in scratch memory. */
function putStrAt(o: number, b: Uint8Array): number { return putStr(mem, o, b); }

/** Replaces the node at [nodeAt, nodeAt + nodeLen) by its reference at `at` (<= nodeAt); returns its end. */
function putRef(at: number): number {
  if (nodeLen < 32) {
    mem.copyWithin(at, nodeAt, nodeAt + nodeLen);
    return at + nodeLen;
  }
  keccakAt(nodeAt, nodeLen, at + 1);
  mem[at] = 0xa0;
  return at + 33;
}

/** A leaf [hp(rest of key i), value i] at top. */
function encLeaf(i: number, depth: number): void {
  const k = keys[i]!, v = vals[i]!;
  const end = k.length * 2;
  const payload = hpLen(depth, end) + strLen(v);
  nodeAt = top;
  let o = putHdr(mem, top, payload, 0xc0);
  o = putHp(o, k, depth, end, true);
  top = putStrAt(o, v);
  nodeLen = top - nodeAt;
}

/** The node of the keys [lo, hi), which share their first `depth` nibbles, at or after top. */
function encNode(lo: number, hi: number, depth: number): void {
  if (hi - lo === 1) { encLeaf(lo, depth); return; }
  // in sorted order, the prefix all the keys share is the one the first and the last share
  const first = keys[lo]!, last = keys[hi - 1]!;
  const max = Math.min(first.length, last.length) * 2;
  let cp = depth;
  while (cp < max && nib(first, cp) === nib(last, cp)) cp++;
  if (cp === depth) { encBranch(lo, hi, depth); return; }
  // an extension [hp(shared nibbles), reference to the branch]: room for its header and path first
  const path = hpLen(depth, cp);
  const refAt = top + 9 + path;
  top = refAt;
  encBranch(lo, hi, cp);
  top = putRef(refAt);
  const payload = path + (top - refAt);
  nodeAt = refAt - path - hdrLen(payload);
  putHp(putHdr(mem, nodeAt, payload, 0xc0), first, depth, cp, false);
  nodeLen = top - nodeAt;
}

/** A branch over the keys [lo, hi) at nibble `depth`: 16 child references and a value. */
function encBranch(lo: number, hi: number, depth: number): void {
  const payloadAt = top + 9; // room for the list header, written once the payload's length is known
  top = payloadAt;
  let i = lo;
  // a key that ends exactly here sorts first and becomes the branch value
  const valueAt = keys[i]!.length * 2 === depth ? i++ : -1;
  for (let n = 0; n < 16; n++) {
    let j = i;
    while (j < hi && nib(keys[j]!, depth) === n) j++;
    if (j > i) {
      const at = top;
      encNode(i, j, depth + 1);
      top = putRef(at);
    } else mem[top++] = 0x80;
    i = j;
  }
  if (valueAt >= 0) top = putStrAt(top, vals[valueAt]!);
  else mem[top++] = 0x80;
  const payload = top - payloadAt;
  nodeAt = payloadAt - hdrLen(payload);
  putHdr(mem, nodeAt, payload, 0xc0);
  nodeLen = top - nodeAt;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Root hash of the Merkle-Patricia trie holding the given entries. If a key repeats, the last
 * entry wins; an empty value means "absent" (as in a trie, where it deletes the key).
 * @param entries [key, value] pairs in any order
 * @returns 32-byte root hash
 */
export function trieRoot(entries: Iterable<readonly [Uint8Array, Uint8Array]>): Uint8Array {
  const ks: Uint8Array[] = [], vs: Uint8Array[] = [];
  for (const [k, v] of entries) { ks.push(k); vs.push(v); }
  // Keys sorted by their bytes (the order of their nibbles), ties in input order (the sort is stable), so that
  // among equal keys the last one wins. The first 4 bytes compare as a number first: hashed keys rarely tie there.
  const head = ks.map((k) => k.length >= 4 ? ((k[0]! << 24) | (k[1]! << 16) | (k[2]! << 8) | k[3]!) >>> 0 : -1);
  const order = ks.map((_, i) => i);
  order.sort((a, b) => (head[a]! >= 0 && head[b]! >= 0 && head[a] !== head[b] ? head[a]! - head[b]! : compareBytes(ks[a]!, ks[b]!)));
  keys = []; vals = [];
  let bytes = 0;
  for (let x = 0; x < order.length; x++) {
    const i = order[x]!;
    const next = order[x + 1];
    if (next !== undefined && compareBytes(ks[i]!, ks[next]!) === 0) continue;
    if (vs[i]!.length === 0) continue;
    keys.push(ks[i]!); vals.push(vs[i]!);
    bytes += ks[i]!.length + vs[i]!.length;
  }
  if (keys.length === 0) return EMPTY_TRIE_ROOT.slice();
  // Room for every node if none were replaced by its reference: the leaves (keys and values), the branches
  // (fewer than the leaves, each at most 16 references, a value and headers) and the extensions (their paths
  // are prefixes shared by several keys: fewer bytes than the keys).
  mem = scratchView(2 * bytes + keys.length * 640 + 4096);
  top = SCRATCH;
  try {
    encNode(0, keys.length, 0);
    // the root is always hashed, even when its encoding is shorter than 32 bytes
    keccakAt(nodeAt, nodeLen, SCRATCH);
    return mem.slice(SCRATCH, SCRATCH + 32);
  } finally {
    keys = []; vals = [];
  }
}

/**
 * Root of a "secure" trie: like {@link trieRoot} but every key is replaced by keccak256(key).
 * @param entries [key, value] pairs in any order
 * @returns 32-byte root hash
 */
export function secureTrieRoot(entries: Iterable<readonly [Uint8Array, Uint8Array]>): Uint8Array {
  const ks: Uint8Array[] = [], vs: Uint8Array[] = [];
  let bytes = 0;
  for (const [k, v] of entries) { ks.push(k); vs.push(v); bytes += k.length; }
  // the keys hashed in scratch memory, after one another, and copied out at once
  const n = ks.length;
  let m = scratchView(32 * n + bytes);
  const at = SCRATCH + 32 * n;
  for (let i = 0; i < n; i++) {
    m.set(ks[i]!, at);
    keccakAt(at, ks[i]!.length, SCRATCH + 32 * i);
  }
  m = m.slice(SCRATCH, SCRATCH + 32 * n);
  const hashed: [Uint8Array, Uint8Array][] = new Array(n);
  for (let i = 0; i < n; i++) hashed[i] = [m.subarray(32 * i, 32 * i + 32), vs[i]!];
  return trieRoot(hashed);
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
  // the keys: each slot as 32 big-endian bytes, hashed in place in scratch memory, then copied out at once
  const m = scratchView(32 * n);
  for (let i = 0; i < n; i++) {
    const at = SCRATCH + 32 * i;
    putWord(m, at, slots[i]!);
    keccakAt(at, 32, at);
  }
  const keys = m.slice(SCRATCH, SCRATCH + 32 * n);
  const entries: [Uint8Array, Uint8Array][] = new Array(n);
  for (let i = 0; i < n; i++) {
    // A zero value must still override an earlier non-zero one for the same slot, so keep it as "absent".
    entries[i] = [keys.subarray(32 * i, 32 * i + 32), values[i] === 0n ? NO_VALUE : rlpUint(values[i]!)];
  }
  return trieRoot(entries);
}

const WORD_LIMIT = 1n << 256n;

const NO_VALUE = new Uint8Array(0);

/**
 * RLP of an account as stored in the state trie: [nonce, balance, storageRoot, codeHash].
 * @param account the account
 */
export function encodeAccount(account: TrieAccount): Uint8Array {
  const st = account.storage;
  // (most accounts have no storage: the empty root without building a trie)
  const sr = account.storageRoot ?? (st === undefined || (st instanceof Map && st.size === 0) ? EMPTY_TRIE_ROOT : storageRoot(st));
  const { nonce, balance, codeHash } = account;
  if (nonce < 0n || balance < 0n || sr.length !== 32 || codeHash.length !== 32) return rlpEncode([nonce, balance, sr, codeHash]);
  // written directly (~10x the generic encoder's speed, which was a third of a 10,000-account state root)
  const n = uintHex(nonce), b = uintHex(balance);
  const payload = uintLen(nonce, n) + uintLen(balance, b) + 66;
  const out = new Uint8Array(hdrLen(payload) + payload);
  let o = putHdr(out, 0, payload, 0xc0);
  o = putUint(out, o, nonce, n);
  o = putUint(out, o, balance, b);
  out[o] = 0xa0; out.set(sr, o + 1);
  out[o + 33] = 0xa0; out.set(codeHash, o + 34);
  return out;
}



/**
 * World-state root: RLP accounts keyed by keccak256(address).
 * @param accounts accounts in any order (an address appearing twice: the last wins)
 * @returns 32-byte root hash
 */
export function stateRoot(accounts: Iterable<TrieAccount>): Uint8Array {
  const entries: [Uint8Array, Uint8Array][] = [];
  for (const a of accounts) entries.push([a.address, encodeAccount(a)]);
  return secureTrieRoot(entries);
}

/**
 * Root of a list trie (transactions, receipts, withdrawals): value i is keyed by rlp(i).
 * @param values encoded items in list order
 * @returns 32-byte root hash
 */
export function ordinalTrieRoot(values: readonly Uint8Array[]): Uint8Array {
  return trieRoot(values.map((v, i) => [rlpUint(BigInt(i)), v] as const));
}
