// The interpreter loop: one `switch` over the opcode, one requirements check per opcode from the fork
// table (constant gas, stack height), 256-bit words as 4 x u64 limbs operated in place on the stack.
// Rarely run handlers (calls, creates, storage, self-destruct) live in their own files; before calling one
// the loop saves its locals into the frame record, and afterwards reloads them from whichever frame is
// now running.
import * as u from '../u256';
import { keccak256, keccak64 } from '../keccak';
import {
  F_PARENT, F_STATIC, F_CODE, F_CODE_LEN, F_BITMAP, F_PC, F_GAS, F_SP, F_STACK, F_MEM, F_MEM_SIZE,
  F_INPUT, F_INPUT_LEN, F_ACCT, F_ADDRESS, F_CALLER, F_VALUE, memLimit, retBuf, retLen,
} from './frame';
import {
  ST_CONTINUE, ST_STOP, ST_RETURN, ST_REVERT, ST_OUT_OF_GAS, ST_STACK_UNDERFLOW, ST_STACK_OVERFLOW,
  ST_INVALID_OPCODE, ST_BAD_JUMP, ST_STATIC_VIOLATION, ST_RETURNDATA_OOB, ST_BLOCKED,
} from '../status';
import { REQ_GROWS, REQ_UNDEFINED } from '../gas/tables';
import {
  env, tx, fork, forkTable, gasPrice, scratch, ENV_COINBASE, ENV_NUMBER, ENV_TIMESTAMP, ENV_GAS_LIMIT, ENV_CHAIN_ID,
  ENV_BASE_FEE, ENV_PREVRANDAO, ENV_BLOB_BASE_FEE, ENV_BLOCKHASHES, BH_NUMBER, BH_HASH, BH_SIZE,
  TX_SENDER, TX_BLOB_HASHES, TX_BLOB_COUNT,
} from '../context';
import { SPURIOUS, BERLIN } from '../fork';
import { A_CODE, A_FLAGS, AF_EXISTS, C_HASH, C_PTR, C_LEN } from '../state/records';
import { account, warmAccount, logAppend, tload, tstore, isEmpty, balanceOf } from '../state/txcache';
import { opSload, opSstore } from './storage';
import { opCall, opCreate, opSelfdestruct, frameHalt, activeFrame } from './calls';
import { blockedOn } from '../mv/txio';

export const MEM_OOG: u64 = 0xffffffffffffffff;
// @ts-ignore: decorator
@inline const COLD_ACCOUNT_SURCHARGE: u64 = 2500; // EIP-2929: 2600 cold - 100 warm (in the table)

/** Set when an expansion the gas paid for did not fit the worker's EVM memory region. */
export let memoryFault: bool = false;
export function clearMemoryFault(): void { memoryFault = false; }

/** Memory of the running frame: base and size in bytes (a multiple of 32). */
export let curMem: usize = 0;
export let curMemSize: u64 = 0;
export function setCurMem(base: usize, size: u64): void { curMem = base; curMemSize = size; }

/** A stack word as a memory offset or length: its value, or MEM_OOG when it cannot be paid for (>= 2^32). */
// @ts-ignore: decorator
@inline export function memArg(p: usize): u64 {
  if ((load<u64>(p, 8) | load<u64>(p, 16) | load<u64>(p, 24)) != 0) return MEM_OOG;
  const v = load<u64>(p);
  return v > 0xffffffff ? MEM_OOG : v;
}

// @ts-ignore: decorator
@inline function memCostWords(w: u64): u64 { return w * 3 + (w * w >> 9); }

/**
 * Expands the running frame's memory to cover [off, off + size) if `gasLeft` pays for it. Returns the gas
 * charged, or MEM_OOG. A zero size touches nothing whatever the offset.
 */
export function memExpand(off: u64, size: u64, gasLeft: u64): u64 {
  if (size == 0) return 0;
  if (off == MEM_OOG || size == MEM_OOG) return MEM_OOG;
  const end = off + size;
  if (end <= curMemSize) return 0;
  const newWords = (end + 31) >> 5;
  const oldWords = curMemSize >> 5;
  const cost = memCostWords(newWords) - memCostWords(oldWords);
  if (cost > gasLeft) return MEM_OOG;
  const newSize = newWords << 5;
  // Affordable but beyond this worker's memory region: an engine limit, reported as such (never as a
  // silent out-of-gas, which would be a wrong result).
  if (curMem + <usize>newSize > memLimit) { memoryFault = true; return MEM_OOG; }
  memory.fill(curMem + <usize>curMemSize, 0, <usize>(newSize - curMemSize));
  curMemSize = newSize;
  return cost;
}

// @ts-ignore: decorator
@inline function words(n: u64): u64 { return (n + 31) >> 5; }

/** Copies `len` bytes from src[off..] (src has `srcLen` bytes) to dst, zero-filling past the end. */
export function copyPadded(dst: usize, src: usize, srcLen: u64, off: u64, len: u64): void {
  if (len == 0) return;
  let n: u64 = 0;
  if (off < srcLen) { n = srcLen - off; if (n > len) n = len; memory.copy(dst, src + <usize>off, <usize>n); }
  if (n < len) memory.fill(dst + <usize>n, 0, <usize>(len - n));
}

/** Address (20 bytes, big-endian) from the low 160 bits of a stack word. */
// @ts-ignore: decorator
@inline export function wordToAddr(dst: usize, w: usize): void {
  store<u32>(dst, bswap<u32>(<u32>load<u64>(w, 16)));
  store<u64>(dst, bswap<u64>(load<u64>(w, 8)), 4);
  store<u64>(dst, bswap<u64>(load<u64>(w)), 12);
}

/** Stack word from a 20-byte address. */
// @ts-ignore: decorator
@inline export function addrToWord(w: usize, a: usize): void {
  store<u64>(w, bswap<u64>(load<u64>(a, 12)));
  store<u64>(w, bswap<u64>(load<u64>(a, 4)), 8);
  store<u64>(w, <u64>bswap<u32>(load<u32>(a)), 16);
  store<u64>(w, 0, 24);
}

// @ts-ignore: decorator
@inline function setWordU64(w: usize, v: u64): void {
  store<u64>(w, v); store<u64>(w, 0, 8); store<u64>(w, 0, 16); store<u64>(w, 0, 24);
}

/** Scratch address buffer (set by the engine at init, in this instance's arena). */
export let addrScratch: usize = 0;
export function setAddrScratch(p: usize): void { addrScratch = p; }

/**
 * Runs from frame `f` until the transaction's top frame halts. Returns the top frame's status; its gas left
 * and output are left by `frameHalt` in the calls module.
 */
export function run(f0: usize): i32 {
  let f = f0;
  let code = <usize>load<u32>(f + F_CODE);
  let pc = <usize>load<u32>(f + F_PC);
  let gas = load<u64>(f + F_GAS);
  let sp = <usize>load<u32>(f + F_SP);
  let stackBase = <usize>load<u32>(f + F_STACK);
  const tbl = forkTable;
  let status: i32 = ST_CONTINUE;
  let outOff: u64 = 0;
  let outLen: u64 = 0;
  // Set by handlers that hand control to another frame (a call or create began, or a child finished).
  let switched = false;

  while (true) {
    const op = <u32>load<u8>(code + pc);
    const req = load<u32>(tbl + (<usize>op << 2));
    const height = <u32>((sp - stackBase) >> 5);
    if (req >= REQ_GROWS) {
      if ((req & REQ_UNDEFINED) != 0) { status = ST_INVALID_OPCODE; }
      else if (height >= 1024) { status = ST_STACK_OVERFLOW; }
    }
    if (status == ST_CONTINUE) {
      if (height < ((req >> 16) & 0xff)) status = ST_STACK_UNDERFLOW;
      else {
        const c = <u64>(req & 0xffff);
        if (gas < c) status = ST_OUT_OF_GAS;
        else gas -= c;
      }
    }
    if (status == ST_CONTINUE) {
      pc++;
      const a = sp - 32; // top of stack
      const b = sp - 64;
      const c3 = sp - 96;
      switch (op) {
        case 0x00: status = ST_STOP; break;
        case 0x01: u.add(b, a, b); sp = a; continue;
        case 0x02: u.mul(b, a, b); sp = a; continue;
        case 0x03: u.sub(b, a, b); sp = a; continue;
        case 0x04: u.div(b, a, b); sp = a; continue;
        case 0x05: u.sdiv(b, a, b); sp = a; continue;
        case 0x06: u.mod(b, a, b); sp = a; continue;
        case 0x07: u.smod(b, a, b); sp = a; continue;
        case 0x08: u.addmod(c3, a, b, c3); sp = b; continue;
        case 0x09: u.mulmod(c3, a, b, c3); sp = b; continue;
        case 0x0a: { // EXP: 10 + 50 per exponent byte (10 before EIP-160)
          const nb = <u64>u.byteLength(b);
          const dyn = nb * (fork >= SPURIOUS ? 50 : 10);
          if (gas < dyn) { status = ST_OUT_OF_GAS; break; }
          gas -= dyn;
          u.exp(b, a, b); sp = a; continue;
        }
        case 0x0b: u.signextend(b, a, b); sp = a; continue;
        case 0x10: setWordU64(b, u.lt(a, b) ? 1 : 0); sp = a; continue;
        case 0x11: setWordU64(b, u.gt(a, b) ? 1 : 0); sp = a; continue;
        case 0x12: setWordU64(b, u.slt(a, b) ? 1 : 0); sp = a; continue;
        case 0x13: setWordU64(b, u.sgt(a, b) ? 1 : 0); sp = a; continue;
        case 0x14: setWordU64(b, u.eq(a, b) ? 1 : 0); sp = a; continue;
        case 0x15: setWordU64(a, u.isZero(a) ? 1 : 0); continue;
        case 0x16: u.and(b, a, b); sp = a; continue;
        case 0x17: u.or(b, a, b); sp = a; continue;
        case 0x18: u.xor(b, a, b); sp = a; continue;
        case 0x19: u.not(a, a); continue;
        case 0x1a: u.byteOp(b, a, b); sp = a; continue;
        case 0x1b: u.shl(b, a, b); sp = a; continue;
        case 0x1c: u.shr(b, a, b); sp = a; continue;
        case 0x1d: u.sar(b, a, b); sp = a; continue;
        case 0x20: { // KECCAK256
          const off = memArg(a), len = memArg(b);
          if (len == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
          const dyn = words(len) * 6;
          if (gas < dyn) { status = ST_OUT_OF_GAS; break; }
          gas -= dyn;
          const m = memExpand(off, len, gas);
          if (m == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
          gas -= m;
          if (len == 64) keccak64(curMem + <usize>off, b);
          else keccak256(curMem + <usize>(len == 0 ? 0 : off), <usize>len, b);
          u.loadBE(b, b, 32);
          sp = a; continue;
        }
        case 0x30: addrToWord(sp, f + F_ADDRESS); sp += 32; continue;
        case 0x31: { // BALANCE
          wordToAddr(addrScratch, a);
          const r = account(addrScratch);
          if (fork >= BERLIN && !warmAccount(r)) {
            if (gas < COLD_ACCOUNT_SURCHARGE) { status = ST_OUT_OF_GAS; break; }
            gas -= COLD_ACCOUNT_SURCHARGE;
          }
          balanceOf(r, a);
          if (blockedOn >= 0) { status = ST_BLOCKED; break; }
          continue;
        }
        case 0x32: addrToWord(sp, tx + TX_SENDER); sp += 32; continue;
        case 0x33: addrToWord(sp, f + F_CALLER); sp += 32; continue;
        case 0x34: u.copy(sp, f + F_VALUE); sp += 32; continue;
        case 0x35: { // CALLDATALOAD
          const len = <u64>load<u32>(f + F_INPUT_LEN);
          const off = memArg(a); // an offset past 2^32 reads zeros, like any offset past the end
          if (off >= len) { u.setZero(a); continue; }
          const n = len - off;
          const src = <usize>load<u32>(f + F_INPUT) + <usize>off;
          if (n >= 32) u.loadBE(a, src, 32);
          else {
            // fewer than 32 bytes left: they are the high bytes, zeros follow
            memory.fill(scratch, 0, 32);
            memory.copy(scratch, src, <usize>n);
            u.loadBE(a, scratch, 32);
          }
          continue;
        }
        case 0x36: setWordU64(sp, <u64>load<u32>(f + F_INPUT_LEN)); sp += 32; continue;
        case 0x37: // CALLDATACOPY
        case 0x39: // CODECOPY
        case 0x3e: { // RETURNDATACOPY
          const dst = memArg(a), len = memArg(c3);
          if (len == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
          const dyn = words(len) * 3;
          if (gas < dyn) { status = ST_OUT_OF_GAS; break; }
          gas -= dyn;
          let src: usize, srcLen: u64;
          if (op == 0x37) { src = <usize>load<u32>(f + F_INPUT); srcLen = <u64>load<u32>(f + F_INPUT_LEN); }
          else if (op == 0x39) { src = code; srcLen = <u64>load<u32>(f + F_CODE_LEN); }
          else {
            src = retBuf; srcLen = <u64>retLen;
            // EIP-211: reading past the end of the return data is an exceptional halt
            const off = memArg(b);
            if (off == MEM_OOG || off + len > srcLen) { status = ST_RETURNDATA_OOB; break; }
          }
          const m = memExpand(dst, len, gas);
          if (m == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
          gas -= m;
          if (len != 0) {
            const off = memArg(b);
            copyPadded(curMem + <usize>dst, src, srcLen, off == MEM_OOG ? srcLen : off, len);
          }
          sp = c3; continue;
        }
        case 0x38: setWordU64(sp, <u64>load<u32>(f + F_CODE_LEN)); sp += 32; continue;
        case 0x3a: u.copy(sp, gasPrice); sp += 32; continue;
        case 0x3b: // EXTCODESIZE
        case 0x3f: { // EXTCODEHASH
          wordToAddr(addrScratch, a);
          const r = account(addrScratch);
          if (fork >= BERLIN && !warmAccount(r)) {
            if (gas < COLD_ACCOUNT_SURCHARGE) { status = ST_OUT_OF_GAS; break; }
            gas -= COLD_ACCOUNT_SURCHARGE;
          }
          if (op == 0x3b) setWordU64(a, <u64>load<u32>(<usize>load<u32>(r + A_CODE) + C_LEN));
          else if ((load<u32>(r + A_FLAGS) & AF_EXISTS) == 0 || isEmpty(r)) u.setZero(a);
          else u.loadBE(a, <usize>load<u32>(r + A_CODE) + C_HASH, 32);
          if (blockedOn >= 0) { status = ST_BLOCKED; break; }
          continue;
        }
        case 0x3c: { // EXTCODECOPY addr, dst, off, len
          const d = sp - 128;
          const dst = memArg(b), len = memArg(d);
          if (len == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
          const dyn = words(len) * 3;
          if (gas < dyn) { status = ST_OUT_OF_GAS; break; }
          gas -= dyn;
          const m = memExpand(dst, len, gas);
          if (m == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
          gas -= m;
          wordToAddr(addrScratch, a);
          const r = account(addrScratch);
          if (fork >= BERLIN && !warmAccount(r)) {
            if (gas < COLD_ACCOUNT_SURCHARGE) { status = ST_OUT_OF_GAS; break; }
            gas -= COLD_ACCOUNT_SURCHARGE;
          }
          if (len != 0) {
            const ce = <usize>load<u32>(r + A_CODE);
            const srcLen = <u64>load<u32>(ce + C_LEN);
            const off = memArg(c3);
            copyPadded(curMem + <usize>dst, <usize>load<u32>(ce + C_PTR), srcLen, off == MEM_OOG ? srcLen : off, len);
          }
          if (blockedOn >= 0) { status = ST_BLOCKED; break; }
          sp = d; continue;
        }
        case 0x3d: setWordU64(sp, <u64>retLen); sp += 32; continue;
        case 0x40: { // BLOCKHASH: the 256 most recent blocks, else zero
          const num = load<u64>(env + ENV_NUMBER);
          if (!u.fitsU64(a)) { u.setZero(a); continue; }
          const n = load<u64>(a);
          if (n >= num || num - n > 256) { u.setZero(a); continue; }
          const e = <usize>load<u32>(env + ENV_BLOCKHASHES) + <usize>(n & 255) * BH_SIZE;
          if (load<u64>(e + BH_NUMBER) != n + 1) { u.setZero(a); continue; }
          u.loadBE(a, e + BH_HASH, 32);
          continue;
        }
        case 0x41: addrToWord(sp, env + ENV_COINBASE); sp += 32; continue;
        case 0x42: setWordU64(sp, load<u64>(env + ENV_TIMESTAMP)); sp += 32; continue;
        case 0x43: setWordU64(sp, load<u64>(env + ENV_NUMBER)); sp += 32; continue;
        case 0x44: u.copy(sp, env + ENV_PREVRANDAO); sp += 32; continue;
        case 0x45: setWordU64(sp, load<u64>(env + ENV_GAS_LIMIT)); sp += 32; continue;
        case 0x46: setWordU64(sp, load<u64>(env + ENV_CHAIN_ID)); sp += 32; continue;
        case 0x47: balanceOf(<usize>load<u32>(f + F_ACCT), sp); sp += 32; continue;
        case 0x48: u.copy(sp, env + ENV_BASE_FEE); sp += 32; continue;
        case 0x49: { // BLOBHASH
          const n = <u64>load<u32>(tx + TX_BLOB_COUNT);
          if (!u.fitsU64(a) || load<u64>(a) >= n) { u.setZero(a); continue; }
          u.loadBE(a, <usize>load<u32>(tx + TX_BLOB_HASHES) + (<usize>load<u64>(a) << 5), 32);
          continue;
        }
        case 0x4a: u.copy(sp, env + ENV_BLOB_BASE_FEE); sp += 32; continue;
        case 0x50: sp = a; continue;
        case 0x51: { // MLOAD
          const off = memArg(a);
          const m = memExpand(off, 32, gas);
          if (m == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
          gas -= m;
          u.loadBE(a, curMem + <usize>off, 32);
          continue;
        }
        case 0x52: { // MSTORE
          const off = memArg(a);
          const m = memExpand(off, 32, gas);
          if (m == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
          gas -= m;
          u.storeBE(curMem + <usize>off, b);
          sp = b; continue;
        }
        case 0x53: { // MSTORE8
          const off = memArg(a);
          const m = memExpand(off, 1, gas);
          if (m == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
          gas -= m;
          store<u8>(curMem + <usize>off, load<u8>(b));
          sp = b; continue;
        }
        case 0x54: { // SLOAD
          const g = opSload(f, a, gas);
          if (blockedOn >= 0) { status = ST_BLOCKED; break; }
          if (g == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
          gas = g; continue;
        }
        case 0x55: { // SSTORE
          if (load<u32>(f + F_STATIC) != 0) { status = ST_STATIC_VIOLATION; break; }
          const g = opSstore(f, a, b, gas);
          if (blockedOn >= 0) { status = ST_BLOCKED; break; }
          if (g == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
          gas = g; sp = b; continue;
        }
        case 0x56: { // JUMP
          const len = <u64>load<u32>(f + F_CODE_LEN);
          if (!u.fitsU64(a) || load<u64>(a) >= len) { status = ST_BAD_JUMP; break; }
          const d = <usize>load<u64>(a);
          if ((load<u8>(<usize>load<u32>(f + F_BITMAP) + (d >> 3)) & (1 << <u8>(d & 7))) == 0) { status = ST_BAD_JUMP; break; }
          pc = d; sp = a; continue;
        }
        case 0x57: { // JUMPI
          if (u.isZero(b)) { sp = b; continue; }
          const len = <u64>load<u32>(f + F_CODE_LEN);
          if (!u.fitsU64(a) || load<u64>(a) >= len) { status = ST_BAD_JUMP; break; }
          const d = <usize>load<u64>(a);
          if ((load<u8>(<usize>load<u32>(f + F_BITMAP) + (d >> 3)) & (1 << <u8>(d & 7))) == 0) { status = ST_BAD_JUMP; break; }
          pc = d; sp = b; continue;
        }
        case 0x58: setWordU64(sp, <u64>(pc - 1)); sp += 32; continue;
        case 0x59: setWordU64(sp, curMemSize); sp += 32; continue;
        case 0x5a: setWordU64(sp, gas); sp += 32; continue;
        case 0x5b: continue;
        case 0x5c: { // TLOAD
          tload(f + F_ADDRESS, a, a);
          continue;
        }
        case 0x5d: { // TSTORE
          if (load<u32>(f + F_STATIC) != 0) { status = ST_STATIC_VIOLATION; break; }
          tstore(f + F_ADDRESS, a, b);
          sp = b; continue;
        }
        case 0x5e: { // MCOPY dst, src, len
          const dst = memArg(a), src = memArg(b), len = memArg(c3);
          if (len == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
          const dyn = words(len) * 3;
          if (gas < dyn) { status = ST_OUT_OF_GAS; break; }
          gas -= dyn;
          if (len != 0) {
            const end = src > dst ? src : dst;
            const m = memExpand(end, len, gas);
            if (m == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
            gas -= m;
            memory.copy(curMem + <usize>dst, curMem + <usize>src, <usize>len);
          }
          sp = c3; continue;
        }
        case 0x5f: u.setZero(sp); sp += 32; continue;
        case 0x60: { // PUSH1
          setWordU64(sp, <u64>load<u8>(code + pc));
          pc += 1; sp += 32; continue;
        }
        case 0x61: case 0x62: case 0x63: case 0x64: case 0x65: case 0x66: case 0x67:
        case 0x68: case 0x69: case 0x6a: case 0x6b: case 0x6c: case 0x6d: case 0x6e: case 0x6f:
        case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
        case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f: {
          const n = op - 0x5f;
          u.loadBE(sp, code + pc, n);
          pc += n; sp += 32; continue;
        }
        case 0x80: case 0x81: case 0x82: case 0x83: case 0x84: case 0x85: case 0x86: case 0x87:
        case 0x88: case 0x89: case 0x8a: case 0x8b: case 0x8c: case 0x8d: case 0x8e: case 0x8f: {
          u.copy(sp, sp - (<usize>(op - 0x7f) << 5));
          sp += 32; continue;
        }
        case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
        case 0x98: case 0x99: case 0x9a: case 0x9b: case 0x9c: case 0x9d: case 0x9e: case 0x9f: {
          const o = a - (<usize>(op - 0x8f) << 5);
          const x0 = load<u64>(a), x1 = load<u64>(a, 8), x2 = load<u64>(a, 16), x3 = load<u64>(a, 24);
          store<u64>(a, load<u64>(o)); store<u64>(a, load<u64>(o, 8), 8);
          store<u64>(a, load<u64>(o, 16), 16); store<u64>(a, load<u64>(o, 24), 24);
          store<u64>(o, x0); store<u64>(o, x1, 8); store<u64>(o, x2, 16); store<u64>(o, x3, 24);
          continue;
        }
        case 0xa0: case 0xa1: case 0xa2: case 0xa3: case 0xa4: { // LOG0..LOG4
          if (load<u32>(f + F_STATIC) != 0) { status = ST_STATIC_VIOLATION; break; }
          const n = op - 0xa0;
          const off = memArg(a), len = memArg(b);
          if (len == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
          const dyn = len * 8;
          if (gas < dyn) { status = ST_OUT_OF_GAS; break; }
          gas -= dyn;
          const m = memExpand(off, len, gas);
          if (m == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
          gas -= m;
          logAppend(f + F_ADDRESS, c3, n, -32, curMem + <usize>(len == 0 ? 0 : off), <u32>len);
          sp = b - (<usize>n << 5); continue;
        }
        case 0xf0: case 0xf5: // CREATE CREATE2
        case 0xf1: case 0xf2: case 0xf4: case 0xfa: // CALL CALLCODE DELEGATECALL STATICCALL
        case 0xff: { // SELFDESTRUCT
          store<u32>(f + F_PC, <u32>pc);
          store<u64>(f + F_GAS, gas);
          store<u32>(f + F_SP, <u32>sp);
          store<u32>(f + F_MEM_SIZE, <u32>curMemSize);
          if (op == 0xff) status = opSelfdestruct(f);
          else if (op == 0xf0 || op == 0xf5) status = opCreate(f, op);
          else status = opCall(f, op);
          if (blockedOn >= 0) { status = ST_BLOCKED; break; }
          if (status == ST_CONTINUE) {
            switched = true;
          } else {
            gas = load<u64>(f + F_GAS);
          }
          break;
        }
        case 0xf3: case 0xfd: { // RETURN REVERT
          const off = memArg(a), len = memArg(b);
          const m = memExpand(off, len, gas);
          if (m == MEM_OOG) { status = ST_OUT_OF_GAS; break; }
          gas -= m;
          outOff = len == 0 ? 0 : off; outLen = len;
          status = op == 0xf3 ? ST_RETURN : ST_REVERT;
          break;
        }
        default: status = ST_INVALID_OPCODE; break;
      }
    }
    if (status == ST_BLOCKED) return status; // parallel: the incarnation is void, nothing to unwind into
    if (!switched) {
      // The running frame halted: hand its result to its parent (or finish the transaction).
      store<u64>(f + F_GAS, status == ST_STOP || status == ST_RETURN || status == ST_REVERT || status == 3 ? gas : 0);
      store<u32>(f + F_MEM_SIZE, <u32>curMemSize);
      const parent = frameHalt(f, status, outOff, outLen);
      if (parent == 0) return status;
    }
    // Continue in whichever frame runs now.
    switched = false;
    status = ST_CONTINUE;
    outOff = 0; outLen = 0;
    f = activeFrame;
    code = <usize>load<u32>(f + F_CODE);
    pc = <usize>load<u32>(f + F_PC);
    gas = load<u64>(f + F_GAS);
    sp = <usize>load<u32>(f + F_SP);
    stackBase = <usize>load<u32>(f + F_STACK);
    curMem = <usize>load<u32>(f + F_MEM);
    curMemSize = <u64>load<u32>(f + F_MEM_SIZE);
  }
  return status;
}

