// Block environment and transaction input layouts (written by the TypeScript side into shared memory; the
// TypeScript side reads these offsets from the module's exports, so they are defined only here), and the
// per-instance context of the running transaction.

// ---- block environment ----
export const ENV_COINBASE: usize = 0; // 20 bytes
export const ENV_FORK: usize = 20; // u32
export const ENV_NUMBER: usize = 24; // u64
export const ENV_TIMESTAMP: usize = 32; // u64
export const ENV_GAS_LIMIT: usize = 40; // u64
export const ENV_CHAIN_ID: usize = 48; // u64
export const ENV_BLOCKHASHES: usize = 56; // u32 pointer: 256 entries of BH_SIZE, index number % 256
export const ENV_BASE_FEE: usize = 64; // u256 LE limbs
export const ENV_PREVRANDAO: usize = 96; // u256 (DIFFICULTY before the Merge)
export const ENV_BLOB_BASE_FEE: usize = 128; // u256
export const ENV_GAS_USED: usize = 160; // u64 gas used by the block's earlier transactions (sequential)
export const ENV_BLOB_GAS_USED: usize = 168; // u64
export const ENV_MAX_BLOB_GAS: usize = 176; // u64 per block (EIP-4844: 786432)
export const ENV_SIZE: usize = 192;

// block hash entry: u64 number + 1 (0 = empty), 32-byte hash
export const BH_NUMBER: usize = 0;
export const BH_HASH: usize = 8;
export const BH_SIZE: usize = 40;

// ---- transaction ----
export const TX_TYPE: usize = 0; // u32
export const TX_FLAGS: usize = 4; // u32: TXF_*
export const TX_NONCE: usize = 8; // u64
export const TX_GAS_LIMIT: usize = 16; // u64
export const TX_INTRINSIC: usize = 24; // u64 intrinsic gas, computed by the TypeScript side
export const TX_SENDER: usize = 32; // 20 bytes
export const TX_TO: usize = 64; // 20 bytes (unused for a creation)
export const TX_VALUE: usize = 96; // u256
export const TX_MAX_FEE: usize = 128; // u256: gasPrice (types 0/1) or maxFeePerGas (types 2/3)
export const TX_PRIORITY_FEE: usize = 160; // u256: maxPriorityFeePerGas (= gasPrice for types 0/1)
export const TX_BLOB_FEE_CAP: usize = 192; // u256: maxFeePerBlobGas
export const TX_DATA: usize = 224; // u32 pointer
export const TX_DATA_LEN: usize = 228; // u32
export const TX_ACCESS_LIST: usize = 232; // u32 pointer: entries [addr 20][nkeys u32][pad 8] + nkeys * 32 BE keys
export const TX_ACCESS_COUNT: usize = 236; // u32 entries
export const TX_BLOB_HASHES: usize = 240; // u32 pointer to 32-byte hashes
export const TX_BLOB_COUNT: usize = 244; // u32
export const TX_SIZE: usize = 256;

export const TXF_CREATE: u32 = 1;

// ---- per-transaction result, written by executeTx ----
export const R_STATUS: usize = 0; // i32 status (status.ts)
export const R_GAS_USED: usize = 8; // u64 gas charged to the sender (after refund)
export const R_GAS_REFUND: usize = 16; // u64 refund applied
export const R_LOGS: usize = 24; // u32 pointer to the log records (valid until the next transaction)
export const R_LOG_COUNT: usize = 28; // u32
export const R_LOG_BYTES: usize = 32; // u32
export const R_OUTPUT: usize = 36; // u32 pointer to the top frame's output
export const R_OUTPUT_LEN: usize = 40; // u32
export const R_CONTRACT: usize = 44; // 20 bytes: created address (creation only)
export const R_GAS_BEFORE_REFUND: usize = 64; // u64
export const R_BLOB_GAS_USED: usize = 72; // u64
export const R_BLOOM: usize = 96; // 256 bytes: the receipt's logs bloom (computed here: WASM keccak, in the worker)
export const R_SIZE: usize = 384; // a multiple of 64: records of neighbouring transactions do not share a cache line

// ---- this instance's running context ----
export let env: usize = 0;
export let tx: usize = 0;
export let fork: i32 = 0;
/** Pointer to this fork's requirements table (gas/tables.ts). */
export let forkTable: usize = 0;
/** Base of all fork tables (shared, read-only). */
export let tablesBase: usize = 0;
/** Effective gas price of the running transaction (u256, in this instance's arena). */
export let gasPrice: usize = 0;
/** Scratch words for handlers (this instance's arena). */
export let scratch: usize = 0;

export function setTables(p: usize): void { tablesBase = p; }
export function setScratch(gp: usize, s: usize): void { gasPrice = gp; scratch = s; }
export function setEnv(e: usize): void {
  env = e;
  fork = <i32>load<u32>(e + ENV_FORK);
  forkTable = tablesBase + (<usize>fork << 10);
}
export function setTx(t: usize): void { tx = t; }
