// Test helpers for the gateway: an in-memory registry/event store, a gateway on an ephemeral port,
// a terminal client over real TCP, and frame builders. Used by gateway/*.test.ts and the benchmark.
import { connect, type Socket } from 'node:net';
import {
  decodeFrame,
  encodeFrame,
  FrameSplitter,
  paramsWithLengths,
  RESPONSE_IDS,
  beijingTime,
  type Frame,
  type FrameInput,
  type Version,
  type VehicleItem,
} from '@nevhub/gbt32960';
import { MemoryFrameLog } from '../log/memory.js';
import type { FrameLog } from '../log/types.js';
import type { SessionEvent, SessionEventStore, VehicleRecord, VehicleRegistry } from '../store/types.js';
import { Gateway, type GatewayInit } from './server.js';

/** Registry + session events in memory (a tiny fake; the SQLite store has its own conformance suite). */
export class MemoryRegistry implements VehicleRegistry, SessionEventStore {
  readonly vehicles = new Map<string, VehicleRecord>();
  readonly events: SessionEvent[] = [];

  getVehicle(vin: string): Promise<VehicleRecord | undefined> {
    const v = this.vehicles.get(vin);
    return Promise.resolve(v ? { ...v } : undefined);
  }
  upsertVehicle(v: Partial<VehicleRecord> & { vin: string }): Promise<VehicleRecord> {
    const now = Date.now();
    const prev = this.vehicles.get(v.vin);
    const rec: VehicleRecord = { enabled: true, createdAt: now, ...prev, ...v, updatedAt: now };
    this.vehicles.set(v.vin, rec);
    return Promise.resolve({ ...rec });
  }
  listVehicles(): Promise<VehicleRecord[]> {
    return Promise.resolve([...this.vehicles.values()]);
  }
  deleteVehicle(vin: string): Promise<boolean> {
    return Promise.resolve(this.vehicles.delete(vin));
  }
  recordSessionEvent(ev: SessionEvent): Promise<void> {
    this.events.push(ev);
    return Promise.resolve();
  }
  sessionEvents(vin: string, fromMs: number, toMs: number): Promise<SessionEvent[]> {
    return Promise.resolve(this.events.filter((e) => e.vin === vin && e.at >= fromMs && e.at <= toMs));
  }
}

export interface TestGateway {
  gateway: Gateway;
  port: number;
  log: FrameLog;
  registry: MemoryRegistry;
  close(): Promise<void>;
}

export async function startTestGateway(init: Partial<GatewayInit> = {}): Promise<TestGateway> {
  const log = init.log ?? new MemoryFrameLog();
  const registry = new MemoryRegistry();
  const gateway = new Gateway({
    log,
    registry: init.registry ?? registry,
    events: init.events ?? registry,
    ...init,
    gateway: { host: '127.0.0.1', port: 0, maxConnectionsPerSec: 100_000, ...init.gateway },
  });
  const { port } = await gateway.listen();
  return {
    gateway,
    port,
    log,
    registry,
    close: async () => {
      await gateway.close();
      await log.close();
    },
  };
}

/** A terminal (or lower platform) over real TCP that collects every frame the gateway sends. */
export class TestClient {
  readonly socket: Socket;
  readonly received: Frame[] = [];
  closed = false;
  private readonly splitter = new FrameSplitter();
  private waiters: (() => void)[] = [];
  readonly ready: Promise<void>;
  readonly whenClosed: Promise<void>;

  constructor(port: number, options: { localAddress?: string; read?: boolean } = {}) {
    this.socket = connect({
      host: '127.0.0.1',
      port,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
    this.socket.setNoDelay(true);
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.whenClosed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.socket.on('error', () => undefined);
    void this.whenClosed.then(() => {
      this.closed = true;
      this.wake();
    });
    if (options.read === false) this.socket.pause();
    else {
      this.socket.on('data', (chunk: Buffer) => {
        this.splitter.push(chunk, (f) => this.received.push(decodeFrame(f)));
        this.wake();
      });
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Waits until `count` frames have been received (or the connection closed, or timeoutMs); returns them all. */
  async frames(count: number, timeoutMs = 5000): Promise<Frame[]> {
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      this.wake();
    }, timeoutMs);
    try {
      while (this.received.length < count && !this.closed && !timedOut) {
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
    } finally {
      clearTimeout(deadline);
    }
    return this.received;
  }

  /** Waits for the next frame after the ones already seen. */
  async next(timeoutMs = 5000): Promise<Frame | undefined> {
    const n = this.received.length;
    const all = await this.frames(n + 1, timeoutMs);
    return all[n];
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Waits until `predicate` holds (polling), or throws after `timeoutMs`. For state the gateway updates asynchronously. */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// ---------------------------------------------------------------------------------------------
// Frame builders

export const VIN_A = 'LNBSCU3H8JR000001';
export const VIN_B = 'LNBSCU3H8JR000002';

export function timeAt(offsetSec = 0): string {
  return beijingTime(new Date(Date.now() + offsetSec * 1000));
}

export function loginFrame(version: Version, vin: string, serial = 1, time = timeAt()): Uint8Array {
  const body =
    version === 2016
      ? { serial, iccid: '89860402101700173398', packCount: 1, packCodeLength: 0, packCodes: [] }
      : { serial, iccid: '89860402101700173398', bmsCount: 0, packCodes: [] };
  return encodeFrame({ version, command: 'vehicleLogin', vin, time, body });
}

export function vehicleItem(version: Version, speedKmh = 42.5): VehicleItem {
  const item: VehicleItem = {
    type: 'vehicle',
    typeId: 0x01,
    vehicleState: 'started',
    chargingState: 'notCharging',
    operatingMode: 'electric',
    speedKmh,
    odometerKm: 12345.6,
    totalVoltageV: 350.2,
    totalCurrentA: -12.5,
    socPct: 80,
    dcdcState: 'working',
    gear: { gear: 'D', driving: true, braking: false, valid: true },
    insulationKOhm: 5000,
  };
  if (version === 2016) {
    item.acceleratorPct = 10;
    item.brakePct = 0;
  }
  return item;
}

export function realtimeFrame(
  version: Version,
  vin: string,
  time = timeAt(),
  command: 'realtime' | 'reissue' = 'realtime',
  speedKmh = 42.5,
): Uint8Array {
  const input: FrameInput = {
    version,
    command,
    vin,
    time,
    body: {
      items: [vehicleItem(version, speedKmh)],
      // 2025 realtime frames are signed (spec §9.10): algorithm 0x01 SM2, R and S of 32 bytes.
      ...(version === 2025
        ? {
            signature: {
              algorithm: 'sm2' as const,
              algorithmId: 1,
              rHex: '11'.repeat(32),
              sHex: '22'.repeat(32),
              signedStart: 0,
              signedEnd: 0,
            },
          }
        : {}),
    },
  };
  return encodeFrame(input);
}

export function simpleFrame(version: Version, command: 'heartbeat' | 'timeSync', vin: string): Uint8Array {
  return encodeFrame({ version, command, vin, time: null, body: {} });
}

export function logoutFrame(version: Version, vin: string, serial = 1): Uint8Array {
  return encodeFrame({ version, command: 'vehicleLogout', vin, time: timeAt(), body: { serial } });
}

export function platformLoginFrame(
  version: Version,
  username: string,
  password: string,
  serial = 1,
): Uint8Array {
  return encodeFrame({
    version,
    command: 'platformLogin',
    vin: 'PLATFORM000000001',
    time: timeAt(),
    body: { serial, username, password, encryptionRule: 'none', encryptionRuleId: 1 },
  });
}

/** True while a process with this pid exists (signal 0 checks without signalling). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Makes the client answer every paramQuery with heartbeat period 30 s (spec §11.3, 0x09). */
export function answerQueries(c: TestClient, version: Version): void {
  let handled = 0;
  c.socket.on('data', () => {
    while (c.received.length > handled) {
      const f = c.received[handled++];
      if (f.responseId !== RESPONSE_IDS.command || f.command !== 'paramQuery') continue;
      c.send(
        encodeFrame({
          version,
          command: 'paramQuery',
          response: 'success',
          vin: f.vin,
          time: timeAt(),
          body: paramsWithLengths([{ id: 0x09, value: 30 }]),
        }),
      );
    }
  });
}
