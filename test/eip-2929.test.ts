// EIP-2929 (gas cost increases for state access opcodes) and EIP-2930 (access lists), Berlin and later.
// Constants from the EIP: COLD_SLOAD_COST 2100, COLD_ACCOUNT_ACCESS_COST 2600, WARM_STORAGE_READ_COST 100.
// The tx sender, the tx target and the precompiles start warm; EIP-3651 (Shanghai) adds the coinbase.
// EIP-2930: an access list costs 2400 per address and 1900 per storage key, and pre-warms them.
//
// Costs are measured inside the EVM with `measure(code)`: GAS <code> GAS, difference minus the 2 the second
// GAS costs, stored in a slot. So a measured `PUSH k SLOAD POP` is PUSH 3 + SLOAD + POP 2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fork } from '../src/forks.js';
import { runCode, runTx, makeState, measure, sload, addr, Block, CONTRACT, SENDER, COINBASE, word, type RunResult } from './helpers/evm.js';

const OTHER = addr(0xbeef);
const CHILD = addr(0xc4117d);

function slots(r: RunResult, ...ks: number[]): bigint[] {
  return ks.map((k) => sload(r.post, CONTRACT, BigInt(k)));
}

test('SLOAD: cold 2100, then warm 100', () => {
  const r = runCode(`
    ${measure('PUSH1 5 SLOAD POP', 1)}
    ${measure('PUSH1 5 SLOAD POP', 2)}
    STOP`);
  assert.ok(r.success, r.statusName);
  // PUSH1 3 + SLOAD (cold 2100 | warm 100) + POP 2
  assert.equal(slots(r, 1, 2), [2105n, 105n]);
});

test('SLOAD: total gas of one cold read', () => {
  // 21000 + PUSH1 3 + SLOAD cold 2100 + POP 2 + STOP 0 = 23105
  const r = runCode('PUSH1 5 SLOAD POP STOP');
  assert.is(r.gasUsed, 23105n);
  // the same read twice: 21000 + (3 + 2100 + 2) + (3 + 100 + 2) = 23210
  assert.is(runCode('PUSH1 5 SLOAD POP PUSH1 5 SLOAD POP STOP').gasUsed, 23210n);
});

test('BALANCE: cold 2600, then warm 100; sender, self, precompile and coinbase start warm', () => {
  const r = runCode(`
    ${measure('PUSH2 0xbeef BALANCE POP', 1)}
    ${measure('PUSH2 0xbeef BALANCE POP', 2)}
    ${measure('PUSH2 0x5e4d BALANCE POP', 3)}
    ${measure('ADDRESS BALANCE POP', 4)}
    ${measure('PUSH1 0x01 BALANCE POP', 5)}
    ${measure('PUSH4 0xc014ba5e BALANCE POP', 6)}
    ${measure('PUSH2 0xbeee BALANCE POP', 7)}
    STOP`);
  assert.ok(r.success, r.statusName);
  // PUSH2 3 + 2600 + POP 2 | PUSH2 3 + 100 + POP 2 | sender warm 105 | ADDRESS 2 + 100 + 2 | precompile 0x01
  // warm 105 | coinbase warm (EIP-3651) 105 | another untouched address cold again 2605
  assert.equal(slots(r, 1, 2, 3, 4, 5, 6, 7), [2605n, 105n, 105n, 104n, 105n, 105n, 2605n]);
  assert.equal(SENDER.slice(18), Uint8Array.from([0x5e, 0x4d]));
  assert.equal(COINBASE.slice(16), Uint8Array.from([0xc0, 0x14, 0xba, 0x5e]));
});

test('coinbase is cold before Shanghai (EIP-3651 not active in London)', () => {
  const r = runCode(measure('PUSH4 0xc014ba5e BALANCE POP', 1) + ' STOP', {}, { fork: Fork.London });
  // PUSH4 3 + cold 2600 + POP 2
  assert.equal(slots(r, 1), [2605n]);
});

test('BALANCE: total gas, cold vs access-listed', () => {
  // 21000 + PUSH2 3 + BALANCE cold 2600 + POP 2 = 23605
  const code = 'PUSH2 0xbeef BALANCE POP STOP';
  const cold = runCode(code);
  assert.is(cold.gasUsed, 23605n);
  // access list [{0xbeef, []}]: intrinsic 21000 + 2400; then BALANCE warm: 3 + 100 + 2 -> 23505
  const listed = runCode(code, { accessList: [{ address: OTHER, storageKeys: [] }] });
  assert.is(listed.intrinsic, 23400n);
  assert.is(listed.gasUsed, 23505n);
});

test('access list pre-warms the listed address and only the listed (address, slot) pairs', () => {
  const r = runCode(`
    ${measure('PUSH2 0xbeef BALANCE POP', 1)}
    ${measure('PUSH1 7 SLOAD POP', 2)}
    ${measure('PUSH1 5 SLOAD POP', 3)}
    ${measure('PUSH2 0xbeef EXTCODESIZE POP', 4)}
    STOP`, {
    accessList: [
      { address: OTHER, storageKeys: [word(5n)] },
      { address: CONTRACT, storageKeys: [word(7n)] },
    ],
  });
  assert.ok(r.success, r.statusName);
  // intrinsic: 21000 + 2 * 2400 + 2 * 1900 = 29600
  assert.is(r.intrinsic, 29600n);
  // 0xbeef listed -> warm 105; (CONTRACT, 7) listed -> warm 105; slot 5 is listed under 0xbeef, not under
  // CONTRACT -> cold 2105; EXTCODESIZE of the warm 0xbeef -> 3 + 100 + 2
  assert.equal(slots(r, 1, 2, 3, 4), [105n, 105n, 2105n, 105n]);
});

test('one opcode warms the address for the others (EXTCODESIZE then BALANCE, EXTCODEHASH)', () => {
  const r = runCode(`
    ${measure('PUSH2 0xbeef EXTCODESIZE POP', 1)}
    ${measure('PUSH2 0xbeef BALANCE POP', 2)}
    ${measure('PUSH2 0xbeef EXTCODEHASH POP', 3)}
    ${measure('PUSH2 0xbef0 EXTCODEHASH POP', 4)}
    STOP`);
  // cold 2600 once per address: 2605, 105, 105, then a new address 2605
  assert.equal(slots(r, 1, 2, 3, 4), [2605n, 105n, 105n, 2605n]);
});

test('warmth gained in a reverted call frame is rolled back', () => {
  // CHILD touches 0xbeef (BALANCE) and a slot of its own, then REVERTs (or STOPs). The caller then measures
  // BALANCE(0xbeef): cold again (2605) after the revert, warm (105) after a successful child.
  const child = (end: string) => `PUSH2 0xbeef BALANCE POP ${end}`;
  const caller = `
    PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 PUSH3 0xc4117d GAS CALL PUSH1 9 SSTORE
    ${measure('PUSH2 0xbeef BALANCE POP', 1)}
    STOP`;
  const run = (end: string) => runTx(makeState([[CONTRACT, { code: caller }], [CHILD, { code: child(end) }]]));
  const reverted = run('PUSH0 PUSH0 REVERT');
  assert.ok(reverted.success, reverted.statusName);
  assert.equal(slots(reverted, 1, 9), [2605n, 0n]);
  const ok = run('STOP');
  assert.equal(slots(ok, 1, 9), [105n, 1n]);
});

test('CALL to a cold vs warm account: 2600 vs 100 for the access', () => {
  // CALL with no value to an existing code-less account: only the access cost (EIP-2929 replaces the 700
  // base) plus the callee's execution (none: no code) -> PUSH0 x5 (10) + PUSH2 3 + PUSH2 (gas) 3 + CALL + POP 2
  const r = runCode(`
    ${measure('PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 PUSH2 0xbeef PUSH2 0xffff CALL POP', 1)}
    ${measure('PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 PUSH2 0xbeef PUSH2 0xffff CALL POP', 2)}
    STOP`, {}, {}, [[OTHER, { balance: 1n }]]);
  assert.equal(slots(r, 1, 2), [18n + 2600n, 18n + 100n]);
});

test('SLOAD is cold per transaction: a second transaction in the block pays 2100 again', () => {
  const b = new Block(makeState([[CONTRACT, { code: `${measure('PUSH1 5 SLOAD POP', 1)} STOP` }]]));
  const r1 = b.run();
  assert.is(sload(r1.post, CONTRACT, 1n), 2105n);
  // 21000 + 2127 (see below) + SSTORE cold set 22100 = 45227
  assert.is(r1.gasUsed, 45227n);
  const r2 = b.run();
  assert.ok(r2.success);
  assert.is(sload(r2.post, CONTRACT, 1n), 2105n);
  // the second run's SSTORE of an equal value into slot 1 is a no-op on a cold slot: so its total is
  // 21000 + measured block (GAS 2 + 2105 + GAS 2 + SWAP1 3 + SUB 3 + PUSH1 3 + SWAP1 3 + SUB 3 + PUSH1 3)
  // + SSTORE (cold 2100 + no-op 100) = 21000 + 2127 + 2200 = 25327
  assert.is(r2.gasUsed, 25327n);
});

test.run();
