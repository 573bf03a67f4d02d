// The engine keeps its code store from block to block (content-addressed: a code's copy and jump-destination
// bitmap are built once per code hash) and caches code hashes by code array. Blocks with different pre-states
// run one after another on one executor must give exactly what a fresh executor gives for each: the same code
// in new arrays, a changed code at the same address, deployments (CREATE2, re-deployment after a self-destruct)
// left in the store by an earlier block.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createExecutor, type ExecuteInput } from '../src/executor.js';
import { resultFingerprint } from '../src/runners/mainnet.js';
import { bytesToHex } from '../src/hex.js';
import { erc20Transfers, rawTransfers, specialCases, makeBlock, legacy, account, asm, addrOfInt, toHex, ETHER, type GeneratedBlock } from '../bench/gen/blocks.js';

const inputOf = (g: GeneratedBlock): ExecuteInput => ({ block: g.block, state: g.state, fork: g.fork, fullState: true });

/** erc20Transfers with every contract's code in a new array, one byte longer (a STOP): another code hash. */
function changedCode(g: GeneratedBlock): GeneratedBlock {
  const state = new Map([...g.state].map(([a, s]) => [a, s.code.length ? { ...s, code: Uint8Array.from([...s.code, 0]), codeHash: undefined } : s]));
  return { ...g, state };
}

test('a sequence of blocks on one executor (1 and 2 workers) equals fresh executors, block by block', async () => {
  const a = erc20Transfers(40);
  const blocks = [a, rawTransfers(30), ...specialCases(), changedCode(a), erc20Transfers(40), a, ...specialCases()];
  for (const workers of [1, 2]) {
    const shared = createExecutor({ workers, alwaysParallel: true });
    const roots: string[] = [];
    try {
      for (const [i, g] of blocks.entries()) {
        const fresh = createExecutor({ workers: 1 });
        const want = await fresh.execute(inputOf(g));
        await fresh.close();
        const got = await shared.execute(inputOf(g));
        assert.is(resultFingerprint(got), resultFingerprint(want), `${workers} workers, block ${i} (${g.name})`);
        assert.is(bytesToHex(got.stateRoot!), bytesToHex(want.stateRoot!), `${workers} workers, block ${i} (${g.name}): state root`);
        roots.push(bytesToHex(got.stateRoot!));
      }
      assert.is.not(roots[blocks.indexOf(a) + 2 + specialCases().length], roots[0], 'the changed code gives another state');
    } finally {
      await shared.close();
    }
  }
});

/** A block of 20 calls to one contract whose code stores `value` in slot 0 (codes of equal length, equal shape). */
function storer(value: number): GeneratedBlock {
  const sender = addrOfInt(0x5e11d), target = addrOfInt(0xc0de);
  const state = new Map([
    [toHex(sender), account(1000n * ETHER)],
    [toHex(target), account(0n, 1n, asm(`${value} 0 SSTORE STOP`))],
  ]);
  const txs = Array.from({ length: 20 }, (_, i) => legacy({ from: sender, to: target, nonce: BigInt(i), gasLimit: 100_000n, gasPrice: 10n ** 9n }));
  return makeBlock(`storer-${value}`, 'calls a contract that stores a constant', state, txs);
}

test('one address, another code of the same length in the next block: the new code runs', async () => {
  for (const workers of [1, 2]) {
    const ex = createExecutor({ workers, alwaysParallel: true });
    try {
      for (const v of [1, 2, 1, 3]) {
        const r = await ex.execute(inputOf(storer(v)));
        const c = r.diff.find((d) => d.address === toHex(addrOfInt(0xc0de)));
        assert.equal(c?.storage.map((x) => x.after), [BigInt(v)], `${workers} workers, code storing ${v}`);
      }
    } finally {
      await ex.close();
    }
  }
});

test.run();
