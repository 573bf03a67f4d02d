// Conformance runner for ethereum/tests TransactionTests: decoding, static validation, sender
// recovery, hash and intrinsic gas, for one fork (default Cancun) or all forks.
// Usage: node dist/src/runners/tx-tests.js [--fork NAME|all] [--verbose] [dir-or-file]
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, ParevmError, TxError } from '../errors.js';
import { Fork, forkFromName, forkName, tryForkFromName } from '../forks.js';
import { bytesToHex, hexToBigInt, hexToBytes } from '../hex.js';
import { decodeTx, recoverSender, txHash, validateTxStatic } from '../tx.js';

/** Outcome of a conformance run. */
export interface TxRunResult {
  /** Case/fork pairs that behaved as expected. */
  passed: number;
  /** Unexpected failures (not listed in the known-failures file). */
  failed: number;
  /** One line per unexpected failure: case, fork and what differed. */
  failures: string[];
  /** Failures listed in test/known-failures/tx-tests.json, with the listed reason. */
  knownFailures: string[];
  /** Listed known failures that now pass (the list should be pruned). */
  knownButPassed: string[];
  /** Cases with no result for the requested fork (not counted). */
  notApplicable: number;
  /** Rejections whose error code differs from the fixture's exception name (informational). */
  codeMismatches: string[];
  /** Pass/fail counts per fixture directory. */
  byDir: Record<string, { passed: number; failed: number }>;
  /** Set when the fixtures were not found (nothing was run). */
  missing?: string;
}

/** Options for {@link runTxTests}. */
export interface TxRunOptions {
  /** TransactionTests directory or a single file (default `$PAREVM_SHARED/ethereum-tests/TransactionTests`). */
  path?: string;
  /** Fork name as in the fixtures or {@link forkFromName}, or 'all' (default 'Cancun'). */
  fork?: string;
  /** Known failures, "<file>/<case>" -> reason (default: test/known-failures/tx-tests.json). */
  knownFailures?: Record<string, string>;
  /** Failure output (default console.log). */
  log?: (line: string) => void;
}

interface TxResult {
  hash?: string;
  sender?: string;
  intrinsicGas?: string;
  exception?: string;
}

/**
 * Default fixture directory: `$PAREVM_SHARED` (or ../shared relative to the working directory)
 * + `/ethereum-tests/TransactionTests`.
 */
export function defaultTxTestsPath(): string {
  return resolve(process.env.PAREVM_SHARED ?? '../shared', 'ethereum-tests', 'TransactionTests');
}

/** Load test/known-failures/tx-tests.json (relative to the package root); {} when absent. */
export function loadKnownTxFailures(): Record<string, string> {
  const file = fileURLToPath(new URL('../../../test/known-failures/tx-tests.json', import.meta.url));
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
}

function jsonFiles(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    const p = join(path, name);
    if (statSync(p).isDirectory()) out.push(...jsonFiles(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

type Outcome = { ok: true } | { ok: false; why: string } | { ok: true; codeMismatch: string };

function judge(txbytes: string, fork: Fork, expect: TxResult): Outcome {
  // Parsed outside the try blocks: a malformed fixture must not count as a correct rejection.
  const raw = hexToBytes(txbytes, 'txbytes');
  if (expect.exception !== undefined) {
    const names = expect.exception.split('|').map((s) => s.trim().replace(/^TransactionException\./, ''));
    try {
      const tx = decodeTx(raw);
      validateTxStatic(tx, fork);
      const sender = recoverSender(tx, fork);
      return { ok: false, why: `accepted (sender ${bytesToHex(sender)}), expected ${expect.exception}` };
    } catch (e) {
      // A crash of another kind is a bug even when rejection was expected.
      if (!(e instanceof TxError)) {
        return { ok: false, why: `threw ${(e as Error).name}: ${(e as Error).message}, expected TxError ${expect.exception}` };
      }
      const code = e.code;
      return names.includes(code) ? { ok: true } : { ok: true, codeMismatch: `${code} vs ${names.join('|')}: ${(e as Error).message}` };
    }
  }
  let tx;
  let intrinsic: bigint;
  let sender: Uint8Array;
  try {
    tx = decodeTx(raw);
    intrinsic = validateTxStatic(tx, fork);
    sender = recoverSender(tx, fork);
  } catch (e) {
    const code = e instanceof ParevmError ? `${e.code}: ` : '';
    return { ok: false, why: `rejected (${code}${(e as Error).message}), expected valid` };
  }
  const diffs: string[] = [];
  const hash = bytesToHex(txHash(raw));
  if (expect.hash !== undefined && hash !== expect.hash.toLowerCase()) diffs.push(`hash ${hash} != ${expect.hash}`);
  const from = bytesToHex(sender);
  if (expect.sender !== undefined && from !== expect.sender.toLowerCase()) diffs.push(`sender ${from} != ${expect.sender}`);
  if (expect.intrinsicGas !== undefined && intrinsic !== hexToBigInt(expect.intrinsicGas, 'intrinsicGas')) {
    diffs.push(`intrinsicGas ${intrinsic} != ${hexToBigInt(expect.intrinsicGas)}`);
  }
  return diffs.length === 0 ? { ok: true } : { ok: false, why: diffs.join('; ') };
}

/**
 * Run TransactionTests for one fork (or 'all'): a result without `exception` must decode, pass
 * static validation and match sender, hash and intrinsic gas; a result with one must be rejected.
 * Cases without a result for the fork are counted as not applicable.
 * @param opts fixture path, fork, known failures and logger
 * @throws InputError for an unknown fork name
 */
export function runTxTests(opts: TxRunOptions = {}): TxRunResult {
  const log = opts.log ?? console.log;
  const path = resolve(opts.path ?? defaultTxTestsPath());
  const forkArg = opts.fork ?? 'Cancun';
  const only = forkArg.toLowerCase() === 'all' ? undefined : forkFromName(forkArg);
  const known = opts.knownFailures ?? loadKnownTxFailures();
  const res: TxRunResult = {
    passed: 0, failed: 0, failures: [], knownFailures: [], knownButPassed: [], notApplicable: 0, codeMismatches: [], byDir: {},
  };
  if (!existsSync(path)) {
    res.missing = path;
    return res;
  }
  const root = statSync(path).isDirectory() ? path : dirname(path);
  for (const file of jsonFiles(path)) {
    const rel = relative(root, file) || basename(file);
    const dir = dirname(rel) === '.' ? basename(root) : dirname(rel);
    const counts = (res.byDir[dir] ??= { passed: 0, failed: 0 });
    const cases = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { txbytes: string; result: Record<string, TxResult> }>;
    for (const [name, c] of Object.entries(cases)) {
      const id = `${rel}/${name}`;
      const runs = Object.entries(c.result).filter(([k]) => {
        const f = tryForkFromName(k);
        return f !== undefined && (only === undefined || f === only);
      });
      if (runs.length === 0) {
        res.notApplicable++;
        continue;
      }
      for (const [forkKey, expect] of runs) {
        const out = judge(c.txbytes, tryForkFromName(forkKey)!, expect);
        const tag = `${id} [${forkKey}]`;
        if (out.ok) {
          res.passed++;
          counts.passed++;
          if ('codeMismatch' in out) res.codeMismatches.push(`${tag}: ${out.codeMismatch}`);
          if (known[id] !== undefined) res.knownButPassed.push(tag);
        } else if (known[id] !== undefined) {
          res.knownFailures.push(`${tag}: ${out.why} (known: ${known[id]})`);
        } else {
          res.failed++;
          counts.failed++;
          res.failures.push(`${tag}: ${out.why}`);
        }
      }
    }
  }
  for (const f of res.failures) log(`FAIL ${f}`);
  for (const f of res.knownFailures) log(`KNOWN ${f}`);
  for (const f of res.knownButPassed) log(`KNOWN-BUT-PASSED ${f} (remove it from test/known-failures/tx-tests.json)`);
  return res;
}

/** CLI entry: `tx-tests [--fork NAME|all] [--verbose] [dir-or-file]`; exit code 1 on unexpected failures. */
export function main(argv: string[] = process.argv.slice(2)): number {
  let fork = 'Cancun';
  let path: string | undefined;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--fork') fork = argv[++i] ?? fork;
    else if (a.startsWith('--fork=')) fork = a.slice('--fork='.length);
    else if (a === '--verbose' || a === '-v') verbose = true;
    else if (!a.startsWith('-')) path = a;
  }
  let res: TxRunResult;
  try {
    res = runTxTests(path !== undefined ? { path, fork } : { fork });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    console.error(`tx-tests: ${e.message}`);
    return 2;
  }
  if (res.missing !== undefined) {
    console.log(`ethereum-tests not found at ${res.missing} (set PAREVM_SHARED)`);
    return 0;
  }
  const label = fork.toLowerCase() === 'all' ? 'all forks' : forkName(forkFromName(fork));
  console.log(`TransactionTests (${label}), per directory:`);
  for (const [dir, c] of Object.entries(res.byDir)) console.log(`  ${dir.padEnd(14)} ${c.passed} passed, ${c.failed} failed`);
  if (res.notApplicable > 0) console.log(`${res.notApplicable} case(s) have no result for ${label} (not run)`);
  console.log(`${res.codeMismatches.length} rejection(s) with a different error code than the fixture (not failures)${verbose ? ':' : '; --verbose lists them'}`);
  if (verbose) for (const m of res.codeMismatches) console.log(`  ${m}`);
  if (res.knownFailures.length > 0) console.log(`${res.knownFailures.length} known failure(s) (test/known-failures/tx-tests.json)`);
  console.log(`${res.passed} passed, ${res.failed} failed`);
  return res.failed > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
