// Typed errors. Every error the data layer throws carries a stable machine-readable `code`
// so that callers (runners, the executor) can compare reasons without parsing messages.

/** Base class of every parevm error: `code` is stable, `field` names the offending input when known. */
export class ParevmError extends Error {
  /** Stable machine-readable reason, e.g. 'RLP_TRAILING_BYTES' or 'INTRINSIC_GAS_TOO_LOW'. */
  readonly code: string;
  /** The input field (or path) the error is about, when there is one. */
  readonly field?: string;

  /**
   * @param code stable reason code
   * @param message human-readable explanation
   * @param field offending field, if any
   * @param options standard Error options (e.g. `cause`)
   */
  constructor(code: string, message: string, field?: string, options?: ErrorOptions) {
    super(field !== undefined ? `${message} (field: ${field})` : message, options);
    this.name = new.target.name;
    this.code = code;
    if (field !== undefined) this.field = field;
  }
}

/** Malformed or non-canonical RLP. `offset` is the byte position where decoding failed, when known. */
export class RlpError extends ParevmError {
  /** Byte offset into the decoded buffer where the problem was found. */
  readonly offset?: number;

  /**
   * @param code reason code (RLP_*)
   * @param message explanation
   * @param offset byte offset of the problem
   * @param field offending field, if any
   */
  constructor(code: string, message: string, offset?: number, field?: string) {
    super(code, offset !== undefined ? `${message} at offset ${offset}` : message, field);
    if (offset !== undefined) this.offset = offset;
  }
}

/** Malformed hex string (missing prefix, odd length, bad digit, wrong size). */
export class HexError extends ParevmError {}

/**
 * Invalid transaction. `code` follows the ethereum/tests `TransactionException.X` names
 * (without the prefix) where one exists, e.g. 'INTRINSIC_GAS_TOO_LOW', 'TYPE_3_TX_ZERO_BLOBS'.
 */
export class TxError extends ParevmError {}

/** Malformed JSON input (fixtures, CLI input): names the file, case and field. */
export class InputError extends ParevmError {
  /** Source file of the input, when known. */
  readonly file?: string;
  /** Test case / record name inside the file, when known. */
  readonly caseName?: string;

  /**
   * @param message explanation
   * @param where location of the problem
   */
  constructor(message: string, where: { file?: string; caseName?: string; field?: string } = {}) {
    const loc = [where.file, where.caseName].filter((x) => x !== undefined).join(' / ');
    super('INPUT_INVALID', loc ? `${loc}: ${message}` : message, where.field);
    if (where.file !== undefined) this.file = where.file;
    if (where.caseName !== undefined) this.caseName = where.caseName;
  }
}
