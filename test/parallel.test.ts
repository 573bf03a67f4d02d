// Parallel execution must give, byte for byte, what sequential execution gives: every synthetic block of
// bench/gen/blocks.ts (independent, conflicting at shares 0 / 0.1 / 0.5 / 1, fully dependent, and the special
// cases) is run once sequentially and then with 2, 3 and 4 workers (alwaysParallel, so even the 10-transaction
// blocks run in parallel; the small special cases ten times per worker count), comparing resultFingerprint (receipts, gas, bloom, diff) and the state root. A run
// that fell back to sequential fails the test. The sequential result is also checked for validity (gas sums,
// cumulative gas, every transaction succeeded: the chains are built so that a transaction run on stale reads
// would fail or revert).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createExecutor, type BlockResult, type Executor } from '../src/executor.js';
import { resultFingerprint } from '../src/runners/mainnet.js';
import { bytesToHex } from '../src/hex.js';
import {
  rawTransfers, erc20Transfers, dependentChain, mixedConflicts, specialCases, toHex, type GeneratedBlock,
} from '../bench/gen/blocks.js';

const WORKERS = [2, 3, 4];
const SHARES = [0, 0.1, 0.5, 1];

let seq: Executor;
const par = new Map<number, Executor>();

test.before(() => {
  seq = createExecutor({ workers: 1 });
  for (const k of WORKERS) par.set(k, createExecutor({ workers: k, alwaysParallel: true }));
});

test.after(async () => {
  await seq.close();
  for (const e of par.values()) await e.close();
});

/** What any correct result of these blocks satisfies. */
function checkValid(g: GeneratedBlock, r: BlockResult, label: string): void {
  const n = g.block.transactions.length;
  assert.is(r.receipts.length, n, `${label}: one receipt per transaction`);
  let sum = 0n;
  r.receipts.forEach((x, i) => {
    sum += x.gasUsed;
    assert.is(x.cumulativeGasUsed, sum, `${label}: cumulative gas of receipt ${i}`);
    assert.ok(x.gasUsed >= 21_000n && x.gasUsed <= g.block.transactions[i].tx.gasLimit, `${label}: gas of transaction ${i}`);
    assert.is(x.status, 1, `${label}: transaction ${i} (${x.gasUsed} gas) should succeed`);
  });
  assert.is(r.gasUsed, sum, `${label}: block gas = sum of the receipts`);
  assert.ok(r.stateRoot && r.stateRoot.length === 32, `${label}: state root`);
  assert.is(r.stats.txs, n);
  assert.ok(r.diff.length > 0, `${label}: the block changes state`);
  const addrs = r.diff.map((d) => d.address);
  assert.equal(addrs, [...addrs].sort(), `${label}: diff sorted by address`);
}

async function equivalence(g: GeneratedBlock, extra?: (r: BlockResult) => void, repeat = 1): Promise<void> {
  const input = { block: g.block, state: g.state, fork: g.fork, fullState: true };
  const s = await seq.execute(input);
  assert.is(s.mode, 'sequential');
  checkValid(g, s, `${g.name} sequential`);
  extra?.(s);
  const want = resultFingerprint(s);
  for (let round = 0; round < repeat; round++) for (const k of WORKERS) {
    const p = await par.get(k)!.execute(input);
    const label = `${g.name} with ${k} workers${repeat > 1 ? ` (round ${round})` : ''}`;
    assert.is(p.fallback, undefined, `${label}: fell back to sequential: ${p.fallback}`);
    assert.is(p.mode, 'parallel', `${label}: mode`);
    assert.is(p.stats.workers, k, `${label}: workers used`);
    assert.ok(p.stats.executions >= g.block.transactions.length, `${label}: every transaction executed`);
    checkValid(g, p, label);
    assert.is(bytesToHex(p.stateRoot!), bytesToHex(s.stateRoot!), `${label}: state root`);
    // a pool thread computes the receipts root from the records, unless the block was finished on this thread
    assert.is(p.stats.receiptsRootOnPool, p.stats.sequentialFrom === undefined ? true : undefined, `${label}: receipts root on the pool thread`);
    assert.is(bytesToHex(p.receiptsRoot!), bytesToHex(s.receiptsRoot!), `${label}: receipts root`);
    if (resultFingerprint(p) !== want) {
      const bad = p.receipts.findIndex((x, i) => x.gasUsed !== s.receipts[i].gasUsed || x.status !== s.receipts[i].status);
      assert.unreachable(`${label}: parallel != sequential (first differing receipt: ${bad}; ${g.description})`);
    }
  }
}

/** An account after the block (undefined when the block did not change it). */
const after = (r: BlockResult, a: Uint8Array) => r.diff.find((d) => d.address === toHex(a))?.after;

for (const c of SHARES) {
  test(`raw transfers, 500, conflict ${c}`, async () => {
    const g = rawTransfers(500, { conflict: c });
    await equivalence(g, (r) => {
      // every distinct recipient (1000+n+i) ends with exactly 1 wei
      for (const i of [0, 250, 499]) assert.is(after(r, g.block.transactions[i].tx.to!)?.balance, 1n, `recipient ${i}`);
    });
  });
}

for (const c of SHARES) {
  test(`ERC-20 transfers, 400, conflict ${c}`, async () => {
    await equivalence(erc20Transfers(400, { conflict: c }), (r) => {
      for (const x of r.receipts) assert.is(x.logs.length, 1, 'one Transfer event per transfer');
    });
  });
}

test('storage roots: a pool thread computes about half of them from entries in shared memory; the state root equals the sequential one', async () => {
  // (the token's 404 pre-state slots and the block's 800 writes: 1,204 entries, all the pool's share)
  const g = erc20Transfers(400);
  const input = { block: g.block, state: g.state, fork: g.fork, fullState: true };
  const s = await seq.execute(input);
  for (const k of WORKERS) {
    const p = await par.get(k)!.execute(input);
    assert.ok((p.stats.storageRootsOnPool ?? 0) >= 1, `${k} workers: storage roots on the pool thread (${p.stats.storageRootsOnPool})`);
    assert.is(bytesToHex(p.stateRoot!), bytesToHex(s.stateRoot!), `${k} workers: state root`);
  }
});

for (const how of ['throw', 'exit'] as const) {
  test(`storage roots: a pool thread that ${how === 'throw' ? 'fails' : 'dies'} leaves them to the calling thread; the next block uses the pool again`, async () => {
    const g = erc20Transfers(400);
    const input = { block: g.block, state: g.state, fork: g.fork, fullState: true };
    const want = bytesToHex((await seq.execute(input)).stateRoot!);
    const ex = createExecutor({ workers: 2, alwaysParallel: true, debugStorageRoots: how });
    try {
      const p = await ex.execute(input);
      assert.is(p.stats.storageRootsOnPool, undefined);
      assert.is(bytesToHex(p.stateRoot!), want);
      ex.options.debugStorageRoots = undefined;
      const q = await ex.execute(input);
      assert.is(q.stats.storageRootsOnPool, 1);
      assert.is(bytesToHex(q.stateRoot!), want);
    } finally { await ex.close(); }
  });
}

test('debugPoolIdle: the calling thread runs the whole parallel path alone (no re-execution of a fully dependent block) and gives the sequential result', async () => {
  const ex = createExecutor({ workers: 2, alwaysParallel: true, debugPoolIdle: true });
  try {
    for (const g of [rawTransfers(300, { conflict: 1 }), erc20Transfers(300, { conflict: 1 }), erc20Transfers(300)]) {
      const input = { block: g.block, state: g.state, fork: g.fork, fullState: true };
      const s = await seq.execute(input);
      const p = await ex.execute(input);
      assert.is(p.mode, 'parallel', g.name);
      assert.is(p.stats.workers, 2, g.name);
      // one thread takes the transactions in order, so every read is final when made: a pool thread taking
      // part would run ahead on the dependent blocks and be aborted or wait
      assert.is(p.stats.executions, g.block.transactions.length, `${g.name}: executions`);
      assert.is(p.stats.aborts + p.stats.dependencyWaits + (p.stats.senderWaits ?? 0), 0, `${g.name}: aborts and waits`);
      assert.is(resultFingerprint(p), resultFingerprint(s), `${g.name}: parallel path on one thread = sequential`);
    }
  } finally { await ex.close(); }
});

test('raw transfers, 500, each to its own sender (the pevm block)', async () => {
  await equivalence(rawTransfers(500, { self: true }));
});

test('ERC-20 transfers, 400, each to its own sender (the pevm block)', async () => {
  await equivalence(erc20Transfers(400, { self: true }));
});

test('one sender\'s nonce chain: a transaction waits for the previous one (sender hints) instead of being aborted; without hints the same result', async () => {
  const g = rawTransfers(300, { conflict: 1 }); // every transaction from one hot sender
  const input = { block: g.block, state: g.state, fork: g.fork, fullState: true };
  const want = resultFingerprint(await seq.execute(input));
  const noHints = createExecutor({ workers: 2, alwaysParallel: true, senderHints: false });
  try {
    for (let round = 0; round < 5; round++) {
      const p = await par.get(2)!.execute(input);
      assert.is(p.mode, 'parallel');
      assert.is(resultFingerprint(p), want, 'with hints = sequential');
      // (how many waited depends on timing: a thread that runs ahead alone waits for nothing)
      assert.is(p.stats.aborts, 0, 'no transaction read a stale nonce');
      assert.is(p.stats.executions, 300 + p.stats.dependencyWaits, 'a hint wait is not an execution');
      const q = await noHints.execute(input);
      assert.is(resultFingerprint(q), want, 'without hints = sequential');
      assert.is(q.stats.senderWaits, 0);
    }
  } finally { await noHints.close(); }
});

for (const kind of ['erc20', 'transfer', 'counter'] as const) {
  test(`dependent chain (${kind}), 200`, async () => {
    const g = dependentChain(200, { kind });
    await equivalence(g, (r) => {
      if (kind === 'counter') {
        const counter = g.block.transactions[0].tx.to!;
        const d = r.diff.find((x) => x.address === toHex(counter))!;
        assert.equal(d.storage.map((s) => [s.slot, s.after]), [[0n, 200n]], 'counter = 200');
      }
    });
  });
}

for (const c of SHARES) {
  test(`mixed conflicts, 400, share ${c}`, async () => {
    await equivalence(mixedConflicts(400, c));
  });
}

for (const g of specialCases()) {
  test(`special case: ${g.name}`, async () => {
    await equivalence(g, undefined, 10); // small blocks: cheap to repeat, and every run interleaves differently
  });
}

test('the small-block rule counts a plain transfer as 6,600 gas of work, not 21,000; contract calls at their gas', async () => {
  const ex = createExecutor({ workers: 2 });
  try {
    // 300 plain transfers: 6.3M gas (above 3M per worker) but ~1 ms of work: sequential, and it says why
    const raw = rawTransfers(300);
    const r = await ex.execute({ block: raw.block, state: raw.state, fork: raw.fork });
    assert.is(r.mode, 'sequential');
    assert.match(r.fallback ?? '', /6300000 gas for 2 workers \(1980000 counting each plain transfer as 6600\)/);
    // 300 ERC-20 transfers (calls with data): their gas counts in full, so they run in parallel
    const erc = erc20Transfers(300);
    const r2 = await ex.execute({ block: erc.block, state: erc.state, fork: erc.fork });
    assert.is(r2.mode, 'parallel', r2.fallback);
  } finally {
    await ex.close();
  }
});

test('an invalid block gives the same BlockError in both modes (the first failing check in order), and the executor stays usable', async () => {
  const g = rawTransfers(40);
  const valid = { block: g.block, state: g.state, fork: g.fork };
  const expectError = async (ex: Executor, input: typeof valid, code: string, txIndex: number, label: string) => {
    try {
      await ex.execute(input);
      assert.unreachable(`${label}: should be rejected`);
    } catch (e) {
      const err = e as { code?: string; txIndex?: number };
      assert.is(err.code, code, `${label}: code`);
      assert.is(err.txIndex, txIndex, `${label}: transaction`);
    }
  };
  // the block's gas limit leaves 10,000 gas for transaction 10 (each transfer's limit is 21,000)
  const gas = 10n * g.block.transactions[0].tx.gasLimit + 10_000n;
  const tight = { ...valid, block: { ...g.block, header: { ...g.block.header, gasLimit: gas, gasUsed: undefined } } };
  // transaction 25 skips a nonce (its sender's first transaction must have nonce 0 here)
  const txs = g.block.transactions.map((t, i) => (i === 25 ? { ...t, tx: { ...t.tx, nonce: t.tx.nonce + 1n } } : t));
  const gap = { ...valid, block: { ...g.block, transactions: txs } };
  // exactly the 40 limits fit; one gas less and the last transaction does not (the receipts' check of the
  // limits noted as numbers must agree with the BigInt one at the boundary)
  const limits = g.block.transactions.reduce((a, t) => a + t.tx.gasLimit, 0n);
  const withLimit = (gasLimit: bigint) => ({ ...valid, block: { ...g.block, header: { ...g.block.header, gasLimit, gasUsed: undefined } } });
  for (const [label, ex] of [['sequential', seq], ['2 workers', par.get(2)!]] as const) {
    await expectError(ex, tight, 'GAS_ALLOWANCE_EXCEEDED', 10, `${label}, gas limit`);
    assert.is((await ex.execute(withLimit(limits))).receipts.length, 40, `${label}: the limits fill the block exactly`);
    await expectError(ex, withLimit(limits - 1n), 'GAS_ALLOWANCE_EXCEEDED', 39, `${label}, one gas short`);
    await expectError(ex, gap, 'NONCE_TOO_HIGH', 25, `${label}, nonce`);
    const r = await ex.execute(valid);
    assert.is(r.receipts.length, 40, `${label}: the next block runs`);
  }
});

test('generators are deterministic', () => {
  const a = mixedConflicts(60, 0.5), b = mixedConflicts(60, 0.5);
  const key = (g: GeneratedBlock) => JSON.stringify(
    [g.block.transactions.map((t) => [toHex(t.from!), t.tx.nonce, t.tx.to && toHex(t.tx.to), t.tx.value, toHex(t.tx.data)]), [...g.state.keys()]],
    (_, v) => (typeof v === 'bigint' ? v.toString() : v),
  );
  assert.is(key(a), key(b));
  assert.is.not(key(a), key(mixedConflicts(60, 0.4)));
});

test.run();
