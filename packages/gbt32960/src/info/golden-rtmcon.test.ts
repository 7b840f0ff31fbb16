// rtm_con samples of testing/golden-frames.json: every physical value that rtm_con states is
// compared with our item field. rtm_con prints values as strings with units and binary float
// noise ("12.200000000000001 km/h"); ours are exact decimals, so the expected number is the
// rtm_con value rounded to 6 decimals and compared with strict equality.
/* eslint-disable @typescript-eslint/no-explicit-any -- the golden JSON is untyped third-party output */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeFrame, encodeFrame, fromHex, toHex } from '../index.js';
import type { Frame, InfoItem, Num, RealtimeBody } from '../model.js';
import type { Quirk } from '../lenient.js';

interface GoldenFrame {
  hex: string;
  source: string;
  kind: string;
  expected: any;
}

const RTM_CON: GoldenFrame[] = (
  JSON.parse(readFileSync(new URL('../../testing/golden-frames.json', import.meta.url), 'utf8')) as GoldenFrame[]
).filter((f) => f.source.startsWith('beidouchangxi/rtm_con') && f.expected?.payload?.data_list);

/** "6553.5 invalid" → 'invalid', "214 abnormal" → 'abnormal', "12.2000…01 km/h" → 12.2. */
function phys(v: unknown): Num {
  if (typeof v === 'number') return Number(v.toFixed(6));
  const s = String(v);
  if (/\binvalid$/.test(s)) return 'invalid';
  if (/\babnormal$/.test(s)) return 'abnormal';
  const n = Number.parseFloat(s);
  assert.ok(Number.isFinite(n), `not a value: ${s}`);
  return Number(n.toFixed(6));
}

function eq(actual: unknown, expected: unknown, what: string): void {
  assert.equal(actual, phys(expected), what);
}

/** rtm_con enum names → model names (what the samples use). */
const NAMES: Record<string, string> = {
  on: 'started',
  uncharged: 'notCharging',
  pure_electric: 'electric',
  consuming_power: 'consuming',
  generating_power: 'generating',
  off: 'off',
  invalid: 'invalid',
  abnormal: 'abnormal',
};
const DCDC: Record<string, string> = { on: 'working', off: 'off', invalid: 'invalid', abnormal: 'abnormal' };

function name(v: string): string {
  assert.ok(v in NAMES, `unmapped rtm_con name ${v}`);
  return NAMES[v];
}

const hexList = (l: string[]): number[] => l.map((h) => Number.parseInt(h, 16));

/** Compares one rtm_con data_list entry with our item; returns nothing, asserts everything stated. */
function compare(it: InfoItem, exp: { data_type: string | number; data_content: any }, frame: Frame, where: string): void {
  const x = exp.data_content;
  switch (exp.data_type) {
    case 'whole_vehicle': {
      assert.equal(it.type, 'vehicle', where);
      if (it.type !== 'vehicle') return;
      assert.equal(it.vehicleState, name(x.vehicle_state));
      assert.equal(it.chargingState, name(x.charge_state));
      assert.equal(it.operatingMode, name(x.operate_state));
      eq(it.speedKmh, x.vehicle_speed, 'speed');
      eq(it.odometerKm, x.mileage_total, 'mileage');
      eq(it.totalVoltageV, x.voltage_total, 'voltage');
      eq(it.totalCurrentA, x.current_total, 'current');
      eq(it.socPct, x.soc, 'soc');
      assert.equal(it.dcdcState, DCDC[x.dcdc_state]);
      assert.equal(it.gear.gear, x.gear_state.gear);
      assert.equal(it.gear.driving, x.gear_state.driving_force === 1);
      assert.equal(it.gear.braking, x.gear_state.braking_force === 1);
      if (x.gear_state.gear_postion_validity) assert.equal(it.gear.valid, x.gear_state.gear_postion_validity === 'valid');
      // 2016 insulation has no special codes (§8.1): rtm_con prints 65535 kΩ, as we do.
      eq(it.insulationKOhm, x.insulation_resistance, 'insulation');
      if ('accelerator_padel' in x) eq(it.acceleratorPct, x.accelerator_padel, 'accelerator');
      if ('brake_padel' in x) eq(it.brakePct, x.brake_padel, 'brake');
      return;
    }
    case 'emotor': {
      assert.equal(it.type, 'driveMotors', where);
      if (it.type !== 'driveMotors') return;
      assert.equal(it.motors.length, x.length);
      it.motors.forEach((m, i) => {
        const e = x[i];
        // 2016 motor serial has no codes (§8.2 "—"): rtm_con and we both keep 254/255 as numbers.
        assert.equal(m.seq, e.index);
        assert.equal(m.state, name(e.state));
        eq(m.controllerTempC, e.ctrl_temp, 'ctrl_temp');
        eq(m.speedRpm, e.speed, 'speed');
        eq(m.torqueNm, e.torque, 'torque');
        eq(m.tempC, e.temp, 'temp');
        if ('ctrl_volt' in e) eq(m.controllerVoltageV, e.ctrl_volt, 'ctrl_volt');
        if ('ctrl_curr' in e) eq(m.controllerCurrentA, e.ctrl_curr, 'ctrl_curr');
      });
      return;
    }
    case 'engine': {
      assert.equal(it.type, 'engine', where);
      if (it.type !== 'engine') return;
      assert.equal(it.state, name(x.engine_state));
      eq(it.crankshaftRpm, x.engine_torque, 'crankshaft'); // rtm_con calls the speed "torque"
      eq(it.consumptionLPer100Km, x.fuel_consumption, 'consumption');
      return;
    }
    case 'gnss': {
      assert.equal(it.type, 'position', where);
      if (it.type !== 'position') return;
      assert.equal(it.valid, x.gnss_state.gnss_valid === 0);
      assert.equal((it.status & 0x04) !== 0, x.gnss_state.gnss_e_w === 'w');
      assert.equal((it.status & 0x02) !== 0, x.gnss_state.gnss_n_s === 's');
      // Coordinates define no special codes (§8.5, §9.5; the model keeps them numeric): where
      // rtm_con prints "4294.967295 invalid" we give the number, signed by the hemisphere bits.
      const lng = Number.parseFloat(x.gnss_lng);
      const lat = Number.parseFloat(x.gnss_lat);
      assert.equal(Math.abs(it.longitude), Number(lng.toFixed(6)));
      assert.equal(Math.abs(it.latitude), Number(lat.toFixed(6)));
      if (lng !== 0) assert.equal(it.longitude < 0, x.gnss_state.gnss_e_w === 'w');
      if (lat !== 0) assert.equal(it.latitude < 0, x.gnss_state.gnss_n_s === 's');
      if ('gnss_gcs' in x) {
        // rtm_con prints an undefined code as its number; 0xFF is "invalid" by the general rule.
        assert.equal(it.coordinateSystem, x.gnss_gcs === 255 ? 'invalid' : x.gnss_gcs);
      }
      return;
    }
    case 'pack_extrema': {
      assert.equal(it.type, 'extremes', where);
      if (it.type !== 'extremes') return;
      eq(it.maxVoltagePack, x.max_volt_pack_index, 'max_volt_pack');
      eq(it.maxVoltageCell, x.max_volt_cell_index, 'max_volt_cell');
      eq(it.maxCellVoltageV, x.max_cell_volt, 'max_cell_volt');
      eq(it.minVoltagePack, x.min_volt_pack_index, 'min_volt_pack');
      eq(it.minVoltageCell, x.min_volt_cell_index, 'min_volt_cell');
      eq(it.minCellVoltageV, x.min_cell_volt, 'min_cell_volt');
      eq(it.maxTempPack, x.max_temp_pack_index, 'max_temp_pack');
      eq(it.maxTempProbe, x.max_temp_cell_index, 'max_temp_probe');
      eq(it.maxTempC, x.max_cell_temp, 'max_temp');
      eq(it.minTempPack, x.min_temp_pack_index, 'min_temp_pack');
      eq(it.minTempProbe, x.min_temp_cell_index, 'min_temp_probe');
      eq(it.minTempC, x.min_cell_temp, 'min_temp');
      return;
    }
    case 'warnings': {
      assert.equal(it.type, 'alarm', where);
      if (it.type !== 'alarm') return;
      assert.equal(it.maxLevel, x.max_warning_level);
      // rtm_con lists the general flags in bit order (§10.3): 19 in 2016, 28 in 2025.
      const bits: number[] = Object.values(x.general_warnings);
      assert.equal(bits.length, frame.version === 2016 ? 19 : 28);
      bits.forEach((b, i) => assert.equal((it.flagBits >>> i) & 1, b, `flag bit ${i}`));
      assert.deepEqual(it.batteryFaults, hexList(x.pack_failures));
      assert.deepEqual(it.motorFaults, hexList(x.emotor_failures));
      assert.deepEqual(it.engineFaults, hexList(x.engine_failures));
      assert.deepEqual(it.otherFaults, hexList(x.other_failures));
      if ('general_warning_list' in x) assert.equal(Array.isArray(it.flagLevels) ? it.flagLevels.length : -1, x.general_warning_list.length);
      return;
    }
    case 'cell_volts': {
      assert.equal(it.type, 'cellVoltages', where);
      if (it.type !== 'cellVoltages') return;
      assert.equal(it.packs.length, x.length);
      it.packs.forEach((p, i) => {
        const e = x[i];
        eq(p.pack, e.index, 'pack');
        eq(p.voltageV, e.volt, 'volt');
        if (frame.version === 2016) {
          // rtm_con applies the 2025 offset (−3000 A) to the 2016 pack current: raw 10051 gives
          // its −1994.9. Spec §8.8 says 0.1 A with −1000 A → +5.1 A, which equals the frame's
          // total current. We follow the spec; the rtm_con value is off by exactly 2000 A.
          eq(p.currentA, Number.parseFloat(e.curr) + 2000, 'curr');
          eq(p.totalCells, e.cell_total, 'cell_total');
          assert.equal(p.startCell, e.cell_start_index);
        } else eq(p.currentA, e.curr, 'curr');
        assert.deepEqual(p.cellVoltagesV, e.cell_volts.map(phys));
      });
      return;
    }
    case 'probe_temps': {
      assert.equal(it.type, 'probeTemperatures', where);
      if (it.type !== 'probeTemperatures') return;
      assert.equal(it.packs.length, x.length);
      it.packs.forEach((p, i) => {
        eq(p.pack, x[i].index, 'pack');
        assert.deepEqual(p.temperaturesC, x[i].probe_temps.map(phys));
      });
      return;
    }
    default: {
      assert.equal(typeof exp.data_type, 'number', `unknown rtm_con data_type ${exp.data_type}`);
      assert.equal(it.type, 'custom', where);
      if (it.type !== 'custom') return;
      assert.equal(it.typeId, exp.data_type);
      assert.equal(it.hex, x);
    }
  }
}

for (const f of RTM_CON) {
  const label = /\[sample '(.*)'\]/.exec(f.source)?.[1] ?? f.source;
  test(`rtm_con ${label}: values as stated, identical bytes on re-encode`, () => {
    const bytes = fromHex(f.hex)!;
    // The 2025 'weird message' has a 0x82 block after the signature (rtm_con keeps it apart).
    const lenient: Quirk[] = f.kind === 'malformed-realtime' && f.expected.starter === 'protocol_2025' ? ['trailingBytes'] : [];
    const frame = decodeFrame(bytes, { lenient });
    assert.equal(frame.ok, true, JSON.stringify(frame.error));
    assert.equal(toHex(encodeFrame(frame)), toHex(bytes));
    const p = f.expected.payload;
    assert.equal(frame.version, f.expected.starter === 'protocol_2025' ? 2025 : 2016);
    assert.equal(frame.vin, f.expected.vin);
    assert.equal(frame.time, `${p.timestamp}+08:00`);
    const items = (frame.body as RealtimeBody).items;
    assert.equal(items.length, p.data_list.length);
    p.data_list.forEach((e: any, i: number) => compare(items[i], e, frame, `item ${i}`));
    const sig = (frame.body as RealtimeBody).signature;
    if (p.sig) {
      assert.equal(sig?.algorithm, p.sig.algo);
      assert.equal(sig?.rHex, p.sig.r_value);
      assert.equal(sig?.sHex, p.sig.s_value);
      // Signed range: collection time up to the byte before the 0xFF marker (§9.10).
      assert.equal(sig?.signedStart, 24);
      assert.equal(bytes[sig ? sig.signedEnd : 0], 0xff);
    } else assert.equal(sig, undefined);
  });
}

test('rtm_con samples cover every 2016 and 2025 item type they publish', () => {
  const types = new Set<string>();
  for (const f of RTM_CON) for (const e of f.expected.payload.data_list) types.add(`${f.expected.starter}:${e.data_type}`);
  assert.ok(types.size >= 12, [...types].join(' '));
});
