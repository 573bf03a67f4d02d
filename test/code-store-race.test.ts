// The code store is one table shared by every thread of a parallel block: a CREATE's code is inserted by
// whichever worker runs it. Two workers inserting different codes at once must each get an entry holding their
// own hash and code. Here two threads insert 1,500 codes each into a table of 4,096 entries, the i-th code of
// both made to start its probe at the same slot, so that they race for slots all the time. (Found by the
// differential fuzzer, generator version 4, seed 1560 on 4 workers: a deployed contract got another's code.)
import { Worker } from 'node:worker_threads';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Engine } from '../src/engine/engine.js';
import { codeOf, hashOf, insertCodes } from './helpers/code-insert.js';

const COUNT = 1500;
const MIB = 1 << 20;

test('two threads inserting codes into the shared code table at once: every entry holds its own hash and code', async () => {
  for (let round = 0; round < 5; round++) {
    const engine = new Engine({
      workers: 2, workerArenas: 1, codes: 1 << 12, codeHeapBytes: 4 * MIB, accounts: 1 << 12, slots: 1 << 12, inputBytes: 4 * MIB,
      arenaBytes: 64 * MIB, frameBytes: 16 * MIB, evmMemoryBytes: 8 * MIB, workerOutBytes: MIB, mvLocations: 1 << 12, mvHeapBytes: MIB,
    });
    const L = engine.parallel!;
    const go = new SharedArrayBuffer(8);
    const worker = new Worker(new URL('./helpers/code-insert-worker.js', import.meta.url), {
      workerData: {
        memory: engine.memory, scratch: engine.inputBase + MIB, tag: 1, count: COUNT, go,
        arena: L.workerArenas[0], arenaBytes: L.arenaBytes, desc: L.desc, frameBytes: L.frameBytes, evmMemoryBytes: L.evmMemoryBytes, returnDataBytes: L.returnDataBytes,
      },
    });
    const theirs = new Promise<number[]>((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
    const words = new Int32Array(go);
    while (Atomics.load(words, 1) === 0) await new Promise((r) => setTimeout(r, 1)); // the worker is ready
    Atomics.store(words, 0, 1);
    const mine = insertCodes(engine.fns, { memory: engine.memory, scratch: engine.inputBase, tag: 2, count: COUNT, go });
    const entries = [await theirs, mine];
    await worker.terminate();

    const { abi } = engine;
    const dv = engine.dv(), u8 = engine.u8();
    const bad: string[] = [];
    for (const [t, tag] of [1, 2].entries()) {
      for (let i = 0; i < COUNT; i++) {
        const e = entries[t][i], h = hashOf(tag, i), c = codeOf(tag, i);
        if (e === 0) { bad.push(`thread ${tag} code ${i}: no entry`); continue; }
        const ptr = dv.getUint32(e + abi.C_PTR, true), len = dv.getUint32(e + abi.C_LEN, true);
        const hashOk = h.every((b, k) => u8[e + abi.C_HASH + k] === b);
        const codeOk = len === c.length && c.every((b, k) => u8[ptr + k] === b);
        if (!hashOk || !codeOk) bad.push(`thread ${tag} code ${i}: entry ${e} holds ${hashOk ? 'its hash' : 'another hash'} and ${codeOk ? 'its code' : `${len} other bytes`}`);
        else {
          u8.set(h, engine.staging);
          if (engine.fns.codeLookup(engine.staging) !== e) bad.push(`thread ${tag} code ${i}: found at another entry`);
        }
      }
    }
    assert.equal(bad.slice(0, 5), [], `round ${round}: ${bad.length} of ${2 * COUNT} entries wrong`);
  }
});

test.run();
