// Differential check of GeneralStateTests cases: parevm's sequential engine against @ethereumjs/vm.
// For each selected case prints which engine reproduces the expected post-state root (and logs hash), the
// status and gas of both, and the FIRST divergence between the two post-states (accounts sorted by address,
// then nonce, balance, code, storage slots in numeric order).
//
//   node scripts/build.mjs --no-dts
//   node dist/bench/reference/state-diff.js <test file> [--fork Cancun] [--case d0g0v0] [--test NAME] [--trace] [--all]
//
//   --case X   only cases whose id `<test>::d<d>g<g>v<v>` contains X (e.g. d5g0v0)
//   --test X   only tests whose name contains X (files with several tests)
//   --trace    print ethereumjs's opcode trace (depth, pc, op, gas left, gas cost, top 3 stack items)
//   --all      list every divergence, not only the first
//   --quiet    one line per case, details only for cases where something disagrees
import { readFileSync } from 'node:fs';
import { resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine, applyDiff, STATUS_NAMES, type Log } from '../../src/engine/engine.js';
import { parseState, worldStateRoot, type WorldState } from '../../src/state.js';
import { decodeTx, validateTxStatic, type Tx } from '../../src/tx.js';
import { Fork, forkFromName } from '../../src/forks.js';
import { hexToBytes, bytesToHex, bytesEqual } from '../../src/hex.js';
import { envOf, logsHash } from '../../src/runners/state-tests.js';
import { ParevmError } from '../../src/errors.js';
import { runReferenceCase, type ReferenceResult } from './ethereumjs.js';

interface EngineRun { valid: boolean; error?: string; status: string; post: WorldState; logs: Log[]; gasUsed: bigint }

let engine: Engine | undefined;
/** One case on parevm, as src/runners/state-tests.ts `runCase` does it. */
function runParevm(test: Record<string, any>, c: Record<string, any>, pre: WorldState, fork: Fork): EngineRun {
  engine ??= new Engine({ accounts: 1 << 12, slots: 1 << 15, codes: 1 << 12, codeHeapBytes: 32 << 20, inputBytes: 8 << 20 });
  let tx: Tx;
  let intrinsic: bigint;
  try {
    tx = decodeTx(hexToBytes(c.txbytes, 'txbytes'));
    intrinsic = validateTxStatic(tx, fork, { chainId: 1n });
  } catch (e) {
    const error = e instanceof ParevmError ? `${e.code}: ${e.message}` : (e as Error).message;
    return { valid: false, error, status: 'rejected (static)', post: pre, logs: [], gasUsed: 0n };
  }
  const sender = hexToBytes(test.transaction.sender, 'transaction.sender', { length: 20 });
  engine.loadState(pre);
  engine.beginBlock(envOf(test, fork, { file: '', caseName: '' }));
  engine.setBlockGasUsed(0n, 0n);
  const txPtr = engine.inputBase;
  const resPtr = engine.writeTx(txPtr, { tx, sender, intrinsicGas: intrinsic });
  const r = engine.runTx(txPtr, resPtr);
  const status = STATUS_NAMES[r.status] ?? String(r.status);
  if (!r.valid) return { valid: false, error: status, status, post: pre, logs: [], gasUsed: 0n };
  return { valid: true, status, post: applyDiff(pre, engine.readOverlay()), logs: r.logs, gasUsed: r.gasUsed, error: r.success ? undefined : status };
}

const h = (n: bigint): string => '0x' + n.toString(16);
const short = (b: Uint8Array): string => (b.length <= 40 ? bytesToHex(b) : `${bytesToHex(b.subarray(0, 32))}… (${b.length} B)`);

/** All differences between two post-states, sorted by address then field then slot. */
export function stateDiffs(a: WorldState, b: WorldState, an = 'parevm', bn = 'ethereumjs'): string[] {
  const out: string[] = [];
  for (const addr of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(addr), y = b.get(addr);
    if (!x || !y) {
      const has = (x ?? y)!;
      out.push(`${addr}: missing in ${x ? bn : an} (present in ${x ? an : bn}: nonce ${has.nonce}, balance ${has.balance}, code ${has.code.length} B, ${has.storage.size} slots)`);
      continue;
    }
    if (x.nonce !== y.nonce) out.push(`${addr} nonce: ${an} ${x.nonce}, ${bn} ${y.nonce}`);
    if (x.balance !== y.balance) out.push(`${addr} balance: ${an} ${x.balance}, ${bn} ${y.balance} (${an} - ${bn} = ${x.balance - y.balance})`);
    if (!bytesEqual(x.code, y.code)) out.push(`${addr} code: ${an} ${short(x.code)}, ${bn} ${short(y.code)}`);
    const ks = [...new Set([...x.storage.keys(), ...y.storage.keys()])].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0));
    for (const k of ks) {
      const v0 = x.storage.get(k) ?? 0n, v1 = y.storage.get(k) ?? 0n;
      if (v0 !== v1) out.push(`${addr} storage[${h(k)}]: ${an} ${h(v0)}, ${bn} ${h(v1)}`);
    }
  }
  return out;
}

const EMPTY_LOGS = logsHash([]);
const logsHashOf = (logs: Log[]): Uint8Array => (logs.length === 0 ? EMPTY_LOGS : logsHash(logs));

export async function main(argv = process.argv.slice(2)): Promise<number> {
  let file: string | undefined;
  let forkLabel = 'Cancun';
  let caseFilter: string | undefined;
  let testFilter: string | undefined;
  let trace = false, all = false, quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--fork') forkLabel = argv[++i];
    else if (a === '--case') caseFilter = argv[++i];
    else if (a === '--test') testFilter = argv[++i];
    else if (a === '--trace') trace = true;
    else if (a === '--all') all = true;
    else if (a === '--quiet' || a === '-q') quiet = true;
    else if (a.startsWith('-')) { console.error(`unknown option ${a}`); return 2; }
    else file = resolve(a);
  }
  if (!file) {
    console.error('usage: state-diff <test file> [--fork Cancun] [--case d0g0v0] [--test NAME] [--trace] [--all] [--quiet]');
    return 2;
  }
  const fork = forkFromName(forkLabel);
  const rel = file.includes('GeneralStateTests/') ? file.slice(file.indexOf('GeneralStateTests/') + 18) : relative(process.cwd(), file);
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
  let n = 0, parevmOk = 0, ejsOk = 0, agree = 0;
  for (const [name, test] of Object.entries(json)) {
    if (testFilter && !name.includes(testFilter)) continue;
    const cases = test?.post?.[forkLabel];
    if (!Array.isArray(cases)) continue;
    const pre = parseState(test.pre, { file: rel, caseName: name });
    const preRoot = worldStateRoot(pre);
    for (const c of cases) {
      const idx = c.indexes ?? {};
      const cid = `d${idx.data}g${idx.gas}v${idx.value}`;
      if (caseFilter && !`${name}::${cid}`.includes(caseFilter)) continue;
      n++;
      const expectHash = hexToBytes(c.hash, 'post.hash', { length: 32 });
      const expectLogs = hexToBytes(c.logs, 'post.logs', { length: 32 });
      const expectException: string | undefined = c.expectException;

      let p: EngineRun;
      try { p = runParevm(test, c, pre, fork); } catch (e) {
        p = { valid: false, error: `engine threw: ${(e as Error).message}`, status: 'threw', post: pre, logs: [], gasUsed: 0n };
      }
      let r: ReferenceResult;
      try { r = await runReferenceCase(test, forkLabel, c, { trace }); } catch (e) {
        r = { valid: false, error: `ethereumjs threw: ${(e as Error).message}`, post: pre, logs: [], gasUsed: 0n };
      }

      // A rejected transaction leaves the pre-state (ethereumjs would also touch the coinbase; never empty here).
      const pRoot = p.valid ? worldStateRoot(p.post) : preRoot;
      const rRoot = r.valid ? worldStateRoot(r.post) : preRoot;
      const pLogs = logsHashOf(p.logs);
      const rLogs = logsHashOf(r.logs as Log[]);
      const verdict = (valid: boolean, root: Uint8Array, logs: Uint8Array): { ok: boolean; text: string } => {
        if (expectException) {
          const ok = !valid && bytesEqual(root, expectHash);
          return { ok, text: valid ? `ACCEPTED, expected ${expectException}` : 'rejected as expected' };
        }
        if (!valid) return { ok: false, text: 'REJECTED, expected valid' };
        const rootOk = bytesEqual(root, expectHash), logsOk = bytesEqual(logs, expectLogs);
        return { ok: rootOk && logsOk, text: `root ${rootOk ? 'matches' : 'DIFFERS'}, logs ${logsOk ? 'match' : 'DIFFER'}` };
      };
      const pv = verdict(p.valid, pRoot, pLogs), rv = verdict(r.valid, rRoot, rLogs);
      if (pv.ok) parevmOk++;
      if (rv.ok) ejsOk++;
      const diffs = p.valid && r.valid ? stateDiffs(p.post, r.post) : [];
      const same = p.valid === r.valid && diffs.length === 0 && bytesEqual(pLogs, rLogs) && p.gasUsed === r.gasUsed;
      if (same) agree++;
      const selfCheck = r.valid && r.stateRoot && !bytesEqual(r.stateRoot, rRoot)
        ? `  WARNING: ethereumjs trie root ${bytesToHex(r.stateRoot)} != root of the read-back post-state (tool gap: read-back incomplete)` : '';

      const head = `${rel} :: ${name} :: ${forkLabel} :: ${cid}`;
      if (quiet && pv.ok && rv.ok && same && !trace) { console.log(`ok   ${head}`); continue; }
      console.log(`${pv.ok && rv.ok && same ? 'ok  ' : 'DIFF'} ${head}`);
      console.log(`  expected     root ${c.hash}  logs ${c.logs}${expectException ? `  expectException ${expectException}` : ''}`);
      const line = (who: string, v: { ok: boolean; text: string }, valid: boolean, root: Uint8Array, logs: Uint8Array, gas: bigint, status: string, nlogs: number): void => {
        console.log(`  ${who.padEnd(11)} ${v.ok ? 'PASS' : 'FAIL'} (${v.text})  root ${bytesToHex(root)}`);
        console.log(`  ${''.padEnd(11)} ${valid ? `valid, ${status}, gasUsed ${gas}, ${nlogs} logs, logs hash ${bytesToHex(logs)}` : `rejected: ${status}`}`);
      };
      line('parevm', pv, p.valid, pRoot, pLogs, p.gasUsed, p.valid ? (p.error ? `failed (${p.status})` : `success (${p.status})`) : (p.error ?? p.status), p.logs.length);
      line('ethereumjs', rv, r.valid, rRoot, rLogs, r.gasUsed, r.valid ? (r.error ? `failed (${r.error})` : 'success') : (r.error ?? 'rejected'), r.logs.length);
      if (selfCheck) console.log(selfCheck);
      if (p.valid !== r.valid) console.log(`  divergence: parevm ${p.valid ? 'accepted' : 'rejected'} the transaction, ethereumjs ${r.valid ? 'accepted' : 'rejected'} it`);
      else if (p.valid) {
        if (p.gasUsed !== r.gasUsed) console.log(`  gasUsed: parevm ${p.gasUsed}, ethereumjs ${r.gasUsed} (parevm - ethereumjs = ${p.gasUsed - r.gasUsed})`);
        if (diffs.length === 0) console.log(`  post-states identical${bytesEqual(pLogs, rLogs) ? '' : ' (logs differ)'}`);
        else {
          console.log(`  first divergence: ${diffs[0]}`);
          if (all) for (const d of diffs.slice(1)) console.log(`                    ${d}`);
          else if (diffs.length > 1) console.log(`  (${diffs.length} differences in total; --all lists them)`);
        }
        if (!bytesEqual(pLogs, rLogs)) {
          const m = Math.max(p.logs.length, r.logs.length);
          for (let i = 0; i < m; i++) {
            const a = p.logs[i], b = r.logs[i];
            const fmt = (l?: { address: Uint8Array; topics: Uint8Array[]; data: Uint8Array }): string =>
              l ? `${bytesToHex(l.address)} topics [${l.topics.map(bytesToHex).join(', ')}] data ${short(l.data)}` : '(none)';
            if (!a || !b || fmt(a) !== fmt(b)) { console.log(`  first log divergence at #${i}: parevm ${fmt(a)}; ethereumjs ${fmt(b)}`); break; }
          }
        }
      }
      if (trace && r.trace) {
        console.log(`  ethereumjs trace (${r.trace.length} steps):`);
        for (const t of r.trace) console.log(`    ${t}`);
      }
    }
  }
  console.log(`${n} cases: parevm ${parevmOk} pass, ethereumjs ${ejsOk} pass, ${agree} identical (post-state, logs, gas)`);
  return n > 0 && parevmOk === n ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) process.exitCode = await main();
