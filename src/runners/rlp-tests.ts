// Conformance runner for ethereum/tests RLPTests: canonical encoding and strict decoding.
// Usage: node dist/src/runners/rlp-tests.js [dir-or-file]
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RlpError } from '../errors.js';
import { bytesEqual, bytesToHex, hexToBytes, utf8ToBytes } from '../hex.js';
import { rlpDecode, rlpEncode, type RlpInput, type RlpItem } from '../rlp.js';

/** Outcome of a conformance run. */
export interface RlpRunResult {
  /** Cases that behaved as expected. */
  passed: number;
  /** Cases that did not. */
  failed: number;
  /** One line per failed case: name and what differed. */
  failures: string[];
  /** Set when the fixtures were not found (nothing was run). */
  missing?: string;
}

/** Options for {@link runRlpTests}. */
export interface RlpRunOptions {
  /** RLPTests directory or a single file (default `$PAREVM_SHARED/ethereum-tests/RLPTests`). */
  path?: string;
  /** Failure output (default console.log). */
  log?: (line: string) => void;
}

/**
 * Default fixture directory: `$PAREVM_SHARED` (or ../shared relative to the working directory)
 * + `/ethereum-tests/RLPTests`.
 */
export function defaultRlpTestsPath(): string {
  return resolve(process.env.PAREVM_SHARED ?? '../shared', 'ethereum-tests', 'RLPTests');
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

// Fixture `in`: strings are raw bytes (UTF-8), "#<decimal>" is a big integer, numbers are integers.
function fixtureInput(v: unknown): RlpInput {
  if (Array.isArray(v)) return v.map(fixtureInput);
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.startsWith('#') ? BigInt(v.slice(1)) : utf8ToBytes(v);
  throw new Error(`unsupported input ${JSON.stringify(v)}`);
}

function show(item: RlpItem): string {
  return Array.isArray(item) ? `[${item.map(show).join(',')}]` : bytesToHex(item);
}

// Returns undefined on success, or what differed.
function runCase(input: unknown, outHex: string): string | undefined {
  // Some invalid fixtures omit the 0x prefix; the bytes are what is under test, not the notation.
  const out = hexToBytes(outHex, 'out', { prefix: 'optional' });
  if (input === 'INVALID') {
    try {
      const item = rlpDecode(out);
      return `decoded invalid RLP ${bytesToHex(out)} as ${show(item)}`;
    } catch (e) {
      return e instanceof RlpError ? undefined : `threw ${(e as Error).name} instead of RlpError: ${(e as Error).message}`;
    }
  }
  if (input !== 'VALID') {
    const enc = rlpEncode(fixtureInput(input));
    if (!bytesEqual(enc, out)) return `encode gave ${bytesToHex(enc)}, expected ${bytesToHex(out)}`;
  }
  let item: RlpItem;
  try {
    item = rlpDecode(out);
  } catch (e) {
    return `decode threw ${(e as Error).message}`;
  }
  const re = rlpEncode(item);
  if (!bytesEqual(re, out)) return `decode+encode gave ${bytesToHex(re)}, expected ${bytesToHex(out)}`;
  return undefined;
}

/**
 * Run every RLPTests file under `opts.path`. `in: "INVALID"`: decoding `out` must throw RlpError;
 * `in: "VALID"`: `out` must decode and re-encode to itself; otherwise encode(in) must equal `out`
 * and decode(out) must re-encode to `out`.
 * @param opts fixture path and logger
 */
export function runRlpTests(opts: RlpRunOptions = {}): RlpRunResult {
  const log = opts.log ?? console.log;
  const path = resolve(opts.path ?? defaultRlpTestsPath());
  const res: RlpRunResult = { passed: 0, failed: 0, failures: [] };
  if (!existsSync(path)) {
    res.missing = path;
    return res;
  }
  const root = statSync(path).isDirectory() ? path : resolve(path, '..');
  for (const file of jsonFiles(path)) {
    const rel = relative(root, file) || basename(file);
    const cases = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { in: unknown; out: string }>;
    for (const [name, c] of Object.entries(cases)) {
      let why: string | undefined;
      try {
        why = runCase(c.in, c.out);
      } catch (e) {
        why = `threw ${(e as Error).message}`;
      }
      if (why === undefined) res.passed++;
      else {
        res.failed++;
        res.failures.push(`${rel}/${name}: ${why}`);
      }
    }
  }
  for (const f of res.failures) log(`FAIL ${f}`);
  return res;
}

/** CLI entry: `rlp-tests [dir-or-file]`; exit code 1 when a case fails. */
export function main(argv: string[] = process.argv.slice(2)): number {
  const path = argv.find((a) => !a.startsWith('-'));
  const res = runRlpTests(path !== undefined ? { path } : {});
  if (res.missing !== undefined) {
    console.log(`ethereum-tests not found at ${res.missing} (set PAREVM_SHARED)`);
    return 0;
  }
  console.log(`${res.passed} passed, ${res.failed} failed`);
  return res.failed > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
