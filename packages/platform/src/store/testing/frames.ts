// Realistic GB/T 32960 frames for store and consumer tests, built with the codec's encoder.
// Items whose codec is not (yet) in the codec's tables are left out: `supports(type, version)`
// tells a test whether it can assert on them.
import { decodeFrame, encodeFrame, type FrameInput, type InfoItem, type Version } from '@nevhub/gbt32960';

export const SIGNATURE = {
  algorithm: 'sm2',
  algorithmId: 1,
  rHex: '11'.repeat(32),
  sHex: '22'.repeat(32),
  signedStart: 0,
  signedEnd: 0,
} as const;

export interface RealtimeSpec {
  version: Version;
  vin: string;
  /** Beijing time string, e.g. 2025-10-27T20:02:02+08:00. */
  time: string;
  command?: 'realtime' | 'reissue';
  speedKmh?: number;
  socPct?: number;
  odometerKm?: number;
  lon?: number;
  lat?: number;
  /** Invalid GNSS fix. */
  noFix?: boolean;
  alarmLevel?: number;
  /** Raw general alarm flag bits (spec §10.3). */
  alarmBits?: number;
  cellsV?: number[];
  tempsC?: number[];
  /** 2025 fuel-cell vehicle: add the hydrogen system item. */
  h2RemainingPct?: number;
  /** Opaque OEM item 0x80 (varies the content without touching the key fields). */
  customHex?: string;
}

function vehicleItem(s: RealtimeSpec): InfoItem {
  return {
    type: 'vehicle',
    typeId: 0x01,
    vehicleState: 'started',
    chargingState: 'notCharging',
    operatingMode: 'electric',
    speedKmh: s.speedKmh ?? 42.5,
    odometerKm: s.odometerKm ?? 12345.6,
    totalVoltageV: 600.1,
    totalCurrentA: -12.3,
    socPct: s.socPct ?? 80,
    dcdcState: 'working',
    gear: { gear: 'D', driving: true, braking: false, valid: true },
    insulationKOhm: 5000,
    ...(s.version === 2016 ? { acceleratorPct: 20, brakePct: 0 } : {}),
  };
}

function optionalItems(s: RealtimeSpec): InfoItem[] {
  const v = s.version;
  const cells = s.cellsV ?? [3.301, 3.312, 3.297, 3.305];
  const temps = s.tempsC ?? [25, 27, 26];
  const items: InfoItem[] = [
    {
      type: 'position',
      typeId: 0x05,
      valid: !s.noFix,
      longitude: s.lon ?? 115.464806,
      latitude: s.lat ?? 38.873891,
      status: s.noFix ? 1 : 0,
      ...(v === 2025 ? { coordinateSystem: 'wgs84' as const } : {}),
    },
    {
      type: 'alarm',
      typeId: v === 2016 ? 0x07 : 0x06,
      maxLevel: s.alarmLevel ?? 0,
      flags: [],
      flagBits: s.alarmBits ?? 0,
      batteryFaults: [],
      motorFaults: [],
      engineFaults: [],
      otherFaults: [],
      ...(v === 2025 ? { flagLevels: [] } : {}),
    },
    {
      type: 'cellVoltages',
      typeId: v === 2016 ? 0x08 : 0x07,
      packs: [
        {
          pack: 1,
          voltageV: 600.1,
          currentA: -12.3,
          ...(v === 2016 ? { totalCells: cells.length, startCell: 1 } : {}),
          cellVoltagesV: cells,
        },
      ],
    },
    { type: 'probeTemperatures', typeId: v === 2016 ? 0x09 : 0x08, packs: [{ pack: 1, temperaturesC: temps }] },
  ];
  if (v === 2016) {
    // 2016 reports the extremes itself (spec §8.6), consistent with the arrays here.
    const maxV = Math.max(...cells), minV = Math.min(...cells), maxT = Math.max(...temps), minT = Math.min(...temps);
    items.push({
      type: 'extremes',
      typeId: 0x06,
      maxVoltagePack: 1,
      maxVoltageCell: cells.indexOf(maxV) + 1,
      maxCellVoltageV: maxV,
      minVoltagePack: 1,
      minVoltageCell: cells.indexOf(minV) + 1,
      minCellVoltageV: minV,
      maxTempPack: 1,
      maxTempProbe: temps.indexOf(maxT) + 1,
      maxTempC: maxT,
      minTempPack: 1,
      minTempProbe: temps.indexOf(minT) + 1,
      minTempC: minT,
    });
  }
  if (v === 2025 && s.h2RemainingPct !== undefined) {
    items.push({
      type: 'fuelCell',
      typeId: 0x03,
      h2MaxTempC: 30,
      h2MaxTempProbe: 1,
      h2MaxConcentrationPct: 0.01,
      h2MaxConcentrationSensor: 1,
      h2MaxPressureMpa: 35,
      h2MaxPressureSensor: 1,
      dcdcState: 'working',
      h2RemainingPct: s.h2RemainingPct,
      dcdcTempC: 40,
    });
  }
  return items;
}

const support = new Map<string, boolean>();

/** Can the codec encode and decode this item type in this edition right now? */
export function supports(type: InfoItem['type'], version: Version): boolean {
  const key = `${type}/${version}`;
  let ok = support.get(key);
  if (ok === undefined) {
    const spec: RealtimeSpec = { version, vin: 'LTEST000000000000', time: '2025-10-27T20:02:02+08:00', h2RemainingPct: 50 };
    const item = optionalItems(spec).find((i) => i.type === type);
    ok = false;
    if (item) {
      try {
        ok = decodeFrame(encodeRealtime(spec, [vehicleItem(spec), item])).ok;
      } catch {
        ok = false;
      }
    }
    support.set(key, ok);
  }
  return ok;
}

function encodeRealtime(s: RealtimeSpec, items: InfoItem[]): Uint8Array {
  const input: FrameInput = {
    version: s.version,
    command: s.command ?? 'realtime',
    vin: s.vin,
    time: s.time,
    body: { items, ...(s.version === 2025 ? { signature: SIGNATURE } : {}) },
  };
  return encodeFrame(input);
}

/** A realtime (or reissue) frame with every item the codec supports today. */
export function realtimeFrame(s: RealtimeSpec): Uint8Array {
  const items = [vehicleItem(s), ...optionalItems(s).filter((i) => supports(i.type, s.version))];
  if (s.customHex !== undefined) items.push({ type: 'custom', typeId: 0x80, hex: s.customHex });
  return encodeRealtime(s, items);
}

export function loginFrame(version: Version, vin: string, time: string, serial: number, iccid = '89860412345678901234'): Uint8Array {
  const body =
    version === 2016
      ? { serial, iccid, packCount: 1, packCodeLength: 0, packCodes: [''] }
      : { serial, iccid, bmsCount: 1, packCodes: [['A'.repeat(24)]] };
  return encodeFrame({ version, command: 'vehicleLogin', vin, time, body });
}

export function logoutFrame(version: Version, vin: string, time: string, serial: number): Uint8Array {
  return encodeFrame({ version, command: 'vehicleLogout', vin, time, body: { serial } });
}

/** Beijing-time string for an epoch ms (whole seconds). */
export function bj(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  return d.toISOString().slice(0, 19) + '+08:00';
}
