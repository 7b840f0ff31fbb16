// The running fleet: one pacer for all vehicles (no per-vehicle timers). The simulated clock
// follows speed × wall clock in fixed 1 s steps; each second every vehicle steps and its terminal
// samples, reports and manages its link, in chunks with socket I/O in between (pacer.ts). Scenario events for terminals (outage, duplicate VIN,
// malformed frames) are applied here; vehicle faults live in the vehicles.
import { Rng } from './rng.js';
import { loadScenario } from './scenario/load.js';
import { buildFleet, resolveTarget, startTimeMs, type BuiltFleet } from './scenario/build.js';
import type { Scenario, ScenarioEvent } from './scenario/types.js';
import { Terminal } from './terminal/terminal.js';
import { newVehicleKey } from './terminal/signer.js';
import { newStats, percentile, type FleetStats } from './terminal/stats.js';
import { Pacer, SecondStepper } from './pacer.js';

export interface FleetOptions {
  /** Built-in name, file path or parsed scenario. */
  scenario: string | Scenario | object;
  target: { host: string; port: number };
  /** Simulated seconds per wall second (default 1). */
  speed?: number;
  seed?: number;
  /** Scale the fleet to this many vehicles. */
  vehicles?: number;
  /** One-line status messages (unreachable platform, …). */
  log?: (line: string) => void;
  /** Every frame written by any terminal. */
  onSent?: (vin: string, frame: Uint8Array) => void;
  /** Simulated start instant (overrides the scenario's). */
  startMs?: number;
  /** Tests: do not start the wall-clock interval; drive with advance(). */
  manual?: boolean;
}

export interface FleetSummary {
  vehicles: number;
  simTime: string;
  simSeconds: number;
  /** Simulated seconds per wall second achieved (below --speed when the CPU cannot keep up). */
  effectiveSpeed: number;
  online: number;
  /** Login replies with success (every login, reconnections included). */
  logins: number;
  loginTimeouts: number;
  framesSent: Record<string, number>;
  replies: number;
  errorReplies: number;
  stored: number;
  p99ReplyMs: number;
  lastError: string | undefined;
}

export interface FleetHandle {
  stop(): Promise<void>;
  stats(): FleetSummary;
  /** Raw counters. */
  counters: FleetStats;
  fleet: BuiltFleet;
  terminals: Terminal[];
  scenario: Scenario;
  /** Chunked per-second stepping (tests read its bounds and counters). */
  stepper: SecondStepper;
  /** Advances n simulated seconds, yielding to I/O after every chunk of vehicles (manual mode, tests). */
  advance(seconds: number): Promise<void>;
}

/** Vehicles stepped between two chances for socket I/O. */
const CHUNK = 64;

export function startFleet(options: FleetOptions): FleetHandle {
  const scenario = typeof options.scenario === 'string' ? loadScenario(options.scenario) : loadScenario(options.scenario);
  const speed = options.speed ?? 1;
  const startMs = options.startMs ?? startTimeMs(scenario.start, Date.now());
  const fleet = buildFleet(scenario, { seed: options.seed, vehicles: options.vehicles, startMs });
  const stats = newStats();
  const term = (v: (typeof fleet.vehicles)[number], ghost = false): Terminal =>
    new Terminal({
      vehicle: v,
      host: options.target.host,
      port: options.target.port,
      key: v.edition === 2025 ? newVehicleKey() : undefined,
      reportPeriodS: scenario.reportPeriodS,
      heartbeatPeriodS: scenario.heartbeatPeriodS,
      speed,
      stats,
      onSent: options.onSent,
      ghost,
    });
  const terminals = fleet.vehicles.map((v) => term(v));
  const byVin = new Map(terminals.map((t) => [t.v.vin, t]));
  // Terminal-level events.
  const rng = new Rng((options.seed ?? scenario.seed) ^ 0x5eed);
  const outages: { ev: ScenarioEvent; set: Set<Terminal> }[] = [];
  const ghosts: { ev: ScenarioEvent; t: Terminal }[] = [];
  const malformed: { ev: ScenarioEvent; t: Terminal; nextS: number }[] = [];
  for (const ev of scenario.events) {
    const target = ev.vehicle ? resolveTarget(fleet, ev.vehicle) : undefined;
    if (ev.kind === 'networkOutage') {
      const set = new Set<Terminal>();
      if (target) set.add(byVin.get(target.vin) as Terminal);
      else for (const t of terminals) if (rng.chance(ev.fraction ?? 0.1)) set.add(t);
      outages.push({ ev, set });
    } else if (ev.kind === 'duplicateVin' && target) {
      const g = term(target, true);
      g.enabled = false;
      ghosts.push({ ev, t: g });
    } else if (ev.kind === 'malformedFrames' && target) malformed.push({ ev, t: byVin.get(target.vin) as Terminal, nextS: ev.atS });
  }
  let tS = 0;
  const inWindow = (ev: ScenarioEvent): boolean => tS >= ev.atS && tS < ev.atS + ev.durationS;
  const simMsAt = (s: number): number => startMs + s * 1000;
  const vehicles = fleet.vehicles;
  // One simulated second = begin (events), then per vehicle: physics step + terminal tick, in
  // chunks with I/O between them (pacer.ts), then the fleet-level faults.
  const stepper = new SecondStepper(
    {
      count: () => vehicles.length,
      begin: (s) => {
        tS = s;
        for (const o of outages) for (const t of o.set) t.blocked = inWindow(o.ev);
      },
      item: (i, s) => {
        vehicles[i].step(1);
        terminals[i].tick(s, simMsAt(s));
      },
      end: (s) => {
        const simMs = simMsAt(s);
        for (const g of ghosts) {
          g.t.enabled = inWindow(g.ev);
          g.t.tick(s, simMs);
        }
        for (const m of malformed) {
          if (inWindow(m.ev) && s >= m.nextS) {
            m.t.sendMalformed();
            m.nextS = s + 60;
          }
        }
      },
    },
    CHUNK,
  );
  const log = options.log;
  let logTimer: NodeJS.Timeout | undefined;
  let pacer: Pacer | undefined;
  if (!options.manual) {
    pacer = new Pacer(stepper, { speed });
    if (log) {
      logTimer = setInterval(() => {
        if (stats.connected === 0 && stats.lastError) {
          log(`cannot reach platform ${options.target.host}:${options.target.port} (${stats.lastError}); retrying`);
        }
      }, 5000);
      logTimer.unref();
    }
  }
  const summary = (): FleetSummary => ({
    vehicles: fleet.vehicles.length,
    simTime: new Date(startMs + stepper.tS * 1000 + 8 * 3600_000).toISOString().replace('Z', '+08:00'),
    simSeconds: stepper.tS,
    effectiveSpeed: pacer ? Math.round(pacer.effectiveSpeed * 10) / 10 : speed,
    online: stats.connected,
    logins: stats.logins,
    loginTimeouts: stats.loginTimeouts,
    framesSent: { ...stats.sent },
    replies: stats.replies,
    errorReplies: stats.errorReplies,
    stored: stats.stored,
    p99ReplyMs: percentile(stats.latenciesMs.slice(-5000), 99),
    lastError: stats.lastError,
  });
  return {
    counters: stats,
    fleet,
    terminals,
    scenario,
    stats: summary,
    stepper,
    async advance(seconds: number): Promise<void> {
      const target = stepper.tS + seconds;
      while (stepper.tS < target) {
        stepper.runChunk();
        await new Promise<void>((r) => setImmediate(r));
      }
    },
    async stop(): Promise<void> {
      pacer?.stop();
      if (logTimer) clearInterval(logTimer);
      for (const t of [...terminals, ...ghosts.map((g) => g.t)]) t.close();
      await new Promise<void>((r) => setTimeout(r, 20));
    },
  };
}
