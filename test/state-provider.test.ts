// Blocks run on a StateProvider (issue #4): the pre-state is fetched as the block needs it (prefetch, then a
// strict-mode sequential pass that fetches each key a transaction reads and runs it again), and the result
// equals the one on the preloaded pre-state, sequentially and in parallel. Providers that fail name what
// they could not give.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createExecutor, BlockError, type Executor, type ExecuteInput, type BlockResult } from '../src/executor.js';
import { resultFingerprint } from '../src/runners/mainnet.js';
import { worldStateProvider } from '../src/provider.js';
import { jsonRpcProvider } from '../src/rpc-provider.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bytesToHex } from '../src/hex.js';
import { comparableOverProvider } from './helpers/differential.js';
import { keccak256 } from '../src/keccak.js';
import { EMPTY_CODE_HASH, storageRoot } from '../src/trie.js';
import type { WorldState } from '../src/state.js';
import { parseBlock, parseBlockHashes } from '../src/block.js';
import { parseState } from '../src/state.js';
import { forkFromName } from '../src/forks.js';
import { sharedDir } from '../src/runners/state-tests.js';
import {
  erc20Transfers, dependentChain, specialCases, Rng, Addresses, create2Address, CHILD_INIT, FACTORY_CODE, account, toHex, ZERO_ADDRESS,
  ETHER, concat, be, makeBlock, legacy, type GeneratedBlock,
} from '../bench/gen/blocks.js';

let seq: Executor, par: Executor;
test.before(() => {
  seq = createExecutor({ workers: 1 });
  par = createExecutor({ workers: 2, alwaysParallel: true });
});
test.after(async () => { await seq.close(); await par.close(); });

/**
 * Everything must match, except that a wiped account's diff can list only the slots the block read: the
 * full pre-state knows slots of a self-destructed account that the fetched one never saw.
 */
function compare(name: string, got: BlockResult, want: BlockResult): void {
  assert.is(resultFingerprint(comparableOverProvider(got, want)), resultFingerprint(comparableOverProvider(want, want)), name);
  for (const d of got.diff) {
    const w = want.diff.find((x) => x.address === d.address)!;
    for (const s of d.storage) assert.ok(w.storage.some((x) => x.slot === s.slot && x.after === s.after && x.before === s.before), `${name}: slot ${s.slot} of ${d.address}`);
  }
}

async function same(name: string, input: ExecuteInput & { state: NonNullable<ExecuteInput['state']> }) {
  const want = await seq.execute(input);
  for (const ex of [seq, par]) {
    const provider = worldStateProvider(input.state, { blockHashes: input.blockHashes, delayMs: 0 });
    const r = await ex.execute({ ...input, state: undefined, provider, blockHashes: input.blockHashes });
    compare(`${name}: result on the provider (${ex.workers} worker(s))`, r, want);
    const s = r.stats.provider!;
    assert.ok(s.accounts > 0, `${name}: accounts fetched`);
    assert.is(provider.calls.account, s.accounts, `${name}: one call per account`);
    assert.is(provider.calls.storage, s.slots, `${name}: one call per slot`);
  }
}

test('generated blocks: ERC-20 transfers, a dependent chain, CREATE2/SELFDESTRUCT cases', async () => {
  const blocks: GeneratedBlock[] = [erc20Transfers(100), dependentChain(60), ...specialCases()];
  for (const g of blocks) await same(g.name, { block: g.block, state: g.state, fork: g.fork });
});

test('EIP-7610 on a provider: a CREATE2 over an account with storage that the block never reads collides, as on the full pre-state', async () => {
  // (found by the differential fuzzer, version 1, seed 8: the fetched state listed no slot of the account, and the real run
  // took it to have no storage)
  const rng = new Rng('provider/eip-7610');
  const addrs = new Addresses(rng);
  const factory = addrs.next(), sender = addrs.next();
  const salt = 7n;
  const target = create2Address(factory, salt, CHILD_INIT);
  const state: WorldState = new Map([
    [toHex(ZERO_ADDRESS), account(0n)], [toHex(sender), account(ETHER)], [toHex(factory), account(0n, 1n, FACTORY_CODE)],
    [toHex(target), account(5n, 0n, new Uint8Array(0), new Map([[3n, 9n]]))], // storage only: no code, nonce 0
  ]);
  const data = concat(be(0n), be(salt), be(0n), CHILD_INIT);
  const g = makeBlock('eip-7610', 'CREATE2 over an account with storage', state, [legacy({ from: sender, nonce: 0n, to: factory, data, gasLimit: 300_000n, gasPrice: 1n })]);
  const want = await seq.execute({ block: g.block, state, fork: g.fork });
  // the collision: CREATE2 pushes 0, so the factory stores 0 at slot `salt` (an unchanged slot: no diff entry)
  assert.not.ok(want.diff.find((d) => d.address === toHex(factory))?.storage.some((x) => x.slot === salt), 'the CREATE2 collided');
  assert.ok(want.receipts[0].gasUsed > 200_000n, `the colliding CREATE2 burns the gas it was given (${want.receipts[0].gasUsed})`);
  await same('eip-7610', { block: g.block, state, fork: g.fork });
});

test('mainnet fixture blocks (when $PAREVM_SHARED has them)', async () => {
  const dir = join(sharedDir(), 'fixtures', 'mainnet');
  if (!existsSync(dir)) { console.log(`  (no fixtures at ${dir}: set PAREVM_SHARED)`); return; }
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  const hashes = parseBlockHashes(JSON.parse(readFileSync(join(dir, 'block_hashes.json'), 'utf8')));
  // one block per era: Frontier, Byzantium, Berlin/London, Shanghai, Cancun
  for (const n of ['46147', '4370000', '12244000', '17666333', '19932148']) {
    const entry = index.blocks.find((b: { number: number }) => String(b.number) === n);
    const block = parseBlock(JSON.parse(readFileSync(join(dir, n, 'block.json'), 'utf8')));
    const state = parseState(JSON.parse(readFileSync(join(dir, n, 'prestate.json'), 'utf8')));
    const t0 = performance.now();
    await same(`block ${n}`, { block, state, fork: forkFromName(entry.fork), blockHashes: hashes });
    if (process.env.PAREVM_DEBUG) console.log(n, (performance.now() - t0).toFixed(0), 'ms');
  }
});

test('a provider that fails names the account; the executor stays usable', async () => {
  const g = erc20Transfers(40);
  const base = worldStateProvider(g.state);
  const victim = [...g.state.keys()][7];
  const provider = { ...base, account: async (a: string) => { if (a === victim) throw new Error('connection reset'); return base.account(a); } };
  for (const ex of [seq, par]) {
    try {
      await ex.execute({ block: g.block, provider, fork: g.fork });
      assert.unreachable('a failing provider gave a result');
    } catch (e) {
      assert.instance(e, BlockError);
      assert.is((e as BlockError).code, 'STATE_MISSING');
      assert.ok((e as Error).message.includes(victim), (e as Error).message);
    }
    const ok = await ex.execute({ block: g.block, provider: base, fork: g.fork });
    assert.ok(ok.receipts.every((r) => r.status === 1));
  }
});

test('state and provider together, or neither, is BAD_INPUT', async () => {
  const g = erc20Transfers(2);
  for (const input of [{ block: g.block, fork: g.fork }, { block: g.block, fork: g.fork, state: g.state, provider: worldStateProvider(g.state) }]) {
    try { await seq.execute(input); assert.unreachable(); } catch (e) { assert.is((e as BlockError).code, 'BAD_INPUT'); }
  }
});

/** A JSON-RPC endpoint serving a pre-state (eth_getProof, eth_getCode, eth_getStorageAt, eth_getBlockByNumber). */
async function rpcServer(state: WorldState, hashes: Map<bigint, Uint8Array>): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const q = (n: bigint) => '0x' + n.toString(16);
  const handle = (c: { id: number; method: string; params: unknown[] }) => {
    const p = c.params as string[];
    const a = p[0] ? state.get(String(p[0]).toLowerCase()) : undefined;
    switch (c.method) {
      case 'eth_getProof':
        return a
          ? { nonce: q(a.nonce), balance: q(a.balance), codeHash: bytesToHex(a.code.length ? keccak256(a.code) : EMPTY_CODE_HASH), storageHash: bytesToHex(storageRoot(a.storage)), accountProof: [], storageProof: [] }
          : { nonce: '0x0', balance: '0x0', codeHash: '0x' + '00'.repeat(32), storageHash: '0x' + '00'.repeat(32), accountProof: [], storageProof: [] };
      case 'eth_getCode': return bytesToHex(a?.code ?? new Uint8Array(0));
      case 'eth_getStorageAt': return q(a?.storage.get(BigInt(p[1])) ?? 0n);
      case 'eth_getBlockByNumber': { const h = hashes.get(BigInt(p[0])); return h ? { hash: bytesToHex(h) } : null; }
      default: throw new Error(`unknown method ${c.method}`);
    }
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      requests++;
      const calls = JSON.parse(body);
      const out = (Array.isArray(calls) ? calls : [calls]).map((c) => {
        try { return { jsonrpc: '2.0', id: c.id, result: handle(c) }; } catch (e) { return { jsonrpc: '2.0', id: c.id, error: { code: -32601, message: (e as Error).message } }; }
      });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(Array.isArray(calls) ? out : out[0]));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, close: () => new Promise((r) => server.close(() => r())) };
}

test('a JSON-RPC provider (batched requests to a local endpoint) gives the same results', async () => {
  const g = erc20Transfers(100);
  const special = specialCases()[0];
  for (const b of [g, special]) {
    const hashes = new Map([[b.block.header.number - 1n, new Uint8Array(32).fill(7)]]);
    const server = await rpcServer(b.state, hashes);
    try {
      const want = await seq.execute({ block: b.block, state: b.state, fork: b.fork, blockHashes: hashes });
      const provider = jsonRpcProvider(server.url, { block: b.block.header.number - 1n });
      const r = await par.execute({ block: b.block, provider, fork: b.fork });
      compare(`${b.name} over JSON-RPC`, r, want);
      // batching: far fewer HTTP requests than calls
      const s = r.stats.provider!;
      assert.ok(server.requests() < (s.accounts + s.slots + s.codes + s.blockHashes) / 2, `${server.requests()} requests`);
    } finally { await server.close(); }
  }
});

test('a JSON-RPC endpoint that fails gives STATE_MISSING', async () => {
  const g = erc20Transfers(10);
  const provider = jsonRpcProvider('http://127.0.0.1:9', { block: 1n }); // nothing listens on port 9
  try { await seq.execute({ block: g.block, provider, fork: g.fork }); assert.unreachable(); } catch (e) {
    assert.instance(e, BlockError);
    assert.is((e as BlockError).code, 'STATE_MISSING');
  }
});

test.run();
