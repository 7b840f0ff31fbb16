// A small fake platform for tests: a real TCP server that splits frames, decodes them, answers
// logins (success, or vinDuplicate for a second live session of the same VIN) and heartbeats with
// time-only / empty replies (spec §4), and records every decoded frame.
import { createServer, type Server, type Socket } from 'node:net';
import { decodeFrame, encodeFrame, FrameSplitter, type Frame } from '@nevhub/gbt32960';

export interface Received {
  frame: Frame;
  bytes: Buffer;
  socket: Socket;
  /** The terminal's source address (kept: a closed socket forgets it). */
  remoteAddress: string | undefined;
}

export class FakePlatform {
  readonly received: Received[] = [];
  readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private readonly live = new Map<string, Socket>();
  port = 0;

  async start(): Promise<number> {
    const server = createServer((sock) => {
      this.sockets.add(sock);
      const sp = new FrameSplitter();
      sock.on('data', (c: Buffer) => {
        // Frames are views valid only during the callback (splitter contract): keep a copy.
        const err = sp.push(c, (b) => this.onFrame(Buffer.from(b), sock));
        if (err) sock.destroy();
      });
      sock.on('error', () => undefined);
      sock.on('close', () => {
        this.sockets.delete(sock);
        for (const [vin, s] of this.live) if (s === sock) this.live.delete(vin);
      });
    });
    this.server = server;
    await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, r));
    this.port = (server.address() as { port: number }).port;
    return this.port;
  }

  private onFrame(bytes: Buffer, sock: Socket): void {
    const frame = decodeFrame(bytes);
    this.received.push({ frame, bytes, socket: sock, remoteAddress: sock.remoteAddress });
    if (!frame.ok || frame.response !== 'command') return;
    if (frame.command === 'vehicleLogin') {
      const other = this.live.get(frame.vin);
      const dup = other !== undefined && other !== sock && !other.destroyed;
      if (!dup) this.live.set(frame.vin, sock);
      sock.write(encodeFrame({ version: frame.version, command: 'vehicleLogin', response: dup ? 'vinDuplicate' : 'success', vin: frame.vin, time: frame.time, body: {} }));
    } else if (frame.command === 'heartbeat') {
      sock.write(encodeFrame({ version: frame.version, command: 'heartbeat', response: 'success', vin: frame.vin, time: null, body: {} }));
    }
  }

  /** Sends a platform command to the session of `vin`. */
  send(vin: string, bytes: Uint8Array): void {
    this.live.get(vin)?.write(bytes);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
