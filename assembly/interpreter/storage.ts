// SLOAD and SSTORE: warm/cold access (EIP-2929) and the SSTORE gas and refund schedules of every fork:
// Frontier's set/reset, EIP-1283 (Constantinople only), EIP-2200 (Istanbul), EIP-2929 (Berlin) and
// EIP-3529 (London) refunds. Return the gas left, or MEM_OOG for out-of-gas.
import { F_ACCT } from './frame';
import { fork } from '../context';
import { CONSTANTINOPLE, ISTANBUL, BERLIN, LONDON } from '../fork';
import { S_VALUE, S_ORIG } from '../state/records';
import { storage, warmSlot, setStorage, addRefund } from '../state/txcache';
import { wordEq } from '../state/records';
import * as u from '../u256';

const OOG: u64 = 0xffffffffffffffff;
const COLD_SLOAD: u64 = 2100; // EIP-2929
const WARM: u64 = 100;

/** SLOAD: replaces the key at `a` with the value. The table charged the warm (or pre-Berlin) cost. */
export function opSload(f: usize, a: usize, gas: u64): u64 {
  const s = storage(<usize>load<u32>(f + F_ACCT), a);
  if (fork >= BERLIN && !warmSlot(s)) {
    const extra = COLD_SLOAD - WARM;
    if (gas < extra) return OOG;
    gas -= extra;
  }
  u.copy(a, s + S_VALUE);
  return gas;
}

/** SSTORE key `k`, value `v`. The caller checked the static context. */
export function opSstore(f: usize, k: usize, v: usize, gas: u64): u64 {
  const net = fork == CONSTANTINOPLE || fork >= ISTANBUL; // EIP-1283 / EIP-2200 net metering
  // EIP-2200: SSTORE must not be possible with only the call stipend left.
  if (fork >= ISTANBUL && gas <= 2300) return OOG;
  const s = storage(<usize>load<u32>(f + F_ACCT), k);
  let cost: u64 = 0;
  if (fork >= BERLIN && !warmSlot(s)) cost += COLD_SLOAD;
  const cur = s + S_VALUE;
  const newIsZero = u.isZero(v);
  if (!net) {
    // Frontier..Petersburg (EIP-1283 was removed again in Petersburg): 20000 to set a zero slot, else 5000; 15000 refund for clearing.
    const curIsZero = u.isZero(cur);
    cost += curIsZero && !newIsZero ? 20000 : 5000;
    if (!curIsZero && newIsZero) addRefund(15000);
  } else {
    const sloadGas: u64 = fork >= BERLIN ? WARM : fork >= ISTANBUL ? 800 : 200;
    const resetGas: u64 = fork >= BERLIN ? 5000 - COLD_SLOAD : 5000;
    const clearRefund: i64 = fork >= LONDON ? 4800 : 15000; // EIP-3529
    const orig = s + S_ORIG;
    const origIsZero = u.isZero(orig);
    const curIsZero = u.isZero(cur);
    const same = wordEq(cur, v);
    if (!same && wordEq(orig, cur)) cost += origIsZero ? 20000 : resetGas;
    else cost += sloadGas;
    if (!same) {
      if (!origIsZero && !curIsZero && newIsZero) addRefund(clearRefund);
      if (!origIsZero && curIsZero) addRefund(-clearRefund);
      if (wordEq(orig, v)) addRefund(origIsZero ? <i64>(20000 - sloadGas) : <i64>(resetGas - sloadGas));
    }
  }
  if (gas < cost) return OOG;
  setStorage(s, v);
  return gas - cost;
}

