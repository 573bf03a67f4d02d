/**
 * parevm: a parallel (Block-STM) EVM block executor for JavaScript hosts.
 *
 * ```ts
 * import { createExecutor, parseBlock, parseState } from 'parevm';
 * const executor = createExecutor({ workers: 1 });
 * const result = executor.execute({ block: parseBlock(blockJson), state: parseState(prestateJson) });
 * ```
 * @module
 */
export { createExecutor, Executor, BlockError } from './executor.js';
export type { ExecutorOptions, ExecuteInput, BlockResult, BlockStats, AccountChange } from './executor.js';
export { StateFetcher, StateProviderError, worldStateProvider } from './provider.js';
export type { StateProvider, ProvidedAccount, FetchStats } from './provider.js';
export { jsonRpcProvider } from './rpc-provider.js';
export type { JsonRpcProviderOptions } from './rpc-provider.js';
export type { WorkerPool } from './parallel/pool.js';
export { parseBlock, parseBlockHashes } from './block.js';
export type { Block, BlockHeader, BlockTx, Withdrawal, UncleHeader } from './block.js';
export { parseState, worldStateRoot } from './state.js';
export type { WorldState, AccountState } from './state.js';
export { MAINNET, singleForkChain, forkAt } from './chain.js';
export type { ChainConfig } from './chain.js';
export { Fork, forkFromName, forkName } from './forks.js';
export { ParevmError, InputError, RlpError, HexError, TxError } from './errors.js';
export type { Receipt } from './receipts.js';
export { decodeTx, recoverSender, intrinsicGas, txHash } from './tx.js';
export type { Tx } from './tx.js';
export { rlpEncode, rlpDecode } from './rlp.js';
export { Engine } from './engine/engine.js';
export type { EngineOptions, TxResult, Log } from './engine/engine.js';
