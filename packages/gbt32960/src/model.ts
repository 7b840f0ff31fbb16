// The public decoded-frame model (nevhub data model v1, see docs/data-model.md and
// ../../shared/spec/data-model.md). Every surface (CLI, API, MQTT, exports) emits these shapes.
// Names listed in the data model are fixed; the rest follow its style (camelCase, unit suffix).

/** Protocol edition, from the start bytes: "##" = 2016, "$$" = 2025 (GB/T 32960.3-2025 Table 2). */
export type Version = 2016 | 2025;

/** A value the standard marks abnormal (raw max-1: 0xFE, 0xFFFE, ...) or invalid (raw max). */
export type Special = 'abnormal' | 'invalid';
/** A physical value with scale and offset applied, or a special code. */
export type Num = number | Special;
/** An enumerated field: its name, a special code, or the raw byte when the code is not defined. */
export type Enum<N extends string> = N | Special | number;

/** Command identifiers (spec §3). */
export const COMMAND_IDS = {
  vehicleLogin: 0x01,
  realtime: 0x02,
  reissue: 0x03,
  vehicleLogout: 0x04,
  platformLogin: 0x05,
  platformLogout: 0x06,
  heartbeat: 0x07,
  timeSync: 0x08,
  activation: 0x09,
  activationResponse: 0x0a,
  keyExchange: 0x0b,
  paramQuery: 0x80,
  paramSet: 0x81,
  terminalControl: 0x82,
} as const;
export type KnownCommand = keyof typeof COMMAND_IDS;
export type CommandName = KnownCommand | 'custom';

/** Response flag codes (spec §4). 0x04–0x07 exist only in 2025. */
export const RESPONSE_IDS = {
  success: 0x01,
  error: 0x02,
  vinDuplicate: 0x03,
  vinUnknown: 0x04,
  signatureError: 0x05,
  structureError: 0x06,
  decryptionError: 0x07,
  command: 0xfe,
} as const;
export type ResponseName = keyof typeof RESPONSE_IDS | 'unknown';

/** Data-unit encryption byte (spec §5); also the platform-login encryption rule and key type. */
export const ENCRYPTION_IDS = {
  none: 0x01,
  rsa: 0x02,
  aes: 0x03,
  sm2: 0x04,
  sm4: 0x05,
  abnormal: 0xfe,
  invalid: 0xff,
} as const;
export type EncryptionName = keyof typeof ENCRYPTION_IDS | 'unknown';

export interface FrameError {
  /** Stable code from ERROR_CODES, e.g. GBT_ERR_BCC. */
  code: string;
  message: string;
  /** Byte offset in the frame where the problem was found. */
  offset: number;
}

/** A non-fatal finding: the frame decoded, but a value is outside the range the standard allows. */
export interface FrameWarning {
  code: string;
  message: string;
  offset: number;
  /** Path of the field, e.g. `items[0].speedKmh`. */
  field?: string;
}

/** One decoded frame: the envelope of data-model.md plus its body. */
export interface Frame {
  ok: boolean;
  version: Version;
  command: CommandName;
  commandId: number;
  response: ResponseName;
  /** Raw response byte (kept so that unknown codes round-trip). */
  responseId: number;
  vin: string;
  encryption: EncryptionName;
  /** Raw encryption byte. */
  encryptionId: number;
  /** Data-unit time, ISO 8601 with +08:00 (Beijing time, spec §2); null where the frame has none. */
  time: string | null;
  body: Body;
  error?: FrameError;
  warnings?: FrameWarning[];
  /** Names of lenient-mode quirks that were needed to read this frame (see lenient.ts). */
  quirks?: string[];
}

export type Body =
  | RealtimeBody
  | VehicleLoginBody
  | VehicleLogin2025Body
  | SerialBody
  | PlatformLoginBody
  | EmptyBody
  | ActivationBody
  | ActivationResponseBody
  | KeyExchangeBody
  | ParamsBody
  | TerminalControlBody
  | RawBody
  | EncryptedBody;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type EmptyBody = {};

/** Bytes the codec does not interpret (custom commands, unparsed reply tails). */
export interface RawBody {
  hex: string;
}

/** A data unit encrypted with a cipher for which no key was available (spec §5). */
export interface EncryptedBody {
  encrypted: true;
  /** The ciphertext, as on the wire. */
  hex: string;
}

// ---------------------------------------------------------------------------------------------
// Realtime (0x02) and reissue (0x03)

export interface RealtimeBody {
  items: InfoItem[];
  /** 2025 only: the vehicle signature after the 0xFF marker (spec §9.10). */
  signature?: Signature;
  /** Lenient mode only: bytes after the last item that belong to no item. */
  trailingHex?: string;
}

export interface Signature {
  algorithm: Enum<'sm2' | 'rsa' | 'ecc'>;
  algorithmId: number;
  rHex: string;
  sHex: string;
  /** Byte range of the frame that the signature covers: [start, end) offsets in the frame. */
  signedStart: number;
  signedEnd: number;
}

export type InfoItem =
  | VehicleItem
  | DriveMotorsItem
  | FuelCell2016Item
  | FuelCell2025Item
  | EngineItem
  | PositionItem
  | ExtremesItem
  | AlarmItem
  | CellVoltagesItem
  | ProbeTemperaturesItem
  | FuelCellStacksItem
  | SuperCapacitorItem
  | SuperCapacitorExtremesItem
  | CustomItem;

export type InfoTypeName = InfoItem['type'];

export type VehicleState = Enum<'started' | 'off' | 'other'>;
export type ChargingState = Enum<'parkedCharging' | 'drivingCharging' | 'notCharging' | 'chargeComplete'>;
export type OperatingMode = Enum<'electric' | 'hybrid' | 'fuel'>;
export type OnOffState = Enum<'working' | 'off'>;

export interface Gear {
  /** "N", "1".."12", "R", "D", "P" (Annex A.1, gear bits 3..0). */
  gear: string;
  driving: boolean;
  braking: boolean;
  /** 2025: bit 7 = 0 means the gear value is valid; always true in 2016. */
  valid: boolean;
  /** Reserved bits that were set on the wire (bit 6, and bit 7 in 2016); omitted when zero. */
  reservedBits?: number;
}

export interface VehicleItem {
  type: 'vehicle';
  typeId: 0x01;
  vehicleState: VehicleState;
  chargingState: ChargingState;
  operatingMode: OperatingMode;
  speedKmh: Num;
  odometerKm: Num;
  totalVoltageV: Num;
  totalCurrentA: Num;
  socPct: Num;
  dcdcState: OnOffState;
  gear: Gear;
  insulationKOhm: Num;
  /** 2016 only (Annex B Table B.4). */
  acceleratorPct?: Num;
  /** 2016 only; 0x65 (101) = "on" (brake applied, no travel value). */
  brakePct?: Num | 'on';
}

export type MotorState = Enum<'consuming' | 'generating' | 'off' | 'ready'>;

export interface DriveMotor {
  seq: Num;
  state: MotorState;
  controllerTempC: Num;
  speedRpm: Num;
  torqueNm: Num;
  tempC: Num;
  /** 2016 only. */
  controllerVoltageV?: Num;
  /** 2016 only; positive = drawn from the bus. */
  controllerCurrentA?: Num;
}

export interface DriveMotorsItem {
  type: 'driveMotors';
  typeId: 0x02;
  motors: DriveMotor[];
  /** Present only when the count byte holds a special code (then no motors follow). */
  motorCount?: Special;
}

export interface FuelCell2016Item {
  type: 'fuelCell';
  typeId: 0x03;
  voltageV: Num;
  currentA: Num;
  consumptionKgPer100Km: Num;
  /** Probe temperatures; a special code when the probe-count word is abnormal/invalid. */
  probeTempsC: Num[] | Special;
  h2MaxTempC: Num;
  h2MaxTempProbe: Num;
  h2MaxConcentrationPpm: Num;
  h2MaxConcentrationSensor: Num;
  h2MaxPressureMpa: Num;
  h2MaxPressureSensor: Num;
  dcdcState: OnOffState;
}

export interface FuelCell2025Item {
  type: 'fuelCell';
  typeId: 0x03;
  h2MaxTempC: Num;
  h2MaxTempProbe: Num;
  /** Volume fraction in % (0.0001 % resolution, 2025 Table 17). */
  h2MaxConcentrationPct: Num;
  h2MaxConcentrationSensor: Num;
  h2MaxPressureMpa: Num;
  h2MaxPressureSensor: Num;
  dcdcState: OnOffState;
  h2RemainingPct: Num;
  dcdcTempC: Num;
}

export interface EngineItem {
  type: 'engine';
  typeId: 0x04;
  /** 2016 only. */
  state?: Enum<'running' | 'stopped'>;
  crankshaftRpm: Num;
  /** 2016 only. */
  consumptionLPer100Km?: Num;
}

export interface PositionItem {
  type: 'position';
  typeId: 0x05;
  valid: boolean;
  /** Signed degrees, west negative. */
  longitude: number;
  /** Signed degrees, south negative. */
  latitude: number;
  /** 2025 only. */
  coordinateSystem?: Enum<'wgs84' | 'gcj02' | 'other'>;
  /** The raw status byte (bit 0 invalid fix, bit 1 south, bit 2 west, bits 3–7 reserved). */
  status: number;
}

export interface ExtremesItem {
  type: 'extremes';
  typeId: 0x06;
  maxVoltagePack: Num;
  maxVoltageCell: Num;
  maxCellVoltageV: Num;
  minVoltagePack: Num;
  minVoltageCell: Num;
  minCellVoltageV: Num;
  maxTempPack: Num;
  maxTempProbe: Num;
  maxTempC: Num;
  minTempPack: Num;
  minTempProbe: Num;
  minTempC: Num;
}

export interface FlagLevel {
  /** Flag name (or `bitN` for a reserved bit). */
  flag: string;
  /** Raw flag bit index. */
  bit: number;
  level: Num;
}

export interface AlarmItem {
  type: 'alarm';
  typeId: 0x06 | 0x07;
  maxLevel: Num;
  flags: string[];
  flagBits: number;
  batteryFaults: number[] | Special;
  motorFaults: number[] | Special;
  engineFaults: number[] | Special;
  otherFaults: number[] | Special;
  /** 2025 only. */
  flagLevels?: FlagLevel[] | Special;
}

export interface CellVoltagePack {
  pack: Num;
  voltageV: Num;
  currentA: Num;
  /** 2016 only. */
  totalCells?: Num;
  /** 2016 only: 1-based index of the first cell in this frame. */
  startCell?: number;
  cellVoltagesV: Num[];
}

export interface CellVoltagesItem {
  type: 'cellVoltages';
  typeId: 0x07 | 0x08;
  packs: CellVoltagePack[];
  packCount?: Special;
}

export interface ProbePack {
  pack: Num;
  temperaturesC: Num[] | Special;
}

export interface ProbeTemperaturesItem {
  type: 'probeTemperatures';
  typeId: 0x08 | 0x09;
  packs: ProbePack[];
  packCount?: Special;
}

export interface FuelCellStack {
  stack: Num;
  voltageV: Num;
  currentA: Num;
  h2InletPressureKpa: Num;
  airInletPressureKpa: Num;
  airInletTempC: Num;
  coolantOutletTempsC: Num[] | Special;
}

export interface FuelCellStacksItem {
  type: 'fuelCellStacks';
  typeId: 0x30;
  stacks: FuelCellStack[];
  stackCount?: Special;
}

export interface SuperCapacitorItem {
  type: 'superCapacitor';
  typeId: 0x31;
  system: Num;
  totalVoltageV: Num;
  totalCurrentA: Num;
  cellVoltagesV: Num[] | Special;
  probeTempsC: Num[] | Special;
}

export interface SuperCapacitorExtremesItem {
  type: 'superCapacitorExtremes';
  typeId: 0x32;
  maxVoltageSystem: Num;
  maxVoltageCell: Num;
  maxCellVoltageV: Num;
  minVoltageSystem: Num;
  minVoltageCell: Num;
  minCellVoltageV: Num;
  maxTempSystem: Num;
  maxTempProbe: Num;
  maxTempC: Num;
  minTempSystem: Num;
  minTempProbe: Num;
  minTempC: Num;
}

export interface CustomItem {
  type: 'custom';
  typeId: number;
  /** The item's bytes after its length word. */
  hex: string;
  /** Lenient quirk `customWithoutLength`: the block had no length word and ran to the end. */
  unlengthed?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Session and management bodies

export interface VehicleLoginBody {
  serial: number;
  iccid: string;
  packCount: Num;
  /** Length m of each RESS system code (2016). */
  packCodeLength: Num;
  packCodes: string[];
}

export interface VehicleLogin2025Body {
  serial: number;
  iccid: string;
  bmsCount: Num;
  /** Pack codes (24 characters, GB/T 34014) per BMS. */
  packCodes: string[][];
}

export interface SerialBody {
  serial: number;
}

export interface PlatformLoginBody {
  serial: number;
  username: string;
  password: string;
  encryptionRule: EncryptionName;
  encryptionRuleId: number;
}

export interface ActivationBody {
  chipId: string;
  publicKeyHex: string;
  /** The VIN carried inside the activation data unit. */
  activationVin: string;
  signature: Signature;
}

export interface ActivationResponseBody {
  status: Enum<'activated' | 'failed'>;
  info: Enum<'success' | 'alreadyActivated' | 'vinDuplicate'>;
  /** Raw info byte (0x03 is also read as vinDuplicate, for rtm_con-style senders). */
  infoId: number;
}

export interface KeyExchangeBody {
  keyType: EncryptionName;
  keyTypeId: number;
  keyHex: string;
  validFrom: string;
  validTo: string;
}

/** A number, a text value, or (as strings) the special codes "abnormal"/"invalid". */
export type ParamValue = number | string;

export interface Param {
  id: number;
  name: string;
  /** Absent in a query command, which carries ids only. */
  value?: ParamValue;
}

export interface ParamsBody {
  params: Param[];
  /** Present only when the count byte holds a special code. */
  paramCount?: Special;
}

export interface UpgradeParams {
  apn: string;
  user: string;
  password: string;
  /** IPv4 dotted quad, a domain, or "" when absent. */
  address: string;
  port: number | null;
  manufacturerId: string;
  hardwareVersion: string;
  firmwareVersion: string;
  url: string;
  deadlineMin: number | null;
  /** Which wire form was read or is to be written (see control.ts: upgrade field order). */
  form?: 'table' | 'urlFirstText';
}

export interface AlarmControlParams {
  level: Enum<'none' | 'level1' | 'level2' | 'level3' | 'level4'>;
  message: string;
}

export interface TerminalControlBody {
  controlId: number;
  control: string;
  params: UpgradeParams | AlarmControlParams | RawBody | EmptyBody;
}
