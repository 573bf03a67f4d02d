// EIP-3855 PUSH0 (0x5f, Shanghai): pushes the constant 0, costs G_base = 2. Before Shanghai 0x5f is an
// undefined opcode: exceptional halt, all gas of the frame consumed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fork } from '../src/forks.js';
import { runCode, measure, sload, CONTRACT, type RunResult } from './helpers/evm.js';

const S = (r: RunResult, k: number) => sload(r.post, CONTRACT, BigInt(k));

test('PUSH0 costs 2 and pushes 0', () => {
  const r = runCode(`
    ${measure('PUSH0 POP', 1)}              ; PUSH0 2 + POP 2
    ${measure('PUSH0 PUSH0 PUSH0 POP POP POP', 2)}  ; 3 * 2 + 3 * 2
    PUSH0 ISZERO PUSH1 3 SSTORE             ; ISZERO(0) = 1
    PUSH1 0xff PUSH0 PUSH0 SUB PUSH1 4 SSTORE  ; 0 - 0 = 0: slot 4 stays empty
    PUSH0 NOT PUSH1 5 SSTORE                ; NOT 0 = 2^256 - 1
    STOP`);
  assert.ok(r.success, r.statusName);
  assert.equal([S(r, 1), S(r, 2), S(r, 3), S(r, 4), S(r, 5)], [4n, 12n, 1n, 0n, (1n << 256n) - 1n]);
});

test('PUSH0 total gas: 21000 + 2', () => {
  assert.is(runCode('PUSH0 STOP').gasUsed, 21002n);
  // the same with PUSH1 0 costs 3
  assert.is(runCode('PUSH1 0 STOP').gasUsed, 21003n);
});

test('PUSH0 fills the stack to 1024 and overflows at 1025', () => {
  const ok = runCode('PUSH0 '.repeat(1024) + 'STOP');
  assert.ok(ok.success, ok.statusName);
  assert.is(ok.gasUsed, 21000n + 2n * 1024n);
  const over = runCode('PUSH0 '.repeat(1025) + 'STOP', { gasLimit: 100_000n });
  assert.is(over.statusName, 'STACK_OVERFLOW');
  assert.is(over.gasUsed, 100_000n);
});

test('PUSH0 exists from Shanghai on', () => {
  for (const fork of [Fork.Shanghai, Fork.Cancun, Fork.Prague]) {
    const r = runCode('PUSH0 ISZERO PUSH0 SSTORE STOP', {}, { fork });
    assert.ok(r.success, `${Fork[fork]}: ${r.statusName}`);
    // 21000 + 2 + 3 + 2 + cold set 22100
    assert.is(r.gasUsed, 43107n, Fork[fork]);
    assert.is(S(r, 0), 1n);
  }
});

test('before Shanghai 0x5f is an invalid opcode that consumes all gas', () => {
  for (const fork of [Fork.London, Fork.Paris]) {
    const r = runCode('PUSH0 STOP', { gasLimit: 50_000n }, { fork });
    assert.is(r.statusName, 'INVALID_OPCODE', Fork[fork]);
    assert.ok(r.valid && !r.success);
    assert.is(r.gasUsed, 50_000n, Fork[fork]);
  }
});

test.run();
