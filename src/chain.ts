// Chain configuration: which fork's rules apply to a block, by number before the Merge and by timestamp
// after it. Mainnet is built in; other chains pass their own `ChainConfig`.
import { Fork } from './forks.js';

/** Fork activation points of one chain. */
export interface ChainConfig {
  chainId: bigint;
  /** Block-number activations, in fork order (Frontier .. Paris). A fork absent here is never active by number. */
  byNumber: Partial<Record<Fork, bigint>>;
  /** Timestamp activations (Shanghai and later). */
  byTimestamp: Partial<Record<Fork, bigint>>;
}

/** Ethereum mainnet (chain id 1). */
export const MAINNET: ChainConfig = {
  chainId: 1n,
  byNumber: {
    [Fork.Frontier]: 0n,
    [Fork.Homestead]: 1_150_000n,
    [Fork.TangerineWhistle]: 2_463_000n,
    [Fork.SpuriousDragon]: 2_675_000n,
    [Fork.Byzantium]: 4_370_000n,
    // Constantinople and Petersburg activated together, so EIP-1283 was never live on mainnet.
    [Fork.Petersburg]: 7_280_000n,
    [Fork.Istanbul]: 9_069_000n,
    [Fork.Berlin]: 12_244_000n,
    [Fork.London]: 12_965_000n,
    [Fork.Paris]: 15_537_394n,
  },
  byTimestamp: {
    [Fork.Shanghai]: 1_681_338_455n,
    [Fork.Cancun]: 1_710_338_135n,
    [Fork.Prague]: 1_746_612_311n,
  },
};

/** A chain where every fork up to `fork` is active from genesis (devnets, tests). */
export function singleForkChain(fork: Fork, chainId = 1n): ChainConfig {
  const byNumber: Partial<Record<Fork, bigint>> = {};
  for (let f = Fork.Frontier; f <= fork; f++) byNumber[f as Fork] = 0n;
  return { chainId, byNumber, byTimestamp: {} };
}

/** The fork whose rules apply to a block. */
export function forkAt(chain: ChainConfig, number: bigint, timestamp: bigint): Fork {
  let fork = Fork.Frontier;
  for (const [f, n] of Object.entries(chain.byNumber)) if (n !== undefined && number >= n && Number(f) > fork) fork = Number(f);
  for (const [f, t] of Object.entries(chain.byTimestamp)) if (t !== undefined && timestamp >= t && Number(f) > fork) fork = Number(f);
  return fork;
}

/** EIP-4844 fake_exponential. */
export function fakeExponential(factor: bigint, numerator: bigint, denominator: bigint): bigint {
  let i = 1n, output = 0n, acc = factor * denominator;
  while (acc > 0n) { output += acc; acc = (acc * numerator) / (denominator * i); i++; }
  return output / denominator;
}
