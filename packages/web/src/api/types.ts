// The public JSON the dashboard reads: the /api/v1 contract shared with packages/platform.
export const VEHICLE_TYPES = ['taxi', 'bus', 'car', 'sanitation', 'other'] as const;
export type VehicleType = (typeof VEHICLE_TYPES)[number];

export const POWERTRAINS = ['bev', 'phev', 'fcev', 'other'] as const;
export type Powertrain = (typeof POWERTRAINS)[number];

export const STATUSES = ['driving', 'charging', 'refuelling', 'parked', 'offline', 'alarm'] as const;
export type VehicleStatus = (typeof STATUSES)[number];

export interface FleetSummary {
  total: number;
  online: number;
  driving: number;
  charging: number;
  refuelling: number;
  parked: number;
  offline: number;
  alarm: number;
  energyTodayKwh: number;
  hydrogenTodayKg: number;
  byType: Partial<Record<VehicleType, number>>;
}

export interface VehicleSummary {
  vin: string;
  plate: string | null;
  vehicleType: VehicleType;
  powertrain: Powertrain;
  version: 2016 | 2025;
  status: VehicleStatus;
  online: boolean;
  lon: number | null;
  lat: number | null;
  speedKmh: number | null;
  socPct: number | null;
  h2RemainingPct: number | null;
  alarmLevel: number | null;
  at: number | null;
  iccid?: string | null;
}

export interface LatestState {
  speedKmh: number | null;
  socPct: number | null;
  totalVoltageV: number | null;
  totalCurrentA: number | null;
  odometerKm: number | null;
  maxCellVoltageV: number | null;
  minCellVoltageV: number | null;
  maxTempC: number | null;
  minTempC: number | null;
  h2RemainingPct: number | null;
  h2MaxPressureMpa: number | null;
  alarmLevel: number | null;
  alarmFlags: string[];
}

export interface VehicleDetail {
  /** The registry record: null when the VIN is not registered, and may lack the live fields. */
  vehicle: Partial<VehicleSummary> | null;
  latest: LatestState | null;
}

/** Column-oriented time series: one timestamp array, one value array per field. */
export interface SeriesResponse {
  t: number[];
  series: Record<string, (number | null)[]>;
}

export interface CellsResponse {
  t: number[];
  cellVoltagesV: (number | null)[][];
  temperaturesC: (number | null)[][];
}

export interface ExplainRange {
  start: number;
  end: number;
  name: string;
  path: string;
  value: unknown;
  hex: string;
}

export interface FrameRecord {
  seq: number;
  receivedAt: number | string;
  command: string;
  hex: string;
  frame: unknown;
  explain: ExplainRange[];
}

export interface SessionRecord {
  kind: string;
  at: number | string;
  reason?: string | null;
  peer?: string | null;
  serial?: number | null;
}

export interface FuelCellLatest {
  stackVoltageV: number | null;
  stackCurrentA: number | null;
  h2RemainingPct: number | null;
  h2MaxPressureMpa: number | null;
  h2MaxConcentrationPct?: number | null;
  h2MaxConcentrationPpm?: number | null;
  h2MaxTempC: number | null;
  dcdcState: string | number | null;
}

export interface CommandResult {
  id: string | number;
  status: 'success' | 'error' | 'timeout' | 'offline';
  reply?: unknown;
}

export interface PositionUpdate {
  vin: string;
  lon: number | null;
  lat: number | null;
  speedKmh: number | null;
  socPct: number | null;
  status: VehicleStatus;
  alarmLevel: number | null;
}

export interface LiveEvent {
  kind: 'alarm' | 'login' | 'logout' | 'disconnect';
  vin: string;
  at: number;
  level?: number;
  flags?: string[];
}

export type LiveMessage =
  | { type: 'positions'; at: number; vehicles: PositionUpdate[] }
  | { type: 'event'; event: LiveEvent };

export interface RoadFeatureProps {
  name?: string;
  class?: 'ring' | 'arterial' | 'street';
  kind?: 'depot' | 'charger' | 'h2station';
}
