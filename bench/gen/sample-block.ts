// Generator of the default demo input, examples/sample-block/{block,prestate,receipts}.json: one small Cancun block
// (chain id 1) of signed transactions over a complete pre-state, executed on @ethereumjs/vm 10.1.3 to obtain the
// header's gasUsed, logsBloom, receiptsRoot, stateRoot, transactionsRoot and withdrawalsRoot and the block hash.
//
//   node scripts/build.mjs --no-dts && node dist/bench/gen/sample-block.js [--out <dir>]
//
// Deterministic: every private key is keccak256 of a fixed seed string, ECDSA signatures are RFC 6979 (ethereumjs
// signs without extra entropy), no clock and no randomness; running it twice gives byte-identical files.
// Dev-only (ethereumjs is a devDependency); nothing under src/ may import this file.
//
// The contracts are this file's own, written in raw bytecode with the small assembler below:
//   * TOKEN: a minimal ERC-20 subset with Solidity's storage layout (`_balances` mapping at slot 0, i.e.
//     balanceOf(a) at keccak256(pad32(a) ++ pad32(0))): `transfer(address,uint256)` (reverts on insufficient
//     balance, emits Transfer, returns true) and `balanceOf(address)`;
//   * PROBE: stores BALANCE(COINBASE) in slot 0 (its value depends on the fees of every earlier transaction);
//   * COUNTER: deployed in the block; its constructor stores CALLER in slot 1, every call increments slot 0.
//
// After generating, the generator checks its own output: the written JSON is parsed back, the pre-state is loaded
// into a fresh state manager, the block is rebuilt with createBlockFromRPC (its hash must match) and re-run with
// runBlock in validating mode (generate: false), and the pre-state root is compared with src/state.ts's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { MerkleStateManager } from '@ethereumjs/statemanager';
import { createVM, runBlock } from '@ethereumjs/vm';
import { createBlock, createBlockFromRPC, genTransactionsTrieRoot, genWithdrawalsTrieRoot } from '@ethereumjs/block';
import {
  createAccessList2930Tx, createBlob4844Tx, createFeeMarket1559Tx, createLegacyTx, type TypedTransaction,
} from '@ethereumjs/tx';
import { Address, createAccount, createWithdrawal, generateAddress, privateToAddress } from '@ethereumjs/util';
import { parseState, worldStateRoot } from '../../src/state.js';

// ---------------------------------------------------------------------------------------------------------------
// Small helpers.

const utf8 = new TextEncoder();
const toHex = (b: Uint8Array): string => '0x' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const hexBytes = (h: string): Uint8Array => {
  const s = h.startsWith('0x') ? h.slice(2) : h;
  return Uint8Array.from(Buffer.from(s.length % 2 ? '0' + s : s, 'hex'));
};
/** JSON-RPC quantity: minimal hex. */
const qty = (v: bigint | number): string => '0x' + BigInt(v).toString(16);
const word = (v: bigint): Uint8Array => {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0 && v > 0n; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
};
const word32Hex = (v: bigint): string => '0x' + v.toString(16).padStart(64, '0');
const bytesToBig = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(toHex(b)));
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const seedHash = (seed: string): Uint8Array => keccak_256(utf8.encode('parevm/sample-block/' + seed));
const addrHex = (a: Address | Uint8Array): string => (a instanceof Address ? a.toString() : toHex(a)).toLowerCase();
const byAddr = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

const ETHER = 10n ** 18n;
const GWEI = 10n ** 9n;
/** Decimal ether string -> wei, without floating point. */
const eth = (s: string): bigint => {
  const [i, f = ''] = s.split('.');
  return BigInt(i) * ETHER + BigInt((f + '0'.repeat(18)).slice(0, 18));
};
const gwei = (s: string): bigint => eth(s) / GWEI;

// ---------------------------------------------------------------------------------------------------------------
// A tiny EVM assembler: opcode names, `PUSH:<hex or decimal>` (smallest PUSHn; PUSH0 for zero), `name:` defines a
// JUMPDEST label, `@name` pushes a label's offset (always PUSH2).

const OPS: Record<string, number> = {
  STOP: 0x00, ADD: 0x01, SUB: 0x03, LT: 0x10, GT: 0x11, EQ: 0x14, ISZERO: 0x15, AND: 0x16, SHR: 0x1c, SHA3: 0x20,
  BALANCE: 0x31, CALLER: 0x33, CALLVALUE: 0x34, CALLDATALOAD: 0x35, CODECOPY: 0x39, COINBASE: 0x41,
  POP: 0x50, MLOAD: 0x51, MSTORE: 0x52, SLOAD: 0x54, SSTORE: 0x55, JUMP: 0x56, JUMPI: 0x57, JUMPDEST: 0x5b,
  PUSH0: 0x5f, DUP1: 0x80, DUP2: 0x81, DUP3: 0x82, DUP4: 0x83, SWAP1: 0x90, SWAP2: 0x91,
  LOG3: 0xa3, RETURN: 0xf3, REVERT: 0xfd,
};

function asm(src: string): Uint8Array {
  const toks = src.split('\n').map((l) => l.replace(/\/\/.*$/, '')).join(' ').split(/\s+/).filter((t) => t !== '');
  const pushBytes = (v: bigint): number[] => {
    const out: number[] = [];
    while (v > 0n) { out.unshift(Number(v & 0xffn)); v >>= 8n; }
    return out;
  };
  const emit = (labels: Map<string, number>, final: boolean): number[] => {
    const code: number[] = [];
    for (const t of toks) {
      if (t.endsWith(':')) { labels.set(t.slice(0, -1), code.length); code.push(OPS.JUMPDEST); continue; }
      if (t.startsWith('@')) {
        const at = labels.get(t.slice(1));
        if (at === undefined && final) throw new Error(`asm: unknown label ${t}`);
        code.push(0x61, (at ?? 0) >> 8, (at ?? 0) & 0xff);
        continue;
      }
      if (t.startsWith('PUSH:')) {
        const b = pushBytes(BigInt(t.slice(5)));
        if (b.length === 0) code.push(OPS.PUSH0);
        else code.push(0x5f + b.length, ...b);
        continue;
      }
      const op = OPS[t];
      if (op === undefined) throw new Error(`asm: unknown opcode ${t}`);
      code.push(op);
    }
    return code;
  };
  const labels = new Map<string, number>();
  emit(labels, false); // pass 1: label offsets (label references have a fixed size)
  const pass1 = new Map(labels);
  const code = emit(labels, true);
  for (const [k, v] of pass1) if (labels.get(k) !== v) throw new Error('asm: unstable label ' + k);
  return Uint8Array.from(code);
}

const TRANSFER_TOPIC = toHex(keccak_256(utf8.encode('Transfer(address,address,uint256)')));
const SEL_TRANSFER = '0xa9059cbb';
const SEL_BALANCE_OF = '0x70a08231';
const ADDRESS_MASK = '0x' + 'ff'.repeat(20);

/** Minimal ERC-20 subset: transfer(address,uint256) and balanceOf(address); `_balances` mapping at slot 0. */
const TOKEN_CODE = asm(`
  PUSH:0 CALLDATALOAD PUSH:0xe0 SHR
  DUP1 PUSH:${SEL_TRANSFER} EQ @transfer JUMPI
  DUP1 PUSH:${SEL_BALANCE_OF} EQ @balanceOf JUMPI
  PUSH0 PUSH0 REVERT
balanceOf:
  PUSH:4 CALLDATALOAD PUSH:${ADDRESS_MASK} AND PUSH0 MSTORE PUSH0 PUSH:0x20 MSTORE
  PUSH:0x40 PUSH0 SHA3 SLOAD PUSH0 MSTORE PUSH:0x20 PUSH0 RETURN
transfer:
  // stack: [sel]; fromSlot = keccak(pad32(caller) ++ pad32(0))
  CALLER PUSH0 MSTORE PUSH0 PUSH:0x20 MSTORE PUSH:0x40 PUSH0 SHA3
  DUP1 SLOAD PUSH:0x24 CALLDATALOAD
  // [sel, fromSlot, fromBal, amount]; revert if fromBal < amount
  DUP1 DUP3 LT @fail JUMPI
  SWAP1 DUP2 SWAP1 SUB DUP3 SSTORE
  // [sel, fromSlot, amount]; to = calldata[4..36] masked; toSlot = keccak(pad32(to) ++ pad32(0))
  PUSH:4 CALLDATALOAD PUSH:${ADDRESS_MASK} AND
  DUP1 PUSH0 MSTORE PUSH:0x40 PUSH0 SHA3
  DUP1 SLOAD DUP4 ADD SWAP1 SSTORE
  // [sel, fromSlot, amount, to]; LOG3(mem[0..32] = amount, Transfer, caller, to)
  DUP2 PUSH0 MSTORE
  DUP1 CALLER PUSH:${TRANSFER_TOPIC} PUSH:0x20 PUSH0 LOG3
  PUSH:1 PUSH0 MSTORE PUSH:0x20 PUSH0 RETURN
fail:
  PUSH0 PUSH0 REVERT
`);

/** Stores BALANCE(COINBASE) in slot 0. */
const PROBE_CODE = asm('COINBASE BALANCE PUSH0 SSTORE STOP');

/** Increments slot 0 on every call. */
const COUNTER_RUNTIME = asm('PUSH0 SLOAD PUSH:1 ADD PUSH0 SSTORE STOP');
/** Constructor: slot 1 = CALLER, then returns COUNTER_RUNTIME (appended after the 13-byte prologue). */
const COUNTER_INIT = (() => {
  const prologue = (off: number) => asm(`CALLER PUSH:1 SSTORE PUSH:${COUNTER_RUNTIME.length} DUP1 PUSH:${off} PUSH0 CODECOPY PUSH0 RETURN`);
  const n = prologue(0xff).length;
  const p = prologue(n);
  if (p.length !== n) throw new Error('counter init: prologue size changed');
  return concat(p, COUNTER_RUNTIME);
})();

// ---------------------------------------------------------------------------------------------------------------
// Block environment.

const CHAIN_ID = 1n;
const BLOCK_NUMBER = 20_000_000n;
const TIMESTAMP = 1_720_000_000n; // Cancun on mainnet (Cancun 1,710,338,135 <= t < Prague 1,746,612,311)
const GAS_LIMIT = 30_000_000n;
const BASE_FEE = 7n * GWEI;
const EXCESS_BLOB_GAS = 0n; // blob base fee 1 wei
const BLOB_GAS_PER_BLOB = 131_072n;
const PARENT_HASH = seedHash('parent-hash');
const PREV_RANDAO = seedHash('prevrandao');
const PARENT_BEACON_BLOCK_ROOT = new Uint8Array(32); // with the EIP-4788 contract absent from the pre-state
const EXTRA_DATA = utf8.encode('parevm sample block');
const BEACON_ROOTS_ADDRESS = '0x000f3df6d732807ef1319fb7b8bb8522d0beac02';

// ---------------------------------------------------------------------------------------------------------------
// Accounts. Keys: keccak256("parevm/sample-block/key/<name>"); keyless addresses: the last 20 bytes of
// keccak256("parevm/sample-block/addr/<name>").

interface Key { name: string; priv: Uint8Array; address: string }
const keyOf = (name: string): Key => {
  const priv = seedHash('key/' + name);
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const d = bytesToBig(priv);
  if (d === 0n || d >= n) throw new Error(`key ${name}: out of range`);
  return { name, priv, address: addrHex(privateToAddress(priv)) };
};
const addrOf = (name: string): string => toHex(seedHash('addr/' + name).subarray(12));

const COINBASE = keyOf('coinbase');
const S = Array.from({ length: 10 }, (_, i) => keyOf(`sender${i}`));
const F0 = keyOf('fresh0'); // absent from the pre-state; funded inside the block, then sends
const H = addrOf('hot-recipient'); // hot ETH recipient
const R = Array.from({ length: 10 }, (_, i) => addrOf(`recipient${i}`));
const R_ABSENT = new Set([0, 2, 5]); // recipients with no account before the block
const T_HOT = addrOf('token-hot-holder'); // hot token recipient (no ETH account)
const U = Array.from({ length: 10 }, (_, i) => addrOf(`token-recipient${i}`)); // independent token recipients
const TOKEN = addrOf('token');
const PROBE = addrOf('coinbase-probe');
const WITHDRAWAL_FRESH = addrOf('withdrawal-validator'); // absent from the pre-state

const SENDER_NONCE = [0, 12, 3, 1, 0, 250, 7, 2, 0, 41];
const TOKEN_BALANCE = S.map((_, i) => (i === 3 ? 10n : 1000n) * ETHER);
const tokenSlot = (holder: string): bigint => bytesToBig(keccak_256(concat(word(BigInt(holder)), word(0n))));
const COUNTER = addrHex(generateAddress(hexBytes(S[6].address), word(BigInt(SENDER_NONCE[6])).subarray(31)));

// ---------------------------------------------------------------------------------------------------------------
// Pre-state.

interface PreAccount { balance: bigint; nonce: number; code?: Uint8Array; storage: Map<bigint, bigint> }
function buildPrestate(): Map<string, PreAccount> {
  const pre = new Map<string, PreAccount>();
  const put = (a: string, acc: Partial<PreAccount>) => {
    if (pre.has(a)) throw new Error('duplicate pre-state account ' + a);
    pre.set(a, { balance: 0n, nonce: 0, storage: new Map(), ...acc });
  };
  put(COINBASE.address, { balance: eth('2.5'), nonce: 3 });
  S.forEach((k, i) => put(k.address, { balance: eth(String(10 + 7 * i)) + BigInt(i) * eth('0.123456789'), nonce: SENDER_NONCE[i] }));
  put(H, { balance: eth('0.25') });
  R.forEach((a, i) => { if (!R_ABSENT.has(i)) put(a, { balance: BigInt(i) * eth('0.001') + 1n }); });
  const tokenStorage = new Map<bigint, bigint>();
  S.forEach((k, i) => tokenStorage.set(tokenSlot(k.address), TOKEN_BALANCE[i]));
  tokenStorage.set(tokenSlot(T_HOT), 1n * ETHER);
  put(TOKEN, { nonce: 1, code: TOKEN_CODE, storage: tokenStorage });
  put(PROBE, { nonce: 1, code: PROBE_CODE, storage: new Map([[0n, 1n]]) });
  return pre;
}

function prestateJson(pre: Map<string, PreAccount>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of [...pre.keys()].sort(byAddr)) {
    const acc = pre.get(a)!;
    const storage: Record<string, string> = {};
    for (const k of [...acc.storage.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))) {
      const v = acc.storage.get(k)!;
      if (v !== 0n) storage[word32Hex(k)] = word32Hex(v);
    }
    out[a] = { balance: qty(acc.balance), nonce: acc.nonce, ...(acc.code ? { code: toHex(acc.code) } : {}), storage };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Transactions.

type Fee =
  | { type: 0; gasPrice: bigint }
  | { type: 1; gasPrice: bigint; accessList?: [string, string[]][] }
  | { type: 2; maxFee: bigint; tip: bigint; accessList?: [string, string[]][] }
  | { type: 3; maxFee: bigint; tip: bigint; maxFeePerBlobGas: bigint; blobHashes: string[] };
interface Plan { kind: string; from: Key; to: string | null; value: bigint; data: Uint8Array; gas: bigint; fee: Fee }

const legacy = (gp: string): Fee => ({ type: 0, gasPrice: gwei(gp) });
const al2930 = (gp: string, accessList: [string, string[]][] = []): Fee => ({ type: 1, gasPrice: gwei(gp), accessList });
const dyn = (tip: string, maxFee = '30', accessList?: [string, string[]][]): Fee => ({ type: 2, maxFee: gwei(maxFee), tip: gwei(tip), accessList });
const NONE = new Uint8Array(0);
const erc20Transfer = (to: string, amount: bigint): Uint8Array => concat(hexBytes(SEL_TRANSFER), word(BigInt(to)), word(amount));

/** Versioned hash of the all-zero blob: its KZG commitment is the compressed G1 point at infinity (0xc0, 47 zeros). */
const ZERO_BLOB_VERSIONED_HASH = (() => {
  const commitment = new Uint8Array(48);
  commitment[0] = 0xc0;
  const h = sha256(commitment);
  h[0] = 0x01;
  return toHex(h);
})();

function buildPlan(): Plan[] {
  const p: Plan[] = [];
  const ethTx = (kind: string, from: Key, to: string, value: bigint, fee: Fee, gas = 21_000n, data = NONE) =>
    p.push({ kind, from, to, value, data, gas, fee });
  const tokenTx = (kind: string, from: Key, to: string, amount: bigint, fee: Fee) =>
    p.push({ kind, from, to: TOKEN, value: 0n, data: erc20Transfer(to, amount), gas: 100_000n, fee });
  const call = (kind: string, from: Key, to: string, fee: Fee, gas = 60_000n) => p.push({ kind, from, to, value: 0n, data: NONE, gas, fee });
  const tokenAL = (from: string, to: string): [string, string[]][] => [[TOKEN, [word32Hex(tokenSlot(from)), word32Hex(tokenSlot(to))]]];

  /*  0 */ ethTx('transfer (new account)', S[0], R[0], eth('1.5'), dyn('2'));
  /*  1 */ ethTx('transfer (hot recipient)', S[1], H, eth('0.1'), legacy('9'));
  /*  2 */ tokenTx('erc20 (hot recipient)', S[2], T_HOT, 100n * ETHER, dyn('1.5'));
  /*  3 */ ethTx('transfer (chained)', S[0], R[1], eth('0.2'), al2930('8', [[R[1], []]]), 23_400n);
  /*  4 */ tokenTx('erc20 (hot recipient)', S[3], T_HOT, 5n * ETHER, dyn('1'));
  /*  5 */ tokenTx('erc20 (independent)', S[4], U[4], 1n * ETHER, legacy('8.5'));
  /*  6 */ ethTx('transfer (funds a new sender)', S[0], F0.address, eth('1'), dyn('2'));
  /*  7 */ tokenTx('erc20 (hot recipient)', S[5], T_HOT, 7n * ETHER, dyn('2.5'));
  /*  8 */ p.push({ kind: 'create (counter contract)', from: S[6], to: null, value: 0n, data: COUNTER_INIT, gas: 120_000n, fee: dyn('1') });
  /*  9 */ ethTx('transfer (chained, hot recipient)', S[1], H, eth('0.05'), legacy('9'));
  /* 10 */ tokenTx('erc20 (independent, access list)', S[7], U[7], 2n * ETHER, al2930('8', tokenAL(S[7].address, U[7])));
  /* 11 */ ethTx('transfer (sender funded in this block)', F0, R[2], eth('0.3'), dyn('1'));
  /* 12 */ ethTx('transfer (hot recipient)', S[8], H, eth('0.7'), dyn('1'));
  /* 13 */ call('call counter (created in this block)', S[6], COUNTER, dyn('1'));
  /* 14 */ tokenTx('erc20 (hot recipient, chained)', S[2], T_HOT, 1n * ETHER, dyn('1.5'));
  /* 15 */ ethTx('transfer (to the coinbase)', S[9], COINBASE.address, eth('0.01'), legacy('10'));
  /* 16 */ tokenTx('erc20 (reverts: amount above balance)', S[3], U[3], 50n * ETHER, dyn('1'));
  /* 17 */ p.push({
    kind: 'blob transaction (type 3)', from: S[9], to: H, value: 0n, data: NONE, gas: 21_000n,
    fee: { type: 3, maxFee: gwei('30'), tip: gwei('1'), maxFeePerBlobGas: 10n, blobHashes: [ZERO_BLOB_VERSIONED_HASH] },
  });
  /* 18 */ ethTx('transfer', S[4], R[3], eth('0.25'), dyn('0.5'));
  /* 19 */ ethTx('transfer (EIP-2930, empty access list)', S[5], R[4], eth('0.4'), al2930('7.5'));
  /* 20 */ call('reads BALANCE(COINBASE) (probe stores it)', S[8], PROBE, dyn('1'));
  /* 21 */ ethTx('transfer (chained, hot recipient)', S[0], H, eth('0.01'), legacy('8'));
  /* 22 */ call('call counter', S[7], COUNTER, dyn('2'));
  /* 23 */ tokenTx('erc20 (hot recipient, chained)', S[1], T_HOT, 3n * ETHER, dyn('1'));
  /* 24 */ tokenTx('erc20 (independent)', S[9], U[9], 4n * ETHER, dyn('1'));
  /* 25 */ tokenTx('erc20 (to another sender)', S[6], S[7].address, 10n * ETHER, legacy('8'));
  /* 26 */ tokenTx('erc20 (succeeds only after tx 25)', S[7], U[0], 1005n * ETHER, dyn('1'));
  /* 27 */ ethTx('transfer (new account, chained new sender)', F0, R[5], eth('0.1'), dyn('1'));
  /* 28 */ ethTx('transfer (EIP-2930)', S[2], R[6], eth('0.5'), al2930('8', [[R[6], []]]), 23_400n);
  /* 29 */ ethTx('transfer (after own revert)', S[3], R[7], eth('0.05'), dyn('1'));
  /* 30 */ tokenTx('erc20 (hot recipient)', S[4], T_HOT, 2n * ETHER, dyn('1'));
  /* 31 */ ethTx('transfer', S[8], R[8], eth('0.02'), legacy('7.25'));
  /* 32 */ ethTx('transfer (fee cap below base fee + tip)', S[5], R[9], eth('0.33'), dyn('2', '7.5'));
  /* 33 */ ethTx('transfer (to self)', S[9], S[9].address, eth('1'), dyn('1'));
  /* 34 */ ethTx('transfer (zero value, calldata to an EOA)', S[1], R[0], 0n, legacy('8'), 30_000n, utf8.encode('parevm'));
  /* 35 */ call('call counter', S[6], COUNTER, dyn('0'));
  /* 36 */ tokenTx('erc20 (hot recipient)', S[0], T_HOT, 9n * ETHER, dyn('3'));
  /* 37 */ tokenTx('erc20 (chained, access list)', S[4], U[4], 1n * ETHER, al2930('9', tokenAL(S[4].address, U[4])));
  /* 38 */ ethTx('transfer (to the coinbase)', S[2], COINBASE.address, eth('0.02'), dyn('1'));
  /* 39 */ tokenTx('erc20 (independent)', S[8], U[8], 6n * ETHER, dyn('1'));
  /* 40 */ ethTx('transfer (hot recipient)', S[3], H, eth('0.03'), legacy('8'));
  /* 41 */ tokenTx('erc20 (hot recipient)', S[5], T_HOT, 11n * ETHER, dyn('1'));
  /* 42 */ ethTx('transfer', S[7], R[1], eth('0.12'), dyn('1'));
  /* 43 */ tokenTx('erc20 (hot recipient)', S[9], T_HOT, 2n * ETHER, dyn('1'));
  /* 44 */ ethTx('transfer (EIP-2930)', S[6], R[3], eth('0.07'), al2930('8'));
  /* 45 */ ethTx('transfer', S[1], R[2], eth('0.09'), dyn('1'));
  /* 46 */ ethTx('transfer (chained)', S[0], R[4], eth('0.015'), legacy('8'));
  /* 47 */ ethTx('transfer (hot recipient)', S[8], H, eth('0.2'), dyn('1', '12'));
  return p;
}

const WITHDRAWALS = [
  { index: 45_000_000n, validatorIndex: 1_000_001n, address: S[3].address, amount: 17_334_216n }, // existing sender, partial
  { index: 45_000_001n, validatorIndex: 1_000_002n, address: WITHDRAWAL_FRESH, amount: 32_000_000_000n }, // new account, full exit
  { index: 45_000_002n, validatorIndex: 1_000_003n, address: COINBASE.address, amount: 15_502_221n }, // the coinbase
];

// ---------------------------------------------------------------------------------------------------------------
// ethereumjs.

/** 4844 transactions need common.customCrypto.kzg to exist; no blob, commitment or proof is ever computed here
 * (the block carries only versioned hashes), so every KZG entry point throws. */
const KZG_UNUSED = new Proxy({}, { get: (_t, prop) => () => { throw new Error(`KZG ${String(prop)} called`); } });
const newCommon = (): Common => new Common({ chain: Mainnet, hardfork: Hardfork.Cancun, customCrypto: { kzg: KZG_UNUSED as any } });

function signTxs(plan: Plan[], common: Common): TypedTransaction[] {
  const nonces = new Map<string, number>();
  const pre = buildPrestate();
  return plan.map((t) => {
    const n = nonces.get(t.from.address) ?? pre.get(t.from.address)?.nonce ?? 0;
    nonces.set(t.from.address, n + 1);
    const to = t.to === null ? undefined : new Address(hexBytes(t.to));
    const base = { nonce: BigInt(n), gasLimit: t.gas, to, value: t.value, data: t.data, chainId: CHAIN_ID };
    const f = t.fee;
    const al = (l?: [string, string[]][]) => (l ?? []).map(([address, storageKeys]) => ({ address, storageKeys }));
    let tx: TypedTransaction;
    switch (f.type) {
      case 0: { const { chainId: _c, ...b } = base; tx = createLegacyTx({ ...b, gasPrice: f.gasPrice }, { common }); break; }
      case 1: tx = createAccessList2930Tx({ ...base, gasPrice: f.gasPrice, accessList: al(f.accessList) as any }, { common }); break;
      case 2: tx = createFeeMarket1559Tx({ ...base, maxFeePerGas: f.maxFee, maxPriorityFeePerGas: f.tip, accessList: al(f.accessList) as any }, { common }); break;
      case 3: tx = createBlob4844Tx({ ...base, to: to!, maxFeePerGas: f.maxFee, maxPriorityFeePerGas: f.tip, maxFeePerBlobGas: f.maxFeePerBlobGas, blobVersionedHashes: f.blobHashes as any, accessList: [] }, { common }); break;
    }
    const signed = tx.sign(t.from.priv);
    if (addrHex(signed.getSenderAddress()) !== t.from.address) throw new Error('sender recovery mismatch');
    return signed;
  });
}

async function loadState(common: Common, prestate: Record<string, any>): Promise<MerkleStateManager> {
  const sm = new MerkleStateManager({ common });
  for (const [a, acc] of Object.entries(prestate)) {
    const address = new Address(hexBytes(a));
    await sm.putAccount(address, createAccount({ nonce: BigInt(acc.nonce), balance: BigInt(acc.balance) }));
    if (acc.code) await sm.putCode(address, hexBytes(acc.code));
    for (const [k, v] of Object.entries(acc.storage as Record<string, string>)) {
      const val = hexBytes(v);
      let i = 0;
      while (i < val.length && val[i] === 0) i++;
      await sm.putStorage(address, hexBytes(k), val.subarray(i));
    }
  }
  return sm;
}

function headerData(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    parentHash: PARENT_HASH, coinbase: hexBytes(COINBASE.address), number: BLOCK_NUMBER, timestamp: TIMESTAMP,
    gasLimit: GAS_LIMIT, difficulty: 0n, mixHash: PREV_RANDAO, nonce: new Uint8Array(8), extraData: EXTRA_DATA,
    baseFeePerGas: BASE_FEE, excessBlobGas: EXCESS_BLOB_GAS, parentBeaconBlockRoot: PARENT_BEACON_BLOCK_ROOT,
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// JSON output (field order of the mainnet fixtures, i.e. geth's eth_getBlockByNumber(n, true)).

function effectiveGasPrice(tx: TypedTransaction): bigint {
  const t = tx as any;
  if (tx.type === 0 || tx.type === 1) return t.gasPrice;
  const tip = t.maxPriorityFeePerGas < t.maxFeePerGas - BASE_FEE ? t.maxPriorityFeePerGas : t.maxFeePerGas - BASE_FEE;
  return BASE_FEE + tip;
}

function txJson(tx: TypedTransaction, i: number, blockHash: string): Record<string, unknown> {
  const t = tx as any;
  const o: Record<string, unknown> = {
    hash: toHex(tx.hash()), nonce: qty(tx.nonce), blockHash, blockNumber: qty(BLOCK_NUMBER), transactionIndex: qty(i),
    from: addrHex(tx.getSenderAddress()), to: tx.to ? addrHex(tx.to) : null, value: qty(tx.value),
    gasPrice: qty(effectiveGasPrice(tx)), gas: qty(tx.gasLimit),
  };
  if (tx.type >= 2) { o.maxFeePerGas = qty(t.maxFeePerGas); o.maxPriorityFeePerGas = qty(t.maxPriorityFeePerGas); }
  if (tx.type === 3) o.maxFeePerBlobGas = qty(t.maxFeePerBlobGas);
  o.input = toHex(tx.data);
  o.r = qty(tx.r!); o.s = qty(tx.s!); o.v = qty(tx.v!);
  if (tx.type >= 1) o.yParity = qty(tx.v!);
  o.chainId = qty(CHAIN_ID);
  if (tx.type >= 1) {
    o.accessList = (t.accessList as [Uint8Array, Uint8Array[]][]).map(([a, keys]) => ({ address: addrHex(a), storageKeys: keys.map(toHex) }));
  }
  if (tx.type === 3) o.blobVersionedHashes = (t.blobVersionedHashes as string[]).map((h) => h.toLowerCase());
  o.type = qty(tx.type);
  return o;
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const argOut = process.argv.indexOf('--out');
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const outDir = argOut >= 0 ? resolve(process.argv[argOut + 1]) : join(root, 'examples/sample-block');

  const pre = buildPrestate();
  const prestate = prestateJson(pre);
  const plan = buildPlan();
  for (const a of [H, T_HOT, F0.address, COUNTER, WITHDRAWAL_FRESH, ...U, ...R]) if (a === TOKEN || a === PROBE) throw new Error('address clash');
  if (pre.has(BEACON_ROOTS_ADDRESS) || pre.has(COUNTER) || pre.has(F0.address) || pre.has(WITHDRAWAL_FRESH)) throw new Error('unexpected pre-state account');

  // Pass 1: execute with generate: true.
  const common = newCommon();
  const txs = signTxs(plan, common);
  const withdrawals = WITHDRAWALS.map((w) => createWithdrawal({ ...w, address: new Address(hexBytes(w.address)) }));
  const transactionsTrie = await genTransactionsTrieRoot(txs);
  const withdrawalsRoot = await genWithdrawalsTrieRoot(withdrawals);
  const blobGasUsed = BLOB_GAS_PER_BLOB * BigInt(txs.reduce((n, t) => n + (t.type === 3 ? (t as any).blobVersionedHashes.length : 0), 0));
  const draft = createBlock({ header: headerData({ transactionsTrie, withdrawalsRoot, blobGasUsed }), transactions: txs, withdrawals }, { common });

  const sm = await loadState(common, prestate);
  const preRoot = await sm.getStateRoot();
  const ownPreRoot = worldStateRoot(parseState(prestate));
  if (toHex(ownPreRoot) !== toHex(preRoot)) throw new Error(`pre-state root: ethereumjs ${toHex(preRoot)}, src/state.ts ${toHex(ownPreRoot)}`);
  const vm = await createVM({ common, stateManager: sm, setHardfork: false });
  const res = await runBlock(vm, { block: draft, generate: true, skipHeaderValidation: true });
  if (await sm.getAccount(new Address(hexBytes(BEACON_ROOTS_ADDRESS))) !== undefined) throw new Error('EIP-4788 system call created the beacon roots account');

  const block = createBlock({
    header: headerData({
      transactionsTrie, withdrawalsRoot, blobGasUsed, stateRoot: res.stateRoot, receiptTrie: res.receiptsRoot,
      logsBloom: res.logsBloom, gasUsed: res.gasUsed,
    }),
    transactions: txs, withdrawals,
  }, { common });
  const blockHash = toHex(block.hash());
  const h = block.header;

  const blockJson = {
    hash: blockHash,
    parentHash: toHex(h.parentHash),
    sha3Uncles: toHex(h.uncleHash),
    miner: addrHex(h.coinbase),
    stateRoot: toHex(h.stateRoot),
    transactionsRoot: toHex(h.transactionsTrie),
    receiptsRoot: toHex(h.receiptTrie),
    logsBloom: toHex(h.logsBloom),
    difficulty: qty(h.difficulty),
    number: qty(h.number),
    gasLimit: qty(h.gasLimit),
    gasUsed: qty(h.gasUsed),
    timestamp: qty(h.timestamp),
    extraData: toHex(h.extraData),
    mixHash: toHex(h.mixHash),
    nonce: toHex(h.nonce),
    baseFeePerGas: qty(h.baseFeePerGas!),
    withdrawalsRoot: toHex(h.withdrawalsRoot!),
    blobGasUsed: qty(h.blobGasUsed!),
    excessBlobGas: qty(h.excessBlobGas!),
    parentBeaconBlockRoot: toHex(h.parentBeaconBlockRoot!),
    uncles: [],
    transactions: txs.map((tx, i) => txJson(tx, i, blockHash)),
    size: qty(block.serialize().length),
    withdrawals: WITHDRAWALS.map((w) => ({ index: qty(w.index), validatorIndex: qty(w.validatorIndex), address: w.address, amount: qty(w.amount) })),
  };

  // Receipts, eth_getBlockReceipts shape.
  let logIndex = 0;
  const blobGasPrice = h.getBlobGasPrice();
  const receipts = res.receipts.map((r: any, i: number) => {
    const tx = txs[i];
    const created = res.results[i].createdAddress;
    const o: Record<string, unknown> = {
      type: qty(tx.type),
      status: qty(r.status),
      cumulativeGasUsed: qty(r.cumulativeBlockGasUsed),
      logs: (r.logs as [Uint8Array, Uint8Array[], Uint8Array][]).map(([address, topics, data]) => ({
        address: addrHex(address), topics: topics.map(toHex), data: toHex(data), blockNumber: qty(BLOCK_NUMBER),
        transactionHash: toHex(tx.hash()), transactionIndex: qty(i), blockHash, logIndex: qty(logIndex++), removed: false,
      })),
      logsBloom: toHex(r.bitvector),
      transactionHash: toHex(tx.hash()),
      transactionIndex: qty(i),
      blockHash,
      blockNumber: qty(BLOCK_NUMBER),
      gasUsed: qty(res.results[i].totalGasSpent),
      effectiveGasPrice: qty(effectiveGasPrice(tx)),
    };
    if (tx.type === 3) { o.blobGasUsed = qty((res.results[i] as any).blobGasUsed); o.blobGasPrice = qty(blobGasPrice); }
    o.from = addrHex(tx.getSenderAddress());
    o.to = tx.to ? addrHex(tx.to) : null;
    o.contractAddress = created ? addrHex(created) : null;
    return o;
  });

  const files: [string, string][] = [
    ['prestate.json', JSON.stringify(prestate, null, 1) + '\n'],
    ['block.json', JSON.stringify(blockJson, null, 1) + '\n'],
    ['receipts.json', JSON.stringify(receipts, null, 1) + '\n'],
  ];

  // Self-check: the written JSON, parsed back, must re-execute on a fresh VM in validating mode.
  {
    const c2 = newCommon();
    const parsed = JSON.parse(files[1][1]);
    const b2 = createBlockFromRPC(parsed, [], { common: c2 });
    if (toHex(b2.hash()) !== blockHash) throw new Error(`createBlockFromRPC hash ${toHex(b2.hash())} != ${blockHash}`);
    const sm2 = await loadState(c2, JSON.parse(files[0][1]));
    const vm2 = await createVM({ common: c2, stateManager: sm2, setHardfork: false });
    const r2 = await runBlock(vm2, { block: b2, generate: false, skipHeaderValidation: true });
    if (toHex(r2.stateRoot) !== toHex(h.stateRoot)) throw new Error('re-execution state root differs');
    if (b2.transactions.length !== plan.length || b2.withdrawals!.length !== WITHDRAWALS.length) throw new Error('round trip lost data');
  }

  // Expectations the README states.
  const status = res.receipts.map((r: any) => r.status as number);
  const failed = status.flatMap((s, i) => (s === 1 ? [] : [i]));
  if (failed.length !== 1 || !plan[failed[0]].kind.includes('reverts')) throw new Error('expected exactly one reverting transaction, got ' + failed);
  const counter = await sm.getStorage(new Address(hexBytes(COUNTER)), word(0n));
  if (bytesToBig(counter) !== 3n) throw new Error('counter should be 3, is ' + bytesToBig(counter));

  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(outDir, name), text);

  // Summary (stderr) for the README.
  const probe = bytesToBig(await sm.getStorage(new Address(hexBytes(PROBE)), word(0n)));
  const types = new Map<number, number>();
  for (const t of txs) types.set(t.type, (types.get(t.type) ?? 0) + 1);
  const log = (...a: unknown[]) => console.error('[sample-block]', ...a);
  log('wrote', outDir, files.map(([n, t]) => `${n} ${t.length} B`).join(', '));
  log('hash', blockHash, 'number', BLOCK_NUMBER, 'txs', txs.length, 'types', JSON.stringify(Object.fromEntries(types)));
  log('gasUsed', h.gasUsed, 'stateRoot', toHex(h.stateRoot));
  log('receiptsRoot', toHex(h.receiptTrie), 'transactionsRoot', toHex(h.transactionsTrie), 'withdrawalsRoot', toHex(h.withdrawalsRoot!));
  log('pre-state root', toHex(preRoot), 'accounts', pre.size, 'size', blockJson.size);
  log('token', TOKEN, 'probe', PROBE, 'counter', COUNTER, 'coinbase', COINBASE.address, 'probe slot0', probe);
  for (const [i, t] of plan.entries()) log(String(i).padStart(2), 'type', txs[i].type, 'status', status[i], 'gas', res.results[i].totalGasSpent, t.kind);
}

main().catch((e) => { console.error(e); process.exit(1); });
