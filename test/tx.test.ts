// Transactions: the EIP-155 specification example (independent expected values), plus typed
// transactions signed here with @noble/curves and checked against the signer's own address.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { TxError } from '../src/errors.js';
import { Fork, forkFromName } from '../src/forks.js';
import { bytesToHex, concatBytes, hexToBytes } from '../src/hex.js';
import { rlpEncode } from '../src/rlp.js';
import {
  SECP256K1_N, decodeTx, encodeTx, intrinsicGas, recoverSender, signingHash, txHash, validateTxStatic, type Tx,
} from '../src/tx.js';

const hex = bytesToHex;

function throwsCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, TxError, `expected TxError, got ${(e as Error).name}: ${(e as Error).message}`);
    assert.is((e as TxError).code, code, (e as Error).message);
    return;
  }
  assert.unreachable(`expected TxError ${code}`);
}

// EIP-155 example (https://eips.ethereum.org/EIPS/eip-155): key 0x4646..46, chain id 1.
const EIP155_SIGNED =
  '0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83';
const EIP155_KEY = hexToBytes('0x' + '46'.repeat(32));

function addressOf(secretKey: Uint8Array): string {
  return hex(keccak_256(secp256k1.getPublicKey(secretKey, false).subarray(1)).slice(12));
}

test('EIP-155 example: decode, signing hash, sender', () => {
  const tx = decodeTx(hexToBytes(EIP155_SIGNED));
  assert.is(tx.type, 0);
  assert.is(tx.nonce, 9n);
  assert.is(tx.gasPrice, 20n * 10n ** 9n);
  assert.is(tx.maxFeePerGas, tx.gasPrice);
  assert.is(tx.gasLimit, 21000n);
  assert.is(hex(tx.to!), '0x' + '35'.repeat(20));
  assert.is(tx.value, 10n ** 18n);
  assert.is(tx.chainId, 1n);
  assert.is(tx.v, 37n);
  assert.is(tx.yParity, 0);
  assert.is(tx.r, 18515461264373351373200002665853028612451056578545711640558177340181847433846n);
  assert.is(tx.s, 46948507304638947509940763649030358759909902576025900602547168820602576006531n);
  assert.is(hex(signingHash(tx)), '0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53');
  const sender = hex(recoverSender(tx, Fork.SpuriousDragon));
  assert.is(sender, addressOf(EIP155_KEY));
  assert.is(sender, '0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f');
  assert.is(hex(encodeTx(tx)), EIP155_SIGNED);
  assert.is(hex(txHash(hexToBytes(EIP155_SIGNED))), hex(keccak_256(hexToBytes(EIP155_SIGNED))));
  // EIP-155 signatures are invalid before Spurious Dragon, and for another chain.
  throwsCode(() => recoverSender(tx, Fork.Homestead), 'INVALID_SIGNATURE_VRS');
  throwsCode(() => recoverSender(tx, Fork.Cancun, { chainId: 5n }), 'INVALID_CHAINID');
  assert.is(validateTxStatic(tx, Fork.Cancun), 21000n);
});

const KEY = hexToBytes('0x' + '0123456789abcdef'.repeat(4));

function sign(tx: Tx, key = KEY): Tx {
  const sig = secp256k1.Signature.fromBytes(secp256k1.sign(signingHash(tx), key, { prehash: false, format: 'recovered' }), 'recovered');
  const parity = sig.recovery!;
  let v = BigInt(parity);
  if (tx.type === 0) v = tx.chainId === undefined ? 27n + v : tx.chainId * 2n + 35n + v;
  return { ...tx, v, r: sig.r, s: sig.s, yParity: parity };
}

function baseTx(type: 0 | 1 | 2 | 3): Tx {
  return {
    type,
    chainId: 1n,
    nonce: 7n,
    maxFeePerGas: 100n,
    maxPriorityFeePerGas: type >= 2 ? 2n : 100n,
    ...(type < 2 ? { gasPrice: 100n } : {}),
    gasLimit: 100000n,
    to: hexToBytes('0x' + 'ab'.repeat(20)),
    value: 12345n,
    data: Uint8Array.of(0, 1, 0, 2),
    accessList: type === 0 ? [] : [{ address: hexToBytes('0x' + '11'.repeat(20)), storageKeys: [new Uint8Array(32), new Uint8Array(32).fill(1)] }],
    ...(type === 3 ? { maxFeePerBlobGas: 9n, blobVersionedHashes: [concatBytes(Uint8Array.of(1), new Uint8Array(31))] } : {}),
    v: 0n,
    r: 0n,
    s: 0n,
    yParity: 0,
  };
}

test('typed transactions: sign, encode, decode, recover', () => {
  for (const type of [0, 1, 2, 3] as const) {
    const signed = sign(baseTx(type));
    const bytes = encodeTx(signed);
    if (type > 0) assert.is(bytes[0], type);
    else assert.ok(bytes[0]! >= 0xc0);
    const tx = decodeTx(bytes);
    assert.is(tx.type, type);
    assert.is(tx.nonce, 7n);
    assert.is(tx.value, 12345n);
    assert.is(tx.accessList.length, type === 0 ? 0 : 1);
    if (type === 3) assert.is(tx.blobVersionedHashes!.length, 1);
    assert.is(hex(recoverSender(tx)), addressOf(KEY), `type ${type}`);
    assert.is(hex(encodeTx(tx)), hex(bytes));
    // The signing hash commits to every field: change one and the sender changes.
    assert.is.not(hex(recoverSender({ ...tx, value: 12346n })), addressOf(KEY));
    assert.ok(validateTxStatic(tx, Fork.Cancun) > 21000n);
  }
});

test('legacy without EIP-155 and signature malleability (EIP-2)', () => {
  const pre155 = sign({ ...baseTx(0), chainId: undefined } as Tx);
  delete (pre155 as { chainId?: bigint }).chainId;
  const tx = decodeTx(encodeTx(pre155));
  assert.is(tx.chainId, undefined);
  assert.ok(tx.v === 27n || tx.v === 28n);
  assert.is(hex(recoverSender(tx, Fork.Frontier)), addressOf(KEY));
  // (r, n - s) with the other parity is the same signature's twin: Frontier accepts it, Homestead does not.
  const high = { ...tx, s: SECP256K1_N - tx.s, yParity: 1 - tx.yParity, v: tx.v === 27n ? 28n : 27n };
  assert.is(hex(recoverSender(decodeTx(encodeTx(high)), Fork.Frontier)), addressOf(KEY));
  throwsCode(() => recoverSender(high, Fork.Homestead), 'INVALID_SIGNATURE_VRS');
  throwsCode(() => recoverSender({ ...tx, r: 0n }, Fork.Frontier), 'INVALID_SIGNATURE_VRS');
  throwsCode(() => recoverSender({ ...tx, s: SECP256K1_N }, Fork.Frontier), 'INVALID_SIGNATURE_VRS');
});

test('intrinsic gas per fork', () => {
  const call = baseTx(0); // data 00 01 00 02: two zero and two non-zero bytes
  assert.is(intrinsicGas(call, Fork.Frontier), 21000n + 2n * 4n + 2n * 68n);
  assert.is(intrinsicGas(call, Fork.Petersburg), 21144n);
  assert.is(intrinsicGas(call, Fork.Istanbul), 21000n + 2n * 4n + 2n * 16n);
  const create = { ...call, to: null, data: new Uint8Array(33).fill(0xff) };
  assert.is(intrinsicGas(create, Fork.Frontier), 21000n + 33n * 68n);
  assert.is(intrinsicGas(create, Fork.Homestead), 53000n + 33n * 68n);
  assert.is(intrinsicGas(create, Fork.London), 53000n + 33n * 16n);
  // EIP-3860: 2 gas per started 32-byte word of init code (33 bytes = 2 words).
  assert.is(intrinsicGas(create, Fork.Shanghai), 53000n + 33n * 16n + 4n);
  // EIP-2930: 2400 per address, 1900 per storage key.
  assert.is(intrinsicGas(baseTx(1), Fork.Berlin), 21040n + 2400n + 2n * 1900n);
});

test('validateTxStatic rejections', () => {
  const t2 = sign(baseTx(2));
  throwsCode(() => validateTxStatic(t2, Fork.Berlin), 'TYPE_NOT_SUPPORTED');
  throwsCode(() => validateTxStatic(sign(baseTx(1)), Fork.Istanbul), 'TYPE_NOT_SUPPORTED');
  throwsCode(() => validateTxStatic(sign(baseTx(3)), Fork.Shanghai), 'TYPE_NOT_SUPPORTED');
  throwsCode(() => validateTxStatic({ ...t2, gasLimit: 21000n }, Fork.Cancun), 'INTRINSIC_GAS_TOO_LOW');
  throwsCode(() => validateTxStatic({ ...t2, nonce: 2n ** 64n - 1n }, Fork.Cancun), 'NONCE_TOO_BIG');
  assert.ok(validateTxStatic({ ...t2, nonce: 2n ** 64n - 2n }, Fork.Cancun) > 0n);
  throwsCode(() => validateTxStatic({ ...t2, gasLimit: 2n ** 64n }, Fork.Cancun), 'GASLIMIT_OVERFLOW');
  throwsCode(() => validateTxStatic({ ...t2, maxPriorityFeePerGas: 101n }, Fork.Cancun), 'PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS');
  throwsCode(() => validateTxStatic({ ...t2, maxFeePerGas: 2n ** 255n, maxPriorityFeePerGas: 0n }, Fork.Cancun), 'GASLIMIT_PRICE_PRODUCT_OVERFLOW');
  throwsCode(() => validateTxStatic({ ...t2, chainId: 5n }, Fork.Cancun), 'INVALID_CHAINID');
  // EIP-3860: init code above 49152 bytes is invalid from Shanghai only.
  const big = { ...t2, to: null, data: new Uint8Array(49153), gasLimit: 10_000_000n };
  assert.ok(validateTxStatic(big, Fork.London) > 53000n);
  throwsCode(() => validateTxStatic(big, Fork.Shanghai), 'INITCODE_SIZE_EXCEEDED');
  assert.ok(validateTxStatic({ ...big, data: new Uint8Array(49152) }, Fork.Shanghai) > 53000n);
  // EIP-4844 rules.
  const t3 = sign(baseTx(3));
  assert.ok(validateTxStatic(t3, Fork.Cancun) > 21000n);
  throwsCode(() => validateTxStatic({ ...t3, to: null }, Fork.Cancun), 'TYPE_3_TX_CONTRACT_CREATION');
  throwsCode(() => validateTxStatic({ ...t3, blobVersionedHashes: [] }, Fork.Cancun), 'TYPE_3_TX_ZERO_BLOBS');
  const h = t3.blobVersionedHashes![0]!;
  throwsCode(() => validateTxStatic({ ...t3, blobVersionedHashes: Array(7).fill(h) }, Fork.Cancun), 'TYPE_3_TX_BLOB_COUNT_EXCEEDED');
  assert.ok(validateTxStatic({ ...t3, blobVersionedHashes: Array(6).fill(h) }, Fork.Cancun) > 0n);
  throwsCode(() => validateTxStatic({ ...t3, blobVersionedHashes: [new Uint8Array(32)] }, Fork.Cancun), 'TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH');
});

test('decodeTx rejections', () => {
  const good = sign(baseTx(0));
  const fields = (over: Record<number, Uint8Array | Uint8Array[]>) => {
    const f: (Uint8Array | bigint | Uint8Array[])[] = [good.nonce, good.gasPrice!, good.gasLimit, good.to!, good.value, good.data, good.v, good.r, good.s];
    for (const [i, v] of Object.entries(over)) f[Number(i)] = v;
    return rlpEncode(f);
  };
  assert.is(hex(recoverSender(decodeTx(fields({})))), addressOf(KEY));
  throwsCode(() => decodeTx(fields({ 0: Uint8Array.of(0, 7) })), 'RLP_LEADING_ZEROS_NONCE');
  throwsCode(() => decodeTx(fields({ 3: new Uint8Array(19) })), 'ADDRESS_TOO_SHORT');
  throwsCode(() => decodeTx(fields({ 3: new Uint8Array(21) })), 'ADDRESS_TOO_LONG');
  throwsCode(() => decodeTx(fields({ 2: [] })), 'RLP_INVALID_GASLIMIT');
  throwsCode(() => decodeTx(fields({ 4: new Uint8Array(33).fill(1) })), 'VALUE_OVERFLOW');
  throwsCode(() => decodeTx(fields({ 6: Uint8Array.of(29) })), 'INVALID_SIGNATURE_VRS');
  throwsCode(() => decodeTx(rlpEncode([1n, 2n])), 'RLP_TOO_FEW_ELEMENTS');
  const bytes = encodeTx(good);
  throwsCode(() => decodeTx(bytes.subarray(0, bytes.length - 1)), 'RLP_TRUNCATED');
  throwsCode(() => decodeTx(concatBytes(bytes, Uint8Array.of(0))), 'RLP_TRAILING_BYTES');
  throwsCode(() => decodeTx(concatBytes(Uint8Array.of(5), bytes)), 'TYPE_NOT_SUPPORTED');
  throwsCode(() => decodeTx(Uint8Array.of(0x80)), 'TYPE_NOT_SUPPORTED');
  throwsCode(() => decodeTx(new Uint8Array(0)), 'RLP_ERROR_EOF');
  const t2 = encodeTx(sign(baseTx(2)));
  throwsCode(() => decodeTx(concatBytes(Uint8Array.of(1), t2.subarray(1))), 'RLP_TOO_MANY_ELEMENTS');
});

test('fork names', () => {
  assert.is(forkFromName('EIP150'), Fork.TangerineWhistle);
  assert.is(forkFromName('TangerineWhistle'), Fork.TangerineWhistle);
  assert.is(forkFromName('EIP158'), Fork.SpuriousDragon);
  assert.is(forkFromName('ConstantinopleFix'), Fork.Petersburg);
  assert.is(forkFromName('Merge'), Fork.Paris);
  assert.is(forkFromName('Paris'), 10);
  assert.is(forkFromName('Cancun'), 12);
  assert.is(forkFromName('Prague'), 13);
  assert.throws(() => forkFromName('Atlantis'));
});

test.run();
