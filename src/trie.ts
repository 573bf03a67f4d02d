// Merkle-Patricia trie roots computed from a complete key/value set (Yellow Paper appendix D).
// Executing a block only ever needs the root of the final set, so instead of a mutable trie we
// sort the keys once and build each node by recursing on nibble ranges.
import { keccak256 as keccak_256 } from './keccak.js';
import { bigIntToBytes } from './hex.js';
import { rlpEncode } from './rlp.js';

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

interface Leaf {
  nibbles: Uint8Array;
  value: Uint8Array;
}

function toNibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i]! >> 4;
    out[2 * i + 1] = key[i]! & 15;
  }
  return out;
}

function compareNibbles(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

// Hex-prefix encoding (YP appendix C): flag nibble carries leaf/extension and odd/even length.
function hexPrefix(nibbles: Uint8Array, from: number, to: number, leaf: boolean): Uint8Array {
  const len = to - from;
  const odd = len & 1;
  const out = new Uint8Array(1 + (len >> 1));
  const flag = (leaf ? 2 : 0) + odd;
  let i = from;
  if (odd) out[0] = (flag << 4) | nibbles[i++]!;
  else out[0] = flag << 4;
  for (let o = 1; i < to; i += 2, o++) out[o] = (nibbles[i]! << 4) | nibbles[i + 1]!;
  return out;
}

// Nodes are written straight into buffers of their exact size: each value is copied once, into its leaf. The
// generic encoder (rlpEncode of the value, then a concatenation into the list) copied every 300-byte receipt
// twice more; with the hashing that was ~38 ms of a 10,000-receipt root (bench/README.md, entry 39).

/** Bytes of an RLP header for a payload of n bytes. */
function hdrLen(n: number): number { return n < 56 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 5; }

/** Writes the RLP header of an n-byte payload at o (base 0x80: string, 0xc0: list); returns the next offset. */
function putHdr(out: Uint8Array, o: number, n: number, base: number): number {
  if (n < 56) { out[o] = base + n; return o + 1; }
  const k = hdrLen(n) - 1;
  out[o++] = base + 55 + k;
  for (let i = k - 1; i >= 0; i--) out[o++] = (n >>> (8 * i)) & 0xff;
  return o;
}

/** Bytes of the RLP string of b. */
function strLen(b: Uint8Array): number { return b.length === 1 && b[0]! < 0x80 ? 1 : hdrLen(b.length) + b.length; }

/** Writes b as an RLP string at o; returns the next offset. */
function putStr(out: Uint8Array, o: number, b: Uint8Array): number {
  if (b.length === 1 && b[0]! < 0x80) { out[o] = b[0]!; return o + 1; }
  o = putHdr(out, o, b.length, 0x80);
  out.set(b, o);
  return o + b.length;
}

/** A two-item node: [hex-prefix path, value as a string] (a leaf) or [path, an encoded child] (an extension). */
function pairNode(path: Uint8Array, second: Uint8Array, secondIsEncoded: boolean): Uint8Array {
  const len = strLen(path) + (secondIsEncoded ? second.length : strLen(second));
  const out = new Uint8Array(hdrLen(len) + len);
  let o = putStr(out, putHdr(out, 0, len, 0xc0), path);
  if (secondIsEncoded) out.set(second, o);
  else o = putStr(out, o, second);
  return out;
}

// RLP list whose items are already encoded (needed to embed short child nodes verbatim).
function encodeList(parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(hdrLen(len) + len);
  let o = putHdr(out, 0, len, 0xc0);
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

const RLP_EMPTY = Uint8Array.of(0x80);

// A child reference: nodes under 32 bytes are inlined, others referenced by hash (an RLP string of 32 bytes).
function childRef(encoded: Uint8Array): Uint8Array {
  if (encoded.length < 32) return encoded;
  const out = new Uint8Array(33);
  out[0] = 0xa0;
  out.set(keccak_256(encoded), 1);
  return out;
}

// Encoded node for the sorted, distinct leaves [lo, hi) that all share their first `depth` nibbles.
function buildNode(leaves: Leaf[], lo: number, hi: number, depth: number): Uint8Array {
  if (hi - lo === 1) {
    const l = leaves[lo]!;
    return pairNode(hexPrefix(l.nibbles, depth, l.nibbles.length, true), l.value, false);
  }
  // In sorted order the prefix shared by all keys is the one shared by the first and last.
  const first = leaves[lo]!.nibbles;
  const last = leaves[hi - 1]!.nibbles;
  let cp = depth;
  const max = Math.min(first.length, last.length);
  while (cp < max && first[cp] === last[cp]) cp++;
  if (cp > depth) {
    const branch = buildBranch(leaves, lo, hi, cp);
    return pairNode(hexPrefix(first, depth, cp, false), childRef(branch), true);
  }
  return buildBranch(leaves, lo, hi, depth);
}

function buildBranch(leaves: Leaf[], lo: number, hi: number, depth: number): Uint8Array {
  const parts: Uint8Array[] = new Array(17);
  let value: Uint8Array = RLP_EMPTY;
  let i = lo;
  // A key that ends exactly here sorts first and becomes the branch value.
  if (leaves[i]!.nibbles.length === depth) {
    const v = leaves[i]!.value;
    value = new Uint8Array(strLen(v));
    putStr(value, 0, v);
    i++;
  }
  for (let nib = 0; nib < 16; nib++) {
    let j = i;
    while (j < hi && leaves[j]!.nibbles[depth] === nib) j++;
    parts[nib] = j > i ? childRef(buildNode(leaves, i, j, depth + 1)) : RLP_EMPTY;
    i = j;
  }
  parts[16] = value;
  return encodeList(parts);
}

/**
 * Root hash of the Merkle-Patricia trie holding the given entries. If a key repeats, the last
 * entry wins; an empty value means "absent" (as in a trie, where it deletes the key).
 * @param entries [key, value] pairs in any order
 * @returns 32-byte root hash
 */
export function trieRoot(entries: Iterable<readonly [Uint8Array, Uint8Array]>): Uint8Array {
  const all: Leaf[] = [];
  for (const [k, v] of entries) all.push({ nibbles: toNibbles(k), value: v });
  // Array.prototype.sort is stable, so among equal keys the input order survives and the last one wins.
  all.sort((a, b) => compareNibbles(a.nibbles, b.nibbles));
  const leaves: Leaf[] = [];
  for (let i = 0; i < all.length; i++) {
    const next = all[i + 1];
    if (next && compareNibbles(all[i]!.nibbles, next.nibbles) === 0) continue;
    if (all[i]!.value.length > 0) leaves.push(all[i]!);
  }
  if (leaves.length === 0) return EMPTY_TRIE_ROOT.slice();
  // The root is always hashed, even when its encoding is shorter than 32 bytes.
  return keccak_256(buildNode(leaves, 0, leaves.length, 0));
}

/**
 * Root of a "secure" trie: like {@link trieRoot} but every key is replaced by keccak256(key).
 * @param entries [key, value] pairs in any order
 * @returns 32-byte root hash
 */
export function secureTrieRoot(entries: Iterable<readonly [Uint8Array, Uint8Array]>): Uint8Array {
  const hashed: [Uint8Array, Uint8Array][] = [];
  for (const [k, v] of entries) hashed.push([keccak_256(k), v]);
  return trieRoot(hashed);
}

/**
 * Storage root of an account: values RLP(value) keyed by keccak256(pad32(slot)); zero values skipped.
 * @param storage [slot, value] pairs (slot and value are 256-bit)
 * @returns 32-byte root hash
 */
export function storageRoot(storage: Iterable<readonly [bigint, bigint]>): Uint8Array {
  const entries: [Uint8Array, Uint8Array][] = [];
  for (const [slot, value] of storage) {
    // A zero value must still override an earlier non-zero one for the same slot, so keep it as "absent".
    entries.push([bigIntToBytes(slot, 32), value === 0n ? new Uint8Array(0) : rlpEncode(value)]);
  }
  return secureTrieRoot(entries);
}

/**
 * RLP of an account as stored in the state trie: [nonce, balance, storageRoot, codeHash].
 * @param account the account
 */
export function encodeAccount(account: TrieAccount): Uint8Array {
  const sr = account.storageRoot ?? storageRoot(account.storage ?? []);
  return rlpEncode([account.nonce, account.balance, sr, account.codeHash]);
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
  return trieRoot(values.map((v, i) => [rlpEncode(i), v] as const));
}
