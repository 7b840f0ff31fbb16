// Vehicle types of the Baoding fleet: parameters of the battery, road load, motors and (where
// present) fuel cell or engine. Figures are typical of Chinese models of each class.
import type { BatterySpec } from '../energy/battery.js';
import type { FuelCellSpec } from '../energy/fuelcell.js';
import type { EngineSpec } from '../energy/engine.js';
import type { RoadLoadSpec } from '../energy/powertrain.js';

export const VEHICLE_KINDS = ['taxi', 'bus', 'phev', 'sanitation'] as const;
export type VehicleKind = (typeof VEHICLE_KINDS)[number];

export interface VehicleSpec {
  kind: VehicleKind;
  label: string;
  battery: BatterySpec;
  road: RoadLoadSpec;
  motors: number;
  /** Motor speed per vehicle speed, rpm per km/h. */
  rpmPerKmh: number;
  /** Constant auxiliary load (HVAC, 12 V, pumps at rest), W. */
  auxW: number;
  /** Driver's cruise as a share of the speed limit. */
  cruise: number;
  maxAccel: number;
  fuelCell?: FuelCellSpec;
  engine?: EngineSpec;
  /** DC fast-charge power limit of the vehicle, kW; AC on-board charger power, kW. */
  dcKw: number;
  acKw: number;
  /** VIN world manufacturer identifier and descriptor (positions 1–8). */
  vinHead: string;
}

export const SPECS: Record<VehicleKind, VehicleSpec> = {
  taxi: {
    kind: 'taxi',
    label: 'battery-electric taxi (NCM 96s, 63 kWh)',
    battery: { chemistry: 'NCM', packs: 1, cellsPerPack: 96, packAh: 180, cellOhm: 0.0011, probesPerPack: 16, packHeatJK: 420_000 },
    road: { massKg: 1850, cda: 0.62, crr: 0.0105, efficiency: 0.88, maxMotorKw: 110, maxRegenKw: 45 },
    motors: 1,
    rpmPerKmh: 85,
    auxW: 700,
    cruise: 0.95,
    maxAccel: 1.6,
    dcKw: 90,
    acKw: 7,
    vinHead: 'LBDTX1E6',
  },
  bus: {
    kind: 'bus',
    label: 'battery-electric 12 m city bus (LFP 2 × 192s, 350 kWh, two motors)',
    battery: { chemistry: 'LFP', packs: 2, cellsPerPack: 192, packAh: 280, cellOhm: 0.0006, probesPerPack: 24, packHeatJK: 2_200_000 },
    road: { massKg: 15_000, cda: 6.5, crr: 0.008, efficiency: 0.86, maxMotorKw: 250, maxRegenKw: 150 },
    motors: 2,
    rpmPerKmh: 60,
    auxW: 4500,
    cruise: 0.85,
    maxAccel: 1.0,
    dcKw: 240,
    acKw: 0,
    vinHead: 'LBDBS2F8',
  },
  phev: {
    kind: 'phev',
    label: 'plug-in hybrid car (NCM 96s, 18 kWh, 1.5 L engine)',
    battery: { chemistry: 'NCM', packs: 1, cellsPerPack: 96, packAh: 52, cellOhm: 0.0016, probesPerPack: 8, packHeatJK: 150_000 },
    road: { massKg: 1750, cda: 0.66, crr: 0.0105, efficiency: 0.87, maxMotorKw: 90, maxRegenKw: 35 },
    motors: 1,
    rpmPerKmh: 90,
    auxW: 600,
    cruise: 1.0,
    maxAccel: 1.8,
    engine: { maxKw: 75, sustainSocPct: 18 },
    dcKw: 0,
    acKw: 6.6,
    vinHead: 'LBDPH3G2',
  },
  sanitation: {
    kind: 'sanitation',
    label: 'fuel-cell street washer 18 t (75 kW stack, 8 × 35 MPa tanks, LFP 160s 20 kWh)',
    battery: { chemistry: 'LFP', packs: 1, cellsPerPack: 160, packAh: 40, cellOhm: 0.0012, probesPerPack: 12, packHeatJK: 180_000 },
    road: { massKg: 16_000, cda: 6.0, crr: 0.009, efficiency: 0.85, maxMotorKw: 160, maxRegenKw: 60 },
    motors: 1,
    rpmPerKmh: 70,
    auxW: 2500,
    cruise: 0.8,
    maxAccel: 0.8,
    fuelCell: { stackCells: 300, maxPowerKw: 75, tankKg: 24, nominalMpa: 35, tanks: 8 },
    dcKw: 60,
    acKw: 0,
    vinHead: 'LBDSN4H3',
  },
};
