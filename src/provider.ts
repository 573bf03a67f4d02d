// State that is not preloaded: the StateProvider interface (revm's four database calls, asynchronous) and the
// fetcher the executor uses to learn which state a block reads.
//
// How a block runs on a provider (src/executor.ts `discover`):
//   1. prefetch, all at once: senders, recipients, the coinbase, access-list accounts and slots, withdrawal
//      and uncle addresses, the EIP-4788 contract, and the 256 ancestor hashes BLOCKHASH may ask for;
//   2. speculative rounds: every transaction runs alone on the pre-state in the engine's strict mode, where a
//      read the loaded state cannot answer stops the transaction at once (no JS/WASM crossing per read of
//      loaded state) and names its key; all the keys of a round are fetched together (one JSON-RPC batch), and
//      the transactions that missed run again, until none misses (at most 8 rounds);
//   3. a sequential pass in strict mode for the reads that depend on earlier transactions' writes: a miss is
//      fetched and the transaction runs again from its start on the unchanged overlay;
//   4. the block then runs (in parallel or not) on exactly the state the pass fetched, as on a prestateTracer
//      pre-state. An account absent from it does not exist; a slot absent from it is zero.
// Concurrent fetches of one key share one request; every result is cached for the block.
import { ParevmError } from './errors.js';
import { bytesEqual, bytesToHex } from './hex.js';
import { EMPTY_CODE_HASH, EMPTY_TRIE_ROOT, storageRoot } from './trie.js';
import { keccak256 } from './keccak.js';
import type { AccountState, WorldState } from './state.js';

/** An account as a provider returns it (the state after the parent block). */
export interface ProvidedAccount {
  nonce: bigint;
  balance: bigint;
  /** keccak256 of the code (the empty-code hash for none). */
  codeHash: Uint8Array;
  /**
   * Root of the account's storage trie, when known. Only its emptiness matters (EIP-7610: a creation over an
   * account with storage fails); when absent, the account is taken to have storage exactly when any slot
   * fetched for it is non-zero.
   */
  storageRoot?: Uint8Array;
}

/**
 * Pre-state fetched on demand (JSON-RPC at the parent block, a database, a cache). Every call may be
 * asynchronous; the executor calls them concurrently and never twice for one key in a block. A call that
 * rejects fails the block with a BlockError STATE_MISSING naming the account or slot.
 */
export interface StateProvider {
  /** The account, or undefined when it does not exist. */
  account(address: string): Promise<ProvidedAccount | undefined>;
  /** The code whose keccak256 is `codeHash`. */
  code(codeHash: Uint8Array): Promise<Uint8Array>;
  /** A storage slot's value (0 when unset). */
  storage(address: string, slot: bigint): Promise<bigint>;
  /** The hash of block `n` (an ancestor within BLOCKHASH's 256-block window), or undefined when unknown. */
  blockHash(n: bigint): Promise<Uint8Array | undefined>;
}

/** A StateProvider failed or returned something impossible. */
export class StateProviderError extends ParevmError {}

/** What a block's fetching did (in BlockStats.provider). */
export interface FetchStats {
  accounts: number;
  slots: number;
  codes: number;
  blockHashes: number;
  /** Transactions (and system calls or credits) run again after a fetch in the discovery pass. */
  reruns: number;
  /** Time in provider calls and the discovery pass. */
  ms: number;
}

const lower = (a: string) => a.toLowerCase();

/** Fetches and caches one block's pre-state from a provider. */
export class StateFetcher {
  /** Fetched existing accounts with the slots fetched for them. */
  readonly accounts = new Map<string, AccountState>();
  /** Accounts known to have storage (EIP-7610), from storageRoot. */
  readonly hasStorage = new Set<string>();
  /** Accounts fetched and found absent. */
  readonly absent = new Set<string>();
  readonly stats: FetchStats = { accounts: 0, slots: 0, codes: 0, blockHashes: 0, reruns: 0, ms: 0 };
  private readonly pendingAccounts = new Map<string, Promise<void>>();
  private readonly pendingSlots = new Map<string, Promise<void>>();
  private readonly codes = new Map<string, Promise<Uint8Array>>();

  constructor(readonly provider: StateProvider) {}

  /** Whether an account is loaded (existing or absent). */
  known(address: string): boolean { const a = lower(address); return this.accounts.has(a) || this.absent.has(a); }

  /** Fetches an account (and its code) unless it is known or being fetched. */
  account(address: string): Promise<void> {
    const a = lower(address);
    if (this.known(a)) return Promise.resolve();
    let p = this.pendingAccounts.get(a);
    if (!p) {
      p = this.fetchAccount(a);
      this.pendingAccounts.set(a, p);
    }
    return p;
  }

  private async fetchAccount(a: string): Promise<void> {
    let acct: ProvidedAccount | undefined;
    try { acct = await this.provider.account(a); } catch (e) { throw missing(`account ${a}`, e); }
    this.stats.accounts++;
    if (!acct) { this.absent.add(a); return; }
    if (typeof acct.nonce !== 'bigint' || typeof acct.balance !== 'bigint' || !(acct.codeHash instanceof Uint8Array) || acct.codeHash.length !== 32) {
      throw new StateProviderError('STATE_MISSING', `the provider returned a malformed account for ${a} (nonce, balance: bigint; codeHash: 32 bytes)`, a);
    }
    let code: Uint8Array = new Uint8Array(0);
    if (!bytesEqual(acct.codeHash, EMPTY_CODE_HASH)) {
      const key = bytesToHex(acct.codeHash);
      let c = this.codes.get(key);
      if (!c) {
        c = this.provider.code(acct.codeHash).catch((e) => { throw missing(`code ${key} of ${a}`, e); });
        this.codes.set(key, c);
        this.stats.codes++;
      }
      code = await c;
      if (!bytesEqual(keccak256(code), acct.codeHash)) throw new StateProviderError('STATE_MISSING', `the provider's code for ${a} does not hash to its codeHash ${key}`, a);
    }
    if (acct.storageRoot && !bytesEqual(acct.storageRoot, EMPTY_TRIE_ROOT)) this.hasStorage.add(a);
    this.accounts.set(a, { nonce: acct.nonce, balance: acct.balance, code, codeHash: acct.codeHash, storage: new Map() });
  }

  /** Fetches a slot (after its account) unless it is known or being fetched. */
  slot(address: string, slot: bigint): Promise<void> {
    const a = lower(address);
    const key = `${a}:${slot.toString(16)}`;
    let p = this.pendingSlots.get(key);
    if (!p) {
      p = (async () => {
        await this.account(a);
        const acct = this.accounts.get(a);
        if (!acct || acct.storage.has(slot)) return; // an absent account has no storage
        let v: bigint;
        try { v = await this.provider.storage(a, slot); } catch (e) { throw missing(`slot 0x${slot.toString(16)} of ${a}`, e); }
        if (typeof v !== 'bigint' || v < 0n || v >> 256n !== 0n) throw new StateProviderError('STATE_MISSING', `the provider returned a malformed value for slot 0x${slot.toString(16)} of ${a}`, a);
        this.stats.slots++;
        acct.storage.set(slot, v);
        if (v !== 0n) this.hasStorage.add(a);
      })();
      this.pendingSlots.set(key, p);
    }
    return p;
  }

  /** The ancestors BLOCKHASH can see from block `number` (up to 256), fetched concurrently. */
  async blockHashes(number: bigint): Promise<Map<bigint, Uint8Array>> {
    const out = new Map<bigint, Uint8Array>();
    const want: bigint[] = [];
    for (let k = 1n; k <= 256n && k <= number; k++) want.push(number - k);
    await Promise.all(want.map(async (n) => {
      let h: Uint8Array | undefined;
      try { h = await this.provider.blockHash(n); } catch (e) { throw missing(`hash of block ${n}`, e); }
      if (h) { out.set(n, h); this.stats.blockHashes++; }
    }));
    return out;
  }

  /** The fetched pre-state as a WorldState (existing accounts with the slots fetched). */
  worldState(): WorldState { return new Map(this.accounts); }
}

function missing(what: string, e: unknown): StateProviderError {
  return new StateProviderError('STATE_MISSING', `the state provider could not give the ${what}: ${(e as Error)?.message ?? e}`, what, { cause: e });
}

/**
 * A StateProvider over an in-memory pre-state (tests; a model for real providers). `delayMs` makes every call
 * wait that long (a network stand-in); `calls` counts the calls.
 */
export function worldStateProvider(state: WorldState, opts: { blockHashes?: Map<bigint, Uint8Array>; delayMs?: number } = {}): StateProvider & { calls: { account: number; code: number; storage: number; blockHash: number } } {
  const calls = { account: 0, code: 0, storage: 0, blockHash: 0 };
  const codes = new Map<string, Uint8Array>();
  for (const a of state.values()) if (a.code.length) codes.set(bytesToHex(keccak256(a.code)), a.code);
  const wait = () => (opts.delayMs ? new Promise<void>((r) => setTimeout(r, opts.delayMs)) : Promise.resolve());
  return {
    calls,
    async account(address) {
      calls.account++;
      await wait();
      const a = state.get(lower(address));
      if (!a) return undefined;
      return { nonce: a.nonce, balance: a.balance, codeHash: a.code.length ? keccak256(a.code) : EMPTY_CODE_HASH, storageRoot: storageRoot(a.storage) };
    },
    async code(codeHash) {
      calls.code++;
      await wait();
      const c = codes.get(bytesToHex(codeHash));
      if (!c) throw new Error(`no code with hash ${bytesToHex(codeHash)}`);
      return c;
    },
    async storage(address, slot) {
      calls.storage++;
      await wait();
      return state.get(lower(address))?.storage.get(slot) ?? 0n;
    },
    async blockHash(n) {
      calls.blockHash++;
      await wait();
      return opts.blockHashes?.get(n);
    },
  };
}
