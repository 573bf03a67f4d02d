// Interpreter micro-benchmarks through the Engine: each case is one transaction into a contract that loops
// N times inside the EVM. Reports, per case, the median of 5 timed runs after a warm-up: ns per loop
// iteration, ns per executed opcode (iteration time / opcodes per iteration, loop overhead included) and Mgas/s.
//
//   node dist/bench/micro.js [--json FILE] [--scale X] [--runs N] [--only NAME]
//
// Target (issue): <= 5 ns per simple arithmetic opcode.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine, STATUS_NAMES } from '../src/engine/engine.js';
import { Fork } from '../src/forks.js';
import type { Tx } from '../src/tx.js';
import { makeState, addr, CONTRACT, SENDER, COINBASE } from '../test/helpers/evm.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { recoverAddress } from '../src/secp.js';
import { worldStateRoot, type WorldState } from '../src/state.js';
import { bn254 } from '@noble/curves/bn254.js';
import { initBn254, bn254Backend, bn254Pairing, forceNobleBn254 } from '../src/precompiles/bn254.js';

const CALLEE = addr(0xca11ee);

/** The loop: counter on top of the stack, counts down to 0. 7 opcodes, 26 gas per iteration:
 *  JUMPDEST 1, PUSH1 3, SWAP1 3, SUB 3, DUP1 3, PUSH2 3, JUMPI 10. */
const LOOP_OPS = 7;
const LOOP_GAS = 26;
function loop(n: number, body: string, setup = '', teardown = 'POP'): string {
  return `${setup} PUSH4 ${n} top: ${body} PUSH1 1 SWAP1 SUB DUP1 @top JUMPI ${teardown} STOP`;
}

interface Case {
  name: string;
  /** Opcodes executed per iteration (body + loop), including a callee's. */
  ops: number;
  /** Gas per iteration by the schedule (for a sanity check of gasUsed). */
  gas: number;
  /** Iterations for --scale 1 (about 0.2-0.4 s per run on a server core; gas stays below the 1e9 limit). */
  n: number;
  code: (n: number) => string;
  /** Extra accounts. */
  extra?: [Uint8Array, { code: string }][];
}

const rep = (s: string, k: number) => Array(k).fill(s).join(' ');

const CASES: Case[] = [
  {
    // PUSH1 0 POP inside the bare loop: what every other case pays on top of its body.
    name: 'baseline PUSH/POP/JUMP loop',
    ops: 2 + LOOP_OPS, gas: 3 + 2 + LOOP_GAS, n: 6_000_000,
    code: (n) => loop(n, 'PUSH1 0 POP'),
  },
  {
    // accumulator under the counter: SWAP1, 16 x (PUSH1 3 ADD), SWAP1
    name: 'ADD (16 per iteration)',
    ops: 2 + 32 + LOOP_OPS, gas: 6 + 16 * 6 + LOOP_GAS, n: 1_500_000,
    code: (n) => loop(n, `SWAP1 ${rep('PUSH1 3 ADD', 16)} SWAP1`, 'PUSH1 1', 'POP POP'),
  },
  {
    name: 'MUL (16 per iteration)',
    ops: 2 + 32 + LOOP_OPS, gas: 6 + 16 * (3 + 5) + LOOP_GAS, n: 1_000_000,
    code: (n) => loop(n, `SWAP1 ${rep('PUSH1 3 MUL', 16)} SWAP1`, 'PUSH1 1', 'POP POP'),
  },
  {
    // store the counter into slot 0 (warm and dirty after the first iteration: 100) and read it back (100).
    // Every SSTORE adds a 48-byte journal entry in the arena, so N is kept at 1M (the default 200 MiB arena
    // runs out near 1M; the bench engine gets 512 MiB).
    name: 'SSTORE+SLOAD warm slot',
    ops: 6 + LOOP_OPS, gas: 3 + 2 + 100 + 2 + 100 + 2 + LOOP_GAS, n: 1_000_000,
    code: (n) => loop(n, 'DUP1 PUSH0 SSTORE PUSH0 SLOAD POP', 'PUSH0 SLOAD POP'),
  },
  {
    // KECCAK256 of memory[0..64] (memory expanded before the loop): 30 + 6 * 2 words
    name: 'KECCAK256 64 bytes',
    ops: 4 + LOOP_OPS, gas: 3 + 2 + 42 + 2 + LOOP_GAS, n: 600_000,
    code: (n) => loop(n, 'PUSH1 64 PUSH0 KECCAK256 POP', 'PUSH1 1 PUSH1 32 MSTORE'),
  },
  {
    // CALL (no value, warm after the first) to a contract whose code is STOP
    name: 'CALL to an empty-returning contract',
    ops: 10 + 1 + LOOP_OPS, gas: 5 * 2 + 3 + 2 + 100 + 2 + LOOP_GAS, n: 1_500_000,
    code: (n) => loop(n, 'PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 PUSH3 0xca11ee GAS CALL POP'),
    extra: [[CALLEE, { code: 'STOP' }]],
  },
];

interface Result {
  name: string;
  iterations: number;
  opsPerIteration: number;
  gasUsed: number;
  medianMs: number;
  nsPerIteration: number;
  nsPerOp: number;
  /** (ns/iter - baseline ns/iter) / (ops/iter - baseline ops/iter): the marginal cost of the body's extra ops. */
  nsPerOpOverBaseline?: number;
  mgasPerSec: number;
  runsMs: number[];
}

const GAS_LIMIT = 1_000_000_000n;

/** Host-side micro-benchmarks: `setup(n)` prepares n iterations and returns the timed body. */
function hostCases(): { name: string; n: number; setup: (n: number) => () => void }[] {
  return [
    {
      name: 'sender recovery (tiny-secp256k1, one signature per iteration)',
      n: 400,
      setup: (n) => {
        const sigs = Array.from({ length: n }, (_, i) => {
          const key = keccak_256(new TextEncoder().encode(`micro key ${i}`));
          const hash = keccak_256(new TextEncoder().encode(`micro message ${i}`));
          const sig = secp256k1.Signature.fromBytes(secp256k1.sign(hash, key, { prehash: false, format: 'recovered' }), 'recovered');
          return { hash, r: sig.r, s: sig.s, v: sig.recovery! };
        });
        return () => { for (const x of sigs) if (!recoverAddress(x.hash, x.r, x.s, x.v)) throw new Error('recovery failed'); };
      },
    },
    ...(['mcl', 'noble'] as const).map((lib) => ({
      name: `bn254 pairing, 2 pairs with the G2 subgroup checks (${lib}${lib === 'mcl' && bn254Backend() !== 'mcl' ? ': not loaded, noble ran' : ''})`,
      n: 10,
      setup: (n: number) => {
        const be = (v: bigint) => { const o = new Uint8Array(32); for (let i = 31; i >= 0; i--) { o[i] = Number(v & 0xffn); v >>= 8n; } return o; };
        const G1 = bn254.G1.Point, G2 = bn254.G2.Point;
        const p = G1.BASE.multiply(123456789n).toAffine(), q = G2.BASE.multiply(987654321n).toAffine();
        const g1 = (y: bigint) => [be(p.x), be(y)];
        const g2 = [be(q.x.c1), be(q.x.c0), be(q.y.c1), be(q.y.c0)];
        const parts = [...g1(p.y), ...g2, ...g1(bn254.fields.Fp.neg(p.y)), ...g2]; // e(P, Q) * e(-P, Q) = 1
        const input = new Uint8Array(384);
        parts.forEach((b, i) => input.set(b, 32 * i));
        return () => {
          forceNobleBn254(lib === 'noble');
          try {
            for (let i = 0; i < n; i++) if (bn254Pairing(input, 0, 384) !== true) throw new Error('pairing check failed');
          } finally { forceNobleBn254(false); }
        };
      },
    })),
    {
      name: 'state root (one account with 4 slots per iteration)',
      n: 5000,
      setup: (n) => {
        const state: WorldState = new Map();
        for (let i = 0; i < n; i++) {
          const addr = '0x' + (i + 1).toString(16).padStart(40, '0');
          state.set(addr, { nonce: BigInt(i), balance: BigInt(i) * 10n ** 18n, code: new Uint8Array(0), storage: new Map([[1n, 2n], [3n, 4n], [5n, BigInt(i)], [7n, 8n]]) });
        }
        return () => { worldStateRoot(state); };
      },
    },
  ];
}

function runOnce(e: Engine, c: Case, n: number): { ms: number; gasUsed: bigint } {
  const pre = makeState([[CONTRACT, { code: c.code(n) }], ...(c.extra ?? [])]);
  e.loadState(pre);
  e.beginBlock({
    fork: Fork.Cancun, chainId: 1n, coinbase: COINBASE, number: 1n, timestamp: 1000n,
    gasLimit: GAS_LIMIT, baseFee: 0n, prevRandao: 0n, blobBaseFee: 1n,
  });
  e.setBlockGasUsed(0n, 0n);
  const tx: Tx = {
    type: 0, chainId: 1n, nonce: 0n, gasPrice: 0n, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n,
    gasLimit: GAS_LIMIT, to: CONTRACT, value: 0n, data: new Uint8Array(0), accessList: [],
    v: 0n, r: 0n, s: 0n, yParity: 0,
  };
  const end = e.writeTx(e.inputBase, { tx, sender: SENDER, intrinsicGas: 21000n });
  const t0 = process.hrtime.bigint();
  const r = e.runTx(e.inputBase, end);
  const t1 = process.hrtime.bigint();
  if (!r.success) throw new Error(`${c.name}: ${STATUS_NAMES[r.status] ?? r.status} after ${r.gasUsed} gas`);
  const minGas = BigInt(n) * BigInt(c.gas);
  if (r.gasUsed < minGas || r.gasUsed > minGas + 100_000n) {
    throw new Error(`${c.name}: gasUsed ${r.gasUsed} is not ~ ${n} x ${c.gas} (+ setup): the loop did not run as intended`);
  }
  return { ms: Number(t1 - t0) / 1e6, gasUsed: r.gasUsed };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };

export function runMicro(opts: { scale?: number; runs?: number; only?: string; log?: (s: string) => void } = {}): Result[] {
  const scale = opts.scale ?? 1;
  const runs = opts.runs ?? 5;
  const log = opts.log ?? (() => {});
  const e = new Engine({ accounts: 1 << 10, slots: 1 << 12, codes: 1 << 8, codeHeapBytes: 1 << 22, inputBytes: 1 << 22, arenaBytes: 512 << 20 });
  const out: Result[] = [];
  for (const c of CASES) {
    if (opts.only && !c.name.toLowerCase().includes(opts.only.toLowerCase())) continue;
    const n = Math.max(1, Math.round(c.n * scale));
    runOnce(e, c, Math.max(1, n >> 2)); // warm-up (tier-up of the wasm code, page faults in the regions)
    runOnce(e, c, n);
    const times: number[] = [];
    let gasUsed = 0n;
    for (let i = 0; i < runs; i++) {
      const r = runOnce(e, c, n);
      times.push(r.ms);
      gasUsed = r.gasUsed;
    }
    const ms = median(times);
    const nsIter = (ms * 1e6) / n;
    const res: Result = {
      name: c.name, iterations: n, opsPerIteration: c.ops, gasUsed: Number(gasUsed), medianMs: ms,
      nsPerIteration: nsIter, nsPerOp: nsIter / c.ops, mgasPerSec: Number(gasUsed) / (ms * 1e3), runsMs: times,
    };
    log(`${c.name}: ${ms.toFixed(1)} ms`);
    out.push(res);
  }
  // host-side work of a block: sender recovery and the state root
  for (const h of hostCases()) {
    if (opts.only && !h.name.toLowerCase().includes(opts.only.toLowerCase())) continue;
    const n = Math.max(1, Math.round(h.n * scale));
    const body = h.setup(n);
    body();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      body();
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const ms = median(times);
    const nsIter = (ms * 1e6) / n;
    out.push({ name: h.name, iterations: n, opsPerIteration: 1, gasUsed: 0, medianMs: ms, nsPerIteration: nsIter, nsPerOp: nsIter, mgasPerSec: 0, runsMs: times });
    log(`${h.name}: ${ms.toFixed(1)} ms`);
  }
  const base = out.find((r) => r.name.startsWith('baseline'));
  if (base) {
    for (const r of out) {
      if (r !== base && r.gasUsed > 0) r.nsPerOpOverBaseline = (r.nsPerIteration - base.nsPerIteration) / (r.opsPerIteration - base.opsPerIteration);
    }
  }
  return out;
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, node: process.version, platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

export function markdown(results: Result[]): string {
  const m = machineInfo();
  const lines = [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.platform}, Node ${m.node}`,
    '',
    '| benchmark | iterations | ops/iter | ns/iter | ns/op | ns/op over baseline | Mgas/s |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    lines.push(`| ${r.name} | ${r.iterations} | ${r.opsPerIteration} | ${r.nsPerIteration.toFixed(1)} | ${r.nsPerOp.toFixed(2)} | ${r.nsPerOpOverBaseline === undefined ? '-' : r.nsPerOpOverBaseline.toFixed(2)} | ${r.mgasPerSec.toFixed(0)} |`);
  }
  lines.push(
    '',
    'Median of 5 timed runs after a warm-up, one transaction each (gas limit 1e9). ns/op = ns/iter / opcodes per',
    'iteration (loop overhead included; a CALL counts the callee\'s STOP); "over baseline" = extra ns per extra',
    'opcode relative to the PUSH/POP/JUMP loop. Target: <= 5 ns per simple arithmetic opcode.',
  );
  return lines.join('\n');
}

async function main(argv = process.argv.slice(2)): Promise<void> {
  await initBn254(); // the bn254 case measures mcl against noble
  let json: string | undefined;
  let scale = 1;
  let runs = 5;
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') json = argv[++i];
    else if (argv[i] === '--scale') scale = Number(argv[++i]);
    else if (argv[i] === '--runs') runs = Number(argv[++i]);
    else if (argv[i] === '--only') only = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const results = runMicro({ scale, runs, only, log: (s) => console.error(s) });
  console.log(markdown(results));
  if (json) {
    writeFileSync(json, JSON.stringify({ machine: machineInfo(), date: new Date().toISOString(), results }, null, 2) + '\n');
    console.error(`wrote ${json}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) main();
