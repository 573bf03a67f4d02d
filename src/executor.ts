// Block execution: the public entry point. `createExecutor()` gives an executor; `execute()` runs a block on a
// pre-state and returns receipts, gas, the logs bloom, the receipts root, the state diff and (when the
// pre-state is the whole state) the state root, each checked against the header when the header has it.
//
// This version runs sequentially on one engine instance; it is also the oracle the parallel executor is
// tested against.
import { Engine, applyDiff, STATUS_NAMES, type EngineOptions, type BlockEnv, type ExecTx } from './engine/engine.js';
import { type Block } from './block.js';
import { MAINNET, forkAt, type ChainConfig } from './chain.js';
import { Fork, forkName } from './forks.js';
import { ParevmError, TxError } from './errors.js';
import { bytesEqual, bytesToHex } from './hex.js';
import { recoverSender, validateTxStatic } from './tx.js';
import { logsBloom, orBlooms, receiptsRoot as computeReceiptsRoot, type Receipt } from './receipts.js';
import { worldStateRoot, type AccountState, type WorldState } from './state.js';
import { fakeExponential } from './runners/state-tests.js';

/** A block that cannot be executed as given (an invalid transaction, an unsupported feature). Nothing is returned of it. */
export class BlockError extends ParevmError {
  /** Index of the offending transaction, when one is to blame. */
  readonly txIndex?: number;
  constructor(code: string, message: string, txIndex?: number, field?: string) {
    super(code, message, field);
    this.txIndex = txIndex;
  }
}

/** Executor configuration. */
export interface ExecutorOptions {
  /** Worker threads; 1 (the default for now) runs the sequential executor. */
  workers?: number;
  /** Chain configuration (fork schedule and chain id); mainnet by default. */
  chain?: ChainConfig;
  /** Engine region sizes (grown automatically for larger pre-states). */
  engine?: EngineOptions;
  /** Recover every sender from its signature and compare with `from` when the JSON has it. */
  verifySenders?: boolean;
}

/** What to execute. */
export interface ExecuteInput {
  block: Block;
  /** Pre-state: the state after the parent block (all of it, or at least everything the block touches). */
  state: WorldState;
  /** Hashes of recent blocks for BLOCKHASH. */
  blockHashes?: Map<bigint, Uint8Array>;
  /** Override the fork the chain configuration would pick. */
  fork?: Fork;
  /** The pre-state is the entire state, so the post-state root can be computed. */
  fullState?: boolean;
}

/** One account's change. `before`/`after` are undefined for an account that did not / does not exist. */
export interface AccountChange {
  address: string;
  before?: AccountState;
  after?: AccountState;
  /** Changed slots (after a wipe, every slot the account had is listed with after = 0). */
  storage: { slot: bigint; before: bigint; after: bigint }[];
}

/** The result of a block. */
export interface BlockResult {
  fork: Fork;
  mode: 'sequential' | 'parallel';
  gasUsed: bigint;
  blobGasUsed: bigint;
  receipts: Receipt[];
  logsBloom: Uint8Array;
  /** Byzantium and later (earlier receipts embed intermediate state roots). */
  receiptsRoot?: Uint8Array;
  /** When the pre-state was the whole state. */
  stateRoot?: Uint8Array;
  /** Changed accounts, sorted by address. */
  diff: AccountChange[];
  /** Comparison with the header: true/false per value the header gives, absent when not checkable. */
  checks: { gasUsed?: boolean; logsBloom?: boolean; receiptsRoot?: boolean; stateRoot?: boolean };
  /** Things the caller should know (e.g. rewards that could not be applied). */
  notes: string[];
  stats: { txs: number; executions: number; reexecutions: number; ms: { senders: number; load: number; execute: number; finalize: number; total: number } };
}

const GWEI = 1_000_000_000n;
const BEACON_ROOTS = '0x000f3df6d732807ef1319fb7b8bb8522d0beac02';

function blockReward(fork: Fork): bigint {
  if (fork >= Fork.Paris) return 0n;
  if (fork >= Fork.Petersburg || fork === Fork.Constantinople) return 2n * 10n ** 18n; // EIP-1234
  if (fork >= Fork.Byzantium) return 3n * 10n ** 18n; // EIP-649
  return 5n * 10n ** 18n;
}

function envFor(block: Block, fork: Fork, chain: ChainConfig, hashes?: Map<bigint, Uint8Array>): BlockEnv {
  const h = block.header;
  const blobBaseFee = fork >= Fork.Cancun ? fakeExponential(1n, h.excessBlobGas ?? 0n, fork >= Fork.Prague ? 5007716n : 3338477n) : 0n;
  let prevRandao = h.difficulty;
  if (fork >= Fork.Paris) prevRandao = BigInt(bytesToHex(h.mixHash));
  return {
    fork, chainId: chain.chainId, coinbase: h.miner, number: h.number, timestamp: h.timestamp, gasLimit: h.gasLimit,
    baseFee: fork >= Fork.London ? (h.baseFeePerGas ?? 0n) : 0n, prevRandao, blobBaseFee,
    blockHash: hashes ? (n) => hashes.get(n) : undefined,
  };
}

/** Executes blocks. */
export class Executor {
  readonly options: ExecutorOptions;
  private engine?: Engine;

  constructor(options: ExecutorOptions = {}) { this.options = options; }

  private engineFor(state: WorldState, txs: number): Engine {
    let slots = 0;
    for (const a of state.values()) slots += a.storage.size;
    const pow2 = (n: number, min: number) => { let c = min; while (c < n) c *= 2; return c; };
    // Room for the pre-state plus what the block may add, at most 3/4 full.
    const accounts = pow2((state.size + txs * 4) * 2, 1 << 12);
    const wantSlots = pow2((slots + txs * 8) * 2, 1 << 14);
    const e = this.engine;
    if (e && e.opts.accounts >= accounts && e.opts.slots >= wantSlots) return e;
    this.engine = new Engine({ ...this.options.engine, accounts, slots: wantSlots });
    return this.engine;
  }

  /** Runs a block. Throws BlockError (or InputError) for a block that cannot be executed; the pre-state is never modified. */
  execute(input: ExecuteInput): BlockResult {
    const t0 = performance.now();
    const chain = this.options.chain ?? MAINNET;
    const { block, state } = input;
    const fork = input.fork ?? forkAt(chain, block.header.number, block.header.timestamp);
    const notes: string[] = [];

    // senders and the checks that need no state
    const txs: ExecTx[] = block.transactions.map((bt, i) => {
      let intrinsicGas: bigint;
      try {
        intrinsicGas = validateTxStatic(bt.tx, fork, { chainId: chain.chainId });
      } catch (e) {
        const err = e as ParevmError;
        throw new BlockError(err.code ?? 'TX_INVALID', `transaction ${i}: ${err.message}`, i, err.field);
      }
      let sender = bt.from;
      if (!sender || this.options.verifySenders) {
        let rec: Uint8Array;
        try { rec = recoverSender(bt.tx, fork, { chainId: chain.chainId }); } catch (e) {
          throw new BlockError((e as TxError).code ?? 'INVALID_SIGNATURE', `transaction ${i}: ${(e as Error).message}`, i, 'signature');
        }
        if (sender && !bytesEqual(sender, rec)) throw new BlockError('SENDER_MISMATCH', `transaction ${i}: recovered sender ${bytesToHex(rec)} != from ${bytesToHex(sender)}`, i, 'from');
        sender = rec;
      }
      return { tx: bt.tx, sender, intrinsicGas };
    });
    const t1 = performance.now();

    if (fork >= Fork.Cancun && block.header.parentBeaconBlockRoot && state.get(BEACON_ROOTS)?.code.length) {
      throw new BlockError('UNSUPPORTED', 'the EIP-4788 beacon-roots contract is in the pre-state: its system call is not implemented yet');
    }

    const engine = this.engineFor(state, txs.length);
    engine.loadState(state);
    engine.beginBlock(envFor(block, fork, chain, input.blockHashes));
    const t2 = performance.now();

    // transactions, in order
    const receipts: Receipt[] = [];
    let cumulative = 0n, blobGas = 0n;
    let p = engine.inputBase;
    const limit = engine.inputBase + engine.opts.inputBytes;
    for (let i = 0; i < txs.length; i++) {
      const need = 512 + txs[i].tx.data.length + txs[i].tx.accessList.length * 64 + 32 * txs[i].tx.accessList.reduce((n, e) => n + e.storageKeys.length, 0);
      if (p + need > limit) p = engine.inputBase; // one transaction at a time here: reuse the region
      engine.setBlockGasUsed(cumulative, blobGas);
      const resPtr = engine.writeTx(p, txs[i]);
      const r = engine.runTx(p, resPtr);
      if (!r.valid) throw new BlockError(STATUS_NAMES[r.status] ?? `STATUS_${r.status}`, `transaction ${i} is invalid: ${STATUS_NAMES[r.status] ?? r.status}`, i);
      cumulative += r.gasUsed;
      blobGas += r.blobGasUsed;
      receipts.push({
        type: txs[i].tx.type, status: r.success ? 1 : 0, gasUsed: r.gasUsed, cumulativeGasUsed: cumulative,
        logs: r.logs, logsBloom: logsBloom(r.logs), contractAddress: r.contractAddress,
      });
    }
    const t3 = performance.now();

    // after the transactions: rewards before the Merge, withdrawals from Shanghai
    const reward = blockReward(fork);
    if (reward > 0n) {
      const uncles = block.uncleHeaders;
      if (block.uncles.length > 0 && !uncles) notes.push(`block has ${block.uncles.length} uncle(s) but no uncle headers were given: uncle rewards are not applied`);
      engine.credit(block.header.miner, reward + (reward / 32n) * BigInt(uncles?.length ?? 0));
      for (const u of uncles ?? []) engine.credit(u.miner, ((u.number + 8n - block.header.number) * reward) / 8n);
    }
    if (fork >= Fork.Shanghai) for (const w of block.withdrawals ?? []) engine.credit(w.address, w.amount * GWEI);

    const overlay = engine.readOverlay();
    const diff = diffOf(state, overlay);
    let stateRoot: Uint8Array | undefined;
    if (input.fullState) stateRoot = worldStateRoot(applyDiff(state, overlay));
    const bloom = orBlooms(receipts.map((r) => r.logsBloom));
    const rr = fork >= Fork.Byzantium ? computeReceiptsRoot(receipts) : undefined;
    if (!rr) notes.push('receipts before Byzantium embed intermediate state roots: the receipts root is not computed');
    const h = block.header;
    const checks: BlockResult['checks'] = {};
    if (h.gasUsed !== undefined) checks.gasUsed = h.gasUsed === cumulative;
    if (h.logsBloom) checks.logsBloom = bytesEqual(h.logsBloom, bloom);
    if (h.receiptsRoot && rr) checks.receiptsRoot = bytesEqual(h.receiptsRoot, rr);
    if (h.stateRoot && stateRoot) checks.stateRoot = bytesEqual(h.stateRoot, stateRoot);
    const t4 = performance.now();
    return {
      fork, mode: 'sequential', gasUsed: cumulative, blobGasUsed: blobGas, receipts, logsBloom: bloom, receiptsRoot: rr,
      stateRoot, diff, checks, notes,
      stats: { txs: txs.length, executions: txs.length, reexecutions: 0, ms: { senders: t1 - t0, load: t2 - t1, execute: t3 - t2, finalize: t4 - t3, total: t4 - t0 } },
    };
  }

  /** Releases the engine. */
  close(): void { this.engine = undefined; }
}

function diffOf(pre: WorldState, overlay: ReturnType<Engine['readOverlay']>): AccountChange[] {
  const post = applyDiff(pre, overlay);
  const out: AccountChange[] = [];
  for (const addr of [...overlay.accounts.keys()].sort()) {
    const before = pre.get(addr), after = post.get(addr);
    const slots = new Set<bigint>([...(before?.storage.keys() ?? []), ...(after?.storage.keys() ?? [])]);
    const storage: AccountChange['storage'] = [];
    for (const s of [...slots].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const b0 = before?.storage.get(s) ?? 0n, a0 = after?.storage.get(s) ?? 0n;
      if (b0 !== a0) storage.push({ slot: s, before: b0, after: a0 });
    }
    const same = before && after && before.nonce === after.nonce && before.balance === after.balance && bytesEqual(before.code, after.code);
    if (same && storage.length === 0) continue;
    if (!before && !after) continue;
    out.push({ address: addr, before, after, storage });
  }
  return out;
}

/** Creates an executor. `workers` > 1 will run Block-STM; today every block runs sequentially. */
export function createExecutor(options: ExecutorOptions = {}): Executor { return new Executor(options); }

export { forkName };
