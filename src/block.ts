// Blocks in the JSON-RPC shape (`eth_getBlockByNumber(n, true)`): parsing with typed errors that name the
// field, and the block environment the EVM sees.
import { InputError } from './errors.js';
import { hexToBigInt, hexToBytes } from './hex.js';
import type { AccessListEntry, Tx, TxType } from './tx.js';

/** The header fields execution needs (and the ones it is checked against). */
export interface BlockHeader {
  number: bigint;
  timestamp: bigint;
  miner: Uint8Array;
  gasLimit: bigint;
  difficulty: bigint;
  /** PREVRANDAO after the Merge. */
  mixHash: Uint8Array;
  baseFeePerGas?: bigint;
  excessBlobGas?: bigint;
  blobGasUsed?: bigint;
  parentBeaconBlockRoot?: Uint8Array;
  hash?: Uint8Array;
  parentHash?: Uint8Array;
  /** Values to check the execution against. */
  gasUsed?: bigint;
  logsBloom?: Uint8Array;
  receiptsRoot?: Uint8Array;
  stateRoot?: Uint8Array;
}

/** EIP-4895 withdrawal (amount in gwei). */
export interface Withdrawal { index: bigint; validatorIndex: bigint; address: Uint8Array; amount: bigint }

/** An uncle header's fields that matter for the pre-Merge reward. */
export interface UncleHeader { number: bigint; miner: Uint8Array }

/** A transaction of a block, with the sender when the JSON gives it. */
export interface BlockTx { tx: Tx; from?: Uint8Array; hash?: Uint8Array }

/** A parsed block. */
export interface Block {
  header: BlockHeader;
  transactions: BlockTx[];
  withdrawals?: Withdrawal[];
  /** Uncle hashes as listed in the block. */
  uncles: string[];
  /** Uncle headers, when the caller has them (needed for exact pre-Merge uncle rewards). */
  uncleHeaders?: UncleHeader[];
}

type J = Record<string, unknown>;

interface Where { file?: string; field: string }

function q(o: J, key: string, w: Where, opts: { optional?: boolean; bits?: number } = {}): bigint | undefined {
  const v = o[key];
  const field = `${w.field}.${key}`;
  if (v === undefined || v === null) {
    if (opts.optional) return undefined;
    throw new InputError(`${field} is missing`, { file: w.file, field });
  }
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v !== 'string') throw new InputError(`${field}: expected a hex quantity, got ${JSON.stringify(v)}`, { file: w.file, field });
  try { return hexToBigInt(v, field, opts.bits ?? 256); } catch (e) { throw new InputError(`${field}: ${(e as Error).message}`, { file: w.file, field }); }
}
function qq(o: J, key: string, w: Where, bits = 256): bigint { return q(o, key, w, { bits })!; }

function bytes(o: J, key: string, w: Where, len?: number, optional = false): Uint8Array | undefined {
  const v = o[key];
  const field = `${w.field}.${key}`;
  if (v === undefined || v === null) {
    if (optional) return undefined;
    throw new InputError(`${field} is missing`, { file: w.file, field });
  }
  if (typeof v !== 'string') throw new InputError(`${field}: expected hex data`, { file: w.file, field });
  try { return hexToBytes(v, field, len === undefined ? {} : { length: len }); } catch (e) { throw new InputError(`${field}: ${(e as Error).message}`, { file: w.file, field }); }
}

function parseTx(t: J, i: number, file?: string): BlockTx {
  const w: Where = { file, field: `transactions[${i}]` };
  if (t === null || typeof t !== 'object') throw new InputError(`${w.field}: expected a transaction object (fetch the block with full transactions)`, { file, field: w.field });
  const type = Number(q(t, 'type', w, { optional: true, bits: 8 }) ?? 0n);
  if (type > 3) throw new InputError(`${w.field}.type: transaction type ${type} is not supported`, { file, field: `${w.field}.type` });
  const gasPrice = q(t, 'gasPrice', w, { optional: true });
  const maxFee = type >= 2 ? qq(t, 'maxFeePerGas', w) : gasPrice;
  if (maxFee === undefined) throw new InputError(`${w.field}.gasPrice is missing`, { file, field: `${w.field}.gasPrice` });
  const prio = type >= 2 ? qq(t, 'maxPriorityFeePerGas', w) : maxFee;
  const to = t.to === null || t.to === undefined || t.to === '0x' ? null : bytes(t, 'to', w, 20)!;
  const accessList: AccessListEntry[] = [];
  if (Array.isArray(t.accessList)) {
    t.accessList.forEach((e: J, k: number) => {
      const ew: Where = { file, field: `${w.field}.accessList[${k}]` };
      const keys = Array.isArray(e.storageKeys) ? e.storageKeys : [];
      accessList.push({
        address: bytes(e, 'address', ew, 20)!,
        storageKeys: keys.map((s: unknown, j: number) => bytes({ k: s }, 'k', { file, field: `${ew.field}.storageKeys[${j}]` }, 32)!),
      });
    });
  }
  const v = q(t, 'v', w, { optional: true }) ?? q(t, 'yParity', w, { optional: true }) ?? 0n;
  const yParity = Number(q(t, 'yParity', w, { optional: true }) ?? (type === 0 ? (v >= 35n ? (v - 35n) % 2n : v - 27n) : v));
  const tx: Tx = {
    type: type as TxType,
    chainId: q(t, 'chainId', w, { optional: true, bits: 64 }),
    nonce: qq(t, 'nonce', w, 64),
    gasPrice: type < 2 ? maxFee : undefined,
    maxFeePerGas: maxFee,
    maxPriorityFeePerGas: prio,
    gasLimit: qq(t, 'gas', w, 64),
    to,
    value: qq(t, 'value', w),
    data: bytes(t, 'input', w) ?? new Uint8Array(0),
    accessList,
    maxFeePerBlobGas: type === 3 ? qq(t, 'maxFeePerBlobGas', w) : undefined,
    blobVersionedHashes: type === 3 ? ((t.blobVersionedHashes as unknown[]) ?? []).map((h, j) => bytes({ h }, 'h', { file, field: `${w.field}.blobVersionedHashes[${j}]` }, 32)!) : undefined,
    v,
    r: q(t, 'r', w, { optional: true }) ?? 0n,
    s: q(t, 's', w, { optional: true }) ?? 0n,
    yParity: yParity === 1 ? 1 : 0,
  };
  return { tx, from: bytes(t, 'from', w, 20, true), hash: bytes(t, 'hash', w, 32, true) };
}

/** Parses an `eth_getBlockByNumber(n, true)` object. Errors name the field (and the file when given). */
export function parseBlock(json: unknown, file?: string): Block {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new InputError('block: expected a JSON object', { file, field: 'block' });
  const b = json as J;
  const w: Where = { file, field: 'block' };
  const header: BlockHeader = {
    number: qq(b, 'number', w, 64),
    timestamp: qq(b, 'timestamp', w, 64),
    miner: bytes(b, 'miner', w, 20)!,
    gasLimit: qq(b, 'gasLimit', w, 64),
    difficulty: q(b, 'difficulty', w, { optional: true }) ?? 0n,
    mixHash: bytes(b, 'mixHash', w, 32, true) ?? new Uint8Array(32),
    baseFeePerGas: q(b, 'baseFeePerGas', w, { optional: true }),
    excessBlobGas: q(b, 'excessBlobGas', w, { optional: true, bits: 64 }),
    blobGasUsed: q(b, 'blobGasUsed', w, { optional: true, bits: 64 }),
    parentBeaconBlockRoot: bytes(b, 'parentBeaconBlockRoot', w, 32, true),
    hash: bytes(b, 'hash', w, 32, true),
    parentHash: bytes(b, 'parentHash', w, 32, true),
    gasUsed: q(b, 'gasUsed', w, { optional: true, bits: 64 }),
    logsBloom: bytes(b, 'logsBloom', w, 256, true),
    receiptsRoot: bytes(b, 'receiptsRoot', w, 32, true),
    stateRoot: bytes(b, 'stateRoot', w, 32, true),
  };
  if (!Array.isArray(b.transactions)) throw new InputError('block.transactions: expected an array', { file, field: 'block.transactions' });
  const transactions = (b.transactions as J[]).map((t, i) => parseTx(t, i, file));
  let withdrawals: Withdrawal[] | undefined;
  if (Array.isArray(b.withdrawals)) {
    withdrawals = (b.withdrawals as J[]).map((x, i) => {
      const ww: Where = { file, field: `block.withdrawals[${i}]` };
      return { index: qq(x, 'index', ww, 64), validatorIndex: qq(x, 'validatorIndex', ww, 64), address: bytes(x, 'address', ww, 20)!, amount: qq(x, 'amount', ww, 64) };
    });
  }
  const uncles = Array.isArray(b.uncles) ? (b.uncles as unknown[]).map(String) : [];
  return { header, transactions, withdrawals, uncles };
}

/** Parses `{"<number>": "0x<hash>"}` (BLOCKHASH inputs). */
export function parseBlockHashes(json: unknown, file?: string): Map<bigint, Uint8Array> {
  const m = new Map<bigint, Uint8Array>();
  if (json === null || typeof json !== 'object') throw new InputError('block hashes: expected an object', { file, field: 'blockHashes' });
  for (const [k, v] of Object.entries(json as J)) {
    const field = `blockHashes.${k}`;
    if (!/^\d+$/.test(k)) throw new InputError(`${field}: key must be a decimal block number`, { file, field });
    if (typeof v !== 'string') throw new InputError(`${field}: expected a hash`, { file, field });
    m.set(BigInt(k), hexToBytes(v, field, { length: 32 }));
  }
  return m;
}
