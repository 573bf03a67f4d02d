// Test entry for the precompiles (test/precompiles.test.ts).
export { arenaInit, arenaFree } from '../arena';
export { runPrecompile, precompileCount, PC_OK, PC_FAIL } from '../precompiles/index';
import { pcGasUsed, pcOutPtr, pcOutLen } from '../precompiles/index';
import { arenaMark as mark, arenaReset as reset } from '../arena';
import { sha256 } from '../precompiles/sha256';

export function gasUsed(): u64 { return pcGasUsed; }
export function outPtr(): usize { return pcOutPtr; }
export function outLen(): u32 { return pcOutLen; }
export function heapBase(): usize { return __heap_base; }
export function arenaMark(): usize { return mark(); }
export function arenaReset(m: usize): void { reset(m); }
export function sha256Raw(inPtr: usize, len: usize, outPtr: usize): bool { return sha256(inPtr, len, outPtr); }
