// GeneralStateTests runner: every case of the chosen fork (default Cancun) as a one-transaction block on the
// sequential engine. A case passes when the post-state root and the logs hash match; a case with
// `expectException` passes when the transaction is rejected and the state is unchanged.
//
//   npm run test:state -- [dir|file] [--fork NAME] [--filter TEXT] [--verbose]
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { Engine, applyDiff, STATUS_NAMES, type BlockEnv, type Log } from '../engine/engine.js';
import { parseState, worldStateRoot, type WorldState } from '../state.js';
import { decodeTx, validateTxStatic, type Tx } from '../tx.js';
import { Fork, forkFromName, forkName } from '../forks.js';
import { hexToBytes, hexToBigInt, bytesToHex, bytesEqual, utf8ToBytes } from '../hex.js';
import { rlpEncode } from '../rlp.js';
import { InputError, ParevmError } from '../errors.js';
import { fakeExponential } from '../chain.js';
import { initBn254 } from '../precompiles/bn254.js';

/** One failed case. */
export interface StateFailure { id: string; dir: string; reason: string }

/** Summary of a run. */
export interface StateRunResult {
  passed: number;
  failed: number;
  knownFailed: number;
  knownPassed: string[];
  failures: StateFailure[];
  byDir: Map<string, { passed: number; failed: number; known: number }>;
  missing?: string;
}

/** Where the shared ethereum-tests data lives (PAREVM_SHARED, default ../shared). */
export function sharedDir(): string { return resolve(process.env.PAREVM_SHARED ?? '../shared'); }
export function defaultStateTestsPath(): string { return join(sharedDir(), 'ethereum-tests', 'GeneralStateTests'); }

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Known failures: `{ "<dir>/<file>::<test>::<fork>::d<d>g<g>v<v>": "reason" }`. */
export function loadKnownStateFailures(): Record<string, string> {
  const p = join(root, 'test', 'known-failures', 'state-tests.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : {};
}

export function listJson(p: string): string[] {
  const st = statSync(p);
  if (st.isFile()) return p.endsWith('.json') ? [p] : [];
  const out: string[] = [];
  for (const name of readdirSync(p).sort()) out.push(...listJson(join(p, name)));
  return out;
}

/** keccak256(rlp([[address, [topics], data], ...])), the `logs` field of a state test. */
export function logsHash(logs: Log[]): Uint8Array {
  return keccak_256(rlpEncode(logs.map((l) => [l.address, l.topics, l.data])));
}

const EMPTY_LOGS = logsHash([]);
const MIB = 1 << 20;

export interface Ctx { file: string; caseName: string }

export function envOf(test: Record<string, any>, fork: Fork, ctx: Ctx): BlockEnv {
  const e = test.env;
  if (!e || typeof e !== 'object') throw new InputError('missing env', { ...ctx, field: 'env' });
  const q = (name: string, dflt?: bigint): bigint => {
    const v = e[name];
    if (v === undefined) { if (dflt !== undefined) return dflt; throw new InputError(`env.${name} missing`, { ...ctx, field: `env.${name}` }); }
    try { return hexToBigInt(v, `env.${name}`, 256); } catch (err) { throw new InputError(`env.${name}: ${(err as Error).message}`, { ...ctx, field: `env.${name}` }); }
  };
  const excess = q('currentExcessBlobGas', 0n);
  return {
    fork,
    chainId: 1n,
    coinbase: hexToBytes(e.currentCoinbase, 'env.currentCoinbase', { length: 20 }),
    number: q('currentNumber'),
    timestamp: q('currentTimestamp'),
    gasLimit: q('currentGasLimit'),
    baseFee: q('currentBaseFee', 0n),
    prevRandao: fork >= Fork.Paris ? q('currentRandom', 0n) : q('currentDifficulty', 0n),
    blobBaseFee: fork >= Fork.Cancun ? fakeExponential(1n, excess, 3338477n) : 0n,
    // geth's state-test runner answers BLOCKHASH(n) with keccak256 of the decimal string of n
    blockHash: (n) => keccak_256(utf8ToBytes(n.toString())),
  };
}

/** Runs the state tests under `path`. */
export function runStateTests(opts: { path?: string; fork?: string; filter?: string; verbose?: boolean; log?: (s: string) => void } = {}): StateRunResult {
  const path = opts.path ?? defaultStateTestsPath();
  const log = opts.log ?? ((s: string) => console.log(s));
  const result: StateRunResult = { passed: 0, failed: 0, knownFailed: 0, knownPassed: [], failures: [], byDir: new Map() };
  if (!existsSync(path)) { result.missing = path; return result; }
  const forkLabel = opts.fork ?? 'Cancun';
  const fork = forkFromName(forkLabel);
  const known = loadKnownStateFailures();
  const base = statSync(path).isDirectory() ? path : dirname(path);
  const testsRoot = path.includes('GeneralStateTests') ? path.slice(0, path.indexOf('GeneralStateTests') + 'GeneralStateTests'.length) : base;
  // One sequential instance, sized for the suite's extremes: 1,024 nested frames with 1 MB of memory each
  // (static_Call1MB1024Calldepth) and ~300k transient slots in one transaction (run_until_out_of_gas).
  const engine = new Engine({
    accounts: 1 << 12, slots: 1 << 15, codes: 1 << 12, codeHeapBytes: 32 * MIB, inputBytes: 8 * MIB,
    evmMemoryBytes: 1100 * MIB, returnDataBytes: 64 * MIB, frameBytes: 96 * MIB, arenaBytes: 1700 * MIB,
  });

  const record = (dir: string, id: string, ok: boolean, reason: string): void => {
    let d = result.byDir.get(dir);
    if (!d) { d = { passed: 0, failed: 0, known: 0 }; result.byDir.set(dir, d); }
    if (ok) {
      result.passed++; d.passed++;
      if (known[id] !== undefined) result.knownPassed.push(id);
    } else if (known[id] !== undefined) {
      result.knownFailed++; d.known++;
    } else {
      result.failed++; d.failed++;
      result.failures.push({ id, dir, reason });
      if (opts.verbose) log(`FAIL ${id}: ${reason}`);
    }
  };

  for (const file of listJson(path)) {
    const rel = relative(testsRoot, file);
    const dir = dirname(rel);
    let json: Record<string, any>;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
      if (json === null || typeof json !== 'object') throw new Error('top level is not an object');
    } catch (e) {
      record(dir, `${rel}::<file>`, false, `malformed test file: ${(e as Error).message}`);
      continue;
    }
    for (const [name, test] of Object.entries(json)) {
      const cases = test?.post?.[forkLabel];
      if (!Array.isArray(cases)) continue;
      let pre: WorldState | undefined;
      let preErr: string | undefined;
      let preRoot: Uint8Array | undefined;
      for (const c of cases) {
        const idx = c?.indexes ?? {};
        const id = `${rel}::${name}::${forkLabel}::d${idx.data}g${idx.gas}v${idx.value}`;
        if (opts.filter && !id.includes(opts.filter)) continue;
        const ctx = { file: rel, caseName: `${name} d${idx.data}g${idx.gas}v${idx.value}` };
        try {
          if (!pre && !preErr) {
            try { pre = parseState(test.pre, ctx); } catch (e) { preErr = (e as Error).message; }
          }
          if (!pre) throw new InputError(preErr ?? 'bad pre-state', { ...ctx, field: 'pre' });
          const reason = runCase(engine, test, c, pre, fork, ctx, () => (preRoot ??= worldStateRoot(pre!)));
          record(dir, id, reason === '', reason);
        } catch (e) {
          const msg = e instanceof ParevmError ? `${e.code}: ${e.message}` : (e as Error).stack ?? String(e);
          record(dir, id, false, msg);
        }
      }
    }
  }
  return result;
}

/** Runs one case; returns '' when it passes, else what diverged. */
function runCase(engine: Engine, test: Record<string, any>, c: Record<string, any>, pre: WorldState, fork: Fork, ctx: Ctx, preRoot: () => Uint8Array): string {
  const expectHash = hexToBytes(c.hash, 'post.hash', { length: 32 });
  const expectLogs = hexToBytes(c.logs, 'post.logs', { length: 32 });
  const expectException: string | undefined = c.expectException;
  const env = envOf(test, fork, ctx);

  // decode and statically validate; a rejection here is an invalid transaction
  let tx: Tx | undefined;
  let intrinsic = 0n;
  let rejected: string | undefined;
  try {
    tx = decodeTx(hexToBytes(c.txbytes, 'txbytes'));
    intrinsic = validateTxStatic(tx, fork, { chainId: 1n });
  } catch (e) {
    rejected = e instanceof ParevmError ? e.code : (e as Error).message;
  }
  let sender: Uint8Array | undefined;
  if (!rejected) {
    const s = test.transaction?.sender;
    if (typeof s !== 'string') throw new InputError('transaction.sender missing', { ...ctx, field: 'transaction.sender' });
    sender = hexToBytes(s, 'transaction.sender', { length: 20 });
  }

  let post: WorldState = pre;
  let logs: Log[] = [];
  let gasInfo = '';
  if (!rejected) {
    engine.loadState(pre);
    engine.beginBlock(env);
    engine.setBlockGasUsed(0n, 0n);
    const txPtr = engine.inputBase;
    const resPtr = engine.writeTx(txPtr, { tx: tx!, sender: sender!, intrinsicGas: intrinsic });
    const r = engine.runTx(txPtr, resPtr);
    if (!r.valid) rejected = STATUS_NAMES[r.status] ?? String(r.status);
    else {
      logs = r.logs;
      post = applyDiff(pre, engine.readOverlay());
      gasInfo = `status ${STATUS_NAMES[r.status]}, gasUsed ${r.gasUsed}`;
    }
  }
  if (expectException) {
    if (!rejected) return `expected ${expectException}, but the transaction was accepted (${gasInfo})`;
    if (!bytesEqual(preRoot(), expectHash)) return `rejected (${rejected}) but the pre-state root ${bytesToHex(preRoot())} != ${c.hash}`;
    return '';
  }
  if (rejected) return `transaction rejected (${rejected}) but the test expects it to be valid`;
  const gotLogs = logs.length === 0 ? EMPTY_LOGS : logsHash(logs);
  const gotRoot = worldStateRoot(post);
  const problems: string[] = [];
  if (!bytesEqual(gotRoot, expectHash)) problems.push(`state root ${bytesToHex(gotRoot)} != ${c.hash}`);
  if (!bytesEqual(gotLogs, expectLogs)) problems.push(`logs hash ${bytesToHex(gotLogs)} != ${c.logs} (${logs.length} logs)`);
  if (problems.length === 0) return '';
  return `${problems.join('; ')} [${gasInfo}] changed: ${describeChanges(pre, post)}`;
}

function describeChanges(pre: WorldState, post: WorldState): string {
  const out: string[] = [];
  const addrs = [...new Set([...pre.keys(), ...post.keys()])].sort();
  for (const a of addrs) {
    const x = pre.get(a), y = post.get(a);
    if (!y) { out.push(`${a} deleted`); continue; }
    if (!x) { out.push(`${a} created (nonce ${y.nonce}, balance ${y.balance}, code ${y.code.length}B, ${y.storage.size} slots)`); continue; }
    const d: string[] = [];
    if (x.nonce !== y.nonce) d.push(`nonce ${x.nonce}->${y.nonce}`);
    if (x.balance !== y.balance) d.push(`balance ${x.balance}->${y.balance}`);
    if (!bytesEqual(x.code, y.code)) d.push(`code ${x.code.length}B->${y.code.length}B`);
    const slots = [...new Set([...x.storage.keys(), ...y.storage.keys()])].sort((p, q) => (p < q ? -1 : 1));
    for (const s of slots) {
      const v0 = x.storage.get(s) ?? 0n, v1 = y.storage.get(s) ?? 0n;
      if (v0 !== v1) d.push(`[0x${s.toString(16)}] 0x${v0.toString(16)}->0x${v1.toString(16)}`);
    }
    if (d.length) out.push(`${a} ${d.join(' ')}`);
  }
  return out.join('; ').slice(0, 1500);
}

const OLDER_FORKS = ['Frontier', 'Homestead', 'Byzantium', 'Constantinople', 'ConstantinopleFix', 'Istanbul', 'Berlin', 'London', 'Paris', 'Shanghai'];

function mergeResults(a: StateRunResult, b: StateRunResult): StateRunResult {
  const byDir = new Map(a.byDir);
  for (const [k, v] of b.byDir) {
    const d = byDir.get(k) ?? { passed: 0, failed: 0, known: 0 };
    byDir.set(k, { passed: d.passed + v.passed, failed: d.failed + v.failed, known: d.known + v.known });
  }
  return {
    passed: a.passed + b.passed, failed: a.failed + b.failed, knownFailed: a.knownFailed + b.knownFailed,
    knownPassed: [...a.knownPassed, ...b.knownPassed], failures: [...a.failures, ...b.failures], byDir, missing: a.missing ?? b.missing,
  };
}

/** Command line: prints per-directory counts and ends with `N passed, M failed`. */
export function main(argv = process.argv.slice(2)): number {
  let path: string | undefined;
  let fork: string | undefined;
  let filter: string | undefined;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--fork') fork = argv[++i];
    else if (a === '--filter') filter = argv[++i];
    else if (a === '--verbose' || a === '-v') verbose = true;
    else path = resolve(a);
  }
  const t0 = performance.now();
  // `--fork older`: every fork before Cancun that the suite has cases for, summed.
  const forks = fork === 'older' ? OLDER_FORKS : [fork];
  const r = forks.map((f) => runStateTests({ path, fork: f, filter, verbose })).reduce(mergeResults);
  if (r.missing) {
    console.log(`ethereum-tests not found at ${r.missing} (set PAREVM_SHARED)`);
    return 0;
  }
  console.log(`GeneralStateTests (${fork === 'older' ? OLDER_FORKS.join(', ') : fork ?? 'Cancun'}) from ${path ?? defaultStateTestsPath()}`);
  for (const [dir, d] of [...r.byDir].sort()) {
    console.log(`  ${d.failed ? 'FAIL' : 'ok  '} ${dir.padEnd(48)} ${d.passed} passed, ${d.failed} failed${d.known ? `, ${d.known} known failures` : ''}`);
  }
  for (const f of r.failures.slice(0, verbose ? Infinity : 200)) console.log(`FAIL ${f.id}\n     ${f.reason}`);
  if (!verbose && r.failures.length > 200) console.log(`... ${r.failures.length - 200} more failures (use --verbose)`);
  for (const id of r.knownPassed) console.log(`NOW PASSING (remove from test/known-failures/state-tests.json): ${id}`);
  console.log(`known failures: ${r.knownFailed} (listed with reasons in test/known-failures/state-tests.json)`);
  console.log(`time: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${r.passed} passed, ${r.failed} failed`);
  return r.failed > 0 ? 1 : 0;
}

// mcl for the bn254 precompiles, as the executor uses it (@noble/curves if it cannot load; PAREVM_BN254=noble forces that)
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) initBn254().then(() => { process.exitCode = main(); });
