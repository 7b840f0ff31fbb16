// 2025 data-unit encryption key exchange (0x0B, §12.3): key type BYTE, key length WORD, key,
// validity start time(6), validity end time(6).
import { fromHex } from '../bytes.js';
import { DecodeFailure, GbtEncodeError } from '../errors.js';
import type { KeyExchangeBody } from '../model.js';
import { readHex } from '../strings.js';
import { readTime, writeTime } from '../time.js';
import { u16f } from '../values.js';
import type { CommandCodec } from './registry.js';
import { encryptionId, encryptionName } from './session.js';

export const keyExchangeCodec: CommandCodec<KeyExchangeBody> = {
  hasTime: true,
  decode(c) {
    const tStart = c.p;
    const keyTypeId = c.u8('keyType');
    const keyType = encryptionName(keyTypeId);
    if (c.trace) c.trace.field('keyType', tStart, c.p, keyType);
    const n = u16f(c, 'keyLength');
    if (n > c.remaining) throw new DecodeFailure('GBT_ERR_TRUNCATED', c.p - 2, `key length ${n} overruns the data unit`);
    const keyHex = readHex(c, n, 'key');
    const validFrom = readTime(c, 'validFrom');
    const validTo = readTime(c, 'validTo');
    if (c.p !== c.end) throw new DecodeFailure('GBT_ERR_BODY_LENGTH', c.p, `${c.end - c.p} byte(s) after the key exchange`);
    return { keyType, keyTypeId, keyHex, validFrom, validTo };
  },
  encode(w, body) {
    w.u8(encryptionId(body.keyType, body.keyTypeId, 'keyType'));
    const key = fromHex(body.keyHex);
    if (!key) throw new GbtEncodeError('keyHex is not hex');
    w.u16(key.length);
    w.bytes(key);
    writeTime(w, body.validFrom, 'validFrom');
    writeTime(w, body.validTo, 'validTo');
  },
};
