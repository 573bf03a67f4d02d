// EIP-1153 transient storage (Cancun): TLOAD (0x5c) and TSTORE (0x5d) cost a flat 100 (WARM_STORAGE_READ_COST),
// with no cold surcharge and no refunds. Transient storage is per contract address, is discarded at the end
// of every transaction, is reverted with a reverting call frame, and TSTORE in a static context fails.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fork } from '../src/forks.js';
import { runCode, runTx, makeState, measure, sload, Block, CONTRACT, type RunResult } from './helpers/evm.js';

const S = (r: RunResult, k: number) => sload(r.post, CONTRACT, BigInt(k));

test('TSTORE then TLOAD returns the value; each costs 100', () => {
  const r = runCode(`
    ${measure('PUSH1 0x42 PUSH1 1 TSTORE', 10)}   ; 3 + 3 + 100
    ${measure('PUSH1 1 TLOAD POP', 11)}            ; 3 + 100 + 2
    ${measure('PUSH1 2 TLOAD POP', 12)}            ; an unset key: still 100 (no cold cost)
    PUSH1 1 TLOAD PUSH1 1 SSTORE
    PUSH1 2 TLOAD PUSH2 0x100 ADD PUSH1 2 SSTORE   ; unset key reads 0 -> 0x100
    STOP`);
  assert.ok(r.success, r.statusName);
  assert.equal([S(r, 10), S(r, 11), S(r, 12)], [106n, 105n, 105n]);
  assert.equal([S(r, 1), S(r, 2)], [0x42n, 0x100n]);
});

test('total gas of TSTORE + TLOAD', () => {
  // 21000 + PUSH1 3 + PUSH1 3 + TSTORE 100 + PUSH1 3 + TLOAD 100 + POP 2 = 21211
  const r = runCode('PUSH1 0x42 PUSH1 1 TSTORE PUSH1 1 TLOAD POP STOP');
  assert.is(r.gasUsed, 21211n);
  // overwrite and clear cost the same flat 100 and refund nothing:
  // 21000 + (3 + 3 + 100) + (2 + 3 + 100) = 21211
  assert.is(runCode('PUSH1 0x42 PUSH1 1 TSTORE PUSH0 PUSH1 1 TSTORE STOP').gasUsed, 21211n);
});

test('transient storage is discarded at the end of the transaction', () => {
  // no calldata: TSTORE(1, 0x42) and persist TLOAD(1) into slot 1; with calldata: persist TLOAD(1) + 0x100
  // into slot 0 (0x100 marks that the write happened even when TLOAD reads zero)
  const code = `
    CALLDATASIZE @load JUMPI
    PUSH1 0x42 PUSH1 1 TSTORE
    PUSH1 1 TLOAD PUSH1 1 SSTORE
    STOP
    load:
    PUSH1 1 TLOAD PUSH2 0x100 ADD PUSH1 0 SSTORE
    STOP`;
  const b = new Block(makeState([[CONTRACT, { code }]]));
  const r1 = b.run();
  assert.ok(r1.success, r1.statusName);
  assert.is(S(r1, 1), 0x42n);
  const r2 = b.run({ data: Uint8Array.of(1) });
  assert.ok(r2.success, r2.statusName);
  assert.is(S(r2, 0), 0x100n, 'the next transaction of the block reads 0');
});

// Modes, chosen by the first calldata word: 0 = top-level driver; 1 = TSTORE(1, 0x22) then REVERT;
// 2 = TSTORE(2, 0x33) then STOP; 3 = TSTORE(1, 0x44) then run out of gas (INVALID).
const MODES = `
  PUSH0 CALLDATALOAD DUP1 PUSH1 1 EQ @m1 JUMPI
  DUP1 PUSH1 2 EQ @m2 JUMPI
  DUP1 PUSH1 3 EQ @m3 JUMPI
  @driver JUMP
  m1: PUSH1 0x22 PUSH1 1 TSTORE PUSH0 PUSH0 REVERT
  m2: PUSH1 0x33 PUSH1 2 TSTORE STOP
  m3: PUSH1 0x44 PUSH1 1 TSTORE INVALID
`;
/** CALL self with calldata word `mode` (mem[0..32]); leaves the success flag on the stack. */
const callSelf = (mode: number, op = 'CALL') =>
  `PUSH1 ${mode} PUSH0 MSTORE PUSH0 PUSH0 PUSH1 32 PUSH0 ${op === 'CALL' ? 'PUSH0 ' : ''}ADDRESS GAS ${op}`;

test('a reverted frame reverts its transient writes; a successful one keeps them', () => {
  const code = `${MODES}
    driver:
    PUSH1 0x11 PUSH1 1 TSTORE
    ${callSelf(1)} PUSH1 3 SSTORE       ; child writes 1 := 0x22 and reverts -> 0
    PUSH1 1 TLOAD PUSH1 1 SSTORE        ; still 0x11
    ${callSelf(2)} PUSH1 4 SSTORE       ; child writes 2 := 0x33 and stops -> 1
    PUSH1 2 TLOAD PUSH1 2 SSTORE        ; 0x33, written by the child (same address)
    ${callSelf(3)} PUSH1 5 SSTORE       ; child writes 1 := 0x44 and halts -> 0
    PUSH1 1 TLOAD PUSH1 6 SSTORE        ; still 0x11
    STOP`;
  // the halting child burns its 63/64 share; 10M leaves the driver enough for the SSTOREs after it
  const r = runCode(code, { gasLimit: 10_000_000n });
  assert.ok(r.success, r.statusName);
  assert.equal([S(r, 1), S(r, 2), S(r, 3), S(r, 4), S(r, 5), S(r, 6)], [0x11n, 0x33n, 0n, 1n, 0n, 0x11n]);
});

test('the whole transaction reverting leaves no trace in the next transaction', () => {
  // tx1: TSTORE(1, 0x55) then REVERT at top level; tx2 (calldata) persists TLOAD(1) + 0x100
  const code = `
    CALLDATASIZE @load JUMPI
    PUSH1 0x55 PUSH1 1 TSTORE PUSH0 PUSH0 REVERT
    load: PUSH1 1 TLOAD PUSH2 0x100 ADD PUSH1 0 SSTORE STOP`;
  const b = new Block(makeState([[CONTRACT, { code }]]));
  const r1 = b.run();
  assert.is(r1.statusName, 'REVERT');
  const r2 = b.run({ data: Uint8Array.of(1) });
  assert.is(S(r2, 0), 0x100n);
});

test('transient storage is per address: another contract does not see it', () => {
  const OTHER = new Uint8Array(20); OTHER[19] = 0x77;
  // OTHER returns TLOAD(1) as a 32-byte word
  const other = 'PUSH1 1 TLOAD PUSH0 MSTORE PUSH1 32 PUSH0 RETURN';
  const code = `
    PUSH1 0x11 PUSH1 1 TSTORE
    PUSH1 32 PUSH0 PUSH0 PUSH0 PUSH0 PUSH1 0x77 GAS CALL POP
    PUSH0 MLOAD PUSH2 0x100 ADD PUSH1 1 SSTORE
    STOP`;
  const r = runTx(makeState([[CONTRACT, { code }], [OTHER, { code: other }]]));
  assert.ok(r.success, r.statusName);
  assert.is(S(r, 1), 0x100n);
});

test('TSTORE in a static context fails; TLOAD is allowed', () => {
  const code = `${MODES.replace('m2: PUSH1 0x33 PUSH1 2 TSTORE STOP', 'm2: PUSH1 0x33 PUSH1 2 TSTORE STOP m4: PUSH1 1 TLOAD PUSH0 MSTORE PUSH1 32 PUSH0 RETURN')
    .replace('@driver JUMP', 'DUP1 PUSH1 4 EQ @m4 JUMPI @driver JUMP')}
    driver:
    PUSH1 0x11 PUSH1 1 TSTORE
    ${callSelf(2, 'STATICCALL')} PUSH1 1 SSTORE     ; TSTORE under STATICCALL -> 0
    PUSH1 2 TLOAD PUSH2 0x100 ADD PUSH1 2 SSTORE    ; not written -> 0x100
    PUSH1 32 PUSH1 32 PUSH1 32 PUSH0 PUSH1 4 PUSH0 MSTORE ADDRESS GAS STATICCALL PUSH1 3 SSTORE ; TLOAD -> 1
    PUSH1 32 MLOAD PUSH1 4 SSTORE                   ; the child read 0x11
    STOP`;
  const r = runCode(code, { gasLimit: 10_000_000n }); // the failing child burns its 63/64 share
  assert.ok(r.success, r.statusName);
  assert.equal([S(r, 1), S(r, 2), S(r, 3), S(r, 4)], [0n, 0x100n, 1n, 0x11n]);
});

test('TLOAD and TSTORE are invalid before Cancun', () => {
  for (const code of ['PUSH1 1 TLOAD STOP', 'PUSH1 1 PUSH1 1 TSTORE STOP']) {
    const r = runCode(code, { gasLimit: 50_000n }, { fork: Fork.Shanghai });
    assert.is(r.statusName, 'INVALID_OPCODE', code);
    assert.is(r.gasUsed, 50_000n, 'an invalid opcode consumes all gas');
  }
});

test.run();
