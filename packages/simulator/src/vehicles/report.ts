// Snapshot → GB/T 32960 information items for the vehicle's edition: 2016 type codes and fields
// (spec §8) or 2025 (spec §9, renumbered: alarm 0x06, voltages 0x07, temperatures 0x08, stacks 0x30).
import type {
  AlarmItem,
  CellVoltagesItem,
  DriveMotor,
  DriveMotorsItem,
  EngineItem,
  ExtremesItem,
  FuelCell2016Item,
  FuelCell2025Item,
  FuelCellStacksItem,
  InfoItem,
  PositionItem,
  ProbeTemperaturesItem,
  VehicleItem,
} from '@nevhub/gbt32960';
import { ocv } from '../energy/ocv.js';
import type { Snapshot } from './snapshot.js';
import type { SimVehicle } from './vehicle.js';

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/** Deterministic ±1 noise from (time, index), so rebuilt frames are identical. */
function noise(t: number, i: number): number {
  let h = (Math.imul(t | 0, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return ((h >>> 8) / 0x1000000) * 2 - 1;
}

/** Cell voltages (V) per pack. */
export function cellVoltages(v: SimVehicle, s: Snapshot): number[][] {
  const b = v.spec.battery;
  const base = ocv(b.chemistry, s.socPct);
  const iCell = s.currentA / b.packs;
  const t = Math.floor(s.timeMs / 1000);
  const out: number[][] = [];
  for (let p = 0; p < b.packs; p++) {
    const cells: number[] = [];
    for (let c = 0; c < b.cellsPerPack; c++) {
      const k = p * b.cellsPerPack + c;
      let u = base + v.battery.cellOffsetV[k] - iCell * b.cellOhm + 0.0015 * noise(t, k);
      if (k === s.thermalCell) u -= s.faultDropV;
      cells.push(clamp(u, 0, 15));
    }
    out.push(cells);
  }
  return out;
}

/** Probe temperatures (°C) per pack; the probe beside the faulty cell carries the fault heat. */
export function probeTemps(v: SimVehicle, s: Snapshot): number[][] {
  const b = v.spec.battery;
  const faultPack = Math.floor(s.thermalCell / b.cellsPerPack);
  const faultProbe = Math.floor(((s.thermalCell % b.cellsPerPack) / b.cellsPerPack) * b.probesPerPack);
  const out: number[][] = [];
  for (let p = 0; p < b.packs; p++) {
    const temps: number[] = [];
    for (let i = 0; i < b.probesPerPack; i++) {
      let t = s.packTempC + v.battery.probeOffsetC[p * b.probesPerPack + i];
      if (p === faultPack && s.faultHeatC > 0) {
        const d = Math.abs(i - faultProbe);
        t += d === 0 ? s.faultHeatC : d === 1 ? s.faultHeatC * 0.35 : 0;
      }
      temps.push(clamp(Math.round(t), -40, 210));
    }
    out.push(temps);
  }
  return out;
}

function vehicleItem(v: SimVehicle, s: Snapshot): VehicleItem {
  const e2016 = v.edition === 2016;
  const item: VehicleItem = {
    type: 'vehicle',
    typeId: 0x01,
    vehicleState: s.on ? 'started' : 'off',
    chargingState: s.charging,
    operatingMode: s.mode,
    speedKmh: clamp(s.speedKmh, 0, 220),
    odometerKm: s.odometerKm,
    totalVoltageV: clamp(s.voltageV, 0, 1000),
    totalCurrentA: clamp(s.currentA, e2016 ? -1000 : -3000, e2016 ? 1000 : 3000),
    socPct: clamp(Math.round(s.reportedSocPct), 0, 100),
    dcdcState: s.on || s.charging === 'parkedCharging' ? 'working' : 'off',
    gear: { gear: s.gear, driving: s.driving, braking: s.braking, valid: true },
    insulationKOhm: clamp(Math.round(s.insulationKOhm), 0, 60000),
  };
  if (e2016) {
    item.acceleratorPct = Math.round(s.acceleratorPct);
    item.brakePct = Math.round(s.brakePct);
  }
  return item;
}

function motorsItem(v: SimVehicle, s: Snapshot): DriveMotorsItem {
  const motors: DriveMotor[] = [];
  for (let i = 0; i < v.spec.motors; i++) {
    const m: DriveMotor = {
      seq: i + 1,
      state: s.motorState,
      controllerTempC: clamp(Math.round(s.controllerTempC), -40, 210),
      speedRpm: Math.round(s.motorRpm),
      torqueNm: clamp(s.motorTorqueNm, -2000, 4553),
      tempC: clamp(Math.round(s.motorTempC), -40, 210),
    };
    if (v.edition === 2016) {
      m.controllerVoltageV = clamp(s.voltageV, 0, 6000);
      m.controllerCurrentA = clamp(s.motorCurrentA, -1000, 1000);
    }
    motors.push(m);
  }
  return { type: 'driveMotors', typeId: 0x02, motors };
}

function positionItem(v: SimVehicle, s: Snapshot): PositionItem {
  const item: PositionItem = {
    type: 'position',
    typeId: 0x05,
    valid: s.posValid,
    longitude: Math.round(s.lon * 1e6) / 1e6,
    latitude: Math.round(s.lat * 1e6) / 1e6,
    status: s.posValid ? 0 : 1, // bit 0 = invalid fix, north/east (spec §10.2)
  };
  if (v.edition === 2025) item.coordinateSystem = 'wgs84';
  return item;
}

function alarmItem(v: SimVehicle, s: Snapshot): AlarmItem {
  const a = s.alarm;
  const item: AlarmItem = {
    type: 'alarm',
    typeId: v.edition === 2016 ? 0x07 : 0x06,
    maxLevel: a.maxLevel,
    flags: [],
    flagBits: a.bits,
    batteryFaults: a.batteryFaults,
    motorFaults: [],
    engineFaults: [],
    otherFaults: a.otherFaults,
  };
  if (v.edition === 2025) item.flagLevels = a.levels.map(([bit, level]) => ({ flag: `bit${bit}`, bit, level }));
  return item;
}

function extremesItem(cells: number[][], temps: number[][]): ExtremesItem {
  let maxV = -1, maxVp = 1, maxVc = 1, minV = 99, minVp = 1, minVc = 1;
  let maxT = -99, maxTp = 1, maxTi = 1, minT = 999, minTp = 1, minTi = 1;
  cells.forEach((pack, p) => pack.forEach((u, c) => {
    if (u > maxV) [maxV, maxVp, maxVc] = [u, p + 1, c + 1];
    if (u < minV) [minV, minVp, minVc] = [u, p + 1, c + 1];
  }));
  temps.forEach((pack, p) => pack.forEach((t, i) => {
    if (t > maxT) [maxT, maxTp, maxTi] = [t, p + 1, i + 1];
    if (t < minT) [minT, minTp, minTi] = [t, p + 1, i + 1];
  }));
  return {
    type: 'extremes',
    typeId: 0x06,
    maxVoltagePack: maxVp,
    maxVoltageCell: Math.min(250, maxVc),
    maxCellVoltageV: maxV,
    minVoltagePack: minVp,
    minVoltageCell: Math.min(250, minVc),
    minCellVoltageV: minV,
    maxTempPack: maxTp,
    maxTempProbe: maxTi,
    maxTempC: maxT,
    minTempPack: minTp,
    minTempProbe: minTi,
    minTempC: minT,
  };
}

function fuelCellItems(v: SimVehicle, s: Snapshot): InfoItem[] {
  const f = s.fc;
  if (!f) return [];
  const gas = clamp(Math.round(f.gasTempC), -40, 200);
  const pressure = clamp(f.pressureMpa, 0, 100);
  const coolant = [clamp(Math.round(f.coolantTempC), -40, 200), clamp(Math.round(f.coolantTempC - 2), -40, 200)];
  if (v.edition === 2016) {
    const item: FuelCell2016Item = {
      type: 'fuelCell',
      typeId: 0x03,
      voltageV: clamp(f.voltageV, 0, 2000),
      currentA: clamp(f.currentA, 0, 2000),
      consumptionKgPer100Km: clamp(f.kgPer100Km, 0, 600),
      probeTempsC: coolant,
      h2MaxTempC: gas,
      h2MaxTempProbe: 1,
      // 2016 gives mg/kg: 1 % vol H₂ in air ≈ 696 mg/kg (mass fraction 2.016/28.96 per volume).
      h2MaxConcentrationPpm: clamp(Math.round(f.concentrationPct * 696), 0, 50000),
      h2MaxConcentrationSensor: 1,
      h2MaxPressureMpa: pressure,
      h2MaxPressureSensor: 1,
      dcdcState: f.on ? 'working' : 'off',
    };
    return [item];
  }
  const item: FuelCell2025Item = {
    type: 'fuelCell',
    typeId: 0x03,
    h2MaxTempC: gas,
    h2MaxTempProbe: 1,
    h2MaxConcentrationPct: clamp(Math.round(f.concentrationPct * 10000) / 10000, 0, 6),
    h2MaxConcentrationSensor: f.concentrationPct > 0.01 ? 2 : 1,
    h2MaxPressureMpa: pressure,
    h2MaxPressureSensor: 1,
    dcdcState: f.on ? 'working' : 'off',
    h2RemainingPct: clamp(Math.round(f.remainingPct), 0, 100),
    dcdcTempC: clamp(Math.round(f.dcdcTempC), -40, 210),
  };
  const stacks: FuelCellStacksItem = {
    type: 'fuelCellStacks',
    typeId: 0x30,
    stacks: [
      {
        stack: 1,
        voltageV: clamp(f.voltageV, 0, 2000),
        currentA: clamp(f.currentA, 0, 2000),
        h2InletPressureKpa: clamp(f.h2Kpa, -100, 400),
        airInletPressureKpa: clamp(f.airKpa, -100, 400),
        airInletTempC: clamp(Math.round(v.ambientC + 10 + f.airKpa / 10), -40, 210),
        coolantOutletTempsC: coolant,
      },
    ],
  };
  return [item, stacks];
}

function engineItem(v: SimVehicle, s: Snapshot): EngineItem | undefined {
  const e = s.engine;
  if (!e) return undefined;
  const item: EngineItem = { type: 'engine', typeId: 0x04, crankshaftRpm: Math.round(e.rpm) };
  if (v.edition === 2016) {
    item.state = e.running ? 'running' : 'stopped';
    item.consumptionLPer100Km = clamp(e.lPer100Km, 0, 600);
  }
  return item;
}

/** All information items of a realtime/reissue frame for this snapshot. */
export function buildItems(v: SimVehicle, s: Snapshot): InfoItem[] {
  const cells = cellVoltages(v, s);
  const temps = probeTemps(v, s);
  const b = v.spec.battery;
  const items: InfoItem[] = [vehicleItem(v, s)];
  // Drive-motor and engine data are not sent during parked charging (spec §7).
  const parkedCharging = s.charging === 'parkedCharging' || s.charging === 'chargeComplete';
  if (!parkedCharging) items.push(motorsItem(v, s));
  items.push(...fuelCellItems(v, s));
  const eng = parkedCharging ? undefined : engineItem(v, s);
  if (eng) items.push(eng);
  items.push(positionItem(v, s));
  if (v.edition === 2016) items.push(extremesItem(cells, temps));
  items.push(alarmItem(v, s));
  const e2016 = v.edition === 2016;
  const volt: CellVoltagesItem = {
    type: 'cellVoltages',
    typeId: e2016 ? 0x08 : 0x07,
    packs: cells.map((cv, p) => {
      const pack = {
        pack: p + 1,
        voltageV: clamp(cv.reduce((x, y) => x + y, 0), 0, 1000),
        currentA: clamp(s.currentA / b.packs, e2016 ? -1000 : -3000, e2016 ? 1000 : 3000),
        cellVoltagesV: cv,
      };
      return e2016 ? { ...pack, totalCells: cv.length, startCell: 1 } : pack;
    }),
  };
  const temp: ProbeTemperaturesItem = {
    type: 'probeTemperatures',
    typeId: e2016 ? 0x09 : 0x08,
    packs: temps.map((t, p) => ({ pack: p + 1, temperaturesC: t })),
  };
  items.push(volt, temp);
  return items;
}
