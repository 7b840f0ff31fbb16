// Store seams shared by the gateway, the consumers and the API. Each interface has an embedded
// SQLite implementation and is covered by one conformance suite (store/conformance.ts).
import type { Frame, Version } from '@nevhub/gbt32960';

/** A vehicle known to the platform (the registry, spec Annex A static data, trimmed). */
export interface VehicleRecord {
  vin: string;
  /** Free text shown in the UI, e.g. "冀F·D12345". */
  plate?: string;
  /** taxi | bus | car | sanitation | other */
  vehicleType?: string;
  /** bev | phev | fcev | other */
  powertrain?: string;
  /** Allowed to connect (allow-list mode). */
  enabled: boolean;
  iccid?: string;
  /** Edition last seen. */
  version?: Version;
  /** Last login serial and the Beijing date it belongs to (daily serial rule, spec §6.1). */
  lastLoginSerial?: number;
  lastLoginDate?: string;
  /** 2025 activation (0x09, spec §12.1): security-chip ID and public key (hex, opaque bytes). */
  chipId?: string;
  publicKeyHex?: string;
  createdAt: number;
  updatedAt: number;
}

export interface VehicleRegistry {
  getVehicle(vin: string): Promise<VehicleRecord | undefined>;
  upsertVehicle(v: Partial<VehicleRecord> & { vin: string }): Promise<VehicleRecord>;
  listVehicles(filter?: { vehicleType?: string; powertrain?: string; text?: string }): Promise<VehicleRecord[]>;
  deleteVehicle(vin: string): Promise<boolean>;
}

export type SessionEventKind = 'login' | 'logout' | 'disconnect' | 'replaced' | 'rejected' | 'platformLogin' | 'platformLogout';

export interface SessionEvent {
  vin: string;
  kind: SessionEventKind;
  at: number;
  sessionId: string;
  peer: string;
  /** Human-readable reason (disconnect/rejection), e.g. "idle timeout 180 s". */
  reason?: string;
  serial?: number;
}

export interface SessionEventStore {
  recordSessionEvent(ev: SessionEvent): Promise<void>;
  /** Events of one VIN with fromMs ≤ at ≤ toMs, oldest first. */
  sessionEvents(vin: string, fromMs: number, toMs: number, limit?: number): Promise<SessionEvent[]>;
  /** Deletes events older than `beforeMs` (retention); returns the count. */
  pruneSessionEvents?(beforeMs: number): Promise<number>;
}

/** Latest state of one vehicle, for the map and the fleet list (merged from its latest frames). */
export interface LatestState {
  vin: string;
  /** Epoch ms of the data (collection time) and of reception. */
  at: number;
  receivedAt: number;
  online: boolean;
  lon?: number;
  lat?: number;
  speedKmh?: number;
  socPct?: number;
  totalVoltageV?: number;
  totalCurrentA?: number;
  odometerKm?: number;
  vehicleState?: string;
  chargingState?: string;
  alarmLevel?: number;
  alarmFlags?: string[];
  h2RemainingPct?: number;
  h2MaxPressureMpa?: number;
  maxCellVoltageV?: number;
  minCellVoltageV?: number;
  maxTempC?: number;
  minTempC?: number;
}

/** One stored realtime/reissue record (a history row). `frame` is the decoded public model. */
export interface HistoryRecord {
  vin: string;
  /** Collection time, epoch ms. */
  at: number;
  seq: number;
  reissue: boolean;
  frame: Frame;
}

export interface TelemetryStore {
  /**
   * Applies decoded log entries (realtime, reissue, login, logout, ...). Idempotent: an entry
   * applied twice, or a reissued frame identical to one already stored, is stored once.
   */
  applyFrames(batch: readonly { seq: number; receivedAt: number; frame: Frame }[]): Promise<void>;
  latest(vins?: readonly string[]): Promise<LatestState[]>;
  setOnline(vin: string, online: boolean, at: number): Promise<void>;
  /** Stored frames of one VIN with fromMs ≤ collection time ≤ toMs, oldest first. */
  history(vin: string, fromMs: number, toMs: number, limit?: number): Promise<HistoryRecord[]>;
  /**
   * Chart series of numeric LatestState fields (speedKmh, socPct, totalVoltageV, totalCurrentA,
   * odometerKm, lon, lat, alarmLevel, h2RemainingPct, h2MaxPressureMpa, max/minCellVoltageV,
   * max/minTempC); with stepMs, one aggregated point per step. Rejects on an unknown field.
   */
  historySeries?(vin: string, fromMs: number, toMs: number, fields: readonly string[], stepMs?: number): Promise<HistorySeries>;
  /** Deletes history older than `beforeMs`; returns the count. */
  pruneHistory(beforeMs: number): Promise<number>;
  close(): Promise<void>;
}

/** Column-oriented chart data (uPlot's shape): `t` and one array per field, aligned. */
export interface HistorySeries {
  /** Epoch ms: collection time of each point, or the start of each step bucket. */
  t: number[];
  /** One array per requested field, aligned with `t`; null where the value was not available. */
  values: Record<string, (number | null)[]>;
}
