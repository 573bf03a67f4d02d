// Fixture-block runner: every block of a fixture folder (default $PAREVM_SHARED/fixtures/mainnet, and the
// anvil-cancun devnet set) executed and compared with its header: gasUsed, logsBloom, receiptsRoot where
// checkable, stateRoot where index.json marks the pre-state whole. Ends with `N passed, M failed`.
//   npm run test:mainnet -- [dir ...]
import { readdirSync, existsSync, statSync } from 'node:fs';
import { join, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFromFiles } from '../cli.js';
import { sharedDir } from './state-tests.js';
import { ParevmError } from '../errors.js';

/** Runs every block folder under each fixture dir. */
export function runFixtureBlocks(dirs: string[], log = (s: string) => console.log(s)): { passed: number; failed: number; missing: string[] } {
  let passed = 0, failed = 0;
  const missing: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) { missing.push(dir); continue; }
    const blocks = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory() && existsSync(join(dir, n, 'block.json')))
      .sort((a, b) => Number(a) - Number(b));
    log(`${dir}: ${blocks.length} blocks`);
    for (const b of blocks) {
      try {
        const { result: r } = runFromFiles({ target: join(dir, b), workers: 1, json: false });
        const bad = Object.entries(r.checks).filter(([, ok]) => ok === false).map(([k]) => k);
        const checked = Object.keys(r.checks).join(',');
        const mgas = Number(r.gasUsed) / 1e3 / Math.max(r.stats.ms.execute, 1e-3);
        if (bad.length === 0) { passed++; log(`  ok   ${b.padStart(9)}  ${String(r.stats.txs).padStart(4)} txs  ${mgas.toFixed(1).padStart(7)} Mgas/s  checked ${checked}`); }
        else { failed++; log(`  FAIL ${b.padStart(9)}  mismatch: ${bad.join(', ')}`); }
      } catch (e) {
        failed++;
        log(`  FAIL ${b.padStart(9)}  ${e instanceof ParevmError ? `${e.code}: ${e.message}` : (e as Error).stack}`);
      }
    }
  }
  return { passed, failed, missing };
}

export function main(argv = process.argv.slice(2)): number {
  const dirs = argv.length ? argv.map((d) => resolve(d)) : [join(sharedDir(), 'fixtures', 'mainnet'), join(sharedDir(), 'fixtures', 'anvil-cancun')];
  const r = runFixtureBlocks(dirs);
  for (const m of r.missing) console.log(`fixtures not found at ${m} (set PAREVM_SHARED)`);
  console.log(`${r.passed} passed, ${r.failed} failed`);
  return r.failed > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) process.exitCode = main();
void basename;
