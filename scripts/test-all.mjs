#!/usr/bin/env node
// `npm test`: unit tests, then the conformance suites that need the shared data (each says so when the data
// is absent), then one closing line `N passed, M failed` over everything. Exit 1 on any unexpected failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve, join } from 'node:path';

const shared = resolve(process.env.PAREVM_SHARED ?? '../shared');
if (!existsSync(shared)) console.log(`shared data not found at ${shared} (set PAREVM_SHARED): only unit tests run`);

const suites = [
  ['unit tests (uvu)', ['node_modules/uvu/bin.js', 'dist/test', '\\.test\\.js$']],
  ['TrieTests', ['dist/src/runners/trie-tests.js']],
  ['RLPTests', ['dist/src/runners/rlp-tests.js']],
  ['TransactionTests (Cancun)', ['dist/src/runners/tx-tests.js']],
  ['GeneralStateTests (Cancun)', ['dist/src/runners/state-tests.js']],
  ['GeneralStateTests (older forks)', ['dist/src/runners/state-tests.js', '--fork', 'older']],
  ['GeneralStateTests (Cancun) as parallel one-transaction blocks, 2 workers', ['dist/src/runners/state-tests-parallel.js']],
  ['fixture blocks (mainnet, anvil-cancun)', ['dist/src/runners/mainnet.js']],
];

let passed = 0, failed = 0, broken = 0;
const t0 = Date.now();
for (const [name, args] of suites) {
  console.log(`\n=== ${name}`);
  const t = Date.now();
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28,
    env: { ...process.env, NODE_DISABLE_COLORS: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  // eslint-disable-next-line no-control-regex
  const out = (r.stdout ?? '').replace(/\x1b\[[0-9;]*m/g, '');
  process.stdout.write(out.length > 20000 ? out.slice(0, 4000) + '\n[... output trimmed ...]\n' + out.slice(-12000) : out);
  // uvu: "Total: N  Passed: N  Skipped: N"; our runners: "N passed, M failed"
  let p = 0, f = 0;
  const ours = [...out.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
  const uvu = out.match(/Total:\s+(\d+)\s+Passed:\s+(\d+)/);
  if (ours) { p = Number(ours[1]); f = Number(ours[2]); }
  else if (uvu) { p = Number(uvu[2]); f = Number(uvu[1]) - Number(uvu[2]); }
  if (r.status !== 0 && f === 0) { broken++; console.log(`!!! ${name} exited with ${r.status ?? r.signal}`); }
  passed += p; failed += f;
  console.log(`--- ${name}: ${p} passed, ${f} failed (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}
console.log(`\nall suites: ${((Date.now() - t0) / 1000).toFixed(1)} s${broken ? `, ${broken} suite(s) crashed` : ''}`);
console.log(`${passed} passed, ${failed + broken} failed`);
process.exitCode = failed + broken > 0 ? 1 : 0;
