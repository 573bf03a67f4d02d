// EIP-150 (Tangerine Whistle) "all but one 64th": a CALL/CREATE may forward at most
//   L - floor(L / 64), L = gas left after the opcode's own cost (access cost 2600 cold / 100 warm per EIP-2929,
//   + 9000 for a value transfer, + memory expansion for the argument/return ranges),
// and a CALL asking for more gets exactly that; asking for less gets what it asked for. A value transfer
// adds the 2300 stipend on top (not charged to the caller). CREATE always forwards L - floor(L / 64).
//
// The callee reports the gas it received: its first opcode GAS (cost 2) pushes received - 2, which it
// returns as a 32-byte word (GAS 2, PUSH0 2, MSTORE 3 + 3 expansion, PUSH1 3, PUSH0 2, RETURN 0 = 15 gas).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { rlpEncode } from '../src/rlp.js';
import { runTx, makeState, sload, addr, addrHex, CONTRACT } from './helpers/evm.js';

const B = addr(0xb0b0);
const C = addr(0xc0c0);
const REPORT = 'GAS PUSH0 MSTORE PUSH1 32 PUSH0 RETURN';

/** A calls B with (value, gas) and stores B's returned word in slot 0. */
function callB(value: string, gas: string, bCode = REPORT, gasLimit = 100_000n) {
  const a = `PUSH1 32 PUSH0 PUSH0 PUSH0 ${value} PUSH2 0xb0b0 ${gas} CALL POP PUSH0 MLOAD PUSH0 SSTORE STOP`;
  return runTx(makeState([[CONTRACT, { code: a, balance: 10n }], [B, { code: bCode }], [C, { code: REPORT }]]), { gasLimit });
}

test('CALL forwarding all gas: the child gets floor(63/64) of what is left', () => {
  const r = callB('PUSH0', 'GAS');
  assert.ok(r.success, r.statusName);
  // gas at start 100000 - 21000 = 79000; PUSH1 3 + 4 x PUSH0 8 + PUSH2 3 -> 78986; GAS 2 -> 78984 (requested)
  // CALL cost: cold B 2600 + memory for the 32-byte return range 3 = 2603 -> L = 76381
  // cap = 76381 - floor(76381 / 64) = 76381 - 1193 = 75188 < 78984 -> child gets 75188, reports 75186
  assert.is(sload(r.post, CONTRACT, 0n), 75186n);
  // gasUsed: 21000 + pushes 14 + GAS 2 + CALL 2603 + child 15 + POP 2 + PUSH0 2 + MLOAD 3 + PUSH0 2
  // + SSTORE 22100 = 45743 (the 75188 - 15 the child did not use comes back)
  assert.is(r.gasUsed, 45743n);
});

test('CALL asking for less than the cap gets exactly what it asked', () => {
  const r = callB('PUSH0', 'PUSH2 1000');
  assert.ok(r.success, r.statusName);
  assert.is(sload(r.post, CONTRACT, 0n), 998n);
  // 21000 + pushes 14 + PUSH2 3 + 2603 + 15 + POP 2 + PUSH0 2 + MLOAD 3 + PUSH0 2 + 22100 = 45744
  assert.is(r.gasUsed, 45744n);
});

test('CALL with value: cap applies after the 9000 transfer cost, then +2300 stipend', () => {
  const r = callB('PUSH1 1', 'GAS');
  assert.ok(r.success, r.statusName);
  // 79000 - (3 + 6 + 3 + 3) = 78985; GAS -> 78983. CALL cost 2600 + 9000 + 3 = 11603 -> L = 67380
  // cap = 67380 - 1052 = 66328; child gets 66328 + 2300 = 68628, reports 68626
  assert.is(sload(r.post, CONTRACT, 0n), 68626n);
  // caller pays 11603 + 66328 and gets back 68628 - 15: net 11603 + 15 - 2300 = 9318
  // 21000 + pushes 15 + GAS 2 + 9318 + POP 2 + PUSH0 2 + MLOAD 3 + PUSH0 2 + 22100 = 52444
  assert.is(r.gasUsed, 52444n);
  assert.is(r.post.get(addrHex(B))!.balance, 1n);
});

test('63/64 compounds over two levels', () => {
  // B forwards all its gas to C the same way and returns C's report.
  const b = `PUSH1 32 PUSH0 PUSH0 PUSH0 PUSH0 PUSH2 0xc0c0 GAS CALL POP PUSH1 32 PUSH0 RETURN`;
  const r = callB('PUSH0', 'GAS', b);
  assert.ok(r.success, r.statusName);
  // B gets 75188 (first test); 3 + 8 + 3 -> 75174; GAS -> 75172; CALL 2600 + 3 -> L = 72569;
  // cap 72569 - 1133 = 71436 -> C reports 71434
  assert.is(sload(r.post, CONTRACT, 0n), 71434n);
  // B uses 14 + 2 + 2603 + C 15 + POP 2 + PUSH1 3 + PUSH0 2 + RETURN 0 = 2641
  // total 21000 + pushes 14 + GAS 2 + 2603 + 2641 + POP 2 + PUSH0 2 + MLOAD 3 + PUSH0 2 + 22100 = 48369
  assert.is(r.gasUsed, 48369n);
});

test('CREATE forwards all but one 64th', () => {
  // init code GAS PUSH0 SSTORE STOP (5a 5f 55 00) at memory 28..32: stores the gas it got (- 2) in its slot 0
  const a = 'PUSH4 0x5a5f5500 PUSH0 MSTORE PUSH1 4 PUSH1 28 PUSH0 CREATE STOP';
  const r = runTx(makeState([[CONTRACT, { code: a }]]), { gasLimit: 100_000n });
  assert.ok(r.success, r.statusName);
  const child = keccak_256(rlpEncode([CONTRACT, 1n])).slice(12);
  // 79000 - PUSH4 3 - PUSH0 2 - MSTORE (3 + 3) - PUSH1 3 - PUSH1 3 - PUSH0 2 = 78981
  // CREATE 32000 + initcode 1 word * 2 (EIP-3860) = 32002 -> L = 46979; 46979 - 734 = 46245 -> reports 46243
  assert.is(sload(r.post, child, 0n), 46243n);
  // child uses GAS 2 + PUSH0 2 + SSTORE 22100 (its slot is cold) = 22104, deposits no code
  // total 21000 + (3 + 2 + 6 + 3 + 3 + 2) + 32002 + 22104 (the rest comes back) + STOP 0 = 75125
  assert.is(r.gasUsed, 75125n);
});

test('the cap binds even when the request exceeds the gas left', () => {
  // requested 2^64-1 > L: pre-EIP-150 this was an out-of-gas; now the child just gets the cap
  const r = callB('PUSH0', 'PUSH8 0xffffffffffffffff');
  assert.ok(r.success, r.statusName);
  // 79000 - 3 - 8 - 3 - PUSH8 3 = 78983; L = 78983 - 2603 = 76380; 76380 - 1193 = 75187 -> 75185
  assert.is(sload(r.post, CONTRACT, 0n), 75185n);
});

test.run();
