// Prometheus metrics (text exposition format 0.0.4), without a client library: a few counters and
// two histograms are all nevhub exposes. The gateway keeps its own counters (Gateway.metrics());
// they are read at scrape time and merged here, so there is one /metrics for the whole process.

type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${labels[k].replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}

export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const v = this.values.get(key);
    if (v) v.value += by;
    else this.values.set(key, { labels, value: by });
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }

  render(type = 'counter'): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} ${type}\n`;
    for (const [key, v] of this.values) out += `${this.name}${key} ${v.value}\n`;
    return out;
  }
}

/** Default buckets in seconds: an SQLite group commit is sub-millisecond to tens of ms. */
const SECOND_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[] = SECOND_BUCKETS,
  ) {
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) this.counts[i]++;
  }

  /** Times `fn` (sync or async) and observes its duration in seconds. */
  async time<T>(fn: () => Promise<T> | T): Promise<T> {
    const t0 = process.hrtime.bigint();
    try {
      return await fn();
    } finally {
      this.observe(Number(process.hrtime.bigint() - t0) / 1e9);
    }
  }

  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    for (let i = 0; i < this.buckets.length; i++) out += `${this.name}_bucket{le="${this.buckets[i]}"} ${this.counts[i]}\n`;
    out += `${this.name}_bucket{le="+Inf"} ${this.count}\n${this.name}_sum ${this.sum}\n${this.name}_count ${this.count}\n`;
    return out;
  }
}

/**
 * What the gateway reports (Gateway.metrics()). Read loosely: each field is optional so the API
 * works with any gateway build; unknown fields are ignored.
 */
export interface GatewayMetricsSnapshot {
  connections?: number;
  framesByCommand?: Record<string, number>;
  decodeErrorsByCode?: Record<string, number>;
  /** Log-append latency in ms; counts per bucket (not cumulative), last entry = +Inf. */
  appendLatencyMs?: { buckets: readonly number[]; counts: number[]; sum: number; count: number };
}

function numberRecord(x: unknown): Record<string, number> | undefined {
  if (!x || typeof x !== 'object') return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(x)) if (typeof v === 'number') out[k] = v;
  return out;
}

function readMsHistogram(x: unknown): GatewayMetricsSnapshot['appendLatencyMs'] {
  if (!x || typeof x !== 'object') return undefined;
  const h = x as { buckets?: unknown; counts?: unknown; sum?: unknown; count?: unknown };
  if (!Array.isArray(h.buckets) || !Array.isArray(h.counts) || typeof h.sum !== 'number' || typeof h.count !== 'number') return undefined;
  return { buckets: h.buckets as number[], counts: h.counts as number[], sum: h.sum, count: h.count };
}

/** The gateway's ms histogram (per-bucket counts) as Prometheus seconds (cumulative buckets). */
function renderMsHistogram(name: string, help: string, h: NonNullable<GatewayMetricsSnapshot['appendLatencyMs']>): string {
  let out = `# HELP ${name} ${help}\n# TYPE ${name} histogram\n`;
  let cum = 0;
  for (let i = 0; i < h.buckets.length; i++) {
    cum += h.counts[i] ?? 0;
    out += `${name}_bucket{le="${h.buckets[i] / 1000}"} ${cum}\n`;
  }
  out += `${name}_bucket{le="+Inf"} ${h.count}\n${name}_sum ${h.sum / 1000}\n${name}_count ${h.count}\n`;
  return out;
}

/** Accepts the field names a gateway is likely to use for the same counters. */
export function readGatewayMetrics(raw: unknown): GatewayMetricsSnapshot {
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const num = (...keys: string[]): number | undefined => {
    for (const k of keys) if (typeof r[k] === 'number') return r[k];
    return undefined;
  };
  const rec = (...keys: string[]): Record<string, number> | undefined => {
    for (const k of keys) {
      const v = numberRecord(r[k]);
      if (v) return v;
    }
    return undefined;
  };
  return {
    connections: num('connectionsOpen', 'connections', 'openConnections'),
    framesByCommand: rec('framesByCommand', 'frames', 'framesTotal'),
    decodeErrorsByCode: rec('decodeErrorsByCode', 'decodeErrors', 'errorsByCode'),
    appendLatencyMs: readMsHistogram(r.appendLatencyMs),
  };
}

export class PlatformMetrics {
  readonly httpRequests = new Counter('nevhub_http_requests_total', 'HTTP requests served by the API, by method, route and status');
  /** Frames counted in this process when no gateway reports them (e.g. a standalone API). */
  readonly frames = new Counter('nevhub_frames_total', 'Frames accepted, by command');
  readonly decodeErrors = new Counter('nevhub_decode_errors_total', 'Frames that failed to decode, by error code');
  readonly logAppendSeconds = new Histogram('nevhub_log_append_seconds', 'Frame-log append (group commit) duration');
  readonly storeApplySeconds = new Histogram('nevhub_store_apply_seconds', 'Store applyFrames batch duration');

  /** Renders everything; `gateway` is the gateway's metrics() result, when there is one. */
  render(gatewayRaw?: unknown, extra?: { liveClients?: number }): string {
    const g = readGatewayMetrics(gatewayRaw);
    const frames = new Counter(this.frames.name, this.frames.help);
    const errors = new Counter(this.decodeErrors.name, this.decodeErrors.help);
    for (const [command, n] of Object.entries(g.framesByCommand ?? {})) frames.inc({ command }, n);
    for (const [code, n] of Object.entries(g.decodeErrorsByCode ?? {})) errors.inc({ code }, n);
    let out = `# HELP nevhub_connections Open terminal and platform connections on the gateway\n# TYPE nevhub_connections gauge\nnevhub_connections ${g.connections ?? 0}\n`;
    out += g.framesByCommand ? frames.render() : this.frames.render();
    out += g.decodeErrorsByCode ? errors.render() : this.decodeErrors.render();
    out += g.appendLatencyMs
      ? renderMsHistogram(this.logAppendSeconds.name, this.logAppendSeconds.help, g.appendLatencyMs)
      : this.logAppendSeconds.render();
    out += this.storeApplySeconds.render();
    out += this.httpRequests.render();
    out += `# HELP nevhub_live_clients Connected WebSocket live clients\n# TYPE nevhub_live_clients gauge\nnevhub_live_clients ${extra?.liveClients ?? 0}\n`;
    return out;
  }
}
