// EIP-6780 (Cancun): SELFDESTRUCT deletes the account (code, storage, nonce) only when it runs in the same
// transaction that created the contract; otherwise it only sends the whole balance to the beneficiary (and a
// send to itself keeps the balance; in the same-transaction case the account goes away, so ether sent to
// itself is burned).
// Gas (EIP-150, EIP-161, EIP-2929, EIP-3529): 5000, + 2600 when the beneficiary is cold, + 25000 when a
// non-zero balance goes to an empty (or missing) beneficiary; no refund since London.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fork } from '../src/forks.js';
import { createAddress } from '../bench/gen/blocks.js';
import { runTx, makeState, Block, addr, addrHex, asm, deployCode, concat, CONTRACT, SENDER } from './helpers/evm.js';
import type { WorldState } from '../src/state.js';

const B = addr(0xbbbb); // an existing, non-empty beneficiary (balance 1)
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bal = (st: WorldState, a: Uint8Array) => st.get(addrHex(a))?.balance;

test('pre-existing contract: balance moves to the beneficiary, the account stays', () => {
  const pre = makeState([
    [CONTRACT, { code: 'PUSH2 0xbbbb SELFDESTRUCT', balance: 1000n, storage: { 1: 5n } }],
    [B, { balance: 1n }],
  ]);
  const r = runTx(pre);
  assert.ok(r.success, r.statusName);
  // 21000 + PUSH2 3 + SELFDESTRUCT 5000 + cold beneficiary 2600 = 28603
  assert.is(r.gasUsed, 28603n);
  const x = r.post.get(addrHex(CONTRACT));
  assert.ok(x, 'the contract still exists');
  assert.is(x!.balance, 0n);
  assert.is(hex(x!.code), hex(asm('PUSH2 0xbbbb SELFDESTRUCT')));
  assert.is(x!.nonce, 1n);
  assert.is(x!.storage.get(1n), 5n, 'storage kept');
  assert.is(bal(r.post, B), 1001n);
});

test('before Cancun (Shanghai) the same SELFDESTRUCT deletes the account', () => {
  const pre = makeState([
    [CONTRACT, { code: 'PUSH2 0xbbbb SELFDESTRUCT', balance: 1000n, storage: { 1: 5n } }],
    [B, { balance: 1n }],
  ]);
  const r = runTx(pre, {}, { fork: Fork.Shanghai });
  assert.ok(r.success, r.statusName);
  assert.is(r.gasUsed, 28603n); // same schedule, and no refund since London
  assert.not.ok(r.post.has(addrHex(CONTRACT)), 'deleted');
  assert.is(bal(r.post, B), 1001n);
});

test('pre-existing contract sending to itself keeps its balance', () => {
  const pre = makeState([[CONTRACT, { code: 'ADDRESS SELFDESTRUCT', balance: 1000n }]]);
  const r = runTx(pre);
  assert.ok(r.success, r.statusName);
  // 21000 + ADDRESS 2 + 5000 (itself is warm) = 26002
  assert.is(r.gasUsed, 26002n);
  assert.is(bal(r.post, CONTRACT), 1000n);
  assert.ok(r.post.get(addrHex(CONTRACT))!.code.length > 0);
});

test('a missing beneficiary costs 25000 more and is created with the balance', () => {
  const pre = makeState([[CONTRACT, { code: 'PUSH2 0xdead SELFDESTRUCT', balance: 1000n }]]);
  const r = runTx(pre);
  assert.ok(r.success, r.statusName);
  // 21000 + 3 + 5000 + 2600 + 25000 = 53603
  assert.is(r.gasUsed, 53603n);
  assert.is(bal(r.post, addr(0xdead)), 1000n);
  assert.is(bal(r.post, CONTRACT), 0n);
});

test('creation transaction whose init code self-destructs: the account never appears', () => {
  const init = asm('PUSH2 0xbbbb SELFDESTRUCT'); // 61 bb bb ff: 4 non-zero bytes
  const pre = makeState([[B, { balance: 1n }]]);
  const r = runTx(pre, { to: null, data: init, value: 1000n });
  assert.ok(r.success, r.statusName);
  // intrinsic 21000 + 32000 + 4 * 16 + initcode 1 word * 2 = 53066; execution 3 + 5000 + 2600 = 7603
  assert.is(r.intrinsic, 53066n);
  assert.is(r.gasUsed, 60669n);
  const created = addrHex(createAddress(SENDER, 0n));
  assert.not.ok(r.post.has(created), 'created account is deleted');
  assert.is(bal(r.post, B), 1001n);
  assert.is(bal(r.post, SENDER), 10n ** 24n - 1000n);
});

test('same-transaction contract sending to itself: deleted, ether burned', () => {
  const r = runTx(makeState([]), { to: null, data: asm('ADDRESS SELFDESTRUCT'), value: 1000n });
  assert.ok(r.success, r.statusName);
  const created = addrHex(createAddress(SENDER, 0n));
  assert.not.ok(r.post.has(created));
  let total = 0n;
  for (const a of r.post.values()) total += a.balance;
  assert.is(total, 10n ** 24n - 1000n, '1000 wei left existence');
});

// Factory at CONTRACT: calldata = [flag][init code]. CREATEs the child with 1000 wei, stores its address in
// slot 0, and when flag != 0 CALLs it (success flag into slot 1).
const FACTORY = `
  PUSH1 1 CALLDATASIZE SUB PUSH1 1 PUSH0 CALLDATACOPY
  PUSH1 1 CALLDATASIZE SUB PUSH0 PUSH2 1000 CREATE
  DUP1 PUSH0 SSTORE
  PUSH0 CALLDATALOAD PUSH1 248 SHR @docall JUMPI
  STOP
  docall: PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 DUP6 GAS CALL PUSH1 1 SSTORE STOP`;
const CHILD_RUNTIME = asm('PUSH2 0xbbbb SELFDESTRUCT');
const factoryPre = () => makeState([[CONTRACT, { code: FACTORY, balance: 1_000_000n }], [B, { balance: 1n }]]);

test('contract created by CREATE and self-destructed in the same transaction is deleted', () => {
  const r = runTx(factoryPre(), { data: concat(Uint8Array.of(1), deployCode(CHILD_RUNTIME)) });
  assert.ok(r.success, r.statusName);
  const child = createAddress(CONTRACT, 1n); // the factory's nonce is 1
  const f = r.post.get(addrHex(CONTRACT))!;
  assert.is(f.storage.get(0n), BigInt('0x' + hex(child)), 'slot 0 = created address');
  assert.is(f.storage.get(1n), 1n, 'call succeeded');
  assert.is(f.nonce, 2n);
  assert.is(f.balance, 1_000_000n - 1000n);
  assert.not.ok(r.post.has(addrHex(child)), 'child deleted');
  assert.is(bal(r.post, B), 1001n);
});

test('contract created in an earlier transaction of the block is not deleted, only drained', () => {
  const blk = new Block(factoryPre());
  const r1 = blk.run({ data: concat(Uint8Array.of(0), deployCode(CHILD_RUNTIME)) });
  assert.ok(r1.success, r1.statusName);
  const child = createAddress(CONTRACT, 1n);
  const c1 = r1.post.get(addrHex(child));
  assert.ok(c1, 'child exists after tx 1');
  assert.is(c1!.balance, 1000n);
  assert.is(hex(c1!.code), hex(CHILD_RUNTIME));
  const r2 = blk.run({ to: child });
  assert.ok(r2.success, r2.statusName);
  // 21000 + PUSH2 3 + 5000 + cold B 2600 = 28603
  assert.is(r2.gasUsed, 28603n);
  const c2 = r2.post.get(addrHex(child));
  assert.ok(c2, 'child still exists after its SELFDESTRUCT in tx 2');
  assert.is(c2!.balance, 0n);
  assert.is(c2!.nonce, 1n);
  assert.is(hex(c2!.code), hex(CHILD_RUNTIME));
  assert.is(bal(r2.post, B), 1001n);
});

test.run();
