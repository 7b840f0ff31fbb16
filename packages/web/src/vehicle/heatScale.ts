// Colour scale for heat strips: a perceptual ramp (dark blue → teal → yellow → red), with grey
// for missing samples (abnormal/invalid values arrive as null).
const STOPS: [number, [number, number, number]][] = [
  [0, [30, 41, 99]],
  [0.25, [33, 102, 172]],
  [0.5, [38, 166, 154]],
  [0.75, [234, 200, 60]],
  [1, [220, 50, 47]],
];

export function heatColor(x: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, x));
  for (let i = 1; i < STOPS.length; i++) {
    const [p1, c1] = STOPS[i];
    const [p0, c0] = STOPS[i - 1];
    if (v <= p1) {
      const f = (v - p0) / (p1 - p0);
      return [0, 1, 2].map((k) => Math.round(c0[k] + f * (c1[k] - c0[k]))) as [number, number, number];
    }
  }
  return STOPS[STOPS.length - 1][1];
}

export const HEAT_GRADIENT_CSS = `linear-gradient(to right, ${STOPS.map(([p, c]) => `rgb(${c.join(',')}) ${p * 100}%`).join(', ')})`;

/** Min and max over a matrix, ignoring nulls; null when there is no value at all. */
export function extent(m: (number | null)[][]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of m) for (const v of row) if (v != null) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === Infinity ? null : [lo, hi];
}
