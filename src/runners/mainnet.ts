// Fixture-block runner: every block of a fixture folder (default $PAREVM_SHARED/fixtures/mainnet, and the
// anvil-cancun devnet set) executed sequentially and in parallel, each compared with the header (gasUsed,
// logsBloom, receiptsRoot where checkable, stateRoot where index.json marks the pre-state whole), and the two
// modes compared with each other (receipts, diff, roots). A block passes only when both modes match.
//   npm run test:mainnet -- [--workers N] [dir ...]
import { readdirSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFromFiles } from '../cli.js';
import { sharedDir } from './state-tests.js';
import { ParevmError } from '../errors.js';
import { createExecutor, type BlockResult } from '../executor.js';
import { encodeReceipt } from '../receipts.js';
import { bytesToHex } from '../hex.js';

/**
 * Walks everything two runs of a block must agree on, in a fixed order: gasUsed, blobGasUsed, the logs bloom,
 * the state root (when computed), every receipt's encoding, gas and contract address, every changed account's
 * nonce, balance and code (or its deletion) and its changed slots. Counts go in too, so that no two different
 * results give the same sequence.
 */
export function forEachResultField(r: BlockResult, emit: (field: string | Uint8Array) => void): void {
  const q = (n: bigint) => emit(n.toString(16));
  q(r.gasUsed); q(r.blobGasUsed); emit(r.logsBloom);
  emit(r.stateRoot ?? '-');
  emit(r.receiptsRoot ?? '-'); // (computed apart from the receipts: a pool thread's in parallel runs)
  emit(`receipts ${r.receipts.length}`);
  for (const x of r.receipts) { emit(encodeReceipt(x)); q(x.gasUsed); emit(x.contractAddress ?? '-'); }
  emit(`diff ${r.diff.length}`);
  for (const d of r.diff) {
    emit(d.address);
    if (d.after) { q(d.after.nonce); q(d.after.balance); emit(d.after.code); } else emit('deleted');
    emit(`slots ${d.storage.length}`);
    for (const s of d.storage) { q(s.slot); q(s.after); }
  }
}

/** A canonical string of everything a block result must agree on between modes (forEachResultField). */
export function resultFingerprint(r: BlockResult): string {
  const parts: string[] = [];
  forEachResultField(r, (f) => parts.push(typeof f === 'string' ? f : bytesToHex(f)));
  return parts.join('|');
}

/** Runs every block folder under each fixture dir in both modes. */
export async function runFixtureBlocks(dirs: string[], workers: number, log = (s: string) => console.log(s)): Promise<{ passed: number; failed: number; missing: string[] }> {
  let passed = 0, failed = 0;
  const missing: string[] = [];
  // Both modes recover every sender and check it against the block's `from` (sequentially, and on the workers).
  const seq = createExecutor({ workers: 1, verifySenders: true });
  const par = createExecutor({ workers, alwaysParallel: true, verifySenders: true });
  try {
    for (const dir of dirs) {
      if (!existsSync(dir)) { missing.push(dir); continue; }
      const blocks = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory() && existsSync(join(dir, n, 'block.json')))
        .sort((a, b) => Number(a) - Number(b));
      log(`${dir}: ${blocks.length} blocks, sequential vs ${workers} workers`);
      for (const b of blocks) {
        try {
          const s = (await runFromFiles({ executor: seq, target: join(dir, b), workers: 1, json: false })).result;
          const p = (await runFromFiles({ executor: par, target: join(dir, b), workers, json: false })).result;
          const bad = [...Object.entries(s.checks), ...Object.entries(p.checks).map(([k, v]) => [`parallel ${k}`, v] as const)]
            .filter(([, ok]) => ok === false).map(([k]) => k);
          if (resultFingerprint(s) !== resultFingerprint(p)) bad.push('parallel != sequential');
          const speed = s.stats.ms.execute / Math.max(p.stats.ms.execute, 1e-3);
          const mgas = Number(s.gasUsed) / 1e3 / Math.max(s.stats.ms.execute, 1e-3);
          const info = `${String(s.stats.txs).padStart(4)} txs ${mgas.toFixed(0).padStart(6)} Mgas/s seq, parallel ${speed.toFixed(2)}x (${p.mode}${p.fallback ? ': ' + p.fallback : ''}, ${p.stats.reexecutions} re-exec${p.stats.storageRootsOnPool ? `, ${p.stats.storageRootsOnPool} storage roots on the pool thread` : ''})`;
          if (bad.length === 0) { passed++; log(`  ok   ${b.padStart(9)} ${info}  checked ${Object.keys(s.checks).join(',')}`); }
          else { failed++; log(`  FAIL ${b.padStart(9)} ${info}  mismatch: ${bad.join(', ')}`); }
        } catch (e) {
          failed++;
          log(`  FAIL ${b.padStart(9)}  ${e instanceof ParevmError ? `${e.code}: ${e.message}` : (e as Error).stack}`);
        }
      }
    }
  } finally {
    await seq.close();
    await par.close();
  }
  return { passed, failed, missing };
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  let workers = 2;
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--workers') workers = Number(argv[++i]);
    else dirs.push(resolve(argv[i]));
  }
  if (dirs.length === 0) dirs.push(join(sharedDir(), 'fixtures', 'mainnet'), join(sharedDir(), 'fixtures', 'anvil-cancun'));
  const r = await runFixtureBlocks(dirs, workers);
  for (const m of r.missing) console.log(`fixtures not found at ${m} (set PAREVM_SHARED)`);
  console.log(`${r.passed} passed, ${r.failed} failed`);
  return r.failed > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) main().then((c) => { process.exitCode = c; });
