// Realtime (0x02) and reissue (0x03) data unit: time(6), then {type BYTE, body} items in any
// order (spec §7); 2025 ends with the 0xFF signature marker and block (§9.10).
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import { DecodeFailure, GbtEncodeError } from '../errors.js';
import type { InfoItem, RealtimeBody, Version } from '../model.js';
import { toHex } from '../bytes.js';
import { readSignature, writeSignature } from './signature.js';
import { customCodec, isCustomType } from './custom.js';
import type { ItemCodec, ItemTable } from './registry.js';
import { DECODERS_2016, DECODERS_2025, ITEMS_2016, ITEMS_2025 } from './tables.js';
import { readVehicleFast } from './vehicle.js';
import { readDriveMotorsFast } from './motors.js';
import { readPositionFast } from './position.js';
import { readExtremesFast } from './extremes.js';
import { readAlarmFast } from './alarm.js';
import { readCellVoltagesFast } from './cellVoltages.js';
import { readProbeTemperaturesFast } from './probeTemperatures.js';

/** 2025 Table 9: 0xFF starts the vehicle signature. */
export const SIGNATURE_MARKER = 0xff;

/** `items[i]` path strings, built once (one per item per frame otherwise). */
const ITEM_PATHS = Array.from({ length: 64 }, (_, i) => `items[${i}]`);
function itemPath(i: number): string {
  return i < ITEM_PATHS.length ? ITEM_PATHS[i] : `items[${i}]`;
}

export function itemTable(version: Version): ItemTable {
  return version === 2016 ? ITEMS_2016 : ITEMS_2025;
}

/** Reads the items after the time field. `frameStart` is the offset of the collection time. */
export function readRealtimeItems(c: Ctx, timeStart: number): RealtimeBody {
  const items: InfoItem[] = [];
  const body: RealtimeBody = { items };
  const table = c.version === 2016 ? DECODERS_2016 : DECODERS_2025;
  while (c.p < c.end) {
    const typeStart = c.p;
    const typeId = c.b[c.p];
    if (c.version === 2025 && typeId === SIGNATURE_MARKER) {
      c.p++;
      if (c.trace) c.trace.field('signatureMarker', typeStart, c.p, typeId);
      c.path = 'signature';
      body.signature = readSignature(c, timeStart, typeStart);
      c.path = '';
      if (c.p < c.end) trailing(c, body);
      return body;
    }
    if (c.trace === undefined) {
      // The common items, read straight from the bytes; undefined leaves c.p at the type code and
      // the item is read below by its codec (which raises any warning or error).
      const item = c.version === 2016 ? readFast2016(c, typeId) : readFast2025(c, typeId);
      if (item !== undefined) {
        items.push(item);
        continue;
      }
    }
    const codec: ItemCodec | undefined = table[typeId] ?? (isCustomType(typeId, c.version) ? customCodec : undefined);
    if (!codec) {
      if (items.length > 0 && c.lenient.has('trailingBytes')) {
        trailing(c, body);
        break;
      }
      throw new DecodeFailure(
        'GBT_ERR_UNKNOWN_INFO_TYPE',
        typeStart,
        `information type 0x${typeId.toString(16).padStart(2, '0')} is reserved in the ${c.version} edition`,
      );
    }
    c.p++;
    c.path = itemPath(items.length);
    if (c.trace) {
      c.trace.enter(c.path);
      c.trace.field('typeId', typeStart, c.p, typeId);
    }
    items.push(codec.decode(c, typeId));
    if (c.trace) c.trace.leave();
    c.path = '';
  }
  if (c.version === 2025 && !body.signature) {
    if (!c.lenient.has('unsignedRealtime2025')) {
      throw new DecodeFailure('GBT_ERR_MISSING_SIGNATURE', c.p, '2025 realtime/reissue data unit ends without the 0xFF signature block');
    }
    c.usedQuirk('unsignedRealtime2025');
  }
  return body;
}

/** Fast readers of the common 2016 items (Annex B Table B.3, spec §7.1); undefined for the others. */
function readFast2016(c: Ctx, typeId: number): InfoItem | undefined {
  const p = c.p + 1;
  switch (typeId) {
    case 0x01:
      return readVehicleFast(c, p);
    case 0x02:
      return readDriveMotorsFast(c, p);
    case 0x05:
      return readPositionFast(c, p);
    case 0x06:
      return readExtremesFast(c, p);
    case 0x07:
      return readAlarmFast(c, p, typeId);
    case 0x08:
      return readCellVoltagesFast(c, p, typeId);
    case 0x09:
      return readProbeTemperaturesFast(c, p, typeId);
    default:
      return undefined;
  }
}

/** Fast readers of the common 2025 items (Table 9, spec §7.1); undefined for the others. */
function readFast2025(c: Ctx, typeId: number): InfoItem | undefined {
  const p = c.p + 1;
  switch (typeId) {
    case 0x01:
      return readVehicleFast(c, p);
    case 0x02:
      return readDriveMotorsFast(c, p);
    case 0x05:
      return readPositionFast(c, p);
    case 0x06:
      return readAlarmFast(c, p, typeId);
    case 0x07:
      return readCellVoltagesFast(c, p, typeId);
    case 0x08:
      return readProbeTemperaturesFast(c, p, typeId);
    default:
      return undefined;
  }
}

function trailing(c: Ctx, body: RealtimeBody): void {
  if (!c.lenient.has('trailingBytes')) {
    throw new DecodeFailure('GBT_ERR_TRAILING_DATA', c.p, `${c.end - c.p} byte(s) after the last item belong to no item`);
  }
  c.usedQuirk('trailingBytes');
  body.trailingHex = toHex(c.b, c.p, c.end);
  if (c.trace) c.trace.field('trailing', c.p, c.end, body.trailingHex);
  c.p = c.end;
}

export function writeRealtimeItems(w: Writer, body: RealtimeBody, version: Version): void {
  const table = itemTable(version);
  for (const item of body.items) {
    const codec: ItemCodec | undefined =
      item.type === 'custom' ? customCodec : table[item.typeId];
    if (!codec) throw new GbtEncodeError(`item type ${item.type} (0x${item.typeId.toString(16)}) does not exist in ${version}`);
    w.u8(item.typeId);
    codec.encode(w, item, version);
  }
  if (body.signature) {
    if (version !== 2025) throw new GbtEncodeError('a 2016 frame has no signature block');
    w.u8(SIGNATURE_MARKER);
    writeSignature(w, body.signature);
  }
  if (body.trailingHex) {
    for (let i = 0; i < body.trailingHex.length; i += 2) w.u8(parseInt(body.trailingHex.substr(i, 2), 16));
  }
}
