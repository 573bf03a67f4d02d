// EIP-4895 (Shanghai): withdrawals credit `amount` gwei to their address after the transactions, outside the
// block's gas and without running code. execution-specs (`apply_body`) then delete the address if it exists and
// is empty, so a withdrawal of 0 gwei deletes an empty account left from before EIP-161, and creates nothing at an
// absent address. Checked in both modes and against @ethereumjs/vm (its runBlock: withdrawals, then a cleanup of
// touched empty accounts). The differential fuzzer (generator version 4) found the deletion missing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createExecutor } from '../src/executor.js';
import { resultFingerprint } from '../src/runners/mainnet.js';
import { bytesToHex } from '../src/hex.js';
import { Fork } from '../src/forks.js';
import type { Withdrawal } from '../src/block.js';
import { rawTransfers, toHex, addrOfInt, account, asm } from '../bench/gen/blocks.js';
import { prepareEthereumjs } from '../bench/ethereumjs-block.js';

const GWEI = 10n ** 9n;
const EMPTY = addrOfInt(0xe1);        // exists, empty
const ABSENT = addrOfInt(0xe2);       // not in the pre-state
const FUNDED = addrOfInt(0xe3);       // 5 wei
const CONTRACT = addrOfInt(0xe4);     // code that would revert if it ran
const TWICE = addrOfInt(0xe5);        // empty, two withdrawals: 0 then 3 gwei

function block(fork: Fork, withdrawals: Withdrawal[]) {
  const g = rawTransfers(80, { self: true });
  const state = new Map(g.state);
  state.set(toHex(EMPTY), account(0n));
  state.set(toHex(FUNDED), account(5n));
  state.set(toHex(CONTRACT), account(0n, 1n, asm('0 0 REVERT')));
  state.set(toHex(TWICE), account(0n));
  return { block: { ...g.block, withdrawals }, state, fork, fullState: true };
}

const w = (i: number, address: Uint8Array, amount: bigint): Withdrawal => ({ index: BigInt(i), validatorIndex: 7n, address, amount });
const WITHDRAWALS = [w(0, EMPTY, 0n), w(1, ABSENT, 0n), w(2, FUNDED, 0n), w(3, CONTRACT, 2n), w(4, TWICE, 0n), w(5, TWICE, 3n), w(6, ABSENT, 0n)];

test('withdrawals: credited in gwei; 0 gwei deletes an existing empty account and creates nothing; code does not run; both modes', async () => {
  const seq = createExecutor({ workers: 1 });
  const par = createExecutor({ workers: 2, alwaysParallel: true });
  try {
    const input = block(Fork.Shanghai, WITHDRAWALS);
    const s = await seq.execute(input);
    const p = await par.execute(input);
    assert.is(p.mode, 'parallel');
    assert.is(resultFingerprint(p), resultFingerprint(s));
    const after = (a: Uint8Array) => s.diff.find((d) => d.address === toHex(a));
    assert.ok(after(EMPTY) && after(EMPTY)!.after === undefined, 'the empty account is deleted');
    assert.is(after(ABSENT), undefined, 'nothing is created at the absent address');
    assert.is(after(FUNDED), undefined, 'a funded account is unchanged by 0 gwei');
    assert.is(after(CONTRACT)?.after?.balance, 2n * GWEI, 'a contract is credited without running its code');
    // deleted by the first withdrawal, then created by the second (as execution-specs do one after the other)
    assert.is(after(TWICE)?.after?.balance, 3n * GWEI);
    // outside the block's gas
    assert.is(s.gasUsed, s.receipts.reduce((a, x) => a + x.gasUsed, 0n));
  } finally { await seq.close(); await par.close(); }
});

test('withdrawals: the state root equals @ethereumjs/vm\'s', async () => {
  const seq = createExecutor({ workers: 1 });
  try {
    const input = block(Fork.Shanghai, WITHDRAWALS);
    const s = await seq.execute(input);
    const ej = await prepareEthereumjs({ ...input, chainId: 1n });
    const x = await ej.run({ stateRoot: true, blockEnds: true });
    assert.is(x.error, undefined);
    assert.is(bytesToHex(s.stateRoot!), bytesToHex(x.stateRoot!));
    // and the harness does apply them: without, its root differs
    const y = await ej.run({ stateRoot: true });
    assert.is.not(bytesToHex(y.stateRoot!), bytesToHex(x.stateRoot!));
  } finally { await seq.close(); }
});

test('withdrawals before Shanghai are not applied', async () => {
  const seq = createExecutor({ workers: 1 });
  try {
    const s = await seq.execute(block(Fork.Paris, WITHDRAWALS));
    for (const a of [EMPTY, CONTRACT, TWICE]) assert.is(s.diff.find((d) => d.address === toHex(a)), undefined);
  } finally { await seq.close(); }
});

test.run();
