// Fork identifiers. The numbers mirror assembly/fork.ts so a fork can be passed to WebAssembly as an
// i32, and they are ordered so that `fork >= Fork.Berlin` means "Berlin rules or later".
import { InputError } from './errors.js';

/** Ethereum mainnet forks (hard forks that change execution rules), in activation order. */
export enum Fork {
  Frontier = 0,
  Homestead = 1,
  /** EIP-150 */
  TangerineWhistle = 2,
  /** EIP-155/158/160/161/170 */
  SpuriousDragon = 3,
  Byzantium = 4,
  /** With EIP-1283 (net gas metering), withdrawn in Petersburg. */
  Constantinople = 5,
  /** Constantinople without EIP-1283 ("ConstantinopleFix" in ethereum/tests). */
  Petersburg = 6,
  Istanbul = 7,
  Berlin = 8,
  London = 9,
  /** The Merge. */
  Paris = 10,
  Shanghai = 11,
  Cancun = 12,
  Prague = 13,
  Osaka = 14,
}

/** Number of forks in {@link Fork}. */
export const FORK_COUNT = 15;

// Fixture spellings -> fork. ethereum/tests use the EIP names for 150/158 and "ConstantinopleFix".
const NAMES: Record<string, Fork> = {
  frontier: Fork.Frontier,
  homestead: Fork.Homestead,
  eip150: Fork.TangerineWhistle,
  tangerinewhistle: Fork.TangerineWhistle,
  tangerine: Fork.TangerineWhistle,
  eip158: Fork.SpuriousDragon,
  spuriousdragon: Fork.SpuriousDragon,
  spurious: Fork.SpuriousDragon,
  byzantium: Fork.Byzantium,
  constantinople: Fork.Constantinople,
  constantinoplefix: Fork.Petersburg,
  petersburg: Fork.Petersburg,
  istanbul: Fork.Istanbul,
  berlin: Fork.Berlin,
  london: Fork.London,
  merge: Fork.Paris,
  paris: Fork.Paris,
  shanghai: Fork.Shanghai,
  cancun: Fork.Cancun,
  prague: Fork.Prague,
  osaka: Fork.Osaka,
};

/**
 * Parse a fork name as used by ethereum/tests (Frontier, Homestead, EIP150, EIP158, Byzantium,
 * Constantinople, ConstantinopleFix, Istanbul, Berlin, London, Merge/Paris, Shanghai, Cancun, Prague)
 * or by mainnet fixtures (TangerineWhistle, SpuriousDragon, Petersburg). Case-insensitive.
 * @param name fork name
 * @throws InputError for an unknown name
 */
export function forkFromName(name: string): Fork {
  const f = NAMES[name.toLowerCase()];
  if (f === undefined) throw new InputError(`unknown fork name ${JSON.stringify(name)}`, { field: 'fork' });
  return f;
}

/**
 * Like {@link forkFromName} but returns undefined instead of throwing (e.g. for transition names
 * such as "ShanghaiToCancunAtTime15k").
 * @param name fork name
 */
export function tryForkFromName(name: string): Fork | undefined {
  return NAMES[name.toLowerCase()];
}

/**
 * Canonical display name of a fork (the enum member name).
 * @param fork fork id
 */
export function forkName(fork: Fork): string {
  return Fork[fork] ?? `Fork(${fork})`;
}
