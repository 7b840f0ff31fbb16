// Movement along a routed path with a simple longitudinal driver: accelerate to the road's speed
// (times the driver's cruise factor, capped for work such as street washing), brake for red
// lights, stops and the destination, never overshoot a stop. Positions lie exactly on the edges.
import type { RoadEdge, RoadNetwork } from '../roads/network.js';
import type { Rng } from '../rng.js';

export interface RouteOptions {
  /** Speed cap, km/h (street washing ≈ 10 km/h). */
  capKmh?: number;
  /** Stop at every intersection for this many seconds (bus stops). */
  stopEveryNodeS?: number;
}

const MAX_DECEL = 2.5;

export class Motion {
  x: number;
  y: number;
  node: number;
  speedMs = 0;
  accelMs2 = 0;
  odometerKm: number;
  private path: RoadEdge[] = [];
  private edge = 0;
  private along = 0;
  private stopAtEnd = false;
  private waitS = 0;
  private opts: RouteOptions = {};

  constructor(
    private readonly net: RoadNetwork,
    node: number,
    odometerKm: number,
  ) {
    this.node = node;
    this.x = net.nodes[node].x;
    this.y = net.nodes[node].y;
    this.odometerKm = odometerKm;
  }

  get moving(): boolean {
    return this.edge < this.path.length;
  }

  currentEdge(): RoadEdge | undefined {
    return this.path[this.edge];
  }

  setRoute(path: RoadEdge[], opts: RouteOptions, rng: Rng): void {
    this.path = path;
    this.edge = 0;
    this.along = 0;
    this.opts = opts;
    this.waitS = 0;
    if (path.length > 0) this.planStop(rng);
  }

  private planStop(rng: Rng): void {
    const last = this.edge === this.path.length - 1;
    const e = this.path[this.edge];
    const lightP = e.cls === 'secondary' ? 0.25 : 0.4;
    this.stopAtEnd = last || this.opts.stopEveryNodeS !== undefined || rng.chance(lightP);
  }

  /** Advances dt seconds; returns true on the step the destination is reached. */
  step(dt: number, cruise: number, maxAccel: number, rng: Rng): boolean {
    if (!this.moving) {
      this.speedMs = 0;
      this.accelMs2 = 0;
      return false;
    }
    if (this.waitS > 0) {
      this.waitS -= dt;
      this.speedMs = 0;
      this.accelMs2 = 0;
      return false;
    }
    const e = this.path[this.edge];
    const limit = Math.min(e.speedKmh * cruise, this.opts.capKmh ?? Infinity) / 3.6;
    const dist = e.lengthM - this.along;
    const v = this.speedMs;
    let a: number;
    if (this.stopAtEnd && v > 0 && (v * v) / (2 * Math.max(0.5, dist - v * dt * 0.5)) >= MAX_DECEL * 0.6) {
      a = -Math.min(MAX_DECEL * 1.2, (v * v) / (2 * Math.max(0.5, dist)));
    } else if (v < limit) a = Math.min(maxAccel, (limit - v) / dt);
    else a = Math.max(-MAX_DECEL, (limit - v) / dt);
    const vNew = Math.max(0, v + a * dt);
    let move = ((v + vNew) / 2) * dt;
    if (this.stopAtEnd && (move >= dist || (vNew < 0.3 && dist < 8))) {
      // Arrive at the node and stop there.
      move = dist;
      a = -v / dt;
      this.advance(move);
      this.speedMs = 0;
      this.accelMs2 = a;
      return this.nodeReached(rng, true);
    }
    this.speedMs = vNew;
    this.accelMs2 = a;
    if (move >= dist) {
      this.advance(dist);
      const rest = move - dist;
      const arrived = this.nodeReached(rng, false);
      if (!arrived && rest > 0) this.advance(Math.min(rest, this.path[this.edge].lengthM - 1));
      return arrived;
    }
    this.advance(move);
    return false;
  }

  private advance(m: number): void {
    const e = this.path[this.edge];
    this.along += m;
    this.odometerKm += m / 1000;
    const a = this.net.nodes[e.from];
    const b = this.net.nodes[e.to];
    const t = Math.min(1, this.along / e.lengthM);
    this.x = a.x + (b.x - a.x) * t;
    this.y = a.y + (b.y - a.y) * t;
  }

  private nodeReached(rng: Rng, stopped: boolean): boolean {
    const e = this.path[this.edge];
    this.node = e.to;
    this.x = this.net.nodes[e.to].x;
    this.y = this.net.nodes[e.to].y;
    this.edge++;
    this.along = 0;
    if (this.edge >= this.path.length) {
      this.path = [];
      this.edge = 0;
      return true;
    }
    if (stopped) this.waitS = this.opts.stopEveryNodeS ?? rng.range(8, 45);
    this.planStop(rng);
    return false;
  }
}
