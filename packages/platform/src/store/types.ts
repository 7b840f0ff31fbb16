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
  sessionEvents(vin: string, fromMs: number, toMs: number, limit?: number): Promise<SessionEvent[]>;
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
  history(vin: string, fromMs: number, toMs: number, limit?: number): Promise<HistoryRecord[]>;
  /** Deletes history older than `beforeMs`; returns the count. */
  pruneHistory(beforeMs: number): Promise<number>;
  close(): Promise<void>;
}
