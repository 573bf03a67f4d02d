#!/usr/bin/env node
// Determinism at scale: the conflict-heavy block of test/determinism.test.ts (bench/gen/blocks.ts
// mixedConflicts) run `runs` times (default 10,000) spread evenly over 16 executors: workers 1 to 8, each
// without and with `chaos` (random spins inside the scheduler). Prints progress and the number of distinct
// results (resultFingerprint, plus the state root of each executor's first run); exit 1 if there is more
// than one, or if a parallel run fell back to sequential.
//
//   node scripts/build.mjs --no-dts && node scripts/determinism.mjs [runs] [--n 240] [--share 0.7] [--chains 5]
//     [--max-workers 8]
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => join(root, 'dist', p);
for (const f of ['src/executor.js', 'src/runners/mainnet.js', 'bench/gen/blocks.js']) {
  if (!existsSync(dist(f))) { console.error(`dist/${f} is missing: run node scripts/build.mjs --no-dts first`); process.exit(2); }
}
const { createExecutor } = await import(pathToFileURL(dist('src/executor.js')).href);
const { resultFingerprint } = await import(pathToFileURL(dist('src/runners/mainnet.js')).href);
const { mixedConflicts } = await import(pathToFileURL(dist('bench/gen/blocks.js')).href);
const { bytesToHex } = await import(pathToFileURL(dist('src/hex.js')).href);

let runs = 10_000, n = 240, share = 0.7, chains = 5, maxWorkers = 8;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--n') n = Number(argv[++i]);
  else if (a === '--share') share = Number(argv[++i]);
  else if (a === '--chains') chains = Number(argv[++i]);
  else if (a === '--max-workers') maxWorkers = Number(argv[++i]);
  else if (/^\d+$/.test(a)) runs = Number(a);
  else { console.error(`unknown argument ${a}\nusage: node scripts/determinism.mjs [runs] [--n N] [--share S] [--chains C] [--max-workers W]`); process.exit(2); }
}

const g = mixedConflicts(n, share, { chains });
const configs = [];
for (let w = 1; w <= maxWorkers; w++) for (const chaos of [false, true]) configs.push({ workers: w, chaos });
console.log(`${g.name}: ${g.description}`);
console.log(`${runs} runs over ${configs.length} executors (workers 1-${maxWorkers}, without and with chaos)`);

const results = new Map(); // fingerprint -> { count, first }
const roots = new Map();
let done = 0, fallbacks = 0, reexecutions = 0, aborts = 0;
const t0 = performance.now();
for (let c = 0; c < configs.length; c++) {
  const { workers, chaos } = configs[c];
  // an even split; the first (runs % configs) executors take one run more
  const k = Math.floor(runs / configs.length) + (c < runs % configs.length ? 1 : 0);
  if (k === 0) continue;
  const ex = createExecutor({ workers, alwaysParallel: true, chaos });
  const label = `${workers} worker${workers > 1 ? 's' : ''}${chaos ? ', chaos' : ''}`;
  try {
    for (let i = 0; i < k; i++) {
      const r = await ex.execute({ block: g.block, state: g.state, fork: g.fork, fullState: i === 0 });
      if (r.fallback || (workers > 1 && r.mode !== 'parallel')) {
        fallbacks++;
        if (fallbacks <= 5) console.log(`  ${label} run ${i}: ran ${r.mode}${r.fallback ? `: ${r.fallback}` : ''}`);
      }
      if (i === 0) {
        const root = bytesToHex(r.stateRoot);
        roots.set(root, [...(roots.get(root) ?? []), label]);
      }
      const fp = resultFingerprint({ ...r, stateRoot: undefined });
      const e = results.get(fp);
      if (e) e.count++;
      else {
        results.set(fp, { count: 1, first: `${label} run ${i}` });
        if (results.size > 1) console.log(`  NEW RESULT #${results.size} at ${label} run ${i} (gas ${r.gasUsed})`);
      }
      reexecutions += r.stats.reexecutions;
      aborts += r.stats.aborts;
      done++;
      if (done % 250 === 0 && i + 1 < k) console.log(`  ${done}/${runs} ... (${label}), distinct results: ${results.size}`);
    }
  } finally {
    await ex.close();
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`[${String(done).padStart(String(runs).length)}/${runs}] ${label.padEnd(18)} ${k} runs, distinct results so far: ${results.size}, re-executions ${reexecutions}, aborts ${aborts}, ${s.toFixed(1)} s`);
}

console.log(`\n${done} runs, ${results.size} distinct result${results.size === 1 ? '' : 's'}, ${roots.size} distinct state root${roots.size === 1 ? '' : 's'}, ${fallbacks} fallback${fallbacks === 1 ? '' : 's'}, ${reexecutions} re-executions in total`);
if (results.size > 1) for (const [, e] of results) console.log(`  ${e.count} runs, first at ${e.first}`);
if (roots.size > 1) for (const [root, where] of roots) console.log(`  root ${root}: ${where.join('; ')}`);
process.exitCode = results.size > 1 || roots.size > 1 || fallbacks > 0 ? 1 : 0;
