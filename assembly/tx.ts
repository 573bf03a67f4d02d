// A transaction in four phases, as revm splits it: validate (nothing changes if it fails), pre-execute (nonce,
// gas purchase, warm addresses), execute (the top frame and everything below it), post-execute (refund,
// fee to the coinbase, self-destructs and EIP-161 clearing, commit to the layer below).
import * as u from './u256';
import {
  env, tx, fork, gasPrice, scratch, setTx,
  ENV_COINBASE, ENV_GAS_LIMIT, ENV_BASE_FEE, ENV_BLOB_BASE_FEE, ENV_GAS_USED, ENV_BLOB_GAS_USED, ENV_MAX_BLOB_GAS,
  TX_TYPE, TX_FLAGS, TX_NONCE, TX_GAS_LIMIT, TX_INTRINSIC, TX_SENDER, TX_TO, TX_VALUE, TX_MAX_FEE,
  TX_PRIORITY_FEE, TX_BLOB_FEE_CAP, TX_DATA, TX_DATA_LEN, TX_ACCESS_LIST, TX_ACCESS_COUNT, TX_BLOB_COUNT, TXF_CREATE,
  R_STATUS, R_GAS_USED, R_GAS_REFUND, R_LOGS, R_LOG_COUNT, R_LOG_BYTES, R_OUTPUT, R_OUTPUT_LEN, R_CONTRACT,
  R_GAS_BEFORE_REFUND, R_BLOB_GAS_USED, R_BLOOM, R_SIZE,
} from './context';
import { keccak256 } from './keccak';
import { SPURIOUS, BERLIN, LONDON, SHANGHAI, CANCUN } from './fork';
import {
  ST_STOP, ST_CREATE_COLLISION, ST_OUT_OF_GAS, ST_FATAL_ARENA, ST_FATAL_TABLE,
  ST_TX_NONCE_TOO_LOW, ST_TX_NONCE_TOO_HIGH, ST_TX_NONCE_MAX, ST_TX_INSUFFICIENT_FUNDS, ST_TX_SENDER_NOT_EOA,
  ST_TX_FEE_CAP_TOO_LOW, ST_TX_BLOB_FEE_CAP_TOO_LOW, ST_TX_GAS_ALLOWANCE_EXCEEDED, ST_TX_INTRINSIC_GAS,
  ST_TX_BLOB_GAS_EXCEEDED, ST_BLOCKED,
} from './status';
import { blockedOn, parallelMode, lazyFee, clearBlockedSequential } from './mv/txio';
import { A_NONCE, A_BALANCE, A_CODE, A_ADDR, A_FLAGS, AF_EXISTS, AF_HAS_STORAGE, C_LEN } from './state/records';
import {
  txBegin, account, warmAccount, storage, warmSlot, addBalance, subBalance, setNonce, touch, journalMark,
  revertTo, txCommit, refund, fatal, logBase, logBytes, logCount, balanceOf, destructedInTx,
} from './state/txcache';
import {
  F_KIND, F_GAS, F_MEM, F_INPUT, F_INPUT_LEN, F_ACCT, F_ADDRESS, F_CALLER, F_VALUE, F_JMARK,
  memBase, retBuf, setRetLen,
} from './interpreter/frame';
import { run, setCurMem, memoryFault, clearMemoryFault } from './interpreter/interpreter';
import {
  newFrame, frameSetCode, frameSetInitCode, initCodeExtra, beginCreate, touchTarget, createAddress,
  precompileId, setActiveFrame, topGasLeft, topOutPtr, topOutLen, lastStatus, engineFault, clearEngineFault,
} from './interpreter/calls';
import { arenaAlloc, arenaMark, arenaReset } from './arena';
import { runPrecompile, precompileCount, PC_OK, pcGasUsed, pcOutPtr, pcOutLen } from './precompiles/index';

const BLOB_GAS_PER_BLOB: u64 = 131072; // EIP-4844

/** r = a + b; returns true on overflow. */
function addOv(r: usize, a: usize, b: usize): bool {
  u.add(r, a, b);
  return u.lt(r, a);
}

// Bloom indices of recent values, direct-mapped (this instance's arena; set up by bloomCacheInit). A block's
// logs repeat addresses and topics: every ERC-20 transfer logs the token's address and the Transfer topic, so
// two of the four keccaks of its bloom (and of the six of the whole transfer) are found here.
// Entry (48 bytes): u32 length of the value (0: empty), three u16 bit indices, the value (20 or 32 bytes).
const BLOOM_CACHE_ENTRIES: usize = 64;
const BC_SIZE: usize = 48;
let bloomCache: usize = 0;
export function bloomCacheInit(): bool {
  bloomCache = arenaAlloc(BLOOM_CACHE_ENTRIES * BC_SIZE);
  if (bloomCache != 0) memory.fill(bloomCache, 0, BLOOM_CACHE_ENTRIES * BC_SIZE);
  return bloomCache != 0;
}

/** Adds keccak(value)'s three 11-bit indices to a 2048-bit bloom (`len` is 20 or 32; h: 32 bytes of scratch). */
function bloomAdd(bloom: usize, value: usize, len: usize, h: usize): void {
  const a = load<u64>(value), b = load<u64>(value, 8), c = load<u32>(value, 16);
  const d = len == 32 ? load<u64>(value, 24) ^ <u64>load<u32>(value, 20) : 0;
  const e = bloomCache + (<usize>(((a ^ b ^ c ^ d) * 0x9E3779B97F4A7C15) >> 58) * BC_SIZE);
  const k = e + 16;
  let b0: u32, b1: u32, b2: u32;
  if (load<u32>(e) == <u32>len && load<u64>(k) == a && load<u64>(k, 8) == b && load<u32>(k, 16) == c
    && (len == 20 || (load<u32>(k, 20) == load<u32>(value, 20) && load<u64>(k, 24) == load<u64>(value, 24)))) {
    b0 = load<u16>(e + 4); b1 = load<u16>(e + 6); b2 = load<u16>(e + 8);
  } else {
    keccak256(value, len, h);
    b0 = ((<u32>load<u8>(h) << 8) | <u32>load<u8>(h + 1)) & 2047;
    b1 = ((<u32>load<u8>(h + 2) << 8) | <u32>load<u8>(h + 3)) & 2047;
    b2 = ((<u32>load<u8>(h + 4) << 8) | <u32>load<u8>(h + 5)) & 2047;
    store<u32>(e, <u32>len);
    store<u16>(e + 4, <u16>b0); store<u16>(e + 6, <u16>b1); store<u16>(e + 8, <u16>b2);
    memory.copy(k, value, len);
  }
  bloomSet(bloom, b0);
  bloomSet(bloom, b1);
  bloomSet(bloom, b2);
}

// @ts-ignore: decorator
@inline function bloomSet(bloom: usize, bit: u32): void {
  const p = bloom + 255 - (bit >> 3);
  store<u8>(p, load<u8>(p) | <u8>(<u32>1 << (bit & 7)));
}

/** The bloom of the transaction's logs (the log buffer) into `bloom` (256 bytes, zeroed by `finish`). */
function logsBloom(bloom: usize): void {
  const h = scratch + 608;
  let p = logBase;
  for (let i: u32 = 0; i < logCount; i++) {
    const n = load<u32>(p + 20);
    const len = load<u32>(p + 24);
    bloomAdd(bloom, p, 20, h);
    for (let k: u32 = 0; k < n; k++) bloomAdd(bloom, p + 32 + (<usize>k << 5), 32, h);
    p += (32 + <usize>n * 32 + <usize>len + 7) & ~(<usize>7);
  }
}

/** Writes the sequential-mode result record and returns the status. */
function finish(res: usize, status: i32, gasUsed: u64, refunded: u64, before: u64, blobGas: u64): i32 {
  memory.fill(res, 0, R_SIZE);
  store<i32>(res + R_STATUS, status);
  store<u64>(res + R_GAS_USED, gasUsed);
  store<u64>(res + R_GAS_REFUND, refunded);
  store<u64>(res + R_GAS_BEFORE_REFUND, before);
  store<u64>(res + R_BLOB_GAS_USED, blobGas);
  return status;
}

/**
 * Runs the code of `target` (the account of TX_TO) as the top frame: TX_SENDER calls it with TX_DATA, `value`
 * (a u256) and `gas`. With a `sender` account the value moves and the target is touched inside the frame, so
 * that a revert undoes both; without one (a system call) neither happens here. Returns the frame's status
 * (topGasLeft, topOutPtr and topOutLen hold the rest), or ST_FATAL_ARENA when no frame fits.
 */
function runTopCall(t: usize, target: usize, sender: usize, value: usize, gas: u64): i32 {
  const f = newFrame(0, 0);
  if (f == 0) return ST_FATAL_ARENA;
  frameSetCode(f, <usize>load<u32>(target + A_CODE));
  store<u64>(f + F_GAS, gas);
  store<u32>(f + F_MEM, <u32>memBase);
  store<u32>(f + F_INPUT, load<u32>(t + TX_DATA));
  store<u32>(f + F_INPUT_LEN, load<u32>(t + TX_DATA_LEN));
  store<u32>(f + F_ACCT, <u32>target);
  memory.copy(f + F_ADDRESS, t + TX_TO, 20);
  memory.copy(f + F_CALLER, t + TX_SENDER, 20);
  u.copy(f + F_VALUE, value);
  if (sender != 0) {
    if (!u.isZero(value)) { subBalance(sender, value); addBalance(target, value); }
    touchTarget(target);
  }
  setActiveFrame(f);
  run(f);
  return lastStatus;
}

/** An engine condition met during the transaction (an exhausted arena, a full table) overrides its status. */
function withEngineFaults(status: i32): i32 {
  if (memoryFault) status = ST_FATAL_ARENA;
  if (engineFault != 0) status = engineFault;
  if (fatal != 0) status = fatal;
  return status;
}

/** Executes the transaction at `t` against the current layers; writes its result at `res`. */
export function executeTx(t: usize, res: usize): i32 {
  setTx(t);
  clearBlockedSequential();
  txBegin();
  clearEngineFault();
  clearMemoryFault();
  const gasLimit = load<u64>(t + TX_GAS_LIMIT);
  const type = load<u32>(t + TX_TYPE);
  const isCreate = (load<u32>(t + TX_FLAGS) & TXF_CREATE) != 0;
  const blobGas = <u64>load<u32>(t + TX_BLOB_COUNT) * BLOB_GAS_PER_BLOB;
  const s0 = scratch + 256; // work words: 256.. 448
  const cost = s0, tmp = s0 + 32, fee = s0 + 64, prio = s0 + 96;

  // ---- 1. validate ----
  if (gasLimit < load<u64>(t + TX_INTRINSIC)) return finish(res, ST_TX_INTRINSIC_GAS, 0, 0, 0, 0);
  if (gasLimit > load<u64>(env + ENV_GAS_LIMIT) - load<u64>(env + ENV_GAS_USED)) return finish(res, ST_TX_GAS_ALLOWANCE_EXCEEDED, 0, 0, 0, 0);
  const sender = account(t + TX_SENDER);
  const nonce = load<u64>(sender + A_NONCE);
  if (nonce == 0xffffffffffffffff) return finish(res, ST_TX_NONCE_MAX, 0, 0, 0, 0); // EIP-2681
  if (load<u64>(t + TX_NONCE) < nonce) return finish(res, ST_TX_NONCE_TOO_LOW, 0, 0, 0, 0);
  if (load<u64>(t + TX_NONCE) > nonce) return finish(res, ST_TX_NONCE_TOO_HIGH, 0, 0, 0, 0);
  if (load<u32>(<usize>load<u32>(sender + A_CODE) + C_LEN) != 0) return finish(res, ST_TX_SENDER_NOT_EOA, 0, 0, 0, 0); // EIP-3607
  // effective gas price and the fee the coinbase gets per gas
  if (fork >= LONDON) {
    if (u.lt(t + TX_MAX_FEE, env + ENV_BASE_FEE)) return finish(res, ST_TX_FEE_CAP_TOO_LOW, 0, 0, 0, 0);
    if (type >= 2) {
      // min(maxFee, baseFee + priority)
      const ov = addOv(tmp, env + ENV_BASE_FEE, t + TX_PRIORITY_FEE);
      if (ov || u.lt(t + TX_MAX_FEE, tmp)) u.copy(gasPrice, t + TX_MAX_FEE); else u.copy(gasPrice, tmp);
    } else u.copy(gasPrice, t + TX_MAX_FEE);
    u.sub(prio, gasPrice, env + ENV_BASE_FEE);
  } else {
    u.copy(gasPrice, t + TX_MAX_FEE);
    u.copy(prio, gasPrice);
  }
  if (type == 3) {
    if (u.lt(t + TX_BLOB_FEE_CAP, env + ENV_BLOB_BASE_FEE)) return finish(res, ST_TX_BLOB_FEE_CAP_TOO_LOW, 0, 0, 0, 0);
    if (load<u64>(env + ENV_BLOB_GAS_USED) + blobGas > load<u64>(env + ENV_MAX_BLOB_GAS)) return finish(res, ST_TX_BLOB_GAS_EXCEEDED, 0, 0, 0, 0);
  }
  // balance: gasLimit * (maxFee or gasPrice) + value + blobGas * maxFeePerBlobGas
  let ov = mulOv(cost, t + TX_MAX_FEE, gasLimit);
  if (type == 3) {
    ov = ov || mulOv(tmp, t + TX_BLOB_FEE_CAP, blobGas);
    ov = ov || addOv(cost, cost, tmp);
  }
  ov = ov || addOv(cost, cost, t + TX_VALUE);
  if (!ov) balanceOf(sender, tmp);
  if (ov || u.lt(tmp, cost)) return finish(res, ST_TX_INSUFFICIENT_FUNDS, 0, 0, 0, 0);

  // ---- 2. pre-execute ----
  setNonce(sender, nonce + 1);
  mulOv(fee, gasPrice, gasLimit);
  if (type == 3) { mulOv(tmp, env + ENV_BLOB_BASE_FEE, blobGas); u.add(fee, fee, tmp); }
  subBalance(sender, fee);
  warmAccount(sender);
  if (!isCreate) warmAccount(account(t + TX_TO));
  // precompiles (EIP-2929) and the coinbase (EIP-3651) are warm by definition (state/txcache.ts warmAccount)
  if (fork >= BERLIN) {
    // access list (EIP-2930): [addr 20][nkeys u32][pad 8] + nkeys * 32 BE keys
    let p = <usize>load<u32>(t + TX_ACCESS_LIST);
    const cnt = load<u32>(t + TX_ACCESS_COUNT);
    for (let i: u32 = 0; i < cnt; i++) {
      const r = account(p);
      warmAccount(r);
      const nk = load<u32>(p + 20);
      p += 32;
      for (let k: u32 = 0; k < nk; k++) {
        u.loadBE(tmp, p, 32);
        warmSlot(storage(r, tmp));
        p += 32;
      }
    }
  }

  // ---- 3. execute ----
  const execGas = gasLimit - load<u64>(t + TX_INTRINSIC);
  const value = t + TX_VALUE;
  const data = <usize>load<u32>(t + TX_DATA);
  const dataLen = load<u32>(t + TX_DATA_LEN);
  let status: i32 = ST_STOP;
  let gasLeft: u64 = 0;
  let outPtr: usize = 0, outLen: u32 = 0;
  const contract = scratch + 480;
  setRetLen(0);
  setCurMem(memBase, 0);
  if (isCreate) {
    createAddress(contract, t + TX_SENDER, nonce);
    const target = account(contract);
    warmAccount(target);
    if (load<u64>(target + A_NONCE) != 0 || load<u32>(<usize>load<u32>(target + A_CODE) + C_LEN) != 0
      || (load<u32>(target + A_FLAGS) & AF_HAS_STORAGE) != 0) { // EIP-7610: storage also collides
      status = ST_CREATE_COLLISION; // all gas is consumed
    } else {
      const f = newFrame(0, initCodeExtra(dataLen));
      if (f == 0) status = ST_FATAL_ARENA;
      else {
        store<u32>(f + F_KIND, 0xf0);
        frameSetInitCode(f, data, dataLen);
        store<u64>(f + F_GAS, execGas);
        store<u32>(f + F_MEM, <u32>memBase);
        store<u32>(f + F_ACCT, <u32>target);
        memory.copy(f + F_ADDRESS, contract, 20);
        memory.copy(f + F_CALLER, t + TX_SENDER, 20);
        u.copy(f + F_VALUE, value);
        beginCreate(target, sender, value);
        setActiveFrame(f);
        run(f);
        status = lastStatus; gasLeft = topGasLeft; outPtr = topOutPtr; outLen = topOutLen;
      }
    }
  } else {
    const target = account(t + TX_TO);
    const pid = precompileId(t + TX_TO);
    if (pid != 0 || load<u32>(<usize>load<u32>(target + A_CODE) + C_LEN) == 0) {
      const jm = journalMark();
      if (!u.isZero(value)) { subBalance(sender, value); addBalance(target, value); }
      touchTarget(target);
      gasLeft = execGas;
      if (pid != 0) {
        const mark = arenaMark();
        const ok = runPrecompile(pid, fork, data, dataLen, execGas) == PC_OK;
        arenaReset(mark);
        if (ok) {
          gasLeft = execGas - pcGasUsed;
          memory.copy(retBuf, pcOutPtr, pcOutLen); // the arena space is free again: keep the output safe
          outPtr = retBuf; outLen = pcOutLen;
          status = 2; // ST_RETURN
        } else {
          revertTo(jm);
          gasLeft = 0;
          status = 0x2a; // ST_PRECOMPILE_FAIL
        }
      }
    } else {
      status = runTopCall(t, target, sender, value, execGas);
      gasLeft = topGasLeft; outPtr = topOutPtr; outLen = topOutLen;
    }
  }
  if (blockedOn >= 0) return finish(res, ST_BLOCKED, 0, 0, 0, 0);
  status = withEngineFaults(status);
  if (status >= 0x60) return finish(res, status, 0, 0, 0, 0);

  // ---- 4. post-execute ----
  const before = gasLimit - gasLeft;
  let refunded: u64 = 0;
  if (status < 0x10 && refund > 0) {
    const cap = before / (fork >= LONDON ? 5 : 2); // EIP-3529
    refunded = <u64>refund < cap ? <u64>refund : cap;
  }
  const used = before - refunded;
  mulOv(tmp, gasPrice, gasLimit - used);
  addBalance(sender, tmp);
  mulOv(tmp, prio, used);
  const feeIsZero = u.isZero(tmp);
  // Parallel mode keeps a non-zero fee for the lazy beneficiary (added at coinbase-balance reads and at the
  // block's end) instead of writing the coinbase's balance from every transaction.
  // A coinbase that self-destructs in the transaction is deleted after its fee was paid (execution-specs: the
  // fee is credited, then accounts_to_delete are destroyed), so that fee is lost: it owes nothing lazily.
  if (parallelMode) {
    if (destructedInTx(env + ENV_COINBASE)) memory.fill(lazyFee, 0, 32);
    else memory.copy(lazyFee, tmp, 32);
  }
  if ((!feeIsZero && !parallelMode) || (feeIsZero && fork < SPURIOUS)) addBalance(account(env + ENV_COINBASE), tmp);
  else if (feeIsZero) touch(account(env + ENV_COINBASE)); // a zero fee still touches the coinbase (EIP-161 clears it if empty)
  if (!txCommit(fork >= SPURIOUS)) return finish(res, ST_FATAL_TABLE, 0, 0, 0, 0);

  finish(res, status, used, refunded, before, blobGas);
  if (status < 0x10) logsBloom(res + R_BLOOM);
  store<u32>(res + R_LOGS, <u32>logBase);
  store<u32>(res + R_LOG_COUNT, logCount);
  store<u32>(res + R_LOG_BYTES, logBytes);
  store<u32>(res + R_OUTPUT, <u32>outPtr);
  store<u32>(res + R_OUTPUT_LEN, outLen);
  if (isCreate && status < 0x10) memory.copy(res + R_CONTRACT, contract, 20);
  return status;
}

/** r = a * b (b a u64); returns true when the product does not fit 256 bits. */
export function mulOv(r: usize, a: usize, b: u64): bool {
  let carry: u64 = 0;
  const bl = b & 0xffffffff, bh = b >> 32;
  for (let i: usize = 0; i < 4; i++) {
    const x = load<u64>(a + (i << 3));
    const xl = x & 0xffffffff, xh = x >> 32;
    // 64x64 -> 128 in 32-bit halves
    const ll = xl * bl, lh = xl * bh, hl = xh * bl, hh = xh * bh;
    const mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
    let lo = (ll & 0xffffffff) | (mid << 32);
    let hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    lo += carry;
    if (lo < carry) hi++;
    store<u64>(r + (i << 3), lo);
    carry = hi;
  }
  return carry != 0;
}

/**
 * A system call (EIP-4788, from Cancun): the address at TX_SENDER (SYSTEM_ADDRESS) calls TX_TO with TX_DATA and
 * TX_GAS_LIMIT gas at the block's start. No validation, nonce, fee, value or block-gas accounting; GASPRICE is
 * the base fee and ORIGIN the system address. The target is touched and the transaction cache committed with
 * EIP-161 clearing, as execution-specs' `process_message_call` + `destroy_touched_empty_accounts` do; a target
 * without code runs nothing. Sequential mode only (the coordinator, before the block's transactions).
 */
export function executeSystemCall(t: usize, res: usize): i32 {
  setTx(t);
  clearBlockedSequential();
  txBegin();
  clearEngineFault();
  clearMemoryFault();
  u.copy(gasPrice, env + ENV_BASE_FEE);
  const gas = load<u64>(t + TX_GAS_LIMIT);
  const target = account(t + TX_TO);
  let status: i32 = ST_STOP;
  let gasLeft = gas;
  setRetLen(0);
  setCurMem(memBase, 0);
  touchTarget(target);
  if (load<u32>(<usize>load<u32>(target + A_CODE) + C_LEN) != 0) {
    const zero = scratch + 256;
    memory.fill(zero, 0, 32);
    status = runTopCall(t, target, 0, zero, gas);
    gasLeft = topGasLeft;
  }
  if (blockedOn >= 0) return finish(res, ST_BLOCKED, 0, 0, 0, 0);
  status = withEngineFaults(status);
  if (status >= 0x60) return finish(res, status, 0, 0, 0, 0);
  if (!txCommit(fork >= SPURIOUS)) return finish(res, ST_FATAL_TABLE, 0, 0, 0, 0);
  return finish(res, status, gas - gasLeft, 0, gas - gasLeft, 0);
}
