// Conformance runner for ethereum/tests TrieTests: Merkle-Patricia roots of plain and secure tries.
// Usage: node dist/src/runners/trie-tests.js [dir-or-file]
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesToHex, hexToBytes, utf8ToBytes } from '../hex.js';
import { secureTrieRoot, trieRoot } from '../trie.js';

/** Outcome of a conformance run. */
export interface TrieRunResult {
  /** Cases whose root matched. */
  passed: number;
  /** Cases that failed. */
  failed: number;
  /** One line per failed case: name and what differed. */
  failures: string[];
  /** Files or cases not run because they test something this module does not implement. */
  notApplicable: string[];
  /** Set when the fixtures were not found (nothing was run). */
  missing?: string;
}

/** Options for {@link runTrieTests}. */
export interface TrieRunOptions {
  /** TrieTests directory or a single file (default `$PAREVM_SHARED/ethereum-tests/TrieTests`). */
  path?: string;
  /** Progress/failure output (default console.log). */
  log?: (line: string) => void;
}

/**
 * Default fixture directory: `$PAREVM_SHARED` (or ../shared relative to the working directory)
 * + `/ethereum-tests/TrieTests`.
 */
export function defaultTrieTestsPath(): string {
  return resolve(process.env.PAREVM_SHARED ?? '../shared', 'ethereum-tests', 'TrieTests');
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

// Fixture convention: strings starting with 0x are hex, anything else is ASCII/UTF-8.
function fixtureBytes(s: string | null, field: string): Uint8Array {
  if (s === null) return new Uint8Array(0);
  return s.startsWith('0x') ? hexToBytes(s, field) : utf8ToBytes(s);
}

/**
 * Run every TrieTests file under `opts.path`. trietest*: ordered [key, value|null] operations
 * (null deletes); trieanyorder* and hex_encoded_securetrie_test: a key -> value map. Files whose
 * name contains "secure" use keccak(key). trietestnextprev (iteration) is reported as not applicable.
 * @param opts fixture path and logger
 */
export function runTrieTests(opts: TrieRunOptions = {}): TrieRunResult {
  const log = opts.log ?? console.log;
  const path = resolve(opts.path ?? defaultTrieTestsPath());
  const res: TrieRunResult = { passed: 0, failed: 0, failures: [], notApplicable: [] };
  if (!existsSync(path)) {
    res.missing = path;
    return res;
  }
  const root = statSync(path).isDirectory() ? path : resolve(path, '..');
  for (const file of jsonFiles(path)) {
    const rel = relative(root, file) || basename(file);
    if (basename(file).startsWith('trietestnextprev')) {
      // Iteration (next/previous key) needs a trie that supports traversal; we only compute roots.
      res.notApplicable.push(`${rel}: iteration test, not applicable (root-only trie)`);
      continue;
    }
    const secure = /secure/i.test(basename(file));
    const cases = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { in: unknown; root: string }>;
    for (const [name, c] of Object.entries(cases)) {
      const id = `${rel}/${name}`;
      try {
        const raw: [string, string | null][] = Array.isArray(c.in)
          ? (c.in as [string, string | null][])
          : Object.entries(c.in as Record<string, string | null>);
        const entries = raw.map(([k, v], i) => [fixtureBytes(k, `in[${i}].key`), fixtureBytes(v, `in[${i}].value`)] as const);
        // Deletion is an empty value; trieRoot keeps the last write per key, so order is preserved.
        const got = bytesToHex(secure ? secureTrieRoot(entries) : trieRoot(entries));
        if (got === c.root.toLowerCase()) res.passed++;
        else {
          res.failed++;
          res.failures.push(`${id}: root ${got}, expected ${c.root}`);
        }
      } catch (e) {
        res.failed++;
        res.failures.push(`${id}: threw ${(e as Error).message}`);
      }
    }
  }
  for (const f of res.failures) log(`FAIL ${f}`);
  for (const n of res.notApplicable) log(`N/A  ${n}`);
  return res;
}

/** CLI entry: `trie-tests [dir-or-file]`; exit code 1 when a case fails. */
export function main(argv: string[] = process.argv.slice(2)): number {
  const path = argv.find((a) => !a.startsWith('-'));
  const res = runTrieTests(path !== undefined ? { path } : {});
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
