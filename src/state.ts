// The world state as the TypeScript side holds it: lowercase 0x address -> account. Used for pre-state
// input (ethereum/tests `pre`, geth prestateTracer JSON) and for the post-state root.
import { keccak256 as keccak_256 } from './keccak.js';
import { InputError } from './errors.js';
import { hexToBigInt, hexToBytes, writeAddressHex } from './hex.js';
import { stateRoot, accountKeys, accountsRoot, EMPTY_CODE_HASH, type TrieAccount } from './trie.js';
import type { OverlayDiff } from './engine/engine.js';

/** One account. `codeHash` is derived from `code` when absent. */
export interface AccountState {
  nonce: bigint;
  balance: bigint;
  /** The code; treated as immutable once given (its hash is cached by the array, see codeHashOf and Engine). */
  code: Uint8Array;
  storage: Map<bigint, bigint>;
  codeHash?: Uint8Array;
}

/** Address (lowercase 0x hex, 20 bytes) -> account. */
export type WorldState = Map<string, AccountState>;

const MAX_U256 = (1n << 256n) - 1n;

function quantity(v: unknown, where: { file?: string; caseName?: string; field: string }, maxBits: number): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v !== 'string') throw new InputError(`${where.field}: expected a hex string, got ${typeof v}`, where);
  let n: bigint;
  try { n = hexToBigInt(v, where.field); } catch (e) { throw new InputError(`${where.field}: ${(e as Error).message}`, where); }
  if (n >> BigInt(maxBits) !== 0n) throw new InputError(`${where.field}: value does not fit ${maxBits} bits`, where);
  return n;
}

/**
 * Parses a pre-state object (`{"0x<addr>": {balance, nonce, code?, storage?}}`, the ethereum/tests and geth
 * prestateTracer shape). Errors name the file, case and field.
 */
export function parseState(json: unknown, where: { file?: string; caseName?: string } = {}): WorldState {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new InputError('pre-state: expected an object of accounts', { ...where, field: 'pre' });
  const state: WorldState = new Map();
  for (const [addrRaw, accRaw] of Object.entries(json as Record<string, unknown>)) {
    const field = `pre.${addrRaw}`;
    let addrBytes: Uint8Array;
    try { addrBytes = hexToBytes(addrRaw, field, { length: 20 }); } catch (e) { throw new InputError(`${field}: bad address: ${(e as Error).message}`, { ...where, field }); }
    const addr = '0x' + Array.from(addrBytes, (b) => b.toString(16).padStart(2, '0')).join('');
    if (accRaw === null || typeof accRaw !== 'object') throw new InputError(`${field}: expected an account object`, { ...where, field });
    const acc = accRaw as Record<string, unknown>;
    const balance = quantity(acc.balance ?? '0x0', { ...where, field: `${field}.balance` }, 256);
    const nonce = quantity(acc.nonce ?? '0x0', { ...where, field: `${field}.nonce` }, 64);
    let code: Uint8Array = new Uint8Array(0);
    if (acc.code !== undefined && acc.code !== '' && acc.code !== '0x') {
      if (typeof acc.code !== 'string') throw new InputError(`${field}.code: expected hex`, { ...where, field: `${field}.code` });
      try { code = hexToBytes(acc.code, `${field}.code`); } catch (e) { throw new InputError(`${field}.code: ${(e as Error).message}`, { ...where, field: `${field}.code` }); }
    }
    const storage = new Map<bigint, bigint>();
    if (acc.storage !== undefined) {
      if (acc.storage === null || typeof acc.storage !== 'object') throw new InputError(`${field}.storage: expected an object`, { ...where, field: `${field}.storage` });
      for (const [k, v] of Object.entries(acc.storage as Record<string, unknown>)) {
        const slot = quantity(k, { ...where, field: `${field}.storage key ${k}` }, 256);
        const value = quantity(v, { ...where, field: `${field}.storage[${k}]` }, 256);
        if (value !== 0n) storage.set(slot, value);
      }
    }
    state.set(addr, { nonce, balance, code, storage });
  }
  return state;
}

const codeHashCache = new WeakMap<Uint8Array, Uint8Array>();
/** keccak256 of the account's code (cached per code buffer). */
export function codeHashOf(a: AccountState): Uint8Array {
  if (a.codeHash && a.codeHash.length === 32) return a.codeHash;
  if (a.code.length === 0) return EMPTY_CODE_HASH;
  let h = codeHashCache.get(a.code);
  if (!h) { h = keccak_256(a.code); codeHashCache.set(a.code, h); }
  return h;
}

/** The Merkle-Patricia root of a complete world state. */
export function worldStateRoot(state: WorldState): Uint8Array {
  const accounts: TrieAccount[] = [];
  for (const [addr, a] of state) {
    accounts.push({
      address: hexToBytes(addr, 'address'),
      nonce: a.nonce,
      balance: a.balance,
      codeHash: codeHashOf(a),
      storage: a.storage,
    });
  }
  return stateRoot(accounts);
}

/**
 * The accounts of `pre` with an overlay diff applied, as parallel arrays (no object per account), each with
 * its storage after the block as entries for its storage root: postStateRootOf(ps, the storage roots) is
 * what worldStateRoot(applyDiff(pre, diff)) gives, without building the post-state (for 10,000 changed
 * accounts of a 10,000-account state the copy cost ~12 ms). Unchanged accounts and storage are read where
 * they are, and an account's written slots follow its earlier ones (the last value of a slot wins; zero is
 * absent). The storage roots can be computed anywhere in between, a pool thread's share included.
 */
export interface PostStateAccounts {
  addrs: string[];
  nonces: bigint[];
  balances: bigint[];
  codeHashes: Uint8Array[];
  /** Entries in order (a later entry of a slot wins; zero is absent); an empty map for no storage. */
  storages: Iterable<readonly [bigint, bigint]>[];
}

/** See PostStateAccounts. */
export function postStateAccounts(pre: WorldState, diff: OverlayDiff): PostStateAccounts {
  const ps: PostStateAccounts = { addrs: [], nonces: [], balances: [], codeHashes: [], storages: [] };
  const add = (addr: string, nonce: bigint, balance: bigint, codeHash: Uint8Array, storage: Iterable<readonly [bigint, bigint]>) => {
    ps.addrs.push(addr); ps.nonces.push(nonce); ps.balances.push(balance); ps.codeHashes.push(codeHash); ps.storages.push(storage);
  };
  for (const [addr, a] of pre) if (!diff.accounts.has(addr)) add(addr, a.nonce, a.balance, codeHashOf(a), a.storage);
  for (const [addr, o] of diff.accounts) {
    const old = pre.get(addr);
    if (o.fieldsUnchanged) {
      if (old) add(addr, old.nonce, old.balance, codeHashOf(old), after(old.storage, o.storage));
    } else if (o.exists) {
      const codeHash = codeHashOf({ nonce: o.nonce, balance: o.balance, code: o.code, codeHash: o.codeHash, storage: o.storage });
      add(addr, o.nonce, o.balance, codeHash, after(o.epoch > 0 || !old ? undefined : old.storage, o.storage));
    }
  }
  return ps;
}

/**
 * The state root of `ps` given the storage root of each of its accounts (`roots[i]` of `ps.storages[i]`), and
 * postStateKeys(ps) when they were computed already.
 */
export function postStateRootOf(ps: PostStateAccounts, roots: Uint8Array[], keys?: Uint8Array): Uint8Array {
  return accountsRoot(ps.addrs.length, (i, m, at) => writeAddressHex(m, at, ps.addrs[i]!), ps.nonces, ps.balances, roots, ps.codeHashes, keys);
}

/** The trie keys of `ps`'s accounts (keccak256 of each address): the part of the root the storage roots do not feed. */
export function postStateKeys(ps: PostStateAccounts): Uint8Array {
  return accountKeys(ps.addrs.length, (i, m, at) => writeAddressHex(m, at, ps.addrs[i]!));
}

/** Storage after `writes` over `below`, as entries for the storage root (later entries win; zero is absent). */
function after(below: Map<bigint, bigint> | undefined, writes: Map<bigint, bigint>): Iterable<readonly [bigint, bigint]> {
  if (writes.size === 0) return below ?? writes;
  if (!below || below.size === 0) return writes;
  return [...below, ...writes];
}

export { MAX_U256 };
