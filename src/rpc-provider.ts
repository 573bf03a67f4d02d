// A StateProvider over Ethereum JSON-RPC (any execution client or RPC service): the pre-state of block N is
// the state at block N-1, read with eth_getProof (nonce, balance, code hash and storage root in one call),
// eth_getCode, eth_getStorageAt and eth_getBlockByNumber. Calls made in the same tick go out as one JSON-RPC
// batch (the executor asks for a block's prefetch keys all at once), at most `batchSize` per request and
// `concurrency` requests in flight.
import { bytesToHex, hexToBigInt, hexToBytes } from './hex.js';
import { EMPTY_CODE_HASH } from './trie.js';
import type { ProvidedAccount, StateProvider } from './provider.js';

/** Options of {@link jsonRpcProvider}. */
export interface JsonRpcProviderOptions {
  /** The block whose post-state is read (the parent of the block to execute): a number or a tag. */
  block: bigint | 'latest' | 'pending' | 'safe' | 'finalized';
  /** Calls per batch request (default 100). */
  batchSize?: number;
  /** Batch requests in flight (default 4). */
  concurrency?: number;
  /** A fetch implementation (default: the global fetch). */
  fetch?: typeof fetch;
  /** Extra HTTP headers (an API key, say). */
  headers?: Record<string, string>;
}

interface Pending { method: string; params: unknown[]; resolve: (v: unknown) => void; reject: (e: Error) => void }

const ZERO32 = new Uint8Array(32);

/**
 * A StateProvider reading the state at `opts.block` from the JSON-RPC endpoint `url`. An account with nonce
 * 0, balance 0 and no code is reported as absent (empty accounts do not exist after EIP-161).
 */
export function jsonRpcProvider(url: string, opts: JsonRpcProviderOptions): StateProvider {
  const tag = typeof opts.block === 'bigint' ? '0x' + opts.block.toString(16) : opts.block;
  const doFetch = opts.fetch ?? fetch;
  const batchSize = opts.batchSize ?? 100;
  const concurrency = opts.concurrency ?? 4;
  let queue: Pending[] = [];
  let scheduled = false;
  let inFlight = 0;
  const waiting: Pending[][] = [];
  let nextId = 1;
  const codeOwner = new Map<string, string>(); // code hash -> an address that has it

  const send = async (batch: Pending[]): Promise<void> => {
    inFlight++;
    try {
      const ids = batch.map(() => nextId++);
      const body = JSON.stringify(batch.map((p, i) => ({ jsonrpc: '2.0', id: ids[i], method: p.method, params: p.params })));
      const res = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...opts.headers }, body });
      if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText} from ${url}`);
      const json = (await res.json()) as unknown;
      const replies = Array.isArray(json) ? json : [json];
      const byId = new Map<number, { result?: unknown; error?: { message?: string; code?: number } }>();
      for (const r of replies as { id: number; result?: unknown; error?: { message?: string } }[]) byId.set(r.id, r);
      batch.forEach((p, i) => {
        const r = byId.get(ids[i]);
        if (!r) p.reject(new Error(`${p.method}: no reply from ${url}`));
        else if (r.error) p.reject(new Error(`${p.method}: ${r.error.message ?? JSON.stringify(r.error)}`));
        else p.resolve(r.result);
      });
    } catch (e) {
      for (const p of batch) p.reject(e as Error);
    } finally {
      inFlight--;
      const next = waiting.shift();
      if (next) void send(next);
    }
  };

  const flush = () => {
    scheduled = false;
    const all = queue;
    queue = [];
    for (let i = 0; i < all.length; i += batchSize) {
      const batch = all.slice(i, i + batchSize);
      if (inFlight < concurrency) void send(batch); else waiting.push(batch);
    }
  };

  const call = (method: string, params: unknown[]): Promise<unknown> => new Promise((resolve, reject) => {
    queue.push({ method, params, resolve, reject });
    if (!scheduled) { scheduled = true; setImmediate(flush); }
  });

  const quantity = (v: unknown, what: string): bigint => {
    if (typeof v !== 'string') throw new Error(`${what}: expected a hex quantity, got ${JSON.stringify(v)}`);
    return hexToBigInt(v, what);
  };
  const data32 = (v: unknown, what: string): Uint8Array => {
    if (typeof v !== 'string') throw new Error(`${what}: expected 32 bytes of hex, got ${JSON.stringify(v)}`);
    const b = hexToBytes(v, what);
    if (b.length !== 32) throw new Error(`${what}: expected 32 bytes, got ${b.length}`);
    return b;
  };

  return {
    async account(address: string): Promise<ProvidedAccount | undefined> {
      const r = (await call('eth_getProof', [address, [], tag])) as Record<string, unknown> | null;
      if (!r || typeof r !== 'object') throw new Error(`eth_getProof ${address}: empty reply`);
      const nonce = quantity(r.nonce, 'nonce'), balance = quantity(r.balance, 'balance');
      let codeHash = data32(r.codeHash, 'codeHash');
      // clients report a missing account's code hash as zero or as keccak('')
      if (codeHash.every((b) => b === 0)) codeHash = EMPTY_CODE_HASH;
      const noCode = codeHash.every((b, i) => b === EMPTY_CODE_HASH[i]);
      if (nonce === 0n && balance === 0n && noCode) return undefined;
      if (!noCode) codeOwner.set(bytesToHex(codeHash), address);
      const storageRoot = r.storageHash === undefined ? undefined : data32(r.storageHash, 'storageHash');
      return { nonce, balance, codeHash, storageRoot: storageRoot && storageRoot.every((b, i) => b === ZERO32[i]) ? undefined : storageRoot };
    },
    async code(codeHash: Uint8Array): Promise<Uint8Array> {
      const owner = codeOwner.get(bytesToHex(codeHash));
      if (!owner) throw new Error(`no account seen with code hash ${bytesToHex(codeHash)} (JSON-RPC serves code by address)`);
      const r = await call('eth_getCode', [owner, tag]);
      if (typeof r !== 'string') throw new Error(`eth_getCode ${owner}: expected hex`);
      return hexToBytes(r, 'code');
    },
    async storage(address: string, slot: bigint): Promise<bigint> {
      const key = '0x' + slot.toString(16).padStart(64, '0');
      return quantity(await call('eth_getStorageAt', [address, key, tag]), `storage ${key}`);
    },
    async blockHash(n: bigint): Promise<Uint8Array | undefined> {
      const r = (await call('eth_getBlockByNumber', ['0x' + n.toString(16), false])) as { hash?: unknown } | null;
      return r && typeof r.hash === 'string' ? data32(r.hash, 'hash') : undefined;
    },
  };
}
