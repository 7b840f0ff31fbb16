// Golden frames (testing/golden-frames.json, a copy of shared/frames/gbt32960-frames.json): every
// well-formed frame decodes and re-encodes to the same bytes; malformed ones fail with a fitting
// code; the values that EMQX, terryhart and qitool state are checked here (rtm_con's in
// info/golden-rtmcon.test.ts). EMQX states raw integers, converted with the spec's scale/offset.
/* eslint-disable @typescript-eslint/no-explicit-any -- the golden JSON is untyped third-party output */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeFrame, encodeFrame, fromHex, toHex, type Frame, type InfoItem, type Quirk, type RealtimeBody } from './index.js';

interface GoldenFrame {
  hex: string;
  source: string;
  kind: string;
  bcc_ok: boolean;
  expected: any;
  notes: string;
}

const GOLDEN: GoldenFrame[] = JSON.parse(
  readFileSync(new URL('../testing/golden-frames.json', import.meta.url), 'utf8'),
) as GoldenFrame[];

function bySource(part: string): GoldenFrame {
  const hits = GOLDEN.filter((f) => f.source.includes(part));
  assert.equal(hits.length, 1, `exactly one golden frame from "${part}" (found ${hits.length})`);
  return hits[0];
}

/** terryhart reissue: vendor 0x81 block without its WORD length (spec §8.10, §15.2; its notes). */
const isTerryhartReissue = (f: GoldenFrame): boolean => f.kind === 'reissue' && f.source.includes('terryhart');

/** Lenient quirks a well-formed but non-standard frame needs (named in its notes). */
function quirksFor(f: GoldenFrame): Quirk[] {
  return isTerryhartReissue(f) ? ['customWithoutLength'] : [];
}

function decodeOk(f: GoldenFrame, lenient: Quirk[] = []): Frame {
  const bytes = fromHex(f.hex)!;
  const frame = decodeFrame(bytes, { lenient });
  assert.equal(frame.ok, true, `${f.source}: ${JSON.stringify(frame.error)}`);
  assert.equal(toHex(encodeFrame(frame)), toHex(bytes), `${f.source}: re-encoded bytes differ`);
  return frame;
}

function itemsOf(frame: Frame): InfoItem[] {
  return (frame.body as RealtimeBody).items;
}

function item<T extends InfoItem['type']>(frame: Frame, type: T, n = 0): Extract<InfoItem, { type: T }> {
  const found = itemsOf(frame).filter((i) => i.type === type);
  assert.ok(found.length > n, `no ${type} item #${n}`);
  return found[n] as Extract<InfoItem, { type: T }>;
}

const wellFormed = (f: GoldenFrame): boolean =>
  f.bcc_ok && !/malformed|nonstandard|stream/.test(f.kind);

test('every well-formed golden frame decodes and re-encodes to identical bytes', () => {
  let n = 0;
  for (const f of GOLDEN.filter(wellFormed)) {
    const frame = decodeOk(f, quirksFor(f));
    assert.equal(frame.error, undefined);
    n++;
  }
  assert.ok(n >= 55, `checked ${n} frames`);
});

test('well-formed frames that need a lenient quirk fail strictly and name the quirk', () => {
  const f = GOLDEN.find(isTerryhartReissue)!;
  const strict = decodeFrame(fromHex(f.hex)!);
  assert.equal(strict.ok, false);
  assert.equal(strict.error?.code, 'GBT_ERR_TRUNCATED');
  const frame = decodeOk(f, ['customWithoutLength']);
  assert.deepEqual(frame.quirks, ['customWithoutLength']);
  const custom = item(frame, 'custom');
  assert.equal(custom.typeId, 0x81);
  assert.equal(custom.unlengthed, true);
  // terryhart: 10 records of 10 bytes (TEN_SECONDS data), no length word.
  assert.equal(custom.hex.length, 10 * 10 * 2);
});

test('EMQX case13: a 0x80 query sent with id+value pairs is read with its values and round-trips', () => {
  const frame = decodeOk(bySource('case13_param_query'));
  assert.equal(frame.command, 'paramQuery');
  assert.deepEqual(
    (frame.body as { params: { id: number; value?: unknown }[] }).params.map((p) => [p.id, p.value]),
    [
      [0x01, 5000],
      [0x04, 10],
      [0x05, 'google.com'],
      [0x0d, 14],
      [0x0e, 'www.google.com'],
    ],
  );
});

test('malformed and non-standard golden frames are rejected with a fitting code', () => {
  // rtm_con 'weird message 2025': a 0x82 block after the signature belongs to no item.
  const weird2025 = bySource('weird message 2025');
  const strict = decodeFrame(fromHex(weird2025.hex)!);
  assert.equal(strict.ok, false);
  assert.equal(strict.error?.code, 'GBT_ERR_TRAILING_DATA');
  const lenient = decodeOk(weird2025, ['trailingBytes']);
  assert.match((lenient.body as RealtimeBody).trailingHex!, /^82/);

  // hufanglei agricultural-machinery frame: wrong BCC. With the BCC ignored, its data unit (another
  // protocol in the "##" envelope, §15.6) still fails: it reaches a type code 2016 does not define.
  const agri = bySource('comment above hex4');
  assert.equal(decodeFrame(fromHex(agri.hex)!).error?.code, 'GBT_ERR_BCC');
  const agriLenient = decodeFrame(fromHex(agri.hex)!, { lenient: ['ignoreBcc'] });
  assert.equal(agriLenient.ok, false);
  assert.equal(agriLenient.error?.code, 'GBT_ERR_UNKNOWN_INFO_TYPE');

  // JTNE realtime frames: ack 0x01 on an uplink report and no collection time. The ack makes them
  // replies (spec §4), and their data unit is not read as realtime items: it stays raw bytes.
  for (const part of ['JTNE_0x02_Package_DeviceTest', 'JTNE_0x02_Package_PlatformTest']) {
    const frame = decodeFrame(fromHex(bySource(part).hex)!);
    assert.equal(frame.response, 'success', part);
    assert.ok(!('items' in frame.body), `${part}: must not yield realtime items`);
    assert.ok('hex' in frame.body, part);
  }

  // rtm_con 'weird message 2016': two identical alarm blocks, level 3 with flags 0 and 1 and
  // unrelated fault codes. Repeated items and this flag/code mix are structurally valid (spec §7
  // fixes no order or uniqueness; §15.7), so the frame decodes, keeping both blocks.
  const weird2016 = decodeOk(bySource('weird message 2016'));
  const alarms = itemsOf(weird2016);
  assert.equal(alarms.length, 2);
  assert.deepEqual(alarms[0], alarms[1]);
  assert.deepEqual(item(weird2016, 'alarm').flags, ['temperatureDifference', 'batteryHighTemperature']);
});

test('sticky stream sample: whole buffer is GBT_ERR_LENGTH; first frame decodes, the tail is truncated', () => {
  const bytes = fromHex(GOLDEN.find((f) => f.kind === 'stream')!.hex)!;
  assert.equal(decodeFrame(bytes).error?.code, 'GBT_ERR_LENGTH');
  const firstLength = 25 + ((bytes[22] << 8) | bytes[23]);
  assert.equal(bytes.length - firstLength, 467);
  const first = decodeFrame(bytes.subarray(0, firstLength), { lenient: ['customWithoutLength'] });
  assert.equal(first.ok, true);
  assert.equal(first.command, 'reissue');
  assert.equal(toHex(encodeFrame(first)), toHex(bytes.subarray(0, firstLength)));
  assert.equal(decodeFrame(bytes.subarray(firstLength)).error?.code, 'GBT_ERR_TRUNCATED');
});

// ------------------------------------------------------------------------------------------
// EMQX parser suite (raw integers): phys = (raw − offset) / divisor per spec §8.

test('EMQX case02: vehicle 0x01', () => {
  const v = item(decodeOk(bySource('case02_realtime_report_0x01')), 'vehicle');
  assert.equal(v.vehicleState, 'started');
  assert.equal(v.chargingState, 'parkedCharging');
  assert.equal(v.operatingMode, 'electric');
  assert.equal(v.speedKmh, 200); // 2000 × 0.1
  assert.equal(v.odometerKm, 99999.9); // 999999 × 0.1
  assert.equal(v.totalVoltageV, 500);
  assert.equal(v.totalCurrentA, 500); // (15000 − 10000) × 0.1
  assert.equal(v.socPct, 50);
  assert.equal(v.dcdcState, 'working');
  assert.equal(v.gear.gear, '5');
  assert.equal(v.insulationKOhm, 6000);
  assert.equal(v.acceleratorPct, 90);
  assert.equal(v.brakePct, 0);
});

test('EMQX case03: drive motors 0x02', () => {
  const m = item(decodeOk(bySource('case03_realtime_report_0x02')), 'driveMotors').motors;
  const raw = bySource('case03_realtime_report_0x02').expected.Motors;
  assert.equal(m.length, 2);
  m.forEach((motor, i) => {
    const r = raw[i];
    assert.equal(motor.seq, r.No);
    assert.equal(motor.state, 'consuming');
    assert.equal(motor.controllerTempC, r.CtrlTemp - 40);
    assert.equal(motor.speedRpm, r.Rotating - 20000);
    assert.equal(motor.torqueNm, (r.Torque - 20000) / 10);
    assert.equal(motor.tempC, r.MotorTemp - 40);
    assert.equal(motor.controllerVoltageV, r.InputVoltage / 10);
    assert.equal(motor.controllerCurrentA, (r.DCBusCurrent - 10000) / 10);
  });
  assert.equal(m[0].torqueNm, 500);
  assert.equal(m[1].controllerVoltageV, 3200);
});

test('EMQX case04: fuel cell 0x03 (2016)', () => {
  const fc = item(decodeOk(bySource('case04_realtime_report_0x03')), 'fuelCell');
  assert.ok('voltageV' in fc);
  assert.equal(fc.voltageV, 1000);
  assert.equal(fc.currentA, 1200);
  assert.equal(fc.consumptionKgPer100Km, 450);
  assert.deepEqual(fc.probeTempsC, [80, 81]);
  assert.equal(fc.h2MaxTempC, 1210); // (12500 − 400) × 0.1, beyond the valid 0–2400 raw: warned
  assert.equal(fc.h2MaxTempProbe, 10);
  assert.equal(fc.h2MaxConcentrationPpm, 35000);
  assert.equal(fc.h2MaxConcentrationSensor, 11);
  assert.equal(fc.h2MaxPressureMpa, 50);
  assert.equal(fc.h2MaxPressureSensor, 12);
  assert.equal(fc.dcdcState, 'working');
});

test('EMQX case05–07: engine, position, extremes', () => {
  const e = item(decodeOk(bySource('case05_realtime_report_0x04')), 'engine');
  assert.deepEqual(e, { type: 'engine', typeId: 4, state: 'running', crankshaftRpm: 2000, consumptionLPer100Km: 2 });
  const p = item(decodeOk(bySource('case06_realtime_report_0x05')), 'position');
  assert.deepEqual(p, { type: 'position', typeId: 5, valid: true, longitude: 0.00001, latitude: 0.0001, status: 0 });
  const x = item(decodeOk(bySource('case07_realtime_report_0x06')), 'extremes');
  assert.deepEqual(x, {
    type: 'extremes',
    typeId: 6,
    maxVoltagePack: 12,
    maxVoltageCell: 10,
    maxCellVoltageV: 7.5,
    minVoltagePack: 13,
    minVoltageCell: 11,
    minCellVoltageV: 2,
    maxTempPack: 14,
    maxTempProbe: 12,
    maxTempC: 80,
    minTempPack: 15,
    minTempProbe: 13,
    minTempC: 0,
  });
});

test('EMQX case08: alarm 0x07 in a realtime and a reissue frame', () => {
  const a1 = item(decodeOk(bySource('case08_realtime_report_0x07 (frame 1')), 'alarm');
  assert.equal(a1.maxLevel, 2);
  assert.equal(a1.flagBits, 0);
  assert.deepEqual(a1.flags, []);
  assert.deepEqual(a1.batteryFaults, [0x7b]);
  assert.deepEqual(a1.motorFaults, [0x7b, 0xdf]);
  assert.deepEqual(a1.engineFaults, [0x7b]);
  assert.deepEqual(a1.otherFaults, [0x7d]);
  const f2 = decodeOk(bySource('case08_realtime_report_0x07 (frame 2'));
  assert.equal(f2.command, 'reissue');
  const a2 = item(f2, 'alarm');
  assert.equal(a2.maxLevel, 1);
  assert.equal(a2.flagBits, 3);
  assert.deepEqual(a2.flags, ['temperatureDifference', 'batteryHighTemperature']);
  assert.deepEqual(a2.batteryFaults, [0xc8]);
  assert.deepEqual(a2.motorFaults, []);
  assert.deepEqual(a2.engineFaults, [0x6f]);
  assert.deepEqual(a2.otherFaults, []);
});

test('EMQX case09–10: cell voltages 0x08 and probe temperatures 0x09', () => {
  const cv = item(decodeOk(bySource('case09_realtime_report_0x08')), 'cellVoltages');
  assert.deepEqual(cv.packs, [
    // Start index 0 is outside 1..65531 but is a plain WORD (no codes, §8.8): kept as read.
    { pack: 1, voltageV: 500, currentA: 0, totalCells: 2, startCell: 0, cellVoltagesV: [5] },
    { pack: 2, voltageV: 500.1, currentA: 0.1, totalCells: 2, startCell: 1, cellVoltagesV: [5.001] },
  ]);
  const pt = item(decodeOk(bySource('case10_realtime_report_0x09')), 'probeTemperatures');
  assert.deepEqual(pt.packs, [
    { pack: 1, temperaturesC: [-40, -40, -40, -40, -40, -40, -40, -40, -21, 96] },
    { pack: 2, temperaturesC: [60] },
  ]);
});

// ------------------------------------------------------------------------------------------
// terryhart/32960 and zoudingyun/qitool-parser

test('terryhart realtime: every block as the source states it (source scales converted)', () => {
  const f = GOLDEN.find((g) => g.kind === 'realtime' && g.source.includes('terryhart') && g.expected?.VEHICLE)!;
  const frame = decodeOk(f);
  const x = f.expected;
  assert.equal(frame.vin, x.vin);
  assert.equal(frame.time, '2018-06-23T12:05:02+08:00');
  const v = item(frame, 'vehicle');
  assert.equal(v.vehicleState, 'started');
  assert.equal(v.chargingState, 'notCharging');
  assert.equal(v.operatingMode, 'electric');
  assert.equal(v.speedKmh, x.VEHICLE.speed);
  assert.equal(v.odometerKm, x.VEHICLE.mileage);
  assert.equal(v.totalVoltageV, x.VEHICLE.voltage);
  assert.equal(v.totalCurrentA, x.VEHICLE.current);
  assert.equal(v.socPct, x.VEHICLE.soc * 100); // terryhart scales SOC to 0..1
  assert.equal(v.dcdcState, 'working');
  assert.deepEqual(v.gear, { gear: 'D', driving: true, braking: true, valid: true }); // byte 0x3E
  assert.equal(v.insulationKOhm, x.VEHICLE.resistance);
  assert.equal(v.acceleratorPct, x.VEHICLE.aptv);
  // terryhart prints raw 101 as 1.01; the standard says 0x65 = brake on without travel (§8.1).
  assert.equal(v.brakePct, 'on');
  const m = item(frame, 'driveMotors').motors[0];
  const xm = x.MOTOR[0];
  assert.deepEqual(
    [m.seq, m.state, m.controllerTempC, m.speedRpm, m.torqueNm, m.tempC, m.controllerVoltageV, m.controllerCurrentA],
    [xm.no, 'consuming', xm.controlTemp, xm.speed, xm.torque, xm.temp, xm.voltage, xm.current],
  );
  const p = item(frame, 'position');
  assert.deepEqual([p.status, p.longitude, p.latitude], [x.LOCATION.state, x.LOCATION.lng, x.LOCATION.lat]);
  const e = item(frame, 'extremes');
  const xe = x.EXTREME;
  assert.deepEqual(
    [e.maxVoltagePack, e.maxVoltageCell, e.maxCellVoltageV, e.minVoltagePack, e.minVoltageCell, e.minCellVoltageV],
    [xe.maxVoltageSubSysNo, xe.maxVoltageSingNo, xe.maxVoltage, xe.minVoltageSubSysNo, xe.minVoltageSingNo, xe.minVoltage],
  );
  assert.deepEqual(
    [e.maxTempPack, e.maxTempProbe, e.maxTempC, e.minTempPack, e.minTempProbe, e.minTempC],
    [xe.maxNtcSubSysNo, xe.maxNtcNo, xe.maxNtc, xe.minNtcSubSysNo, xe.minNtcNo, xe.minNtc],
  );
  const a = item(frame, 'alarm');
  assert.deepEqual([a.maxLevel, a.flagBits, a.batteryFaults, a.motorFaults, a.engineFaults, a.otherFaults], [0, 0, [], [], [], []]);
  const cv = item(frame, 'cellVoltages').packs[0];
  const xr = x.RESS_VOLTAGE[0];
  assert.deepEqual(cv, {
    pack: xr.no,
    voltageV: xr.voltage,
    currentA: xr.current,
    totalCells: xr.batteryCount,
    startCell: xr.frameStartBatteryNo,
    cellVoltagesV: xr.batteryVols,
  });
  assert.equal(cv.cellVoltagesV.length, xr.frameBatteryCount);
  assert.deepEqual(item(frame, 'probeTemperatures').packs, [{ pack: x.RESS_TEMPERATURE[0].no, temperaturesC: x.RESS_TEMPERATURE[0].temps }]);
  assert.equal(item(frame, 'custom').hex.length / 2, x.CUSTOM_EXT.dataLen);
});

test('terryhart "wrong data" frame parses under the generic custom-item rule', () => {
  // The source fails in its vendor-specific 0x80 decoder; the standard (§8.10) reads every
  // 0x80–0xFE block as WORD length + bytes, and the frame then decodes completely.
  const frame = decodeOk(GOLDEN.find((g) => g.expected?._test_name === 'Realtime Report with Wrong Data')!);
  const custom = itemsOf(frame).filter((i) => i.type === 'custom');
  assert.equal(custom[0].typeId, 0x80);
  assert.equal(custom[0].hex.length / 2, 16);
  assert.equal(item(frame, 'cellVoltages').packs[0].cellVoltagesV.length, 192);
});

test('qitool 2024 frames: envelope and the current signs of spec §8.1', () => {
  const f41 = bySource('GBT32960UtilTest.java (test)');
  const a = decodeOk(f41);
  assert.equal(a.command, 'realtime');
  assert.equal(a.response, 'command');
  assert.equal(a.vin, f41.expected.vin);
  assert.equal(a.encryption, 'none');
  assert.equal(fromHex(f41.hex)!.length - 25, f41.expected.dataUnitLength);
  assert.equal(a.time, '2024-05-14T18:18:19+08:00');
  const va = item(a, 'vehicle');
  const ma = item(a, 'driveMotors').motors[0];
  assert.deepEqual([va.speedKmh, va.totalCurrentA], [46.8, -248.3]);
  assert.deepEqual([ma.state, ma.torqueNm, ma.controllerCurrentA], ['generating', -585, -200.3]);
  // Extreme block with FFFF sentinels: the voltages are invalid.
  const x = item(a, 'extremes');
  assert.deepEqual([x.maxCellVoltageV, x.minCellVoltageV], ['invalid', 'invalid']);
  // Split cell frame (§8.8): this one starts at cell 201 of 384 and carries 184 cells.
  const pack = item(a, 'cellVoltages').packs[0];
  assert.deepEqual([pack.totalCells, pack.startCell, pack.cellVoltagesV.length], [384, 201, 184]);

  const b = decodeOk(bySource('GBT32960UtilTest.java (test2'));
  assert.equal(b.command, 'reissue');
  const vb = item(b, 'vehicle');
  const mb = item(b, 'driveMotors').motors[0];
  assert.equal(vb.totalCurrentA, 661.3);
  assert.deepEqual([mb.state, mb.torqueNm, mb.controllerCurrentA], ['consuming', 2239.5, 673.5]);
});

test('hufanglei realtime frame: 168 cells and 56 probes', () => {
  const frame = decodeOk(bySource('ResolveUtilsTest.java (init hexData)'));
  const cells = item(frame, 'cellVoltages').packs.reduce((n, p) => n + p.cellVoltagesV.length, 0);
  const probes = item(frame, 'probeTemperatures').packs.reduce((n, p) => n + (Array.isArray(p.temperaturesC) ? p.temperaturesC.length : 0), 0);
  assert.deepEqual([cells, probes], [168, 56]);
});
