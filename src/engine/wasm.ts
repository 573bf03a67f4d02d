// Loading the parevm WebAssembly module and reading its ABI: the record and struct offsets are exported by
// the module itself (assembly/index.ts), so the TypeScript side never keeps a second copy of them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { precompileHostImports } from '../precompiles/host.js';

let compiled: WebAssembly.Module | undefined;

/** The compiled module (compiled once per thread; `WebAssembly.Module` can be posted to workers). */
export function wasmModule(): WebAssembly.Module {
  if (compiled === undefined) {
    const file = fileURLToPath(new URL('../../../build/parevm.wasm', import.meta.url));
    compiled = new WebAssembly.Module(readFileSync(file));
  }
  return compiled;
}

/** The engine's exported functions, as the TypeScript side calls them. */
export interface EngineExports {
  init(arenaBase: number, arenaSize: number, desc: number, frameBytes: number, memBytes: number, retBytes: number): number;
  tableInit(td: number, base: number, cap: number, recSize: number, genOff: number): void;
  tableInitIndexed(td: number, base: number, cap: number, recSize: number, genOff: number, index: number): void;
  clearTable(td: number): void;
  zeroBytes(ptr: number, len: number): void;
  codeHeapInit(desc: number, base: number, size: number): void;
  buildTables(dst: number): void;
  codeLookup(hash: number): number;
  loadCodeHashed(src: number, len: number, hash: number): number;
  codeHeapFree(): number;
  loadAccount(addr: number, nonce: bigint, balance: number, code: number): number;
  loadStorage(addr: number, slot: number, value: number): number;
  beginBlock(env: number): void;
  useEnv(env: number): void;
  executeTx(tx: number, res: number): number;
  executeSystemCall(tx: number, res: number): number;
  setStrictBase(on: number): void;
  loadAbsentAccount(addr: number): number;
  markAccount(addr: number, flags: number): number;
  creditBalance(addr: number, amount: number): number;
  mvInit(desc: number, table: number, cap: number, heap: number, heapSize: number): void;
  parallelAttach(mvDesc: number, txio: number, out: number, outSize: number): void;
  executeIncarnation(j: number, inc: number, tx: number, res: number): number;
  blockingTx(): number;
  wroteNewLocation(): number;
  validateTx(j: number): number;
  abortTx(j: number): void;
  applyWrites(j: number): number;
  finalizeCoinbase(n: number): number;
  txDependencies(j: number, out: number, max: number): number;
  debugTrap(): void;
  keccak256(ptr: number, len: number, out: number): void;
}

/** Numeric ABI constants exported by the module (offsets and sizes). */
export type Abi = Record<string, number>;

/** Instantiates the module over `memory` and returns its functions and ABI constants. */
export function instantiate(memory: WebAssembly.Memory): { fns: EngineExports; abi: Abi } {
  const inst = new WebAssembly.Instance(wasmModule(), {
    env: {
      memory,
      abort: () => { throw new Error('parevm wasm: abort'); },
      ...precompileHostImports(memory),
    },
  });
  return { fns: inst.exports as unknown as EngineExports, abi: abiOf(inst) };
}

/** The ABI constants of an instance of the module (its exported globals). */
export function abiOf(inst: WebAssembly.Instance): Abi {
  const abi: Abi = {};
  for (const [k, v] of Object.entries(inst.exports)) {
    if (v instanceof WebAssembly.Global) abi[k] = Number(v.value);
  }
  return abi;
}

/** The module's declared minimum memory (its static data lives below this). */
export function staticBytes(): number {
  // asconfig.json declares initialMemory 16 pages; the static data (a few KiB) lies well below.
  return 16 * 65536;
}
