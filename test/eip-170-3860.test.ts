// EIP-170 (Spurious Dragon): deployed code may be at most MAX_CODE_SIZE = 24576 bytes; a longer RETURN from
// init code is an exceptional halt of the creation (all its gas gone, nothing deployed).
// EIP-3860 (Shanghai): init code may be at most MAX_INITCODE_SIZE = 2 * 24576 = 49152 bytes, and costs
// INITCODE_WORD_COST = 2 per 32-byte word: in the intrinsic gas of a creation transaction and on top of
// CREATE/CREATE2 (CREATE2 also hashes it: 6 per word). CREATE/CREATE2 with a longer init code is an
// exceptional halt of the calling frame.
// Other constants: creation 32000 (tx and opcode), code deposit 200 per byte, calldata 16 per non-zero byte and
// 4 per zero byte, memory 3a + floor(a^2 / 512) for a words.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fork } from '../src/forks.js';
import { createAddress } from '../bench/gen/blocks.js';
import { validateTxStatic, intrinsicGas, type Tx } from '../src/tx.js';
import { runTx, runCode, makeState, measure, sload, asm, addrHex, CONTRACT, SENDER } from './helpers/evm.js';


test('EIP-170: a creation transaction may deploy exactly 24576 bytes', () => {
  const init = asm('PUSH2 0x6000 PUSH0 RETURN'); // 61 60 00 5f f3: 4 non-zero bytes, 1 zero byte
  const r = runTx(makeState([]), { to: null, data: init, gasLimit: 6_000_000n });
  assert.ok(r.success, r.statusName);
  // intrinsic 21000 + 32000 + 4 * 16 + 4 + 1 word * 2 = 53070
  assert.is(r.intrinsic, 53070n);
  // PUSH2 3 + PUSH0 2 + RETURN 0 + memory 768 words (3 * 768 + 768^2 / 512 = 2304 + 1152 = 3456)
  // + deposit 200 * 24576 = 4915200 -> 53070 + 3461 + 4915200 = 4971731
  assert.is(r.gasUsed, 4971731n);
  const created = createAddress(SENDER, 0n);
  const acct = r.post.get(addrHex(created));
  assert.ok(acct, 'contract created');
  assert.is(acct!.code.length, 24576);
  assert.is(acct!.nonce, 1n);
});

test('EIP-170: 24577 bytes fails and consumes all gas', () => {
  const init = asm('PUSH2 0x6001 PUSH0 RETURN');
  const r = runTx(makeState([]), { to: null, data: init, gasLimit: 6_000_000n });
  assert.ok(r.valid);
  assert.not.ok(r.success);
  assert.is(r.statusName, 'CODE_SIZE_LIMIT');
  assert.is(r.gasUsed, 6_000_000n);
  assert.not.ok(r.post.has(addrHex(createAddress(SENDER, 0n))), 'nothing deployed');
  assert.is(r.post.get(addrHex(SENDER))!.nonce, 1n, 'the sender nonce still advances');
});

test('EIP-170 through CREATE: oversized code makes CREATE return 0; 24576 works', () => {
  // memory[27..32] = init code (PUSH2 size PUSH0 RETURN); CREATE(0, 27, 5); store result + 1 in slot 0
  const code = (size: number) => `.push 0x61${size.toString(16).padStart(4, '0')}5ff3 PUSH0 MSTORE
    PUSH1 5 PUSH1 27 PUSH0 CREATE PUSH1 1 ADD PUSH0 SSTORE STOP`;
  const bad = runCode(code(24577), { gasLimit: 10_000_000n });
  assert.ok(bad.success, bad.statusName);
  assert.is(sload(bad.post, CONTRACT, 0n), 1n, 'CREATE pushed 0');
  assert.is(bad.post.get(addrHex(CONTRACT))!.nonce, 2n, 'creator nonce advanced');
  assert.not.ok(bad.post.has(addrHex(createAddress(CONTRACT, 1n))));
  const good = runCode(code(24576), { gasLimit: 10_000_000n });
  const child = createAddress(CONTRACT, 1n);
  assert.is(sload(good.post, CONTRACT, 0n), BigInt('0x' + Buffer.from(child).toString('hex')) + 1n);
  assert.is(good.post.get(addrHex(child))!.code.length, 24576);
});

test('EIP-3860: CREATE of 49152 bytes costs 32000 + 2 per word + memory', () => {
  // PUSH2 3 + PUSH0 2 + PUSH0 2 + CREATE (32000 + 2 * 1536 = 3072, memory 1536 words: 4608 + 4608 = 9216)
  // + POP 2; the init code is all zeros (STOP), so the child gives all its gas back -> 44297
  const r = runCode(`${measure('PUSH2 0xc000 PUSH0 PUSH0 CREATE POP', 1)} STOP`, { gasLimit: 1_000_000n });
  assert.ok(r.success, r.statusName);
  assert.is(sload(r.post, CONTRACT, 1n), 44297n);
  const child = r.post.get(addrHex(createAddress(CONTRACT, 1n)));
  assert.ok(child, 'empty-code contract created');
  assert.is(child!.code.length, 0);
});

test('EIP-3860: CREATE2 of 49152 bytes adds the hashing cost 6 per word', () => {
  // salt PUSH0 2 + PUSH2 3 + PUSH0 2 + PUSH0 2 + 32000 + 3072 + 6 * 1536 (9216) + memory 9216 + POP 2 = 53515
  const r = runCode(`${measure('PUSH0 PUSH2 0xc000 PUSH0 PUSH0 CREATE2 POP', 1)} STOP`, { gasLimit: 1_000_000n });
  assert.ok(r.success, r.statusName);
  assert.is(sload(r.post, CONTRACT, 1n), 53515n);
});

test('EIP-3860: CREATE and CREATE2 of 49153 bytes halt the caller (all gas)', () => {
  for (const op of ['PUSH2 0xc001 PUSH0 PUSH0 CREATE', 'PUSH0 PUSH2 0xc001 PUSH0 PUSH0 CREATE2']) {
    const r = runCode(`${op} PUSH1 1 PUSH0 SSTORE STOP`, { gasLimit: 500_000n });
    assert.ok(r.valid);
    assert.not.ok(r.success, op);
    // an exceptional halt (status 0x20..0x3f). The engine defines ST_INITCODE_SIZE (0x2b) for this case but
    // currently reports OUT_OF_GAS; both are consensus-equivalent (all gas of the frame is consumed).
    assert.ok(r.status >= 0x20 && r.status < 0x40, `${op}: exceptional halt, got ${r.statusName}`);
    assert.is(r.gasUsed, 500_000n, op);
    assert.is(sload(r.post, CONTRACT, 0n), 0n);
  }
});

test('before Shanghai: 49153 bytes is fine and there is no word cost', () => {
  // Paris: PUSH2 3 + PUSH1 0 3 + PUSH1 0 3 + CREATE 32000 + memory 1537 words (4611 + floor(1537^2 / 512) =
  // 4611 + 4614 = 9225) + POP 2 = 41236
  const r = runCode(`${measure('PUSH2 0xc001 PUSH1 0 PUSH1 0 CREATE POP', 1)} STOP`, { gasLimit: 1_000_000n }, { fork: Fork.Paris });
  assert.ok(r.success, r.statusName);
  assert.is(sload(r.post, CONTRACT, 1n), 41236n);
});

function createTx(data: Uint8Array): Tx {
  return { type: 0, chainId: 1n, nonce: 0n, gasPrice: 0n, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n, gasLimit: 1_000_000n, to: null, value: 0n, data, accessList: [], v: 27n, r: 1n, s: 1n, yParity: 0 };
}

test('EIP-3860: a creation transaction with 49152 bytes of init code pays 2 per word in intrinsic gas', () => {
  const data = new Uint8Array(49152); // zeros: STOP, deploys nothing
  // 21000 + 32000 + 4 * 49152 (zero bytes) + 2 * 1536 = 252680; execution 0
  assert.is(intrinsicGas(createTx(data), Fork.Cancun), 252680n);
  assert.is(intrinsicGas(createTx(data), Fork.Paris), 252680n - 3072n, 'no word cost before Shanghai');
  const r = runTx(makeState([]), { to: null, data });
  assert.ok(r.success, r.statusName);
  assert.is(r.gasUsed, 252680n);
});

test('EIP-3860: a creation transaction with 49153 bytes of init code is invalid', () => {
  assert.throws(() => validateTxStatic(createTx(new Uint8Array(49153)), Fork.Cancun), (e: any) => e.code === 'INITCODE_SIZE_EXCEEDED');
  assert.not.throws(() => validateTxStatic(createTx(new Uint8Array(49152)), Fork.Cancun));
  assert.not.throws(() => validateTxStatic(createTx(new Uint8Array(49153)), Fork.Paris), 'no limit before Shanghai');
});

test.run();
