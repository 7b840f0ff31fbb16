// @nevhub/gbt32960 — GB/T 32960.3 (2016 "##" and 2025 "$$") codec. No I/O, no dependencies.
export * from './model.js';
export { ERROR_CODES, GbtEncodeError, GbtDecodeError, type ErrorCode } from './errors.js';
export { decodeFrame, encodeFrame, commandName, responseName, MAX_DATA_LENGTH, FRAME_OVERHEAD, HEADER_LENGTH } from './frame.js';
export type { DecodeOptions, EncodeOptions, FrameInput } from './frame.js';
export { frameTimeText, frameVinText, isValidDataFrame, scanFrame, type FrameScan } from './scan.js';
export { QUIRKS, ALL_QUIRKS, parseQuirks, type Quirk } from './lenient.js';
export type { KeyProvider, CipherContext } from './crypto.js';
export { toHex, fromHex, type Tracer } from './bytes.js';
export { bcc } from './bcc.js';
export { beijingTime, timeToDate, formatTime } from './time.js';
export { PARAMS, paramName, paramId, paramsWithLengths } from './commands/params.js';
export { CONTROLS, controlName, controlId, parseUpgrade, encodeUpgrade } from './commands/control.js';
export { FrameSplitter, type FrameSplitterOptions, type SplitError } from './splitter.js';
export { buildReply, replyFromBytes, replyFromBytesInto, replyLength, replyShape, replyCode, type ReplyShape, type RawReplyShape, type ReplyOptions } from './reply.js';
export { explainFrame, formatExplain, UNREAD, type ExplainResult, type ExplainedField } from './explain.js';
export { frameJsonSchema } from './schema.js';
