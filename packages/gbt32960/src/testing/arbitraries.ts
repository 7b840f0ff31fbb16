// fast-check arbitraries for valid FrameInput values of both editions: every command, every
// information item of each edition (model.ts), special codes (abnormal/invalid), undefined enum
// codes, and 2025 signatures. Values are generated from raw wire integers and converted the way the
// decoder converts them, so decode(encode(x)) gives x back exactly.
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { toHex } from '../bytes.js';
import { encodeFrame, type FrameInput } from '../frame.js';
import type {
  AlarmItem,
  Body,
  CellVoltagesItem,
  CommandName,
  DriveMotor,
  DriveMotorsItem,
  EngineItem,
  ExtremesItem,
  FuelCell2016Item,
  FuelCell2025Item,
  FuelCellStacksItem,
  InfoItem,
  Num,
  Param,
  PositionItem,
  ProbeTemperaturesItem,
  RealtimeBody,
  ResponseName,
  Signature,
  Special,
  SuperCapacitorExtremesItem,
  SuperCapacitorItem,
  VehicleItem,
  Version,
} from '../model.js';
import { flagName } from '../info/alarm.js';
import { encryptionName } from '../commands/session.js';
import { paramName } from '../commands/params.js';
import { formatTime } from '../time.js';

const SPECIALS: Special[] = ['abnormal', 'invalid'];
export const special: Arbitrary<Special> = fc.constantFrom(...SPECIALS);

/** A Num from a raw field of `bytes` width: (raw − off) / div, or a special code. */
function scaled(bytes: 1 | 2 | 4, div = 1, off = 0): Arbitrary<Num> {
  const maxRaw = bytes === 1 ? 0xfd : bytes === 2 ? 0xfffd : 0xfffffffd;
  const value = fc.integer({ min: 0, max: maxRaw }).map((raw) => (div === 1 ? raw - off : (raw - off) / div));
  return fc.oneof({ arbitrary: value, weight: 8 }, { arbitrary: special, weight: 1 });
}
const n8 = (div = 1, off = 0) => scaled(1, div, off);
const n16 = (div = 1, off = 0) => scaled(2, div, off);
const n32 = (div = 1, off = 0) => scaled(4, div, off);
/** Temperature BYTE, 1 °C, −40 (spec §8.2). */
const temp8 = n8(1, 40);

/** An enumerated BYTE: a defined name, a special code, or an undefined raw code (kept as number). */
function enumOf<const N extends string>(names: readonly N[]): Arbitrary<N | Special | number> {
  const undefinedRaw = fc.oneof(fc.constant(0), fc.integer({ min: names.length + 1, max: 0xfd }));
  return fc.oneof(
    { arbitrary: fc.constantFrom(...names), weight: 8 },
    { arbitrary: special, weight: 1 },
    { arbitrary: undefinedRaw, weight: 1 },
  );
}

const ALNUM = '0123456789ABCDEFGHJKLMNPRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export function text(minLength: number, maxLength: number): Arbitrary<string> {
  return fc.array(fc.constantFrom(...ALNUM), { minLength, maxLength }).map((a) => a.join(''));
}
export const hex = (minLength = 0, maxLength = 32): Arbitrary<string> =>
  fc.uint8Array({ minLength, maxLength }).map((b) => toHex(b));

export const vin: Arbitrary<string> = fc.oneof(
  { arbitrary: text(17, 17), weight: 4 },
  { arbitrary: text(1, 16), weight: 1 },
);

/** Data-unit time (spec §2), valid components. */
export const time: Arbitrary<string> = fc
  .tuple(
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 59 }),
  )
  .map(([y, mo, d, h, mi, s]) => formatTime(y, mo, d, h, mi, s));

/** Drops keys whose value is undefined (the decoder omits absent optional fields). */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function listOrSpecial<T>(item: Arbitrary<T>, maxLength: number): Arbitrary<T[] | Special> {
  return fc.oneof({ arbitrary: fc.array(item, { maxLength }), weight: 6 }, { arbitrary: special, weight: 1 });
}

// ---------------------------------------------------------------------------------------------
// Information items (spec §8, §9)

const GEARS = ['N', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', 'R', 'D', 'P'];

function vehicle(version: Version): Arbitrary<VehicleItem> {
  const v2025 = version === 2025;
  const gear = fc
    .record({
      gear: fc.constantFrom(...GEARS),
      driving: fc.boolean(),
      braking: fc.boolean(),
      valid: v2025 ? fc.boolean() : fc.constant(true),
      reservedBits: fc.constantFrom(...(v2025 ? [0, 0x40] : [0, 0x40, 0x80, 0xc0])),
    })
    .map((g) => compact({ ...g, reservedBits: g.reservedBits || undefined }));
  const brake = fc.oneof(
    fc.integer({ min: 0, max: 0xfd }).filter((r) => r !== 101),
    fc.constant('on' as const),
    special,
  );
  return fc
    .record({
      vehicleState: enumOf(['started', 'off', 'other']),
      chargingState: enumOf(['parkedCharging', 'drivingCharging', 'notCharging', 'chargeComplete']),
      operatingMode: enumOf(['electric', 'hybrid', 'fuel']),
      speedKmh: n16(10),
      odometerKm: n32(10),
      totalVoltageV: n16(10),
      totalCurrentA: n16(10, v2025 ? 30000 : 10000),
      socPct: n8(),
      dcdcState: enumOf(['working', 'off']),
      gear,
      // 2016 insulation has no special codes (spec §8.1): any WORD is a value.
      insulationKOhm: v2025 ? n16() : fc.integer({ min: 0, max: 0xffff }),
      acceleratorPct: v2025 ? fc.constant(undefined) : n8(),
      brakePct: v2025 ? fc.constant(undefined) : brake,
    })
    .map((v) => compact({ type: 'vehicle', typeId: 0x01, ...v }) as VehicleItem);
}

function motors(version: Version): Arbitrary<DriveMotorsItem> {
  const motor: Arbitrary<DriveMotor> =
    version === 2016
      ? fc.record({
          seq: fc.integer({ min: 0, max: 0xff }),
          state: enumOf(['consuming', 'generating', 'off', 'ready']),
          controllerTempC: temp8,
          speedRpm: n16(1, 20000),
          torqueNm: n16(10, 20000),
          tempC: temp8,
          controllerVoltageV: n16(10),
          controllerCurrentA: n16(10, 10000),
        })
      : fc.record({
          seq: n8(),
          state: enumOf(['consuming', 'generating', 'off', 'ready']),
          controllerTempC: temp8,
          speedRpm: n16(1, 32000),
          torqueNm: n32(10, 200000),
          tempC: temp8,
        });
  return fc.oneof(
    {
      arbitrary: fc
        .array(motor, { maxLength: 4 })
        .map((m): DriveMotorsItem => ({ type: 'driveMotors', typeId: 0x02, motors: m })),
      weight: 6,
    },
    {
      arbitrary: special.map((s): DriveMotorsItem => ({
        type: 'driveMotors',
        typeId: 0x02,
        motors: [],
        motorCount: s,
      })),
      weight: 1,
    },
  );
}

const fuelCell2016: Arbitrary<FuelCell2016Item> = fc
  .record({
    voltageV: n16(10),
    currentA: n16(10),
    consumptionKgPer100Km: n16(100),
    // No special codes for these probes (spec §8.3 "—").
    probeTempsC: listOrSpecial(
      fc.integer({ min: 0, max: 0xff }).map((r): Num => r - 40),
      8,
    ),
    h2MaxTempC: n16(10, 400),
    h2MaxTempProbe: n8(),
    h2MaxConcentrationPpm: n16(),
    h2MaxConcentrationSensor: n8(),
    h2MaxPressureMpa: fc.integer({ min: 0, max: 0xffff }).map((r) => r / 10),
    h2MaxPressureSensor: n8(),
    dcdcState: enumOf(['working', 'off']),
  })
  .map((f) => ({ type: 'fuelCell', typeId: 0x03, ...f }));

const fuelCell2025: Arbitrary<FuelCell2025Item> = fc
  .record({
    h2MaxTempC: n16(1, 40),
    h2MaxTempProbe: n8(),
    h2MaxConcentrationPct: n16(10000),
    h2MaxConcentrationSensor: n8(),
    h2MaxPressureMpa: n16(10),
    h2MaxPressureSensor: n8(),
    dcdcState: enumOf(['working', 'off']),
    h2RemainingPct: n8(),
    dcdcTempC: temp8,
  })
  .map((f) => ({ type: 'fuelCell', typeId: 0x03, ...f }));

function engine(version: Version): Arbitrary<EngineItem> {
  if (version === 2025)
    return n16().map((crankshaftRpm): EngineItem => ({ type: 'engine', typeId: 0x04, crankshaftRpm }));
  return fc
    .record({ state: enumOf(['running', 'stopped']), crankshaftRpm: n16(), consumptionLPer100Km: n16(100) })
    .map((e): EngineItem => ({ type: 'engine', typeId: 0x04, ...e }));
}

function position(version: Version): Arbitrary<PositionItem> {
  return fc
    .record({
      status: fc.integer({ min: 0, max: 0xff }),
      lon: fc.integer({ min: 0, max: 0xffffffff }),
      lat: fc.integer({ min: 0, max: 0xffffffff }),
      coordinateSystem: version === 2025 ? enumOf(['wgs84', 'gcj02', 'other']) : fc.constant(undefined),
    })
    .map(({ status, lon, lat, coordinateSystem }) =>
      compact<PositionItem>({
        type: 'position',
        typeId: 0x05,
        valid: (status & 0x01) === 0,
        // Hemisphere from status bits 1/2 (spec §10.2); zero stays +0.
        longitude: status & 0x04 && lon !== 0 ? -lon / 1e6 : lon / 1e6,
        latitude: status & 0x02 && lat !== 0 ? -lat / 1e6 : lat / 1e6,
        coordinateSystem,
        status,
      }),
    );
}

const extremes: Arbitrary<ExtremesItem> = fc
  .record({
    maxVoltagePack: n8(),
    maxVoltageCell: n8(),
    maxCellVoltageV: n16(1000),
    minVoltagePack: n8(),
    minVoltageCell: n8(),
    minCellVoltageV: n16(1000),
    maxTempPack: n8(),
    maxTempProbe: n8(),
    maxTempC: temp8,
    minTempPack: n8(),
    minTempProbe: n8(),
    minTempC: temp8,
  })
  .map((e) => ({ type: 'extremes', typeId: 0x06, ...e }));

function alarm(version: Version): Arbitrary<AlarmItem> {
  const faults = listOrSpecial(fc.integer({ min: 0, max: 0xffffffff }), 4);
  const flagLevel = fc
    .record({ bit: fc.integer({ min: 0, max: 0xff }), level: n8() })
    .map(({ bit, level }) => ({ flag: flagName(bit, version), bit, level }));
  return fc
    .record({
      maxLevel: n8(),
      flagBits: fc.integer({ min: 0, max: 0xffffffff }),
      batteryFaults: faults,
      motorFaults: faults,
      engineFaults: faults,
      otherFaults: faults,
      flagLevels: version === 2025 ? listOrSpecial(flagLevel, 4) : fc.constant(undefined),
    })
    .map((a) => {
      const flags: string[] = [];
      for (let i = 0; i < 32; i++) if (a.flagBits & (1 << i)) flags.push(flagName(i, version));
      return compact<AlarmItem>({ type: 'alarm', typeId: version === 2016 ? 0x07 : 0x06, flags, ...a });
    });
}

function cellVoltages(version: Version, maxCells = 12): Arbitrary<CellVoltagesItem> {
  const typeId = version === 2016 ? 0x08 : 0x07;
  const cells = fc.array(n16(1000), { maxLength: maxCells });
  const pack =
    version === 2016
      ? fc.record({
          pack: n8(),
          voltageV: n16(10),
          currentA: n16(10, 10000),
          totalCells: n16(),
          startCell: fc.integer({ min: 0, max: 0xffff }),
          cellVoltagesV: cells,
        })
      : fc.record({ pack: n8(), voltageV: n16(10), currentA: n16(10, 30000), cellVoltagesV: cells });
  return fc.oneof(
    {
      arbitrary: fc
        .array(pack, { maxLength: 3 })
        .map((packs): CellVoltagesItem => ({ type: 'cellVoltages', typeId, packs })),
      weight: 6,
    },
    {
      arbitrary: special.map((s): CellVoltagesItem => ({
        type: 'cellVoltages',
        typeId,
        packs: [],
        packCount: s,
      })),
      weight: 1,
    },
  );
}

function probeTemperatures(version: Version): Arbitrary<ProbeTemperaturesItem> {
  const typeId = version === 2016 ? 0x09 : 0x08;
  const pack = fc.record({ pack: n8(), temperaturesC: listOrSpecial(temp8, 12) });
  return fc.oneof(
    {
      arbitrary: fc
        .array(pack, { maxLength: 3 })
        .map((packs): ProbeTemperaturesItem => ({ type: 'probeTemperatures', typeId, packs })),
      weight: 6,
    },
    {
      arbitrary: special.map((s): ProbeTemperaturesItem => ({
        type: 'probeTemperatures',
        typeId,
        packs: [],
        packCount: s,
      })),
      weight: 1,
    },
  );
}

const fuelCellStacks: Arbitrary<FuelCellStacksItem> = fc.oneof(
  {
    arbitrary: fc
      .array(
        fc.record({
          stack: n8(),
          voltageV: n16(10),
          currentA: n16(10),
          h2InletPressureKpa: n16(10, 1000),
          airInletPressureKpa: n16(10, 1000),
          airInletTempC: temp8,
          coolantOutletTempsC: listOrSpecial(temp8, 6),
        }),
        { maxLength: 3 },
      )
      .map((stacks): FuelCellStacksItem => ({ type: 'fuelCellStacks', typeId: 0x30, stacks })),
    weight: 6,
  },
  {
    arbitrary: special.map((s): FuelCellStacksItem => ({
      type: 'fuelCellStacks',
      typeId: 0x30,
      stacks: [],
      stackCount: s,
    })),
    weight: 1,
  },
);

const superCapacitor: Arbitrary<SuperCapacitorItem> = fc
  .record({
    system: n8(),
    totalVoltageV: n16(10),
    totalCurrentA: n16(10, 30000),
    cellVoltagesV: listOrSpecial(n16(1000), 8),
    probeTempsC: listOrSpecial(temp8, 8),
  })
  .map((s) => ({ type: 'superCapacitor', typeId: 0x31, ...s }));

const superCapacitorExtremes: Arbitrary<SuperCapacitorExtremesItem> = fc
  .record({
    maxVoltageSystem: n8(),
    maxVoltageCell: n16(),
    maxCellVoltageV: n16(1000),
    minVoltageSystem: n8(),
    minVoltageCell: n16(),
    minCellVoltageV: n16(1000),
    maxTempSystem: n8(),
    maxTempProbe: n16(),
    maxTempC: temp8,
    minTempSystem: n8(),
    minTempProbe: n16(),
    minTempC: temp8,
  })
  .map((s) => ({ type: 'superCapacitorExtremes', typeId: 0x32, ...s }));

/** OEM items 0x80–0xFE and platform-exchange items (2016 0x0A–0x2F, 2025 0x09–0x2F; spec §7.1). */
function custom(version: Version): Arbitrary<InfoItem> {
  const typeId = fc.oneof(
    fc.integer({ min: 0x80, max: 0xfe }),
    fc.integer({ min: version === 2016 ? 0x0a : 0x09, max: 0x2f }),
  );
  return fc
    .record({ typeId, hex: hex(0, 24) })
    .map(({ typeId: id, hex: h }) => ({ type: 'custom', typeId: id, hex: h }));
}

/** One information item of the edition (every type of spec §7.1). */
export function infoItem(version: Version): Arbitrary<InfoItem> {
  const common: Arbitrary<InfoItem>[] = [
    vehicle(version),
    motors(version),
    engine(version),
    position(version),
    alarm(version),
  ];
  common.push(cellVoltages(version), probeTemperatures(version), custom(version));
  if (version === 2016) return fc.oneof(...common, fuelCell2016, extremes);
  return fc.oneof(...common, fuelCell2025, fuelCellStacks, superCapacitor, superCapacitorExtremes);
}

/** A 2025 signature block (spec §9.10): SM2 32+32 bytes, RSA-2048 in R with S empty, or random. */
export const signatureBlock: Arbitrary<Pick<Signature, 'algorithm' | 'algorithmId' | 'rHex' | 'sHex'>> =
  fc.oneof(
    fc.record({
      algorithm: fc.constant('sm2' as const),
      algorithmId: fc.constant(1),
      rHex: hex(32, 32),
      sHex: hex(32, 32),
    }),
    fc.record({
      algorithm: fc.constant('rsa' as const),
      algorithmId: fc.constant(2),
      rHex: hex(256, 256),
      sHex: fc.constant(''),
    }),
    fc.integer({ min: 0, max: 0xff }).chain((id) =>
      fc.record({
        algorithm: fc.constant(([undefined, 'sm2', 'rsa', 'ecc'] as const)[id] ?? id),
        algorithmId: fc.constant(id),
        rHex: hex(0, 40),
        sHex: hex(0, 40),
      }),
    ),
  );

// ---------------------------------------------------------------------------------------------
// Frames

type Parts = Pick<FrameInput, 'command' | 'body'> & Partial<FrameInput>;

function realtimeBody(version: Version): Arbitrary<RealtimeBody> {
  const items = fc.array(infoItem(version), { maxLength: 6 });
  if (version === 2016) return items.map((i) => ({ items: i }));
  return fc
    .record({ items, sig: signatureBlock })
    .map(({ items: i, sig }) => ({ items: i, signature: { ...sig, signedStart: 0, signedEnd: 0 } }));
}

const serial = fc.integer({ min: 0, max: 0xffff });
const encryptionByte = fc.integer({ min: 0, max: 0xff }).map((id) => ({ id, name: encryptionName(id) }));

function login(version: Version): Arbitrary<Body> {
  if (version === 2025) {
    return fc.oneof(
      fc
        .record({
          serial,
          iccid: text(0, 20),
          packCodes: fc.array(fc.array(text(1, 24), { maxLength: 3 }), { maxLength: 3 }),
        })
        .map((b) => ({ ...b, bmsCount: b.packCodes.length })),
      fc.record({ serial, iccid: text(0, 20), bmsCount: special }).map((b) => ({ ...b, packCodes: [] })),
    );
  }
  return fc
    .record({
      serial,
      iccid: text(0, 20),
      packCount: fc.oneof(fc.integer({ min: 0, max: 4 }), special),
      packCodeLength: fc.oneof(fc.integer({ min: 0, max: 10 }), special),
    })
    .chain((b) => {
      const n =
        typeof b.packCount === 'number' && typeof b.packCodeLength === 'number' && b.packCodeLength > 0
          ? b.packCount
          : 0;
      const m = typeof b.packCodeLength === 'number' ? b.packCodeLength : 0;
      return fc
        .array(text(1, Math.max(1, m)), { minLength: n, maxLength: n })
        .map((packCodes) => ({ ...b, packCodes }));
    });
}

/** Setting parameters of one edition: fixed-width values plus an optional domain with its length. */
function paramList(version: Version): Arbitrary<Param[]> {
  const byteIds = [0x09, 0x0c, 0x10, ...(version === 2025 ? [0x02, 0x03] : [])];
  const wordIds = [0x01, 0x06, 0x0a, 0x0b, 0x0f, ...(version === 2016 ? [0x02, 0x03] : [])];
  const simple = fc.oneof(
    fc.record({ id: fc.constantFrom(...byteIds), value: n8() }),
    fc.record({ id: fc.constantFrom(...wordIds), value: n16() }),
    fc.record({ id: fc.constantFrom(0x07, 0x08), value: text(5, 5) }),
  );
  const domain = fc
    .record({ lengthId: fc.constantFrom(0x04, 0x0d), value: text(0, 20) })
    .map(({ lengthId, value }) => [
      { id: lengthId, value: value.length },
      { id: lengthId + 1, value },
    ]);
  return fc
    .tuple(fc.array(simple, { maxLength: 5 }), fc.option(domain, { nil: undefined }))
    .map(([s, d]) =>
      [...s, ...(d ?? [])].map((p): Param => ({ id: p.id, name: paramName(p.id), value: p.value })),
    );
}

function control(): Arbitrary<Body> {
  return fc
    .oneof(
      fc.constantFrom(0x02, 0x03, 0x04, 0x05, 0x07).map((id) => ({ controlId: id, params: {} })),
      fc
        .record({
          level: fc.oneof(fc.constantFrom('none', 'level1', 'level2', 'level3', 'level4'), special),
          message: text(0, 30),
        })
        .map((params) => ({ controlId: 0x06, params })),
      fc
        .record({ id: fc.integer({ min: 0x80, max: 0xfe }), h: hex(1, 16) })
        .map(({ id, h }) => ({ controlId: id, params: { hex: h } })),
    )
    .map((b) => ({ ...b, control: controlNameOf(b.controlId) }));
}
const CONTROL_NAMES: Record<number, string> = {
  2: 'shutdown',
  3: 'reset',
  4: 'factoryReset',
  5: 'disconnect',
  6: 'alarm',
  7: 'openSamplingLink',
};
const controlNameOf = (id: number): string => CONTROL_NAMES[id] ?? `user0x${id.toString(16)}`;

/** Command frames (flag 0xFE) of one edition, with their bodies. */
function commandParts(version: Version): Arbitrary<Parts> {
  const timed = (command: CommandName, body: Arbitrary<Body>): Arbitrary<Parts> =>
    fc.record({ time, body }).map((x) => ({ command, ...x }));
  const list: Arbitrary<Parts>[] = [
    timed('vehicleLogin', login(version)),
    timed('realtime', realtimeBody(version)),
    timed('reissue', realtimeBody(version)),
    timed('vehicleLogout', fc.record({ serial })),
    timed('platformLogout', fc.record({ serial })),
    timed(
      'platformLogin',
      fc
        .record({ serial, username: text(0, 12), password: text(0, 20), rule: encryptionByte })
        .map(({ rule, ...b }) => ({
          ...b,
          encryptionRule: rule.name,
          encryptionRuleId: rule.id,
        })),
    ),
    fc.constantFrom<Parts>({ command: 'heartbeat', body: {} }, { command: 'timeSync', body: {} }),
    timed(
      'paramQuery',
      fc.oneof(
        fc
          .array(fc.integer({ min: 0, max: 0xff }), { maxLength: 6 })
          .map((ids) => ({ params: ids.map((id) => ({ id, name: paramName(id) })) })),
        special.map((s) => ({ params: [], paramCount: s })),
      ),
    ),
    timed(
      'paramSet',
      paramList(version).map((params) => ({ params })),
    ),
    timed('terminalControl', control()),
    fc
      .record({ commandId: fc.integer({ min: 0xc0, max: 0xfe }), body: hex(0, 40).map((h) => ({ hex: h })) })
      .map((x) => ({ command: 'custom' as const, ...x })),
  ];
  if (version === 2025) {
    list.push(
      timed(
        'activation',
        fc
          .record({
            chipId: text(0, 16),
            publicKeyHex: hex(0, 64),
            activationVin: text(0, 17),
            sig: signatureBlock,
          })
          .map(({ sig, ...b }) => ({
            ...b,
            signature: {
              ...sig,
              signedStart: 24,
              signedEnd: 24 + 6 + 16 + 2 + b.publicKeyHex.length / 2 + 17,
            },
          })),
      ),
      fc
        .record({ s: fc.integer({ min: 0, max: 0xff }), i: fc.integer({ min: 0, max: 0xff }) })
        .map(({ s, i }) => ({
          command: 'activationResponse' as const,
          body: {
            status: ([undefined, 'activated', 'failed'] as const)[s] ?? s,
            info: (['success', 'alreadyActivated', 'vinDuplicate', 'vinDuplicate'] as const)[i] ?? i,
            infoId: i,
          },
        })),
      timed(
        'keyExchange',
        fc
          .record({ kt: encryptionByte, keyHex: hex(0, 32), validFrom: time, validTo: time })
          .map(({ kt, ...b }) => ({
            ...b,
            keyType: kt.name,
            keyTypeId: kt.id,
          })),
      ),
    );
  }
  return fc.oneof(...list);
}

/** Time-only and empty replies (spec §4) to the commands that carry a time. */
function replyParts(version: Version): Arbitrary<Parts> {
  const codes: ResponseName[] = [
    'success',
    'error',
    'vinDuplicate',
    ...(version === 2025
      ? (['vinUnknown', 'signatureError', 'structureError', 'decryptionError'] as const)
      : []),
  ];
  return fc.oneof(
    fc
      .record({
        command: fc.constantFrom<CommandName>(
          'vehicleLogin',
          'realtime',
          'reissue',
          'vehicleLogout',
          'platformLogin',
          'timeSync',
        ),
        response: fc.constantFrom(...codes),
        time,
      })
      .map((x) => ({ ...x, body: {} })),
    fc
      .record({ response: fc.constantFrom(...codes) })
      .map((x) => ({ command: 'heartbeat' as const, ...x, body: {} })),
  );
}

/** An encrypted data unit kept as ciphertext (spec §5): no key provider is needed either way. */
const encryptedParts: Arbitrary<Parts> = fc
  .record({
    encryption: fc.constantFrom<'rsa' | 'aes' | 'sm2' | 'sm4'>('rsa', 'aes', 'sm2', 'sm4'),
    h: hex(1, 48),
  })
  .map(({ encryption, h }) => ({ command: 'realtime', encryption, body: { encrypted: true, hex: h } }));

/** Sets a realtime signature's signed range to what the decoder reports: collection time to the marker. */
function withSignedRange(f: FrameInput): FrameInput {
  if (f.command !== 'realtime' && f.command !== 'reissue') return f;
  const body = f.body as RealtimeBody;
  if (f.version !== 2025 || !body.signature || f.encryption !== undefined) return f;
  const unsigned = encodeFrame({ ...f, body: { items: body.items } });
  return {
    ...f,
    body: { ...body, signature: { ...body.signature, signedStart: 24, signedEnd: unsigned.length - 1 } },
  };
}

/** A valid FrameInput of the given (or either) edition: every command, replies and encrypted units. */
export function frameInput(version?: Version): Arbitrary<FrameInput> {
  const v: Arbitrary<Version> = version ? fc.constant(version) : fc.constantFrom(2016, 2025);
  return v.chain((ver) =>
    fc
      .record({
        vin,
        parts: fc.oneof(
          { arbitrary: commandParts(ver), weight: 8 },
          { arbitrary: replyParts(ver), weight: 1 },
          { arbitrary: encryptedParts, weight: 1 },
        ),
      })
      .map(({ vin: id, parts }) => withSignedRange({ version: ver, vin: id, ...parts })),
  );
}

/** Encoded bytes of random valid frames. */
export const frameBytes: Arbitrary<Uint8Array> = frameInput().map((f) => encodeFrame(f));
