// src/trie.ts builds roots in scratch memory with hand-written RLP (nodes, accounts, storage values). Here it
// is checked against a plain reference written the textbook way (nodes as nested lists, the generic RLP
// encoder, @noble/hashes keccak): random key sets with long keys, keys that are prefixes of others, repeated
// keys (the last wins) and empty values (absent); storage roots with edge-case words; account and receipt
// encodings; the receipts root.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { encodeAccount, secureTrieRoot, storageRoot, storageRootOfEntries, trieRoot, writeStorageEntries } from '../src/trie.js';
import { rlpEncode, type RlpInput } from '../src/rlp.js';
import { encodeReceipt, receiptsRoot, type Receipt } from '../src/receipts.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
let seed = 11;
const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed >>> 16; };
const bytes = (n: number, f: () => number = () => rnd() & 255) => Uint8Array.from({ length: n }, f);

// --- the reference ---------------------------------------------------------------------------------------
const nibbles = (k: Uint8Array) => Array.from(k).flatMap((b) => [b >> 4, b & 15]);
function hexPrefix(ns: number[], leaf: boolean): Uint8Array {
  const flag = (leaf ? 2 : 0) + (ns.length & 1);
  const all = ns.length & 1 ? [flag, ...ns] : [flag, 0, ...ns];
  return Uint8Array.from({ length: all.length / 2 }, (_, i) => (all[2 * i]! << 4) | all[2 * i + 1]!);
}
/** A node as the RLP structure its parent embeds: itself if its encoding is under 32 bytes, else its hash. */
function ref(node: RlpInput): RlpInput {
  const enc = rlpEncode(node);
  return enc.length < 32 ? node : keccak_256(enc);
}
function node(leaves: [number[], Uint8Array][], depth: number): RlpInput {
  if (leaves.length === 1) return [hexPrefix(leaves[0]![0].slice(depth), true), leaves[0]![1]];
  let cp = depth;
  while (leaves.every((l) => l[0].length > cp && l[0][cp] === leaves[0]![0][cp])) cp++;
  if (cp > depth) return [hexPrefix(leaves[0]![0].slice(depth, cp), false), ref(branch(leaves, cp))];
  return branch(leaves, depth);
}
function branch(leaves: [number[], Uint8Array][], depth: number): RlpInput {
  const out: RlpInput[] = [];
  for (let n = 0; n < 16; n++) {
    const sub = leaves.filter((l) => l[0].length > depth && l[0][depth] === n);
    out.push(sub.length ? ref(node(sub, depth + 1)) : new Uint8Array(0));
  }
  out.push(leaves.find((l) => l[0].length === depth)?.[1] ?? new Uint8Array(0));
  return out;
}
function referenceRoot(entries: [Uint8Array, Uint8Array][]): string {
  const last = new Map<string, [Uint8Array, Uint8Array]>();
  for (const [k, v] of entries) last.set(hex(k), [k, v]);
  const leaves = [...last.values()].filter(([, v]) => v.length > 0).map(([k, v]) => [nibbles(k), v] as [number[], Uint8Array]);
  leaves.sort((a, b) => { for (let i = 0; i < Math.min(a[0].length, b[0].length); i++) if (a[0][i] !== b[0][i]) return a[0][i]! - b[0][i]!; return a[0].length - b[0].length; });
  return hex(keccak_256(rlpEncode(leaves.length ? node(leaves, 0) : new Uint8Array(0))));
}
const word = (v: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((v >> BigInt(8 * (31 - i))) & 0xffn));

// --- the checks ------------------------------------------------------------------------------------------
test('trieRoot equals the reference on 1,500 random key sets', () => {
  for (let t = 0; t < 1500; t++) {
    const m = 1 + (rnd() % 30);
    const entries: [Uint8Array, Uint8Array][] = [];
    for (let i = 0; i < m; i++) {
      let k: Uint8Array;
      if (entries.length && rnd() % 3 === 0) {
        const p = entries[rnd() % entries.length]![0]; // a prefix of an earlier key, perhaps extended by a byte
        k = p.slice(0, rnd() % (p.length + 1));
        if (rnd() % 2) k = Uint8Array.from([...k, rnd() & 255]);
      } else k = bytes(rnd() % 4 === 0 ? 60 + (rnd() % 140) : rnd() % 6, () => (rnd() % 4 === 0 ? 0 : rnd() & 255));
      const v = rnd() % 7 === 0 ? new Uint8Array(0) : bytes(rnd() % 5 === 0 ? 50 + (rnd() % 300) : 1 + (rnd() % 40));
      entries.push([k, v]);
    }
    assert.is(hex(trieRoot(entries)), referenceRoot(entries), `set ${t}`);
  }
});

const EDGE = [0n, 1n, 127n, 128n, 255n, 256n, 0xffffffffffffn, 0x1000000000000n, (1n << 53n) + 1n, (1n << 256n) - 1n];
const bigWord = () => { let v = 0n; for (let i = rnd() % 33; i > 0; i--) v = (v << 8n) | BigInt(rnd() & 255); return v; };
const pick = () => (rnd() % 4 === 0 ? EDGE[rnd() % EDGE.length]! : bigWord());

test('storageRoot equals the reference (keys keccak(slot), values rlp(value), zero = absent, last wins)', () => {
  for (let t = 0; t < 600; t++) {
    const slots: [bigint, bigint][] = [];
    for (let i = rnd() % 25; i > 0; i--) slots.push([pick(), rnd() % 5 === 0 ? 0n : pick()]);
    if (slots.length > 2 && rnd() % 2) slots.push([slots[0]![0], rnd() % 2 ? 0n : pick()]);
    const ref = referenceRoot(slots.map(([s, v]) => [keccak_256(word(s)), v === 0n ? new Uint8Array(0) : rlpEncode(v)]));
    assert.is(hex(storageRoot(slots)), ref, `set ${t}: ${slots.map(([s, v]) => `${s}=${v}`).join(', ')}`);
  }
  assert.throws(() => storageRoot([[1n << 256n, 1n]]), RangeError);
  assert.throws(() => storageRoot([[1n, -1n]]), RangeError);
});

// The builder keeps its work arrays and value buffers between calls up to 65,536 entries and gives a larger
// trie its own: storage roots of small, large (own buffers) and again small tries, in that order, must equal
// the same entries' root through secureTrieRoot (which packs its own copy of keys and values).
test('storageRoot across the kept and one-off work buffers equals secureTrieRoot of the same entries', () => {
  for (const n of [3, 70_000, 20, 1_000]) {
    const slots: [bigint, bigint][] = [];
    for (let i = 0; i < n; i++) slots.push([pick(), rnd() % 9 === 0 ? 0n : pick()]);
    if (n > 3) slots.push([slots[1]![0], 0n], [slots[2]![0], 77n]); // a slot cleared, one rewritten
    const want = secureTrieRoot(slots.map(([s, v]) => [word(s), v === 0n ? new Uint8Array(0) : rlpEncode(v)] as [Uint8Array, Uint8Array]));
    assert.is(hex(storageRoot(slots)), hex(want), `${n} slots`);
  }
});

// Storage handed to a pool thread: entries written into a (shared) buffer, the root computed from them.
test('storageRootOfEntries of writeStorageEntries equals storageRoot of the same storage', () => {
  const mem = new Uint8Array(new SharedArrayBuffer(1 << 20));
  for (let t = 0; t < 300; t++) {
    const slots: [bigint, bigint][] = [];
    for (let i = rnd() % 40; i > 0; i--) slots.push([pick(), rnd() % 5 === 0 ? 0n : pick()]);
    if (slots.length > 2) slots.push([slots[0]![0], rnd() % 2 ? 0n : pick()]);
    const at = 8 + (rnd() % 64);
    const n = writeStorageEntries(mem, at, mem.length, slots);
    assert.is(n, slots.length);
    assert.is(hex(storageRootOfEntries(mem, at, n)), hex(storageRoot(slots)), `set ${t}`);
  }
  assert.is(writeStorageEntries(mem, 0, 100, [[1n, 1n], [2n, 2n]]), -1, 'does not fit');
  assert.throws(() => writeStorageEntries(mem, 0, mem.length, [[1n << 256n, 1n]]), RangeError);
});

test('encodeAccount equals the generic RLP of [nonce, balance, storage root, code hash]', () => {
  for (let t = 0; t < 3000; t++) {
    const nonce = t < 100 ? EDGE[t % 10]! : pick(), balance = t < 100 ? EDGE[Math.floor(t / 10)]! : pick();
    const codeHash = bytes(32);
    const storage = t % 7 === 0 ? new Map([[BigInt(t), BigInt(t) + 1n]]) : new Map<bigint, bigint>();
    const want = rlpEncode([nonce, balance, storageRoot(storage), codeHash]);
    assert.is(hex(encodeAccount({ address: new Uint8Array(20), nonce, balance, codeHash, storage })), hex(want), `nonce ${nonce} balance ${balance}`);
  }
});

test('encodeReceipt equals the generic RLP (typed: type || rlp), and receiptsRoot the reference', () => {
  const receipts: Receipt[] = [];
  for (let t = 0; t < 400; t++) {
    const logs = Array.from({ length: rnd() % 4 }, () => ({
      address: bytes(20), topics: Array.from({ length: rnd() % 5 }, () => bytes(32)),
      data: rnd() % 3 === 0 ? bytes(1, () => rnd() & 0xff) : bytes(rnd() % 3 === 0 ? 60 + (rnd() % 200) : rnd() % 40),
    }));
    const r: Receipt = {
      type: rnd() % 4, status: rnd() % 2, gasUsed: 21000n, cumulativeGasUsed: t < 10 ? EDGE[t]! : pick(),
      logs, logsBloom: bytes(256), contractAddress: undefined,
    } as Receipt;
    const body = rlpEncode([r.status === 1 ? Uint8Array.of(1) : new Uint8Array(0), r.cumulativeGasUsed, r.logsBloom, r.logs.map((l) => [l.address, l.topics, l.data])]);
    const want = r.type === 0 ? body : Uint8Array.from([r.type, ...body]);
    assert.is(hex(encodeReceipt(r)), hex(want), `receipt ${t}`);
    receipts.push(r);
  }
  for (const n of [1, 2, 127, 128, 129, 400]) {
    const some = receipts.slice(0, n);
    assert.is(hex(receiptsRoot(some)), referenceRoot(some.map((r, i) => [rlpEncode(i), encodeReceipt(r)])), `${n} receipts`);
  }
});

test.run();
