// Local flat projection around Baoding's centre. Over ±10 km an equirectangular projection is
// accurate to well under a metre, which is finer than the position field (1e-6°, spec §8.5).

export const CENTRE = { lat: 38.87, lon: 115.46 } as const;
const M_PER_DEG_LAT = 111_320;
const M_PER_DEG_LON = 111_320 * Math.cos((CENTRE.lat * Math.PI) / 180);

export interface XY {
  x: number;
  y: number;
}

export interface LatLon {
  lat: number;
  lon: number;
}

/** Metres east/north of the centre → WGS-84 degrees. */
export function toLatLon(x: number, y: number): LatLon {
  return { lat: CENTRE.lat + y / M_PER_DEG_LAT, lon: CENTRE.lon + x / M_PER_DEG_LON };
}

/** WGS-84 degrees → metres east/north of the centre. */
export function toXY(lat: number, lon: number): XY {
  return { x: (lon - CENTRE.lon) * M_PER_DEG_LON, y: (lat - CENTRE.lat) * M_PER_DEG_LAT };
}

/** Distance from point p to segment ab, in metres. */
export function distanceToSegment(p: XY, a: XY, b: XY): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}
