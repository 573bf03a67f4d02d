// The worker pool behind a small interface, so that a browser host can supply Web Workers instead of piscina.
// A pool runs `size` long-lived threads; `runOnAll` hands each thread one task and resolves when all finish.
import { fileURLToPath } from 'node:url';

/** What the parallel executor needs from a pool of threads. */
export interface WorkerPool {
  /** Number of threads. */
  readonly size: number;
  /** Runs one task per thread (each thread gets exactly one), resolving with their results in any order. */
  runOnAll<T>(tasks: unknown[]): Promise<T[]>;
  /** Stops the threads. */
  close(): Promise<void>;
}

/** A piscina pool of `size` threads, all started up front and never idled out. */
export async function createPiscinaPool(size: number): Promise<WorkerPool> {
  const { Piscina } = await import('piscina');
  const filename = fileURLToPath(new URL('./worker.js', import.meta.url));
  const pool = new Piscina({
    filename,
    minThreads: size,
    maxThreads: size,
    idleTimeout: Number.MAX_SAFE_INTEGER,
    concurrentTasksPerWorker: 1,
    // The engine is not recursive, but the host precompile code (bn254, KZG) likes some stack.
    resourceLimits: { stackSizeMb: 16 },
  });
  return {
    size,
    runOnAll: <T>(tasks: unknown[]) => Promise.all(tasks.map((t) => pool.run(t) as Promise<T>)),
    close: () => pool.destroy(),
  };
}
