// Helpers shared by the benchmark suites: command-line options, medians, the machine description, peak memory.
import os from 'node:os';
import { secpBackend } from '../src/secp.js';

/** Value of `--name V` in argv (undefined when absent). */
export function opt(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

/** `--name N` as a positive number (dflt when absent). */
export function numOpt(argv: string[], name: string, dflt: number): number {
  const v = opt(argv, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: expected a positive number, got ${v}`);
  return n;
}

/** `--name X` as a share in [0, 1] (dflt when absent). */
export function shareOpt(argv: string[], name: string, dflt: number): number {
  const v = opt(argv, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new Error(`${name}: expected a share in [0, 1], got ${v}`);
  return n;
}

/** The median (mean of the two middle values for an even count); NaN for none. */
export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** CPU, cores, memory, OS, Node and V8 versions and the load average now. */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, availableParallelism: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`, loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
    // which libsecp256k1 build recovers keys (ECRECOVER and senders: ~5x apart, src/secp.ts)
    secp256k1: secpBackend === 'native' ? 'native libsecp256k1' : 'tiny-secp256k1 (WebAssembly)',
  };
}
export type MachineInfo = ReturnType<typeof machineInfo>;

/** Taken when the module loads, i.e. before any suite runs (the load average is the one at the start). */
export const START_MACHINE = machineInfo();

/** One line describing the machine (as at the start of the run). */
export function machineLine(m: MachineInfo = START_MACHINE): string {
  return `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}, secp256k1 ${m.secp256k1} (load average at start ${m.loadavg.join(' ')})`;
}

/**
 * The process's peak resident set size so far in MB (process.resourceUsage().maxRSS, a high-water mark: it
 * covers the worker threads, which share the process, and never goes down).
 */
export function peakRssMB(): number { return process.resourceUsage().maxRSS / 1024; }

/** A number with thousands separators and d decimals. */
export function fmt(x: number, d = 0): string {
  if (!Number.isFinite(x)) return '-';
  return x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}


