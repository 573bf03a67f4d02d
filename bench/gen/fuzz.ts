// Random blocks for differential testing: Block-STM must give what the sequential executor gives on blocks that
// nobody designed, not only on the hand-made cases of blocks.ts. `fuzzBlock(seed)` is deterministic (sfc32 seeded
// from the seed, no clock, no Math.random): a failing seed reproduces exactly (scripts/fuzz.mjs, test/fuzz.test.ts).
//
// What a block holds, all drawn from the seed:
// - 3-9 externally owned senders (a few "hot" ones send most transactions: nonce chains), rich enough for gas,
//   and in some blocks one "poor" sender whose later transactions are only valid if it received enough value
//   earlier in the block (else the block is invalid, and both modes must reject it the same way);
// - 2-6 contracts with random code over a small key space (slots 0-7), so that transactions conflict often:
//   SLOAD/SSTORE (values that depend on what was read, on GAS, or constants, zero included), TLOAD/TSTORE,
//   BALANCE/SELFBALANCE/EXTCODEHASH/EXTCODESIZE of the block's accounts (the coinbase, the senders, contracts,
//   children not yet created, precompiles, a fresh address), CALL with value, STATICCALL, DELEGATECALL, CALLCODE
//   into each other (re-entrancy, bounded by gas), CREATE and CREATE2 of small children (a counter, one that
//   self-destructs when called, one that self-destructs in its constructor, one that reverts), SELFDESTRUCT,
//   logs, REVERT or INVALID depending on what was read, early RETURN, memory and keccak;
// - every action of a contract is guarded by a bit of calldata word 0, so that each call runs its own subset;
//   everything read is summed into an accumulator that decides branches, the values stored and the logs, so a
//   stale read changes the result;
// - transactions: calls with random masks and values (some with too little gas), plain transfers to any of the
//   accounts (a contract's code then runs with empty calldata), contract-creation transactions whose init code is
//   such a program, calls into the CREATE2 children; legacy, EIP-2930 (access lists) and EIP-1559 (tips above and
//   below the fee cap) envelopes, and from Cancun a few blob transactions (more than 6 blobs: an invalid block);
// - a child's address may hold storage or a balance before the block (a CREATE2 there may collide);
// - the coinbase is the zero address, a sender, a contract whose code reads its own balance, a fresh address,
//   or the address of a child that self-destructs in its constructor (created and deleted in one transaction);
//   base fee 0 or 7 gwei (none before London);
// - the rules: Cancun in ~45% of the blocks, else Shanghai (SELFDESTRUCT deletes, no transient storage), Paris (no
//   PUSH0, a cold coinbase), London, Berlin (no EIP-1559 transactions, EIP-3529 not yet: larger refunds),
//   Istanbul (no access lists, no EIP-2929 cold/warm gas), Petersburg (no SELFBALANCE or CHAINID: `ADDRESS BALANCE`
//   instead; EIP-1884/2200 gas not yet), Constantinople (EIP-1283 net gas metering, dropped again by Petersburg),
//   Byzantium (no CREATE2, EXTCODEHASH or shifts: CREATE, EXTCODESIZE and DIV instead; a 3-ether reward), Spurious
//   Dragon (no REVERT, STATICCALL or RETURNDATASIZE: INVALID and CALL instead; status-less receipts), Tangerine
//   Whistle (no EIP-161: touched empty accounts stay; a new account costs gas by existence), Homestead (no
//   EIP-150 63/64 rule) or Frontier (no DELEGATECALL: CALLCODE instead; a creation that cannot pay for its code
//   keeps an empty one); transactions without EIP-155 chain ids before Spurious Dragon;
// - the block's end and start: before the Merge the coinbase's reward and 0-2 uncles' rewards; from Shanghai
//   0-5 withdrawals (to senders, contracts, children, the coinbase, an empty account; some of 0 gwei, which
//   delete an empty account they touch); in Cancun a parent beacon block root, stored by the EIP-4788 system
//   call when the beacon-roots contract is in the pre-state, and read back by contracts through it;
// - an existing empty account in some blocks (a touch deletes it), and reads of the block environment
//   (NUMBER, TIMESTAMP, DIFFICULTY/PREVRANDAO, GASLIMIT, CHAINID, GASPRICE, BASEFEE, BLOBBASEFEE), and BLOCKHASH of
//   the last 256 blocks and of numbers outside them, with the hashes of some recent blocks given in half the
//   blocks (`blockHashes`: a hash not given reads as zero, and so does one given outside the window);
// - in ~30% of blocks a random start-first list (ExecuteInput.startFirst).
import type { BlockTx, UncleHeader, Withdrawal } from '../../src/block.js';
import { Fork } from '../../src/forks.js';
import { intrinsicGas, type AccessListEntry, type Tx } from '../../src/tx.js';
import type { WorldState } from '../../src/state.js';
import {
  Rng, Addresses, asm, account, makeBlock, initCode, toHex, be, bigOf, create2Address, createAddress, addrOfInt, ETHER, ZERO_ADDRESS,
  BEACON_ROOTS_ADDRESS, BEACON_ROOTS_CODE, type GeneratedBlock,
} from './blocks.js';

/** A random block and what to pass along with it. */
export interface FuzzBlock extends GeneratedBlock {
  /** Transactions to start first (ExecuteInput.startFirst), or undefined. */
  startFirst?: number[];
  /** Hashes of recent blocks for BLOCKHASH (ExecuteInput.blockHashes), or undefined. */
  blockHashes?: Map<bigint, Uint8Array>;
}

const GWEI = 10n ** 9n;

/**
 * The generator's version, part of every seed: a change to what fuzzBlock draws changes every block, and seeds
 * quoted elsewhere (test/known-failures/fuzz-ethereumjs.json) name blocks of one version. Version 1 (Cancun and
 * Shanghai only) found the two bugs that test/fuzz.test.ts names; version 3 gives Paris creations no EIP-3860
 * init-code gas (version 2 added it to every fork's gas limits); version 4 adds London, Berlin and Istanbul,
 * withdrawals, uncles, the beacon root, an empty account and reads of the block environment; version 5 adds
 * Petersburg, Constantinople and Byzantium, and BLOCKHASH; version 6 adds Spurious Dragon, Tangerine Whistle,
 * Homestead and Frontier.
 */
export const FUZZ_VERSION = 6;

/**
 * Children that contracts CREATE / CREATE2: init codes of at most 32 bytes (pushed as one word), with the
 * opcodes of `fork` (PUSH0 from Shanghai, REVERT from Byzantium: INVALID before).
 */
function children(fork: Fork): { name: string; init: Uint8Array }[] {
  const a = (src: string) => asm(src, { push0: fork >= Fork.Shanghai });
  return [
    // runtime `0 SLOAD 1 ADD 0 SSTORE STOP` (10 bytes, without PUSH0); the constructor stores CALLVALUE at slot 1
    { name: 'counter', init: a('CALLVALUE 1 SSTORE 0x60005460010160005500 0 MSTORE 10 22 RETURN') },
    // runtime `CALLER SELFDESTRUCT`
    { name: 'destructible', init: a('0x33ff 0 MSTORE 2 30 RETURN') },
    // self-destructs in its constructor (Cancun: the account is created and deleted in one transaction)
    { name: 'suicide', init: a('CALLER SELFDESTRUCT') },
    { name: 'reverting', init: a(fork >= Fork.Byzantium ? '0 0 REVERT' : '0 0 INVALID') },
  ];
}

/** An init code of at most 32 bytes as the PUSH32 word that holds it left-aligned. */
function initWord(init: Uint8Array): string {
  const w = new Uint8Array(32);
  w.set(init);
  return toHex(w);
}

interface Gen {
  rng: Rng;
  fork: Fork;
  /** The child init codes for this fork. */
  children: { name: string; init: Uint8Array }[];
  /** Addresses the code may name. */
  pool: Uint8Array[];
  /** Unique label counter. */
  label: number;
  /** The beacon-roots contract is in the pre-state and the header carries a root (Cancun). */
  beacon: boolean;
}

/** The contract's own balance: SELFBALANCE from Istanbul (EIP-1884), `ADDRESS BALANCE` before. */
const selfBalance = (g: Gen): string => (g.fork >= Fork.Istanbul ? 'SELFBALANCE' : 'ADDRESS BALANCE');

const pickOf = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];
const chance = (rng: Rng, p: number): boolean => rng.float() < p;

/** An address operand. */
function addrExpr(g: Gen): string {
  const r = g.rng.int(10);
  if (r === 0) return 'CALLER';
  if (r === 1) return 'ORIGIN';
  if (r === 2) return 'COINBASE';
  if (r === 3) return 'ADDRESS';
  return toHex(pickOf(g.rng, g.pool));
}

/** A storage or transient key; `depth` = stack items above the accumulator. */
function keyExpr(g: Gen, depth: number): string {
  const r = g.rng.int(6);
  if (r <= 2) return String(g.rng.int(8));
  if (r === 3) return `${32 * (1 + g.rng.int(3))} CALLDATALOAD 7 AND`;
  return `DUP${depth + 1} 7 AND`; // derived from what was read
}

/** A value to store; `depth` as in keyExpr. */
function valueExpr(g: Gen, depth: number): string {
  const r = g.rng.int(7);
  if (r === 0) return '0';
  if (r === 1) return String(1 + g.rng.int(1000));
  if (r === 2) return '0x8000000000000000000000000000000000000000000000000000000000000001';
  if (r === 3) return 'GAS';
  if (r === 4) return `DUP${depth + 1}`;
  return `DUP${depth + 1} ${1 + g.rng.int(255)} ADD`;
}

/** Wei to send along with a call or creation (no DUP: the stack depth varies). */
function callValue(g: Gen): string {
  const r = g.rng.int(6);
  if (r <= 2) return '0';
  if (r === 3) return String(1 + g.rng.int(100_000));
  if (r === 4) return `${selfBalance(g)} 3 DIV`;
  return 'CALLVALUE';
}

function gasExpr(g: Gen): string {
  return chance(g.rng, 0.3) ? 'GAS' : String(5_000 + g.rng.int(150_000));
}

/** Calldata word 0 for a call this code makes (which actions the callee runs). */
function maskExpr(g: Gen): string {
  return chance(g.rng, 0.5) ? `DUP1 ${g.rng.u32()} XOR` : String(g.rng.u32());
}

/** One action: the stack is [acc] before and after (unless it ends the frame). */
function action(g: Gen): string {
  const { rng } = g;
  const L = () => `L${g.label++}`;
  switch (rng.int(22)) {
    case 0: case 1: return `${keyExpr(g, 0)} SLOAD ADD`;
    case 2: case 3: return `${valueExpr(g, 0)} ${keyExpr(g, 1)} SSTORE`;
    case 4: return g.fork >= Fork.Cancun ? `${keyExpr(g, 0)} TLOAD ADD` : 'GAS ADD';
    case 5: return g.fork >= Fork.Cancun ? `${valueExpr(g, 0)} ${keyExpr(g, 1)} TSTORE` : `${keyExpr(g, 0)} SLOAD ADD`;
    case 6: return `${addrExpr(g)} BALANCE ADD`;
    case 7: return `${selfBalance(g)} ADD`;
    case 8: return `${addrExpr(g)} ${chance(rng, 0.5) && g.fork >= Fork.Constantinople ? 'EXTCODEHASH' : 'EXTCODESIZE'} ADD`;
    case 9: case 10: return `${maskExpr(g)} 0 MSTORE 0 0 32 0 ${callValue(g)} ${addrExpr(g)} ${gasExpr(g)} CALL ADD${g.fork >= Fork.Byzantium ? ' RETURNDATASIZE ADD' : ''}`;
    // (STATICCALL from Byzantium; a CALL without value before)
    case 11: return `${maskExpr(g)} 0 MSTORE 0 0 32 0 ${g.fork >= Fork.Byzantium ? '' : '0 '}${addrExpr(g)} ${gasExpr(g)} ${g.fork >= Fork.Byzantium ? 'STATICCALL' : 'CALL'} ADD`;
    // (DELEGATECALL from Homestead)
    case 12: return `${maskExpr(g)} 0 MSTORE 0 0 32 0 ${addrExpr(g)} ${gasExpr(g)} ${chance(rng, 0.5) && g.fork >= Fork.Homestead ? 'DELEGATECALL' : `${callValue(g)} SWAP2 SWAP1 CALLCODE`} ADD`;
    case 13: return `DUP1 0 MSTORE ${rng.u32()} 32 0 LOG1`;
    case 14: {
      const c = pickOf(rng, g.children);
      if (g.fork < Fork.Constantinople) return `${initWord(c.init)} 0 MSTORE ${c.init.length} 0 ${callValue(g)} CREATE ADD`;
      return `${initWord(c.init)} 0 MSTORE ${rng.int(2)} ${c.init.length} 0 ${callValue(g)} CREATE2 ADD`;
    }
    case 15: {
      const c = pickOf(rng, g.children);
      return `${initWord(c.init)} 0 MSTORE ${c.init.length} 0 ${callValue(g)} CREATE ADD`;
    }
    case 16: { const l = L(); return `DUP1 ${1 << rng.int(8)} AND ISZERO @${l} JUMPI ${addrExpr(g)} SELFDESTRUCT ${l}:`; }
    case 17: { const l = L(); return `DUP1 ${1 << rng.int(8)} AND ISZERO @${l} JUMPI 0 0 ${chance(rng, 0.7) && g.fork >= Fork.Byzantium ? 'REVERT' : 'INVALID'} ${l}:`; }
    case 18: { const l = L(); return `DUP1 ${1 << rng.int(8)} AND ISZERO @${l} JUMPI DUP1 0 MSTORE 32 0 RETURN ${l}:`; }
    case 19: return rng.int(2) === 0 ? blockHashRead(g) : rng.int(2) === 0 ? 'GAS ADD' : envReads(g);
    case 20: return g.beacon && rng.int(2) === 0
      // the root the system call stored for this block's timestamp, the pre-state's for timestamp - 12, or a failed call
      ? `TIMESTAMP ${pickOf(rng, [0, 12, 1])} SWAP1 SUB 0 MSTORE 32 0 32 0 ${BEACON_ROOTS_ADDRESS} GAS STATICCALL ADD 0 MLOAD ADD`
      : `DUP1 255 AND MLOAD ADD 32 0 KECCAK256 ADD`;
    default: return `DUP1 0 MSTORE ${rng.u32()} ${rng.u32()} 32 0 LOG2`;
  }
}

/** Reads of the block environment the fork has, added to the accumulator. */
function envReads(g: Gen): string {
  const ops = ['NUMBER', 'TIMESTAMP', 'DIFFICULTY', 'GASLIMIT', 'GASPRICE', 'COINBASE'];
  if (g.fork >= Fork.Istanbul) ops.push('CHAINID');
  if (g.fork >= Fork.London) ops.push('BASEFEE');
  if (g.fork >= Fork.Cancun) ops.push('BLOBBASEFEE');
  return `${pickOf(g.rng, ops)} ADD ${pickOf(g.rng, ops)} ADD`;
}

/**
 * BLOCKHASH of a block `k` back (1 and 256 are the window's ends; 0, 257 and more read zero), or of a small
 * constant number (far outside the window), added to the accumulator.
 */
function blockHashRead(g: Gen): string {
  if (g.rng.int(6) === 0) return `${g.rng.int(4)} BLOCKHASH ADD`;
  const k = pickOf(g.rng, [1, 1, 1, 2, 256, 0, 257, 1 + g.rng.int(256), 1 + g.rng.int(8)]);
  return `${k} NUMBER SUB BLOCKHASH ADD`;
}

/** A program of `n` actions, each guarded by a bit of calldata word 0 (or unguarded), then an ending. */
function program(g: Gen, n: number, guarded: boolean): string {
  const parts = ['0'];
  for (let i = 0; i < n; i++) {
    const a = action(g);
    if (guarded && chance(g.rng, 0.85)) {
      const l = `G${g.label++}`;
      // (bit i of the mask: SHR from Constantinople, a division before)
      const bit = g.fork >= Fork.Constantinople ? `0 CALLDATALOAD ${i % 32} SHR` : `${2 ** (i % 32)} 0 CALLDATALOAD DIV`;
      parts.push(`${bit} 1 AND ISZERO @${l} JUMPI ${a} ${l}:`);
    } else parts.push(a);
  }
  const end = g.rng.int(3);
  if (end === 0) parts.push('STOP');
  else if (end === 1) parts.push(`${keyExpr(g, 0)} SSTORE STOP`);
  else parts.push('0 MSTORE 32 0 RETURN');
  return parts.join('\n');
}

/**
 * A random block (module comment), selected by `seed`.
 */
export function fuzzBlock(seed: number): FuzzBlock {
  const rng = new Rng(`fuzz/${FUZZ_VERSION}/${seed}`);
  const addrs = new Addresses(rng);
  const f = rng.float();
  const fork = f < 0.38 ? Fork.Cancun : f < 0.5 ? Fork.Shanghai : f < 0.58 ? Fork.Paris : f < 0.65 ? Fork.London
    : f < 0.71 ? Fork.Berlin : f < 0.76 ? Fork.Istanbul : f < 0.8 ? Fork.Petersburg : f < 0.84 ? Fork.Constantinople
      : f < 0.88 ? Fork.Byzantium : f < 0.91 ? Fork.SpuriousDragon : f < 0.94 ? Fork.TangerineWhistle : f < 0.97 ? Fork.Homestead
        : Fork.Frontier;
  const push0 = fork >= Fork.Shanghai;
  const kids = children(fork);
  const baseFee = fork < Fork.London || chance(rng, 0.5) ? 0n : 7n * GWEI;
  const number = 1000n + BigInt(rng.int(100_000));
  const timestamp = 1_700_000_000n + BigInt(rng.int(10_000_000));
  const beaconRoot = fork >= Fork.Cancun && chance(rng, 0.5) ? rng.bytes(32) : undefined;
  const beacon = beaconRoot !== undefined && chance(rng, 0.8);
  const state: WorldState = new Map();
  const nSenders = 3 + rng.int(7), nContracts = 2 + rng.int(5);
  const senders = Array.from({ length: nSenders }, () => addrs.next());
  const contracts = Array.from({ length: nContracts }, () => addrs.next());
  const fresh = addrs.next();
  // an account that exists and is empty (left from before EIP-161): a touch or a withdrawal of 0 deletes it
  const empty = addrs.next();
  // the CREATE2 children of each contract at salts 0 and 1, so that code can name them before they exist
  const childAddrs: Uint8Array[] = [];
  for (const c of contracts) for (const ch of kids) for (const salt of [0n, 1n]) childAddrs.push(create2Address(c, salt, ch.init));
  const precompiles = [1, 2, 4, 9].map((i) => addrOfInt(i));
  const coinbaseKind = rng.int(5);
  // (kind 4: the address where contracts[0] CREATE2s a child that self-destructs in its constructor, salt 0)
  const coinbase = coinbaseKind === 0 ? ZERO_ADDRESS : coinbaseKind === 1 ? senders[0] : coinbaseKind === 2 ? contracts[0]
    : coinbaseKind === 3 ? fresh : childAddrs[2 * kids.findIndex((c) => c.name === 'suicide')];
  if (coinbaseKind === 0) state.set(toHex(ZERO_ADDRESS), account(0n));
  if (chance(rng, 0.4)) state.set(toHex(empty), account(0n));
  if (beacon) {
    // with a root stored by an earlier block, at the slots of timestamp - 12
    const t = timestamp - 12n;
    state.set(BEACON_ROOTS_ADDRESS, account(0n, 1n, BEACON_ROOTS_CODE, new Map([[t % 8191n, t], [t % 8191n + 8191n, bigOf(rng.bytes(32))]])));
  }
  const pool = [...senders, ...contracts, ...contracts, ...childAddrs.filter(() => chance(rng, 0.25)), ...precompiles, fresh, coinbase, empty];
  const g: Gen = { rng, fork, children: kids, pool, label: 0, beacon };

  for (const s of senders) state.set(toHex(s), account(ETHER * BigInt(1 + rng.int(1000))));
  // a child's address that already holds storage or a balance (a CREATE2 there collides if it has storage: EIP-7610)
  if (chance(rng, 0.3)) {
    const a = pickOf(rng, childAddrs);
    state.set(toHex(a), account(BigInt(rng.int(1000)), 0n, new Uint8Array(0), chance(rng, 0.5) ? new Map([[0n, 1n]]) : new Map()));
  }
  const codes = contracts.map(() => asm(program(g, 3 + rng.int(10), true), { push0 }));
  contracts.forEach((c, i) => {
    const storage = new Map<bigint, bigint>();
    for (let k = 0n; k < 8n; k++) if (chance(rng, 0.4)) storage.set(k, BigInt(1 + rng.int(1_000_000)));
    state.set(toHex(c), account(chance(rng, 0.3) ? 0n : BigInt(rng.int(10_000_000)), 1n, codes[i], storage));
  });

  // transactions
  const n = chance(rng, 0.1) ? 100 + rng.int(200) : 12 + rng.int(53);
  const nonces = new Map<string, bigint>();
  const hot = senders.slice(0, 1 + rng.int(Math.min(3, nSenders)));
  const poor = chance(rng, 0.15) ? senders[nSenders - 1] : undefined;
  const created: Uint8Array[] = [];
  const txs: BlockTx[] = [];
  let poorCost = 0n;
  for (let t = 0; t < n; t++) {
    const from = chance(rng, 0.6) ? pickOf(rng, hot) : pickOf(rng, senders);
    const key = toHex(from);
    const nonce = nonces.get(key) ?? 0n;
    nonces.set(key, nonce + 1n);
    let to: Uint8Array | null;
    let data = new Uint8Array(0);
    let value = 0n;
    let gas: bigint;
    const kind = rng.int(20);
    if (kind < 9) { // a call into a contract
      to = pickOf(rng, contracts);
      data = new Uint8Array(128);
      data.set(be(BigInt(rng.u32())), 0);
      for (let w = 1; w < 4; w++) data[32 * w + 31] = rng.int(256);
      value = chance(rng, 0.3) ? BigInt(rng.int(1_000_000)) : 0n;
      gas = chance(rng, 0.1) ? BigInt(rng.int(30_000)) : BigInt(100_000 + rng.int(1_500_000));
    } else if (kind < 14) { // a plain transfer to anything
      to = pickOf(rng, [...pool, ...created, ...senders]);
      value = BigInt(rng.int(1_000_000_000));
      gas = BigInt(chance(rng, 0.5) ? 0 : rng.int(200_000));
    } else if (kind < 17) { // a contract-creation transaction
      to = null;
      const runtime = chance(rng, 0.5) ? pickOf(rng, codes) : asm(program(g, 2 + rng.int(6), true), { push0 });
      data = initCode(program(g, 1 + rng.int(6), false).replace(/\n(STOP|0 MSTORE 32 0 RETURN|[^\n]* SSTORE STOP)$/, '\nPOP'), runtime, { push0 });
      created.push(createAddress(from, nonce));
      value = chance(rng, 0.3) ? BigInt(rng.int(1_000_000)) : 0n;
      gas = BigInt(rng.int(1_200_000));
    } else { // a call into a CREATE2 child (perhaps not created yet, or destroyed)
      to = pickOf(rng, childAddrs);
      data = chance(rng, 0.5) ? new Uint8Array(0) : be(BigInt(rng.u32()));
      value = chance(rng, 0.3) ? BigInt(rng.int(1_000)) : 0n;
      gas = BigInt(rng.int(200_000));
    }
    // (blob transactions from Cancun, to an address: 1-2 blobs each, more than 6 in the block makes it invalid)
    const type = (fork >= Fork.Cancun && to !== null && chance(rng, 0.02) ? 3
      : rng.int(fork >= Fork.London ? 3 : fork >= Fork.Berlin ? 2 : 1)) as 0 | 1 | 2 | 3;
    const accessList: AccessListEntry[] = [];
    if (type !== 0 && chance(rng, 0.5)) {
      for (let i = rng.int(3); i >= 0; i--) {
        accessList.push({ address: pickOf(rng, pool), storageKeys: Array.from({ length: rng.int(3) }, () => be(BigInt(rng.int(8)))) });
      }
    }
    let tip = BigInt(rng.int(3)) * GWEI;
    const maxFee = baseFee + (chance(rng, 0.7) ? tip : BigInt(rng.int(2)) * GWEI);
    if (type >= 2 && tip > maxFee) tip = maxFee; // (a tip above the fee cap is statically invalid)
    const gasPrice = type >= 2 ? undefined : baseFee + tip;
    const tx: Tx = {
      type, chainId: type === 0 && fork < Fork.SpuriousDragon ? undefined : 1n, nonce, gasPrice, maxFeePerGas: gasPrice ?? maxFee, maxPriorityFeePerGas: gasPrice ?? tip,
      // (legacy: EIP-155, chain 1 in v, from Spurious Dragon; no chain id before)
      gasLimit: 0n, to, value, data, accessList, v: type !== 0 ? 0n : fork >= Fork.SpuriousDragon ? 37n : 27n, r: 1n, s: 1n, yParity: 0,
    };
    tx.gasLimit = gas + intrinsicGas(tx, fork); // (the drawn gas is what execution gets beyond the intrinsic)
    if (type === 3) {
      tx.maxFeePerBlobGas = BigInt(1 + rng.int(3));
      tx.blobVersionedHashes = Array.from({ length: 1 + rng.int(2) }, () => { const h = rng.bytes(32); h[0] = 1; return h; });
    }
    if (from === poor) poorCost += tx.gasLimit * tx.maxFeePerGas + value;
    txs.push({ tx, from });
  }
  // the poor sender can afford about half of what it sends (unless it receives value in the block)
  if (poor) state.set(toHex(poor), account(poorCost / 2n + BigInt(rng.int(1_000_000))));
  // the block's end: withdrawals from Shanghai, uncles before the Merge
  const endPool = [...pool, empty, ZERO_ADDRESS, ...childAddrs.slice(0, 4)];
  const withdrawals: Withdrawal[] = fork >= Fork.Shanghai && chance(rng, 0.5)
    ? Array.from({ length: 1 + rng.int(5) }, (_, i) => ({
      index: BigInt(i), validatorIndex: BigInt(rng.int(1000)), address: pickOf(rng, endPool),
      amount: chance(rng, 0.3) ? 0n : chance(rng, 0.5) ? BigInt(1 + rng.int(1000)) : GWEI,
    }))
    : [];
  const uncleHeaders: UncleHeader[] | undefined = fork < Fork.Paris && chance(rng, 0.4)
    ? Array.from({ length: 1 + rng.int(2) }, () => ({ number: number - 1n - BigInt(rng.int(6)), miner: pickOf(rng, endPool) }))
    : undefined;
  const extras = [Fork[fork], poor ? 'a poor sender' : '', withdrawals.length ? `${withdrawals.length} withdrawals` : '',
    uncleHeaders ? `${uncleHeaders.length} uncles` : '', beaconRoot ? (beacon ? 'a beacon root' : 'a beacon root without the contract') : ''].filter((x) => x);
  const block = makeBlock(`fuzz-${seed}`, `random block ${seed}: ${n} transactions, ${nSenders} senders, ${nContracts} contracts, ${extras.join(', ')}`,
    state, txs, {
      fork, baseFee, coinbase, withdrawals, uncleHeaders,
      header: {
        number, timestamp, difficulty: fork < Fork.Paris ? 131_072n + BigInt(rng.int(1 << 20)) : 0n, mixHash: rng.bytes(32),
        baseFeePerGas: fork >= Fork.London ? baseFee : undefined, excessBlobGas: fork >= Fork.Cancun ? 0n : undefined,
        parentBeaconBlockRoot: beaconRoot,
      },
    });
  const startFirst = chance(rng, 0.3) ? Array.from({ length: 1 + rng.int(4) }, () => rng.int(n)) : undefined;
  // hashes of some of the last 256 blocks, and now and then of this block or the one before the window (ignored)
  let blockHashes: Map<bigint, Uint8Array> | undefined;
  if (chance(rng, 0.5)) {
    blockHashes = new Map();
    for (const k of [1n, 2n, 256n, 257n, 0n, ...Array.from({ length: 8 }, () => BigInt(1 + rng.int(256)))]) {
      if ((k === 0n || k === 257n) ? chance(rng, 0.3) : chance(rng, 0.8)) blockHashes.set(number - k, rng.bytes(32));
    }
  }
  return { ...block, startFirst, blockHashes };
}
