// The /api/v1/live WebSocket with reconnect (exponential backoff, capped). Every (re)open calls
// onOpen so the app refetches the full state over REST: whatever happened while the socket was
// down is not replayed by the server.
import { apiUrl } from '../api/client.js';
import type { LiveMessage } from '../api/types.js';

export type SocketState = 'connecting' | 'open' | 'closed';

export interface LiveSocketHandlers {
  onMessage: (m: LiveMessage) => void;
  onOpen: () => void;
  onState: (s: SocketState) => void;
}

export class LiveSocket {
  private ws: WebSocket | null = null;
  private retryMs = 1000;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly token: string,
    private readonly handlers: LiveSocketHandlers,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.ws?.close();
    this.ws = null;
  }

  private connect(): void {
    const url = new URL(apiUrl('/live'));
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', this.token);
    this.handlers.onState('connecting');
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      this.retryMs = 1000;
      this.handlers.onState('open');
      this.handlers.onOpen();
    };
    ws.onmessage = (ev: MessageEvent<string>) => {
      try {
        this.handlers.onMessage(JSON.parse(ev.data) as LiveMessage);
      } catch {
        // a malformed message must not kill the stream
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.handlers.onState('closed');
      if (this.stopped) return;
      this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 15000);
    };
  }
}
