// The sequential engine: one module instance on the calling thread over a shared memory whose regions this
// file lays out. It loads a pre-state into the base tables, writes a block's transactions into the input
// region, runs them one after another (the block overlay carries each transaction's writes to the next),
// and reads back receipts and the state diff. The parallel executor reuses the same layout with one
// instance per worker.
import { instantiate, staticBytes, type Abi, type EngineExports } from './wasm.js';
import { Fork } from '../forks.js';
import { packedOrder } from '../packed-order.js';
import { ParevmError } from '../errors.js';
import { writeAddressHex } from '../hex.js';
import type { WorldState, AccountState } from '../state.js';
import type { Tx } from '../tx.js';

/** Sizes of the engine's regions. Defaults fit every ethereum/tests case and mainnet blocks. */
export interface EngineOptions {
  /** Base-state account table capacity (power of two). */
  accounts?: number;
  /** Base-state storage table capacity (power of two). */
  slots?: number;
  /** Code table capacity (power of two). */
  codes?: number;
  /** Code heap bytes (pre-state code and code deployed during a block). */
  codeHeapBytes?: number;
  /** Block input bytes (transactions, calldata, access lists, results). */
  inputBytes?: number;
  /** Per-instance arena bytes (call frames, EVM memory, return data, transaction cache, logs). */
  arenaBytes?: number;
  /** Call-frame region inside the arena. */
  frameBytes?: number;
  /** EVM memory region inside the arena (return-data buffer is the same size). */
  evmMemoryBytes?: number;
  /** Return-data buffer inside the arena (default: as large as the EVM memory region). */
  returnDataBytes?: number;
  /** Worker slots for parallel execution (each gets a shared output area). */
  workers?: number;
  /**
   * Worker slots that get an arena of their own (default: all): the pool threads. When the calling thread is
   * a worker, it uses this instance's arena, and the last slot needs none.
   */
  workerArenas?: number;
  /** Worker arenas, when they should differ from the coordinator's (default: the same sizes). */
  worker?: { arenaBytes?: number; frameBytes?: number; evmMemoryBytes?: number; returnDataBytes?: number };
  /** Per-worker shared output area (read and write sets, logs) for one block. */
  workerOutBytes?: number;
  /** Multi-version memory: location capacity (power of two) and version heap bytes. */
  mvLocations?: number;
  mvHeapBytes?: number;
}

/** Bytes of the control region of serving pool threads (src/parallel/worker.ts: a header line and a line per thread). */
export const CONTROL_BYTES = 64 * 40;

/** Where the parallel executor's shared regions are (byte offsets in the engine's memory). */
export interface ParallelLayout {
  workers: number;
  desc: number;
  envPtr: number;
  arenaBytes: number;
  frameBytes: number;
  evmMemoryBytes: number;
  returnDataBytes: number;
  workerArenas: number[];
  workerOuts: number[];
  workerOutBytes: number;
  mvDesc: number;
  mvTable: number;
  mvLocations: number;
  mvHeap: number;
  mvHeapBytes: number;
  /** Incremented by each worker thread once, to claim its index (an Int32 word). */
  workerCounter: number;
  /** The control region through which serving pool threads take blocks (src/parallel/worker.ts). */
  control: number;
}

/** Block environment: what the header gives the EVM. */
export interface BlockEnv {
  fork: Fork;
  chainId: bigint;
  coinbase: Uint8Array;
  number: bigint;
  timestamp: bigint;
  gasLimit: bigint;
  baseFee: bigint;
  /** PREVRANDAO after the Merge, DIFFICULTY before. */
  prevRandao: bigint;
  blobBaseFee: bigint;
  /** Hashes of recent blocks by number (BLOCKHASH); a missing entry reads as zero. */
  blockHash?: (n: bigint) => Uint8Array | undefined;
}

/** A transaction ready to run: decoded, sender known, intrinsic gas computed. */
export interface ExecTx {
  tx: Tx;
  sender: Uint8Array;
  intrinsicGas: bigint;
}

/** One log entry. */
export interface Log {
  address: Uint8Array;
  topics: Uint8Array[];
  data: Uint8Array;
}

/** What one transaction did. */
export interface TxResult {
  /** Engine status code (see STATUS_NAMES). */
  status: number;
  /** The transaction was included (valid), whether or not execution succeeded. */
  valid: boolean;
  /** Execution succeeded (receipt status 1). */
  success: boolean;
  gasUsed: bigint;
  blobGasUsed: bigint;
  logs: Log[];
  /** The 256-byte bloom of `logs` (computed by the engine). */
  logsBloom: Uint8Array;
  /** The return (or revert) data; empty when read without it (the executor's blocks: receipts do not carry it). */
  output: Uint8Array;
  contractAddress?: Uint8Array;
}

/** Status names by code (assembly/status.ts). */
export const STATUS_NAMES: Record<number, string> = {
  1: 'STOP', 2: 'RETURN', 3: 'SELFDESTRUCT', 0x10: 'REVERT',
  0x20: 'OUT_OF_GAS', 0x21: 'STACK_UNDERFLOW', 0x22: 'STACK_OVERFLOW', 0x23: 'INVALID_OPCODE', 0x24: 'BAD_JUMP',
  0x25: 'STATIC_VIOLATION', 0x26: 'RETURNDATA_OUT_OF_BOUNDS', 0x27: 'CREATE_COLLISION', 0x28: 'CODE_SIZE_LIMIT',
  0x29: 'INVALID_CODE_PREFIX', 0x2a: 'PRECOMPILE_FAILURE', 0x2b: 'INITCODE_SIZE',
  0x40: 'NONCE_TOO_LOW', 0x41: 'NONCE_TOO_HIGH', 0x42: 'NONCE_MAX', 0x43: 'INSUFFICIENT_ACCOUNT_FUNDS',
  0x44: 'SENDER_NOT_EOA', 0x45: 'INSUFFICIENT_MAX_FEE_PER_GAS', 0x46: 'INSUFFICIENT_MAX_FEE_PER_BLOB_GAS',
  0x47: 'GAS_ALLOWANCE_EXCEEDED', 0x48: 'INTRINSIC_GAS_TOO_LOW', 0x49: 'TOO_MANY_BLOBS',
  0x60: 'ENGINE_ARENA_EXHAUSTED', 0x61: 'ENGINE_TABLE_FULL', 0x62: 'BLOCKED',
};

/** A transaction the engine refused (nothing applied), or an engine condition. */
export class ExecutionError extends ParevmError {}

/** An account (and, when `slot` is set, one of its slots) that a read needed and the base state lacks. */
export interface MissingKey { address: string; slot?: bigint }

/** Strict mode: a transaction read state that is not loaded; the host fetches `key` and runs it again. */
export class MissingStateError extends ExecutionError {
  readonly key: MissingKey;
  constructor(key: MissingKey) {
    super('STATE_NOT_LOADED', `state not loaded: ${key.address}${key.slot !== undefined ? ` slot 0x${key.slot.toString(16)}` : ''}`);
    this.key = key;
  }
}

const MIB = 1 << 20;
const DEFAULTS: Required<EngineOptions> = {
  accounts: 1 << 16,
  slots: 1 << 18,
  codes: 1 << 14,
  codeHeapBytes: 64 * MIB,
  inputBytes: 64 * MIB,
  arenaBytes: 200 * MIB,
  frameBytes: 72 * MIB,
  evmMemoryBytes: 32 * MIB,
  returnDataBytes: 0,
  workers: 0,
  workerArenas: -1,
  worker: {},
  workerOutBytes: 64 * MIB,
  mvLocations: 1 << 17,
  mvHeapBytes: 64 * MIB,
};

// assembly/mv/mvmemory.ts: bytes per index slot and per location entry (checked against the build's ABI)
const MV_INDEX_SLOT = 8, MV_ENTRY_SIZE = 128;
const align = (n: number, a = 64): number => Math.ceil(n / a) * a;
// Shared by every result without logs or output (callers treat results as read-only).
const ZERO_BLOOM = new Uint8Array(256);

/** Whether an engine status is a successful execution (receipt status 1): the 0x01..0x0f range. */
export function succeeded(status: number): boolean { return status > 0 && status < 0x10; }

/**
 * The `count` log records the engine wrote at `q` in `area` (a result's log area, or a copy of it), as views
 * into `area`. Record: address (20), topic count (u32 at +20), data length (u32 at +24), 4 bytes of padding,
 * the topics (32 bytes each), the data; the next record starts 8-aligned.
 */
function parseLogs(area: Uint8Array, q: number, count: number): Log[] {
  const logs: Log[] = [];
  for (let i = 0; i < count; i++) {
    const n = area[q + 20]! | (area[q + 21]! << 8) | (area[q + 22]! << 16) | (area[q + 23]! << 24);
    const len = (area[q + 24]! | (area[q + 25]! << 8) | (area[q + 26]! << 16) | (area[q + 27]! << 24)) >>> 0;
    const topics: Uint8Array[] = [];
    for (let k = 0; k < n; k++) topics.push(area.subarray(q + 32 + k * 32, q + 64 + k * 32));
    const dataStart = q + 32 + n * 32;
    logs.push({ address: area.subarray(q, q + 20), topics, data: area.subarray(dataStart, dataStart + len) });
    q += (32 + n * 32 + len + 7) & ~7;
  }
  return logs;
}
const NO_LOGS: Log[] = Object.freeze([]) as unknown as Log[];
/** readOverlay: the storage of an overlay account with no slot written (shared; never written to). */
const NO_SLOTS: Map<bigint, bigint> = new Map();
/** Bytes per chunk that results' logs and blooms are copied into (readResult). */
const RESULT_CHUNK = 64 << 10;
const EMPTY = new Uint8Array(0);

const U64_LIMIT = 1n << 64n;
/** Writes bigints as little-endian u64 limbs, as the engine keeps 256-bit words. */
function writeWord(dv: DataView, p: number, v: bigint): void {
  if (v >= 0n && v < U64_LIMIT) {
    // the common case (fees, values, nonces): one limb, no BigInt arithmetic
    dv.setBigUint64(p, v, true);
    dv.setBigUint64(p + 8, 0n, true);
    dv.setBigUint64(p + 16, 0n, true);
    dv.setBigUint64(p + 24, 0n, true);
    return;
  }
  // (setBigUint64 keeps the low 64 bits by itself: one shift, one BigInt, per limb)
  dv.setBigUint64(p, v, true);
  for (let i = 1; i < 4; i++) {
    v >>= 64n;
    dv.setBigUint64(p + i * 8, v, true);
  }
}
/** Copies a 20-byte address into u8 at o: element stores (a 20-byte `set` into a shared buffer costs ~2x). */
function copy20(u8: Uint8Array, a: Uint8Array, o: number, field: string): void {
  if (a.length !== 20) throw new ExecutionError('TX_FIELD_RANGE', `${field}: an address of ${a.length} bytes`, field);
  for (let i = 0; i < 20; i++) u8[o + i] = a[i]!;
}
function readWord(dv: DataView, p: number): bigint {
  // most words (balances, slots, values) fit 53 bits: one Number read and one BigInt, no BigInt shifts
  const lo = dv.getUint32(p, true), hi = dv.getUint32(p + 4, true);
  if (hi < 0x200000 && dv.getUint32(p + 8, true) === 0 && dv.getUint32(p + 12, true) === 0 && dv.getBigUint64(p + 16, true) === 0n && dv.getBigUint64(p + 24, true) === 0n) {
    return BigInt(hi * 0x100000000 + lo);
  }
  let v = 0n;
  for (let i = 3; i >= 0; i--) v = (v << 64n) | dv.getBigUint64(p + i * 8, true);
  return v;
}

const NO_LOAD_OPTS: { partial?: boolean; hasStorage?: boolean } = Object.freeze({});
const HAS_STORAGE_OPTS: { partial?: boolean; hasStorage?: boolean } = Object.freeze({ hasStorage: true });

/** The sequential engine over one shared memory. */
export class Engine {
  readonly memory: WebAssembly.Memory;
  readonly fns: EngineExports;
  readonly abi: Abi;
  readonly opts: Required<EngineOptions>;
  /** Region addresses. */
  readonly desc: number;
  readonly envPtr: number;
  readonly blockHashPtr: number;
  readonly inputBase: number;
  readonly staging: number;
  private codeHeapBase = 0;
  /** Code hashes by code array (codeHash). */
  private readonly codeHashes = new WeakMap<Uint8Array, Uint8Array>();
  private chunk = new Uint8Array(0);
  private chunkPos = 0;
  /** Regions of the parallel executor (absent when `workers` is 0). */
  readonly parallel?: ParallelLayout;

  constructor(options: EngineOptions = {}) {
    const o = { ...DEFAULTS, ...options };
    this.opts = o;
    // Layout: static data | descriptors | fork tables | env + block hashes | base tables | code table |
    // code heap | overlay tables | block input | this instance's arena.
    let p = staticBytes();
    this.desc = p; p += 256;
    const tables = p; p += align(15 * 1024);
    this.envPtr = p; p += 256;
    this.blockHashPtr = p; p += align(256 * 40);
    // the base and overlay tables: dense records behind an index of 8-byte slots (assembly/state/records.ts)
    const baseAcct = p; p += o.accounts * 128;
    const baseAcctIx = p; p += o.accounts * 8;
    const baseStor = p; p += o.slots * 128;
    const baseStorIx = p; p += o.slots * 8;
    const codeTab = p; p += o.codes * 64;
    this.codeHeapBase = p; p += o.codeHeapBytes;
    const ovAcct = p; p += o.accounts * 128;
    const ovAcctIx = p; p += o.accounts * 8;
    const ovStor = p; p += o.slots * 128;
    const ovStorIx = p; p += o.slots * 8;
    this.inputBase = p; p += o.inputBytes;
    const arena = p; p += o.arenaBytes;
    if (o.workers > 0) {
      const mvDesc = p; p += 64;
      const workerCounter = p; p += 64;
      const control = p; p += CONTROL_BYTES;
      const mvTable = p; p += o.mvLocations * MV_INDEX_SLOT;
      // the heap holds the location entries too (an index more than 3/4 full makes the block fall back)
      const mvHeapBytes = o.mvHeapBytes + Math.ceil((o.mvLocations * MV_ENTRY_SIZE * 3) / 4);
      const mvHeap = p; p += mvHeapBytes;
      const workerArenas: number[] = [], workerOuts: number[] = [];
      const w = { arenaBytes: o.arenaBytes, frameBytes: o.frameBytes, evmMemoryBytes: o.evmMemoryBytes, returnDataBytes: o.returnDataBytes || o.evmMemoryBytes, ...o.worker };
      const arenas = o.workerArenas >= 0 ? Math.min(o.workerArenas, o.workers) : o.workers;
      for (let i = 0; i < arenas; i++) { workerArenas.push(p); p += w.arenaBytes; }
      for (let i = 0; i < o.workers; i++) { workerOuts.push(p); p += o.workerOutBytes; }
      this.parallel = {
        workers: o.workers, desc: this.desc, envPtr: this.envPtr, arenaBytes: w.arenaBytes, frameBytes: w.frameBytes,
        evmMemoryBytes: w.evmMemoryBytes, returnDataBytes: w.returnDataBytes, workerArenas, workerOuts, workerOutBytes: o.workerOutBytes, mvDesc, mvTable,
        mvLocations: o.mvLocations, mvHeap, mvHeapBytes, workerCounter, control,
      };
    }
    if (p > 0xffff0000) throw new ParevmError('ENGINE_CONFIG', `the regions need ${(p / MIB).toFixed(0)} MiB, more than a 32-bit WebAssembly memory holds`);
    const pages = Math.ceil(p / 65536);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: 65536, shared: true });
    const { fns, abi } = instantiate(this.memory);
    this.fns = fns;
    this.abi = abi;
    this.viewDv = new DataView(this.memory.buffer);
    this.viewU8 = new Uint8Array(this.memory.buffer);
    this.viewU32 = new Uint32Array(this.memory.buffer);
    this.viewB64 = new BigUint64Array(this.memory.buffer);
    this.viewF64 = new Float64Array(this.memory.buffer);
    if (abi.MV_INDEX_SLOT !== MV_INDEX_SLOT || abi.MV_ENTRY_SIZE !== MV_ENTRY_SIZE) throw new ParevmError('ENGINE_CONFIG', 'the engine build does not match engine.ts (multi-version entry sizes)');
    const dv = this.dv();
    dv.setUint32(this.desc + abi.WD_TABLES, tables, true);
    fns.buildTables(tables);
    fns.tableInitIndexed(this.desc + abi.WD_BASE_ACCT, baseAcct, o.accounts, 128, abi.A_GEN, baseAcctIx);
    fns.tableInitIndexed(this.desc + abi.WD_BASE_STOR, baseStor, o.slots, 128, abi.S_GEN, baseStorIx);
    fns.tableInit(this.desc + abi.WD_CODE, codeTab, o.codes, 64, 44);
    fns.tableInitIndexed(this.desc + abi.WD_OV_ACCT, ovAcct, o.accounts, 128, abi.A_GEN, ovAcctIx);
    fns.tableInitIndexed(this.desc + abi.WD_OV_STOR, ovStor, o.slots, 128, abi.S_GEN, ovStorIx);
    fns.codeHeapInit(this.desc, this.codeHeapBase, o.codeHeapBytes);
    this.staging = fns.init(arena, o.arenaBytes, this.desc, o.frameBytes, o.evmMemoryBytes, o.returnDataBytes || o.evmMemoryBytes);
    if (this.staging === 0) throw new ParevmError('ENGINE_CONFIG', 'arena too small for the frame and memory regions');
  }

  // The memory never grows (every region is laid out up front, and the engine is built with the stub runtime),
  // so one pair of views serves for its lifetime: reading `memory.buffer` is a call into the runtime, and was
  // ~2 ms per block of 10,000 transfers at five reads per transaction.
  private viewDv!: DataView;
  private viewU8!: Uint8Array;
  // (little-endian element views, like the engine's own loads: every host this runs on is little-endian)
  private viewU32!: Uint32Array;
  private viewB64!: BigUint64Array;
  private viewF64!: Float64Array;

  /** Writes `v` as a u256 at 8-aligned `p` over zeroed bytes (one store when it fits 64 bits). */
  private zeroedWord(p: number, v: bigint): void {
    if (BigInt.asUintN(64, v) === v) this.viewB64[p >> 3] = v;
    else writeWord(this.viewDv, p, v);
  }
  /** A DataView over the whole memory. */
  dv(): DataView { return this.viewDv; }
  /** A Uint8Array over the whole memory. */
  u8(): Uint8Array { return this.viewU8; }

  /**
   * Replaces the base state with `state` (and empties the block overlay). `hasStorage`: accounts (lowercase hex)
   * that have storage although `state` lists none or only some of their slots (a state fetched from a provider:
   * a creation over such an account collides, EIP-7610).
   */
  loadState(state: WorldState, hasStorage?: ReadonlySet<string>): void {
    const { fns, abi } = this;
    const desc = this.desc;
    fns.clearTable(desc + abi.WD_BASE_ACCT);
    fns.clearTable(desc + abi.WD_BASE_STOR);
    fns.clearTable(desc + abi.WD_OV_ACCT);
    fns.clearTable(desc + abi.WD_OV_STOR);
    let nSlots = 0;
    for (const a of state.values()) nSlots += a.storage.size;
    if (state.size * 4 > this.opts.accounts * 3 || nSlots * 4 > this.opts.slots * 3) {
      throw new ParevmError('ENGINE_CAPACITY', `pre-state of ${state.size} accounts / ${nSlots} slots exceeds the engine's tables (${this.opts.accounts} / ${this.opts.slots})`);
    }
    // Codes stay in the store from block to block: it is content-addressed, and a code's entry (a copy and its
    // jump-destination bitmap) is built once per code hash for the engine's life. The store starts afresh only
    // when this state's codes that it lacks might not fit beside the others (with room for the block's
    // deployments). Measured on the 1,000-swap Uniswap block (4,002 distinct 20 KB pool codes): ~115 ms of
    // copying and analysis per block before.
    let missingBytes = 0, missing = 0;
    const seen = new Set<Uint8Array>();
    for (const a of state.values()) {
      if (a.code.length === 0 || seen.has(a.code)) continue;
      seen.add(a.code);
      if (this.findCode(a.code) === 0) { missingBytes += a.code.length; missing++; }
    }
    const td = desc + abi.WD_CODE, dv = this.dv();
    const used = dv.getUint32(td + abi.TD_COUNT, true), cap = dv.getUint32(td + abi.TD_MASK, true) + 1;
    if ((used + missing + 1024) * 4 > cap * 3 || fns.codeHeapFree() < missingBytes * 1.125 + missing * 72 + (32 << 20)) {
      fns.clearTable(td);
      fns.codeHeapInit(desc, this.codeHeapBase, this.opts.codeHeapBytes);
    }
    for (const [addrHex, acct] of state) this.loadAccount(addrHex, acct, hasStorage?.has(addrHex) ? HAS_STORAGE_OPTS : NO_LOAD_OPTS);
  }

  /**
   * keccak256 of a code, from the engine's cache when the same array was hashed before. (Code arrays are taken
   * as immutable, as AccountState documents: the cache is keyed by the array.)
   */
  private codeHash(code: Uint8Array): Uint8Array {
    let h = this.codeHashes.get(code);
    if (!h) {
      const src = this.codeStaging(code);
      this.fns.keccak256(src, code.length, this.staging + 128);
      h = this.u8().slice(this.staging + 128, this.staging + 160);
      this.codeHashes.set(code, h);
    }
    return h;
  }

  /** The store's entry for a code, 0 when it has none (leaves the code's hash at staging + 128). */
  private findCode(code: Uint8Array): number {
    this.u8().set(this.codeHash(code), this.staging + 128);
    return this.fns.codeLookup(this.staging + 128);
  }

  /** Copies a code to a staging area for the engine (the input region for a large one); returns where. */
  private codeStaging(code: Uint8Array): number {
    const src = code.length > (1 << 16) - 256 ? this.inputBase : this.staging + 256;
    this.u8().set(code, src);
    return src;
  }

  /** The store's entry for a code, inserting it when new. */
  private codeEntry(code: Uint8Array): number {
    const e = this.findCode(code);
    if (e !== 0) return e;
    const src = this.codeStaging(code);
    const n = this.fns.loadCodeHashed(src, code.length, this.staging + 128);
    if (n === 0) throw new ParevmError('ENGINE_CAPACITY', 'code store full');
    return n;
  }

  /**
   * Inserts (or replaces) one account of the base state with its slots. With `partial`, the slots given are
   * only some of the account's (strict mode: a slot not loaded is fetched, not taken as zero); `hasStorage`
   * says whether the account has any storage (EIP-7610), when the slots given do not show it.
   */
  loadAccount(addrHex: string, acct: AccountState, opts: { partial?: boolean; hasStorage?: boolean } = NO_LOAD_OPTS): void {
    const { fns } = this;
    const st = this.staging;
    const addrP = st, balP = st + 32;
    const codeEntry = acct.code.length > 0 ? this.codeEntry(acct.code) : 0;
    const dv = this.dv();
    writeAddressHex(this.u8(), addrP, addrHex);
    writeWord(dv, balP, acct.balance);
    if (fns.loadAccount(addrP, acct.nonce, balP, codeEntry) === 0) throw new ParevmError('ENGINE_CAPACITY', 'account table full');
    if (acct.storage.size > 0) for (const [slot, value] of acct.storage) if (value !== 0n || opts.partial) this.loadSlot(addrHex, slot, value, false);
    const flags = (opts.partial ? this.abi.AF_PARTIAL : 0) | (opts.hasStorage ? this.abi.AF_HAS_STORAGE : 0);
    // (the address is still at addrP: loadSlot writes the slot and value above it; writing it again cost ~1 ms
    // per 20,000 accounts)
    if (flags) fns.markAccount(addrP, flags);
  }

  /** Strict mode: records that `addrHex` does not exist in the base state. */
  loadAbsent(addrHex: string): void {
    writeAddressHex(this.u8(), this.staging, addrHex);
    if (this.fns.loadAbsentAccount(this.staging) === 0) throw new ParevmError('ENGINE_CAPACITY', 'account table full');
  }

  /** One base-state slot (a zero is stored too: in strict mode it is a known zero). */
  loadSlot(addrHex: string, slot: bigint, value: bigint, writeAddress = true): void {
    const st = this.staging;
    const dv = this.dv();
    if (writeAddress) writeAddressHex(this.u8(), st, addrHex);
    writeWord(dv, st + 64, slot);
    writeWord(dv, st + 96, value);
    if (this.fns.loadStorage(st, st + 64, st + 96) === 0) throw new ParevmError('ENGINE_CAPACITY', 'storage table full');
  }

  /** Strict mode on or off: reads of state that is not loaded stop the transaction (see MissingStateError). */
  setStrict(on: boolean): void { this.fns.setStrictBase(on ? 1 : 0); }

  /** The key of the last read that met state that is not loaded (strict mode). */
  missingKey(): MissingKey {
    const p = this.abi.missingKey;
    const dv = this.dv();
    const address = hex(this.u8().subarray(p + 4, p + 24));
    return dv.getUint32(p, true) === 2 ? { address, slot: readWord(dv, p + 32) } : { address };
  }

  /** Writes the block environment and starts a block (empties the overlay). */
  beginBlock(env: BlockEnv): void {
    const { abi } = this;
    const dv = this.dv();
    const u8 = this.u8();
    const e = this.envPtr;
    u8.fill(0, e, e + abi.ENV_SIZE);
    u8.set(env.coinbase, e + abi.ENV_COINBASE);
    dv.setUint32(e + abi.ENV_FORK, env.fork, true);
    dv.setBigUint64(e + abi.ENV_NUMBER, env.number, true);
    dv.setBigUint64(e + abi.ENV_TIMESTAMP, BigInt.asUintN(64, env.timestamp), true);
    dv.setBigUint64(e + abi.ENV_GAS_LIMIT, BigInt.asUintN(64, env.gasLimit), true);
    dv.setBigUint64(e + abi.ENV_CHAIN_ID, env.chainId, true);
    dv.setUint32(e + abi.ENV_BLOCKHASHES, this.blockHashPtr, true);
    writeWord(dv, e + abi.ENV_BASE_FEE, env.baseFee);
    writeWord(dv, e + abi.ENV_PREVRANDAO, env.prevRandao);
    writeWord(dv, e + abi.ENV_BLOB_BASE_FEE, env.blobBaseFee);
    dv.setBigUint64(e + abi.ENV_MAX_BLOB_GAS, 786432n, true);
    const bh = this.blockHashPtr;
    u8.fill(0, bh, bh + 256 * abi.BH_SIZE);
    if (env.blockHash) {
      for (let k = 1n; k <= 256n && k <= env.number; k++) {
        const n = env.number - k;
        const h = env.blockHash(n);
        if (!h) continue;
        const slot = bh + Number(n % 256n) * abi.BH_SIZE;
        dv.setBigUint64(slot + abi.BH_NUMBER, n + 1n, true);
        u8.set(h, slot + abi.BH_HASH);
      }
    }
    this.fns.beginBlock(e);
  }

  /** Sets the gas the block's earlier transactions used (for the block gas-limit check). */
  setBlockGasUsed(gas: bigint, blobGas: bigint): void {
    const dv = this.dv();
    dv.setBigUint64(this.envPtr + this.abi.ENV_GAS_USED, gas, true);
    dv.setBigUint64(this.envPtr + this.abi.ENV_BLOB_GAS_USED, blobGas, true);
  }

  /** Writes a transaction into the input region at `p`; returns the first free byte after it. */
  writeTx(p: number, t: ExecTx): number {
    const { abi } = this;
    const u8 = this.viewU8, u32 = this.viewU32, b64 = this.viewB64, f64 = this.viewF64;
    const { tx } = t;
    if ((p & 7) !== 0) throw new RangeError(`writeTx: record at ${p} is not 8-byte aligned`);
    // Typed-array element stores, not DataView calls or fill: over a shared buffer, fill(0) of these 256
    // bytes took ~150 ns and a 20-byte set ~40 ns, against ~25 ns for 32 zero stores (node 20, this machine).
    const w = p >> 3;
    for (let i = 0; i < 32; i++) f64[w + i] = 0; // (+0 is all zero bits)
    u32[(p + abi.TX_TYPE) >> 2] = tx.type;
    u32[(p + abi.TX_FLAGS) >> 2] = tx.to === null ? abi.TXF_CREATE : 0;
    // (asUintN and one comparison: ~10 ns; a comparison with 2^64, a two-digit BigInt, ~25 ns)
    if (BigInt.asUintN(64, tx.nonce) !== tx.nonce || BigInt.asUintN(64, tx.gasLimit) !== tx.gasLimit) throw new ExecutionError('TX_FIELD_RANGE', 'nonce or gas limit does not fit 64 bits', 'nonce');
    b64[(p + abi.TX_NONCE) >> 3] = tx.nonce;
    b64[(p + abi.TX_GAS_LIMIT) >> 3] = tx.gasLimit;
    b64[(p + abi.TX_INTRINSIC) >> 3] = t.intrinsicGas;
    copy20(u8, t.sender, p + abi.TX_SENDER, 'from');
    if (tx.to) copy20(u8, tx.to, p + abi.TX_TO, 'to');
    // (the record is zeroed: words that fit 64 bits need their low limb only)
    this.zeroedWord(p + abi.TX_VALUE, tx.value);
    this.zeroedWord(p + abi.TX_MAX_FEE, tx.maxFeePerGas);
    this.zeroedWord(p + abi.TX_PRIORITY_FEE, tx.maxPriorityFeePerGas);
    if (tx.maxFeePerBlobGas) this.zeroedWord(p + abi.TX_BLOB_FEE_CAP, tx.maxFeePerBlobGas);
    let q = align(p + abi.TX_SIZE, 32);
    u32[(p + abi.TX_DATA) >> 2] = q;
    u32[(p + abi.TX_DATA_LEN) >> 2] = tx.data.length;
    if (tx.data.length > 0) u8.set(tx.data, q);
    q = align(q + tx.data.length, 32);
    u32[(p + abi.TX_ACCESS_LIST) >> 2] = q;
    u32[(p + abi.TX_ACCESS_COUNT) >> 2] = tx.accessList.length;
    // (most transactions have neither an access list nor blobs: no iterator or empty array made for them)
    if (tx.accessList.length > 0) {
      for (const e of tx.accessList) {
        u8.set(e.address, q);
        u32[(q + 20) >> 2] = e.storageKeys.length;
        q += 32;
        for (const k of e.storageKeys) { u8.set(k, q); q += 32; }
      }
    }
    const blobs = tx.blobVersionedHashes;
    u32[(p + abi.TX_BLOB_HASHES) >> 2] = q;
    u32[(p + abi.TX_BLOB_COUNT) >> 2] = blobs ? blobs.length : 0;
    if (blobs) for (const h of blobs) { u8.set(h, q); q += 32; }
    return align(q, 32);
  }

  /**
   * A system call at the block's start (EIP-4788): `sender` calls `to` with `data` and `gas`, outside the
   * block's gas and fee accounting; its writes go to the block overlay. Returns the engine status and gas used;
   * in strict mode the status may be BLOCKED (0x62: a read met state that is not loaded, see missingKey).
   */
  systemCall(sender: Uint8Array, to: Uint8Array, data: Uint8Array, gas: bigint): { status: number; gasUsed: bigint } {
    const p = this.inputBase;
    const tx: Tx = {
      type: 0, nonce: 0n, gasPrice: 0n, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n, gasLimit: gas, to, value: 0n, data,
      accessList: [], v: 0n, r: 0n, s: 0n, yParity: 0,
    };
    const res = this.writeTx(p, { tx, sender, intrinsicGas: 0n });
    const status = this.fns.executeSystemCall(p, res);
    if (status >= 0x60 && status !== 0x62) throw new ExecutionError(STATUS_NAMES[status] ?? `ENGINE_${status}`, `system call to ${hex(to)}: engine condition ${STATUS_NAMES[status] ?? status}`);
    return { status, gasUsed: this.dv().getBigUint64(res + this.abi.R_GAS_USED, true) };
  }

  /**
   * Moves the block overlay into the base state and empties the overlay (after system calls, so that the
   * transactions, in either mode, read their writes as pre-state). Returns what moved. Accounts that were
   * deleted or had their storage wiped cannot be moved (no system call does that): ExecutionError UNSUPPORTED.
   */
  promoteOverlay(): OverlayDiff {
    const moved = this.readOverlay();
    for (const [addr, a] of moved.accounts) {
      if (!a.fieldsUnchanged && (!a.exists || a.epoch > 0)) throw new ExecutionError('UNSUPPORTED', `a system call deleted ${addr} or wiped its storage`);
      // (an account already in the base state keeps its flags: has storage, partially loaded)
      if (!a.fieldsUnchanged) this.loadAccount(addr, { nonce: a.nonce, balance: a.balance, code: a.code, storage: new Map() });
      for (const [slot, value] of a.storage) this.loadSlot(addr, slot, value); // zeros too: they overwrite
    }
    this.fns.clearTable(this.desc + this.abi.WD_OV_ACCT);
    this.fns.clearTable(this.desc + this.abi.WD_OV_STOR);
    return moved;
  }

  /** Credits wei to an address in the block overlay (withdrawals, block rewards). */
  credit(address: Uint8Array, amount: bigint): void {
    const st = this.staging;
    this.u8().set(address, st);
    writeWord(this.dv(), st + 32, amount);
    const r = this.fns.creditBalance(st, st + 32);
    if (r === 2) throw new MissingStateError(this.missingKey());
    if (r !== 1) throw new ExecutionError('ENGINE_TABLE_FULL', 'block overlay full');
  }

  /**
   * Runs one transaction (written at `txPtr`) on the current overlay; reads its result (`output`: with its return
   * data, else TxResult.output is empty).
   */
  runTx(txPtr: number, resPtr: number, output = true): TxResult {
    const status = this.fns.executeTx(txPtr, resPtr);
    return this.readResult(resPtr, status, output);
  }

  /** Reads the result record at `r` (logs are valid until the next transaction runs on this instance). */
  readResult(r: number, status: number, output = true): TxResult {
    const { abi } = this;
    const dv = this.dv();
    const u8 = this.u8();
    const valid = status < 0x40;
    if (status >= 0x60) throw new ExecutionError(STATUS_NAMES[status] ?? `ENGINE_${status}`, `engine condition ${STATUS_NAMES[status] ?? status}`);
    let logs: Log[] = NO_LOGS;
    let bloom = ZERO_BLOOM;
    const p = dv.getUint32(r + abi.R_LOGS, true);
    const success = succeeded(status);
    const count = success ? dv.getUint32(r + abi.R_LOG_COUNT, true) : 0;
    if (count > 0) {
      // the log area and the bloom are copied into a chunk shared by many results, and the logs are views
      // into it: an ArrayBuffer per address, topic and data cost ~5x more, and one per result still ~2x
      const bytes = dv.getUint32(r + abi.R_LOG_BYTES, true);
      const size = (bytes + 7) & ~7;
      if (this.chunkPos + size + 256 > this.chunk.length) {
        this.chunk = new Uint8Array(Math.max(RESULT_CHUNK, size + 256));
        this.chunkPos = 0;
      }
      const area = this.chunk;
      const q = this.chunkPos;
      area.set(u8.subarray(p, p + bytes), q);
      area.set(u8.subarray(r + abi.R_BLOOM, r + abi.R_BLOOM + 256), q + size);
      bloom = area.subarray(q + size, q + size + 256);
      this.chunkPos = q + size + 256;
      logs = parseLogs(area, q, count);
    }
    const outLen = output && valid ? dv.getUint32(r + abi.R_OUTPUT_LEN, true) : 0;
    const outPtr = outLen > 0 ? dv.getUint32(r + abi.R_OUTPUT, true) : 0;
    const b = r + abi.R_BLOB_GAS_USED;
    const res: TxResult = {
      status,
      valid,
      success,
      gasUsed: dv.getBigUint64(r + abi.R_GAS_USED, true),
      // (no BigInt for the usual zero; and no copy of return data that a block's receipts do not carry: an
      // ArrayBuffer per transaction that returns data, 232 KB of the ~24.8 MB allocated per block of 1,000
      // Uniswap swaps, bench/README entry 73)
      blobGasUsed: (dv.getUint32(b, true) | dv.getUint32(b + 4, true)) === 0 ? 0n : dv.getBigUint64(b, true),
      logs,
      logsBloom: bloom,
      output: outLen > 0 ? u8.slice(outPtr, outPtr + outLen) : EMPTY,
    };
    if (success) {
      const c = r + abi.R_CONTRACT;
      if ((dv.getUint32(c, true) | dv.getUint32(c + 4, true) | dv.getUint32(c + 8, true) | dv.getUint32(c + 12, true) | dv.getUint32(c + 16, true)) !== 0) res.contractAddress = u8.slice(c, c + 20);
    }
    return res;
  }

  /**
   * The block overlay as account and slot changes: every account a committed transaction wrote, with its
   * final fields (or deleted), and every slot written at the account's current storage epoch. `wiped` is set
   * when the account's storage was cleared (self-destruct, or a creation over leftover storage).
   */
  readOverlay(): OverlayDiff {
    const { abi } = this;
    const dv = this.dv();
    const u8 = this.u8();
    // code entries repeat (every EOA shares the empty one): one copy of each code and hash per call
    const codes = new Map<number, { code: Uint8Array; hash: Uint8Array }>();
    const codeOf = (entry: number) => {
      let c = codes.get(entry);
      if (!c) {
        const ptr = dv.getUint32(entry + abi.C_PTR, true), len = dv.getUint32(entry + abi.C_LEN, true);
        c = { code: len === 0 ? EMPTY : u8.slice(ptr, ptr + len), hash: u8.slice(entry + abi.C_HASH, entry + abi.C_HASH + 32) };
        codes.set(entry, c);
      }
      return c;
    };
    // The accounts in address order, from the records sorted in place of a map of them and a sort of its keys
    // (the diff and the state root visit them in that order; a map is built only if asked for).
    const order = addressOrder(u8, tableRecords(dv, this.desc + abi.WD_OV_ACCT, abi), abi.A_ADDR);
    const addrs: string[] = new Array<string>(order.length);
    const list: OverlayAccount[] = new Array<OverlayAccount>(order.length);
    for (let i = 0; i < order.length; i++) {
      const r = order[i]!;
      const c = codeOf(dv.getUint32(r + abi.A_CODE, true));
      addrs[i] = hex(u8, r + abi.A_ADDR, 20);
      list[i] = {
        exists: (dv.getUint32(r + abi.A_FLAGS, true) & abi.AF_EXISTS) !== 0,
        nonce: dv.getBigUint64(r + abi.A_NONCE, true),
        balance: readWord(dv, r + abi.A_BALANCE),
        codeHash: c.hash,
        code: c.code,
        epoch: dv.getUint32(r + abi.A_EPOCH, true),
        storage: NO_SLOTS, // (most accounts of a block have no slot written: a map of their own on the first one)
      };
    }
    // A contract's slots usually come one after another in the scan (a token's 10,000 balances): the account
    // of the previous slot is reused when the address is the same, without a search.
    const storageOnly = new Map<string, OverlayAccount>(); // slots written without any account field change
    let lastAddr = -1;
    let a: OverlayAccount | undefined;
    for (const r of tableRecords(dv, this.desc + abi.WD_OV_STOR, abi)) {
      const at = r + abi.S_ADDR;
      if (a === undefined || compareAddress(u8, at, lastAddr) !== 0) {
        const k = findAddress(u8, order, abi.A_ADDR, at);
        if (k >= 0) a = list[k]!;
        else {
          const addr = hex(u8, at, 20);
          a = storageOnly.get(addr);
          // (epoch 0: the storage below the block is still visible)
          if (a === undefined) storageOnly.set(addr, a = { exists: true, nonce: -1n, balance: -1n, codeHash: new Uint8Array(0), code: new Uint8Array(0), epoch: 0, storage: new Map(), fieldsUnchanged: true });
        }
      }
      lastAddr = at;
      if (dv.getUint32(r + abi.S_EPOCH, true) !== a.epoch) continue; // written before the storage was wiped
      if (a.storage === NO_SLOTS) a.storage = new Map();
      a.storage.set(readWord(dv, r + abi.S_SLOT), readWord(dv, r + abi.S_VALUE));
    }
    if (storageOnly.size === 0) return new OverlayDiff(addrs, list);
    // merged into the order (usually a few contracts: tokens, pools)
    const extra = [...storageOnly.keys()].sort();
    const mAddrs: string[] = [], mList: OverlayAccount[] = [];
    let i = 0;
    for (const x of extra) {
      while (i < addrs.length && addrs[i]! < x) { mAddrs.push(addrs[i]!); mList.push(list[i++]!); }
      mAddrs.push(x);
      mList.push(storageOnly.get(x)!);
    }
    while (i < addrs.length) { mAddrs.push(addrs[i]!); mList.push(list[i++]!); }
    return new OverlayDiff(mAddrs, mList);
  }
}

/** An account as the block overlay holds it. */
export interface OverlayAccount {
  exists: boolean;
  nonce: bigint;
  balance: bigint;
  codeHash: Uint8Array;
  code: Uint8Array;
  /** Storage epoch: greater than 0 means the storage below the block was wiped. */
  epoch: number;
  storage: Map<bigint, bigint>;
  /** Only storage changed (no account record in the overlay). */
  fieldsUnchanged?: boolean;
}
/**
 * The block overlay's accounts (Engine.readOverlay): `addrs` (0x-hex, lower case) in address order, `list` the
 * account of each; `accounts` the same as a map, built on first use.
 */
export class OverlayDiff {
  private map?: Map<string, OverlayAccount>;
  constructor(readonly addrs: readonly string[], readonly list: readonly OverlayAccount[]) {}
  /** The accounts by address (insertion in address order). */
  get accounts(): Map<string, OverlayAccount> {
    if (this.map === undefined) {
      const m = new Map<string, OverlayAccount>();
      for (let i = 0; i < this.addrs.length; i++) m.set(this.addrs[i]!, this.list[i]!);
      this.map = m;
    }
    return this.map;
  }
}

/** The records of an indexed overlay table (dense, the first TD_COUNT in use), as pointers. */
function tableRecords(dv: DataView, td: number, abi: Abi): Uint32Array {
  if (dv.getUint32(td + abi.TD_GROW, true) !== abi.TD_INDEXED) throw new ParevmError('ENGINE_CONFIG', 'tableRecords: not an indexed table');
  const base = dv.getUint32(td + abi.TD_BASE, true);
  const size = dv.getUint32(td + 16, true);
  const out = new Uint32Array(dv.getUint32(td + abi.TD_COUNT, true));
  for (let i = 0; i < out.length; i++) out[i] = base + i * size;
  return out;
}

/** Byte order of the 20-byte addresses at `a` and `b` in `u8` (negative, zero or positive). */
function compareAddress(u8: Uint8Array, a: number, b: number): number {
  for (let k = 0; k < 20; k++) { const d = u8[a + k]! - u8[b + k]!; if (d !== 0) return d; }
  return 0;
}

/**
 * `recs` (record pointers, distinct addresses) ordered by the 20-byte address at `off` in each record: byte
 * order, which is the order of their 0x-hex strings. Sorted by packedOrder on the 32 bits of the address that
 * follow the prefix all of them share (so that sequential addresses differ in them too); the rare run of equal
 * bits by whole addresses. (A map of 20,000 accounts and a sort of its keys cost ~5 ms of a raw-transfer
 * block's 30 ms of finalisation.)
 */
export function addressOrder(u8: Uint8Array, recs: Uint32Array, off: number): Uint32Array {
  const n = recs.length;
  if (n < 2) return recs;
  const f = recs[0]! + off;
  let p = 20; // the prefix every address shares
  for (let i = 1; i < n && p > 0; i++) {
    const a = recs[i]! + off;
    let k = 0;
    while (k < p && u8[a + k] === u8[f + k]) k++;
    p = k;
  }
  const byte = (a: number, k: number): number => (k < 20 ? u8[a + k]! : 0);
  const top = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const a = recs[i]! + off;
    top[i] = (byte(a, p) << 24) | (byte(a, p + 1) << 16) | (byte(a, p + 2) << 8) | byte(a, p + 3);
  }
  const order = packedOrder(top, (i, j) => compareAddress(u8, recs[i]! + off, recs[j]! + off));
  for (let i = 0; i < n; i++) order[i] = recs[order[i]!]!;
  return order;
}

/** Index in `order` (addressOrder) of the record whose address equals the 20 bytes at `at`, else -1. */
function findAddress(u8: Uint8Array, order: Uint32Array, off: number, at: number): number {
  let lo = 0, hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const d = compareAddress(u8, order[mid]! + off, at);
    if (d === 0) return mid;
    if (d < 0) lo = mid + 1; else hi = mid;
  }
  return -1;
}

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** The char codes of each byte's two hex digits. */
const HEX_CODES = Uint16Array.from({ length: 512 }, (_, i) => '0123456789abcdef'.charCodeAt(i & 1 ? (i >> 1) & 15 : i >> 5));
const ADDR_CODES: number[] = new Array(42).fill(0x30);
ADDR_CODES[1] = 0x78; // '0x'
/** 0x-hex of `len` bytes at `p` (or of all of `b`). */
function hex(b: Uint8Array, p = 0, len = b.length - p): string {
  if (len === 20) {
    // an address (readOverlay, once per account): one flat string from its char codes, ~2x faster than 20
    // concatenations (each of which allocates a rope node the map key then flattens)
    for (let i = 0; i < 20; i++) { const x = b[p + i]! << 1; ADDR_CODES[2 + 2 * i] = HEX_CODES[x]!; ADDR_CODES[3 + 2 * i] = HEX_CODES[x + 1]!; }
    return String.fromCharCode.apply(null, ADDR_CODES);
  }
  let s = '0x';
  for (let i = p; i < p + len; i++) s += HEX2[b[i]];
  return s;
}

/** Applies an overlay diff to a copy of `pre`, giving the post-state. */
export function applyDiff(pre: WorldState, diff: OverlayDiff): WorldState {
  const post: WorldState = new Map(pre);
  for (const [addr, a] of diff.accounts) {
    const old = pre.get(addr);
    if (a.fieldsUnchanged) {
      if (!old) continue;
      const storage = new Map(old.storage);
      for (const [k, v] of a.storage) { if (v === 0n) storage.delete(k); else storage.set(k, v); }
      post.set(addr, { ...old, storage });
      continue;
    }
    if (!a.exists) { post.delete(addr); continue; }
    const storage = a.epoch > 0 || !old ? new Map<bigint, bigint>() : new Map(old.storage);
    for (const [k, v] of a.storage) { if (v === 0n) storage.delete(k); else storage.set(k, v); }
    const acct: AccountState = { nonce: a.nonce, balance: a.balance, code: a.code, storage, codeHash: a.codeHash };
    post.set(addr, acct);
  }
  return post;
}
