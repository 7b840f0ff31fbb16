// Synthetic per-vehicle data for the mock API: history series, cell/probe matrices, latest
// state, fuel cell, raw frames with byte explanations, sessions. Values are smooth functions of
// time and VIN so repeated requests agree.
const hash = (s) => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

function timeline(from, to, step, maxPoints) {
  const span = Math.max(0, to - from);
  const st = Math.max(step || 1000, Math.ceil(span / maxPoints));
  const t = [];
  for (let x = from; x <= to; x += st) t.push(x);
  return t;
}

function sample(v, field, ms) {
  const k = (hash(v.vin) % 1000) / 100;
  const m = ms / 60000;
  const speed = Math.max(0, 35 + 25 * Math.sin(m / 7 + k) + 12 * Math.sin(m / 1.3 + 2 * k));
  const soc = Math.max(5, Math.min(100, v.socPct + ((Date.now() - ms) / 3600000) * 6 + 1.5 * Math.sin(m / 20)));
  switch (field) {
    case 'speedKmh': return +speed.toFixed(1);
    case 'socPct': return Math.round(soc);
    case 'totalVoltageV': return +(330 + soc * 0.9 - speed * 0.15).toFixed(1);
    case 'totalCurrentA': return +(speed * 1.6 - 15 + 20 * Math.sin(m / 0.7 + k)).toFixed(1);
    case 'stackVoltageV': return +(280 + 20 * Math.sin(m / 9 + k)).toFixed(1);
    case 'stackCurrentA': return +(90 + 40 * Math.sin(m / 5 + k)).toFixed(1);
    case 'h2RemainingPct': return Math.round(Math.max(5, (v.h2RemainingPct ?? 50) + ((Date.now() - ms) / 3600000) * 4));
    default: return null;
  }
}

export function history(v, from, to, step, fields) {
  const t = timeline(from, to, step, 1500);
  const series = {};
  for (const f of fields) series[f] = t.map((ms) => sample(v, f, ms));
  return { t, series };
}

export function cells(v, from, to, step) {
  const t = timeline(from, to, step, 360);
  const n = v.vehicleType === 'bus' ? 168 : 96;
  const weak = hash(v.vin) % n;
  const cellVoltagesV = t.map((ms) => {
    const m = ms / 60000;
    const base = 3.55 + 0.08 * Math.sin(m / 15) - 0.02 * Math.sin(m / 1.7);
    return Array.from({ length: n }, (_, i) => +(base + 0.01 * Math.sin(i * 1.7) - (i === weak ? 0.06 : 0)).toFixed(3));
  });
  const temperaturesC = t.map((ms) => {
    const m = ms / 60000;
    return Array.from({ length: 24 }, (_, i) => Math.round(27 + 5 * Math.sin(m / 25) + 3 * Math.sin(i / 3) + (i % 12 === 5 ? 3 : 0)));
  });
  return { t, cellVoltagesV, temperaturesC };
}

export function latest(view, v) {
  const now = Date.now();
  return {
    speedKmh: view.speedKmh,
    socPct: v.socPct,
    totalVoltageV: sample(v, 'totalVoltageV', now),
    totalCurrentA: sample(v, 'totalCurrentA', now),
    odometerKm: v.odometerKm,
    maxCellVoltageV: 3.62,
    minCellVoltageV: 3.55,
    maxTempC: 33,
    minTempC: 26,
    h2RemainingPct: v.h2RemainingPct,
    h2MaxPressureMpa: v.powertrain === 'fcev' ? 52.3 : null,
    alarmLevel: v.alarmLevel,
    alarmFlags: v.status === 'alarm' ? ['cellOverVoltage', 'socLow'] : [],
  };
}

export function fuelCell(v, from, to, step) {
  const h = history(v, from, to, step, ['stackVoltageV', 'stackCurrentA', 'h2RemainingPct']);
  return {
    latest: {
      stackVoltageV: sample(v, 'stackVoltageV', Date.now()),
      stackCurrentA: sample(v, 'stackCurrentA', Date.now()),
      h2RemainingPct: v.h2RemainingPct,
      h2MaxPressureMpa: 52.3,
      ...(v.version === 2025 ? { h2MaxConcentrationPpm: 180 } : { h2MaxConcentrationPct: 0.02 }),
      h2MaxTempC: 31,
      dcdcState: 'working',
    },
    ...h,
  };
}

// ---- frames: a real-shaped 2016 realtime frame (spec §1 layout, §8.1 vehicle, §8.5 position) ----

const hex = (bytes) => Buffer.from(bytes).toString('hex').toUpperCase();
const u16 = (n) => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

function beijingTimeBytes(ms) {
  const d = new Date(ms + 8 * 3600_000); // spec §2: GMT+8
  return [d.getUTCFullYear() - 2000, d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
}

function realtimeFrame(v, view, ms) {
  const fields = [];
  const bytes = [];
  const put = (name, path, value, raw) => {
    fields.push({ start: bytes.length, end: bytes.length + raw.length, name, path, value, hex: hex(raw) });
    bytes.push(...raw);
  };
  const speed = sample(v, 'speedKmh', ms);
  const volt = sample(v, 'totalVoltageV', ms);
  const curr = sample(v, 'totalCurrentA', ms);
  put('Start', 'start', '##', [0x23, 0x23]);
  put('Command', 'command', 'realtime', [0x02]);
  put('Response flag', 'response', 'command', [0xfe]);
  put('VIN', 'vin', v.vin, [...Buffer.from(v.vin, 'ascii')]);
  put('Encryption', 'encryption', 'none', [0x01]);
  const lenAt = bytes.length;
  put('Data-unit length', 'length', 0, [0, 0]);
  const dataStart = bytes.length;
  put('Time', 'body.time', new Date(ms).toISOString(), beijingTimeBytes(ms));
  put('Info type', 'body.items[0].type', 'vehicle (0x01)', [0x01]);
  put('Vehicle state', 'body.items[0].vehicleState', speed > 0 ? 'started' : 'off', [speed > 0 ? 1 : 2]);
  put('Charging state', 'body.items[0].chargingState', v.status === 'charging' ? 'parkedCharging' : 'notCharging', [v.status === 'charging' ? 1 : 3]);
  put('Operating mode', 'body.items[0].mode', 'electric', [1]);
  put('Speed', 'body.items[0].speedKmh', speed, u16(Math.round(speed * 10)));
  put('Odometer', 'body.items[0].odometerKm', v.odometerKm, u32(Math.round(v.odometerKm * 10)));
  put('Total voltage', 'body.items[0].totalVoltageV', volt, u16(Math.round(volt * 10)));
  put('Total current', 'body.items[0].totalCurrentA', curr, u16(Math.round((curr + 1000) * 10)));
  put('SOC', 'body.items[0].socPct', v.socPct, [v.socPct]);
  put('DC-DC state', 'body.items[0].dcdc', 'working', [1]);
  put('Gear', 'body.items[0].gear', { gear: 'D', drive: true, brake: false }, [0x2e]);
  put('Insulation resistance', 'body.items[0].insulationKohm', 12000, u16(12000));
  put('Accelerator pedal', 'body.items[0].acceleratorPct', 18, [18]);
  put('Brake pedal', 'body.items[0].brakePct', 0, [0]);
  put('Info type', 'body.items[1].type', 'position (0x05)', [0x05]);
  put('Position status', 'body.items[1].status', { valid: true, south: false, west: false }, [0]);
  put('Longitude', 'body.items[1].lon', view.lon, u32(Math.round(view.lon * 1e6)));
  put('Latitude', 'body.items[1].lat', view.lat, u32(Math.round(view.lat * 1e6)));
  const len = bytes.length - dataStart;
  bytes.splice(lenAt, 2, ...u16(len));
  fields.find((f) => f.name === 'Data-unit length').value = len;
  fields.find((f) => f.name === 'Data-unit length').hex = hex(u16(len));
  let bcc = 0;
  for (let i = 2; i < bytes.length; i++) bcc ^= bytes[i]; // spec §1: XOR from the command byte on
  put('BCC', 'bcc', `0x${bcc.toString(16).padStart(2, '0')}`, [bcc]);
  return { hex: hex(bytes), explain: fields };
}

export function frames(v, view, limit) {
  const now = Date.now();
  const items = [];
  for (let i = 0; i < limit; i++) {
    const ms = now - i * 10_000;
    const f = realtimeFrame(v, view, ms);
    items.push({ seq: 100000 - i, receivedAt: ms, command: 'realtime', hex: f.hex, frame: { command: 'realtime', vin: v.vin }, explain: f.explain });
  }
  return { items };
}

export function sessions(v, limit) {
  const now = Date.now();
  const items = [];
  for (let i = 0; i < Math.min(limit, 12); i++) {
    const at = now - i * 3_600_000 * 3;
    items.push(i % 2 === 0
      ? { kind: 'login', at, reason: null, peer: `127.0.0.1:${40000 + i}`, serial: 500 - i }
      : { kind: i % 4 === 1 ? 'logout' : 'disconnect', at, reason: i % 4 === 1 ? 'logout frame' : 'idle timeout', peer: `127.0.0.1:${40000 + i}`, serial: null });
  }
  return { items };
}
