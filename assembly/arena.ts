// Per-worker bump arena. Every instance of the module runs on its own thread over one shared memory, so
// nothing here may live in static data: the pointers are wasm globals (one set per instance) and the
// region they point into is laid out by the TypeScript side (`init`). The engine allocates nothing else.

let arenaBase: usize = 0;
let arenaTop: usize = 0;
let arenaEnd: usize = 0;

/** Hands this instance the region [base, base + size) of the shared memory. */
export function arenaInit(base: usize, size: usize): void {
  arenaBase = (base + 31) & ~(<usize>31);
  arenaTop = arenaBase;
  arenaEnd = base + size;
}

/** 32-byte aligned bump allocation; returns 0 when the region is exhausted (callers treat that as fatal). */
// @ts-ignore: decorator
@inline export function arenaAlloc(size: usize): usize {
  const p = arenaTop;
  const next = (p + size + 31) & ~(<usize>31);
  if (next > arenaEnd) return 0;
  arenaTop = next;
  return p;
}

/** Current top, to be handed back to `arenaReset` (stack discipline). */
// @ts-ignore: decorator
@inline export function arenaMark(): usize { return arenaTop; }
// @ts-ignore: decorator
@inline export function arenaReset(mark: usize): void { arenaTop = mark; }
export function arenaFree(): usize { return arenaEnd - arenaTop; }
