// scanFrame: a validating structural scan of one frame, the lazy counterpart of decodeFrame.
//
// For unencrypted realtime/reissue command frames (spec §7) it checks the envelope (start, length,
// BCC, spec §1), reads the collection time (§2) and walks the information items by their structure
// only: each item's length follows from its counts (§8, §9), no value objects are built. Every way
// decodeFrame can fail on such a frame is mirrored here with the same code, offset and message;
// range problems are only warnings in decodeFrame (GBT_ERR_FIELD_RANGE) and come from decode().
// Every other frame (other commands, replies, encrypted data units, a tracer) is decoded by
// decodeFrame and wrapped. Contract (scan.test.ts): for every input and the same options, ok,
// error and the envelope fields equal decodeFrame's, and decode() is decodeFrame's result.
import { bcc } from './bcc.js';
import { encryptionName } from './commands/session.js';
import {
  FRAME_OVERHEAD,
  HEADER_LENGTH,
  MAX_DATA_LENGTH,
  START_2016,
  START_2025,
  commandName,
  decodeFrame,
  responseName,
  vinOf,
  type DecodeOptions,
} from './frame.js';
import type { ErrorCode } from './errors.js';
import type { CommandName, EncryptionName, Frame, FrameError, ResponseName, Version } from './model.js';
import { timeAt } from './time.js';

/** The envelope of a frame, its validity and (after a structural scan) where its items are. */
export interface FrameScan {
  /** Same as decodeFrame(bytes, options).ok. */
  readonly ok: boolean;
  readonly version: Version;
  readonly command: CommandName;
  readonly commandId: number;
  readonly response: ResponseName;
  readonly responseId: number;
  readonly vin: string;
  readonly encryption: EncryptionName;
  readonly encryptionId: number;
  /** Collection time as decodeFrame gives it (null where it has none or could not read it). */
  readonly time: string | null;
  /** decodeFrame's error (same code, offset and message) when !ok. */
  readonly error: FrameError | undefined;
  /**
   * True when the items were located by the structural scan (an ok unencrypted realtime/reissue
   * command frame); false for every other frame, whose itemCount is 0 (use decode()).
   */
  readonly indexed: boolean;
  /** Number of information items (the signature block is not one). */
  readonly itemCount: number;
  /** Type code of item i (its first byte). */
  itemType(i: number): number;
  /** Frame offset of item i's type byte. */
  itemStart(i: number): number;
  /** Frame offset just after item i. */
  itemEnd(i: number): number;
  /** 2025: frame offset of the 0xFF signature marker, and just after the block (§9.10); -1 when none. */
  readonly signatureStart: number;
  readonly signatureEnd: number;
  /**
   * The full decodeFrame result with the same options, decoded on first call and memoised (the same
   * object every time). Warnings (GBT_ERR_FIELD_RANGE) and lenient quirks are only found here. The
   * bytes must not change between scanFrame and decode().
   */
  decode(): Frame;
}

const NO_ITEMS: readonly number[] = [];

class Scan implements FrameScan {
  // Plain class fields (see Cursor in bytes.ts: tsx's keepNames makes `declare` fields slow).
  ok: boolean;
  version: Version;
  command: CommandName;
  commandId: number;
  response: ResponseName;
  responseId: number;
  vin: string;
  encryption: EncryptionName;
  encryptionId: number;
  time: string | null;
  error: FrameError | undefined;
  indexed: boolean;
  itemCount: number;
  signatureStart: number;
  signatureEnd: number;
  /** Start of every item, then the end of the last one (itemCount + 1 entries when indexed). */
  offsets: readonly number[];
  bytes: Uint8Array;
  options: DecodeOptions | undefined;
  frame: Frame | undefined;

  constructor(
    b: Uint8Array,
    options: DecodeOptions | undefined,
    version: Version,
    command: CommandName,
    commandId: number,
    response: ResponseName,
    responseId: number,
    vin: string,
    encryption: EncryptionName,
    encryptionId: number,
  ) {
    this.ok = false;
    this.version = version;
    this.command = command;
    this.commandId = commandId;
    this.response = response;
    this.responseId = responseId;
    this.vin = vin;
    this.encryption = encryption;
    this.encryptionId = encryptionId;
    this.time = null;
    this.error = undefined;
    this.indexed = false;
    this.itemCount = 0;
    this.signatureStart = -1;
    this.signatureEnd = -1;
    this.offsets = NO_ITEMS;
    this.bytes = b;
    this.options = options;
    this.frame = undefined;
  }

  itemType(i: number): number {
    return this.bytes[this.itemStart(i)];
  }

  itemStart(i: number): number {
    if (!(i >= 0 && i < this.itemCount)) throw new RangeError(`item ${i} of ${this.itemCount}`);
    return this.offsets[i];
  }

  itemEnd(i: number): number {
    if (!(i >= 0 && i < this.itemCount)) throw new RangeError(`item ${i} of ${this.itemCount}`);
    return this.offsets[i + 1];
  }

  decode(): Frame {
    return (this.frame ??= decodeFrame(this.bytes, this.options));
  }
}

/** The decodeFrame result wrapped as a scan (every frame the structural scan does not handle). */
function wrap(b: Uint8Array, options: DecodeOptions | undefined): FrameScan {
  const f = decodeFrame(b, options);
  const s = new Scan(b, options, f.version, f.command, f.commandId, f.response, f.responseId, f.vin, f.encryption, f.encryptionId);
  s.ok = f.ok;
  s.time = f.time;
  s.error = f.error;
  s.frame = f;
  return s;
}

// ------------------------------------------------------------------------------------------
// Failures: the scan's counterpart of DecodeFailure, kept in module state (no throw, no object
// until a failure happens).

let errCode: ErrorCode = 'GBT_ERR_TRUNCATED';
let errOffset = 0;
let errMessage = '';

function fail(code: ErrorCode, offset: number, message: string): number {
  errCode = code;
  errOffset = offset;
  errMessage = message;
  return -1;
}

/** Cursor.need's failure: the field `what` of n bytes at p does not fit before end. */
function truncated(p: number, end: number, n: number, what: string): number {
  return fail('GBT_ERR_TRUNCATED', p, `${what}: needs ${n} byte(s), ${end - p} left`);
}

/** Field names and widths of a fixed run of fields, in reading order: the decoder fails at the
 * first field that does not fit, so a truncated run reports that field. */
type Layout = readonly (readonly [string, number])[];

function size(layout: Layout): number {
  let n = 0;
  for (const f of layout) n += f[1];
  return n;
}

/** Failure inside a fixed run at p that overruns end. */
function failIn(p: number, end: number, layout: Layout): number {
  for (const [name, width] of layout) {
    if (p + width > end) return truncated(p, end, width, name);
    p += width;
  }
  return p; // not reached: the caller checked that the run overruns
}

// Layouts, as the item codecs read them (src/info/*.ts).
/** 2016 §8.1 (with Annex B Table B.4 pedals), 20 bytes; 2025 §9.1, 18 bytes. */
const VEHICLE_2025: Layout = [
  ['vehicleState', 1],
  ['chargingState', 1],
  ['operatingMode', 1],
  ['speedKmh', 2],
  ['odometerKm', 4],
  ['totalVoltageV', 2],
  ['totalCurrentA', 2],
  ['socPct', 1],
  ['dcdcState', 1],
  ['gear', 1],
  ['insulationKOhm', 2],
];
const VEHICLE_2016: Layout = [...VEHICLE_2025, ['acceleratorPct', 1], ['brakePct', 1]];
/** §8.2: 12 bytes per motor; §9.2: 10 bytes. */
const MOTOR_2016: Layout = [
  ['seq', 1],
  ['state', 1],
  ['controllerTempC', 1],
  ['speedRpm', 2],
  ['torqueNm', 2],
  ['tempC', 1],
  ['controllerVoltageV', 2],
  ['controllerCurrentA', 2],
];
const MOTOR_2025: Layout = [
  ['seq', 1],
  ['state', 1],
  ['controllerTempC', 1],
  ['speedRpm', 2],
  ['torqueNm', 4],
  ['tempC', 1],
];
/** §8.3: head, N probe BYTEs, tail. */
const FUEL_CELL_2016_HEAD: Layout = [
  ['voltageV', 2],
  ['currentA', 2],
  ['consumptionKgPer100Km', 2],
  ['probeCount', 2],
];
const FUEL_CELL_2016_TAIL: Layout = [
  ['h2MaxTempC', 2],
  ['h2MaxTempProbe', 1],
  ['h2MaxConcentrationPpm', 2],
  ['h2MaxConcentrationSensor', 1],
  ['h2MaxPressureMpa', 2],
  ['h2MaxPressureSensor', 1],
  ['dcdcState', 1],
];
/** §9.3, 12 bytes. */
const FUEL_CELL_2025: Layout = [
  ['h2MaxTempC', 2],
  ['h2MaxTempProbe', 1],
  ['h2MaxConcentrationPct', 2],
  ['h2MaxConcentrationSensor', 1],
  ['h2MaxPressureMpa', 2],
  ['h2MaxPressureSensor', 1],
  ['dcdcState', 1],
  ['h2RemainingPct', 1],
  ['dcdcTempC', 1],
];
/** §8.4, 5 bytes; §9.4, 2 bytes. */
const ENGINE_2016: Layout = [
  ['state', 1],
  ['crankshaftRpm', 2],
  ['consumptionLPer100Km', 2],
];
const ENGINE_2025: Layout = [['crankshaftRpm', 2]];
/** §8.5, 9 bytes; §9.5, 10 bytes. */
const POSITION_2016: Layout = [
  ['status', 1],
  ['longitude', 4],
  ['latitude', 4],
];
const POSITION_2025: Layout = [
  ['status', 1],
  ['coordinateSystem', 1],
  ['longitude', 4],
  ['latitude', 4],
];
/** §8.6, 14 bytes. */
const EXTREMES_2016: Layout = [
  ['maxVoltagePack', 1],
  ['maxVoltageCell', 1],
  ['maxCellVoltageV', 2],
  ['minVoltagePack', 1],
  ['minVoltageCell', 1],
  ['minCellVoltageV', 2],
  ['maxTempPack', 1],
  ['maxTempProbe', 1],
  ['maxTempC', 1],
  ['minTempPack', 1],
  ['minTempProbe', 1],
  ['minTempC', 1],
];
/** §9.9 0x32, 18 bytes. */
const SUPERCAP_EXTREMES: Layout = [
  ['maxVoltageSystem', 1],
  ['maxVoltageCell', 2],
  ['maxCellVoltageV', 2],
  ['minVoltageSystem', 1],
  ['minVoltageCell', 2],
  ['minCellVoltageV', 2],
  ['maxTempSystem', 1],
  ['maxTempProbe', 2],
  ['maxTempC', 1],
  ['minTempSystem', 1],
  ['minTempProbe', 2],
  ['minTempC', 1],
];
/** §8.7 / §9.6: level BYTE, flags DWORD; then four {count BYTE, DWORDs}; 2025 N5 × 2 bytes. */
const ALARM_HEAD: Layout = [
  ['maxLevel', 1],
  ['flagBits', 4],
];
const FAULT_LISTS = [
  ['batteryFaultCount', 'batteryFaults'],
  ['motorFaultCount', 'motorFaults'],
  ['engineFaultCount', 'engineFaults'],
  ['otherFaultCount', 'otherFaults'],
] as const;
const FLAG_LEVEL: Layout = [
  ['flagLevels.bit', 1],
  ['flagLevels.level', 1],
];
/** §8.8: 10 bytes before the m cells; §9.7: 7 bytes before the n cells. */
const CELL_PACK_2016: Layout = [
  ['pack', 1],
  ['voltageV', 2],
  ['currentA', 2],
  ['totalCells', 2],
  ['startCell', 2],
  ['cellCount', 1],
];
const CELL_PACK_2025: Layout = [
  ['pack', 1],
  ['voltageV', 2],
  ['currentA', 2],
  ['cellCount', 2],
];
/** §8.9 / §9.8: pack no. BYTE, probe count WORD. */
const PROBE_PACK: Layout = [
  ['pack', 1],
  ['probeCount', 2],
];
/** §9.9 0x30: 12 bytes before the coolant probes. */
const STACK: Layout = [
  ['stack', 1],
  ['voltageV', 2],
  ['currentA', 2],
  ['h2InletPressureKpa', 2],
  ['airInletPressureKpa', 2],
  ['airInletTempC', 1],
  ['coolantProbeCount', 2],
];
/** §9.9 0x31: 7 bytes before the cells, then the probe count WORD. */
const SUPERCAP_HEAD: Layout = [
  ['system', 1],
  ['totalVoltageV', 2],
  ['totalCurrentA', 2],
  ['cellCount', 2],
];
const SUPERCAP_PROBES: Layout = [['probeCount', 2]];
/** §9.10: algorithm BYTE, R length WORD. */
const SIGNATURE_HEAD: Layout = [
  ['signature.algorithm', 1],
  ['signature.rLength', 2],
];

const MOTOR_2016_SIZE = size(MOTOR_2016);
const MOTOR_2025_SIZE = size(MOTOR_2025);
const FUEL_CELL_2016_TAIL_SIZE = size(FUEL_CELL_2016_TAIL);
const ALARM_HEAD_SIZE = size(ALARM_HEAD);
const CELL_PACK_2016_SIZE = size(CELL_PACK_2016);
const CELL_PACK_2025_SIZE = size(CELL_PACK_2025);
const STACK_SIZE = size(STACK);

// Item kinds by type code and edition (spec §7.1; info/tables.ts and info/custom.ts).
const UNKNOWN = 0;
const FIXED = 1;
const MOTORS = 2;
const FUEL_CELL_2016 = 3;
const ALARM = 4;
const CELLS = 5;
const PROBES = 6;
const STACKS = 7;
const SUPERCAP = 8;
const CUSTOM = 9;

function kinds(version: Version): Uint8Array {
  const k = new Uint8Array(256);
  // Length-prefixed custom items: user 0x80–0xFE, platform exchange 0x0A–0x2F (2016) / 0x09–0x2F (2025).
  for (let t = 0x80; t <= 0xfe; t++) k[t] = CUSTOM;
  for (let t = version === 2016 ? 0x0a : 0x09; t <= 0x2f; t++) k[t] = CUSTOM;
  k[0x01] = FIXED;
  k[0x02] = MOTORS;
  k[0x04] = FIXED;
  k[0x05] = FIXED;
  if (version === 2016) {
    k[0x03] = FUEL_CELL_2016;
    k[0x06] = FIXED;
    k[0x07] = ALARM;
    k[0x08] = CELLS;
    k[0x09] = PROBES;
  } else {
    k[0x03] = FIXED;
    k[0x06] = ALARM;
    k[0x07] = CELLS;
    k[0x08] = PROBES;
    k[0x30] = STACKS;
    k[0x31] = SUPERCAP;
    k[0x32] = FIXED;
  }
  return k;
}
const KINDS_2016 = kinds(2016);
const KINDS_2025 = kinds(2025);

function fixedLayouts(version: Version): (Layout | undefined)[] {
  const t = new Array<Layout | undefined>(256).fill(undefined);
  t[0x01] = version === 2016 ? VEHICLE_2016 : VEHICLE_2025;
  t[0x04] = version === 2016 ? ENGINE_2016 : ENGINE_2025;
  t[0x05] = version === 2016 ? POSITION_2016 : POSITION_2025;
  if (version === 2016) t[0x06] = EXTREMES_2016;
  else {
    t[0x03] = FUEL_CELL_2025;
    t[0x32] = SUPERCAP_EXTREMES;
  }
  return t;
}
const FIXED_LAYOUTS_2016 = fixedLayouts(2016);
const FIXED_LAYOUTS_2025 = fixedLayouts(2025);
const FIXED_SIZES_2016 = Int32Array.from(FIXED_LAYOUTS_2016, (l) => (l ? size(l) : 0));
const FIXED_SIZES_2025 = Int32Array.from(FIXED_LAYOUTS_2025, (l) => (l ? size(l) : 0));

/** 2025 Table 9: 0xFF starts the vehicle signature. */
const SIGNATURE_MARKER = 0xff;

// Item walkers: each takes the offset after the type byte and returns the offset after the item,
// or -1 with the failure recorded. A count BYTE of FE/FF (abnormal/invalid) or a count WORD of
// FFFE/FFFF means no entries follow (values.ts count8/count16).

function motors(b: Uint8Array, p: number, end: number, v2025: boolean): number {
  if (p >= end) return truncated(p, end, 1, 'motorCount');
  let n = b[p++];
  if (n >= 0xfe) n = 0;
  const per = v2025 ? MOTOR_2025_SIZE : MOTOR_2016_SIZE;
  const q = p + n * per;
  if (q <= end) return q;
  // The first motor that does not fit, and in it the first field.
  return failIn(p + Math.floor((end - p) / per) * per, end, v2025 ? MOTOR_2025 : MOTOR_2016);
}

function fuelCell2016(b: Uint8Array, p: number, end: number): number {
  if (p + 8 > end) return failIn(p, end, FUEL_CELL_2016_HEAD);
  let n = (b[p + 6] << 8) | b[p + 7];
  if (n >= 0xfffe) n = 0;
  p += 8;
  if (p + n > end) return truncated(p, end, n, 'probeTempsC');
  p += n;
  if (p + FUEL_CELL_2016_TAIL_SIZE > end) return failIn(p, end, FUEL_CELL_2016_TAIL);
  return p + FUEL_CELL_2016_TAIL_SIZE;
}

function alarm(b: Uint8Array, p: number, end: number, v2025: boolean): number {
  if (p + ALARM_HEAD_SIZE > end) return failIn(p, end, ALARM_HEAD);
  p += ALARM_HEAD_SIZE;
  for (let i = 0; i < 4; i++) {
    if (p >= end) return truncated(p, end, 1, FAULT_LISTS[i][0]);
    let n = b[p++];
    if (n >= 0xfe) n = 0;
    if (p + 4 * n > end) return truncated(p, end, 4 * n, FAULT_LISTS[i][1]);
    p += 4 * n;
  }
  if (!v2025) return p;
  if (p >= end) return truncated(p, end, 1, 'flagLevelCount');
  let n = b[p++];
  if (n >= 0xfe) n = 0;
  const q = p + 2 * n;
  if (q <= end) return q;
  return failIn(p + Math.floor((end - p) / 2) * 2, end, FLAG_LEVEL);
}

function cells(b: Uint8Array, p: number, end: number, v2025: boolean): number {
  if (p >= end) return truncated(p, end, 1, 'packCount');
  let packs = b[p++];
  if (packs >= 0xfe) packs = 0;
  if (v2025) {
    for (let i = 0; i < packs; i++) {
      if (p + CELL_PACK_2025_SIZE > end) return failIn(p, end, CELL_PACK_2025);
      // The 2025 cell count is a plain WORD (no special codes, cellVoltages.ts).
      const n = (b[p + 5] << 8) | b[p + 6];
      p += CELL_PACK_2025_SIZE;
      if (p + 2 * n > end) return truncated(p, end, 2 * n, 'cellVoltagesV');
      p += 2 * n;
    }
  } else {
    for (let i = 0; i < packs; i++) {
      if (p + CELL_PACK_2016_SIZE > end) return failIn(p, end, CELL_PACK_2016);
      const m = b[p + 9];
      p += CELL_PACK_2016_SIZE;
      if (p + 2 * m > end) return truncated(p, end, 2 * m, 'cellVoltagesV');
      p += 2 * m;
    }
  }
  return p;
}

function probes(b: Uint8Array, p: number, end: number): number {
  if (p >= end) return truncated(p, end, 1, 'packCount');
  let packs = b[p++];
  if (packs >= 0xfe) packs = 0;
  for (let i = 0; i < packs; i++) {
    if (p + 3 > end) return failIn(p, end, PROBE_PACK);
    let n = (b[p + 1] << 8) | b[p + 2];
    if (n >= 0xfffe) n = 0;
    p += 3;
    if (p + n > end) return truncated(p, end, n, 'temperaturesC');
    p += n;
  }
  return p;
}

function stacks(b: Uint8Array, p: number, end: number): number {
  if (p >= end) return truncated(p, end, 1, 'stackCount');
  let count = b[p++];
  if (count >= 0xfe) count = 0;
  for (let i = 0; i < count; i++) {
    if (p + STACK_SIZE > end) return failIn(p, end, STACK);
    let n = (b[p + 10] << 8) | b[p + 11];
    if (n >= 0xfffe) n = 0;
    p += STACK_SIZE;
    if (p + n > end) return truncated(p, end, n, 'coolantOutletTempsC');
    p += n;
  }
  return p;
}

function superCapacitor(b: Uint8Array, p: number, end: number): number {
  if (p + 7 > end) return failIn(p, end, SUPERCAP_HEAD);
  let n = (b[p + 5] << 8) | b[p + 6];
  if (n >= 0xfffe) n = 0;
  p += 7;
  if (p + 2 * n > end) return truncated(p, end, 2 * n, 'cellVoltagesV');
  p += 2 * n;
  if (p + 2 > end) return failIn(p, end, SUPERCAP_PROBES);
  let k = (b[p] << 8) | b[p + 1];
  if (k >= 0xfffe) k = 0;
  p += 2;
  if (p + k > end) return truncated(p, end, k, 'probeTempsC');
  return p + k;
}

function custom(b: Uint8Array, p: number, end: number): number {
  if (p + 2 > end) return truncated(p, end, 2, 'length');
  const n = (b[p] << 8) | b[p + 1];
  p += 2;
  if (p + n > end) return truncated(p, end, n, 'custom item');
  return p + n;
}

/** Item starts and the end of the last item, from the last recording walk. */
let walked: number[] = [];
let itemCount = 0;
let sigStart = -1;
let sigEnd = -1;

/**
 * Walks the items of a realtime/reissue data unit from p (after the time) to end, as
 * info/realtime.ts readRealtimeItems reads them without lenient quirks. With `record`, leaves the
 * item starts and the end of the last item in `walked`; returns the end offset, or -1 with the
 * failure recorded.
 */
function walk(b: Uint8Array, p: number, end: number, version: Version, record: boolean): number {
  const v2025 = version === 2025;
  const kindOf = v2025 ? KINDS_2025 : KINDS_2016;
  const sizes = v2025 ? FIXED_SIZES_2025 : FIXED_SIZES_2016;
  // Recording: one array per scan, the item table handed to the result (no copy). Not recording
  // (isValidDataFrame): no table at all.
  const offs: number[] | undefined = record ? [] : undefined;
  if (offs) walked = offs;
  let n = 0;
  sigStart = -1;
  sigEnd = -1;
  while (p < end) {
    const typeStart = p;
    const t = b[p];
    if (v2025 && t === SIGNATURE_MARKER) {
      offs?.push(typeStart);
      itemCount = n;
      return signature(b, p + 1, end, typeStart);
    }
    const kind = kindOf[t];
    if (kind === UNKNOWN) {
      const hex = t.toString(16).padStart(2, '0');
      return fail('GBT_ERR_UNKNOWN_INFO_TYPE', typeStart, `information type 0x${hex} is reserved in the ${version} edition`);
    }
    offs?.push(typeStart);
    n++;
    p++;
    switch (kind) {
      case FIXED: {
        const s = sizes[t];
        if (p + s > end) return failIn(p, end, (v2025 ? FIXED_LAYOUTS_2025 : FIXED_LAYOUTS_2016)[t]!);
        p += s;
        break;
      }
      case MOTORS:
        p = motors(b, p, end, v2025);
        break;
      case FUEL_CELL_2016:
        p = fuelCell2016(b, p, end);
        break;
      case ALARM:
        p = alarm(b, p, end, v2025);
        break;
      case CELLS:
        p = cells(b, p, end, v2025);
        break;
      case PROBES:
        p = probes(b, p, end);
        break;
      case STACKS:
        p = stacks(b, p, end);
        break;
      case SUPERCAP:
        p = superCapacitor(b, p, end);
        break;
      default:
        p = custom(b, p, end);
    }
    if (p < 0) return -1;
  }
  if (v2025) {
    return fail('GBT_ERR_MISSING_SIGNATURE', p, '2025 realtime/reissue data unit ends without the 0xFF signature block');
  }
  offs?.push(p);
  itemCount = n;
  return p;
}

/** The signature block after the marker at `marker` (§9.10; info/signature.ts readSignature). */
function signature(b: Uint8Array, p: number, end: number, marker: number): number {
  if (p + 3 > end) return failIn(p, end, SIGNATURE_HEAD);
  const rStart = p + 1;
  const rLen = (b[p + 1] << 8) | b[p + 2];
  p += 3;
  if (rLen > end - p) return fail('GBT_ERR_SIGNATURE', rStart, `signature R length ${rLen} overruns the data unit`);
  p += rLen;
  if (p + 2 > end) return truncated(p, end, 2, 'signature.sLength');
  const sStart = p;
  const sLen = (b[p] << 8) | b[p + 1];
  p += 2;
  if (sLen > end - p) return fail('GBT_ERR_SIGNATURE', sStart, `signature S length ${sLen} overruns the data unit`);
  p += sLen;
  // Bytes after the block (the trailingBytes quirk is off here).
  if (p < end) return fail('GBT_ERR_TRAILING_DATA', p, `${end - p} byte(s) after the last item belong to no item`);
  sigStart = marker;
  sigEnd = p;
  return p;
}

// Exact caches of the two strings every scan builds (vinOf and timeAt depend on nothing but the
// bytes compared): a gateway sees the same vehicles again and again, and under load many frames
// carry the same second. A miss costs the comparison plus the plain call.
const VIN_BYTES = 17;
const VIN_SLOTS = 1024;
const vinKeys = new Uint8Array(VIN_SLOTS * VIN_BYTES);
const vinTexts: (string | undefined)[] = new Array<string | undefined>(VIN_SLOTS).fill(undefined);

function cachedVin(b: Uint8Array): string {
  // FNV-1a over VIN characters 10–17 (bytes 13–20; the serial part varies most) picks the slot.
  let h = 0x811c9dc5;
  for (let i = 13; i < 21; i++) h = Math.imul(h ^ b[i], 16777619);
  const slot = h & (VIN_SLOTS - 1);
  const k = slot * VIN_BYTES;
  const text = vinTexts[slot];
  if (text !== undefined) {
    let i = 0;
    while (i < VIN_BYTES && vinKeys[k + i] === b[4 + i]) i++;
    if (i === VIN_BYTES) return text;
  }
  const v = vinOf(b);
  for (let i = 0; i < VIN_BYTES; i++) vinKeys[k + i] = b[4 + i];
  vinTexts[slot] = v;
  return v;
}

const lastTime = new Uint8Array(6);
let lastTimeText: string | undefined;

function cachedTime(b: Uint8Array, p: number): string {
  const t = lastTime;
  if (
    lastTimeText !== undefined &&
    t[0] === b[p] &&
    t[1] === b[p + 1] &&
    t[2] === b[p + 2] &&
    t[3] === b[p + 3] &&
    t[4] === b[p + 4] &&
    t[5] === b[p + 5]
  ) {
    return lastTimeText;
  }
  for (let i = 0; i < 6; i++) t[i] = b[p + i];
  return (lastTimeText = timeAt(b, p));
}

function hasQuirks(options: DecodeOptions | undefined): boolean {
  const l = options?.lenient;
  if (l === undefined) return false;
  // Anything other than an array or a Set (another ReadonlySet) counts as "may hold quirks".
  return Array.isArray(l) ? l.length > 0 : l instanceof Set ? l.size > 0 : true;
}

const REALTIME = 0x02;
const REISSUE = 0x03;
const COMMAND_FLAG = 0xfe;
const TIME_BYTES = 6;

/**
 * Whether scanFrame reads `b` itself: an unencrypted realtime/reissue command frame, no trace, and
 * not the encryption byte 0x00 under lenient quirks (decodeFrame's business). Every other frame
 * scanFrame hands to decodeFrame.
 */
function scannable(b: Uint8Array, options: DecodeOptions | undefined, lenient: boolean): boolean {
  if (options?.trace !== undefined || b.length < HEADER_LENGTH) return false;
  const start = b[0];
  if (start !== b[1] || (start !== START_2016 && start !== START_2025)) return false;
  const command = b[2];
  const encryption = b[21];
  return (
    (command === REALTIME || command === REISSUE) &&
    b[3] === COMMAND_FLAG &&
    // Encrypted data units (§5: 0x02–0x05) are decrypted, or not, by decodeFrame.
    !(encryption >= 0x02 && encryption <= 0x05) &&
    // zeroEncryptionByte records a quirk for encryption byte 0x00.
    !(lenient && encryption === 0)
  );
}

/** checkFrame's outcomes. */
const ENVELOPE_FAILED = -1;
const ITEMS_FAILED = 0;
const FRAME_OK = 1;

/**
 * The envelope (spec §1) in decodeFrame's order, then the items; a failure is left in the module
 * state (fail()). ITEMS_FAILED: the envelope and the collection time were read, an item failed.
 * With `record`, the item starts are left in `walked`.
 */
function checkFrame(b: Uint8Array, version: Version, record: boolean): number {
  const n = b.length;
  const dataLength = (b[22] << 8) | b[23];
  const total = FRAME_OVERHEAD + dataLength;
  const dataEnd = HEADER_LENGTH + dataLength;
  if (dataLength > MAX_DATA_LENGTH) {
    fail('GBT_ERR_LENGTH', 22, `data-unit length ${dataLength} exceeds ${MAX_DATA_LENGTH}`);
    return ENVELOPE_FAILED;
  }
  if (n < total) {
    fail('GBT_ERR_TRUNCATED', n, `frame needs ${total} bytes (L=${dataLength}), got ${n}`);
    return ENVELOPE_FAILED;
  }
  if (n > total) {
    fail('GBT_ERR_LENGTH', total, `${n - total} byte(s) after the BCC: length field says L=${dataLength}`);
    return ENVELOPE_FAILED;
  }
  const expected = bcc(b, 2, dataEnd);
  if (expected !== b[dataEnd]) {
    const hex = (x: number): string => x.toString(16).padStart(2, '0');
    fail('GBT_ERR_BCC', dataEnd, `BCC is 0x${hex(b[dataEnd])}, computed 0x${hex(expected)}`);
    return ENVELOPE_FAILED;
  }
  if (dataLength < TIME_BYTES) {
    // Collection time (§2), read by readTime.
    fail('GBT_ERR_TRUNCATED', HEADER_LENGTH, `time: needs ${TIME_BYTES} byte(s), ${dataLength} left`);
    return ENVELOPE_FAILED;
  }
  return walk(b, HEADER_LENGTH + TIME_BYTES, dataEnd, version, record) < 0 ? ITEMS_FAILED : FRAME_OK;
}

/**
 * True exactly when scanFrame(b, options) would be ok with its items located (`ok && indexed`): a
 * valid unencrypted realtime/reissue command frame. Builds nothing: for a gateway's hot path, which
 * takes the VIN and collection time from frameVinText / frameTimeText and calls scanFrame (or
 * decodeFrame) only for a frame this rejects, to get the error or the full decode.
 */
export function isValidDataFrame(b: Uint8Array, options?: DecodeOptions): boolean {
  if (!scannable(b, options, hasQuirks(options))) return false;
  return checkFrame(b, b[0] === START_2025 ? 2025 : 2016, false) === FRAME_OK;
}

/** The VIN of a frame (bytes 4–20) as decodeFrame gives it, from a cache of recent VINs. */
export function frameVinText(b: Uint8Array): string {
  return cachedVin(b);
}

/** The collection time of a realtime/reissue frame (spec §2, after the header) as decodeFrame gives it. */
export function frameTimeText(b: Uint8Array): string {
  return cachedTime(b, HEADER_LENGTH);
}

/**
 * Scans one complete frame (as returned by FrameSplitter). Never throws. ok, error (code, offset,
 * message) and the envelope fields are exactly decodeFrame(b, options)'s; decode() gives the full
 * decodeFrame result. Lenient quirks only change the outcome of frames that fail strictly (§15), so
 * a frame that passes the strict scan is not re-read with them; one that fails is handed to
 * decodeFrame. A key provider is used only for encrypted data units, which decodeFrame reads.
 */
export function scanFrame(b: Uint8Array, options?: DecodeOptions): FrameScan {
  const lenient = hasQuirks(options);
  if (!scannable(b, options, lenient)) return wrap(b, options);
  const command = b[2];
  const encryption = b[21];
  const version: Version = b[0] === START_2025 ? 2025 : 2016;
  const s = new Scan(
    b,
    options,
    version,
    commandName(command),
    command,
    responseName(COMMAND_FLAG),
    COMMAND_FLAG,
    cachedVin(b),
    encryptionName(encryption),
    encryption,
  );
  const outcome = checkFrame(b, version, true);
  if (outcome !== ENVELOPE_FAILED) s.time = cachedTime(b, HEADER_LENGTH);
  if (outcome !== FRAME_OK) {
    // A quirk may turn this failure into a success or another failure: decodeFrame decides.
    if (lenient) return wrap(b, options);
    s.error = { code: errCode, message: errMessage, offset: errOffset };
    return s;
  }
  s.ok = true;
  s.indexed = true;
  s.itemCount = itemCount;
  s.offsets = walked;
  s.signatureStart = sigStart;
  s.signatureEnd = sigEnd;
  return s;
}
