// Sorting many items without a comparator call per comparison: 32 leading bits of each key packed with the
// item's index into a Float64Array, which sorts natively, and the comparator only for runs of equal bits. The
// finalisation sorts a block's changed slots (executor.ts sortBySlot: a comparator over 10,000 BigInt slots took
// ~5 ms) and its changed accounts (engine.ts addressOrder) so.

const TWO_21 = 2 ** 21;

/**
 * The order of `top.length` items (their indices) by `cmp`, given `top[i]`: 32 bits of item i's key that agree
 * with `cmp` (top[i] < top[j] only if cmp(i, j) < 0). Items with equal top bits keep their index order until
 * `cmp` sorts their run; from 2^21 items on (the index no longer fits beside the bits), `cmp` sorts them all.
 */
export function packedOrder(top: Uint32Array, cmp: (i: number, j: number) => number): Uint32Array {
  const n = top.length;
  const order = new Uint32Array(n);
  if (n >= TWO_21) {
    for (let i = 0; i < n; i++) order[i] = i;
    return order.sort(cmp);
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = top[i]! * TWO_21 + i; // (exact: below 2^53)
  keys.sort();
  for (let i = 0; i < n; i++) order[i] = keys[i]! % TWO_21;
  for (let i = 0; i < n;) {
    const hi = Math.floor(keys[i]! / TWO_21);
    let j = i + 1;
    while (j < n && Math.floor(keys[j]! / TWO_21) === hi) j++;
    if (j - i > 1) order.subarray(i, j).sort(cmp);
    i = j;
  }
  return order;
}
