// Call frames. The interpreter is not recursive: a CALL or CREATE pushes a frame record and the one loop
// continues in the child, so depth 1024 costs no native stack. Three stack-disciplined regions of this
// worker's arena: frame records with their 1024-word stacks (and, for CREATE, the padded init code),
// EVM memory (a frame's memory starts where its parent's ends and grows in place while it is the top frame),
// and one return-data buffer (only the running frame's RETURNDATA is ever live).
import { arenaAlloc } from '../arena';

export const F_PARENT: usize = 0; // u32, 0 for the transaction's top frame
export const F_KIND: usize = 4; // u32: the opcode that made the frame (0 for the top frame)
export const F_DEPTH: usize = 8; // u32
export const F_STATIC: usize = 12; // u32
export const F_CODE: usize = 16; // u32 code bytes (zero-padded by 33 bytes)
export const F_CODE_LEN: usize = 20; // u32
export const F_BITMAP: usize = 24; // u32 jumpdest bitmap
export const F_PC: usize = 28; // u32
export const F_GAS: usize = 32; // u64
export const F_REFUND: usize = 40; // i64 refund counter at entry
export const F_SP: usize = 48; // u32 next free stack slot
export const F_STACK: usize = 52; // u32 stack base
export const F_MEM: usize = 56; // u32 memory base
export const F_MEM_SIZE: usize = 60; // u32 bytes, a multiple of 32
export const F_INPUT: usize = 64; // u32 call data
export const F_INPUT_LEN: usize = 68; // u32
export const F_RET_OFF: usize = 72; // u32 where the caller wants the output (in its memory)
export const F_RET_LEN: usize = 76; // u32
export const F_JMARK: usize = 80; // u32 journal mark at entry (before the value transfer)
export const F_LOG_BYTES: usize = 84; // u32
export const F_LOG_COUNT: usize = 88; // u32
export const F_ACCT: usize = 92; // u32 tx-cache record of F_ADDRESS
export const F_END: usize = 96; // u32 first byte after this frame's block
export const F_ADDRESS: usize = 104; // 20 bytes: storage and balance context
export const F_CALLER: usize = 124; // 20 bytes
export const F_VALUE: usize = 160; // u256 CALLVALUE
export const F_HDR: usize = 192;
export const STACK_BYTES: usize = 1024 * 32;

export let frameBase: usize = 0;
export let frameLimit: usize = 0;
export let memBase: usize = 0;
export let memLimit: usize = 0;
export let retBuf: usize = 0;
export let retCap: usize = 0;
/** Length of the running frame's RETURNDATA (in retBuf). */
export let retLen: u32 = 0;
export function setRetLen(n: u32): void { retLen = n; }

/** Carves the three regions out of this instance's arena. */
export function framesInit(frameBytes: usize, memBytes: usize, retBytes: usize): bool {
  frameBase = arenaAlloc(frameBytes);
  memBase = arenaAlloc(memBytes);
  retBuf = arenaAlloc(retBytes);
  if (frameBase == 0 || memBase == 0 || retBuf == 0) return false;
  frameLimit = frameBase + frameBytes;
  memLimit = memBase + memBytes;
  retCap = retBytes;
  return true;
}
