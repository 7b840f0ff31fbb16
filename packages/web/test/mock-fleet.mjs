// Simulated fleet for the dashboard's mock API: a small road network around Baoding
// (38.87 N, 115.46 E), vehicles moving along it, and synthetic history/cells/frames that follow
// the /api/v1 contract. Deterministic for a given seed.
const LON0 = 115.46;
const LAT0 = 38.87;
const KM_PER_DEG_LAT = 110.57;
const KM_PER_DEG_LON = 111.32 * Math.cos((LAT0 * Math.PI) / 180);

const toLonLat = ([x, y]) => [+(LON0 + x / KM_PER_DEG_LON).toFixed(6), +(LAT0 + y / KM_PER_DEG_LAT).toFixed(6)];

/** Small PRNG (mulberry32) so runs are reproducible. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Roads in km around the centre: a ring road, arterials every 3 km, streets every 1 km. */
function buildRoads() {
  const roads = [];
  const ring = [];
  for (let i = 0; i <= 72; i++) {
    const a = (i / 72) * 2 * Math.PI;
    ring.push([6 * Math.cos(a), 5 * Math.sin(a)]);
  }
  roads.push({ name: 'Ring Road', cls: 'ring', pts: ring });
  for (const o of [-3, 0, 3]) {
    roads.push({ name: `East–West Avenue ${o + 4}`, cls: 'arterial', pts: [[-6.5, o], [6.5, o]] });
    roads.push({ name: `North–South Avenue ${o + 4}`, cls: 'arterial', pts: [[o, -5.5], [o, 5.5]] });
  }
  for (let o = -4; o <= 4; o++) {
    if (o % 3 === 0) continue;
    roads.push({ name: `Street ${o + 5}`, cls: 'street', pts: [[-4.5, o], [4.5, o]] });
    roads.push({ name: `Lane ${o + 5}`, cls: 'street', pts: [[o, -4], [o, 4]] });
  }
  for (const r of roads) {
    r.cum = [0];
    for (let i = 1; i < r.pts.length; i++) {
      const [x0, y0] = r.pts[i - 1];
      const [x1, y1] = r.pts[i];
      r.cum.push(r.cum[i - 1] + Math.hypot(x1 - x0, y1 - y0));
    }
    r.length = r.cum[r.cum.length - 1];
  }
  return roads;
}

const POIS = [
  { kind: 'depot', name: 'North Bus Depot', at: [-1.5, 4.2] },
  { kind: 'depot', name: 'South Taxi Depot', at: [2, -4.3] },
  { kind: 'charger', name: 'Central Charging Hub', at: [0.4, 0.4] },
  { kind: 'charger', name: 'East Charging Station', at: [4.6, 1.2] },
  { kind: 'charger', name: 'West Charging Station', at: [-4.8, -1] },
  { kind: 'h2station', name: 'Hydrogen Station No.1', at: [3.2, 3.3] },
];

function pointAt(road, d) {
  const dist = Math.min(Math.max(d, 0), road.length);
  let i = 1;
  while (i < road.cum.length - 1 && road.cum[i] < dist) i++;
  const seg = road.cum[i] - road.cum[i - 1] || 1;
  const f = (dist - road.cum[i - 1]) / seg;
  const [x0, y0] = road.pts[i - 1];
  const [x1, y1] = road.pts[i];
  return [x0 + f * (x1 - x0), y0 + f * (y1 - y0)];
}

function pick(r, weighted) {
  let x = r() * weighted.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of weighted) if ((x -= w) <= 0) return v;
  return weighted[weighted.length - 1][0];
}

const POWERTRAIN_BY_TYPE = {
  taxi: [['bev', 1]],
  bus: [['bev', 0.7], ['fcev', 0.3]],
  car: [['bev', 0.7], ['phev', 0.3]],
  sanitation: [['bev', 0.6], ['fcev', 0.4]],
};

export function createFleet({ count = 300, seed = 32960 } = {}) {
  const r = rng(seed);
  const roads = buildRoads();
  const vehicles = [];
  const events = [];
  for (let i = 0; i < count; i++) {
    const vehicleType = pick(r, [['taxi', 0.4], ['bus', 0.15], ['car', 0.35], ['sanitation', 0.1]]);
    const powertrain = pick(r, POWERTRAIN_BY_TYPE[vehicleType]);
    const status = pick(r, [
      ['driving', 0.6],
      ['charging', powertrain === 'fcev' ? 0 : 0.1],
      ['refuelling', powertrain === 'fcev' ? 0.25 : 0],
      ['parked', 0.12],
      ['offline', 0.1],
      ['alarm', 0.04],
    ]);
    const road = roads[Math.floor(r() * roads.length)];
    vehicles.push({
      vin: `LNBSCB${String(3e10 + i * 7919).slice(0, 11).padStart(11, '0')}`.slice(0, 17),
      plate: `冀F${powertrain === 'bev' ? 'D' : 'F'}${String(10000 + ((i * 7331) % 90000)).padStart(5, '0')}`,
      iccid: `8986040210170${String(1000000 + i)}`,
      vehicleType,
      powertrain,
      version: r() < 0.5 ? 2016 : 2025,
      status,
      road,
      pos: r() * road.length,
      dir: r() < 0.5 ? 1 : -1,
      cruise: vehicleType === 'bus' ? 25 + r() * 15 : 30 + r() * 30,
      socPct: 20 + Math.round(r() * 75),
      h2RemainingPct: powertrain === 'fcev' ? 20 + Math.round(r() * 75) : null,
      alarmLevel: status === 'alarm' ? 1 + Math.floor(r() * 3) : 0,
      odometerKm: 10000 + Math.round(r() * 150000),
      phase: r() * 1000,
      at: Date.now(),
    });
  }
  return { roads, vehicles, events, rand: r };
}

export function vehicleView(v) {
  const [lon, lat] = toLonLat(pointAt(v.road, v.pos));
  const moving = v.status === 'driving' || v.status === 'alarm';
  return {
    vin: v.vin,
    plate: v.plate,
    vehicleType: v.vehicleType,
    powertrain: v.powertrain,
    version: v.version,
    status: v.status,
    online: v.status !== 'offline',
    lon,
    lat,
    speedKmh: moving ? +(v.cruise + 8 * Math.sin(v.phase)).toFixed(1) : 0,
    socPct: v.socPct,
    h2RemainingPct: v.h2RemainingPct,
    alarmLevel: v.alarmLevel,
    at: v.at,
  };
}

/** Advance the simulation by dtMs; returns the position updates and events of this tick. */
export function stepFleet(fleet, dtMs) {
  const r = fleet.rand;
  const updates = [];
  const events = [];
  const now = Date.now();
  for (const v of fleet.vehicles) {
    const before = v.status;
    if (r() < 0.002) v.status = v.status === 'offline' ? 'driving' : v.status === 'driving' ? 'parked' : 'driving';
    if (r() < 0.0008 && v.status !== 'offline') {
      v.status = 'alarm';
      v.alarmLevel = 1 + Math.floor(r() * 3);
    } else if (v.status === 'alarm' && r() < 0.01) {
      v.status = 'driving';
      v.alarmLevel = 0;
    }
    if (before !== v.status) {
      if (v.status === 'alarm') events.push({ kind: 'alarm', vin: v.vin, at: now, level: v.alarmLevel, flags: ['cellOverVoltage'] });
      else if (before === 'offline') events.push({ kind: 'login', vin: v.vin, at: now });
      else if (v.status === 'offline') events.push({ kind: 'disconnect', vin: v.vin, at: now });
    }
    if (v.status === 'offline') continue;
    if (v.status === 'driving' || v.status === 'alarm') {
      v.phase += dtMs / 4000;
      v.pos += v.dir * ((v.cruise / 3600) * dtMs) / 1000;
      if (v.pos <= 0 || v.pos >= v.road.length) {
        v.dir = -v.dir;
        v.pos = Math.min(Math.max(v.pos, 0), v.road.length);
      }
      if (r() < 0.05) v.socPct = Math.max(5, v.socPct - 1);
    } else if (v.status === 'charging' && r() < 0.1) v.socPct = Math.min(100, v.socPct + 1);
    v.at = now;
    const view = vehicleView(v);
    updates.push({ vin: v.vin, lon: view.lon, lat: view.lat, speedKmh: view.speedKmh, socPct: v.socPct, status: v.status, alarmLevel: v.alarmLevel });
  }
  return { updates, events };
}

export function roadsGeoJson(fleet) {
  return {
    type: 'FeatureCollection',
    features: [
      ...fleet.roads.map((rd) => ({
        type: 'Feature',
        properties: { name: rd.name, class: rd.cls },
        geometry: { type: 'LineString', coordinates: rd.pts.map(toLonLat) },
      })),
      ...POIS.map((p) => ({ type: 'Feature', properties: { kind: p.kind, name: p.name }, geometry: { type: 'Point', coordinates: toLonLat(p.at) } })),
    ],
  };
}

export function summary(fleet) {
  const s = { total: 0, online: 0, driving: 0, charging: 0, refuelling: 0, parked: 0, offline: 0, alarm: 0, byType: {} };
  for (const v of fleet.vehicles) {
    s.total++;
    s[v.status]++;
    if (v.status !== 'offline') s.online++;
    s.byType[v.vehicleType] = (s.byType[v.vehicleType] ?? 0) + 1;
  }
  const fcev = fleet.vehicles.filter((v) => v.powertrain === 'fcev').length;
  return { ...s, energyTodayKwh: +(s.total * 38.4).toFixed(1), hydrogenTodayKg: +(fcev * 4.2).toFixed(1) };
}
