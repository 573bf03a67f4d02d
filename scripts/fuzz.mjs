#!/usr/bin/env node
// Differential fuzzing at scale: random blocks (bench/gen/fuzz.ts) run sequentially (the oracle) and in parallel on
// several executors (2 workers; 3 workers with scheduler chaos and no bail-out; 4 workers without bail-out or
// slow-first learning; 2 workers with only pool threads and no sender hints), each outcome compared byte for byte
// (test/helpers/differential.ts). `--provider` also runs every block over a StateProvider of its pre-state in both
// modes; `--ethereumjs` also compares the sequential result with @ethereumjs/vm (~0.1 s a block; seeds where
// ethereumjs departs from execution-specs are listed in test/known-failures/fuzz-ethereumjs.json and counted
// apart). Prints each failing seed with what differed (reproduce one with `--from SEED 1`), progress, and a
// summary; exit 1 if any seed failed.
//
//   node scripts/build.mjs --no-dts && node scripts/fuzz.mjs [count=2000] [--from 1] [--provider] [--ethereumjs]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => join(root, 'dist', p);
for (const f of ['src/executor.js', 'test/helpers/differential.js', 'bench/gen/fuzz.js']) {
  if (!existsSync(dist(f))) { console.error(`dist/${f} is missing: run node scripts/build.mjs --no-dts first`); process.exit(2); }
}
process.env.PAREVM_SHARED ??= join(root, '..', 'shared');
const { createExecutor } = await import(pathToFileURL(dist('src/executor.js')).href);
const { differential } = await import(pathToFileURL(dist('test/helpers/differential.js')).href);

let count = 2000, from = 1, provider = false, ethereumjs = false;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--from') from = Number(argv[++i]);
  else if (a === '--provider') provider = true;
  else if (a === '--ethereumjs') ethereumjs = true;
  else if (/^\d+$/.test(a)) count = Number(a);
  else { console.error(`unknown argument ${a}\nusage: node scripts/fuzz.mjs [count] [--from SEED] [--provider] [--ethereumjs]`); process.exit(2); }
}

// Seeds where @ethereumjs/vm, not parevm, departs from execution-specs (each with the reason): counted apart.
const { FUZZ_VERSION } = await import(pathToFileURL(dist('bench/gen/fuzz.js')).href);
const knownFile = JSON.parse(readFileSync(join(root, 'test', 'known-failures', 'fuzz-ethereumjs.json'), 'utf8'));
if (ethereumjs && knownFile.version !== FUZZ_VERSION) {
  console.error(`test/known-failures/fuzz-ethereumjs.json lists seeds of generator version ${knownFile.version}, not ${FUZZ_VERSION}: run the seeds again and list the new ones`);
  process.exit(2);
}
const knownEjs = knownFile.seeds;
const seq = createExecutor({ workers: 1 });
const pars = [
  { label: '2 workers', executor: createExecutor({ workers: 2, alwaysParallel: true }) },
  { label: '3 workers, chaos, no bail-out', executor: createExecutor({ workers: 3, alwaysParallel: true, chaos: true, bail: false }) },
  { label: '4 workers, no bail-out, no slow-first learning', executor: createExecutor({ workers: 4, alwaysParallel: true, bail: false, slowFirst: false }) },
  { label: '2 pool threads, no sender hints', executor: createExecutor({ workers: 2, alwaysParallel: true, coordinatorWorks: false, senderHints: false }) },
];
console.log(`seeds ${from}..${from + count - 1}: sequential vs ${pars.map((p) => p.label).join('; ')}${provider ? '; each also over a StateProvider' : ''}${ethereumjs ? '; sequential vs @ethereumjs/vm' : ''}`);
const t0 = performance.now();
let failed = 0, knownCount = 0, invalid = 0, parallelRuns = 0, reexecutions = 0, bailedOut = 0, fallbacks = 0, ejsSkipped = 0;
try {
  for (let seed = from; seed < from + count; seed++) {
    const v = await differential(seed, seq, pars, { provider, ethereumjs });
    if (v.ethereumjsSkipped) ejsSkipped++;
    if (v.invalid) invalid++;
    parallelRuns += v.parallelRuns; reexecutions += v.reexecutions; bailedOut += v.bailedOut; fallbacks += v.fallbacks.length;
    for (const f of v.fallbacks) console.log(`fallback, seed ${seed}: ${f}`); // (alwaysParallel: only a shared region running out)
    const known = ethereumjs ? knownEjs[String(seed)] : undefined;
    if (known !== undefined) {
      const others = v.problems.filter((p) => !p.startsWith('sequential vs ethereumjs: '));
      if (others.length === v.problems.length) console.log(`NOW AGREES with ethereumjs (remove from test/known-failures/fuzz-ethereumjs.json): seed ${seed}`);
      else { knownCount++; console.log(`known: seed ${seed}: ${known}`); }
      v.problems = others;
    }
    if (v.problems.length > 0) {
      failed++;
      console.log(`FAIL seed ${seed}: ${v.block.description}\n  ${v.problems.join('\n  ')}`);
    }
    if ((seed - from + 1) % 500 === 0) console.log(`  ${seed - from + 1} seeds, ${failed} failed (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
} finally {
  await seq.close();
  for (const p of pars) await p.executor.close();
}
console.log(`${count} seeds in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${invalid} invalid blocks (the same BlockError in every mode), ${parallelRuns} parallel runs with ${reexecutions} re-executions (${bailedOut} bailed out to sequential), ${fallbacks} fallbacks${ethereumjs ? `; ${count - ejsSkipped} compared with ethereumjs (${ejsSkipped} not: too many blobs for a block, which runTx does not check)` : ''}`);
if (ethereumjs) console.log(`known differences from ethereumjs: ${knownCount} (listed with reasons in test/known-failures/fuzz-ethereumjs.json)`);
console.log(`${count - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
