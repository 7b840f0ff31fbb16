// Parameter query (0x80) and setting (0x81), Annex B (spec §11.1–11.3). The widths of 0x02/0x03
// depend on the edition (WORD in 2016, BYTE in 2025, §11.3), so a list can only be walked knowing it.
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import { DecodeFailure, GbtEncodeError } from '../errors.js';
import type { Param, ParamsBody, ParamValue, Version } from '../model.js';
import { readText, textToBytes } from '../strings.js';
import { count8, n8, n16, u8f, w8, w16, wCount8 } from '../values.js';
import type { CommandCodec } from './registry.js';

type Kind = 'byte' | 'word' | 'text' | 'version';

interface ParamSpec {
  name: string;
  kind2016: Kind;
  kind2025: Kind;
  /** Highest valid raw value (range warnings). */
  max?: number;
}

/** §11.3 parameter table. Text parameters 0x05/0x0E take their length from 0x04/0x0D. */
export const PARAMS: Record<number, ParamSpec> = {
  0x01: { name: 'storagePeriodMs', kind2016: 'word', kind2025: 'word', max: 60000 },
  0x02: { name: 'reportPeriodS', kind2016: 'word', kind2025: 'byte', max: 600 },
  0x03: { name: 'alarmReportPeriod', kind2016: 'word', kind2025: 'byte', max: 60000 },
  0x04: { name: 'platformDomainLength', kind2016: 'byte', kind2025: 'byte' },
  0x05: { name: 'platformDomain', kind2016: 'text', kind2025: 'text' },
  0x06: { name: 'platformPort', kind2016: 'word', kind2025: 'word' },
  0x07: { name: 'hardwareVersion', kind2016: 'version', kind2025: 'version' },
  0x08: { name: 'firmwareVersion', kind2016: 'version', kind2025: 'version' },
  0x09: { name: 'heartbeatPeriodS', kind2016: 'byte', kind2025: 'byte', max: 240 },
  0x0a: { name: 'terminalResponseTimeoutS', kind2016: 'word', kind2025: 'word', max: 600 },
  0x0b: { name: 'platformResponseTimeoutS', kind2016: 'word', kind2025: 'word', max: 600 },
  0x0c: { name: 'loginRetryWaitMin', kind2016: 'byte', kind2025: 'byte', max: 240 },
  0x0d: { name: 'publicDomainLength', kind2016: 'byte', kind2025: 'byte' },
  0x0e: { name: 'publicDomain', kind2016: 'text', kind2025: 'text' },
  0x0f: { name: 'publicPort', kind2016: 'word', kind2025: 'word' },
  0x10: { name: 'samplingMonitoring', kind2016: 'byte', kind2025: 'byte', max: 2 },
};

/** Versions (0x07/0x08) are 5 bytes. */
const VERSION_BYTES = 5;
/** Domain-name length parameter for each text parameter. */
const LENGTH_OF: Record<number, number> = { 0x05: 0x04, 0x0e: 0x0d };

export function paramName(id: number): string {
  return PARAMS[id]?.name ?? `param0x${id.toString(16).padStart(2, '0')}`;
}

export function paramId(name: string): number | undefined {
  for (const [id, spec] of Object.entries(PARAMS)) if (spec.name === name) return Number(id);
  return undefined;
}

function kindOf(id: number, version: Version): Kind | undefined {
  const spec = PARAMS[id];
  return spec && (version === 2016 ? spec.kind2016 : spec.kind2025);
}

function unknownParam(offset: number, id: number): DecodeFailure {
  return new DecodeFailure(
    'GBT_ERR_UNKNOWN_PARAM',
    offset,
    `parameter 0x${id.toString(16).padStart(2, '0')} is reserved or user-defined: its width is unknown`,
  );
}

function readParams(c: Ctx, withValues: boolean): ParamsBody {
  const count = count8(c, 'paramCount');
  const params: Param[] = [];
  const lengths: Record<number, number> = {};
  for (let i = 0; i < count.n; i++) {
    const at = c.p;
    const id = u8f(c, `params[${i}].id`);
    const name = paramName(id);
    if (!withValues) {
      params.push({ id, name });
      continue;
    }
    const kind = kindOf(id, c.version);
    if (!kind) throw unknownParam(at, id);
    const spec = PARAMS[id];
    let value: ParamValue;
    if (kind === 'byte') value = n8(c, name, 1, 0, spec.max ?? 253);
    else if (kind === 'word') value = n16(c, name, 1, 0, spec.max ?? 65531);
    else if (kind === 'version') value = readText(c, VERSION_BYTES, name);
    else {
      const n = lengths[LENGTH_OF[id]];
      if (n === undefined) {
        throw new DecodeFailure('GBT_ERR_BODY_LENGTH', at, `${name} must follow its length parameter (§11.3)`);
      }
      value = readText(c, n, name);
    }
    if (id === 0x04 || id === 0x0d) lengths[id] = typeof value === 'number' ? value : 0;
    params.push({ id, name, value });
  }
  if (c.p !== c.end) throw new DecodeFailure('GBT_ERR_BODY_LENGTH', c.p, `${c.end - c.p} byte(s) after the parameter list`);
  const body: ParamsBody = { params };
  if (count.special) body.paramCount = count.special;
  return body;
}

function writeParams(w: Writer, body: ParamsBody, version: Version, withValues: boolean): void {
  wCount8(w, body.params.length, body.paramCount, 'paramCount');
  for (const p of body.params) {
    w.u8(p.id);
    if (!withValues) continue;
    const kind = kindOf(p.id, version);
    if (!kind) throw new GbtEncodeError(`parameter 0x${p.id.toString(16)} has no known width`);
    const v = p.value;
    if (v === undefined) throw new GbtEncodeError(`parameter ${p.name} needs a value`);
    if (kind === 'byte') w8(w, v as number, p.name);
    else if (kind === 'word') w16(w, v as number, p.name);
    else {
      const b = textToBytes(String(v), p.name);
      if (kind === 'version' && b.length !== VERSION_BYTES) {
        throw new GbtEncodeError(`${p.name} must be ${VERSION_BYTES} bytes`);
      }
      w.bytes(b);
    }
  }
}

/**
 * Query command: ids only (§11.1). Some peers (EMQX's test suite) send the query with id+value
 * pairs under flag 0xFE; when the ids-only reading does not end exactly at the end of the data
 * unit, the list is read again with values, and such a body is written back with its values.
 */
export const paramQueryCodec: CommandCodec<ParamsBody> = {
  hasTime: true,
  decode(c) {
    const at = c.p;
    const count = c.p < c.end ? c.b[c.p] : 0;
    if (count < 0xfe && c.end - at === 1 + count) return readParams(c, false);
    c.p = at;
    return readParams(c, true);
  },
  encode: (w, body, version) =>
    writeParams(w, body, version, body.params.some((p) => p.value !== undefined)),
};

/** Setting command and the terminal's reply to a query: ids with values. */
export const paramSetCodec: CommandCodec<ParamsBody> = {
  hasTime: true,
  decode: (c) => readParams(c, true),
  encode: (w, body, version) => writeParams(w, body, version, true),
};

export const paramReplyCodec = paramSetCodec;

/** Builds the body of a setting, filling in the length parameters 0x04/0x0D for domain names. */
export function paramsWithLengths(values: { id: number; value: ParamValue }[]): ParamsBody {
  const params: Param[] = [];
  for (const { id, value } of values) {
    const lengthId = LENGTH_OF[id];
    if (lengthId !== undefined && !values.some((v) => v.id === lengthId)) {
      params.push({ id: lengthId, name: paramName(lengthId), value: textToBytes(String(value), paramName(id)).length });
    }
    params.push({ id, name: paramName(id), value });
  }
  return { params };
}
