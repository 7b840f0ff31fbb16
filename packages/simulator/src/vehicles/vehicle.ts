// One simulated vehicle: behaviour (behaviours.ts) chooses activities; each 1 s tick moves the
// vehicle, balances power between battery, fuel cell or engine, integrates the battery and
// hydrogen, applies scenario faults and can produce a Snapshot for the terminal.
import { Battery } from '../energy/battery.js';
import { FuelCell } from '../energy/fuelcell.js';
import { Engine } from '../energy/engine.js';
import { roadLoad } from '../energy/powertrain.js';
import type { RoadNetwork } from '../roads/network.js';
import { toLatLon } from '../roads/geo.js';
import type { Rng } from '../rng.js';
import { Motion } from './motion.js';
import type { VehicleSpec } from './specs.js';
import { effectsAt, type FaultEffects, type VehicleFault } from './faults.js';
import { computeAlarm } from './alarms.js';
import type { Snapshot } from './snapshot.js';
import { nextActivity, type Activity, type Plan } from './behaviours.js';

export interface VehicleInit {
  vin: string;
  iccid: string;
  edition: 2016 | 2025;
  spec: VehicleSpec;
  net: RoadNetwork;
  rng: Rng;
  homeNode: number;
  plan: Plan;
  socPct: number;
  h2Pct: number;
  odometerKm: number;
  ambientC: number;
  /** Run start, ms since the epoch (fault times are relative to it). */
  startMs: number;
}

export class SimVehicle {
  readonly vin: string;
  readonly iccid: string;
  readonly edition: 2016 | 2025;
  readonly spec: VehicleSpec;
  readonly net: RoadNetwork;
  readonly rng: Rng;
  readonly plan: Plan;
  readonly battery: Battery;
  readonly fuelCell?: FuelCell;
  readonly engine?: Engine;
  readonly motion: Motion;
  readonly startMs: number;
  faults: VehicleFault[] = [];
  activity: Activity = { kind: 'park', untilS: 0 };
  ambientC: number;
  /** Simulated seconds since the run start. */
  tS = 0;
  private fx: FaultEffects;
  private lastLat: number;
  private lastLon: number;
  private motorTempC: number;
  private tractionW = 0;
  private auxW = 0;
  private chargeW = 0;
  private readonly baseInsulationKOhm: number;

  constructor(init: VehicleInit) {
    this.vin = init.vin;
    this.iccid = init.iccid;
    this.edition = init.edition;
    this.spec = init.spec;
    this.net = init.net;
    this.rng = init.rng;
    this.plan = init.plan;
    this.startMs = init.startMs;
    this.ambientC = init.ambientC;
    this.battery = new Battery(init.spec.battery, init.socPct, init.ambientC, init.rng);
    if (init.spec.fuelCell) this.fuelCell = new FuelCell(init.spec.fuelCell, init.h2Pct, init.ambientC);
    if (init.spec.engine) this.engine = new Engine(init.spec.engine);
    this.motion = new Motion(init.net, init.homeNode, init.odometerKm);
    const ll = toLatLon(this.motion.x, this.motion.y);
    this.lastLat = ll.lat;
    this.lastLon = ll.lon;
    this.motorTempC = init.ambientC + 5;
    this.baseInsulationKOhm = init.rng.range(2500, 6000);
    this.fx = effectsAt([], 0, 0);
  }

  get on(): boolean {
    return this.activity.kind === 'drive' || (this.activity.kind === 'dwell' && this.activity.on) || this.activity.kind === 'refuel';
  }

  /** Whether the terminal should report (vehicle on or charging). */
  get active(): boolean {
    return this.on || this.activity.kind === 'charge';
  }

  /** Seconds since Beijing midnight at the current simulated time. */
  timeOfDayS(): number {
    const ms = this.startMs + this.tS * 1000 + 8 * 3600_000;
    return (((ms / 1000) % 86400) + 86400) % 86400;
  }

  /** Advances one step of dt seconds (the fleet uses 1 s). */
  step(dt: number): void {
    this.tS += dt;
    const defaultCell = this.vin.charCodeAt(16) % (this.spec.battery.packs * this.spec.battery.cellsPerPack);
    this.fx = effectsAt(this.faults, this.tS, defaultCell);
    this.runActivity(dt);
    this.powerBalance(dt);
  }

  private runActivity(dt: number): void {
    const a = this.activity;
    const tS = this.tS;
    let done = false;
    if (this.fx.thermal >= 1 && a.kind === 'drive') {
      // Thermal event: the driver pulls over and switches off traction (stays powered for alarms).
      this.motion.setRoute([], {}, this.rng);
      this.activity = { kind: 'dwell', untilS: Infinity, on: true };
      return;
    }
    switch (a.kind) {
      case 'drive':
        done = this.motion.step(dt, this.spec.cruise, this.spec.maxAccel, this.rng);
        break;
      case 'dwell':
      case 'park':
        this.motion.step(dt, this.spec.cruise, this.spec.maxAccel, this.rng);
        done = tS >= a.untilS;
        break;
      case 'charge': {
        const soc = this.battery.socPct();
        const taper = soc < 80 ? 1 : Math.max(0.08, (100 - soc) / 20);
        this.chargeW = a.powerKw * 1000 * taper;
        done = soc >= a.targetSocPct || tS >= a.untilS;
        break;
      }
      case 'refuel':
        done = this.fuelCell ? this.fuelCell.refuel(dt) : true;
        break;
    }
    if (a.kind !== 'charge') this.chargeW = 0;
    if (done) {
      this.chargeW = 0;
      this.activity = nextActivity(this);
    }
  }

  private powerBalance(dt: number): void {
    const m = this.motion;
    const on = this.on;
    const wp = roadLoad(this.spec.road, m.speedMs, m.accelMs2);
    this.tractionW = this.activity.kind === 'drive' ? wp.tractionW : 0;
    const a = this.activity;
    const workW = a.kind === 'drive' ? (a.auxExtraW ?? 0) : 0;
    this.auxW = on ? this.spec.auxW + workW : this.activity.kind === 'charge' ? 300 : 0;
    let busW = this.tractionW + this.auxW;
    const fc = this.fuelCell;
    if (fc) {
      fc.state.on = on && this.fx.h2LeakPct < 2.0; // valves close at a level-3 leak
      const soc = this.battery.socPct();
      const target = busW + 15_000 * ((60 - soc) / 20);
      const delivered = fc.step(target, dt, this.ambientC) * 0.95;
      busW -= delivered;
      fc.state.h2ConcentrationPct = 0.0004 + (fc.state.on ? 0.0008 : 0) + this.fx.h2LeakPct;
    }
    if (this.engine) {
      const eng = this.engine.step(busW, this.battery.socPct(), m.speedMs * 3.6, dt, on && a.kind === 'drive');
      busW -= eng * 0.9;
    }
    busW -= this.chargeW;
    const current = this.battery.currentFor(busW);
    this.battery.step(current, dt, this.ambientC);
    const load = Math.abs(this.tractionW) / (this.spec.road.maxMotorKw * 1000);
    const target = this.ambientC + (on ? 15 + 45 * load : 0);
    this.motorTempC += (target - this.motorTempC) * Math.min(1, dt / 240);
  }

  /** Current position; during GNSS loss the last valid one (spec §8.5). */
  position(): { lat: number; lon: number; valid: boolean } {
    if (this.fx.gnssLost) return { lat: this.lastLat, lon: this.lastLon, valid: false };
    const ll = toLatLon(this.motion.x, this.motion.y);
    this.lastLat = ll.lat;
    this.lastLon = ll.lon;
    return { lat: ll.lat, lon: ll.lon, valid: true };
  }

  faultHeatC(): number {
    const fx = this.fx;
    if (fx.thermal <= 0) return 0;
    if (fx.thermal < 1) return 30 * fx.thermal * fx.thermal;
    return Math.min(180, 30 + 1.5 * fx.thermalSinceS);
  }

  snapshot(): Snapshot {
    const b = this.battery;
    const m = this.motion;
    const fx = this.fx;
    const speedKmh = m.speedMs * 3.6;
    const pos = this.position();
    const soc = b.socPct();
    const reportedSoc = Math.max(0, Math.min(100, soc + fx.socOffsetPct));
    const voltage = b.state.voltageV;
    const insulation = Math.max(5, this.baseInsulationKOhm * fx.insulationFactor);
    const heat = this.faultHeatC();
    const packT = b.state.tempC;
    const probeMax = packT + 1.5 + heat;
    const probeMin = packT - 1.5;
    const drop = fx.thermal <= 0 ? 0 : fx.thermal < 1 ? 0.4 * fx.thermal * fx.thermal : 2.2;
    const on = this.on;
    const motors = this.spec.motors;
    const rpm = speedKmh * this.spec.rpmPerKmh;
    const wheelPerMotorW = this.tractionW * this.spec.road.efficiency / motors;
    const torque = rpm > 50 ? wheelPerMotorW / ((rpm * 2 * Math.PI) / 60) : 0;
    const fc = this.fuelCell;
    const eng = this.engine;
    const charging = this.activity.kind === 'charge';
    const snap: Snapshot = {
      timeMs: this.startMs + this.tS * 1000,
      on,
      charging: charging ? (b.socPct() >= (this.activity.kind === 'charge' ? this.activity.targetSocPct : 100) ? 'chargeComplete' : 'parkedCharging') : 'notCharging',
      mode: eng?.state.running ? 'hybrid' : 'electric',
      speedKmh,
      odometerKm: m.odometerKm,
      voltageV: voltage,
      currentA: b.state.currentA,
      socPct: soc,
      reportedSocPct: reportedSoc,
      insulationKOhm: insulation,
      gear: on ? (m.moving || speedKmh > 0 ? 'D' : this.activity.kind === 'drive' ? 'D' : 'N') : 'P',
      driving: this.tractionW > 0,
      braking: m.accelMs2 < -0.3,
      acceleratorPct: this.tractionW > 0 ? Math.min(100, (100 * this.tractionW) / (this.spec.road.maxMotorKw * 1000)) : 0,
      brakePct: m.accelMs2 < -0.3 ? Math.min(100, -m.accelMs2 * 30) : 0,
      motorRpm: rpm,
      motorTorqueNm: Math.max(-1999, Math.min(4500, torque)),
      motorState: !on ? 'off' : this.tractionW > 100 ? 'consuming' : this.tractionW < -100 ? 'generating' : 'ready',
      motorTempC: this.motorTempC,
      controllerTempC: this.motorTempC - 8,
      motorCurrentA: voltage > 0 ? this.tractionW / motors / voltage : 0,
      lat: pos.lat,
      lon: pos.lon,
      posValid: pos.valid,
      packTempC: packT,
      thermal: fx.thermal,
      thermalCell: fx.thermalCell,
      faultHeatC: heat,
      faultDropV: drop,
      alarm: computeAlarm({
        edition: this.edition,
        fx,
        reportedSocPct: reportedSoc,
        insulationKOhm: insulation,
        voltageV: voltage,
        maxProbeC: probeMax,
        minProbeC: probeMin,
        h2ConcentrationPct: fc ? fc.state.h2ConcentrationPct : 0,
      }),
    };
    if (fc) {
      const s = fc.state;
      const p = fc.inletPressuresKpa();
      const kgPerH = (s.stackCurrentA * fc.spec.stackCells * 1.0447e-8 * 1.03 * 3600);
      snap.fc = {
        on: s.on,
        voltageV: s.stackVoltageV,
        currentA: s.stackCurrentA,
        h2Kg: s.h2Kg,
        remainingPct: fc.remainingPct(),
        pressureMpa: fc.pressureMpa(),
        gasTempC: s.gasTempC,
        coolantTempC: s.coolantTempC,
        dcdcTempC: s.dcdcTempC,
        concentrationPct: s.h2ConcentrationPct,
        airKpa: p.air,
        h2Kpa: p.h2,
        kgPer100Km: speedKmh > 3 ? Math.min(600, (kgPerH / speedKmh) * 100) : 0,
      };
    }
    if (eng) snap.engine = { running: eng.state.running, rpm: eng.state.rpm, lPer100Km: eng.state.lPer100Km };
    return snap;
  }
}
