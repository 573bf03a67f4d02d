// Shared by the EIP unit tests and bench/micro.ts: a small EVM assembler and a one-block runner over the
// sequential Engine. Nothing here computes gas; the tests derive their expectations from the EIP texts.
import { Engine, applyDiff, STATUS_NAMES, type TxResult, type EngineOptions } from '../../src/engine/engine.js';
import { Fork } from '../../src/forks.js';
import { intrinsicGas, type Tx, type AccessListEntry } from '../../src/tx.js';
import type { WorldState, AccountState } from '../../src/state.js';

// ---------------------------------------------------------------------------------------------------------
// Opcodes

export const OPCODES: Record<string, number> = {
  STOP: 0x00, ADD: 0x01, MUL: 0x02, SUB: 0x03, DIV: 0x04, SDIV: 0x05, MOD: 0x06, SMOD: 0x07, ADDMOD: 0x08,
  MULMOD: 0x09, EXP: 0x0a, SIGNEXTEND: 0x0b,
  LT: 0x10, GT: 0x11, SLT: 0x12, SGT: 0x13, EQ: 0x14, ISZERO: 0x15, AND: 0x16, OR: 0x17, XOR: 0x18, NOT: 0x19,
  BYTE: 0x1a, SHL: 0x1b, SHR: 0x1c, SAR: 0x1d,
  KECCAK256: 0x20, SHA3: 0x20,
  ADDRESS: 0x30, BALANCE: 0x31, ORIGIN: 0x32, CALLER: 0x33, CALLVALUE: 0x34, CALLDATALOAD: 0x35,
  CALLDATASIZE: 0x36, CALLDATACOPY: 0x37, CODESIZE: 0x38, CODECOPY: 0x39, GASPRICE: 0x3a, EXTCODESIZE: 0x3b,
  EXTCODECOPY: 0x3c, RETURNDATASIZE: 0x3d, RETURNDATACOPY: 0x3e, EXTCODEHASH: 0x3f,
  BLOCKHASH: 0x40, COINBASE: 0x41, TIMESTAMP: 0x42, NUMBER: 0x43, PREVRANDAO: 0x44, DIFFICULTY: 0x44,
  GASLIMIT: 0x45, CHAINID: 0x46, SELFBALANCE: 0x47, BASEFEE: 0x48, BLOBHASH: 0x49, BLOBBASEFEE: 0x4a,
  POP: 0x50, MLOAD: 0x51, MSTORE: 0x52, MSTORE8: 0x53, SLOAD: 0x54, SSTORE: 0x55, JUMP: 0x56, JUMPI: 0x57,
  PC: 0x58, MSIZE: 0x59, GAS: 0x5a, JUMPDEST: 0x5b, TLOAD: 0x5c, TSTORE: 0x5d, MCOPY: 0x5e, PUSH0: 0x5f,
  LOG0: 0xa0, LOG1: 0xa1, LOG2: 0xa2, LOG3: 0xa3, LOG4: 0xa4,
  CREATE: 0xf0, CALL: 0xf1, CALLCODE: 0xf2, RETURN: 0xf3, DELEGATECALL: 0xf4, CREATE2: 0xf5,
  STATICCALL: 0xfa, REVERT: 0xfd, INVALID: 0xfe, SELFDESTRUCT: 0xff,
};
for (let i = 1; i <= 32; i++) OPCODES[`PUSH${i}`] = 0x5f + i;
for (let i = 1; i <= 16; i++) { OPCODES[`DUP${i}`] = 0x7f + i; OPCODES[`SWAP${i}`] = 0x8f + i; }

/** Big-endian bytes of `v`, at least `min` bytes (a push of zero still takes one byte). */
function beBytes(v: bigint, min = 1): number[] {
  if (v < 0n) throw new Error(`negative immediate ${v}`);
  const out: number[] = [];
  while (v > 0n) { out.unshift(Number(v & 0xffn)); v >>= 8n; }
  while (out.length < min) out.unshift(0);
  return out;
}

function parseNum(tok: string): bigint {
  if (/^-?0x[0-9a-f]*$/i.test(tok) || /^-?\d+$/.test(tok)) {
    const neg = tok.startsWith('-');
    const v = BigInt(neg ? tok.slice(1) : tok);
    return neg ? (1n << 256n) - v : v;
  }
  throw new Error(`bad number ${tok}`);
}

/**
 * Assembles EVM bytecode from whitespace-separated tokens (`;` starts a comment to end of line):
 * - an opcode name (`ADD`, `SSTORE`, `DUP1`, ...);
 * - `PUSHn v`: a push with an n-byte immediate (v decimal or 0x hex; big values allowed);
 * - `PUSH v`: the shortest PUSH1..PUSH32 for v (never PUSH0; write PUSH0 explicitly);
 * - `name:` defines a label and emits a JUMPDEST there; `@name` pushes the label's offset (PUSH2);
 * - `.hex 0x...` emits raw bytes; `.push 0x...` pushes the given bytes with a PUSH of that length.
 */
export function asm(src: string): Uint8Array {
  const toks = src.replace(/;[^\n]*/g, ' ').split(/\s+/).filter((t) => t.length > 0);
  // Label pushes are always PUSH2, so offsets do not depend on label values: pass 1 finds them, pass 2 emits.
  const emit = (labels: Map<string, number> | null): { code: number[]; defs: Map<string, number> } => {
    const out: number[] = [];
    const defs = new Map<string, number>();
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      const T = t.toUpperCase();
      if (t.endsWith(':')) {
        defs.set(t.slice(0, -1), out.length);
        out.push(OPCODES.JUMPDEST);
      } else if (t.startsWith('@')) {
        const name = t.slice(1);
        const pos = labels ? labels.get(name) : 0;
        if (pos === undefined) throw new Error(`unknown label ${name}`);
        out.push(0x61, (pos >> 8) & 0xff, pos & 0xff);
      } else if (T === '.HEX') {
        const h = toks[++i].replace(/^0x/i, '');
        for (let k = 0; k < h.length; k += 2) out.push(parseInt(h.slice(k, k + 2), 16));
      } else if (T === '.PUSH') {
        const h = toks[++i].replace(/^0x/i, '');
        const n = h.length / 2;
        if (n < 1 || n > 32 || h.length % 2) throw new Error(`.push of ${h}`);
        out.push(0x5f + n);
        for (let k = 0; k < h.length; k += 2) out.push(parseInt(h.slice(k, k + 2), 16));
      } else if (T === 'PUSH') {
        const b = beBytes(parseNum(toks[++i]));
        if (b.length > 32) throw new Error(`immediate too large: ${toks[i]}`);
        out.push(0x5f + b.length, ...b);
      } else if (/^PUSH([1-9]|[12]\d|3[0-2])$/.test(T)) {
        const n = OPCODES[T] - 0x5f;
        const b = beBytes(parseNum(toks[++i]), n);
        if (b.length > n) throw new Error(`immediate ${toks[i]} does not fit ${T}`);
        out.push(OPCODES[T], ...b);
      } else if (OPCODES[T] !== undefined) {
        out.push(OPCODES[T]);
      } else if (/^0x[0-9a-f]{1,2}$/i.test(t)) {
        out.push(parseInt(t, 16)); // a raw opcode byte
      } else {
        throw new Error(`unknown token ${t}`);
      }
    }
    return { code: out, defs };
  };
  return Uint8Array.from(emit(emit(null).defs).code);
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/**
 * Init code that deploys `runtime`: CODECOPY the runtime (placed right after this 14-byte prefix) to memory 0
 * and RETURN it.
 */
export function deployCode(runtime: Uint8Array): Uint8Array {
  const n = runtime.length;
  if (n > 0xffff) throw new Error('runtime too large for the PUSH2 prefix');
  // PUSH2 n  PUSH1 14  PUSH1 0  CODECOPY  PUSH2 n  PUSH1 0  RETURN   = 3+2+2+1+3+2+1 = 14 bytes
  const prefix = Uint8Array.from([0x61, n >> 8, n & 0xff, 0x60, 14, 0x60, 0, 0x39, 0x61, n >> 8, n & 0xff, 0x60, 0, 0xf3]);
  return concat(prefix, runtime);
}

// ---------------------------------------------------------------------------------------------------------
// Addresses and state

/** A 20-byte address whose last bytes are `n` (big-endian). */
export function addr(n: number | bigint): Uint8Array {
  const a = new Uint8Array(20);
  let v = BigInt(n);
  for (let i = 19; i >= 0 && v > 0n; i--) { a[i] = Number(v & 0xffn); v >>= 8n; }
  return a;
}
export function addrHex(a: Uint8Array): string {
  return '0x' + Buffer.from(a).toString('hex');
}
/** 32-byte big-endian word. */
export function word(v: bigint): Uint8Array {
  return Uint8Array.from(beBytes(v, 32));
}
export function toBig(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + Buffer.from(b).toString('hex'));
}

export const SENDER = addr(0x5e4d);
export const COINBASE = addr(0xc014ba5e);
/** Default contract address the tests call. */
export const CONTRACT = addr(0xc0de);

export interface AccountSpec {
  nonce?: bigint;
  balance?: bigint;
  code?: Uint8Array | string;
  storage?: Record<string, bigint> | Map<bigint, bigint>;
}

/** Builds a WorldState from `{ address: spec }` (address as Uint8Array hex or 0x string), plus a funded sender. */
export function makeState(accounts: [Uint8Array, AccountSpec][], sender = SENDER): WorldState {
  const st: WorldState = new Map();
  st.set(addrHex(sender), { nonce: 0n, balance: 10n ** 24n, code: new Uint8Array(0), storage: new Map() });
  for (const [a, s] of accounts) {
    const storage = new Map<bigint, bigint>();
    if (s.storage instanceof Map) for (const [k, v] of s.storage) storage.set(k, v);
    else if (s.storage) for (const [k, v] of Object.entries(s.storage)) storage.set(BigInt(k), v);
    const code = typeof s.code === 'string' ? asm(s.code) : s.code ?? new Uint8Array(0);
    const acct: AccountState = { nonce: s.nonce ?? (code.length > 0 ? 1n : 0n), balance: s.balance ?? 0n, code, storage };
    st.set(addrHex(a), acct);
  }
  return st;
}

// ---------------------------------------------------------------------------------------------------------
// Running transactions

let shared: Engine | undefined;
/** One engine per process (the test files run in one process under uvu). */
export function engine(opts?: EngineOptions): Engine {
  if (opts) return new Engine(opts);
  shared ??= new Engine({
    accounts: 1 << 10, slots: 1 << 12, codes: 1 << 8, codeHeapBytes: 1 << 22, inputBytes: 1 << 22,
  });
  return shared;
}

export interface TxSpec {
  /** Recipient; null creates a contract. Default CONTRACT. */
  to?: Uint8Array | null;
  data?: Uint8Array;
  value?: bigint;
  gasLimit?: bigint;
  /** Default 0 (with base fee 0, so gas costs no ether and balances stay exact). */
  gasPrice?: bigint;
  accessList?: AccessListEntry[];
  /** Transaction type; 1 when an access list is given, else 0. */
  type?: 0 | 1 | 2;
  sender?: Uint8Array;
  nonce?: bigint;
}

export interface BlockSpec {
  fork?: Fork;
  gasLimit?: bigint;
}

export interface RunResult extends TxResult {
  post: WorldState;
  statusName: string;
  /** The intrinsic gas the test passed to the engine (src/tx.ts intrinsicGas). */
  intrinsic: bigint;
}

function makeTx(s: TxSpec, nonce: bigint): Tx {
  const gp = s.gasPrice ?? 0n;
  const accessList = s.accessList ?? [];
  return {
    type: s.type ?? (accessList.length > 0 ? 1 : 0),
    chainId: 1n,
    nonce,
    gasPrice: gp,
    maxFeePerGas: gp,
    maxPriorityFeePerGas: gp,
    gasLimit: s.gasLimit ?? 1_000_000n,
    to: s.to === undefined ? CONTRACT : s.to,
    value: s.value ?? 0n,
    data: s.data ?? new Uint8Array(0),
    accessList,
    v: 0n, r: 0n, s: 0n, yParity: 0,
  };
}

/**
 * A block on the shared engine: `pre` loaded, then each `run` executes one transaction on the overlay left
 * by the previous ones. `post()` is the state after the transactions so far.
 */
export class Block {
  readonly e: Engine;
  readonly fork: Fork;
  private ptr: number;
  private nonces = new Map<string, bigint>();
  private gasUsed = 0n;

  constructor(readonly pre: WorldState, b: BlockSpec = {}, e: Engine = engine()) {
    this.e = e;
    this.fork = b.fork ?? Fork.Cancun;
    e.loadState(pre);
    e.beginBlock({
      fork: this.fork, chainId: 1n, coinbase: COINBASE, number: 1n, timestamp: 1000n,
      gasLimit: b.gasLimit ?? 30_000_000n, baseFee: 0n, prevRandao: 0n, blobBaseFee: 1n,
    });
    e.setBlockGasUsed(0n, 0n);
    this.ptr = e.inputBase;
  }

  run(s: TxSpec = {}): RunResult {
    const sender = s.sender ?? SENDER;
    const key = addrHex(sender);
    const nonce = s.nonce ?? this.nonces.get(key) ?? this.pre.get(key)?.nonce ?? 0n;
    const tx = makeTx(s, nonce);
    const intrinsic = intrinsicGas(tx, this.fork);
    const e = this.e;
    e.setBlockGasUsed(this.gasUsed, 0n);
    const end = e.writeTx(this.ptr, { tx, sender, intrinsicGas: intrinsic });
    const r = e.runTx(this.ptr, end);
    this.ptr = (end + 1024 + 63) & ~63; // leave room for the result record before the next transaction
    if (r.valid) {
      this.nonces.set(key, nonce + 1n);
      this.gasUsed += r.gasUsed;
    }
    return { ...r, post: this.post(), statusName: STATUS_NAMES[r.status] ?? String(r.status), intrinsic };
  }

  post(): WorldState {
    return applyDiff(this.pre, this.e.readOverlay());
  }
}

/** Loads `pre`, runs one transaction in a fresh block, returns the result and the post-state. */
export function runTx(pre: WorldState, s: TxSpec = {}, b: BlockSpec = {}): RunResult {
  return new Block(pre, b).run(s);
}

/** One contract at CONTRACT with `code` (assembly text or bytes), called with `tx`. */
export function runCode(code: string | Uint8Array, s: TxSpec = {}, b: BlockSpec = {}, extra: [Uint8Array, AccountSpec][] = []): RunResult {
  const pre = makeState([[CONTRACT, { code, balance: 0n }], ...extra]);
  return runTx(pre, s, b);
}

/** Storage of `a` in a post-state (slot -> value, zero slots absent). */
export function storageOf(st: WorldState, a: Uint8Array): Map<bigint, bigint> {
  return st.get(addrHex(a))?.storage ?? new Map();
}
export function sload(st: WorldState, a: Uint8Array, slot: bigint): bigint {
  return storageOf(st, a).get(slot) ?? 0n;
}

/**
 * The cost-measuring idiom used by several tests: `GAS <code> GAS SWAP1 SUB PUSH 2 SWAP1 SUB` leaves
 * (gas before - gas after - 2) = the cost of <code> on the stack (the second GAS costs 2 itself).
 * `measure(code)` returns assembly that stores that cost in slot `slot`.
 */
export function measure(code: string, slot: number): string {
  return `GAS ${code} GAS SWAP1 SUB PUSH 2 SWAP1 SUB PUSH ${slot} SSTORE`;
}
