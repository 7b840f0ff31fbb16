// What a session needs from its gateway: dependencies, options, shared state. Kept as an interface
// so the session logic never imports `net` or `tls` (nats.js style: the transport is injected).
import type { Logger } from 'pino';
import type { Frame, Quirk } from '@nevhub/gbt32960';
import type { FrameLog } from '../log/types.js';
import type { SessionEvent, SessionEventStore, VehicleRegistry } from '../store/types.js';
import type { DuplicateLoginPolicy, PlatformAccount, RegistryMode } from '../config/schema.js';
import type { GatewayMetrics } from './metrics.js';
import type { Session } from './session.js';

export interface GatewayDeps {
  log: FrameLog;
  registry: VehicleRegistry;
  events: SessionEventStore;
  logger: Logger;
  /** Called after every successful append (e.g. StoreWriter.notify). */
  onAppended?: () => void;
}

/** Session behaviour, resolved from the gateway configuration (config/schema.ts documents each). */
export interface SessionOptions {
  idleTimeoutMs: number;
  ackRealtime: boolean;
  duplicateLogin: DuplicateLoginPolicy;
  registryMode: RegistryMode;
  preLoginMaxBytes: number;
  preLoginMaxFrames: number;
  maxWriteQueueBytes: number;
  lenient: readonly Quirk[];
  platforms: readonly PlatformAccount[];
  /** Platform clock (tests may pin it). */
  now: () => Date;
}

/** Outcome of a cluster-wide VIN claim (gateway.processes > 1, cluster.ts). */
export type VinClaimResult = { ok: true } | { ok: false; holder: string };

export interface SessionHost {
  readonly deps: GatewayDeps;
  readonly options: SessionOptions;
  readonly counters: GatewayMetrics;
  /** The live vehicle session of a VIN (one per VIN, spec §13 "Disconnect"). */
  onlineSession(vin: string): Session | undefined;
  /** Makes `session` the live session of `vin`; returns the session it displaced, if any. */
  setOnline(vin: string, session: Session): Session | undefined;
  /**
   * Several gateway processes only: claims `vin` for `session` in the primary's VIN map (one live
   * session per VIN across every process) before setOnline. Absent in a single process.
   */
  readonly claimVin?: (vin: string, session: Session) => Promise<VinClaimResult>;
  /** Forgets `vin` if `session` still holds it. */
  setOffline(vin: string, session: Session): void;
  /** A downlink reply arrived (command 0x80–0x82, flag ≠ 0xFE); true when it matched a pending command. */
  downlinkReply(session: Session, frame: Frame, raw: Uint8Array): Promise<boolean>;
  /** Records a session event without blocking the connection; failures are logged. */
  recordEvent(ev: SessionEvent): void;
  sessionClosed(session: Session, reason: string): void;
}
