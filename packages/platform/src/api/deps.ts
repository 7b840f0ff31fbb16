// What the API needs from the rest of the platform, as narrow ports: the real gateway, store and
// log satisfy them, and tests can hand in small fakes. Optional parts degrade one route each.
import type { Frame, ParamsBody, TerminalControlBody } from '@nevhub/gbt32960';
import type { FrameLog, LogEntry } from '../log/types.js';
import type { SessionEventStore, TelemetryStore, VehicleRegistry } from '../store/types.js';
import type { LiveHub } from '../northbound/live-hub.js';
import type { ApiDb } from './api-db.js';
import type { PlatformMetrics } from './metrics.js';

export type DownlinkCommand = 'paramQuery' | 'paramSet' | 'terminalControl';

/** The gateway's downlink and health, as the API uses them (gateway/server.ts Gateway). */
export interface GatewayPort {
  sendCommand(
    vin: string,
    cmd: { command: DownlinkCommand; body: ParamsBody | TerminalControlBody },
  ): Promise<{ status: string; reply?: unknown; attempts: number }>;
  /** Counters for /metrics (see metrics.ts readGatewayMetrics). */
  metrics?(): unknown;
  /** The bound TCP port, 0 before listen / after close (readiness). */
  readonly port?: number;
}

/** Store extension: downsampled history of the key columns (store/sqlite.ts, store/series.ts). */
export interface HistorySeriesPort {
  historySeries(vin: string, fromMs: number, toMs: number, fields: readonly string[], stepMs?: number): Promise<{ t: number[]; values: Record<string, (number | null)[]> }>;
}

/** Log extension: newest entries of one VIN first, before `beforeSeq` (exclusive). */
export interface RecentFramesPort {
  readVinBefore(vin: string, beforeSeq: number, limit: number): Promise<LogEntry[]>;
}

export interface ExplainedField {
  start: number;
  end: number;
  name: string;
  path: string;
  value: unknown;
  hex: string;
}

export type Explainer = (bytes: Uint8Array) => { frame: Frame; fields: ExplainedField[] };

export interface ApiDeps {
  registry: VehicleRegistry;
  sessions: SessionEventStore;
  store: TelemetryStore & Partial<HistorySeriesPort>;
  log: FrameLog & Partial<RecentFramesPort>;
  /** Tokens, lower-platform accounts and the command journal (openApiDb). */
  apiDb: ApiDb;
  gateway?: GatewayPort;
  /** The live hub: /api/v1/live, refuelling status and today's energy in the fleet summary. */
  hub?: LiveHub;
  /** Road network GeoJSON (simulator roadsGeoJson()). */
  roads?: () => unknown;
  /** Byte-level explainer; default: the codec's explainFrame. */
  explain?: Explainer;
  metrics?: PlatformMetrics;
}
