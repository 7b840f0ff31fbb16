// Platform → terminal commands (Annex B, spec §11): parameter query 0x80, setting 0x81, terminal
// control 0x82. The platform re-sends when no reply arrives within the platform response timeout
// (parameter 0x0B, spec §11.3) and stops after 3 attempts (spec §13 "Query/setting", "Control").
import {
  beijingTime,
  encodeFrame,
  type Frame,
  type ParamsBody,
  type TerminalControlBody,
} from '@nevhub/gbt32960';
import type { Logger } from 'pino';
import type { GatewayMetrics } from './metrics.js';
import type { Session } from './session.js';

export type DownlinkCommand = 'paramQuery' | 'paramSet' | 'terminalControl';

const COMMAND_IDS: Record<DownlinkCommand, number> = {
  paramQuery: 0x80,
  paramSet: 0x81,
  terminalControl: 0x82,
};

export interface DownlinkRequest {
  command: DownlinkCommand;
  /** paramQuery: params with ids only; paramSet: ids with values (see paramsWithLengths); terminalControl: one control. */
  body: ParamsBody | TerminalControlBody;
}

export interface DownlinkOptions {
  /** Per attempt; default downlink.timeoutSec of the configuration. */
  timeoutMs?: number;
  /** Default downlink.attempts (3, spec §13). */
  attempts?: number;
}

export interface DownlinkOutcome {
  /** success: reply flag 0x01; error: any other reply flag; timeout: no reply after every attempt; offline: no live session. */
  status: 'success' | 'error' | 'timeout' | 'offline';
  reply?: Frame;
  /** Log position of the stored reply. */
  replySeq?: number;
  attempts: number;
}

interface Pending {
  resolve: (r: { frame: Frame; seq: number } | undefined) => void;
}

export interface DownlinkHost {
  onlineSession(vin: string): Session | undefined;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly defaults: { timeoutMs: number; attempts: number };
}

export class Downlink {
  /** Waiting commands by `${vin}:${commandId}`: one outstanding command per VIN and command id,
   * because a reply carries nothing else to match it by (spec §11). Later calls queue behind it. */
  private readonly pending = new Map<string, Pending>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly host: DownlinkHost) {}

  send(vin: string, request: DownlinkRequest, options: DownlinkOptions = {}): Promise<DownlinkOutcome> {
    const key = `${vin}:${COMMAND_IDS[request.command]}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.then(() => this.run(vin, key, request, options));
    const tail = run.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }

  private async run(
    vin: string,
    key: string,
    request: DownlinkRequest,
    options: DownlinkOptions,
  ): Promise<DownlinkOutcome> {
    const timeoutMs = options.timeoutMs ?? this.host.defaults.timeoutMs;
    const attempts = options.attempts ?? this.host.defaults.attempts;
    const m = this.host.metrics.downlink;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const session = this.host.onlineSession(vin);
      if (!session || session.closed || session.version === undefined) {
        m.offline++;
        return { status: 'offline', attempts: attempt - 1 };
      }
      // Encode per attempt: each carries the current platform time (spec §11: data unit starts with time).
      const bytes = encodeFrame({
        version: session.version,
        command: request.command,
        response: 'command',
        vin,
        time: beijingTime(new Date()),
        body: request.body,
      });
      const got = new Promise<{ frame: Frame; seq: number } | undefined>((resolve) => {
        const timer = setTimeout(() => finish(undefined), timeoutMs);
        const finish = (r: { frame: Frame; seq: number } | undefined): void => {
          clearTimeout(timer);
          if (this.pending.get(key) === entry) this.pending.delete(key);
          resolve(r);
        };
        const entry: Pending = { resolve: finish };
        this.pending.set(key, entry);
        void session.whenClosed().then(() => finish(undefined));
      });
      session.write(bytes);
      m.sent++;
      this.host.logger.debug({ vin, command: request.command, attempt }, 'downlink sent');
      const reply = await got;
      if (reply) {
        const ok = reply.frame.response === 'success';
        if (ok) m.success++;
        else m.error++;
        return {
          status: ok ? 'success' : 'error',
          reply: reply.frame,
          replySeq: reply.seq,
          attempts: attempt,
        };
      }
    }
    m.timeout++;
    return { status: 'timeout', attempts };
  }

  /** A terminal reply (command 0x80–0x82, flag ≠ 0xFE): stored in the log first, then matched. */
  async onReply(session: Session, frame: Frame, raw: Uint8Array): Promise<boolean> {
    const key = `${frame.vin}:${frame.commandId}`;
    const [seq] = await session.append([session.entry(frame, raw)]);
    const p = this.pending.get(key);
    if (!p) {
      this.host.logger.debug(
        { vin: frame.vin, command: frame.command },
        'unmatched downlink reply (late or unsolicited), logged',
      );
      return false;
    }
    p.resolve({ frame, seq });
    return true;
  }
}
