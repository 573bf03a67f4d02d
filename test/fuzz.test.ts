// Differential fuzzing: random blocks (bench/gen/fuzz.ts: contracts of random code over a small key space,
// re-entrant calls, CREATE/CREATE2/SELFDESTRUCT, value transfers, a contract or a sender as the coinbase, nonce
// chains, invalid blocks) run sequentially and on 2, 3 and 4 workers, with and without scheduler chaos; every
// parallel outcome must equal the sequential one byte for byte (or be the same BlockError); and over a
// StateProvider both modes must give what they give on the full pre-state. The seeds here are fixed;
// scripts/fuzz.mjs runs many more. What the fuzzer found: the coinbase's lazy fee kept by a transaction that
// self-destructs the coinbase (seed 84; now the special case coinbase-selfdestruct), and EIP-7610 missed over a
// provider (seed 8; test/state-provider.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createExecutor, type Executor } from '../src/executor.js';
import { fuzzBlock } from '../bench/gen/fuzz.js';
import { differential, firstDifference, outcomeOf } from './helpers/differential.js';
import { bytesToHex } from '../src/hex.js';

const SEEDS = 400;
const PROVIDER_SEEDS = 100;

let seq: Executor;
let pars: { label: string; executor: Executor }[];

test.before(() => {
  seq = createExecutor({ workers: 1 });
  pars = [
    { label: '2 workers', executor: createExecutor({ workers: 2, alwaysParallel: true }) },
    { label: '3 workers, chaos, no bail-out', executor: createExecutor({ workers: 3, alwaysParallel: true, chaos: true, bail: false }) },
    { label: '4 workers, no bail-out, no slow-first learning', executor: createExecutor({ workers: 4, alwaysParallel: true, bail: false, slowFirst: false }) },
  ];
});

test.after(async () => {
  await seq.close();
  for (const p of pars) await p.executor.close();
});

test(`random blocks, seeds 1-${SEEDS}: parallel = sequential on 2-4 workers`, async () => {
  let invalid = 0, parallelRuns = 0, runs = 0, reexecutions = 0, startFirst = 0;
  const problems: string[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const v = await differential(seed, seq, pars);
    if (v.invalid) invalid++; else runs += pars.length;
    if (v.block.startFirst) startFirst++;
    parallelRuns += v.parallelRuns;
    reexecutions += v.reexecutions;
    for (const p of v.problems) problems.push(`seed ${seed} (${v.block.description}): ${p}`);
  }
  assert.equal(problems, [], problems.join('\n'));
  // the runs must exercise what they claim to: parallel runs (alwaysParallel, so no fallback), conflicts, and
  // invalid blocks as well as valid ones
  assert.is(parallelRuns, runs, 'every valid block ran in parallel');
  assert.ok(reexecutions > SEEDS, `conflicts: ${reexecutions} re-executions over ${runs} parallel runs`);
  assert.ok(invalid > 0 && invalid < SEEDS / 4, `${invalid} invalid blocks`);
  assert.ok(startFirst > 0, 'some blocks carry a start-first list');
});

test(`random blocks, seeds 1-${PROVIDER_SEEDS}, over a StateProvider: the same results as on the full pre-state, in both modes`, async () => {
  const problems: string[] = [];
  for (let seed = 1; seed <= PROVIDER_SEEDS; seed++) {
    const v = await differential(seed, seq, pars.slice(0, 1), { provider: true });
    for (const p of v.problems) problems.push(`seed ${seed} (${v.block.description}): ${p}`);
  }
  assert.equal(problems, [], problems.join('\n'));
});

test('the random blocks do what they are for: calls succeed and fail, logs, storage, created and deleted accounts', async () => {
  let ok = 0, failed = 0, logs = 0, slots = 0, created = 0, deleted = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const b = fuzzBlock(seed);
    const o = await outcomeOf(seq, b);
    if (o.kind === 'error') continue;
    for (const r of o.result.receipts) { if (r.status === 1) ok++; else failed++; logs += r.logs.length; }
    for (const d of o.result.diff) {
      slots += d.storage.length;
      if (!d.after) deleted++;
      else if (d.after.code.length > 0 && !b.state.has(d.address)) created++;
    }
  }
  assert.ok(ok > 10 * failed / 2 && failed > 0, `${ok} transactions succeeded, ${failed} failed`);
  assert.ok(logs > 100, `${logs} logs`);
  assert.ok(slots > 100, `${slots} slots changed`);
  assert.ok(created > 50, `${created} contracts created`);
  assert.ok(deleted > 0, `${deleted} accounts deleted`);
});

test('fuzzBlock is deterministic, and firstDifference names what differs', async () => {
  const a = fuzzBlock(42), b = fuzzBlock(42), c = fuzzBlock(43);
  const txs = (x: typeof a) => x.block.transactions.map((t) => `${bytesToHex(t.from!)}/${t.tx.nonce}/${t.tx.to ? bytesToHex(t.tx.to) : '-'}/${t.tx.gasLimit}/${bytesToHex(t.tx.data)}`).join('|');
  assert.is(txs(a), txs(b));
  assert.equal([...a.state.keys()], [...b.state.keys()]);
  assert.equal(a.startFirst, b.startFirst);
  assert.is.not(txs(a), txs(c));
  const x = await outcomeOf(seq, a), y = await outcomeOf(seq, c);
  if (x.kind !== 'result' || y.kind !== 'result') throw new Error('seeds 42 and 43 give valid blocks');
  assert.match(firstDifference(x.result, y.result), /^(receipt|account|\d+ \/ \d+ receipts)/);
});

test.run();
