// GeneralStateTests through the parallel executor: every case of the chosen fork as a one-transaction block
// run with Block-STM on worker threads (never falling back), its post-state root and logs hash compared with
// the expected ones. Since the sequential runner checks the same values, a pass here means parallel equals
// sequential equals the specification on that case.
//   node dist/src/runners/state-tests-parallel.js [dir|file] [--fork NAME] [--workers N]
import { readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { createExecutor, BlockError } from '../executor.js';
import { parseState } from '../state.js';
import { decodeTx } from '../tx.js';
import { receiptsRoot } from '../receipts.js';
import { forkFromName } from '../forks.js';
import { hexToBytes, bytesToHex, bytesEqual, utf8ToBytes } from '../hex.js';
import { ParevmError } from '../errors.js';
import { defaultStateTestsPath, envOf, listJson, logsHash, loadKnownStateFailures } from './state-tests.js';
import type { Block } from '../block.js';

export async function main(argv = process.argv.slice(2)): Promise<number> {
  let path = defaultStateTestsPath();
  let forkName = 'Cancun';
  let workers = 2;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--fork') forkName = argv[++i];
    else if (argv[i] === '--workers') workers = Number(argv[++i]);
    else path = resolve(argv[i]);
  }
  if (!existsSync(path)) { console.log(`ethereum-tests not found at ${path} (set PAREVM_SHARED)`); return 0; }
  const fork = forkFromName(forkName);
  const known = loadKnownStateFailures();
  const root = path.includes('GeneralStateTests') ? path.slice(0, path.indexOf('GeneralStateTests') + 'GeneralStateTests'.length) : (statSync(path).isDirectory() ? path : dirname(path));
  // Arenas sized for the suite's extremes (1,024 frames with 1 MB of memory each, ~300k transient slots in one
  // transaction): the calling thread's (it is a worker too) and the pool thread's; together they must fit 4 GiB.
  const MIB = 1 << 20;
  const ex = createExecutor({
    workers, alwaysParallel: true,
    engine: {
      arenaBytes: 1500 * MIB, frameBytes: 96 * MIB, evmMemoryBytes: 1100 * MIB, returnDataBytes: 64 * MIB,
    },
  });
  let passed = 0, failed = 0, knownFailed = 0, fallbacks = 0;
  const t0 = performance.now();
  try {
    for (const file of listJson(path)) {
      const rel = relative(root, file);
      let json: Record<string, any>;
      try { json = JSON.parse(readFileSync(file, 'utf8')); } catch (e) { failed++; console.log(`FAIL ${rel}: malformed test file: ${(e as Error).message}`); continue; }
      for (const [name, test] of Object.entries(json)) {
        const cases = test?.post?.[forkName];
        if (!Array.isArray(cases)) continue;
        const state = parseState(test.pre, { file: rel, caseName: name });
        for (const c of cases) {
          const idx = c.indexes ?? {};
          const id = `${rel}::${name}::${forkName}::d${idx.data}g${idx.gas}v${idx.value}`;
          const ctx = { file: rel, caseName: name };
          let problem = '';
          try {
            const env = envOf(test, fork, ctx);
            let tx;
            try { tx = decodeTx(hexToBytes(c.txbytes, 'txbytes')); } catch { tx = undefined; }
            if (!tx) { if (!c.expectException) problem = 'undecodable transaction'; }
            else {
              const block: Block = {
                header: {
                  number: env.number, timestamp: env.timestamp, miner: env.coinbase, gasLimit: env.gasLimit,
                  difficulty: env.prevRandao, mixHash: hexToBytes('0x' + env.prevRandao.toString(16).padStart(64, '0'), 'mixHash'),
                  baseFeePerGas: env.baseFee, excessBlobGas: BigInt(test.env.currentExcessBlobGas ?? '0x0'),
                },
                transactions: [{ tx, from: hexToBytes(test.transaction.sender, 'sender', { length: 20 }) }],
                uncles: [],
              };
              const hashes = new Map<bigint, Uint8Array>();
              for (let k = 1n; k <= 256n && k <= env.number; k++) hashes.set(env.number - k, keccak_256(utf8ToBytes((env.number - k).toString())));
              try {
                const r = await ex.execute({ block, state, fork, fullState: true, blockHashes: hashes });
                if (r.mode !== 'parallel') { fallbacks++; problem = `ran ${r.mode}: ${r.fallback}`; }
                else if (c.expectException) problem = `expected ${c.expectException}, but the block was accepted`;
                else {
                  const logs = r.receipts.flatMap((x) => x.logs);
                  if (!bytesEqual(r.stateRoot!, hexToBytes(c.hash, 'hash'))) problem = `state root ${bytesToHex(r.stateRoot!)} != ${c.hash}`;
                  else if (!bytesEqual(logsHash(logs), hexToBytes(c.logs, 'logs'))) problem = `logs hash differs`;
                  // the receipts root (a pool thread's, from the records) against the one of the receipts returned
                  else if (r.stats.receiptsRootOnPool !== true) problem = 'the receipts root was not computed on the pool thread';
                  else if (!bytesEqual(r.receiptsRoot!, receiptsRoot(r.receipts))) problem = `receipts root ${bytesToHex(r.receiptsRoot!)} != ${bytesToHex(receiptsRoot(r.receipts))} (of the receipts)`;
                }
              } catch (e) {
                if (!(e instanceof BlockError && c.expectException)) problem = e instanceof ParevmError ? `${e.code}: ${e.message}` : String(e);
              }
            }
          } catch (e) { problem = e instanceof ParevmError ? `${e.code}: ${e.message}` : String(e); }
          if (!problem) passed++;
          else if (known[id] !== undefined) knownFailed++;
          else { failed++; console.log(`FAIL ${id}\n     ${problem}`); }
        }
      }
    }
  } finally { await ex.close(); }
  console.log(`GeneralStateTests (${forkName}) as one-transaction blocks on ${workers} workers: ${((performance.now() - t0) / 1000).toFixed(1)} s, ${fallbacks} fallbacks, ${knownFailed} known failures`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) main().then((c) => { process.exitCode = c; });
