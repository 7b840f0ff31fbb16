// Every error and warning code the codec can report, defined once (fastify's error-table style).
// Codes are stable: users match on them. Messages are templates for humans.

export const ERROR_CODES = {
  GBT_ERR_START: 'frame does not start with "##" (2016) or "$$" (2025)',
  GBT_ERR_TRUNCATED: 'frame or field ends before its declared length',
  GBT_ERR_LENGTH: 'data-unit length field disagrees with the bytes received or exceeds the limit',
  GBT_ERR_BCC: 'BCC check byte does not match the XOR of command through data unit',
  GBT_ERR_UNKNOWN_INFO_TYPE: 'information type is reserved in this edition, so the item length is unknown',
  GBT_ERR_FIELD_RANGE: 'field value is outside the range the standard allows',
  GBT_ERR_BODY_LENGTH: 'data unit is longer or shorter than its command defines',
  GBT_ERR_UNKNOWN_PARAM: 'parameter ID is reserved or user-defined, so its width is unknown',
  GBT_ERR_SIGNATURE: 'signature block is malformed',
  GBT_ERR_MISSING_SIGNATURE: '2025 realtime/reissue frame has no signature block',
  GBT_ERR_TRAILING_DATA: 'bytes after the last item belong to no item',
  GBT_ERR_DECRYPT: 'data unit could not be decrypted with the key provided',
  GBT_ERR_BUFFER_LIMIT: 'stream buffered more bytes than allowed without a complete frame',
  GBT_ERR_ENCODE: 'value cannot be encoded',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Internal control flow of the decoder: thrown by body readers, caught by decodeFrame. */
export class DecodeFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = 'DecodeFailure';
  }
}

/** Thrown by the encoder when the model holds a value that has no wire form (a programming error). */
export class GbtEncodeError extends Error {
  readonly code = 'GBT_ERR_ENCODE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GbtEncodeError';
  }
}

/** A decode failure turned into an Error, for the CLI and API layers. */
export class GbtDecodeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly offset: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GbtDecodeError';
  }
}
