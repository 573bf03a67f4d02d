// SSTORE net gas metering: EIP-2200 as amended by EIP-2929 (Berlin) and EIP-3529 (London: lower clear refund,
// refund cap gasUsed / 5). Constants from the EIPs:
//   SLOAD_GAS = WARM_STORAGE_READ_COST = 100, COLD_SLOAD_COST = 2100 (added when the slot is cold),
//   SSTORE_SET_GAS = 20000, SSTORE_RESET_GAS = 5000 - COLD_SLOAD_COST = 2900,
//   SSTORE_CLEARS_SCHEDULE = SSTORE_RESET_GAS + ACCESS_LIST_STORAGE_KEY_COST = 2900 + 1900 = 4800,
//   refund = min(refund counter, gasUsed / 5) with gasUsed the gas used before refunds (EIP-3529).
// EIP-2200 rules (original = value at tx start, current = value now, new = value written):
//   gasleft <= 2300 -> out of gas (sentry); current == new -> 100;
//   original == current: original == 0 -> 20000, else 2900 (+4800 refund if new == 0);
//   dirty (original != current) -> 100, and: if original != 0 { current == 0 -> refund -4800; new == 0 ->
//   refund +4800 }; if original == new { original == 0 -> refund +19900 (20000 - 100) else +2800 (2900 - 100) }.
// Every code below starts its SSTOREs from a cold slot unless noted (so +2100 on the first access).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fork } from '../src/forks.js';
import { runCode, runTx, makeState, measure, sload, CONTRACT, type RunResult } from './helpers/evm.js';

const S = (k: number, r: RunResult) => sload(r.post, CONTRACT, BigInt(k));

test('set 0 -> 1 (cold): 20000 + 2100; no refund', () => {
  // 21000 + PUSH1 3 + PUSH1 3 + SSTORE 22100 = 43106
  const r = runCode('PUSH1 1 PUSH1 0 SSTORE STOP');
  assert.is(r.gasUsed, 43106n);
  assert.is(S(0, r), 1n);
});

test('no-op 1 -> 1 (cold): 2100 + 100', () => {
  // 21000 + 6 + 2200 = 23206
  const noop = runWith({ 0: 1n }, 'PUSH1 1 PUSH1 0 SSTORE STOP');
  assert.is(noop.gasUsed, 23206n);
  assert.is(S(0, noop), 1n);
});

test('reset 1 -> 2 (cold): 2100 + 2900 = 5000; clear 1 -> 0 refunds 4800', () => {
  // reset: 21000 + 6 + 5000 = 26006
  const reset = runWith({ 0: 1n }, 'PUSH1 2 PUSH1 0 SSTORE STOP');
  assert.is(reset.gasUsed, 26006n);
  assert.is(S(0, reset), 2n);
  const clear = runWith({ 0: 1n }, 'PUSH0 PUSH1 0 SSTORE STOP');
  // clear: PUSH0 2 + PUSH1 3 + 5000 -> 26005 before refund; cap 26005 / 5 = 5201 >= 4800 -> 21205
  assert.is(clear.gasUsed, 21205n);
  assert.is(S(0, clear), 0n);
});

test('measured SSTORE costs: cold/warm set, reset, no-op, dirty', () => {
  const r = runWith({ 1: 1n, 2: 1n }, `
    ${measure('PUSH1 7 PUSH1 0 SSTORE', 10)}   ; 0 -> 7 cold set: 3 + 3 + 22100
    ${measure('PUSH1 8 PUSH1 0 SSTORE', 11)}   ; 7 -> 8 dirty (original 0): 3 + 3 + 100
    ${measure('PUSH1 5 PUSH1 1 SSTORE', 12)}   ; 1 -> 5 cold reset: 3 + 3 + 2100 + 2900
    ${measure('PUSH1 5 PUSH1 1 SSTORE', 13)}   ; 5 -> 5 no-op, warm: 3 + 3 + 100
    ${measure('PUSH1 2 SLOAD POP', 14)}        ; warm slot 2 by reading: 3 + 2100 + 2
    ${measure('PUSH1 9 PUSH1 2 SSTORE', 15)}   ; 1 -> 9 warm reset: 3 + 3 + 2900
    STOP`);
  assert.ok(r.success, r.statusName);
  const got = [10, 11, 12, 13, 14, 15].map((k) => S(k, r));
  assert.equal(got, [22106n, 106n, 5006n, 106n, 2105n, 2906n]);
  assert.equal([S(0, r), S(1, r), S(2, r)], [8n, 5n, 9n]);
});

test('refund cap gasUsed / 5: 0 -> 1 -> 0 in one transaction', () => {
  // first SSTORE: cold set 22100; second: dirty 100, original == new == 0 -> refund 19900.
  // gas before refund: 21000 + (3 + 3 + 22100) + (2 + 3 + 100) = 43211; cap 43211 / 5 = 8642 (floor)
  // refund min(19900, 8642) = 8642 -> 43211 - 8642 = 34569
  const r = runCode('PUSH1 1 PUSH1 0 SSTORE PUSH0 PUSH1 0 SSTORE STOP');
  assert.is(r.gasUsed, 34569n);
  assert.is(S(0, r), 0n);
});

test('refund cap with many clears', () => {
  // 10 slots (1..10) holding 1, each cleared: PUSH0 2 + PUSH1 3 + SSTORE (cold 2100 + 2900) = 5005 each.
  // before refund: 21000 + 10 * 5005 = 71050; refund 10 * 4800 = 48000 > cap 71050 / 5 = 14210 -> 56840
  const storage: Record<number, bigint> = {};
  let code = '';
  for (let k = 1; k <= 10; k++) { storage[k] = 1n; code += ` PUSH0 PUSH1 ${k} SSTORE`; }
  const r = runWith(storage, code + ' STOP');
  assert.is(r.gasUsed, 56840n);
  for (let k = 1; k <= 10; k++) assert.is(S(k, r), 0n);
});

test('dirty paths: 1 -> 0 -> 1 nets a 2800 refund; 1 -> 2 -> 0 nets 4800', () => {
  // 1 -> 0: cold 2100 + 2900, refund +4800. 0 -> 1: dirty 100, original != 0 and current == 0 -> -4800;
  // original == new (1) -> +2800. Net refund 2800.
  // gas before refund: 21000 + (2 + 3 + 5000) + (3 + 3 + 100) = 26111; cap 5222 -> 26111 - 2800 = 23311
  const a = runWith({ 0: 1n }, 'PUSH0 PUSH1 0 SSTORE PUSH1 1 PUSH1 0 SSTORE STOP');
  assert.is(a.gasUsed, 23311n);
  assert.is(S(0, a), 1n);
  // 1 -> 2: cold reset 5000; 2 -> 0: dirty 100, original != 0, new == 0 -> +4800.
  // before refund: 21000 + (3 + 3 + 5000) + (2 + 3 + 100) = 26111; refund 4800 (cap 5222) -> 21311
  const b = runWith({ 0: 1n }, 'PUSH1 2 PUSH1 0 SSTORE PUSH0 PUSH1 0 SSTORE STOP');
  assert.is(b.gasUsed, 21311n);
  assert.is(S(0, b), 0n);
});

test('restore an originally non-zero slot: 1 -> 2 -> 1 refunds 2800', () => {
  // cold reset 5000, then dirty 100 with original == new != 0 -> +2800.
  // 21000 + (3 + 3 + 5000) + (3 + 3 + 100) = 26112; cap 5222 -> 26112 - 2800 = 23312
  const r = runWith({ 0: 1n }, 'PUSH1 2 PUSH1 0 SSTORE PUSH1 1 PUSH1 0 SSTORE STOP');
  assert.is(r.gasUsed, 23312n);
  assert.is(S(0, r), 1n);
});

test('EIP-2200 sentry: SSTORE with gasleft <= 2300 is out of gas', () => {
  // a cold no-op (1 -> 1) costs 2200 <= 2300, so only the sentry can make it fail.
  // gas at SSTORE = gasLimit - 21000 - 6. gasLimit 23306 -> 2300 left -> OOG (all gas used);
  const fail = runWith({ 0: 1n }, 'PUSH1 1 PUSH1 0 SSTORE STOP', 23306n);
  assert.not.ok(fail.success);
  assert.is(fail.statusName, 'OUT_OF_GAS');
  assert.is(fail.gasUsed, 23306n);
  // gasLimit 23307 -> 2301 left -> passes, uses 21000 + 6 + 2200 = 23206
  const ok = runWith({ 0: 1n }, 'PUSH1 1 PUSH1 0 SSTORE STOP', 23307n);
  assert.ok(ok.success, ok.statusName);
  assert.is(ok.gasUsed, 23206n);
});

test('before London (Berlin): clear refund is 15000 and the cap is gasUsed / 2', () => {
  // EIP-2200 with EIP-2929: SSTORE_CLEARS_SCHEDULE 15000; EIP-3529 not active so the cap is gasUsed / 2.
  // (no PUSH0 before Shanghai) 1 -> 0: 21000 + 3 + 3 + 5000 = 26006; refund min(15000, 13003) -> 13003
  const b = runWith({ 0: 1n }, 'PUSH1 0 PUSH1 0 SSTORE STOP', 100000n, Fork.Berlin);
  assert.ok(b.success, b.statusName);
  assert.is(b.gasUsed, 13003n);
});

function runWith(storage: Record<number, bigint>, code: string, gasLimit = 1_000_000n, fork = Fork.Cancun): RunResult {
  return runTx(makeState([[CONTRACT, { code, storage }]]), { gasLimit }, { fork });
}

test.run();
