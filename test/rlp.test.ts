// RLP and hex helpers: vectors from the Ethereum wiki's RLP page / Yellow Paper appendix B.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HexError, RlpError } from '../src/errors.js';
import { bigIntToBytes, bytesEqual, bytesToBigInt, bytesToHex, concatBytes, hexToBigInt, hexToBytes, utf8ToBytes } from '../src/hex.js';
import { RLP_MAX_DEPTH, rlpDecode, rlpEncode, rlpToBigInt, rlpToBytes, rlpToList, type RlpItem } from '../src/rlp.js';

const s = utf8ToBytes;
const hex = (b: Uint8Array) => bytesToHex(b);

function throwsCode(fn: () => unknown, cls: Function, code: string, offset?: number): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, cls, `expected ${cls.name}, got ${(e as Error).name}: ${(e as Error).message}`);
    assert.is((e as RlpError).code, code, (e as Error).message);
    if (offset !== undefined) assert.is((e as RlpError).offset, offset, (e as Error).message);
    return;
  }
  assert.unreachable(`expected ${cls.name} ${code}`);
}

test('hex: strict parsing', () => {
  assert.equal(hexToBytes('0x00ff10'), Uint8Array.of(0, 255, 16));
  assert.equal(hexToBytes('0x'), new Uint8Array(0));
  assert.equal(hexToBytes('ABcd', 'x', { prefix: 'optional' }), Uint8Array.of(0xab, 0xcd));
  throwsCode(() => hexToBytes('abcd'), HexError, 'HEX_MISSING_PREFIX');
  throwsCode(() => hexToBytes('0xabc', 'nonce'), HexError, 'HEX_ODD_LENGTH');
  throwsCode(() => hexToBytes('0xzz'), HexError, 'HEX_INVALID_DIGIT');
  throwsCode(() => hexToBytes('0x00', 'address', { length: 20 }), HexError, 'HEX_WRONG_LENGTH');
  try {
    hexToBytes('0x123', 'transaction.nonce');
  } catch (e) {
    assert.is((e as HexError).field, 'transaction.nonce');
    assert.match((e as Error).message, 'transaction.nonce');
  }
  assert.is(hexToBigInt('0x1'), 1n);
  assert.is(hexToBigInt('0x'), 0n);
  assert.is(hexToBigInt('0x00ff'), 255n);
  throwsCode(() => hexToBigInt('0x1ff', 'v', 8), HexError, 'HEX_VALUE_TOO_LARGE');
});

test('hex: bigint and byte helpers', () => {
  assert.equal(bigIntToBytes(0n), new Uint8Array(0));
  assert.equal(bigIntToBytes(1024n), Uint8Array.of(4, 0));
  assert.equal(bigIntToBytes(1n, 4), Uint8Array.of(0, 0, 0, 1));
  assert.throws(() => bigIntToBytes(256n, 1));
  assert.is(bytesToBigInt(Uint8Array.of(1, 0, 0)), 65536n);
  assert.is(bytesToBigInt(new Uint8Array(0)), 0n);
  assert.equal(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3)), Uint8Array.of(1, 2, 3));
  assert.ok(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2)));
  assert.not.ok(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3)));
  assert.not.ok(bytesEqual(Uint8Array.of(1), Uint8Array.of(1, 0)));
});

test('encode: wiki examples', () => {
  assert.is(hex(rlpEncode(s('dog'))), '0x83646f67');
  assert.is(hex(rlpEncode([s('cat'), s('dog')])), '0xc88363617483646f67');
  assert.is(hex(rlpEncode(s(''))), '0x80');
  assert.is(hex(rlpEncode([])), '0xc0');
  assert.is(hex(rlpEncode(0)), '0x80');
  assert.is(hex(rlpEncode(0n)), '0x80');
  assert.is(hex(rlpEncode(Uint8Array.of(0))), '0x00');
  assert.is(hex(rlpEncode(Uint8Array.of(0x0f))), '0x0f');
  assert.is(hex(rlpEncode(15)), '0x0f');
  assert.is(hex(rlpEncode(1024)), '0x820400');
  assert.is(hex(rlpEncode(127)), '0x7f');
  assert.is(hex(rlpEncode(128)), '0x8180');
  // Set-theoretic representation of three: [ [], [[]], [ [], [[]] ] ]
  assert.is(hex(rlpEncode([[], [[]], [[], [[]]]])), '0xc7c0c1c0c3c0c1c0');
  const lorem = s('Lorem ipsum dolor sit amet, consectetur adipisicing elit');
  assert.is(lorem.length, 56);
  assert.is(hex(rlpEncode(lorem)).slice(0, 6), '0xb838');
  assert.is(rlpEncode(lorem).length, 58);
  // 55 bytes is the largest short-form string.
  assert.is(rlpEncode(new Uint8Array(55))[0], 0xb7);
  // A list payload of exactly 56 bytes takes the long form 0xf8 0x38.
  assert.is(hex(rlpEncode([new Uint8Array(55)]).subarray(0, 3)), '0xf838b7');
  assert.throws(() => rlpEncode(-1));
  assert.throws(() => rlpEncode(1.5));
});

test('decode: round trips', () => {
  const cases: RlpItem[] = [s('dog'), [s('cat'), s('dog')], s(''), [], [[], [[]], [[], [[]]]], new Uint8Array(1000), [new Uint8Array(60), [Uint8Array.of(1)]]];
  for (const c of cases) {
    const enc = rlpEncode(c as never);
    assert.equal(rlpDecode(enc), c);
  }
  assert.equal(rlpDecode(hexToBytes('0x820400')), Uint8Array.of(4, 0));
});

test('decode: rejects non-canonical and malformed input', () => {
  throwsCode(() => rlpDecode(new Uint8Array(0)), RlpError, 'RLP_EMPTY_INPUT', 0);
  throwsCode(() => rlpDecode(hexToBytes('0x8100')), RlpError, 'RLP_NON_CANONICAL_SIZE', 0);
  throwsCode(() => rlpDecode(hexToBytes('0x817f')), RlpError, 'RLP_NON_CANONICAL_SIZE', 0);
  assert.equal(rlpDecode(hexToBytes('0x8180')), Uint8Array.of(0x80));
  throwsCode(() => rlpDecode(hexToBytes('0xb800')), RlpError, 'RLP_LEADING_ZEROS_IN_LENGTH', 0);
  throwsCode(() => rlpDecode(hexToBytes('0xb801ff')), RlpError, 'RLP_NON_CANONICAL_SIZE', 0);
  throwsCode(() => rlpDecode(hexToBytes('0xf803112233')), RlpError, 'RLP_NON_CANONICAL_SIZE', 0);
  throwsCode(() => rlpDecode(hexToBytes('0x83646f')), RlpError, 'RLP_TRUNCATED', 0);
  throwsCode(() => rlpDecode(hexToBytes('0x8000')), RlpError, 'RLP_TRAILING_BYTES', 1);
  // The inner string claims 3 bytes but its list only holds 2: the error points at the inner item.
  throwsCode(() => rlpDecode(hexToBytes('0xc3836364')), RlpError, 'RLP_TRUNCATED', 1);
  throwsCode(() => rlpDecode(hexToBytes('0xc2b838')), RlpError, 'RLP_TRUNCATED', 1);
  assert.equal(rlpDecode(hexToBytes('0xc28180')), [Uint8Array.of(0x80)]);
  throwsCode(() => rlpDecode(hexToBytes('0xbf0f000000000000021111')), RlpError, 'RLP_TRUNCATED', 0);
  throwsCode(() => rlpDecode(hexToBytes('0xb90040' + '00'.repeat(64))), RlpError, 'RLP_LEADING_ZEROS_IN_LENGTH', 0);
  throwsCode(() => rlpDecode(hexToBytes('0xff0f000000000000021111')), RlpError, 'RLP_TRUNCATED', 0);
  // Nesting one level past the limit must fail cleanly (RlpError, not a stack overflow).
  let nested: Uint8Array = Uint8Array.of(0xc0);
  for (let i = 1; i < RLP_MAX_DEPTH; i++) nested = wrapInList(nested); // RLP_MAX_DEPTH lists in all
  throwsCode(() => rlpDecode(wrapInList(nested)), RlpError, 'RLP_TOO_DEEP');
  assert.ok(Array.isArray(rlpDecode(nested)));
});

// Wrap an already-encoded item in a one-element list.
function wrapInList(inner: Uint8Array): Uint8Array {
  if (inner.length < 56) return concatBytes(Uint8Array.of(0xc0 + inner.length), inner);
  const len = bigIntToBytes(BigInt(inner.length));
  return concatBytes(Uint8Array.of(0xf7 + len.length), len, inner);
}

test('typed item helpers', () => {
  assert.is(rlpToBigInt(rlpDecode(hexToBytes('0x820400')), 'n'), 1024n);
  assert.is(rlpToBigInt(rlpDecode(hexToBytes('0x80')), 'n'), 0n);
  throwsCode(() => rlpToBigInt(rlpDecode(hexToBytes('0x820004')), 'n'), RlpError, 'RLP_LEADING_ZEROS');
  throwsCode(() => rlpToBigInt(rlpDecode(hexToBytes('0x00')), 'n'), RlpError, 'RLP_LEADING_ZEROS');
  throwsCode(() => rlpToBigInt(rlpDecode(hexToBytes('0x820100')), 'n', 8), RlpError, 'RLP_VALUE_TOO_LARGE');
  assert.is(rlpToBigInt(rlpDecode(hexToBytes('0x81ff')), 'n', 8), 255n);
  throwsCode(() => rlpToBigInt(rlpDecode(rlpEncode(1n << 256n)), 'n'), RlpError, 'RLP_VALUE_TOO_LARGE');
  assert.is(rlpToBigInt(rlpDecode(rlpEncode((1n << 256n) - 1n)), 'n'), (1n << 256n) - 1n);
  throwsCode(() => rlpToBigInt([], 'n'), RlpError, 'RLP_EXPECTED_BYTES');
  throwsCode(() => rlpToBytes(Uint8Array.of(1), 'a', 20), RlpError, 'RLP_WRONG_LENGTH');
  throwsCode(() => rlpToList(Uint8Array.of(1), 'l'), RlpError, 'RLP_EXPECTED_LIST');
  assert.is(rlpToList([[], []], 'l', 2).length, 2);
});

test.run();
