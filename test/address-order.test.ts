// The overlay's accounts are ordered by addressOrder (packed leading bits after the shared prefix, a native
// Float64 sort, ties by whole address) instead of a map and a sort of its hex keys: it must give exactly the
// order of the sorted 0x-hex strings.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addressOrder } from '../src/engine/engine.js';

let seed = 777;
const rand = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
const byte = () => Math.floor(rand() * 256);

/** n distinct addresses from `gen`, laid out as records of `size` bytes with the address at `off`. */
function records(n: number, gen: () => number[], size = 48, off = 8): { u8: Uint8Array; recs: Uint32Array; hexes: string[] } {
  const u8 = new Uint8Array(64 + n * size);
  const recs = new Uint32Array(n);
  const hexes: string[] = [];
  const seen = new Set<string>();
  while (hexes.length < n) {
    const a = gen();
    const h = '0x' + a.map((b) => b.toString(16).padStart(2, '0')).join('');
    if (seen.has(h)) continue;
    seen.add(h);
    const r = 64 + hexes.length * size;
    u8.fill(0xee, r, r + size); // (bytes around the address must not count)
    u8.set(a, r + off);
    recs[hexes.length] = r;
    hexes.push(h);
  }
  return { u8, recs, hexes };
}

test('addressOrder: the order of the 0x-hex strings, for random, sequential, mixed and look-alike addresses', () => {
  const seq = () => { const v = Math.floor(rand() * 1e6); return [...new Array<number>(16).fill(0), 0, (v >> 16) & 255, (v >> 8) & 255, v & 255]; };
  const kinds: Record<string, () => number[]> = {
    random: () => Array.from({ length: 20 }, byte),
    // one shared 16-byte prefix: the packed bits must come from after it
    sequential: seq,
    // half of them share a long prefix, so the shared prefix of all is empty: one long run of equal bits
    mixed: () => (rand() < 0.5 ? seq() : Array.from({ length: 20 }, byte)),
    // equal in the 4 bytes after a shared prefix, different further on: every key ties
    'equal leading bits': () => [0xab, 0xcd, 0xef, 0x01, 0x23, ...Array.from({ length: 15 }, () => (rand() < 0.9 ? 0 : byte()))],
    // differing only in the last byte (the packed bits run past the address: zero padding)
    'last byte': () => [...new Array<number>(19).fill(7), byte()],
  };
  for (const [name, gen] of Object.entries(kinds)) {
    for (const n of [0, 1, 2, 3, 17, 255, 1000, 5000]) {
      if (name === 'last byte' && n > 256) continue; // (only 256 such addresses exist)
      const { u8, recs, hexes } = records(n, gen);
      const index = new Map([...recs].map((r, i) => [r, i]));
      const got = [...addressOrder(u8, recs, 8)].map((r) => hexes[index.get(r)!]);
      assert.equal(got, [...hexes].sort(), `${name}, ${n} addresses`);
    }
  }
});

test.run();
