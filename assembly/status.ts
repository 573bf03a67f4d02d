// Result codes, in numeric ranges like revm's: success < 0x10, revert 0x10..0x1f, exceptional halt
// 0x20..0x3f, invalid transaction 0x40..0x5f, engine condition 0x60..0x7f. Never exceptions.
export const ST_CONTINUE: i32 = 0; // internal: the frame has not halted
export const ST_STOP: i32 = 1;
export const ST_RETURN: i32 = 2;
export const ST_SELFDESTRUCT: i32 = 3;

export const ST_REVERT: i32 = 0x10;

export const ST_OUT_OF_GAS: i32 = 0x20;
export const ST_STACK_UNDERFLOW: i32 = 0x21;
export const ST_STACK_OVERFLOW: i32 = 0x22;
export const ST_INVALID_OPCODE: i32 = 0x23; // includes 0xFE INVALID and opcodes not in the fork
export const ST_BAD_JUMP: i32 = 0x24;
export const ST_STATIC_VIOLATION: i32 = 0x25;
export const ST_RETURNDATA_OOB: i32 = 0x26;
export const ST_CREATE_COLLISION: i32 = 0x27;
export const ST_CODE_SIZE_LIMIT: i32 = 0x28; // EIP-170
export const ST_INVALID_CODE_PREFIX: i32 = 0x29; // EIP-3541
export const ST_PRECOMPILE_FAIL: i32 = 0x2a;
export const ST_INITCODE_SIZE: i32 = 0x2b; // EIP-3860 inside CREATE/CREATE2 (exceptional halt)

// Invalid transactions: nothing is applied.
export const ST_TX_NONCE_TOO_LOW: i32 = 0x40;
export const ST_TX_NONCE_TOO_HIGH: i32 = 0x41;
export const ST_TX_NONCE_MAX: i32 = 0x42;
export const ST_TX_INSUFFICIENT_FUNDS: i32 = 0x43;
export const ST_TX_SENDER_NOT_EOA: i32 = 0x44; // EIP-3607
export const ST_TX_FEE_CAP_TOO_LOW: i32 = 0x45; // maxFeePerGas < baseFee
export const ST_TX_BLOB_FEE_CAP_TOO_LOW: i32 = 0x46;
export const ST_TX_GAS_ALLOWANCE_EXCEEDED: i32 = 0x47; // gasLimit above what the block has left
export const ST_TX_INTRINSIC_GAS: i32 = 0x48;
export const ST_TX_BLOB_GAS_EXCEEDED: i32 = 0x49;

// Engine conditions: not a property of the transaction.
export const ST_FATAL_ARENA: i32 = 0x60; // a worker region is exhausted
export const ST_FATAL_TABLE: i32 = 0x61; // a hash table is full
export const ST_BLOCKED: i32 = 0x62; // parallel: a read met an ESTIMATE (dependency), re-run later
