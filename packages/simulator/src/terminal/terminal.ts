// A GB/T 32960 vehicle terminal over TCP (Annex B, spec §13): connect, log in (ICCID, daily
// serial), heartbeats, realtime every reportPeriodS, 1 s reporting on level-3 (2025: 3/4) alarms
// with the 30 s before the fault sent as reissue (0x03), local storage during link loss and
// reissue after recovery, login retries (3 tries, then wait), logout after power-down, and answers
// to parameter query/setting and terminal control. All timing is in simulated seconds and driven
// by the fleet's single tick; the socket is the only asynchronous part.
import { connect, type Socket } from 'node:net';
import { decodeFrame, FrameSplitter, type Frame, type ParamsBody, type TerminalControlBody } from '@nevhub/gbt32960';
import type { SimVehicle } from '../vehicles/vehicle.js';
import type { Snapshot } from '../vehicles/snapshot.js';
import type { VehicleKey } from './signer.js';
import { DailySerial } from './serial.js';
import { OfflineStore } from './store.js';
import { encodeReport, encodeSimple, malformedFrames } from './frames.js';
import { answerQuery, applySetting, defaultParams, type TerminalParams } from './params.js';
import type { FleetStats } from './stats.js';

export interface TerminalOptions {
  vehicle: SimVehicle;
  host: string;
  port: number;
  key?: VehicleKey;
  reportPeriodS: number;
  heartbeatPeriodS: number;
  /** Simulated seconds per wall second (retry waits are scaled through it). */
  speed: number;
  stats: FleetStats;
  /** Called with every frame written (tests, logs). */
  onSent?: (vin: string, frame: Uint8Array) => void;
  /** A second terminal using another vehicle's VIN (duplicate-VIN fault): not tied to power state. */
  ghost?: boolean;
}

type LinkState = 'idle' | 'connecting' | 'loggingIn' | 'online';

/** 2016: 3 days, 2025: 7 days of local storage (spec §13). */
const RETENTION_DAYS = { 2016: 3, 2025: 7 } as const;
const PRE_FAULT_S = 30;
/** Reissues sent per simulated second, between realtime reports. */
const REISSUE_PER_S = 3;
/** 2016 Annex B: keep reporting for 3 min after power-off. */
const AFTER_OFF_S = 180;
/**
 * 2025 post-power-down monitoring (spec §13, Annex B.2.1): after HV power-down following driving
 * or charging, report the battery data of 59:30–60:00 after power-down. nevhub sends every 1 Hz
 * sample of that window as 0x02 with items 0x01, 0x05, 0x06, 0x07, 0x08 (the spec's recommendation,
 * covering both the final and the draft wording); the link comes up a minute early to log in.
 */
const MONITOR_FROM_S = 59 * 60 + 30;
const MONITOR_TO_S = 60 * 60;
const MONITOR_LINK_EARLY_S = 60;
const MONITOR_ITEMS = [0x01, 0x05, 0x06, 0x07, 0x08] as const;

export class Terminal {
  readonly v: SimVehicle;
  readonly params: TerminalParams;
  state: LinkState = 'idle';
  /** Network-outage fault: no link possible while true. */
  blocked = false;
  /** Ghost terminals only run while true. */
  enabled = true;
  private socket: Socket | undefined;
  private readonly splitter = new FrameSplitter();
  private readonly serial = new DailySerial();
  private loginSerial = 0;
  private loginSentS = 0;
  private loginAttempts = 0;
  private nextAttemptS = 0;
  private lastReportS: number;
  private lastSentS = 0;
  private lastActiveS = -Infinity;
  private wasActive = false;
  /** Simulated second of the last HV power-down (active → inactive). */
  private powerDownS = -Infinity;
  private alarmHigh = false;
  private alarmUntilS = -Infinity;
  private readonly history: Snapshot[] = [];
  private readonly preFault: Snapshot[] = [];
  readonly offline: OfflineStore;
  private readonly pending = new Map<string, number>();
  private tS = 0;
  private simMs = 0;

  constructor(private readonly o: TerminalOptions) {
    this.v = o.vehicle;
    this.params = defaultParams(this.v.edition, o.host, o.port, o.reportPeriodS, o.heartbeatPeriodS);
    const days = RETENTION_DAYS[this.v.edition];
    this.offline = new OfflineStore(days * 86400_000, Math.ceil((days * 86400) / Math.max(1, o.reportPeriodS)));
    // Terminals do not share a reporting phase (each counts from its own power-on): spread the first
    // report over one period by VIN, so the fleet does not send every realtime frame in one second.
    let h = 0;
    for (let i = 0; i < this.v.vin.length; i++) h = (h * 31 + this.v.vin.charCodeAt(i)) >>> 0;
    this.lastReportS = -(h % Math.max(1, o.reportPeriodS));
  }

  get online(): boolean {
    return this.state === 'online';
  }

  /** One simulated second (after the vehicle stepped). */
  tick(tS: number, simMs: number): void {
    this.tS = tS;
    this.simMs = simMs;
    if (!this.enabled) {
      if (this.state !== 'idle') this.drop(false);
      return;
    }
    const snap = this.v.snapshot();
    this.history.push(snap);
    if (this.history.length > PRE_FAULT_S + 1) this.history.shift();
    const active = this.o.ghost === true || this.v.active;
    if (active) this.lastActiveS = tS;
    if (this.wasActive && !active) this.powerDownS = tS;
    this.wasActive = active;
    const sinceOff = active || this.v.edition !== 2025 ? -1 : tS - this.powerDownS;
    const monitorLink = sinceOff >= MONITOR_FROM_S - MONITOR_LINK_EARLY_S && sinceOff < MONITOR_TO_S;
    const monitorSample = sinceOff >= MONITOR_FROM_S && sinceOff < MONITOR_TO_S;
    // Level 3 (2016) / 3–4 (2025) alarm: 1 s sampling; the 30 s before are reissued (spec §13).
    const high = snap.alarm.maxLevel >= 3;
    if (high && !this.alarmHigh) {
      this.preFault.push(...this.history.slice(0, -1).slice(-PRE_FAULT_S));
      this.alarmUntilS = tS + PRE_FAULT_S;
    }
    if (high && this.v.edition === 2025) this.alarmUntilS = Math.max(this.alarmUntilS, tS + 1);
    this.alarmHigh = high;
    const alarmMode = tS < this.alarmUntilS;
    const recently = tS - this.lastActiveS <= AFTER_OFF_S;
    const wanted = active || recently || alarmMode || monitorLink || this.offline.size > 0 || this.preFault.length > 0;
    this.manageLink(wanted);
    const period = alarmMode ? 1 : this.params.reportPeriodS;
    if ((active || recently || alarmMode) && tS - this.lastReportS >= period) {
      this.lastReportS = tS;
      if (this.online) this.sendReport(snap, 'realtime');
      else this.store(snap);
    } else if (monitorSample) {
      if (this.online) this.sendReport(snap, 'realtime', MONITOR_ITEMS);
      else this.store(snap);
    }
    if (this.online) {
      for (let i = 0; i < REISSUE_PER_S; i++) {
        const s = this.preFault.shift() ?? this.offline.shift(simMs);
        if (!s) break;
        this.sendReport(s, 'reissue');
      }
      if (tS - this.lastSentS >= this.params.heartbeatPeriodS) this.send(encodeSimple(this.v.edition, 'heartbeat', this.v.vin, simMs, {}), 'heartbeat');
    }
  }

  private manageLink(wanted: boolean): void {
    const tS = this.tS;
    if (this.blocked) {
      if (this.state !== 'idle') this.drop(false);
      return;
    }
    if (this.state === 'idle') {
      if (wanted && tS >= this.nextAttemptS) this.open();
      return;
    }
    if (this.state === 'loggingIn' && tS - this.loginSentS >= this.loginTimeoutS()) {
      this.o.stats.loginTimeouts++;
      this.loginFailed();
      return;
    }
    if (this.state === 'online' && !wanted) {
      this.send(encodeSimple(this.v.edition, 'vehicleLogout', this.v.vin, this.simMs, { serial: this.loginSerial }), 'vehicleLogout');
      this.drop(false);
    }
  }

  /** No login reply → retry after 1 min (2016) / 3 min (2025); 3 failures → wait param 0x0C. */
  private loginTimeoutS(): number {
    // Scaled by time acceleration, but never under 10 s of wall time (a busy platform at start-up).
    return Math.max(this.v.edition === 2016 ? 60 : 180, 10 * this.o.speed);
  }

  private loginFailed(): void {
    this.loginAttempts++;
    if (this.loginAttempts >= 3) {
      this.loginAttempts = 0;
      this.drop(false);
      this.nextAttemptS = this.tS + this.params.loginRetryWaitMin * 60;
      return;
    }
    this.sendLogin();
  }

  private open(): void {
    this.state = 'connecting';
    this.o.stats.connectAttempts++;
    const sock = connect({ host: this.params.platformDomain, port: this.params.platformPort });
    sock.setNoDelay(true);
    this.socket = sock;
    sock.on('connect', () => {
      if (this.socket !== sock) return;
      this.o.stats.lastError = undefined;
      this.state = 'loggingIn';
      this.sendLogin();
    });
    this.splitter.reset();
    sock.on('data', (chunk: Buffer) => {
      if (this.socket !== sock) return;
      // decodeFrame copies what it keeps, so the splitter's views need no copy here.
      const err = this.splitter.push(chunk, (f) => this.onFrame(f));
      if (err) {
        this.o.stats.badReplies++;
        this.drop(true);
      }
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      this.o.stats.connectErrors++;
      this.o.stats.lastError = `${e.code ?? e.message}`;
    });
    sock.on('close', () => {
      if (this.socket !== sock) return;
      const wasOnline = this.state === 'online';
      this.socket = undefined;
      this.state = 'idle';
      if (wasOnline) this.o.stats.connected--;
      // Reconnect soon (≥ 30 s simulated, ≥ 2 s wall) after a lost link.
      this.nextAttemptS = Math.max(this.nextAttemptS, this.tS + Math.max(30, 2 * this.o.speed) * (0.5 + ((this.v.vin.charCodeAt(16) % 10) / 10)));
    });
  }

  private drop(reconnectSoon: boolean): void {
    const s = this.socket;
    if (this.state === 'online') this.o.stats.connected--;
    this.socket = undefined;
    this.state = 'idle';
    if (s) s.destroy();
    if (reconnectSoon) this.nextAttemptS = this.tS + 10;
  }

  private sendLogin(): void {
    this.loginSerial = this.serial.next(this.simMs);
    this.loginSentS = this.tS;
    const v = this.v;
    const body =
      v.edition === 2016
        ? { serial: this.loginSerial, iccid: v.iccid, packCount: v.spec.battery.packs, packCodeLength: 0, packCodes: [] }
        : { serial: this.loginSerial, iccid: v.iccid, bmsCount: 1, packCodes: [Array.from({ length: v.spec.battery.packs }, (_, i) => packCode(v.vin, i))] };
    this.send(encodeSimple(v.edition, 'vehicleLogin', v.vin, this.simMs, body), 'vehicleLogin');
  }

  private sendReport(s: Snapshot, command: 'realtime' | 'reissue', typeIds?: readonly number[]): void {
    const bytes = encodeReport(this.v, s, command, this.o.key?.privateKey, typeIds);
    this.send(bytes, command);
  }

  private store(s: Snapshot): void {
    this.offline.push(s);
    this.o.stats.stored++;
  }

  private send(bytes: Uint8Array, what: string): void {
    const sock = this.socket;
    if (!sock) return;
    sock.write(bytes);
    this.lastSentS = this.tS;
    const st = this.o.stats;
    st.sent[what] = (st.sent[what] ?? 0) + 1;
    st.bytesSent += bytes.length;
    if (what === 'vehicleLogin' || what === 'heartbeat') this.pending.set(what, performance.now());
    this.o.onSent?.(this.v.vin, bytes);
  }

  /** Malformed-frames fault: writes deliberately broken frames on the open link. */
  sendMalformed(): void {
    if (!this.online) return;
    for (const f of malformedFrames(this.v, this.simMs)) this.send(f, 'malformed');
  }

  private onFrame(bytes: Uint8Array): void {
    const f = decodeFrame(bytes);
    const st = this.o.stats;
    if (!f.ok) {
      st.badReplies++;
      return;
    }
    if (f.response !== 'command') {
      st.replies++;
      this.onReply(f);
      return;
    }
    st.platformCommands++;
    this.onCommand(f);
  }

  private onReply(f: Frame): void {
    const started = this.pending.get(f.command);
    if (started !== undefined) {
      const lat = this.o.stats.latenciesMs;
      lat.push(performance.now() - started);
      if (lat.length > 20_000) lat.splice(0, 10_000); // the summary uses the most recent 5,000
      this.pending.delete(f.command);
    }
    if (f.command === 'vehicleLogin' && this.state === 'loggingIn') {
      if (f.response === 'success') {
        this.state = 'online';
        this.loginAttempts = 0;
        this.o.stats.connected++;
        this.o.stats.logins++;
      } else {
        this.o.stats.loginRejected++;
        this.loginFailed();
      }
    } else if (f.response !== 'success') this.o.stats.errorReplies++;
  }

  private onCommand(f: Frame): void {
    const ed = this.v.edition;
    const reply = (body: object, response: 'success' | 'error'): void =>
      this.send(encodeSimple(ed, f.command, this.v.vin, this.simMs, body, response), `reply:${f.command}`);
    if (f.command === 'paramQuery') {
      const ids = (f.body as ParamsBody).params.map((p) => p.id);
      const params = answerQuery(this.params, ids);
      if (params) reply({ params }, 'success');
      else reply({}, 'error');
    } else if (f.command === 'paramSet') {
      const ok = applySetting(this.params, (f.body as ParamsBody).params, ed);
      reply({}, ok ? 'success' : 'error');
    } else if (f.command === 'terminalControl') {
      const c = f.body as TerminalControlBody;
      reply({}, 'success');
      // 0x02 shutdown, 0x03 reset, 0x05 disconnect (spec §11.4): drop the link after the reply.
      if (c.controlId === 0x02) {
        this.drop(false);
        this.nextAttemptS = this.tS + 3600;
      } else if (c.controlId === 0x03 || c.controlId === 0x05) this.drop(true);
      else if (c.controlId === 0x04) Object.assign(this.params, defaultParams(ed, this.params.platformDomain, this.params.platformPort, this.o.reportPeriodS, this.o.heartbeatPeriodS));
    }
  }

  close(): void {
    if (this.online) this.send(encodeSimple(this.v.edition, 'vehicleLogout', this.v.vin, this.simMs, { serial: this.loginSerial }), 'vehicleLogout');
    const s = this.socket;
    this.socket = undefined;
    if (this.state === 'online') this.o.stats.connected--;
    this.state = 'idle';
    s?.end();
  }
}

/** A 24-character pack code (GB/T 34014 shape) derived from the VIN. */
function packCode(vin: string, i: number): string {
  return `P${vin.slice(3, 17)}B${String(i + 1).padStart(2, '0')}`.padEnd(24, '0').slice(0, 24);
}
