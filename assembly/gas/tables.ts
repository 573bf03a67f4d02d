// Per-fork opcode requirements, checked once per opcode by the interpreter: constant gas, the stack items the
// opcode needs, whether it pushes one more than it pops (so the stack must have room), and whether the
// opcode exists in the fork. Each fork's table is the previous fork's with the changed entries.
//
// One u32 per opcode: bits 0..15 constant gas, bits 16..23 minimum stack height, bit 24 grows the stack,
// bit 31 undefined. FORK_COUNT tables of 256 entries are written once by the coordinator into a shared
// region (`buildTables`) and only read after that.
import {
  FRONTIER, HOMESTEAD, TANGERINE, SPURIOUS, BYZANTIUM, CONSTANTINOPLE, PETERSBURG, ISTANBUL, BERLIN, LONDON,
  PARIS, SHANGHAI, CANCUN, PRAGUE, OSAKA, FORK_COUNT,
} from '../fork';

export const REQ_GROWS: u32 = 1 << 24;
export const REQ_UNDEFINED: u32 = 1 << 31;
export const TABLE_BYTES: usize = 256 * 4;

let cur: usize = 0;

function def(op: i32, gas: u32, pops: u32, pushes: u32): void {
  store<u32>(cur + (<usize>op << 2), gas | (pops << 16) | (pushes > pops ? REQ_GROWS : 0));
}
function gas(op: i32, g: u32): void {
  const p = cur + (<usize>op << 2);
  store<u32>(p, (load<u32>(p) & ~0xffff) | g);
}

function frontier(): void {
  for (let op = 0; op < 256; op++) store<u32>(cur + (<usize>op << 2), REQ_UNDEFINED);
  def(0x00, 0, 0, 0); // STOP
  def(0x01, 3, 2, 1); def(0x02, 5, 2, 1); def(0x03, 3, 2, 1); def(0x04, 5, 2, 1); // ADD MUL SUB DIV
  def(0x05, 5, 2, 1); def(0x06, 5, 2, 1); def(0x07, 5, 2, 1); // SDIV MOD SMOD
  def(0x08, 8, 3, 1); def(0x09, 8, 3, 1); def(0x0a, 10, 2, 1); def(0x0b, 5, 2, 1); // ADDMOD MULMOD EXP SIGNEXTEND
  for (let op = 0x10; op <= 0x14; op++) def(op, 3, 2, 1); // LT GT SLT SGT EQ
  def(0x15, 3, 1, 1); // ISZERO
  def(0x16, 3, 2, 1); def(0x17, 3, 2, 1); def(0x18, 3, 2, 1); def(0x19, 3, 1, 1); def(0x1a, 3, 2, 1); // AND OR XOR NOT BYTE
  def(0x20, 30, 2, 1); // KECCAK256
  def(0x30, 2, 0, 1); def(0x31, 20, 1, 1); def(0x32, 2, 0, 1); def(0x33, 2, 0, 1); // ADDRESS BALANCE ORIGIN CALLER
  def(0x34, 2, 0, 1); def(0x35, 3, 1, 1); def(0x36, 2, 0, 1); def(0x37, 3, 3, 0); // CALLVALUE CALLDATALOAD CALLDATASIZE CALLDATACOPY
  def(0x38, 2, 0, 1); def(0x39, 3, 3, 0); def(0x3a, 2, 0, 1); // CODESIZE CODECOPY GASPRICE
  def(0x3b, 20, 1, 1); def(0x3c, 20, 4, 0); // EXTCODESIZE EXTCODECOPY
  def(0x40, 20, 1, 1); // BLOCKHASH
  for (let op = 0x41; op <= 0x45; op++) def(op, 2, 0, 1); // COINBASE TIMESTAMP NUMBER DIFFICULTY GASLIMIT
  def(0x50, 2, 1, 0); def(0x51, 3, 1, 1); def(0x52, 3, 2, 0); def(0x53, 3, 2, 0); // POP MLOAD MSTORE MSTORE8
  def(0x54, 50, 1, 1); def(0x55, 0, 2, 0); // SLOAD SSTORE (SSTORE is all dynamic)
  def(0x56, 8, 1, 0); def(0x57, 10, 2, 0); def(0x58, 2, 0, 1); def(0x59, 2, 0, 1); // JUMP JUMPI PC MSIZE
  def(0x5a, 2, 0, 1); def(0x5b, 1, 0, 0); // GAS JUMPDEST
  for (let op = 0x60; op <= 0x7f; op++) def(op, 3, 0, 1); // PUSH1..PUSH32
  for (let n = 1; n <= 16; n++) def(0x7f + n, 3, <u32>n, <u32>n + 1); // DUP1..DUP16
  for (let n = 1; n <= 16; n++) def(0x8f + n, 3, <u32>n + 1, <u32>n + 1); // SWAP1..SWAP16
  for (let n = 0; n <= 4; n++) def(0xa0 + n, 375 + 375 * <u32>n, 2 + <u32>n, 0); // LOG0..LOG4
  def(0xf0, 32000, 3, 1); def(0xf1, 40, 7, 1); def(0xf2, 40, 7, 1); def(0xf3, 0, 2, 0); // CREATE CALL CALLCODE RETURN
  def(0xff, 0, 1, 0); // SELFDESTRUCT
}

/** Writes FORK_COUNT tables at `dst` (FORK_COUNT * TABLE_BYTES bytes). */
export function buildTables(dst: usize): void {
  for (let fork = FRONTIER; fork < FORK_COUNT; fork++) {
    cur = dst + <usize>fork * TABLE_BYTES;
    if (fork == FRONTIER) { frontier(); continue; }
    memory.copy(cur, cur - TABLE_BYTES, TABLE_BYTES);
    switch (fork) {
      case HOMESTEAD:
        def(0xf4, 40, 6, 1); // EIP-7: DELEGATECALL
        break;
      case TANGERINE: // EIP-150: repricing for IO-heavy operations
        gas(0x31, 400); // BALANCE
        gas(0x3b, 700); gas(0x3c, 700); // EXTCODESIZE EXTCODECOPY
        gas(0x54, 200); // SLOAD
        gas(0xf1, 700); gas(0xf2, 700); gas(0xf4, 700); // CALL CALLCODE DELEGATECALL
        gas(0xff, 5000); // SELFDESTRUCT
        break;
      case SPURIOUS:
        break; // EIP-160 (EXP byte cost) is dynamic; EIP-161/170 are not table entries
      case BYZANTIUM:
        def(0x3d, 2, 0, 1); def(0x3e, 3, 3, 0); // EIP-211: RETURNDATASIZE RETURNDATACOPY
        def(0xfa, 700, 6, 1); // EIP-214: STATICCALL
        def(0xfd, 0, 2, 0); // EIP-140: REVERT
        break;
      case CONSTANTINOPLE:
        def(0x1b, 3, 2, 1); def(0x1c, 3, 2, 1); def(0x1d, 3, 2, 1); // EIP-145: SHL SHR SAR
        def(0x3f, 400, 1, 1); // EIP-1052: EXTCODEHASH
        def(0xf5, 32000, 4, 1); // EIP-1014: CREATE2
        break;
      case PETERSBURG:
        break; // EIP-1283 removed: dynamic only
      case ISTANBUL:
        gas(0x31, 700); // EIP-1884: BALANCE
        gas(0x3f, 700); // EIP-1884: EXTCODEHASH
        gas(0x54, 800); // EIP-1884: SLOAD
        def(0x46, 2, 0, 1); // EIP-1344: CHAINID
        def(0x47, 5, 0, 1); // EIP-1884: SELFBALANCE
        break;
      case BERLIN: // EIP-2929: the constant part is the warm cost; cold surcharges are dynamic
        gas(0x31, 100); gas(0x3b, 100); gas(0x3c, 100); gas(0x3f, 100); // BALANCE EXTCODE*
        gas(0x54, 100); // SLOAD
        gas(0xf1, 0); gas(0xf2, 0); gas(0xf4, 0); gas(0xfa, 0); // CALL family: access cost charged dynamically
        break;
      case LONDON:
        def(0x48, 2, 0, 1); // EIP-3198: BASEFEE
        break;
      case PARIS:
        break; // EIP-4399: DIFFICULTY becomes PREVRANDAO (same opcode and cost)
      case SHANGHAI:
        def(0x5f, 2, 0, 1); // EIP-3855: PUSH0
        break;
      case CANCUN:
        def(0x5c, 100, 1, 1); def(0x5d, 100, 2, 0); // EIP-1153: TLOAD TSTORE
        def(0x5e, 3, 3, 0); // EIP-5656: MCOPY
        def(0x49, 3, 1, 1); // EIP-4844: BLOBHASH
        def(0x4a, 2, 0, 1); // EIP-7516: BLOBBASEFEE
        break;
      case PRAGUE:
        break; // EIP-7702 changes no opcode entry
      case OSAKA:
        def(0x1e, 5, 1, 1); // EIP-7939: CLZ (the interpreter handles it once Osaka is enabled)
        break;
      default: break;
    }
  }
}
