// Vehicle signature (2025 §9.10): algorithm BYTE, R length WORD, R, S length WORD, S.
// Used after the 0xFF marker of realtime/reissue and at the end of activation (§12.1).
import { fromHex, type Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import { DecodeFailure, GbtEncodeError } from '../errors.js';
import type { Signature } from '../model.js';
import { readHex } from '../strings.js';

const ALGORITHMS = [undefined, 'sm2', 'rsa', 'ecc'] as const;

/** Reads the block; signedStart/signedEnd are set by the caller (what the signature covers). */
export function readSignature(c: Ctx, signedStart: number, signedEnd: number): Signature {
  const algStart = c.p;
  const algorithmId = c.u8('signature.algorithm');
  const algorithm = ALGORITHMS[algorithmId] ?? algorithmId;
  if (c.trace) c.trace.field('signature.algorithm', algStart, c.p, algorithm);
  const rStart = c.p;
  const rLen = c.u16('signature.rLength');
  if (c.trace) c.trace.field('signature.rLength', rStart, c.p, rLen);
  if (rLen > c.remaining) throw new DecodeFailure('GBT_ERR_SIGNATURE', rStart, `signature R length ${rLen} overruns the data unit`);
  const rHex = readHex(c, rLen, 'signature.r');
  const sStart = c.p;
  const sLen = c.u16('signature.sLength');
  if (c.trace) c.trace.field('signature.sLength', sStart, c.p, sLen);
  if (sLen > c.remaining) throw new DecodeFailure('GBT_ERR_SIGNATURE', sStart, `signature S length ${sLen} overruns the data unit`);
  const sHex = readHex(c, sLen, 'signature.s');
  return { algorithm, algorithmId, rHex, sHex, signedStart, signedEnd };
}

export function writeSignature(w: Writer, s: Pick<Signature, 'algorithmId' | 'rHex' | 'sHex'>): void {
  const r = fromHex(s.rHex);
  const sv = fromHex(s.sHex);
  if (!r || !sv) throw new GbtEncodeError('signature: R or S is not hex');
  w.u8(s.algorithmId);
  w.u16(r.length);
  w.bytes(r);
  w.u16(sv.length);
  w.bytes(sv);
}
