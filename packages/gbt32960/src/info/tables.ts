// Which codec reads which type code, per edition (2016 Annex B Table B.3; 2025 Table 9; spec §7.1).
// Custom types (0x80–0xFE and platform-exchange ranges) are handled in custom.ts.
import type { Writer } from '../bytes.js';
import { GbtEncodeError } from '../errors.js';
import type { InfoItem, Version } from '../model.js';
import { alarmCodec } from './alarm.js';
import { cellVoltagesCodec } from './cellVoltages.js';
import { engineCodec } from './engine.js';
import { extremesCodec } from './extremes.js';
import { fuelCellCodec } from './fuelCell.js';
import { fuelCellStacksCodec } from './fuelCellStacks.js';
import { driveMotorsCodec } from './motors.js';
import { positionCodec } from './position.js';
import { probeTemperaturesCodec } from './probeTemperatures.js';
import type { ItemCodec, ItemTable } from './registry.js';
import { superCapacitorCodec, superCapacitorExtremesCodec } from './superCapacitor.js';
import { vehicleCodec } from './vehicle.js';

/**
 * Binds a codec to its item type name: the writer picks the codec by `typeId`, and the same
 * code means different items in the two editions (2016 0x07 alarm = 2025 0x07 cell voltages),
 * so an item whose `type` does not match its `typeId` is refused instead of mis-encoded.
 */
function entry<T extends InfoItem>(id: number, type: T['type'], codec: ItemCodec<T>): [number, ItemCodec, ItemCodec] {
  const bound: ItemCodec = {
    decode: (c, typeId) => codec.decode(c, typeId),
    encode(w: Writer, item: InfoItem, version: Version): void {
      if (item.type !== type) {
        throw new GbtEncodeError(`item type "${item.type}" cannot use code 0x${item.typeId.toString(16).padStart(2, '0')}, which is "${type}" in ${version}`);
      }
      codec.encode(w, item as T, version);
    },
  };
  return [id, bound, codec];
}

function table(entries: [number, ItemCodec, ItemCodec][], which: 1 | 2): ItemTable {
  const t: ItemTable = new Array<ItemCodec | undefined>(256).fill(undefined);
  for (const e of entries) t[e[0]] = e[which];
  return t;
}

const ENTRIES_2016 = [
  entry(0x01, 'vehicle', vehicleCodec),
  entry(0x02, 'driveMotors', driveMotorsCodec),
  entry(0x03, 'fuelCell', fuelCellCodec),
  entry(0x04, 'engine', engineCodec),
  entry(0x05, 'position', positionCodec),
  entry(0x06, 'extremes', extremesCodec),
  entry(0x07, 'alarm', alarmCodec),
  entry(0x08, 'cellVoltages', cellVoltagesCodec),
  entry(0x09, 'probeTemperatures', probeTemperaturesCodec),
];

const ENTRIES_2025 = [
  entry(0x01, 'vehicle', vehicleCodec),
  entry(0x02, 'driveMotors', driveMotorsCodec),
  entry(0x03, 'fuelCell', fuelCellCodec),
  entry(0x04, 'engine', engineCodec),
  entry(0x05, 'position', positionCodec),
  entry(0x06, 'alarm', alarmCodec),
  entry(0x07, 'cellVoltages', cellVoltagesCodec),
  entry(0x08, 'probeTemperatures', probeTemperaturesCodec),
  entry(0x30, 'fuelCellStacks', fuelCellStacksCodec),
  entry(0x31, 'superCapacitor', superCapacitorCodec),
  entry(0x32, 'superCapacitorExtremes', superCapacitorExtremesCodec),
];

/** Type-checked codecs, for the writer. */
export const ITEMS_2016: ItemTable = table(ENTRIES_2016, 1);
export const ITEMS_2025: ItemTable = table(ENTRIES_2025, 1);
/** The item codecs themselves, for the reader: one call per item instead of two through the
 * type-checking wrapper (decoding needs no check, the type comes from the code). */
export const DECODERS_2016: ItemTable = table(ENTRIES_2016, 2);
export const DECODERS_2025: ItemTable = table(ENTRIES_2025, 2);
