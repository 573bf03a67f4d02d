// Micro-benchmark of the u256 / keccak hot paths, timed inside wasm (the loops are exported by
// assembly/tests/u256.ts, so the JS<->wasm call cost is paid once per batch, not per op).
// Run: node scripts/build.mjs --no-dts && node dist/bench/u256-micro.js
import { loadTestWasm, heapBase } from '../test/helpers/wasm.js';

const w = loadTestWasm('u256');
const X = w.exports;
const base = (heapBase(w) + 63) & ~63;
const BUF = base;
X.setup(base + 4096, 1 << 16);

function put(ptr: number, v: bigint): void {
  const d = new DataView(w.memory.buffer);
  for (let i = 0; i < 4; i++) d.setBigUint64(ptr + 8 * i, (v >> BigInt(64 * i)) & 0xffffffffffffffffn, true);
}
const K1 = 0x8c7d6e5f4a3b2c1d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7fn;
const K2 = 0xf1e2d3c4b5a6978812345678fedcba9876543210aabbccddeeff001122334455n | 1n;
const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn; // secp256k1 field prime

function bench(name: string, fn: string, setup: () => void, n: number): void {
  setup();
  X[fn](Math.min(n, 10000), BUF); // warm up (tier-up)
  let best = Infinity;
  for (let rep = 0; rep < 5; rep++) {
    setup();
    const t0 = process.hrtime.bigint();
    X[fn](n, BUF);
    const dt = Number(process.hrtime.bigint() - t0);
    best = Math.min(best, dt / n);
  }
  console.log(`${name.padEnd(28)} ${best.toFixed(2).padStart(8)} ns/op`);
}

// layout: a at BUF, b at BUF+32, m at BUF+64, r at BUF+96
bench('add (256-bit)', 'benchAdd', () => { put(BUF + 32, K2); put(BUF + 96, K1); }, 20_000_000);
bench('mul (256 x 256)', 'benchMul', () => { put(BUF + 32, K2); put(BUF + 96, K1); }, 5_000_000);
bench('mul (64 x 64 fast path)', 'benchMul', () => { put(BUF + 32, 1n); put(BUF + 96, 0xfedcba9876543210n); }, 5_000_000);
bench('div (256 / 128)', 'benchDiv', () => { put(BUF, K1); put(BUF + 32, K2 >> 128n); }, 2_000_000);
bench('div (256 / 64)', 'benchDiv', () => { put(BUF, K1); put(BUF + 32, K2 >> 192n); }, 2_000_000);
bench('div (64 / 64)', 'benchDiv', () => { put(BUF, 0xfedcba9876543210n); put(BUF + 32, 12345n); }, 2_000_000);
bench('mulmod (secp256k1 p)', 'benchMulmod', () => { put(BUF, K1 % P); put(BUF + 64, P); put(BUF + 96, K2 % P); }, 1_000_000);
bench('keccak256 (64 bytes)', 'benchKeccak', () => {
  const u8 = w.u8();
  for (let i = 0; i < 64; i++) u8[BUF + i] = i;
}, 500_000);
