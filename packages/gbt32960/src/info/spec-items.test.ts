// Items the golden file lacks (2025 0x03, 0x04, 0x30, 0x31, 0x32, repeated 0x31, 2025 alarm levels,
// 2016 fuel-cell probes, reserved flag bits, special counts), built from the spec's layouts:
// encodeFrame(model) must give exactly the hand-written bytes, and decoding them gives the model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bcc, decodeFrame, encodeFrame, fromHex, toHex } from '../index.js';
import type { FrameInput } from '../frame.js';
import type { InfoItem, RealtimeBody, Version } from '../model.js';

const VIN = 'LNBSCU3H5JR000001';
const TIME = '2025-10-27T20:02:02+08:00';
const TIME_HEX = '190a1b140202';
/** An empty SM2 signature block after the 0xFF marker (§9.10): algorithm 01, R and S lengths 0. */
const SIG_HEX = 'ff01' + '0000' + '0000';

/** The frame bytes (spec §1) around a hand-written items hex. */
function frameHex(version: Version, itemsHex: string): string {
  const clean = itemsHex.replace(/\s+/g, '');
  const data = TIME_HEX + clean + (version === 2025 ? SIG_HEX : '');
  const vin = Buffer.from(VIN, 'ascii').toString('hex');
  const len = (data.length / 2).toString(16).padStart(4, '0');
  const body = `02fe${vin}01${len}${data}`;
  const start = version === 2025 ? '2424' : '2323';
  const b = fromHex(start + body)!;
  return start + body + bcc(b, 2, b.length).toString(16).padStart(2, '0');
}

function check(version: Version, items: InfoItem[], itemsHex: string): void {
  const clean = itemsHex.replace(/\s+/g, '');
  const input: FrameInput = { version, command: 'realtime', vin: VIN, time: TIME, body: { items } };
  if (version === 2025) {
    const signedEnd = 24 + 6 + clean.length / 2;
    (input.body as RealtimeBody).signature = { algorithm: 'sm2', algorithmId: 1, rHex: '', sHex: '', signedStart: 24, signedEnd };
  }
  const expected = frameHex(version, clean);
  assert.equal(toHex(encodeFrame(input)), expected);
  const frame = decodeFrame(fromHex(expected)!);
  assert.equal(frame.ok, true, JSON.stringify(frame.error));
  assert.equal(frame.warnings, undefined, JSON.stringify(frame.warnings));
  assert.deepEqual(frame.body, input.body);
}

test('2025 0x30 fuel-cell stacks: two stacks, pressures with −100 kPa, special codes and count', () => {
  check(
    2025,
    [
      {
        type: 'fuelCellStacks',
        typeId: 0x30,
        stacks: [
          { stack: 1, voltageV: 800, currentA: 400, h2InletPressureKpa: 200, airInletPressureKpa: -20, airInletTempC: 50, coolantOutletTempsC: [25, 26, 27] },
          { stack: 2, voltageV: 'abnormal', currentA: 'invalid', h2InletPressureKpa: -100, airInletPressureKpa: 400, airInletTempC: 'abnormal', coolantOutletTempsC: 'invalid' },
        ],
      },
    ],
    `30 02
     01 1f40 0fa0 0bb8 0320 5a 0003 414243
     02 fffe ffff 0000 1388 fe ffff`,
  );
});

test('2025 0x31 super-capacitor: repeated items (one per system), special counts; 0x32 extremes', () => {
  check(
    2025,
    [
      { type: 'superCapacitor', typeId: 0x31, system: 1, totalVoltageV: 1000, totalCurrentA: 0, cellVoltagesV: [3.2, 3.201, 'abnormal'], probeTempsC: [0, 'invalid'] },
      { type: 'superCapacitor', typeId: 0x31, system: 2, totalVoltageV: 400, totalCurrentA: -100, cellVoltagesV: 'invalid', probeTempsC: 'abnormal' },
      {
        type: 'superCapacitorExtremes',
        typeId: 0x32,
        maxVoltageSystem: 1,
        maxVoltageCell: 16,
        maxCellVoltageV: 3.6,
        minVoltageSystem: 2,
        minVoltageCell: 'abnormal',
        minCellVoltageV: 3,
        maxTempSystem: 1,
        maxTempProbe: 5,
        maxTempC: 50,
        minTempSystem: 2,
        minTempProbe: 'invalid',
        minTempC: -20,
      },
    ],
    `31 01 2710 7530 0003 0c80 0c81 fffe 0002 28 ff
     31 02 0fa0 7148 ffff fffe
     32 01 0010 0e10 02 fffe 0bb8 01 0005 5a 02 ffff 14`,
  );
});

test('2025 0x02–0x08: motors, H₂ system, engine, position, alarm levels, cells, probes', () => {
  check(
    2025,
    [
      { type: 'driveMotors', typeId: 0x02, motors: [{ seq: 1, state: 'consuming', controllerTempC: 50, speedRpm: 4000, torqueNm: 1234.5, tempC: 40 }] },
      {
        type: 'fuelCell',
        typeId: 0x03,
        h2MaxTempC: 50,
        h2MaxTempProbe: 3,
        h2MaxConcentrationPct: 1,
        h2MaxConcentrationSensor: 4,
        h2MaxPressureMpa: 10,
        h2MaxPressureSensor: 5,
        dcdcState: 'working',
        h2RemainingPct: 80,
        dcdcTempC: 30,
      },
      { type: 'engine', typeId: 0x04, crankshaftRpm: 3000 },
      { type: 'position', typeId: 0x05, valid: true, longitude: -121.5, latitude: -31.25, coordinateSystem: 'gcj02', status: 6 },
      {
        type: 'alarm',
        typeId: 0x06,
        maxLevel: 4,
        flags: ['temperatureDifference', 'thermalEvent', 'hydrogenLeak'],
        flagBits: 0x01800001,
        batteryFaults: [1],
        motorFaults: [],
        engineFaults: 'invalid',
        otherFaults: [10, 11],
        flagLevels: [
          { flag: 'thermalEvent', bit: 23, level: 4 },
          { flag: 'hydrogenLeak', bit: 24, level: 3 },
        ],
      },
      { type: 'cellVoltages', typeId: 0x07, packs: [{ pack: 1, voltageV: 700, currentA: -22, cellVoltagesV: [4, 4.001, 'invalid'] }] },
      {
        type: 'probeTemperatures',
        typeId: 0x08,
        packs: [
          { pack: 1, temperaturesC: [25, 26] },
          { pack: 2, temperaturesC: 'abnormal' },
        ],
      },
    ],
    `02 01  01 01 5a 8ca0 00033d79 50
     03  005a 03 2710 04 0064 05 01 50 46
     04  0bb8
     05  06 02 073df160 01dcd650
     06  04 01800001 01 00000001 00 ff 02 0000000a 0000000b 02 17 04 18 03
     07  01 01 1b58 7454 0003 0fa0 0fa1 ffff
     08  02 01 0002 4142 02 fffe`,
  );
});

test('2016 0x03 fuel cell with probes, 0x04 engine, 0x07 alarm with a reserved bit, special counts', () => {
  check(
    2016,
    [
      {
        type: 'fuelCell',
        typeId: 0x03,
        voltageV: 600.5,
        currentA: 120,
        consumptionKgPer100Km: 1.25,
        probeTempsC: [20, -40],
        h2MaxTempC: 25.5,
        h2MaxTempProbe: 2,
        h2MaxConcentrationPpm: 500,
        h2MaxConcentrationSensor: 'abnormal',
        h2MaxPressureMpa: 35,
        h2MaxPressureSensor: 1,
        dcdcState: 'off',
      },
      { type: 'engine', typeId: 0x04, state: 'stopped', crankshaftRpm: 0, consumptionLPer100Km: 'invalid' },
      {
        type: 'alarm',
        typeId: 0x07,
        maxLevel: 3,
        flags: ['chargeOverCharge', 'bit20'],
        flagBits: 0x00140000,
        batteryFaults: 'abnormal',
        motorFaults: [0xdeadbeef],
        engineFaults: [],
        otherFaults: [],
      },
      { type: 'driveMotors', typeId: 0x02, motors: [], motorCount: 'invalid' },
      { type: 'cellVoltages', typeId: 0x08, packs: [], packCount: 'abnormal' },
    ],
    `03  1775 04b0 007d 0002 3c00 028f 02 01f4 fe 015e 01 02
     04  02 0000 ffff
     07  03 00140000 fe 01 deadbeef 00 00
     02  ff
     08  fe`,
  );
});

test('2016 0x08 continuation frame of a split pack: start cell 201 (§8.8)', () => {
  check(
    2016,
    [{ type: 'cellVoltages', typeId: 0x08, packs: [{ pack: 1, voltageV: 780.9, currentA: -5.1, totalCells: 255, startCell: 201, cellVoltagesV: [4.061, 4.063] }] }],
    `08 01  01 1e81 26dd 00ff 00c9 02 0fdd 0fdf`,
  );
});
