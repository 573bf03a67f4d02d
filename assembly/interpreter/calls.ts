// The CALL family, CREATE/CREATE2, SELFDESTRUCT and the end of a frame. These run rarely compared with the
// arithmetic in the loop, so they are plain functions: the loop saves its locals into the frame record
// before calling one and reloads them (from `activeFrame`) afterwards.
import * as u from '../u256';
import { keccak256 } from '../keccak';
import {
  F_PARENT, F_KIND, F_DEPTH, F_STATIC, F_CODE, F_CODE_LEN, F_BITMAP, F_PC, F_GAS, F_REFUND, F_SP, F_STACK,
  F_MEM, F_MEM_SIZE, F_INPUT, F_INPUT_LEN, F_RET_OFF, F_RET_LEN, F_JMARK, F_LOG_BYTES, F_LOG_COUNT, F_ACCT,
  F_END, F_ADDRESS, F_CALLER, F_VALUE, F_HDR, STACK_BYTES, frameBase, frameLimit, retBuf, retCap, retLen, setRetLen,
} from './frame';
import {
  ST_CONTINUE, ST_SELFDESTRUCT, ST_REVERT, ST_OUT_OF_GAS, ST_STATIC_VIOLATION, ST_CODE_SIZE_LIMIT,
  ST_INVALID_CODE_PREFIX, ST_FATAL_ARENA, ST_FATAL_TABLE, ST_INITCODE_SIZE,
} from '../status';
import { fork, scratch } from '../context';
import { HOMESTEAD, TANGERINE, SPURIOUS, BERLIN, LONDON, SHANGHAI, CANCUN } from '../fork';
import {
  A_ADDR, A_FLAGS, A_NONCE, A_BALANCE, A_CODE, AF_EXISTS, AF_HAS_STORAGE, AF_CREATED, AF_DIRTY, AF_WIPED, AF_DESTRUCTED, AF_TOUCHED,
  C_PTR, C_LEN, C_BITMAP,
} from '../state/records';
import {
  account, warmAccount, setFlags, touch, addBalance, subBalance, setBalance, setNonce, setCode, isEmpty,
  journalMark, revertTo, logTruncate, logBytes, logCount, refund, setRefund, addRefund, balanceOf, balanceIsZero,
} from '../state/txcache';
import { codeInsert, buildJumpdests } from '../state/world';
import { arenaMark, arenaReset } from '../arena';
import { runPrecompile, precompileCount, PC_OK, pcGasUsed, pcOutPtr, pcOutLen } from '../precompiles/index';
import { memArg, memExpand, MEM_OOG, wordToAddr, addrToWord, setCurMem, curMem, curMemSize, addrScratch } from './interpreter';

/** The frame the interpreter continues in after a call-family handler or `frameHalt`. */
export let activeFrame: usize = 0;
export function setActiveFrame(f: usize): void { activeFrame = f; }

// Result of the transaction's top frame.
export let topGasLeft: u64 = 0;
export let topOutPtr: usize = 0;
export let topOutLen: u32 = 0;
/** Set when the engine ran out of a region mid-transaction (the transaction result is then an engine error). */
export let engineFault: i32 = 0;
export function clearEngineFault(): void { engineFault = 0; }

const MAX_CODE_SIZE: u32 = 24576; // EIP-170
const MAX_INITCODE_SIZE: u64 = 49152; // EIP-3860

/** Is the 20-byte address a precompile of the running fork? Returns its id (1..10) or 0. */
export function precompileId(a: usize): i32 {
  if (load<u64>(a) != 0 || load<u64>(a, 8) != 0 || load<u16>(a, 16) != 0 || load<u8>(a, 18) != 0) return 0;
  const id = <i32>load<u8>(a, 19);
  return id >= 1 && id <= precompileCount(fork) ? id : 0;
}

/** Reserves a frame record after `parent`'s (or the first one). Returns 0 if the region is exhausted. */
export function newFrame(parent: usize, extra: usize): usize {
  const f = parent == 0 ? frameBase : <usize>load<u32>(parent + F_END);
  const end = f + F_HDR + STACK_BYTES + ((extra + 31) & ~(<usize>31));
  if (end > frameLimit) { engineFault = ST_FATAL_ARENA; return 0; }
  memory.fill(f, 0, F_HDR);
  store<u32>(f + F_PARENT, <u32>parent);
  store<u32>(f + F_END, <u32>end);
  store<u32>(f + F_STACK, <u32>(f + F_HDR));
  store<u32>(f + F_SP, <u32>(f + F_HDR));
  store<u32>(f + F_JMARK, journalMark());
  store<u32>(f + F_LOG_BYTES, logBytes);
  store<u32>(f + F_LOG_COUNT, logCount);
  store<i64>(f + F_REFUND, refund);
  return f;
}

/** Points frame `f` at a code entry. */
export function frameSetCode(f: usize, ce: usize): void {
  store<u32>(f + F_CODE, load<u32>(ce + C_PTR));
  store<u32>(f + F_CODE_LEN, load<u32>(ce + C_LEN));
  store<u32>(f + F_BITMAP, load<u32>(ce + C_BITMAP));
}

/** Copies init code into the frame's block with zero padding and a jumpdest bitmap. */
export function frameSetInitCode(f: usize, src: usize, len: u32): void {
  const p = f + F_HDR + STACK_BYTES;
  memory.copy(p, src, len);
  const bm = p + len + 33;
  const bmLen = (<usize>len + 7) >> 3;
  memory.fill(p + len, 0, 33 + bmLen);
  buildJumpdests(p, len, bm);
  store<u32>(f + F_CODE, <u32>p);
  store<u32>(f + F_CODE_LEN, len);
  store<u32>(f + F_BITMAP, <u32>bm);
}
/** Extra bytes a frame needs for `len` bytes of init code. */
// @ts-ignore: decorator
@inline export function initCodeExtra(len: u32): usize { return <usize>len + 33 + (((<usize>len + 7) >> 3)) + 32; }

/** Marks the target of a message touched (EIP-161). Before Spurious Dragon touching creates the account. */
export function touchTarget(r: usize): void {
  touch(r);
  if (fork < SPURIOUS) {
    const fl = load<u32>(r + A_FLAGS);
    if ((fl & AF_EXISTS) == 0) setFlags(r, fl | AF_EXISTS | AF_DIRTY);
  }
}

// @ts-ignore: decorator
@inline function alive(r: usize): bool {
  // EIP-161: an empty account is as good as absent from Spurious Dragon on
  const exists = (load<u32>(r + A_FLAGS) & AF_EXISTS) != 0;
  return fork >= SPURIOUS ? exists && !isEmpty(r) : exists;
}

// @ts-ignore: decorator
@inline function pushWordU64(f: usize, v: u64): void {
  const sp = <usize>load<u32>(f + F_SP);
  store<u64>(sp, v); store<u64>(sp, 0, 8); store<u64>(sp, 0, 16); store<u64>(sp, 0, 24);
  store<u32>(f + F_SP, <u32>(sp + 32));
}

/** CALL, CALLCODE, DELEGATECALL, STATICCALL. Returns ST_CONTINUE or the halt status of frame `f`. */
export function opCall(f: usize, op: u32): i32 {
  const sp = <usize>load<u32>(f + F_SP);
  let gas = load<u64>(f + F_GAS);
  const hasValue = op == 0xf1 || op == 0xf2;
  const nargs: usize = hasValue ? 7 : 6;
  const gw = sp - 32, tw = sp - 64;
  const vw: usize = hasValue ? sp - 96 : 0;
  const argBase = hasValue ? sp - 128 : sp - 96;
  const inOff = memArg(argBase), inLen = memArg(argBase - 32);
  const outOff = memArg(argBase - 64), outLen = memArg(argBase - 96);
  const newSp = sp - (nargs << 5);

  // memory for the input and the output ranges
  const m1 = memExpand(inOff, inLen, gas);
  if (m1 == MEM_OOG) return ST_OUT_OF_GAS;
  gas -= m1;
  const m2 = memExpand(outOff, outLen, gas);
  if (m2 == MEM_OOG) return ST_OUT_OF_GAS;
  gas -= m2;
  store<u32>(f + F_MEM_SIZE, <u32>curMemSize); // the loop reloads the size from the frame afterwards

  const to = scratch + 64;
  wordToAddr(to, tw);
  const target = account(to);
  let extra: u64 = 0;
  if (fork >= BERLIN) extra += warmAccount(target) ? 100 : 2600; // EIP-2929
  const valueNonZero = hasValue && !u.isZero(vw);
  if (valueNonZero) extra += 9000;
  if (op == 0xf1) {
    // new-account surcharge: for a value transfer to a dead account (EIP-161), or any call before it
    if (fork >= SPURIOUS ? (valueNonZero && !alive(target)) : (load<u32>(target + A_FLAGS) & AF_EXISTS) == 0) extra += 25000;
  }
  const req: u64 = u.fitsU64(gw) ? load<u64>(gw) : 0xffffffffffffffff;
  let callGas: u64;
  if (fork >= TANGERINE) {
    if (gas < extra) return ST_OUT_OF_GAS;
    const avail = gas - extra;
    const cap = avail - avail / 64; // EIP-150: all but one 64th
    callGas = req < cap ? req : cap;
  } else {
    if (req > gas || gas - req < extra) return ST_OUT_OF_GAS;
    callGas = req;
  }
  gas -= extra + callGas;
  if (op == 0xf1 && valueNonZero && load<u32>(f + F_STATIC) != 0) return ST_STATIC_VIOLATION;
  let childGas = callGas;
  if (valueNonZero) childGas += 2300; // stipend

  setRetLen(0);
  store<u32>(f + F_SP, <u32>newSp);
  const parentAcct = <usize>load<u32>(f + F_ACCT);
  const depth = load<u32>(f + F_DEPTH);
  if (valueNonZero) balanceOf(parentAcct, scratch + 544);
  if (depth + 1 > 1024 || (valueNonZero && u.lt(scratch + 544, vw))) {
    store<u64>(f + F_GAS, gas + childGas);
    pushWordU64(f, 0);
    return ST_CONTINUE;
  }

  // the message: who is the caller, whose storage, whose code, what value
  const isDelegate = op == 0xf4;
  const selfTarget = op == 0xf2 || isDelegate;
  const destAcct = selfTarget ? parentAcct : target;
  const jmark = journalMark();
  if (valueNonZero) {
    subBalance(parentAcct, vw);
    addBalance(destAcct, vw);
  }
  touchTarget(destAcct);

  const pid = precompileId(to);
  if (pid != 0) {
    const inPtr = curMem + <usize>(inLen == 0 ? 0 : inOff);
    const mark = arenaMark(); // precompile scratch and output come from the arena
    const st = runPrecompile(pid, fork, inPtr, <u32>(inLen == 0 ? 0 : inLen), childGas);
    arenaReset(mark);
    if (st == PC_OK) {
      let n = pcOutLen;
      if (<usize>n > retCap) { engineFault = ST_FATAL_ARENA; n = 0; }
      memory.copy(retBuf, pcOutPtr, n);
      setRetLen(n);
      const w = outLen < <u64>n ? <u32>outLen : n;
      if (w != 0) memory.copy(curMem + <usize>outOff, retBuf, w);
      store<u64>(f + F_GAS, gas + (childGas - pcGasUsed));
      pushWordU64(f, 1);
    } else {
      revertTo(jmark);
      ripemdTouch(to);
      store<u64>(f + F_GAS, gas);
      pushWordU64(f, 0);
    }
    return ST_CONTINUE;
  }

  const codeEntry = <usize>load<u32>(target + A_CODE);
  if (load<u32>(codeEntry + C_LEN) == 0) {
    // no code: the transfer is the whole message
    store<u64>(f + F_GAS, gas + childGas);
    pushWordU64(f, 1);
    return ST_CONTINUE;
  }

  store<u64>(f + F_GAS, gas);
  const c = newFrame(f, 0);
  if (c == 0) return ST_OUT_OF_GAS;
  store<u32>(c + F_JMARK, jmark); // a failure also undoes the value transfer
  store<u32>(c + F_KIND, op);
  store<u32>(c + F_DEPTH, depth + 1);
  store<u32>(c + F_STATIC, op == 0xfa ? 1 : load<u32>(f + F_STATIC));
  frameSetCode(c, codeEntry);
  store<u64>(c + F_GAS, childGas);
  store<u32>(c + F_MEM, <u32>(curMem + <usize>curMemSize));
  store<u32>(c + F_INPUT, <u32>(curMem + <usize>(inLen == 0 ? 0 : inOff)));
  store<u32>(c + F_INPUT_LEN, <u32>(inLen == 0 ? 0 : inLen));
  store<u32>(c + F_RET_OFF, <u32>(outLen == 0 ? 0 : outOff));
  store<u32>(c + F_RET_LEN, <u32>outLen);
  store<u32>(c + F_ACCT, <u32>destAcct);
  memory.copy(c + F_ADDRESS, destAcct + A_ADDR, 20);
  if (isDelegate) {
    memory.copy(c + F_CALLER, f + F_CALLER, 20);
    u.copy(c + F_VALUE, f + F_VALUE);
  } else {
    memory.copy(c + F_CALLER, f + F_ADDRESS, 20);
    if (hasValue) u.copy(c + F_VALUE, vw); else u.setZero(c + F_VALUE);
  }
  activeFrame = c;
  return ST_CONTINUE;
}

/** The RIPEMD-160 exception of EIP-161 (mainnet block 2675119): its touch survives a failed call. */
function ripemdTouch(a: usize): void {
  if (load<u64>(a) == 0 && load<u64>(a, 8) == 0 && load<u32>(a, 16) == 0x03000000) {
    const r = account(a);
    if ((load<u32>(r + A_FLAGS) & AF_EXISTS) != 0 && isEmpty(r)) touch(r);
  }
}

/** Computes the CREATE address keccak(rlp([sender, nonce]))[12:] into `out`. */
export function createAddress(out: usize, sender: usize, nonce: u64): void {
  const buf = scratch + 128;
  let n: usize = 0;
  // nonce as RLP: 0 -> 0x80, < 0x80 -> itself, else 0x80+len followed by big-endian bytes
  let nlen: usize = 0;
  if (nonce == 0 || nonce >= 0x80) {
    let x = nonce;
    while (x != 0) { nlen++; x >>= 8; }
  }
  const payload: usize = 21 + (nonce != 0 && nonce < 0x80 ? 1 : 1 + nlen);
  store<u8>(buf, <u8>(0xc0 + payload));
  store<u8>(buf + 1, 0x94);
  memory.copy(buf + 2, sender, 20);
  n = 22;
  if (nonce != 0 && nonce < 0x80) { store<u8>(buf + n, <u8>nonce); n++; }
  else {
    store<u8>(buf + n, <u8>(0x80 + nlen)); n++;
    for (let i: usize = 0; i < nlen; i++) store<u8>(buf + n + i, <u8>(nonce >> (8 * (nlen - 1 - i))));
    n += nlen;
  }
  keccak256(buf, n, buf + 64);
  memory.copy(out, buf + 64 + 12, 20);
}

/** CREATE2 address keccak(0xff ++ sender ++ salt ++ keccak(init))[12:]; `salt` is a stack word. */
export function create2Address(out: usize, sender: usize, salt: usize, init: usize, len: u32): void {
  const buf = scratch + 128;
  store<u8>(buf, 0xff);
  memory.copy(buf + 1, sender, 20);
  u.storeBE(buf + 21, salt);
  keccak256(init, len, buf + 53);
  keccak256(buf, 85, buf + 96);
  memory.copy(out, buf + 96 + 12, 20);
}

/** CREATE and CREATE2. */
export function opCreate(f: usize, op: u32): i32 {
  const sp = <usize>load<u32>(f + F_SP);
  let gas = load<u64>(f + F_GAS);
  const vw = sp - 32;
  const off = memArg(sp - 64), len = memArg(sp - 96);
  const is2 = op == 0xf5;
  const newSp = sp - (is2 ? 128 : 96);
  if (len == MEM_OOG) return ST_OUT_OF_GAS;
  if (fork >= SHANGHAI && len > MAX_INITCODE_SIZE) return ST_INITCODE_SIZE; // EIP-3860: an exceptional halt
  let dyn: u64 = 0;
  if (fork >= SHANGHAI) dyn += ((len + 31) >> 5) * 2; // EIP-3860 init code words
  if (is2) dyn += ((len + 31) >> 5) * 6; // hashing the init code
  if (gas < dyn) return ST_OUT_OF_GAS;
  gas -= dyn;
  const m = memExpand(off, len, gas);
  if (m == MEM_OOG) return ST_OUT_OF_GAS;
  gas -= m;
  store<u32>(f + F_MEM_SIZE, <u32>curMemSize); // the loop reloads the size from the frame afterwards
  if (load<u32>(f + F_STATIC) != 0) return ST_STATIC_VIOLATION;

  const init = curMem + <usize>(len == 0 ? 0 : off);
  const sender = <usize>load<u32>(f + F_ACCT);
  const addr = scratch + 96;
  if (is2) create2Address(addr, f + F_ADDRESS, sp - 128, init, <u32>len);
  else createAddress(addr, f + F_ADDRESS, load<u64>(sender + A_NONCE));
  const target = account(addr);
  warmAccount(target);

  const callGas = fork >= TANGERINE ? gas - gas / 64 : gas;
  gas -= callGas;
  setRetLen(0);
  store<u32>(f + F_SP, <u32>newSp);
  const depth = load<u32>(f + F_DEPTH);
  const nonce = load<u64>(sender + A_NONCE);
  balanceOf(sender, scratch + 544);
  if (u.lt(scratch + 544, vw) || nonce == 0xffffffffffffffff || depth + 1 > 1024) {
    store<u64>(f + F_GAS, gas + callGas);
    pushWordU64(f, 0);
    return ST_CONTINUE;
  }
  setNonce(sender, nonce + 1);
  if (load<u64>(target + A_NONCE) != 0 || load<u32>(<usize>load<u32>(target + A_CODE) + C_LEN) != 0
      || (load<u32>(target + A_FLAGS) & AF_HAS_STORAGE) != 0) { // EIP-7610: storage also collides
    // address collision: the gas handed to the creation is spent
    store<u64>(f + F_GAS, gas);
    pushWordU64(f, 0);
    return ST_CONTINUE;
  }
  store<u64>(f + F_GAS, gas);
  const c = newFrame(f, initCodeExtra(<u32>len));
  if (c == 0) return ST_OUT_OF_GAS;
  store<u32>(c + F_KIND, op);
  store<u32>(c + F_DEPTH, depth + 1);
  frameSetInitCode(c, init, <u32>len);
  store<u64>(c + F_GAS, callGas);
  store<u32>(c + F_MEM, <u32>(curMem + <usize>curMemSize));
  store<u32>(c + F_ACCT, <u32>target);
  memory.copy(c + F_ADDRESS, addr, 20);
  memory.copy(c + F_CALLER, f + F_ADDRESS, 20);
  u.copy(c + F_VALUE, vw);
  beginCreate(target, sender, vw);
  activeFrame = c;
  return ST_CONTINUE;
}

/** The state changes that open a creation: storage wiped, marked created, nonce 1, value moved. */
export function beginCreate(target: usize, sender: usize, value: usize): void {
  setFlags(target, load<u32>(target + A_FLAGS) | AF_EXISTS | AF_CREATED | AF_WIPED | AF_TOUCHED | AF_DIRTY);
  if (fork >= SPURIOUS) setNonce(target, 1); // EIP-161
  if (!u.isZero(value)) {
    subBalance(sender, value);
    addBalance(target, value);
  }
}

/** SELFDESTRUCT. Returns ST_SELFDESTRUCT (a successful halt) or an exceptional halt. */
export function opSelfdestruct(f: usize): i32 {
  const sp = <usize>load<u32>(f + F_SP);
  let gas = load<u64>(f + F_GAS);
  const ben = scratch + 64;
  wordToAddr(ben, sp - 32);
  const br = account(ben);
  const self = <usize>load<u32>(f + F_ACCT);
  let dyn: u64 = 0;
  if (fork >= BERLIN && !warmAccount(br)) dyn += 2600;
  if (fork >= SPURIOUS) { if (!alive(br) && !balanceIsZero(self)) dyn += 25000; }
  else if (fork >= TANGERINE) { if ((load<u32>(br + A_FLAGS) & AF_EXISTS) == 0) dyn += 25000; }
  if (gas < dyn) return ST_OUT_OF_GAS;
  gas -= dyn;
  if (load<u32>(f + F_STATIC) != 0) return ST_STATIC_VIOLATION;
  const sf = load<u32>(self + A_FLAGS);
  if (fork < LONDON && (sf & AF_DESTRUCTED) == 0) addRefund(24000);
  const bal = scratch; // the balance moves, so copy it first
  balanceOf(self, bal);
  if (fork >= CANCUN) {
    // EIP-6780: the account survives unless it was created in this transaction
    if (br != self) { subBalance(self, bal); addBalance(br, bal); }
    if ((sf & AF_CREATED) != 0) {
      u.setZero(scratch + 32);
      setBalance(self, scratch + 32);
      setFlags(self, load<u32>(self + A_FLAGS) | AF_DESTRUCTED);
    }
  } else {
    addBalance(br, bal);
    u.setZero(scratch + 32);
    setBalance(self, scratch + 32);
    setFlags(self, load<u32>(self + A_FLAGS) | AF_DESTRUCTED);
  }
  touch(br);
  store<u64>(f + F_GAS, gas);
  return ST_SELFDESTRUCT;
}

/**
 * Ends frame `f` with `status` (its F_GAS already holds the gas left, zero after an exceptional halt) and
 * output memory[outOff, outOff + outLen). Hands the result to the parent and returns it, or returns 0 when
 * `f` was the transaction's top frame (results in top*).
 */
export function frameHalt(f: usize, status: i32, outOff: u64, outLen: u64): usize {
  const kind = load<u32>(f + F_KIND);
  const isCreate = kind == 0xf0 || kind == 0xf5;
  let gasLeft = load<u64>(f + F_GAS);
  let st = status;
  let out = curMem + <usize>outOff;
  let n = <u32>outLen;
  if (st >= 0x20) { n = 0; gasLeft = 0; }

  if (isCreate && st < 0x10) {
    // code deposit
    const acct = <usize>load<u32>(f + F_ACCT);
    if (fork >= LONDON && n > 0 && load<u8>(out) == 0xef) st = ST_INVALID_CODE_PREFIX; // EIP-3541
    else if (fork >= SPURIOUS && n > MAX_CODE_SIZE) st = ST_CODE_SIZE_LIMIT; // EIP-170
    else {
      const cost = <u64>n * 200;
      if (gasLeft < cost) {
        if (fork >= HOMESTEAD) st = ST_OUT_OF_GAS; // EIP-2: a creation that cannot pay for its code fails
        // Frontier: the account is created with empty code
      } else {
        gasLeft -= cost;
        const ce = codeInsert(out, n, scratch + 192);
        if (ce == 0) { engineFault = ST_FATAL_TABLE; st = ST_OUT_OF_GAS; }
        else setCode(acct, ce);
      }
    }
    if (st >= 0x20) { gasLeft = 0; n = 0; }
    else n = 0; // a successful creation returns no data to its creator
  }
  if (st >= 0x10) {
    revertTo(load<u32>(f + F_JMARK));
    logTruncate(load<u32>(f + F_LOG_BYTES), load<u32>(f + F_LOG_COUNT));
    setRefund(load<i64>(f + F_REFUND));
    ripemdTouch(f + F_ADDRESS);
  }
  // the output becomes the caller's RETURNDATA
  if (<usize>n > retCap) { engineFault = ST_FATAL_ARENA; n = 0; }
  if (n != 0) memory.copy(retBuf, out, n);
  setRetLen(n);

  const parent = <usize>load<u32>(f + F_PARENT);
  if (parent == 0) {
    topGasLeft = gasLeft;
    topOutPtr = retBuf;
    topOutLen = n;
    lastStatus = st;
    return 0;
  }
  store<u64>(parent + F_GAS, load<u64>(parent + F_GAS) + gasLeft);
  const psp = <usize>load<u32>(parent + F_SP);
  if (isCreate) {
    if (st < 0x10) addrToWord(psp, f + F_ADDRESS);
    else { u.setZero(psp); }
  } else {
    store<u64>(psp, st < 0x10 ? 1 : 0); store<u64>(psp, 0, 8); store<u64>(psp, 0, 16); store<u64>(psp, 0, 24);
    const want = load<u32>(f + F_RET_LEN);
    const w = want < n ? want : n;
    if (w != 0) memory.copy(<usize>load<u32>(parent + F_MEM) + <usize>load<u32>(f + F_RET_OFF), retBuf, w);
  }
  store<u32>(parent + F_SP, <u32>(psp + 32));
  activeFrame = parent;
  setCurMem(<usize>load<u32>(parent + F_MEM), <u64>load<u32>(parent + F_MEM_SIZE));
  return parent;
}

/** Final status of the top frame after code deposit (may differ from what the loop saw). */
export let lastStatus: i32 = 0;
