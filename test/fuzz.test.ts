// Differential fuzzing: random blocks (bench/gen/fuzz.ts: contracts of random code over a small key space,
// re-entrant calls, CREATE/CREATE2/SELFDESTRUCT, value transfers, a contract or a sender as the coinbase, nonce
// chains, invalid blocks) run sequentially and on 2, 3 and 4 workers, with and without scheduler chaos; every
// parallel outcome must equal the sequential one byte for byte (or be the same BlockError); and over a
// StateProvider both modes must give what they give on the full pre-state; and the sequential executor must
// agree with @ethereumjs/vm, a second implementation of the rules. The seeds here are fixed;
// scripts/fuzz.mjs runs many more. What the fuzzer found (its first version, seeds 84 and 8): the coinbase's lazy
// fee kept by a transaction that self-destructs the coinbase (now the special case coinbase-selfdestruct), and
// EIP-7610 collisions missed over a provider (test/state-provider.test.ts); with version 4 (forks from Istanbul,
// withdrawals, uncles, the beacon root): a withdrawal of 0 gwei left an existing empty account in place, in both
// modes, where execution-specs delete it (test/eip-4895.test.ts). Version 5 adds Petersburg, Constantinople and
// Byzantium (each block's code checked for opcodes its fork lacks) and BLOCKHASH with hashes given or not; version 6
// adds Spurious Dragon, Tangerine Whistle, Homestead and Frontier.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createExecutor, type Executor } from '../src/executor.js';
import { fuzzBlock, FUZZ_VERSION } from '../bench/gen/fuzz.js';
import { differential, firstDifference, outcomeOf } from './helpers/differential.js';
import { bytesToHex } from '../src/hex.js';
import { Fork } from '../src/forks.js';
import { BEACON_ROOTS_ADDRESS } from '../bench/gen/blocks.js';

/** Seeds where @ethereumjs/vm, not parevm, departs from execution-specs, with the reasons (of FUZZ_VERSION). */
const KNOWN_FILE: { version: number; seeds: Record<string, string> } = JSON.parse(readFileSync(new URL('../../test/known-failures/fuzz-ethereumjs.json', import.meta.url), 'utf8'));
const KNOWN_EJS = KNOWN_FILE.seeds;
const SEEDS = 400;
const PROVIDER_SEEDS = 100;
const EJS_SEEDS = 40;

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
  let invalid = 0, parallelRuns = 0, runs = 0, reexecutions = 0, startFirst = 0, bailedOut = 0;
  const problems: string[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const v = await differential(seed, seq, pars);
    if (v.invalid) invalid++; else runs += pars.length;
    if (v.block.startFirst) startFirst++;
    parallelRuns += v.parallelRuns;
    reexecutions += v.reexecutions;
    bailedOut += v.bailedOut;
    for (const p of v.problems) problems.push(`seed ${seed} (${v.block.description}): ${p}`);
  }
  assert.equal(problems, [], problems.join('\n'));
  // the runs must exercise what they claim to: parallel runs (alwaysParallel, so no fallback), conflicts, and
  // invalid blocks as well as valid ones
  assert.is(parallelRuns, runs, 'every valid block ran in parallel');
  assert.ok(reexecutions > SEEDS, `conflicts: ${reexecutions} re-executions over ${runs} parallel runs`);
  assert.ok(invalid > 0 && invalid < SEEDS / 4, `${invalid} invalid blocks`);
  assert.ok(startFirst > 0, 'some blocks carry a start-first list');
  assert.ok(bailedOut > 0 && bailedOut < SEEDS / 2, `${bailedOut} runs on 2 workers bailed out to sequential (the others run to the end in parallel)`);
});

test(`random blocks, seeds 1-${PROVIDER_SEEDS}, over a StateProvider: the same results as on the full pre-state, in both modes`, async () => {
  const problems: string[] = [];
  for (let seed = 1; seed <= PROVIDER_SEEDS; seed++) {
    const v = await differential(seed, seq, pars.slice(0, 1), { provider: true });
    for (const p of v.problems) problems.push(`seed ${seed} (${v.block.description}): ${p}`);
  }
  assert.equal(problems, [], problems.join('\n'));
});

test(`random blocks, seeds 1-${EJS_SEEDS}: the sequential executor equals @ethereumjs/vm (gas and status per transaction, bloom, state root)`, async () => {
  assert.is(KNOWN_FILE.version, FUZZ_VERSION, 'test/known-failures/fuzz-ethereumjs.json names seeds of this generator version');
  const problems: string[] = [];
  let compared = 0;
  for (let seed = 1; seed <= EJS_SEEDS; seed++) {
    const known = KNOWN_EJS[String(seed)];
    if (known !== undefined) { console.log(`  known difference from ethereumjs, seed ${seed}: ${known}`); continue; }
    const v = await differential(seed, seq, [], { ethereumjs: true });
    if (!v.ethereumjsSkipped) compared++;
    for (const p of v.problems) problems.push(`seed ${seed} (${v.block.description}): ${p}`);
  }
  assert.equal(problems, [], problems.join('\n'));
  assert.ok(compared > EJS_SEEDS * 0.9, `${compared} of ${EJS_SEEDS} blocks compared`);
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

test('the block hashes reach the results: without them, some blocks end otherwise', async () => {
  let withHashes = 0, changed = 0;
  for (let seed = 1; seed <= 80; seed++) {
    const b = fuzzBlock(seed);
    if (!b.blockHashes) continue;
    const a = await outcomeOf(seq, b), z = await outcomeOf(seq, { ...b, blockHashes: undefined });
    if (a.kind !== 'result' || z.kind !== 'result') continue;
    withHashes++;
    if (a.fingerprint !== z.fingerprint) changed++;
  }
  assert.ok(withHashes > 20 && changed > withHashes / 10, `${changed} of ${withHashes} blocks changed without their block hashes`);
});

test('the random blocks cover the forks from Frontier to Cancun, withdrawals, uncles, the beacon root and block hashes', () => {
  const forks = new Map<string, number>();
  let withdrawals = 0, zeroWithdrawals = 0, uncles = 0, beacon = 0, beaconWithoutContract = 0, empty = 0, hashes = 0, outside = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const b = fuzzBlock(seed);
    forks.set(Fork[b.fork], (forks.get(Fork[b.fork]) ?? 0) + 1);
    withdrawals += b.block.withdrawals!.length;
    zeroWithdrawals += b.block.withdrawals!.filter((w) => w.amount === 0n).length;
    if (b.block.uncleHeaders) uncles++;
    if (b.block.header.parentBeaconBlockRoot) { if (b.state.has(BEACON_ROOTS_ADDRESS)) beacon++; else beaconWithoutContract++; }
    if ([...b.state.values()].some((a) => a.balance === 0n && a.nonce === 0n && a.code.length === 0)) empty++;
    if (b.blockHashes) {
      hashes++;
      const n = b.block.header.number;
      for (const k of b.blockHashes.keys()) if (k >= n || k < n - 256n) outside++;
    }
    assert.is(b.block.header.baseFeePerGas === undefined, b.fork < Fork.London, `seed ${seed}: a base fee only from London`);
    for (const t of b.block.transactions) assert.ok(t.tx.type <= (b.fork >= Fork.Cancun ? 3 : b.fork >= Fork.London ? 2 : b.fork >= Fork.Berlin ? 1 : 0), `seed ${seed}: a type-${t.tx.type} transaction in ${Fork[b.fork]}`);
  }
  assert.equal([...forks.keys()].sort(), ['Berlin', 'Byzantium', 'Cancun', 'Constantinople', 'Frontier', 'Homestead', 'Istanbul', 'London', 'Paris', 'Petersburg', 'Shanghai', 'SpuriousDragon', 'TangerineWhistle']);
  for (const [f, k] of forks) assert.ok(k >= SEEDS / 50, `${k} ${f} blocks`);
  assert.ok(hashes > SEEDS / 3 && outside > 20, `${hashes} blocks with block hashes, ${outside} hashes outside the BLOCKHASH window`);
  assert.ok(withdrawals > 100 && zeroWithdrawals > 20, `${withdrawals} withdrawals, ${zeroWithdrawals} of 0 gwei`);
  assert.ok(uncles > 20, `${uncles} blocks with uncles`);
  assert.ok(beacon > 40 && beaconWithoutContract > 5, `${beacon} blocks with a beacon root, ${beaconWithoutContract} without the contract`);
  assert.ok(empty > 100, `${empty} blocks with an existing empty account`);
});

/** Opcodes a fork does not have yet (the earliest fork that has each), for the generator's own check below. */
const NEWER_OPS: [number, Fork][] = [
  [0xf4, Fork.Homestead], [0x3d, Fork.Byzantium], [0x3e, Fork.Byzantium], [0xfa, Fork.Byzantium], [0xfd, Fork.Byzantium],
  [0x1b, Fork.Constantinople], [0x1c, Fork.Constantinople], [0x1d, Fork.Constantinople], [0x3f, Fork.Constantinople],
  [0xf5, Fork.Constantinople], [0x46, Fork.Istanbul], [0x47, Fork.Istanbul], [0x48, Fork.London], [0x5f, Fork.Shanghai],
  [0x49, Fork.Cancun], [0x4a, Fork.Cancun], [0x5c, Fork.Cancun], [0x5d, Fork.Cancun], [0x5e, Fork.Cancun],
];

test('the random blocks use only the opcodes of their fork (contracts, creation transactions, and their children)', () => {
  const newer = new Map(NEWER_OPS);
  let checked = 0;
  // (a PUSH32 holds a child's init code, left-aligned, or a constant: scanned as code too)
  const scan = (code: Uint8Array, seed: number, fork: Fork): void => {
    for (let i = 0; i < code.length; i++) {
      const op = code[i];
      const since = newer.get(op);
      assert.ok(since === undefined || fork >= since, `seed ${seed}: opcode 0x${op.toString(16)} at ${i} in a ${Fork[fork]} block`);
      checked++;
      if (op === 0x7f) scan(code.subarray(i + 1, i + 33), seed, fork);
      if (op >= 0x60 && op <= 0x7f) i += op - 0x5f;
    }
  };
  for (let seed = 1; seed <= SEEDS; seed++) {
    const b = fuzzBlock(seed);
    for (const a of b.state.values()) scan(a.code, seed, b.fork);
    for (const t of b.block.transactions) if (t.tx.to === null) scan(t.tx.data, seed, b.fork);
  }
  assert.ok(checked > 100_000, `${checked} opcodes checked`);
});

test('fuzzBlock is deterministic, and firstDifference names what differs', async () => {
  const a = fuzzBlock(42), b = fuzzBlock(42), c = fuzzBlock(43);
  const txs = (x: typeof a) => x.block.transactions.map((t) => `${bytesToHex(t.from!)}/${t.tx.nonce}/${t.tx.to ? bytesToHex(t.tx.to) : '-'}/${t.tx.gasLimit}/${bytesToHex(t.tx.data)}`).join('|');
  assert.is(txs(a), txs(b));
  assert.equal([...a.state.keys()], [...b.state.keys()]);
  assert.equal(a.startFirst, b.startFirst);
  assert.is.not(txs(a), txs(c));
  // the first two valid blocks from seed 42 on
  const valid = [];
  for (let seed = 42; valid.length < 2; seed++) {
    const o = await outcomeOf(seq, fuzzBlock(seed));
    if (o.kind === 'result') valid.push(o.result);
  }
  assert.match(firstDifference(valid[0], valid[1]), /^(receipt|account|\d+ \/ \d+ receipts)/);
});

test.run();
