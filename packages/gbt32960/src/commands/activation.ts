// 2025 activation (0x09, §12.1) and activation response (0x0A, §12.2).
import type { Ctx } from '../context.js';
import { DecodeFailure, GbtEncodeError } from '../errors.js';
import { fromHex } from '../bytes.js';
import type { ActivationBody, ActivationResponseBody } from '../model.js';
import { readSignature, writeSignature } from '../info/signature.js';
import { readHex, readText, writeText } from '../strings.js';
import { u16f } from '../values.js';
import type { CommandCodec } from './registry.js';

const CHIP_ID_BYTES = 16;
const VIN_BYTES = 17;

/** time(6), chip ID 16 (space padded), public-key length WORD, key, VIN 17, signature block.
 * The signature covers the time through the VIN (rtm_con). */
export const activationCodec: CommandCodec<ActivationBody> = {
  hasTime: true,
  decode(c) {
    const signedStart = c.p - 6;
    const chipId = readText(c, CHIP_ID_BYTES, 'chipId');
    const keyLength = u16f(c, 'publicKeyLength');
    if (keyLength > c.remaining) throw new DecodeFailure('GBT_ERR_TRUNCATED', c.p - 2, `public key length ${keyLength} overruns the data unit`);
    const publicKeyHex = readHex(c, keyLength, 'publicKey');
    const activationVin = readText(c, VIN_BYTES, 'activationVin');
    const signedEnd = c.p;
    const signature = readSignature(c, signedStart, signedEnd);
    if (c.p !== c.end) throw new DecodeFailure('GBT_ERR_BODY_LENGTH', c.p, `${c.end - c.p} byte(s) after the activation signature`);
    return { chipId, publicKeyHex, activationVin, signature };
  },
  encode(w, body) {
    writeText(w, body.chipId, CHIP_ID_BYTES, 'chipId');
    const key = fromHex(body.publicKeyHex);
    if (!key) throw new GbtEncodeError('publicKeyHex is not hex');
    w.u16(key.length);
    w.bytes(key);
    writeText(w, body.activationVin, VIN_BYTES, 'activationVin');
    writeSignature(w, body.signature);
  },
};

const STATUS = [undefined, 'activated', 'failed'] as const;
/** 0x00 succeeded, 0x01 chip already activated, 0x02 VIN duplicate; 0x03 also read as VIN duplicate
 * to tolerate rtm_con-style senders (spec §12.2). */
const INFO = ['success', 'alreadyActivated', 'vinDuplicate', 'vinDuplicate'] as const;

/** Activation response: 2 bytes, no time field (spec §12.2). */
export const activationResponseCodec: CommandCodec<ActivationResponseBody> = {
  hasTime: false,
  decode(c: Ctx) {
    const sStart = c.p;
    const s = c.u8('status');
    const status = STATUS[s] ?? s;
    if (c.trace) c.trace.field('status', sStart, c.p, status);
    const iStart = c.p;
    const infoId = c.u8('info');
    const info = INFO[infoId] ?? infoId;
    if (c.trace) c.trace.field('info', iStart, c.p, info);
    if (c.p !== c.end) throw new DecodeFailure('GBT_ERR_BODY_LENGTH', c.p, 'activation response is 2 bytes');
    return { status, info, infoId };
  },
  encode(w, body) {
    const s = typeof body.status === 'number' ? body.status : STATUS.indexOf(body.status as 'activated');
    if (s < 0) throw new GbtEncodeError(`activation status "${String(body.status)}"`);
    w.u8(s);
    let i = body.infoId;
    if (i === undefined || INFO[i] !== body.info) {
      i = typeof body.info === 'number' ? body.info : INFO.indexOf(body.info as 'success');
    }
    if (i < 0) throw new GbtEncodeError(`activation info "${String(body.info)}"`);
    w.u8(i);
  },
};
