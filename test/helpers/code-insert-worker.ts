// A worker thread for test/code-store-race.test.ts: instantiates the engine over the test's shared memory as
// worker slot 0 and inserts codes into the shared code table (loadCodeHashed) at the same time as the main
// thread does, each thread's i-th code hashed to start its probe at the same slot as the other's.
import { parentPort, workerData } from 'node:worker_threads';
import { instantiate } from '../../src/engine/wasm.js';
import { insertCodes, type InsertJob } from './code-insert.js';

const job = workerData as InsertJob & { memory: WebAssembly.Memory; arena: number; arenaBytes: number; desc: number; frameBytes: number; evmMemoryBytes: number; returnDataBytes: number };
const { fns } = instantiate(job.memory);
if (fns.init(job.arena, job.arenaBytes, job.desc, job.frameBytes, job.evmMemoryBytes, job.returnDataBytes) === 0) throw new Error('worker arena too small');
const entries = insertCodes(fns, job);
parentPort!.postMessage(entries);
