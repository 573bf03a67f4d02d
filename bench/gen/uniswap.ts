// Uniswap V3 swap blocks, as pevm's gigagas Uniswap block: $PAREVM_SHARED/fixtures/contracts/README.md
// ("Uniswap v3 swaps") describes the state this file builds, field by field. Every independent swap gets its own
// complete, randomly addressed deployment (a "cluster": two ERC20Tokens, WETH9, UniswapV3Factory, a fee-3000
// UniswapV3Pool, SwapRouter and SingleSwap, with the placeholders of their runtime code patched), and its own
// trader calling SingleSwap.sellToken0(2000). The contention knob sends a share of the swaps through one hot
// cluster instead (distinct traders, one pool): those swaps all read and write the same pool slots.
//
// Deterministic: addresses and the init code hash come from the seeded PRNG of blocks.ts.
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { BlockTx } from '../../src/block.js';
import type { WorldState } from '../../src/state.js';
import {
  Addresses, ERC20_GAS_PRICE, ETHER, Rng, Token, ZERO_ADDRESS, account, be, bigOf, clampShare, concat, fixtureCode,
  fromHex, legacy, makeBlock, mappingSlot, pick, shortString, toHex, type GeneratedBlock,
} from './blocks.js';

/** README: expected gas of one swap (sellToken0 on a fresh cluster); 10^9 / 155,934 rounded up = 6,413 swaps. */
export const UNISWAP_SWAP_GAS = 155_934;
/** Swaps in a 1-gigagas block. */
export const UNISWAP_GIGAGAS_SWAPS = Math.ceil(1e9 / UNISWAP_SWAP_GAS);

const FEE = 3000n;
/** L = 111,111,000,000,010,412,955,141. */
const LIQUIDITY = 0x178756e190b388651605n;
const TWO_256 = 1n << 256n;
const MAX_U256 = TWO_256 - 1n;
const SWAP_GAS_LIMIT = 200_000n;

/** SingleSwap selectors (README table). */
export const SINGLE_SWAP = { sellToken0: 'c92b0891', sellToken1: '6b055260', buyToken0: '8dc33f82', buyToken1: 'b2db18a2' } as const;

/** Placeholders baked into the runtime code (README "Placeholders that must be patched before use"), with their counts. */
const PLACEHOLDERS = {
  UniswapV3Factory: { factory: ['0b748751e6f8b1a38c9386a19d9f8966b3593a9e', 1] },
  UniswapV3Pool: {
    token0: ['261d8c5e9742e6f7f1076fa1f560894524e19cad', 6], token1: ['ce3478a9e0167a6bc5716dc39dbbbfac38f27623', 6],
    factory: ['cba6b9a951749b8735c603e7ffc5151849248772', 3], pool: ['d495d5e5cab2567777fff988c4fcd71328b17c9d', 1],
  },
  SwapRouter: {
    weth9: ['6509f2a854ba7441039fce3b959d5badd2ffcfcd', 9], factory: ['d787a42ee3ac477c46dd6c912e7af795d44453d5', 3],
    initCodeHash: ['636fcf59d7fdf3a03833dba1c6d936c9d7c6730057c8c4c8e5059feaeab60e04', 1],
  },
  SingleSwap: { router: ['e7cfcccb38ce07ba9d8d13431afe8cf6172de031', 11] },
} as const satisfies Record<string, Record<string, readonly [string, number]>>;

type ContractName = keyof typeof PLACEHOLDERS;

/** A runtime code template: the bytecode and, per placeholder, the byte offsets where it occurs. */
class Template<K extends string> {
  private readonly at = new Map<K, { offsets: number[]; length: number }>();
  readonly code: Uint8Array;
  constructor(readonly name: ContractName, placeholders: Record<K, readonly [string, number]>) {
    this.code = fixtureCode(name);
    const taken = new Uint8Array(this.code.length);
    for (const [key, [hex, count]] of Object.entries(placeholders) as [K, readonly [string, number]][]) {
      const needle = fromHex(hex);
      const offsets = findAll(this.code, needle);
      if (offsets.length !== count) throw new Error(`${name}.hex: placeholder ${hex} (${key}) occurs ${offsets.length} times, the contracts README says ${count}: is it the right file?`);
      for (const o of offsets) {
        for (let i = o; i < o + needle.length; i++) { if (taken[i]) throw new Error(`${name}.hex: placeholders overlap at byte ${i}`); taken[i] = 1; }
      }
      this.at.set(key, { offsets, length: needle.length });
    }
  }
  /** A copy of the code with every placeholder replaced. */
  patch(values: Record<K, Uint8Array>): Uint8Array {
    const out = this.code.slice();
    for (const [key, { offsets, length }] of this.at) {
      const v = values[key];
      if (v.length !== length) throw new Error(`${this.name}: ${key} must be ${length} bytes, got ${v.length}`);
      for (const o of offsets) out.set(v, o);
    }
    return out;
  }
}

function findAll(hay: Uint8Array, needle: Uint8Array): number[] {
  const out: number[] = [];
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    out.push(i);
  }
  return out;
}

let templates: {
  factory: Template<'factory'>; pool: Template<'token0' | 'token1' | 'factory' | 'pool'>;
  router: Template<'weth9' | 'factory' | 'initCodeHash'>; singleSwap: Template<'router'>;
} | undefined;
function loadTemplates() {
  templates ??= {
    factory: new Template('UniswapV3Factory', PLACEHOLDERS.UniswapV3Factory),
    pool: new Template('UniswapV3Pool', PLACEHOLDERS.UniswapV3Pool),
    router: new Template('SwapRouter', PLACEHOLDERS.SwapRouter),
    singleSwap: new Template('SingleSwap', PLACEHOLDERS.SingleSwap),
  };
  return templates;
}

// ---------------------------------------------------------------------------------------------------------------
// Storage keys.

/** pad32 of a signed integer (256-bit two's complement). */
const int256 = (v: bigint): Uint8Array => be(((v % TWO_256) + TWO_256) % TWO_256);
/** `keccak256(key ++ pad32(p))` for a 32-byte key. */
const slotOf = (key: Uint8Array, p: bigint): bigint => bigOf(keccak_256(concat(key, be(p))));
/** `m[a][b]` with m at slot p (32-byte keys). */
const nested = (a: Uint8Array, b: Uint8Array, p: bigint): bigint => bigOf(keccak_256(concat(b, be(slotOf(a, p)))));
/** `m[a][b][c]` with m at slot p. */
const nested3 = (a: Uint8Array, b: Uint8Array, c: Uint8Array, p: bigint): bigint => bigOf(keccak_256(concat(c, be(nested(a, b, p)))));
const pad = (a: Uint8Array): Uint8Array => be(bigOf(a));
/** A 3-byte two's complement int24 (abi.encodePacked). */
const int24 = (v: number): Uint8Array => be(BigInt(v < 0 ? v + 2 ** 24 : v), 3);
const word = (hex: string): bigint => BigInt('0x' + hex.padEnd(64, '0'));
const lt = (a: Uint8Array, b: Uint8Array): boolean => toHex(a) < toHex(b);

/** The pool's CREATE2 address: keccak256(0xff ++ factory ++ keccak256(pad32(token0) ++ pad32(token1) ++ pad32(fee)) ++ initCodeHash)[12:]. */
export function poolAddress(factory: Uint8Array, token0: Uint8Array, token1: Uint8Array, fee: bigint, initCodeHash: Uint8Array): Uint8Array {
  const salt = keccak_256(concat(pad(token0), pad(token1), be(fee)));
  return keccak_256(concat(Uint8Array.of(0xff), factory, salt, initCodeHash)).slice(12);
}

/** One deployment (README "Per cluster"). */
export interface Cluster {
  token0: Uint8Array; token1: Uint8Array; weth9: Uint8Array; factory: Uint8Array; pool: Uint8Array;
  router: Uint8Array; singleSwap: Uint8Array;
  /** The two tokens, to give further traders balances and allowances (hot cluster). */
  tokens: [Token, Token];
}

/** Builds one cluster into `state` (tokens get their storage when `finish` is called). */
function buildCluster(rng: Rng, addrs: Addresses, state: WorldState): Cluster & { finish(): void } {
  const t = loadTemplates();
  const a = addrs.next(), b = addrs.next();
  const [token0, token1] = lt(a, b) ? [a, b] : [b, a];
  const weth9 = addrs.next(), factory = addrs.next(), router = addrs.next(), singleSwap = addrs.next();
  const owner = addrs.next(), positionManager = addrs.next();
  const initCodeHash = rng.bytes(32);
  const pool = addrs.reserve(poolAddress(factory, token0, token1, FEE, initCodeHash));
  const dai = new Token(token0, 'DAI', 'DAI'), usdc = new Token(token1, 'USDC', 'USDC');
  dai.setBalance(pool, 111_111n * ETHER);
  usdc.setBalance(pool, 111_111n * ETHER);

  state.set(toHex(weth9), account(0n, 1n, fixtureCode('WETH9'), new Map([
    [0n, shortString('Wrapped Ether')], [1n, shortString('WETH')], [3n, 18n], // README: 18 in slot 3 (no effect); slots 4-5 zero
  ])));

  const factoryStorage = new Map<bigint, bigint>([[3n, bigOf(owner)]]);
  for (const [fee, spacing] of [[500n, 10n], [3000n, 60n], [10000n, 200n]]) factoryStorage.set(slotOf(be(fee), 4n), spacing);
  factoryStorage.set(nested3(pad(token0), pad(token1), be(FEE), 5n), bigOf(pool));
  factoryStorage.set(nested3(pad(token1), pad(token0), be(FEE), 5n), bigOf(pool));
  state.set(toHex(factory), account(0n, 1n, t.factory.patch({ factory }), factoryStorage));

  const poolStorage = new Map<bigint, bigint>([
    [0n, 0x0001000001000100000000000000000000000001000000000000000000000000n], // slot0: sqrtPriceX96 2^96, tick 0, cardinality 1, unlocked
    [4n, LIQUIDITY],
    [8n, 0x0100000000000000000000000000000000000000000000000000000000000001n], // observations[0]: initialized, timestamp 1
  ]);
  const lower = slotOf(int256(-600000n), 5n), upper = slotOf(int256(600000n), 5n);
  poolStorage.set(lower, 0x000000000000178756e190b388651605000000000000178756e190b388651605n); // liquidityNet +L | liquidityGross L
  poolStorage.set(upper, 0xffffffffffffe878a91e6f4c779ae9fb000000000000178756e190b388651605n); // liquidityNet -L (int128) | gross L
  poolStorage.set(lower + 3n, word('0100000001')); // initialized, secondsOutside 1
  poolStorage.set(upper + 3n, word('01')); // initialized
  poolStorage.set(slotOf(int256(-40n), 6n), 1n << 240n); // tickBitmap: compressed tick -10000
  poolStorage.set(slotOf(int256(39n), 6n), 1n << 16n); // compressed tick +10000
  const positionKey = keccak_256(concat(positionManager, int24(-600000), int24(600000)));
  poolStorage.set(slotOf(positionKey, 7n), LIQUIDITY);
  state.set(toHex(pool), account(0n, 1n, t.pool.patch({ token0, token1, factory, pool }), poolStorage));

  state.set(toHex(router), account(0n, 1n, t.router.patch({ weth9, factory, initCodeHash }), new Map([[0n, MAX_U256]])));
  state.set(toHex(singleSwap), account(0n, 1n, t.singleSwap.patch({ router }), new Map([
    [0n, bigOf(token0)], [1n, bigOf(token1) | (FEE << 160n)],
  ])));
  return {
    token0, token1, weth9, factory, pool, router, singleSwap, tokens: [dai, usdc],
    finish() { state.set(toHex(token0), dai.account()); state.set(toHex(token1), usdc.account()); },
  };
}

/** A trader of `c`: 4,567 ether, 10^18 of both tokens, allowance 10^18 to SingleSwap for both. */
function addTrader(c: Cluster, trader: Uint8Array, state: WorldState): void {
  state.set(toHex(trader), account(4_567n * ETHER));
  for (const tk of c.tokens) { tk.setBalance(trader, ETHER); tk.setAllowance(trader, c.singleSwap, ETHER); }
}

/** Calldata of a SingleSwap call: selector ++ 32-byte words. */
export function singleSwapData(fn: keyof typeof SINGLE_SWAP, ...args: bigint[]): Uint8Array {
  return concat(fromHex(SINGLE_SWAP[fn]), ...args.map((x) => be(x)));
}

/**
 * n Uniswap V3 swaps (`SingleSwap.sellToken0(2000)`, gas limit 200,000, gas price 3,000,000,007, nonce 0), built
 * as $PAREVM_SHARED/fixtures/contracts/README.md describes: with `contention` 0 (the default) every swap has its
 * own cluster and trader, so no two swaps share a pool (pevm's gigagas block: n = 6,413). With `contention` c in
 * [0, 1], round(c * n) swaps (chosen by the PRNG) go through one hot cluster instead, each from its own trader:
 * they all read and write the hot pool's slot0, fee growth and token balances (and read its liquidity).
 */
export function uniswapSwaps(n: number, opts: { contention?: number } = {}): GeneratedBlock {
  const share = clampShare(opts.contention);
  const rng = new Rng(`uniswapSwaps/${n}/${share}`);
  const addrs = new Addresses(rng);
  const hot = pick(rng, n, share);
  const k = hot.filter(Boolean).length;
  const state: WorldState = new Map([[toHex(ZERO_ADDRESS), account(0n)]]);
  const hotCluster = k > 0 ? buildCluster(rng, addrs, state) : undefined;
  const data = singleSwapData('sellToken0', 2000n);
  const txs: BlockTx[] = [];
  for (let i = 0; i < n; i++) {
    const trader = addrs.next();
    const own = hot[i] ? undefined : buildCluster(rng, addrs, state);
    const c = own ?? hotCluster!;
    addTrader(c, trader, state);
    own?.finish();
    txs.push(legacy({ from: trader, nonce: 0n, to: c.singleSwap, data, gasLimit: SWAP_GAS_LIMIT, gasPrice: ERC20_GAS_PRICE }));
  }
  hotCluster?.finish();
  return makeBlock(`uniswap-swaps-${n}${share ? `-c${share}` : ''}`,
    `${n} Uniswap V3 swaps (SingleSwap.sellToken0(2000) -> SwapRouter.exactInputSingle -> a fee-3000 pool)` +
    (k ? `, ${k} of them on one hot pool (distinct traders), the others each on its own deployment` : ', each on its own deployment (no shared pool)'),
    state, txs);
}
