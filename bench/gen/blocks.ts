// Deterministic synthetic blocks for the parallel-vs-sequential tests, the determinism check and the gigagas
// benchmark. Every generator returns `{ name, block, state, fork, description }`: a complete pre-state (so the
// state root can be computed) and transactions with `from` set (no signatures to recover; r = s = 1 and v = 37,
// EIP-155 on chain 1, only pass the static signature-value checks).
//
// No clock and no Math.random: "random" addresses and amounts come from a seeded PRNG (sfc32) per generator, so a
// generator called twice with the same arguments returns the same block.
//
// Block environment (../shared/fixtures/contracts/README.md, "Common block setup"): number 0, timestamp 1,
// coinbase 0x00..00, base fee 0, gas limit 2^64-1, prevrandao 0, excess blob gas 0; Cancun rules. The coinbase
// exists in the pre-state as an empty account (except in the raw-transfer block, where it is funded like the
// senders). `specialCases()` departs from this where a case needs it (non-zero base fee, another coinbase,
// Shanghai rules) and says so in its description.
//
// The ERC-20 contract is the pevm ERC20Token runtime code, read at run time from
// $PAREVM_SHARED/fixtures/contracts/ERC20Token.hex (default ../shared relative to the working directory).
// The small contracts of the special cases are written here in raw bytecode with `asm()` below.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { Block, BlockHeader, BlockTx, UncleHeader, Withdrawal } from '../../src/block.js';
import { Fork } from '../../src/forks.js';
import { rlpEncode } from '../../src/rlp.js';
import type { Tx } from '../../src/tx.js';
import type { AccountState, WorldState } from '../../src/state.js';

/** What every generator returns. */
export interface GeneratedBlock {
  /** Short identifier (tables, test names). */
  name: string;
  block: Block;
  state: WorldState;
  fork: Fork;
  description: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers: PRNG, bytes, addresses, storage keys.

/** sfc32 seeded from a string (FNV-1a of the seed, then 12 warm-up rounds). Deterministic, not cryptographic. */
export class Rng {
  private a: number; private b: number; private c: number; private d: number;
  constructor(seed: string) {
    let h = 0x811c9dc5;
    for (let i = 0; i < seed.length; i++) { h ^= seed.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    this.a = h; this.b = h ^ 0x9e3779b9; this.c = Math.imul(h, 0x85ebca6b) >>> 0; this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** In [0, 1). */
  float(): number { return this.u32() / 2 ** 32; }
  /** Integer in [0, n). */
  int(n: number): number { return Math.floor(this.float() * n); }
  bytes(k: number): Uint8Array {
    const out = new Uint8Array(k);
    for (let i = 0; i < k; i += 4) {
      const x = this.u32();
      for (let j = 0; j < 4 && i + j < k; j++) out[i + j] = (x >>> (8 * j)) & 0xff;
    }
    return out;
  }
  /** Fisher-Yates, in place. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) { const j = this.int(i + 1); const t = xs[i]; xs[i] = xs[j]; xs[j] = t; }
    return xs;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Lowercase 0x hex. */
export function toHex(b: Uint8Array): string {
  let s = '0x';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}
export function fromHex(h: string): Uint8Array {
  const s = h.trim().replace(/^0x/i, '');
  if (s.length % 2 !== 0 || /[^0-9a-f]/i.test(s)) throw new Error(`bad hex (${s.length} chars)`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}
/** v as a big-endian word of `len` bytes. */
export function be(v: bigint, len = 32): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0 && v > 0n; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
/** Big-endian bytes as a bigint (0 for none). */
export const bigOf = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(toHex(b)));
/** The 20-byte address whose integer value is i (README: raw-transfer accounts are 1000 ... 1000+N-1). */
export const addrOfInt = (i: bigint | number): Uint8Array => be(BigInt(i), 20);
/** pad32(address) as a bigint. */
const addrWord = (a: Uint8Array): bigint => bigOf(a);
/** Solidity `mapping(address => ...)` at slot p: keccak256(pad32(key) ++ pad32(p)). */
export function mappingSlot(key: Uint8Array, p: bigint): bigint {
  return bigOf(keccak_256(concat(be(addrWord(key)), be(p))));
}
/** Short (< 32 bytes) Solidity string: bytes left-aligned, lowest byte 2 * length. */
export function shortString(s: string): bigint {
  const b = new TextEncoder().encode(s);
  if (b.length >= 32) throw new Error('long string');
  const w = new Uint8Array(32);
  w.set(b, 0);
  w[31] = 2 * b.length;
  return bigOf(w);
}
/** CREATE2 address: keccak256(0xff ++ deployer ++ salt ++ keccak256(initCode))[12:]. */
export function create2Address(deployer: Uint8Array, salt: bigint, initCode: Uint8Array): Uint8Array {
  return keccak_256(concat(Uint8Array.of(0xff), deployer, be(salt), keccak_256(initCode))).subarray(12);
}

/** The address CREATE gives `sender` at `nonce`. */
export function createAddress(sender: Uint8Array, nonce: bigint): Uint8Array {
  return keccak_256(rlpEncode([sender, nonce])).subarray(12);
}

/** Fresh distinct random addresses (never a precompile or one already used in the block). */
export class Addresses {
  private used = new Set<string>();
  constructor(private rng: Rng) {}
  reserve(a: Uint8Array): Uint8Array { this.used.add(toHex(a)); return a; }
  next(): Uint8Array {
    for (;;) {
      const a = this.rng.bytes(20);
      a[0] |= 0x10; // never a low (precompile / system) address
      const h = toHex(a);
      if (this.used.has(h)) continue;
      this.used.add(h);
      return a;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Contracts. Bytecode fixtures are read at run time from the shared folder (never copied into the repository).

/** $PAREVM_SHARED, default ../shared relative to the working directory. */
export function sharedDir(): string { return resolve(process.env.PAREVM_SHARED ?? '../shared'); }

const codeCache = new Map<string, Uint8Array>();
/** Runtime bytecode of a contract of ../shared/fixtures/contracts (e.g. 'ERC20Token'). */
export function fixtureCode(name: string): Uint8Array {
  let c = codeCache.get(name);
  if (!c) {
    const file = join(sharedDir(), 'fixtures', 'contracts', `${name}.hex`);
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch (e) {
      throw new Error(`contract bytecode ${file} not found (set PAREVM_SHARED to the shared data folder): ${(e as Error).message}`);
    }
    c = fromHex(text);
    codeCache.set(name, c);
  }
  return c;
}

const OP: Record<string, number> = {
  STOP: 0x00, ADD: 0x01, MUL: 0x02, SUB: 0x03, DIV: 0x04, LT: 0x10, GT: 0x11, EQ: 0x14, ISZERO: 0x15, AND: 0x16,
  OR: 0x17, SHL: 0x1b, SHR: 0x1c, KECCAK256: 0x20, ADDRESS: 0x30, BALANCE: 0x31, ORIGIN: 0x32, CALLER: 0x33,
  CALLVALUE: 0x34, CALLDATALOAD: 0x35, CALLDATASIZE: 0x36, CALLDATACOPY: 0x37, CODESIZE: 0x38, CODECOPY: 0x39,
  EXTCODESIZE: 0x3b, RETURNDATASIZE: 0x3d, EXTCODEHASH: 0x3f, BLOCKHASH: 0x40, COINBASE: 0x41, TIMESTAMP: 0x42, NUMBER: 0x43,
  SELFBALANCE: 0x47, BASEFEE: 0x48, POP: 0x50, MLOAD: 0x51, MSTORE: 0x52, SLOAD: 0x54, SSTORE: 0x55, JUMP: 0x56,
  JUMPI: 0x57, GAS: 0x5a, JUMPDEST: 0x5b, PUSH0: 0x5f, LOG0: 0xa0, LOG1: 0xa1, CREATE: 0xf0, CALL: 0xf1,
  RETURN: 0xf3, CREATE2: 0xf5, STATICCALL: 0xfa, REVERT: 0xfd, INVALID: 0xfe, SELFDESTRUCT: 0xff,
  MOD: 0x06, XOR: 0x18, EXTCODECOPY: 0x3c, TLOAD: 0x5c, TSTORE: 0x5d, LOG2: 0xa2, CALLCODE: 0xf2, DELEGATECALL: 0xf4,
  GASPRICE: 0x3a, DIFFICULTY: 0x44, PREVRANDAO: 0x44, GASLIMIT: 0x45, CHAINID: 0x46, BLOBBASEFEE: 0x4a,
};
for (let i = 1; i <= 16; i++) { OP[`DUP${i}`] = 0x7f + i; OP[`SWAP${i}`] = 0x8f + i; }

/**
 * A tiny EVM assembler. Tokens separated by white space, `//` comments to end of line:
 * an opcode name; a number (decimal or 0x hex) = the shortest PUSH of it (PUSH0 for zero: Shanghai and later;
 * PUSH1 0 with `push0: false`, for earlier forks); `name:` a JUMPDEST label; `@name` pushes the label's offset
 * (always PUSH2, so pass 1 fixes every offset).
 */
export function asm(src: string, opts: { push0?: boolean } = {}): Uint8Array {
  const push0 = opts.push0 !== false;
  const toks = src.replace(/\/\/[^\n]*/g, ' ').split(/\s+/).filter((t) => t !== '');
  const emit = (labels: Map<string, number> | null): { code: number[]; defs: Map<string, number> } => {
    const code: number[] = [];
    const defs = new Map<string, number>();
    for (const t of toks) {
      if (t.endsWith(':')) { defs.set(t.slice(0, -1), code.length); code.push(OP.JUMPDEST); continue; }
      if (t.startsWith('@')) {
        const at = labels ? labels.get(t.slice(1)) : 0;
        if (at === undefined) throw new Error(`asm: unknown label ${t}`);
        code.push(0x61, at >> 8, at & 0xff);
        continue;
      }
      if (/^(0x[0-9a-f]+|\d+)$/i.test(t)) {
        let v = BigInt(t);
        const bytes: number[] = [];
        while (v > 0n) { bytes.unshift(Number(v & 0xffn)); v >>= 8n; }
        if (bytes.length > 32) throw new Error(`asm: ${t} exceeds 32 bytes`);
        if (bytes.length === 0 && !push0) bytes.push(0);
        code.push(0x5f + bytes.length, ...bytes);
        continue;
      }
      const op = OP[t.toUpperCase()];
      if (op === undefined) throw new Error(`asm: unknown opcode ${t}`);
      code.push(op);
    }
    return { code, defs };
  };
  const pass1 = emit(null).defs;
  const { code, defs } = emit(pass1);
  for (const [k, v] of pass1) if (defs.get(k) !== v) throw new Error(`asm: unstable label ${k}`);
  return Uint8Array.from(code);
}

/** Init code that runs `prologue` and then returns `runtime` (appended after the init code). */
export function initCode(prologue: string, runtime: Uint8Array, opts: { push0?: boolean } = {}): Uint8Array {
  // `prologue` then CODECOPY(0, offset, len) RETURN(0, len); the offset is the init code's own length.
  const build = (off: number) => asm(`${prologue} ${runtime.length} DUP1 ${off} 0 CODECOPY 0 RETURN`, opts);
  let n = build(0xffff).length;
  for (let i = 0; i < 3; i++) { const m = build(n).length; if (m === n) break; n = m; }
  const head = build(n);
  if (head.length !== n) throw new Error('initCode: prologue size did not settle');
  return concat(head, runtime);
}

/** slot 0 += 1 on every call. */
export const COUNTER_CODE = asm('0 SLOAD 1 ADD 0 SSTORE STOP');

/** For every 32-byte calldata word k (an address a): slot 32k = BALANCE(a), slot 32k+1 = EXTCODEHASH(a). */
export const PROBE_CODE = asm(`
  0
loop:
  DUP1 CALLDATASIZE GT ISZERO @end JUMPI   // [i]; stop when calldatasize <= i
  DUP1 CALLDATALOAD                        // [i, a]
  DUP1 BALANCE DUP3 SSTORE                 // slot i = balance(a)        [i, a]
  EXTCODEHASH DUP2 1 ADD SSTORE            // slot i+1 = extcodehash(a)  [i]
  32 ADD @loop JUMP
end:
  STOP
`);

/** slot calldata[0] = BALANCE(COINBASE), slot calldata[0] + 1 = SELFBALANCE. */
export const COINBASE_PROBE_CODE = asm('COINBASE BALANCE 0 CALLDATALOAD SSTORE SELFBALANCE 0 CALLDATALOAD 1 ADD SSTORE STOP');

/** SELFDESTRUCT to the address in calldata word 0 (the zero address when there is no calldata). */
export const SELFDESTRUCT_CODE = asm('0 CALLDATALOAD SELFDESTRUCT');

/**
 * CREATE2 factory. Calldata: word 0 flags (bit 0: call the new contract right away with calldata = word 2),
 * word 1 salt, word 2 beneficiary, then the init code. CREATE2(value = CALLVALUE, init code, salt); slot salt =
 * the new address (0 when CREATE2 failed, e.g. on an address collision).
 */
export const FACTORY_CODE = asm(`
  96 CALLDATASIZE SUB                      // [len]
  DUP1 96 0 CALLDATACOPY                   // mem[0..len] = init code          [len]
  32 CALLDATALOAD SWAP1 0 CALLVALUE        // [salt, len, 0, value]
  CREATE2                                  // [addr]
  DUP1 32 CALLDATALOAD SSTORE              // slot salt = addr                 [addr]
  0 CALLDATALOAD 1 AND ISZERO @done JUMPI
  64 CALLDATALOAD 0 MSTORE                 // mem[0..32] = beneficiary
  0 0 32 0 0 DUP6 GAS CALL POP             // CALL(gas, addr, 0, 0, 32, 0, 0)
done:
  STOP
`);

/** Child runtime: with calldata, SELFDESTRUCT to calldata word 0; without, slot 0 += 1 and return it. */
export const CHILD_RUNTIME = asm(`
  CALLDATASIZE ISZERO @get JUMPI
  0 CALLDATALOAD SELFDESTRUCT
get:
  0 SLOAD 1 ADD DUP1 0 SSTORE 0 MSTORE 32 0 RETURN
`);
/** Child init code: slot 0 = 42, slot 1 = CALLVALUE; deploys CHILD_RUNTIME. */
export const CHILD_INIT = initCode('42 0 SSTORE CALLVALUE 1 SSTORE', CHILD_RUNTIME);

const SEL_TRANSFER = fromHex('a9059cbb');
/** ERC-20 `transfer(to, amount)` calldata. */
export function erc20TransferData(to: Uint8Array, amount: bigint): Uint8Array {
  return concat(SEL_TRANSFER, be(addrWord(to)), be(amount));
}

// ---------------------------------------------------------------------------------------------------------------
// Blocks, transactions, accounts.

/** 10^18 wei. */
export const ETHER = 10n ** 18n;
const GWEI = 10n ** 9n;
const U64_MAX = (1n << 64n) - 1n;
/** README: ERC-20 gas price 3,000,000,007 wei. */
export const ERC20_GAS_PRICE = 3_000_000_007n;
/** Enough for a transfer to a holder whose balance slot is still zero (a 20,000-gas SSTORE); README uses 35,000 for self-transfers. */
const ERC20_GAS_LIMIT = 100_000n;
/** 0x00..00: the coinbase of the generated blocks. */
export const ZERO_ADDRESS = new Uint8Array(20);

function header(opts: { baseFee?: bigint; coinbase?: Uint8Array } = {}): BlockHeader {
  return {
    number: 0n, timestamp: 1n, miner: opts.coinbase ?? ZERO_ADDRESS, gasLimit: U64_MAX, difficulty: 0n,
    mixHash: new Uint8Array(32), baseFeePerGas: opts.baseFee ?? 0n, excessBlobGas: 0n,
  };
}

interface TxParams { from: Uint8Array; nonce: bigint; to: Uint8Array | null; value?: bigint; data?: Uint8Array; gasLimit: bigint }

/** Legacy EIP-155 transaction on chain 1 (placeholder signature values r = s = 1, v = 37). */
export function legacy(p: TxParams & { gasPrice: bigint }): BlockTx {
  const tx: Tx = {
    type: 0, chainId: 1n, nonce: p.nonce, gasPrice: p.gasPrice, maxFeePerGas: p.gasPrice, maxPriorityFeePerGas: p.gasPrice,
    gasLimit: p.gasLimit, to: p.to, value: p.value ?? 0n, data: p.data ?? new Uint8Array(0), accessList: [],
    v: 37n, r: 1n, s: 1n, yParity: 0,
  };
  return { tx, from: p.from };
}

/** EIP-1559 transaction on chain 1 (placeholder signature values). */
function dynamicFee(p: TxParams & { maxFee: bigint; tip: bigint }): BlockTx {
  const tx: Tx = {
    type: 2, chainId: 1n, nonce: p.nonce, maxFeePerGas: p.maxFee, maxPriorityFeePerGas: p.tip,
    gasLimit: p.gasLimit, to: p.to, value: p.value ?? 0n, data: p.data ?? new Uint8Array(0), accessList: [],
    v: 0n, r: 1n, s: 1n, yParity: 0,
  };
  return { tx, from: p.from };
}

/** An account of the pre-state. */
export function account(balance: bigint, nonce = 0n, code: Uint8Array = new Uint8Array(0), storage = new Map<bigint, bigint>()): AccountState {
  return { nonce, balance, code, storage };
}

/** A GeneratedBlock with the README's common header (Cancun unless `fork` says otherwise). */
export function makeBlock(name: string, description: string, state: WorldState, txs: BlockTx[], opts: {
  fork?: Fork; baseFee?: bigint; coinbase?: Uint8Array;
  /** Header fields that replace the common header's (a key given as undefined removes the field). */
  header?: Partial<BlockHeader>;
  withdrawals?: Withdrawal[];
  uncleHeaders?: UncleHeader[];
} = {}): GeneratedBlock {
  const uncles = opts.uncleHeaders?.map((u) => toHex(keccak_256(concat(be(u.number), u.miner))));
  return {
    name, description, state, fork: opts.fork ?? Fork.Cancun,
    block: {
      header: { ...header(opts), ...opts.header }, transactions: txs, withdrawals: opts.withdrawals ?? [], uncles: uncles ?? [],
      ...(opts.uncleHeaders ? { uncleHeaders: opts.uncleHeaders } : {}),
    },
  };
}

/** The EIP-4788 beacon-roots contract: its address and the runtime code from the EIP (deployed so on every chain). */
export const BEACON_ROOTS_ADDRESS = '0x000f3df6d732807ef1319fb7b8bb8522d0beac02';
export const BEACON_ROOTS_CODE = fromHex('3373fffffffffffffffffffffffffffffffffffffffe14604d57602036146024575f5ffd5b5f35801560495762001fff810690815414603c575f5ffd5b62001fff01545f5260205ff35b5f5ffd5b62001fff42064281555f359062001fff015500');

/** A conflict share, checked to lie in [0, 1] (undefined = 0). */
export const clampShare = (s: number | undefined): number => {
  const v = s ?? 0;
  if (!(v >= 0 && v <= 1)) throw new Error(`conflict share ${s} outside [0, 1]`);
  return v;
};

/** Exactly round(share * n) of the indices 0..n-1, chosen by the PRNG, as a membership array. */
export function pick(rng: Rng, n: number, share: number): boolean[] {
  const k = Math.round(share * n);
  const idx = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const out = new Array<boolean>(n).fill(false);
  for (let i = 0; i < k; i++) out[idx[i]] = true;
  return out;
}

/**
 * An ERC20Token account per the README: totalSupply 222,222e18, name / symbol ("Gold Token" / "GLD" unless
 * given), 18 decimals; `_balances` at slot 0, `_allowances` at slot 1.
 */
export class Token {
  readonly storage: Map<bigint, bigint>;
  constructor(readonly address: Uint8Array, name = 'Gold Token', symbol = 'GLD') {
    this.storage = new Map<bigint, bigint>([[2n, 222_222n * ETHER], [3n, shortString(name)], [4n, shortString(symbol)], [5n, 18n]]);
  }
  /** `_balances[holder] = amount`. */
  setBalance(holder: Uint8Array, amount: bigint): void {
    if (amount !== 0n) this.storage.set(mappingSlot(holder, 0n), amount);
  }
  /** `_allowances[owner][spender] = amount`. */
  setAllowance(owner: Uint8Array, spender: Uint8Array, amount: bigint): void {
    if (amount !== 0n) this.storage.set(bigOf(keccak_256(concat(be(addrWord(spender)), be(mappingSlot(owner, 1n))))), amount);
  }
  account(): AccountState { return account(0n, 1n, fixtureCode('ERC20Token'), this.storage); }
}

// ---------------------------------------------------------------------------------------------------------------
// Generators.

/**
 * n value-1 transfers, as pevm's gigagas raw-transfer block: senders are the accounts 1000 ... 1000+n-1 (balance
 * 2^255, nonce 1), gas limit 21,000, gas price 1, nonce 1; the coinbase 0x0 is funded the same way. The README's
 * block sends each transfer to its own sender (`self: true`); by default each goes to a distinct fresh recipient
 * (the accounts 1000+n ... 1000+2n-1, absent from the pre-state).
 *
 * `conflict` (share in [0, 1]): that share of the transactions (chosen by the PRNG) is sent by one hot sender
 * (account 999) instead, so those transactions form one nonce chain (a value transfer to a hot recipient would
 * not conflict: balances are credited as lazy deltas).
 */
export function rawTransfers(n: number, opts: { conflict?: number; self?: boolean } = {}): GeneratedBlock {
  const share = clampShare(opts.conflict);
  const rng = new Rng(`rawTransfers/${n}/${share}`);
  const hot = pick(rng, n, share);
  const funded = 1n << 255n;
  const state: WorldState = new Map();
  state.set(toHex(ZERO_ADDRESS), account(funded, 1n));
  const hotSender = addrOfInt(999);
  let hotNonce = 1n;
  const txs: BlockTx[] = [];
  for (let i = 0; i < n; i++) {
    const sender = addrOfInt(1000 + i);
    const to = opts.self ? sender : addrOfInt(1000 + n + i);
    state.set(toHex(sender), account(funded, 1n));
    const from = hot[i] ? hotSender : sender;
    const nonce = hot[i] ? hotNonce++ : 1n;
    txs.push(legacy({ from, nonce, to, value: 1n, gasLimit: 21_000n, gasPrice: 1n }));
  }
  if (hotNonce > 1n) state.set(toHex(hotSender), account(funded, 1n));
  const k = Number(hotNonce - 1n);
  return makeBlock(`raw-transfers-${n}${opts.self ? '-self' : ''}${share ? `-c${share}` : ''}`,
    `${n} raw transfers (value 1, 21,000 gas, gas price 1) ${opts.self ? 'each to its own sender' : 'to distinct fresh recipients'}` +
    (k ? `, ${k} of them from one hot sender (a nonce chain)` : ', all independent'), state, txs);
}

/**
 * n ERC20Token transfers: n distinct holders (4,567 ether, nonce 0, token balance 10^18) each transfer an amount
 * 1-255 to a distinct fresh recipient (or to itself with `self: true`, pevm's independent block), gas price
 * 3,000,000,007, gas limit 100,000 (35,000 for self-transfers). `conflict` share sends to one hot recipient
 * instead: a read-modify-write of the same balance slot by each of those transactions.
 */
export function erc20Transfers(n: number, opts: { conflict?: number; self?: boolean } = {}): GeneratedBlock {
  const share = clampShare(opts.conflict);
  const rng = new Rng(`erc20Transfers/${n}/${share}`);
  const addrs = new Addresses(rng);
  const hot = pick(rng, n, share);
  const token = new Token(addrs.next());
  const hotRecipient = addrs.next();
  const state: WorldState = new Map();
  state.set(toHex(ZERO_ADDRESS), account(0n));
  const txs: BlockTx[] = [];
  for (let i = 0; i < n; i++) {
    const sender = addrs.next();
    const to = hot[i] ? hotRecipient : opts.self ? sender : addrs.next();
    state.set(toHex(sender), account(4_567n * ETHER));
    token.setBalance(sender, ETHER);
    const amount = BigInt(1 + rng.int(255));
    txs.push(legacy({
      from: sender, nonce: 0n, to: token.address, data: erc20TransferData(to, amount),
      gasLimit: opts.self && !hot[i] ? 35_000n : ERC20_GAS_LIMIT, gasPrice: ERC20_GAS_PRICE,
    }));
  }
  state.set(toHex(token.address), token.account());
  const k = hot.filter(Boolean).length;
  return makeBlock(`erc20-transfers-${n}${opts.self ? '-self' : ''}${share ? `-c${share}` : ''}`,
    `${n} ERC20Token transfers from distinct holders ${opts.self ? 'to themselves' : 'to distinct fresh recipients'}` +
    (k ? `, ${k} of them to one hot recipient (same balance slot)` : ', all independent'), state, txs);
}

export type ChainKind = 'transfer' | 'erc20' | 'counter';

/**
 * A fully dependent block: transaction i reads what transaction i-1 wrote.
 * - 'erc20' (default): a token relay: holder 0 has the tokens, holder i (4,567 ether, no tokens) transfers the
 *   same amount to holder i+1, so each transfer's balance check reads the slot the previous one credited (run
 *   early, it would revert);
 * - 'transfer': an ether relay: account 0 is funded, account i+1 exists only once transaction i pays it, and then
 *   sends everything it got minus the fee (21,000 gas at price 1) to account i+2;
 * - 'counter': n distinct senders each increment slot 0 of one counter contract.
 */
export function dependentChain(n: number, opts: { kind?: ChainKind } = {}): GeneratedBlock {
  const kind = opts.kind ?? 'erc20';
  const rng = new Rng(`dependentChain/${kind}/${n}`);
  const addrs = new Addresses(rng);
  const state: WorldState = new Map();
  state.set(toHex(ZERO_ADDRESS), account(0n));
  const txs: BlockTx[] = [];
  let description: string;
  if (kind === 'transfer') {
    const a = Array.from({ length: n + 1 }, () => addrs.next());
    let value = ETHER;
    state.set(toHex(a[0]), account(value + 21_000n));
    for (let i = 0; i < n; i++) {
      txs.push(legacy({ from: a[i], nonce: 0n, to: a[i + 1], value, gasLimit: 21_000n, gasPrice: 1n }));
      value -= 21_000n; // a[i+1] receives `value` and must pay the next value plus 21,000 wei of gas
    }
    description = `${n} ether transfers in a relay: each sender is funded only by the previous transaction`;
  } else if (kind === 'erc20') {
    const token = new Token(addrs.next());
    const h = Array.from({ length: n + 1 }, () => addrs.next());
    const amount = 1_000n * ETHER;
    token.setBalance(h[0], amount);
    for (let i = 0; i < n; i++) {
      state.set(toHex(h[i]), account(4_567n * ETHER));
      txs.push(legacy({ from: h[i], nonce: 0n, to: token.address, data: erc20TransferData(h[i + 1], amount), gasLimit: ERC20_GAS_LIMIT, gasPrice: ERC20_GAS_PRICE }));
    }
    state.set(toHex(token.address), token.account());
    description = `${n} ERC20Token transfers in a relay: each holder passes on the tokens the previous transaction gave it`;
  } else {
    const counter = addrs.next();
    state.set(toHex(counter), account(0n, 1n, COUNTER_CODE));
    for (let i = 0; i < n; i++) {
      const s = addrs.next();
      state.set(toHex(s), account(ETHER));
      txs.push(legacy({ from: s, nonce: 0n, to: counter, gasLimit: 100_000n, gasPrice: 1n }));
    }
    description = `${n} calls from distinct senders incrementing one counter slot`;
  }
  return makeBlock(`dependent-${kind}-${n}`, description, state, txs);
}

type MixedChain = 'eth-relay' | 'erc20-relay' | 'nonce' | 'erc20-hot' | 'counter';
const MIXED_CHAINS: MixedChain[] = ['eth-relay', 'erc20-relay', 'nonce', 'erc20-hot', 'counter'];

/**
 * n transactions, round(share * n) of them (at PRNG-chosen positions) in conflict chains where each member reads
 * what the previous member wrote, the rest independent (half ether transfers, half ERC-20 transfers, between
 * distinct fresh accounts). Chains (about 20 members each, at least 5 chains when there are 10+ chain members,
 * interleaved at random; `chains` sets their number, fewer chains = denser conflicts) rotate over: an ether
 * relay, an ERC-20 relay, a hot sender's nonce chain, ERC-20 transfers to one hot recipient, and calls
 * incrementing one counter.
 */
export function mixedConflicts(n: number, share: number, opts: { chains?: number } = {}): GeneratedBlock {
  share = clampShare(share);
  const rng = new Rng(`mixedConflicts/${n}/${share}/${opts.chains ?? ''}`);
  const addrs = new Addresses(rng);
  const state: WorldState = new Map();
  state.set(toHex(ZERO_ADDRESS), account(0n));
  const token = new Token(addrs.next());
  const inChain = pick(rng, n, share);
  const k = inChain.filter(Boolean).length;
  const chains = k === 0 ? 0 : Math.max(1, Math.min(k >> 1, opts.chains ?? Math.max(5, Math.round(k / 20))));
  // chain labels for the chain positions, in block order
  const labels = rng.shuffle(Array.from({ length: k }, (_, r) => r % Math.max(chains, 1)));
  const members = Array.from({ length: chains }, () => 0);
  for (const c of labels) members[c]++;
  // per-chain state
  interface Chain { kind: MixedChain; next: number; accounts: Uint8Array[]; value: bigint; hot: Uint8Array }
  const cs: Chain[] = [];
  for (let c = 0; c < chains; c++) {
    const kind = MIXED_CHAINS[c % MIXED_CHAINS.length];
    const len = members[c];
    const ch: Chain = { kind, next: 0, accounts: [], value: ETHER, hot: addrs.next() };
    if (kind === 'eth-relay') {
      ch.accounts = Array.from({ length: len + 1 }, () => addrs.next());
      state.set(toHex(ch.accounts[0]), account(ETHER + 21_000n));
    } else if (kind === 'erc20-relay') {
      ch.accounts = Array.from({ length: len + 1 }, () => addrs.next());
      token.setBalance(ch.accounts[0], 1_000n * ETHER);
      for (let j = 0; j < len; j++) state.set(toHex(ch.accounts[j]), account(4_567n * ETHER));
    } else if (kind === 'nonce') {
      state.set(toHex(ch.hot), account(4_567n * ETHER));
    } else if (kind === 'counter') {
      state.set(toHex(ch.hot), account(0n, 1n, COUNTER_CODE));
    } else if (kind === 'erc20-hot') {
      token.setBalance(ch.hot, 5n); // an existing holder
    }
    cs.push(ch);
  }
  const txs: BlockTx[] = [];
  let r = 0;
  for (let i = 0; i < n; i++) {
    if (!inChain[i]) {
      const s = addrs.next();
      if (rng.float() < 0.5) {
        state.set(toHex(s), account(ETHER));
        txs.push(legacy({ from: s, nonce: 0n, to: addrs.next(), value: BigInt(1 + rng.int(1000)), gasLimit: 21_000n, gasPrice: 1n }));
      } else {
        state.set(toHex(s), account(4_567n * ETHER));
        token.setBalance(s, ETHER);
        txs.push(legacy({ from: s, nonce: 0n, to: token.address, data: erc20TransferData(addrs.next(), BigInt(1 + rng.int(255))), gasLimit: ERC20_GAS_LIMIT, gasPrice: ERC20_GAS_PRICE }));
      }
      continue;
    }
    const ch = cs[labels[r++]];
    const j = ch.next++;
    switch (ch.kind) {
      case 'eth-relay':
        txs.push(legacy({ from: ch.accounts[j], nonce: 0n, to: ch.accounts[j + 1], value: ch.value, gasLimit: 21_000n, gasPrice: 1n }));
        ch.value -= 21_000n;
        break;
      case 'erc20-relay':
        txs.push(legacy({ from: ch.accounts[j], nonce: 0n, to: token.address, data: erc20TransferData(ch.accounts[j + 1], 1_000n * ETHER), gasLimit: ERC20_GAS_LIMIT, gasPrice: ERC20_GAS_PRICE }));
        break;
      case 'nonce':
        txs.push(legacy({ from: ch.hot, nonce: BigInt(j), to: addrs.next(), value: 1n, gasLimit: 21_000n, gasPrice: ERC20_GAS_PRICE }));
        break;
      case 'erc20-hot': {
        const s = addrs.next();
        state.set(toHex(s), account(4_567n * ETHER));
        token.setBalance(s, ETHER);
        txs.push(legacy({ from: s, nonce: 0n, to: token.address, data: erc20TransferData(ch.hot, BigInt(1 + rng.int(255))), gasLimit: ERC20_GAS_LIMIT, gasPrice: ERC20_GAS_PRICE }));
        break;
      }
      case 'counter': {
        const s = addrs.next();
        state.set(toHex(s), account(ETHER));
        txs.push(legacy({ from: s, nonce: 0n, to: ch.hot, gasLimit: 100_000n, gasPrice: 1n }));
        break;
      }
    }
  }
  const kinds = Math.min(chains, MIXED_CHAINS.length);
  state.set(toHex(token.address), token.account());
  return makeBlock(`mixed-${n}-s${share}${opts.chains ? `-c${opts.chains}` : ''}`,
    `${n} transactions, ${k} in ${chains} conflict chains (${MIXED_CHAINS.slice(0, kinds).join(', ')}), ${n - k} independent ether/ERC-20 transfers`,
    state, txs);
}

/**
 * Small blocks for edge cases of the parallel executor (each exercising a dependency through a location other
 * than a plain storage slot):
 * - `nonce-chain`: 10 transactions from one sender (nonces 0-9);
 * - `hot-recipient`: 50 transfers to one recipient that starts empty, a probe reading its balance half-way and at
 *   the end, and a final transaction sent by the recipient with money it got in the block;
 * - `coinbase-balance`: base fee 7 gwei and non-zero tips, a contract storing BALANCE(COINBASE) between fee
 *   payers (legacy and EIP-1559), a value transfer to the coinbase, and a transaction sent by the coinbase itself
 *   that it can only afford with the fees of the earlier transactions;
 * - `create2-redeploy` (Cancun) and `create2-redeploy-shanghai`: a factory CREATE2s a contract that
 *   SELFDESTRUCTs in the same transaction, a later transaction re-deploys it at the same address, calls it, has
 *   it SELFDESTRUCT again (a later transaction: under Cancun only its balance moves), then CREATE2 on the same
 *   address again (a collision under Cancun, a fresh deployment under Shanghai); probes read balances and code
 *   hashes in between;
 * - `selfdestruct-beneficiary` (Cancun) and `selfdestruct-beneficiary-shanghai`: pre-existing contracts
 *   SELFDESTRUCT to a fresh beneficiary that later transactions spend from, probe, pay, and that sends value to
 *   the destructed contract;
 * - `coinbase-selfdestruct` (Cancun) and `coinbase-selfdestruct-shanghai`: the coinbase is deleted by a
 *   SELFDESTRUCT between tip payments and probes of its balance (coinbaseSelfdestruct).
 */
export function specialCases(): GeneratedBlock[] {
  return [
    nonceChain(), hotRecipient(), coinbaseBalance(), create2Redeploy(Fork.Cancun), create2Redeploy(Fork.Shanghai),
    selfdestructBeneficiary(Fork.Cancun), selfdestructBeneficiary(Fork.Shanghai),
    coinbaseSelfdestruct(Fork.Cancun), coinbaseSelfdestruct(Fork.Shanghai),
  ];
}

/** CREATE2 child init code that self-destructs to its creator in the constructor. */
const SUICIDE_INIT = asm('CALLER SELFDESTRUCT');

/**
 * The coinbase is deleted by a SELFDESTRUCT in the middle of a block with tips, so that the fee of the
 * transaction that deletes it is lost (execution-specs credit the fee, then destroy the account), while the fees
 * before it went with the deletion (Shanghai) or to the beneficiary, and the fees after it re-create the account.
 * Shanghai: the coinbase is a pre-existing contract that self-destructs when called. Cancun (EIP-6780): the
 * coinbase is the address where a factory CREATE2s a child that self-destructs in its constructor, over the
 * balance of the fees paid to it so far. Found by the differential fuzzer (bench/gen/fuzz.ts, version 1, seed 84): the
 * parallel executor kept the deleting transaction's lazy fee.
 */
function coinbaseSelfdestruct(fork: Fork): GeneratedBlock {
  const shanghai = fork < Fork.Cancun;
  const rng = new Rng(`special/coinbase-selfdestruct/${shanghai}`);
  const addrs = new Addresses(rng);
  const baseFee = 7n * GWEI;
  const factory = addrs.next(), probe = addrs.next(), beneficiary = addrs.next();
  const salt = 0xc0den;
  const coinbase = shanghai ? addrs.next() : create2Address(factory, salt, SUICIDE_INIT);
  const state: WorldState = new Map();
  if (shanghai) state.set(toHex(coinbase), account(ETHER, 1n, SELFDESTRUCT_CODE));
  state.set(toHex(factory), account(0n, 1n, FACTORY_CODE));
  state.set(toHex(probe), account(0n, 1n, COINBASE_PROBE_CODE));
  const sender = (): Uint8Array => { const s = addrs.next(); state.set(toHex(s), account(ETHER)); return s; };
  const txs: BlockTx[] = [];
  let slot = 0n;
  const probeTx = () => txs.push(legacy({ from: sender(), nonce: 0n, to: probe, data: be(slot += 2n), gasLimit: 100_000n, gasPrice: baseFee + 2n * GWEI }));
  const pay = (i: number) => txs.push(legacy({ from: sender(), nonce: 0n, to: addrs.next(), value: 1n, gasLimit: 21_000n, gasPrice: baseFee + BigInt(1 + i) * GWEI }));
  const destroy = () => txs.push(shanghai
    ? legacy({ from: sender(), nonce: 0n, to: coinbase, data: be(addrWord(beneficiary)), gasLimit: 100_000n, gasPrice: baseFee + 3n * GWEI })
    : legacy({ from: sender(), nonce: 0n, to: factory, data: concat(be(0n), be(salt), be(0n), SUICIDE_INIT), gasLimit: 200_000n, gasPrice: baseFee + 3n * GWEI }));
  for (let i = 0; i < 3; i++) pay(i);
  probeTx();
  destroy();
  probeTx();
  for (let i = 3; i < 6; i++) pay(i);
  probeTx();
  destroy(); // Shanghai: a call to an account without code; Cancun: created and destroyed once more
  for (let i = 6; i < 8; i++) pay(i);
  probeTx();
  return makeBlock(`coinbase-selfdestruct${shanghai ? '-shanghai' : ''}`,
    `${shanghai ? 'Shanghai: the coinbase contract SELFDESTRUCTs' : 'Cancun: a contract is CREATE2d at the coinbase address (over its fees) and SELFDESTRUCTs in its constructor'} between tip payments and probes of BALANCE(COINBASE); the deleting transaction's fee is lost`,
    state, txs, { fork, baseFee, coinbase });
}

function nonceChain(): GeneratedBlock {
  const rng = new Rng('special/nonce-chain');
  const addrs = new Addresses(rng);
  const state: WorldState = new Map([[toHex(ZERO_ADDRESS), account(0n)]]);
  const s = addrs.next();
  // just enough for the ten transfers: each balance check depends on the previous transactions' costs
  const values = Array.from({ length: 10 }, (_, i) => BigInt(1_000 + 7 * i));
  state.set(toHex(s), account(values.reduce((a, v) => a + v + 21_000n * 2n, 0n)));
  const shared = addrs.next();
  const txs = values.map((value, i) => legacy({ from: s, nonce: BigInt(i), to: i % 3 === 2 ? shared : addrs.next(), value, gasLimit: 21_000n, gasPrice: 2n }));
  return makeBlock('nonce-chain', '10 transfers from one sender (nonces 0-9), the last one spending its last wei', state, txs);
}

function hotRecipient(): GeneratedBlock {
  const rng = new Rng('special/hot-recipient');
  const addrs = new Addresses(rng);
  const state: WorldState = new Map([[toHex(ZERO_ADDRESS), account(0n)]]);
  const r = addrs.next();
  const probe = addrs.next();
  state.set(toHex(probe), account(0n, 1n, PROBE_CODE));
  const txs: BlockTx[] = [];
  const probeTx = () => {
    const s = addrs.next();
    state.set(toHex(s), account(ETHER));
    return legacy({ from: s, nonce: 0n, to: probe, data: be(addrWord(r)), gasLimit: 200_000n, gasPrice: 1n });
  };
  for (let i = 0; i < 50; i++) {
    const s = addrs.next();
    state.set(toHex(s), account(ETHER));
    txs.push(legacy({ from: s, nonce: 0n, to: r, value: 1_000_000n + BigInt(i), gasLimit: 21_000n, gasPrice: 1n }));
    if (i === 24) txs.push(probeTx());
  }
  txs.push(probeTx());
  // the recipient spends 49.5 of the 50 transfers it received: every transfer to it is a dependency
  txs.push(legacy({ from: r, nonce: 0n, to: addrs.next(), value: 49_500_000n - 21_000n, gasLimit: 21_000n, gasPrice: 1n }));
  return makeBlock('hot-recipient', '50 transfers to one empty recipient, probes of its balance at 25 and 50, then it spends what it received', state, txs);
}

function coinbaseBalance(): GeneratedBlock {
  const rng = new Rng('special/coinbase-balance');
  const addrs = new Addresses(rng);
  const baseFee = 7n * GWEI;
  const coinbase = addrs.next();
  const probe = addrs.next();
  const state: WorldState = new Map();
  state.set(toHex(coinbase), account(0n)); // empty: it pays its own transaction from this block's tips
  state.set(toHex(probe), account(5n, 1n, COINBASE_PROBE_CODE));
  const sender = (): Uint8Array => { const s = addrs.next(); state.set(toHex(s), account(ETHER)); return s; };
  const txs: BlockTx[] = [];
  let slot = 0n;
  const probeTx = () => txs.push(legacy({ from: sender(), nonce: 0n, to: probe, data: be(slot += 2n), gasLimit: 100_000n, gasPrice: baseFee + 3n * GWEI }));
  const pay = (i: number) => {
    const to = addrs.next();
    if (i % 2 === 0) txs.push(dynamicFee({ from: sender(), nonce: 0n, to, value: 1n, gasLimit: 21_000n, maxFee: 20n * GWEI, tip: BigInt(1 + i) * GWEI }));
    else txs.push(legacy({ from: sender(), nonce: 0n, to, value: 1n, gasLimit: 21_000n, gasPrice: baseFee + BigInt(i) * GWEI }));
  };
  pay(0); probeTx();
  for (let i = 1; i <= 5; i++) pay(i);
  probeTx();
  txs.push(legacy({ from: sender(), nonce: 0n, to: coinbase, value: 12_345n, gasLimit: 21_000n, gasPrice: baseFee }));
  probeTx();
  // the tips before it (18 gwei * 21,000 from the transfers, 3 gwei on each probe's gas) exceed its
  // 9 gwei * 21,000 + value up-front cost; the pre-state alone does not cover it
  txs.push(dynamicFee({ from: coinbase, nonce: 0n, to: addrs.next(), value: 1_000_000n, gasLimit: 21_000n, maxFee: 9n * GWEI, tip: 2n * GWEI }));
  probeTx();
  txs.push(dynamicFee({ from: sender(), nonce: 0n, to: addrs.next(), value: 1n, gasLimit: 21_000n, maxFee: baseFee, tip: GWEI })); // tip capped to 0
  probeTx();
  return makeBlock('coinbase-balance',
    'base fee 7 gwei, non-zero tips (legacy and EIP-1559), a contract storing BALANCE(COINBASE) between fee payers, a transfer to the coinbase and a transaction sent by the coinbase with fees earned in the block',
    state, txs, { baseFee, coinbase });
}

function create2Redeploy(fork: Fork): GeneratedBlock {
  const shanghai = fork < Fork.Cancun;
  const rng = new Rng(`special/create2/${shanghai}`);
  const addrs = new Addresses(rng);
  const state: WorldState = new Map([[toHex(ZERO_ADDRESS), account(0n)]]);
  const factory = addrs.next();
  const probe = addrs.next();
  const b1 = addrs.next(), b2 = addrs.next();
  state.set(toHex(factory), account(0n, 1n, FACTORY_CODE));
  state.set(toHex(probe), account(0n, 1n, PROBE_CODE));
  const salt = 0x5a17n;
  const child = create2Address(factory, salt, CHILD_INIT);
  const other = create2Address(factory, salt + 1n, CHILD_INIT);
  const gas = 1_000_000n;
  const sender = (): Uint8Array => { const s = addrs.next(); state.set(toHex(s), account(ETHER)); return s; };
  const deploy = (flags: bigint, s: bigint, beneficiary: Uint8Array, value: bigint) => legacy({
    from: sender(), nonce: 0n, to: factory, value, gasLimit: gas, gasPrice: 1n,
    data: concat(be(flags), be(s), be(addrWord(beneficiary)), CHILD_INIT),
  });
  const probeOf = (...as: Uint8Array[]) => legacy({ from: sender(), nonce: 0n, to: probe, data: concat(...as.map((a) => be(addrWord(a)))), gasLimit: gas, gasPrice: 1n });
  const call = (data: Uint8Array) => legacy({ from: sender(), nonce: 0n, to: child, data, gasLimit: gas, gasPrice: 1n });
  const txs: BlockTx[] = [
    deploy(1n, salt, b1, 1_000n), // create, then SELFDESTRUCT to b1 in the same transaction: gone at its end
    probeOf(child, b1),
    deploy(0n, salt, b1, 7n), // re-deploy at the same address
    call(new Uint8Array(0)), // slot 0: 42 -> 43
    probeOf(child, b1),
    call(be(addrWord(b2))), // SELFDESTRUCT in a later transaction: Cancun moves the balance only
    probeOf(child, b2),
    call(new Uint8Array(0)), // Cancun: 43 -> 44; Shanghai: no code any more
    deploy(0n, salt, b1, 3n), // Cancun: collision (slot salt = 0); Shanghai: deployed again
    probeOf(child, b1, b2),
    deploy(1n, salt + 1n, b1, 11n), // another create-and-destroy paying b1
    probeOf(child, other, b1),
  ];
  return makeBlock(`create2-redeploy${shanghai ? '-shanghai' : ''}`,
    `${shanghai ? 'Shanghai' : 'Cancun'}: CREATE2 + SELFDESTRUCT in one transaction, re-deployment at the same address, SELFDESTRUCT in a later transaction, CREATE2 again, probes in between`,
    state, txs, { fork });
}

function selfdestructBeneficiary(fork: Fork): GeneratedBlock {
  const shanghai = fork < Fork.Cancun;
  const rng = new Rng(`special/selfdestruct/${shanghai}`);
  const addrs = new Addresses(rng);
  const state: WorldState = new Map([[toHex(ZERO_ADDRESS), account(0n)]]);
  const d1 = addrs.next(), d2 = addrs.next(), probe = addrs.next();
  const bx = addrs.next(); // fresh: funded only by the SELFDESTRUCTs
  state.set(toHex(d1), account(ETHER, 1n, SELFDESTRUCT_CODE));
  state.set(toHex(d2), account(2n * ETHER, 1n, SELFDESTRUCT_CODE, new Map([[0n, 9n]])));
  state.set(toHex(probe), account(0n, 1n, PROBE_CODE));
  const gas = 200_000n;
  const sender = (): Uint8Array => { const s = addrs.next(); state.set(toHex(s), account(ETHER)); return s; };
  const probeOf = (...as: Uint8Array[]) => legacy({ from: sender(), nonce: 0n, to: probe, data: concat(...as.map((a) => be(addrWord(a)))), gasLimit: gas, gasPrice: 1n });
  const r1 = addrs.next(), r2 = addrs.next();
  const txs: BlockTx[] = [
    legacy({ from: sender(), nonce: 0n, to: d1, data: be(addrWord(bx)), gasLimit: gas, gasPrice: 1n }), // d1 -> bx: 1 ether
    legacy({ from: bx, nonce: 0n, to: r1, value: ETHER / 2n, gasLimit: 21_000n, gasPrice: 1n }), // spends it
    probeOf(bx, d1),
    legacy({ from: sender(), nonce: 0n, to: d2, data: be(addrWord(bx)), gasLimit: gas, gasPrice: 1n }), // d2 -> bx: 2 ether
    legacy({ from: bx, nonce: 1n, to: r2, value: ETHER, gasLimit: 21_000n, gasPrice: 1n }),
    legacy({ from: sender(), nonce: 0n, to: d1, data: be(addrWord(d1)), gasLimit: gas, gasPrice: 1n }), // to itself
    probeOf(bx, d1, d2, r1),
    legacy({ from: sender(), nonce: 0n, to: bx, value: 5n, gasLimit: 21_000n, gasPrice: 1n }),
    legacy({ from: bx, nonce: 2n, to: d1, value: 3n, gasLimit: gas, gasPrice: 1n }), // runs d1 again (Cancun): 3 wei to 0x0
    probeOf(bx, d1, ZERO_ADDRESS),
  ];
  return makeBlock(`selfdestruct-beneficiary${shanghai ? '-shanghai' : ''}`,
    `${shanghai ? 'Shanghai (SELFDESTRUCT deletes)' : 'Cancun (EIP-6780: balance moves only)'}: pre-existing contracts SELFDESTRUCT to a fresh beneficiary that later transactions spend from, probe and pay`,
    state, txs, { fork });
}
