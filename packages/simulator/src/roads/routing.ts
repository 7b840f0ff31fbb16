// Fastest-path routing on the road graph: A* with travel time (length / speed limit) as cost and
// straight-line distance at the top speed as the admissible heuristic.
import type { RoadEdge, RoadNetwork } from './network.js';

const MAX_SPEED_MS = 70 / 3.6;

/** Edges from `from` to `to` in driving order; [] when from === to or unreachable. */
export function route(net: RoadNetwork, from: number, to: number): RoadEdge[] {
  if (from === to) return [];
  const n = net.nodes.length;
  const g = new Float64Array(n).fill(Infinity);
  const via: (RoadEdge | undefined)[] = new Array<RoadEdge | undefined>(n);
  const closed = new Uint8Array(n);
  const target = net.nodes[to];
  const h = (id: number): number => Math.hypot(net.nodes[id].x - target.x, net.nodes[id].y - target.y) / MAX_SPEED_MS;
  // Binary heap of [f, node].
  const heap: [number, number][] = [];
  const push = (f: number, id: number): void => {
    heap.push([f, id]);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p][0] <= heap[i][0]) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = (): [number, number] => {
    const top = heap[0];
    const last = heap.pop() as [number, number];
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l][0] < heap[m][0]) m = l;
        if (r < heap.length && heap[r][0] < heap[m][0]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  g[from] = 0;
  push(h(from), from);
  while (heap.length > 0) {
    const [, u] = pop();
    if (closed[u]) continue;
    if (u === to) break;
    closed[u] = 1;
    for (const e of net.out[u]) {
      const cost = g[u] + e.lengthM / (e.speedKmh / 3.6);
      if (cost < g[e.to]) {
        g[e.to] = cost;
        via[e.to] = e;
        push(cost + h(e.to), e.to);
      }
    }
  }
  if (!via[to]) return [];
  const path: RoadEdge[] = [];
  for (let v = to; v !== from; ) {
    const e = via[v] as RoadEdge;
    path.push(e);
    v = e.from;
  }
  return path.reverse();
}
