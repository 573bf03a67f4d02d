// The finalisation's fast sort of slot changes (blockDiff) by packed top bits must give exactly the order of a
// plain sort by slot.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sortBySlot } from '../src/executor.js';

let seed = 12345;
const rand = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
const hexDigits = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');

test('sortBySlot: the order of the slots, for hashed, small and mixed slots', () => {
  const word = () => BigInt('0x' + hexDigits(64));
  const kinds: Record<string, () => bigint> = {
    hashed: word,
    small: () => BigInt(Math.floor(rand() * 1e6)), // top bits all zero: one long run
    mixed: () => (rand() < 0.5 ? word() : BigInt(Math.floor(rand() * 1000))),
    'shared top bits': () => (0xdeadbeefn << 224n) | BigInt(Math.floor(rand() * 1e9)),
  };
  for (const [name, gen] of Object.entries(kinds)) {
    for (const n of [0, 5, 63, 64, 1000, 10000]) {
      const seen = new Set<bigint>();
      const items: { slot: bigint; i: number }[] = [];
      while (items.length < n) { const s = gen(); if (!seen.has(s)) { seen.add(s); items.push({ slot: s, i: items.length }); } }
      const want = [...items].sort((x, y) => (x.slot < y.slot ? -1 : x.slot > y.slot ? 1 : 0));
      sortBySlot(items);
      assert.equal(items.map((x) => x.i), want.map((x) => x.i), `${name}, ${n} slots`);
    }
  }
});

test.run();
