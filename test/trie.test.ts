// Merkle-Patricia roots: well-known constants plus single-node roots built by hand from
// keccak(rlp(node)) following the Yellow Paper's hex-prefix and node encodings.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bigIntToBytes, bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '../src/hex.js';
import { rlpEncode } from '../src/rlp.js';
import { EMPTY_CODE_HASH, EMPTY_TRIE_ROOT, ordinalTrieRoot, secureTrieRoot, stateRoot, storageRoot, trieRoot } from '../src/trie.js';

const s = utf8ToBytes;
const hex = bytesToHex;

test('empty trie root and empty code hash constants', () => {
  assert.is(hex(trieRoot([])), '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421');
  assert.is(hex(EMPTY_TRIE_ROOT), '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421');
  assert.is(hex(EMPTY_CODE_HASH), '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  assert.is(hex(secureTrieRoot([])), hex(EMPTY_TRIE_ROOT));
  assert.is(hex(stateRoot([])), hex(EMPTY_TRIE_ROOT));
  // Only empty values: nothing is stored.
  assert.is(hex(trieRoot([[s('a'), new Uint8Array(0)]])), hex(EMPTY_TRIE_ROOT));
});

test('one key: a single leaf node, hashed by hand', () => {
  // Key 'A' = 0x41 -> nibbles [4, 1] (even) -> hex prefix 0x20 0x41 for a leaf.
  const value = s('a'.repeat(50));
  const leaf = rlpEncode([Uint8Array.of(0x20, 0x41), value]);
  const expected = hex(keccak_256(leaf));
  assert.is(hex(trieRoot([[s('A'), value]])), expected);
  // Same vector as ethereum/tests trieanyorder "singleItem".
  assert.is(expected, '0xd23786fb4a010da3ce639d66d5e904a11dbc02746d1ce25029e53290cabf28ab');
  // Ordinal trie, index 0: key rlp(0) = 0x80 -> nibbles [8, 0] -> leaf prefix 0x20 0x80.
  const v = s('receipt');
  assert.is(hex(ordinalTrieRoot([v])), hex(keccak_256(rlpEncode([Uint8Array.of(0x20, 0x80), v]))));
});

test('short nodes are inlined, the root is always hashed', () => {
  // Keys 0x01 -> 'a', 0x02 -> 'b': nibbles [0,1] and [0,2] share [0] -> extension to a branch.
  const leafA = hexToBytes('0xc22061'); // rlp([0x20 (leaf, empty path), 'a'])
  const leafB = hexToBytes('0xc22062');
  const empty = Uint8Array.of(0x80);
  const slots = [empty, leafA, leafB, ...Array(13).fill(empty), empty]; // 16 children + value
  const payload = concatBytes(...slots);
  assert.is(payload.length, 21);
  const branch = concatBytes(Uint8Array.of(0xc0 + payload.length), payload); // 22 bytes < 32: inlined
  // Extension path [0] is odd: flag 1 -> single byte 0x10, which RLP encodes as itself.
  const ext = concatBytes(Uint8Array.of(0xc0 + 1 + branch.length, 0x10), branch);
  const root = trieRoot([[Uint8Array.of(1), s('a')], [Uint8Array.of(2), s('b')]]);
  assert.is(hex(root), hex(keccak_256(ext)));
  // Keys 0x01, 0x12 split at the first nibble: the root is a branch holding two leaves with
  // one-nibble (odd) paths, hex prefix 0x31 and 0x32.
  const b2 = [hexToBytes('0xc23161'), hexToBytes('0xc23262'), ...Array(14).fill(empty), empty];
  const p2 = concatBytes(...b2);
  const branch2 = concatBytes(Uint8Array.of(0xc0 + p2.length), p2);
  assert.is(hex(trieRoot([[Uint8Array.of(0x01), s('a')], [Uint8Array.of(0x12), s('b')]])), hex(keccak_256(branch2)));
  // A child whose encoding is exactly 32 bytes is referenced by hash, not inlined:
  // leaf rlp([0x31, 29-byte value]) = 1 + 1 + 1 + 29 = 32 bytes.
  const v29 = s('x'.repeat(29));
  const leaf32 = rlpEncode([Uint8Array.of(0x31), v29]);
  assert.is(leaf32.length, 32);
  const b3 = [rlpEncode(keccak_256(leaf32)), hexToBytes('0xc23262'), ...Array(14).fill(empty), empty];
  const p3 = concatBytes(...b3);
  assert.is(p3.length, 51);
  const branch3 = concatBytes(Uint8Array.of(0xc0 + p3.length), p3);
  assert.is(hex(trieRoot([[Uint8Array.of(0x01), v29], [Uint8Array.of(0x12), s('b')]])), hex(keccak_256(branch3)));
});

test('classic example: do/dog/doge/horse', () => {
  const entries: [Uint8Array, Uint8Array][] = [
    [s('do'), s('verb')],
    [s('dog'), s('puppy')],
    [s('doge'), s('coin')],
    [s('horse'), s('stallion')],
  ];
  const expected = '0x5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84';
  assert.is(hex(trieRoot(entries)), expected);
  // Order does not matter.
  assert.is(hex(trieRoot([...entries].reverse())), expected);
  // Last write wins; an empty value deletes.
  const withUpdates: [Uint8Array, Uint8Array][] = [
    [s('dog'), s('kitten')],
    ...entries,
    [s('ether'), s('wookiedoo')],
    [s('ether'), new Uint8Array(0)],
  ];
  assert.is(hex(trieRoot(withUpdates)), expected);
  assert.is.not(hex(trieRoot(entries.slice(1))), expected);
});

test('secure trie hashes keys', () => {
  const entries: [Uint8Array, Uint8Array][] = [[s('foo'), s('bar')], [s('food'), s('bass')]];
  const hashed = entries.map(([k, v]) => [keccak_256(k), v] as [Uint8Array, Uint8Array]);
  assert.is(hex(secureTrieRoot(entries)), hex(trieRoot(hashed)));
  assert.is.not(hex(secureTrieRoot(entries)), hex(trieRoot(entries)));
});

test('stateRoot: one account, built by hand', () => {
  const address = hexToBytes('0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b');
  const acct = { address, nonce: 1n, balance: 10n ** 18n, codeHash: EMPTY_CODE_HASH, storage: [] as [bigint, bigint][] };
  const accountRlp = rlpEncode([1n, 10n ** 18n, EMPTY_TRIE_ROOT, EMPTY_CODE_HASH]);
  // 64-nibble key (even): leaf prefix 0x20 followed by the hashed address.
  const leaf = rlpEncode([concatBytes(Uint8Array.of(0x20), keccak_256(address)), accountRlp]);
  assert.is(hex(stateRoot([acct])), hex(keccak_256(leaf)));

  // Storage: slot 1 = 0x2a. Zero-valued slots are not stored.
  const slotKey = keccak_256(bigIntToBytes(1n, 32));
  const storageLeaf = rlpEncode([concatBytes(Uint8Array.of(0x20), slotKey), rlpEncode(0x2an)]);
  const sr = keccak_256(storageLeaf);
  assert.is(hex(storageRoot([[1n, 0x2an], [2n, 0n]])), hex(sr));
  assert.is(hex(storageRoot([[2n, 0n]])), hex(EMPTY_TRIE_ROOT));
  // A later zero overrides an earlier value for the same slot.
  assert.is(hex(storageRoot([[1n, 5n], [1n, 0n]])), hex(EMPTY_TRIE_ROOT));
  const withStorage = { ...acct, storage: [[1n, 0x2an], [7n, 0n]] as [bigint, bigint][] };
  const leaf2 = rlpEncode([concatBytes(Uint8Array.of(0x20), keccak_256(address)), rlpEncode([1n, 10n ** 18n, sr, EMPTY_CODE_HASH])]);
  assert.is(hex(stateRoot([withStorage])), hex(keccak_256(leaf2)));
  // A precomputed storage root takes precedence over the slot list.
  assert.is(hex(stateRoot([{ ...acct, storage: [[9n, 9n]], storageRoot: sr }])), hex(keccak_256(leaf2)));
});

test('stateRoot is independent of account order', () => {
  const mk = (i: number) => ({
    address: bigIntToBytes(BigInt(i) * 0x1111n, 20),
    nonce: BigInt(i),
    balance: BigInt(i) * 1000n,
    codeHash: EMPTY_CODE_HASH,
    storage: [[BigInt(i), BigInt(i + 1)]] as [bigint, bigint][],
  });
  const accounts = Array.from({ length: 40 }, (_, i) => mk(i));
  const a = hex(stateRoot(accounts));
  assert.is(hex(stateRoot([...accounts].reverse())), a);
  assert.is.not(hex(stateRoot(accounts.slice(1))), a);
});

test('ordinalTrieRoot keys by rlp(index)', () => {
  const values = Array.from({ length: 130 }, (_, i) => s(`value-${i}`));
  const expected = trieRoot(values.map((v, i) => [rlpEncode(i), v] as [Uint8Array, Uint8Array]));
  assert.is(hex(ordinalTrieRoot(values)), hex(expected));
  assert.is(hex(ordinalTrieRoot([])), hex(EMPTY_TRIE_ROOT));
  // Swapping two items changes the root (position is part of the key).
  const swapped = [values[1]!, values[0]!, ...values.slice(2)];
  assert.is.not(hex(ordinalTrieRoot(swapped)), hex(expected));
});

test.run();
