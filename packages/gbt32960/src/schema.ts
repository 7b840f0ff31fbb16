// The decoded-frame model (model.ts) as JSON Schema, draft 2020-12, for consumers of the API, MQTT
// and export surfaces (../../shared/spec/data-model.md). Hand-written to mirror model.ts one to one;
// schema.test.ts validates every decoded golden frame against it, so a drift shows up as a failure.
// Every object is closed (additionalProperties: false) so that `oneOf` picks exactly one body shape.

import { COMMAND_IDS, ENCRYPTION_IDS, RESPONSE_IDS } from './model.js';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });
const SPECIAL = ['abnormal', 'invalid'] as const;

/** A closed object: every listed property, `required` ones mandatory. */
function obj(properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema {
  return { type: 'object', properties, required, additionalProperties: false };
}
/** All properties required except `optional`. */
function objOpt(properties: Record<string, Schema>, optional: string[]): Schema {
  return obj(
    properties,
    Object.keys(properties).filter((k) => !optional.includes(k)),
  );
}
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const hex: Schema = { type: 'string', pattern: '^([0-9a-f]{2})*$' };
const num = ref('Num');
const special = ref('Special');
/** An enumerated field: a name, a special code, or the raw byte (model.ts `Enum`). */
const enumOf = (names: readonly string[]): Schema => ({
  oneOf: [{ enum: [...names, ...SPECIAL] }, { type: 'integer', minimum: 0, maximum: 255 }],
});
const arr = (items: Schema): Schema => ({ type: 'array', items });
const listOrSpecial = (items: Schema): Schema => ({ oneOf: [arr(items), special] });
const constant = (v: string | number): Schema => ({ const: v });
const oneOfConst = (...v: number[]): Schema => ({ enum: v });

// Derived from the model's code tables, so that a new command or code cannot be missed here.
const ENCRYPTIONS = [...Object.keys(ENCRYPTION_IDS), 'unknown'];
const COMMANDS = [...Object.keys(COMMAND_IDS), 'custom'];
const RESPONSES = [...Object.keys(RESPONSE_IDS).filter((k) => k !== 'command'), 'command', 'unknown'];
const ON_OFF = enumOf(['working', 'off']);

const signature = obj({
  algorithm: enumOf(['sm2', 'rsa', 'ecc']),
  algorithmId: int,
  rHex: hex,
  sHex: hex,
  signedStart: int,
  signedEnd: int,
});

const items: Record<string, Schema> = {
  VehicleItem: objOpt(
    {
      type: constant('vehicle'),
      typeId: constant(0x01),
      vehicleState: enumOf(['started', 'off', 'other']),
      chargingState: enumOf(['parkedCharging', 'drivingCharging', 'notCharging', 'chargeComplete']),
      operatingMode: enumOf(['electric', 'hybrid', 'fuel']),
      speedKmh: num,
      odometerKm: num,
      totalVoltageV: num,
      totalCurrentA: num,
      socPct: num,
      dcdcState: ON_OFF,
      gear: objOpt({ gear: str, driving: bool, braking: bool, valid: bool, reservedBits: int }, [
        'reservedBits',
      ]),
      insulationKOhm: num,
      acceleratorPct: num,
      brakePct: { oneOf: [num, constant('on')] },
    },
    ['acceleratorPct', 'brakePct'],
  ),
  DriveMotorsItem: objOpt(
    {
      type: constant('driveMotors'),
      typeId: constant(0x02),
      motors: arr(
        objOpt(
          {
            seq: num,
            state: enumOf(['consuming', 'generating', 'off', 'ready']),
            controllerTempC: num,
            speedRpm: num,
            torqueNm: num,
            tempC: num,
            controllerVoltageV: num,
            controllerCurrentA: num,
          },
          ['controllerVoltageV', 'controllerCurrentA'],
        ),
      ),
      motorCount: special,
    },
    ['motorCount'],
  ),
  FuelCell2016Item: obj({
    type: constant('fuelCell'),
    typeId: constant(0x03),
    voltageV: num,
    currentA: num,
    consumptionKgPer100Km: num,
    probeTempsC: listOrSpecial(num),
    h2MaxTempC: num,
    h2MaxTempProbe: num,
    h2MaxConcentrationPpm: num,
    h2MaxConcentrationSensor: num,
    h2MaxPressureMpa: num,
    h2MaxPressureSensor: num,
    dcdcState: ON_OFF,
  }),
  FuelCell2025Item: obj({
    type: constant('fuelCell'),
    typeId: constant(0x03),
    h2MaxTempC: num,
    h2MaxTempProbe: num,
    h2MaxConcentrationPct: num,
    h2MaxConcentrationSensor: num,
    h2MaxPressureMpa: num,
    h2MaxPressureSensor: num,
    dcdcState: ON_OFF,
    h2RemainingPct: num,
    dcdcTempC: num,
  }),
  EngineItem: objOpt(
    {
      type: constant('engine'),
      typeId: constant(0x04),
      state: enumOf(['running', 'stopped']),
      crankshaftRpm: num,
      consumptionLPer100Km: num,
    },
    ['state', 'consumptionLPer100Km'],
  ),
  PositionItem: objOpt(
    {
      type: constant('position'),
      typeId: constant(0x05),
      valid: bool,
      longitude: { type: 'number' },
      latitude: { type: 'number' },
      coordinateSystem: enumOf(['wgs84', 'gcj02', 'other']),
      status: int,
    },
    ['coordinateSystem'],
  ),
  ExtremesItem: obj({
    type: constant('extremes'),
    typeId: constant(0x06),
    ...Object.fromEntries(
      [
        'maxVoltagePack',
        'maxVoltageCell',
        'maxCellVoltageV',
        'minVoltagePack',
        'minVoltageCell',
        'minCellVoltageV',
        'maxTempPack',
        'maxTempProbe',
        'maxTempC',
        'minTempPack',
        'minTempProbe',
        'minTempC',
      ].map((k) => [k, num]),
    ),
  }),
  AlarmItem: objOpt(
    {
      type: constant('alarm'),
      typeId: oneOfConst(0x06, 0x07),
      maxLevel: num,
      flags: arr(str),
      flagBits: int,
      batteryFaults: listOrSpecial(int),
      motorFaults: listOrSpecial(int),
      engineFaults: listOrSpecial(int),
      otherFaults: listOrSpecial(int),
      flagLevels: listOrSpecial(obj({ flag: str, bit: int, level: num })),
    },
    ['flagLevels'],
  ),
  CellVoltagesItem: objOpt(
    {
      type: constant('cellVoltages'),
      typeId: oneOfConst(0x07, 0x08),
      packs: arr(
        objOpt(
          {
            pack: num,
            voltageV: num,
            currentA: num,
            totalCells: num,
            startCell: int,
            cellVoltagesV: arr(num),
          },
          ['totalCells', 'startCell'],
        ),
      ),
      packCount: special,
    },
    ['packCount'],
  ),
  ProbeTemperaturesItem: objOpt(
    {
      type: constant('probeTemperatures'),
      typeId: oneOfConst(0x08, 0x09),
      packs: arr(obj({ pack: num, temperaturesC: listOrSpecial(num) })),
      packCount: special,
    },
    ['packCount'],
  ),
  FuelCellStacksItem: objOpt(
    {
      type: constant('fuelCellStacks'),
      typeId: constant(0x30),
      stacks: arr(
        obj({
          stack: num,
          voltageV: num,
          currentA: num,
          h2InletPressureKpa: num,
          airInletPressureKpa: num,
          airInletTempC: num,
          coolantOutletTempsC: listOrSpecial(num),
        }),
      ),
      stackCount: special,
    },
    ['stackCount'],
  ),
  SuperCapacitorItem: obj({
    type: constant('superCapacitor'),
    typeId: constant(0x31),
    system: num,
    totalVoltageV: num,
    totalCurrentA: num,
    cellVoltagesV: listOrSpecial(num),
    probeTempsC: listOrSpecial(num),
  }),
  SuperCapacitorExtremesItem: obj({
    type: constant('superCapacitorExtremes'),
    typeId: constant(0x32),
    ...Object.fromEntries(
      [
        'maxVoltageSystem',
        'maxVoltageCell',
        'maxCellVoltageV',
        'minVoltageSystem',
        'minVoltageCell',
        'minCellVoltageV',
        'maxTempSystem',
        'maxTempProbe',
        'maxTempC',
        'minTempSystem',
        'minTempProbe',
        'minTempC',
      ].map((k) => [k, num]),
    ),
  }),
  CustomItem: objOpt({ type: constant('custom'), typeId: int, hex, unlengthed: bool }, ['unlengthed']),
};

const paramValue: Schema = { type: ['number', 'string'] };

const bodies: Record<string, Schema> = {
  RealtimeBody: objOpt(
    { items: arr({ oneOf: Object.keys(items).map(ref) }), signature: ref('Signature'), trailingHex: hex },
    ['signature', 'trailingHex'],
  ),
  VehicleLoginBody: obj({
    serial: int,
    iccid: str,
    packCount: num,
    packCodeLength: num,
    packCodes: arr(str),
  }),
  VehicleLogin2025Body: obj({ serial: int, iccid: str, bmsCount: num, packCodes: arr(arr(str)) }),
  SerialBody: obj({ serial: int }),
  PlatformLoginBody: obj({
    serial: int,
    username: str,
    password: str,
    encryptionRule: { enum: ENCRYPTIONS },
    encryptionRuleId: int,
  }),
  EmptyBody: obj({}),
  ActivationBody: obj({ chipId: str, publicKeyHex: hex, activationVin: str, signature: ref('Signature') }),
  ActivationResponseBody: obj({
    status: enumOf(['activated', 'failed']),
    info: enumOf(['success', 'alreadyActivated', 'vinDuplicate']),
    infoId: int,
  }),
  KeyExchangeBody: obj({
    keyType: { enum: ENCRYPTIONS },
    keyTypeId: int,
    keyHex: hex,
    validFrom: ref('Time'),
    validTo: ref('Time'),
  }),
  ParamsBody: objOpt(
    { params: arr(objOpt({ id: int, name: str, value: paramValue }, ['value'])), paramCount: special },
    ['paramCount'],
  ),
  TerminalControlBody: obj({
    controlId: int,
    control: str,
    params: {
      oneOf: [
        objOpt(
          {
            apn: str,
            user: str,
            password: str,
            address: str,
            port: { type: ['integer', 'null'] },
            manufacturerId: str,
            hardwareVersion: str,
            firmwareVersion: str,
            url: str,
            deadlineMin: { type: ['integer', 'null'] },
            form: { enum: ['table', 'urlFirstText'] },
          },
          ['form'],
        ),
        obj({ level: enumOf(['none', 'level1', 'level2', 'level3', 'level4']), message: str }),
        ref('RawBody'),
        ref('EmptyBody'),
      ],
    },
  }),
  RawBody: obj({ hex }),
  EncryptedBody: obj({ encrypted: { const: true }, hex }),
};

const issue = (extra: Record<string, Schema>, optional: string[]): Schema =>
  objOpt({ code: str, message: str, offset: int, ...extra }, optional);

/** JSON Schema (draft 2020-12) of a decoded Frame (model.ts `Frame`). A new object on each call. */
export function frameJsonSchema(): Schema {
  const schema: Schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://nevhub.dev/schema/gbt32960/frame.schema.json',
    title: 'GB/T 32960.3 decoded frame (nevhub data model v1)',
    description: 'One frame of GB/T 32960.3-2016 ("##") or -2025 ("$$") as decoded by @nevhub/gbt32960.',
    ...objOpt(
      {
        ok: bool,
        version: { enum: [2016, 2025] },
        command: { enum: COMMANDS },
        commandId: int,
        response: { enum: RESPONSES },
        responseId: int,
        vin: str,
        encryption: { enum: ENCRYPTIONS },
        encryptionId: int,
        time: { oneOf: [ref('Time'), { type: 'null' }] },
        body: { oneOf: Object.keys(bodies).map(ref) },
        error: issue({}, []),
        warnings: arr(issue({ field: str }, ['field'])),
        quirks: arr(str),
      },
      ['error', 'warnings', 'quirks'],
    ),
    $defs: {
      Special: { enum: [...SPECIAL] },
      Num: { oneOf: [{ type: 'number' }, { enum: [...SPECIAL] }] },
      Time: { type: 'string', pattern: '^\\d{4}-\\d{2,3}-\\d{2,3}T\\d{2,3}:\\d{2,3}:\\d{2,3}\\+08:00$' },
      Signature: signature,
      ...items,
      ...bodies,
    },
  };
  return schema;
}
