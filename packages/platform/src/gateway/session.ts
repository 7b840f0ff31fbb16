// One terminal or lower-platform connection: the Annex B state machine (spec §13) over any
// duplex byte stream (net.Socket, tls.TLSSocket, or stream.duplexPair() in tests).
//
// Backpressure (architecture.md, mqtt.js style): after a chunk is split, the transport is paused
// until every frame of that chunk is handled — logged, and answered only once the log append has
// resolved — so a slow log slows the sender instead of growing memory.
import type { Duplex } from 'node:stream';
import {
  decodeFrame,
  frameTimeText,
  frameVinText,
  isValidDataFrame,
  scanFrame,
  FrameSplitter,
  RESPONSE_IDS,
  replyCode,
  replyFromBytes,
  replyFromBytesInto,
  replyLength,
  type CommandName,
  type DecodeOptions,
  type Frame,
  type RawReplyShape,
  type Version,
} from '@nevhub/gbt32960';
import type { NewLogEntry } from '../log/types.js';
import type { PlatformAccount } from '../config/schema.js';
import { bump, observeAppend } from './metrics.js';
import type { SessionHost } from './host.js';
import { handleActivation, handlePlatformLogin, handleVehicleLogin } from './login.js';

/** Largest frame: 25 + 65531 (spec §1). A frame being assembled may hold this much per connection. */
const MAX_FRAME = 25 + 65531;
/** Command ID of a reissue frame and the 2025 start byte ("$$"), spec §1. */
const REISSUE = 0x03;
const START_2025 = 0x24;

/** What the log entry and the VIN rules need of a frame: a decoded Frame or a FrameScan has it. */
type FrameHead = Pick<Frame, 'vin' | 'version' | 'commandId' | 'time'>;
/** After a graceful end (reply, then close), the socket is destroyed if the peer never finishes. */
const END_GRACE_MS = 2000;

/** Errors that make the bytes untrustworthy as a whole (not just a body field). */
const FRAMING_ERRORS: ReadonlySet<string> = new Set([
  'GBT_ERR_START',
  'GBT_ERR_TRUNCATED',
  'GBT_ERR_LENGTH',
  'GBT_ERR_BCC',
]);

export type SessionState = 'new' | 'vehicle' | 'platform' | 'closed';

let sessionCounter = 0;
// Start time and pid: unique across the worker processes of a multi-process gateway (cluster.ts).
const sessionPrefix = `${Date.now().toString(36)}${process.pid.toString(36)}`;

export interface CloseOptions {
  /** Send pending replies first (end) instead of dropping the connection (destroy). */
  graceful?: boolean;
  /** The event was already recorded (login rejected, replaced, logout): do not add a 'disconnect'. */
  eventRecorded?: boolean;
}

export class Session {
  readonly id = `${sessionPrefix}-${(++sessionCounter).toString(36)}`;
  state: SessionState = 'new';
  /** Logged-in VIN of a vehicle link. */
  vin: string | undefined;
  version: Version | undefined;
  loginSerial: number | undefined;
  /** Lower-platform account of a platform link (spec §6.3). */
  account: PlatformAccount | undefined;
  /** VINs logged in through this platform link. */
  readonly platformVins = new Set<string>();
  closeReason: string | undefined;

  private readonly splitter: FrameSplitter;
  private preLoginBytes = 0;
  private preLoginFrames = 0;
  /** The idle timer and when bytes were last read (performance.now()); see onIdleTimer. */
  private idle: NodeJS.Timeout;
  private lastRead = performance.now();
  private readonly closedWaiters: (() => void)[] = [];
  /** Per-frame events are debug level (architecture.md); the check keeps them free when off. */
  private readonly debug: boolean;
  private busy = false;
  /** The batch being handled (settles, never rejects); awaited by a graceful shutdown. */
  private batch: Promise<void> = Promise.resolve();
  private readonly decodeOptions: DecodeOptions;
  private endedByPeer = false;

  constructor(
    readonly host: SessionHost,
    readonly transport: Duplex,
    readonly peer: string,
  ) {
    const o = host.options;
    this.debug = host.deps.logger.isLevelEnabled('debug');
    this.decodeOptions = { lenient: o.lenient };
    // Bounded reassembly buffer: one maximal frame (spec §1: L ≤ 65531). Before login the byte
    // count of onData is the tighter bound (preLoginMaxBytes).
    this.splitter = new FrameSplitter({
      maxFrameLength: MAX_FRAME,
      maxBufferedBytes: MAX_FRAME,
      onGarbage: (n) => (host.counters.garbageBytes += n),
    });
    this.idle = this.armIdle(o.idleTimeoutMs);
    transport.on('data', (chunk: Buffer) => this.onData(chunk));
    transport.on('error', (err: Error) => this.close(`transport error: ${err.message}`));
    // The server runs with allowHalfOpen, so a peer that sends its last frames and half-closes
    // still gets the replies to them: the close waits for the batch in progress.
    transport.on('end', () => {
      if (this.busy) this.endedByPeer = true;
      else this.close('closed by peer', { graceful: true });
    });
    transport.on('close', () => this.close('closed by peer'));
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  get loggedIn(): boolean {
    return this.state === 'vehicle' || this.state === 'platform';
  }

  /** Resolves when the frames already read have been handled (appended or dropped). */
  settled(): Promise<void> {
    return this.batch;
  }

  /** Resolves once the session has closed. */
  whenClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.closedWaiters.push(resolve));
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    const m = this.host.counters;
    m.bytesIn += chunk.length;
    this.lastRead = performance.now();
    // Bound before login: a client that sends more than preLoginMaxBytes without logging in is
    // closed — it holds no VIN and must not make the gateway buffer or decode on its behalf. The
    // chunk that carries the login is not held against it (checked after the batch); within one
    // chunk, preLoginMaxFrames bounds the frames decoded before a login.
    if (!this.loggedIn) this.preLoginBytes += chunk.length;
    // The frames are the splitter's views, valid until its next push. That push cannot come before
    // the batch is handled: the transport stays paused until then (below). The log copies what it
    // appends; a frame kept longer (a decoded frame, see handleBatch) is copied first.
    const frames: Uint8Array[] = [];
    const err = this.splitter.push(chunk, (f) => frames.push(f));
    if (frames.length === 0) {
      if (err) this.close(`${err.code}: ${err.message}`);
      else this.checkPreLogin();
      return;
    }
    this.transport.pause();
    this.busy = true;
    this.batch = this.handleBatch(frames).then(
      () => {
        this.busy = false;
        if (err) this.close(`${err.code}: ${err.message}`);
        else if (!this.checkPreLogin()) return;
        else if (this.endedByPeer) this.close('closed by peer', { graceful: true });
        else if (!this.closed) this.transport.resume();
      },
      (e: unknown) => {
        this.busy = false;
        // After close (e.g. shutdown) a failing append is expected: nothing was acknowledged.
        if (this.closed)
          this.host.deps.logger.debug({ err: e, session: this.id }, 'batch failed after close');
        else this.host.deps.logger.error({ err: e, session: this.id }, 'session failed');
        this.close(`internal error: ${(e as Error).message}`);
      },
    );
  }

  private armIdle(ms: number): NodeJS.Timeout {
    const t = setTimeout(() => this.onIdleTimer(), ms);
    t.unref();
    return t;
  }

  /**
   * Idle timeout (default 180 s). A read does not move the timer (a timer-list update for every
   * chunk, measurable at 10,000s of chunks a second); it only notes the time, and the timer, when
   * it fires, closes the session or re-arms itself for what is left since the last read.
   */
  private onIdleTimer(): void {
    if (this.closed) return;
    const ms = this.host.options.idleTimeoutMs;
    const left = this.lastRead + ms - performance.now();
    if (left > 0) this.idle = this.armIdle(left);
    else this.close(`idle timeout ${ms / 1000} s`);
  }

  /** False (and the session closed) when the pre-login byte bound is exceeded. */
  private checkPreLogin(): boolean {
    if (this.closed) return false;
    if (this.loggedIn || this.preLoginBytes <= this.host.options.preLoginMaxBytes) return true;
    this.close(`no login within ${this.host.options.preLoginMaxBytes} bytes`);
    return false;
  }

  /**
   * Handles the frames of one chunk in order. Consecutive accepted realtime/reissue frames are
   * appended in one call (group commit); any other frame first flushes that group, so a login is
   * always durable and answered before the data that follows it.
   *
   * The common chunk (a logged-in terminal's realtime/reissue frames, all valid) takes the fast
   * path: scanned in one synchronous loop, one append, one promise to the reply. Only a chunk with
   * any other frame goes through the general, awaiting loop (handleMixed), from that frame on.
   */
  private handleBatch(frames: Uint8Array[]): Promise<void> {
    const entries: NewLogEntry[] = [];
    const decodeOptions = this.decodeOptions;
    let i = 0;
    if (this.loggedIn) {
      const receivedAt = Date.now();
      let reissues = 0;
      for (; i < frames.length; i++) {
        const raw = frames[i];
        // A realtime/reissue command frame validated exactly as decodeFrame would
        // (isValidDataFrame = scanFrame's ok, codec scan.test.ts), building nothing; the store
        // writer decodes it from the log. Anything else (another command, an invalid frame,
        // another VIN) is handled and counted by handleMixed, from this frame on.
        if (!isValidDataFrame(raw, decodeOptions)) break;
        const vin = frameVinText(raw);
        if (!this.vinAllowed(vin)) break;
        if (raw[2] === REISSUE) reissues++;
        if (this.debug) this.logFrame(raw[2] === REISSUE ? 'reissue' : 'realtime', vin, true, raw);
        entries.push(this.entryOf(vin, raw[0] === START_2025 ? 2025 : 2016, raw[2], frameTimeText(raw), receivedAt, raw));
      }
      // Counted per chunk, not per frame.
      const counts = this.host.counters.framesByCommand;
      if (i > reissues) bump(counts, 'realtime', i - reissues);
      if (reissues > 0) bump(counts, 'reissue', reissues);
    }
    if (i === frames.length) return this.appendGroup(entries);
    return this.handleMixed(frames, i, entries);
  }

  /** Counts a frame by command; per-frame events are debug level (architecture.md). */
  private countFrame(command: CommandName, vin: string, ok: boolean, raw: Uint8Array): void {
    bump(this.host.counters.framesByCommand, command);
    if (this.debug) this.logFrame(command, vin, ok, raw);
  }

  private logFrame(command: CommandName, vin: string, ok: boolean, raw: Uint8Array): void {
    this.host.deps.logger.debug({ session: this.id, vin, command, ok, bytes: raw.length }, 'frame');
  }

  /** Appends a group of accepted realtime/reissue frames; once durable, acknowledges them (ackRealtime). */
  private appendGroup(entries: NewLogEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return this.append(entries).then(() => {
      if (this.closed || !this.host.options.ackRealtime) return;
      // The replies of the whole group in one buffer and one socket write.
      let size = 0;
      for (const e of entries) size += replyLength(e.raw, 'timeOnly');
      const out = Buffer.allocUnsafe(size);
      const now = this.host.options.now();
      let at = 0;
      for (const e of entries) at = replyFromBytesInto(e.raw, RESPONSE_IDS.success, 'timeOnly', out, at, now);
      this.write(out, entries.length);
    });
  }

  /** The general loop, from frames[from] on; `entries` = the group accepted before it. */
  private async handleMixed(frames: Uint8Array[], from: number, entries: NewLogEntry[]): Promise<void> {
    let groupEntries = entries;
    const flush = (): Promise<void> => {
      const p = this.appendGroup(groupEntries);
      groupEntries = [];
      return p;
    };
    const decodeOptions = this.decodeOptions;
    for (let k = from; k < frames.length; k++) {
      if (this.closed) return;
      let raw = frames[k];
      let frame: Frame;
      if (this.loggedIn && isDataFrame(raw)) {
        const scan = scanFrame(raw, decodeOptions);
        this.countFrame(scan.command, scan.vin, scan.ok, raw);
        if (scan.ok) {
          if (!this.vinAllowed(scan.vin)) {
            await flush();
            this.spoofed(raw, scan);
            return;
          }
          groupEntries.push(this.entry(scan, raw));
          continue;
        }
        frame = scan.decode();
      } else {
        // A decoded frame may outlive the batch (a downlink reply goes to its caller) and may
        // hold views of its bytes: it gets its own copy, not a view of the splitter's buffer.
        raw = raw.slice();
        frame = decodeFrame(raw, decodeOptions);
        this.countFrame(frame.command, frame.vin, frame.ok, raw);
      }
      await flush();
      await this.handleFrame(frame, raw);
    }
    await flush();
  }

  /** Every frame other than accepted realtime/reissue (Annex B per command). */
  private async handleFrame(frame: Frame, raw: Uint8Array): Promise<void> {
    const m = this.host.counters;
    if (
      frame.responseId !== RESPONSE_IDS.command &&
      frame.commandId >= 0x80 &&
      frame.commandId <= 0x82 &&
      frame.vin !== ''
    ) {
      // The terminal's reply to a downlink command (spec §11): logged and matched, even when its
      // body does not decode (kept raw for inspection).
      if (!frame.ok) bump(m.decodeErrors, frame.error?.code ?? 'unknown');
      const intact = frame.ok || !FRAMING_ERRORS.has(frame.error?.code ?? '');
      if (intact && this.loggedIn && this.vinAllowed(frame.vin)) await this.host.downlinkReply(this, frame, raw);
      return;
    }
    if (!frame.ok) {
      // A wrong frame gets an error reply (spec §13 "Platform validation of 0x02"), is counted and
      // is NOT logged as data. Replies are never answered (spec §4).
      const code = frame.error?.code ?? 'unknown';
      bump(m.decodeErrors, code);
      this.host.deps.logger.debug(
        { session: this.id, vin: frame.vin, code, message: frame.error?.message },
        'decode error',
      );
      if (!this.loggedIn && ++this.preLoginFrames > this.host.options.preLoginMaxFrames) {
        this.close(`no login within ${this.host.options.preLoginMaxFrames} frames`);
        return;
      }
      if (frame.responseId === RESPONSE_IDS.command)
        this.reply(raw, replyCode(frame.version, errorResponse(code)), 'timeOnly');
      return;
    }
    if (frame.responseId !== RESPONSE_IDS.command) return; // a reply is never answered (spec §4)
    switch (frame.command) {
      case 'vehicleLogin':
        return handleVehicleLogin(this, frame, raw);
      case 'platformLogin':
        return handlePlatformLogin(this, frame, raw);
      case 'activation':
        return handleActivation(this, frame, raw);
      default:
        break;
    }
    if (!this.loggedIn) {
      // Only login (and 2025 activation) may come first (spec §13 "Connection/login").
      if (++this.preLoginFrames > this.host.options.preLoginMaxFrames)
        this.close(`no login within ${this.host.options.preLoginMaxFrames} frames`);
      return;
    }
    switch (frame.command) {
      case 'heartbeat':
        this.reply(raw, RESPONSE_IDS.success, 'empty'); // spec §6.5: ack 0x01, L=0
        return;
      case 'timeSync':
        this.reply(raw, RESPONSE_IDS.success, 'platformTime'); // spec §6.5: ack with platform time
        return;
      case 'vehicleLogout':
        return this.vehicleLogout(frame, raw);
      case 'platformLogout':
        if (this.state !== 'platform') return;
        this.reply(raw, RESPONSE_IDS.success, 'timeOnly');
        this.host.recordEvent({
          vin: this.account?.username ?? frame.vin,
          kind: 'platformLogout',
          at: Date.now(),
          sessionId: this.id,
          peer: this.peer,
        });
        this.close('platform logout', { graceful: true, eventRecorded: true });
        return;
      case 'keyExchange':
      case 'custom':
        // Key exchange (2025, spec §12.3) and custom data (0xC0–0xFE) are kept in the log; no reply defined.
        if (!this.vinAllowed(frame.vin)) return this.spoofed(raw, frame);
        await this.append([this.entry(frame, raw)]);
        return;
      default:
        // Downlink commands sent upward, activation responses, realtime before... : ignored.
        return;
    }
  }

  private async vehicleLogout(frame: Frame, raw: Uint8Array): Promise<void> {
    if (!this.vinAllowed(frame.vin)) return this.spoofed(raw, frame);
    await this.append([this.entry(frame, raw)]);
    this.reply(raw, RESPONSE_IDS.success, 'timeOnly');
    const serial = (frame.body as { serial?: number }).serial;
    this.host.recordEvent({
      vin: frame.vin,
      kind: 'logout',
      at: Date.now(),
      sessionId: this.id,
      peer: this.peer,
      serial,
    });
    if (this.state === 'platform') {
      this.platformVins.delete(frame.vin);
      return;
    }
    this.close('vehicle logout', { graceful: true, eventRecorded: true });
  }

  /** A data frame must carry the logged-in VIN (vehicle link) or an allowed VIN (platform link). */
  vinAllowed(vin: string): boolean {
    if (this.state === 'vehicle') return vin === this.vin;
    if (this.state === 'platform') {
      const allowed = this.account?.allowedVins ?? [];
      return allowed === '*' || allowed.includes(vin);
    }
    return false;
  }

  /**
   * A newer login of `vin` (on this gateway or another worker) takes over: the 'replaced' event
   * is recorded here and the connection closed (spec §13 "Disconnect").
   */
  replacedBy(vin: string, by: { sessionId: string; peer: string }): void {
    this.host.recordEvent({
      vin,
      kind: 'replaced',
      at: Date.now(),
      sessionId: this.id,
      peer: this.peer,
      reason: `replaced by session ${by.sessionId} from ${by.peer}`,
    });
    this.close('replaced', { eventRecorded: true });
  }

  private spoofed(raw: Uint8Array, frame: FrameHead): void {
    this.reply(raw, RESPONSE_IDS.error, 'timeOnly');
    const reason =
      this.state === 'vehicle'
        ? `VIN ${frame.vin} differs from the logged-in VIN ${this.vin ?? ''}`
        : `VIN ${frame.vin} not allowed for platform ${this.account?.username ?? ''}`;
    this.host.recordEvent({
      vin: frame.vin,
      kind: 'rejected',
      at: Date.now(),
      sessionId: this.id,
      peer: this.peer,
      reason,
    });
    this.close(reason, { graceful: true });
  }

  entry(frame: FrameHead, raw: Uint8Array): NewLogEntry {
    return this.entryOf(frame.vin, frame.version, frame.commandId, frame.time, Date.now(), raw);
  }

  private entryOf(vin: string, version: Version, commandId: number, collectedAt: string | null, receivedAt: number, raw: Uint8Array): NewLogEntry {
    return { vin, version, commandId, collectedAt, receivedAt, sessionId: this.id, peer: this.peer, raw };
  }

  /** Appends to the frame log; resolves once durable (the caller replies only after this). */
  append(entries: NewLogEntry[]): Promise<number[]> {
    const t0 = performance.now();
    return this.host.deps.log.append(entries).then((seqs) => {
      const m = this.host.counters;
      observeAppend(m, performance.now() - t0);
      m.framesLogged += entries.length;
      this.host.deps.onAppended?.();
      return seqs;
    });
  }

  /** Writes a reply built from the request bytes. */
  reply(request: Uint8Array, responseId: number, shape: RawReplyShape): void {
    this.write(replyFromBytes(request, responseId, shape, this.host.options.now()));
  }

  /**
   * Bounded write queue: if the peer does not read and more than maxWriteQueueBytes of replies are
   * waiting in the socket, the connection is destroyed ('slow consumer') rather than buffering
   * without limit.
   */
  write(bytes: Uint8Array, replies = 1): void {
    if (this.closed) return;
    this.transport.write(bytes);
    this.host.counters.repliesSent += replies;
    if (this.transport.writableLength > this.host.options.maxWriteQueueBytes) this.close('slow consumer');
  }

  close(reason: string, opts: CloseOptions = {}): void {
    if (this.closed) return;
    const wasVehicle = this.state === 'vehicle';
    this.state = 'closed';
    this.closeReason = reason;
    clearTimeout(this.idle);
    this.host.sessionClosed(this, reason);
    if (!opts.eventRecorded && (wasVehicle || this.account)) {
      this.host.recordEvent({
        vin: this.vin ?? this.account?.username ?? '',
        kind: 'disconnect',
        at: Date.now(),
        sessionId: this.id,
        peer: this.peer,
        reason,
      });
    }
    this.host.deps.logger.debug(
      { session: this.id, vin: this.vin, peer: this.peer, reason },
      'session closed',
    );
    if (opts.graceful && !this.transport.destroyed) {
      this.transport.end();
      setTimeout(() => this.transport.destroy(), END_GRACE_MS).unref();
    } else {
      this.transport.destroy();
    }
    for (const w of this.closedWaiters.splice(0)) w();
  }
}

/** A realtime (0x02) or reissue (0x03) command frame: the bulk of the traffic. */
function isDataFrame(raw: Uint8Array): boolean {
  return raw.length > 3 && (raw[2] === 0x02 || raw[2] === 0x03) && raw[3] === RESPONSE_IDS.command;
}

/** 2025 reply codes for decode failures (spec §4); replyCode() maps them to 0x02 on 2016 links. */
function errorResponse(code: string): 'signatureError' | 'decryptionError' | 'structureError' {
  if (code === 'GBT_ERR_SIGNATURE' || code === 'GBT_ERR_MISSING_SIGNATURE') return 'signatureError';
  if (code === 'GBT_ERR_DECRYPT') return 'decryptionError';
  return 'structureError';
}
