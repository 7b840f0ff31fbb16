// Scenario model: a fleet (groups of vehicles of one type and edition mix) and timed events.
import type { VehicleKind } from '../vehicles/specs.js';

export const EVENT_KINDS = [
  'thermalRunaway',
  'insulationDecline',
  'socJump',
  'h2Leak',
  'gnssLoss',
  'networkOutage',
  'duplicateVin',
  'malformedFrames',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface FleetGroup {
  kind: VehicleKind;
  count: number;
  /** Share of the group on 2016 terminals (0…1); the rest use 2025. */
  share2016: number;
  socPct: [number, number];
  h2Pct: [number, number];
}

export interface ScenarioEvent {
  kind: EventKind;
  /** Seconds after the start. */
  atS: number;
  durationS: number;
  /** Target vehicle: "taxi:3" (kind and index within the kind) or a VIN. */
  vehicle?: string;
  /** Fleet share for networkOutage (0…1). */
  fraction?: number;
  magnitude?: number;
  level?: number;
}

export interface Scenario {
  name: string;
  /** "HH:MM" (today, Beijing) or an ISO time; undefined = now. */
  start?: string;
  seed: number;
  reportPeriodS: number;
  heartbeatPeriodS: number;
  ambientC: number;
  fleet: FleetGroup[];
  events: ScenarioEvent[];
}
