// Codec micro-benchmark: decode/encode throughput of a typical realtime frame of each edition,
// against a loop that only computes the BCC over the same bytes (the floor any decoder pays).
// npm run bench:codec [-- --seconds 1 --runs 5]
// Rates are per CPU-second of the process (wall-clock rates are printed too; see measureAll).
// Ends with one JSON line: decode2016PerSec, decode2025PerSec, encode2016PerSec, bccOnlyPerSec,
// decodeVsBcc2016, decodeVsBcc2025 (= BCC-only rate / decode rate; lower is better), and the same
// for scanFrame, the structural scan: scan2016PerSec, scan2025PerSec, scanVsBcc2016, scanVsBcc2025;
// then the same over 4,096 variants with distinct VINs and times (no byte-keyed cache can help):
// decodeRotatingPerSec2016, scanRotatingVsBcc2016, scanRotatingVsBcc2025.
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { bcc } from '../src/bcc.js';
import { decodeFrame, encodeFrame, type FrameInput } from '../src/frame.js';
import type { InfoItem, Version } from '../src/model.js';
import { scanFrame } from '../src/scan.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '1' },
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
  },
});
const RUN_MS = Number(values.seconds) * 1000;
const RUNS = Number(values.runs);
const WARMUP_MS = Number(values.warmup) * 1000;

const TIME = '2025-10-27T20:02:02+08:00';
const VIN = 'LZYTBGCW4J1036497';

function items(version: Version): InfoItem[] {
  const v2016 = version === 2016;
  const list: InfoItem[] = [
    {
      type: 'vehicle',
      typeId: 0x01,
      vehicleState: 'started',
      chargingState: 'notCharging',
      operatingMode: 'electric',
      speedKmh: 56.3,
      odometerKm: 123456.7,
      totalVoltageV: 620.4,
      totalCurrentA: 35.2,
      socPct: 68,
      dcdcState: 'working',
      gear: { gear: 'D', driving: true, braking: false, valid: true },
      insulationKOhm: 3200,
      ...(v2016 ? { acceleratorPct: 23, brakePct: 0 } : {}),
    },
    {
      type: 'driveMotors',
      typeId: 0x02,
      motors: [
        {
          seq: 1,
          state: 'consuming',
          controllerTempC: 45,
          speedRpm: 3520,
          torqueNm: 120.5,
          tempC: 60,
          ...(v2016 ? { controllerVoltageV: 618.2, controllerCurrentA: 30.1 } : {}),
        },
      ],
    },
    {
      type: 'position',
      typeId: 0x05,
      valid: true,
      longitude: 121.473701,
      latitude: 31.230416,
      status: 0,
      ...(v2016 ? {} : { coordinateSystem: 'wgs84' as const }),
    },
  ];
  if (v2016) {
    list.push({
      type: 'extremes',
      typeId: 0x06,
      maxVoltagePack: 1,
      maxVoltageCell: 17,
      maxCellVoltageV: 3.412,
      minVoltagePack: 1,
      minVoltageCell: 80,
      minCellVoltageV: 3.371,
      maxTempPack: 1,
      maxTempProbe: 5,
      maxTempC: 31,
      minTempPack: 1,
      minTempProbe: 22,
      minTempC: 27,
    });
  }
  list.push(
    {
      type: 'alarm',
      typeId: v2016 ? 0x07 : 0x06,
      maxLevel: 0,
      flags: [],
      flagBits: 0,
      batteryFaults: [],
      motorFaults: [],
      engineFaults: [],
      otherFaults: [],
      ...(v2016 ? {} : { flagLevels: [] }),
    },
    {
      type: 'cellVoltages',
      typeId: v2016 ? 0x08 : 0x07,
      packs: [
        {
          pack: 1,
          voltageV: 620.4,
          currentA: 35.2,
          ...(v2016 ? { totalCells: 96, startCell: 1 } : {}),
          cellVoltagesV: Array.from({ length: 96 }, (_, i) => 3.371 + (i % 41) / 1000),
        },
      ],
    },
    {
      type: 'probeTemperatures',
      typeId: v2016 ? 0x09 : 0x08,
      packs: [{ pack: 1, temperaturesC: Array.from({ length: 32 }, (_, i) => 27 + (i % 5)) }],
    },
  );
  return list;
}

function input(version: Version): FrameInput {
  return {
    version,
    command: 'realtime',
    vin: VIN,
    time: TIME,
    body: {
      items: items(version),
      // SM2-sized signature: r and s as 32-byte integers (spec §9.10).
      ...(version === 2025
        ? {
            signature: {
              algorithm: 'sm2' as const,
              algorithmId: 1,
              rHex: 'a5'.repeat(32),
              sHex: '5a'.repeat(32),
              signedStart: 24,
              signedEnd: 0,
            },
          }
        : {}),
    },
  };
}

type Bench = Record<string, () => number>;
export interface Rate {
  /** Median ops per second of wall-clock time. */
  perSec: number;
  /** Median ops per second of process CPU time (user + system): robust when the machine is busy. */
  perCpuSec: number;
  runs: number[];
}

/**
 * Runs every function of `benches` for RUN_MS per run, RUNS rounds, after a warm-up. The rounds are
 * interleaved (a, b, c, a, b, c, …) so that a busy machine slows every measurement alike, and CPU
 * time is measured next to wall time: on a shared machine ops per CPU-second is the stable figure.
 */
function measureAll(benches: Bench): Record<string, Rate> {
  let sink = 0;
  const once = (fn: () => number, ms: number): { wall: number; cpu: number } => {
    let n = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < ms) {
      for (let i = 0; i < 1000; i++) sink += fn();
      n += 1000;
      t = performance.now();
    }
    const c = process.cpuUsage(c0);
    return { wall: n / ((t - t0) / 1000), cpu: n / ((c.user + c.system) / 1e6) };
  };
  for (const fn of Object.values(benches)) once(fn, WARMUP_MS);
  const wall: Record<string, number[]> = Object.fromEntries(Object.keys(benches).map((k) => [k, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(benches).map((k) => [k, []]));
  for (let r = 0; r < RUNS; r++) {
    for (const [k, fn] of Object.entries(benches)) {
      const x = once(fn, RUN_MS);
      wall[k].push(x.wall);
      cpu[k].push(x.cpu);
    }
  }
  if (sink === -1) console.log('unreachable');
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries(
    Object.keys(benches).map((k) => [
      k,
      { perSec: median(wall[k]), perCpuSec: median(cpu[k]), runs: wall[k] },
    ]),
  );
}

const in2016 = input(2016);
const in2025 = input(2025);
const f2016 = encodeFrame(in2016);
const f2025 = encodeFrame(in2025);
for (const [name, bytes] of [
  ['2016', f2016],
  ['2025', f2025],
] as const) {
  const f = decodeFrame(bytes);
  if (!f.ok || f.warnings)
    throw new Error(`bench frame ${name} does not decode cleanly: ${JSON.stringify(f.error ?? f.warnings)}`);
  const s = scanFrame(bytes);
  if (!s.ok || !s.indexed || s.itemCount !== (f.body as { items: unknown[] }).items.length || s.time !== f.time || s.vin !== f.vin)
    throw new Error(`bench frame ${name}: scanFrame disagrees with decodeFrame`);
}

/**
 * The same frame in 4,096 variants with distinct VINs and collection times (BCC fixed), read in
 * turn: no cache keyed on those bytes can hit, as in a gateway serving many vehicles.
 */
function rotation(frame: Uint8Array): Uint8Array[] {
  return Array.from({ length: 4096 }, (_, k) => {
    const b = Uint8Array.from(frame);
    const tail = String(k).padStart(5, '0');
    for (let i = 0; i < 5; i++) b[4 + 12 + i] = tail.charCodeAt(i);
    b[24 + 4] = Math.floor(k / 60) % 60; // minute
    b[24 + 5] = k % 60; // second
    b[b.length - 1] = bcc(b, 2, b.length - 1);
    return b;
  });
}
const rot2016 = rotation(f2016);
const rot2025 = rotation(f2025);
let r16 = 0;
let r25 = 0;

const results = measureAll({
  decode2016: () => (decodeFrame(f2016).ok ? 1 : 0),
  decode2025: () => (decodeFrame(f2025).ok ? 1 : 0),
  encode2016: () => encodeFrame(in2016).length,
  bcc2016: () => bcc(f2016, 2, f2016.length - 1),
  bcc2025: () => bcc(f2025, 2, f2025.length - 1),
  scan2016: () => (scanFrame(f2016).ok ? 1 : 0),
  scan2025: () => (scanFrame(f2025).ok ? 1 : 0),
  bccRot2016: () => {
    const b = rot2016[(r16 = (r16 + 1) & 4095)];
    return bcc(b, 2, b.length - 1);
  },
  bccRot2025: () => {
    const b = rot2025[(r25 = (r25 + 1) & 4095)];
    return bcc(b, 2, b.length - 1);
  },
  scanRot2016: () => (scanFrame(rot2016[(r16 = (r16 + 1) & 4095)]).ok ? 1 : 0),
  scanRot2025: () => (scanFrame(rot2025[(r25 = (r25 + 1) & 4095)]).ok ? 1 : 0),
  decodeRot2016: () => (decodeFrame(rot2016[(r16 = (r16 + 1) & 4095)]).ok ? 1 : 0),
}) as Record<
  | 'decode2016'
  | 'decode2025'
  | 'encode2016'
  | 'bcc2016'
  | 'bcc2025'
  | 'scan2016'
  | 'scan2025'
  | 'bccRot2016'
  | 'bccRot2025'
  | 'scanRot2016'
  | 'scanRot2025'
  | 'decodeRot2016',
  Rate
>;

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(
  `frames: 2016 realtime ${f2016.length} B, 2025 realtime ${f2025.length} B (vehicle, motor, position, alarm, 96 cells, 32 probes)`,
);
console.log(
  `runs: ${RUNS} interleaved rounds × ${RUN_MS / 1000} s after ${WARMUP_MS / 1000} s warm-up each, median reported; node ${process.version}`,
);
console.log('');
console.log(`load average (1 min) at the end: ${loadavg()[0].toFixed(2)} on ${availableParallelism()} CPUs`);
console.log(
  `${'measurement'.padEnd(14)}${'wall/s'.padStart(12)}${'cpu/s'.padStart(12)}${'MB/s cpu'.padStart(10)}   wall runs/s`,
);
const sizes: Record<keyof typeof results, number> = {
  decode2016: f2016.length,
  decode2025: f2025.length,
  encode2016: f2016.length,
  bcc2016: f2016.length,
  bcc2025: f2025.length,
  scan2016: f2016.length,
  scan2025: f2025.length,
  bccRot2016: f2016.length,
  bccRot2025: f2025.length,
  scanRot2016: f2016.length,
  scanRot2025: f2025.length,
  decodeRot2016: f2016.length,
};
for (const [name, r] of Object.entries(results) as [keyof typeof results, Rate][]) {
  const mb = (r.perCpuSec * sizes[name]) / 1e6;
  console.log(
    `${name.padEnd(14)}${fmt(r.perSec).padStart(12)}${fmt(r.perCpuSec).padStart(12)}${mb.toFixed(1).padStart(10)}   ${r.runs.map(fmt).join(' ')}`,
  );
}
const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
// The JSON line reports the CPU-time rates (one core's throughput); `wall` holds the wall-clock ones.
const rate = (r: Rate): number => Math.round(r.perCpuSec);
console.log('');
console.log(
  JSON.stringify({
    decode2016PerSec: rate(results.decode2016),
    decode2025PerSec: rate(results.decode2025),
    encode2016PerSec: rate(results.encode2016),
    bccOnlyPerSec: rate(results.bcc2016),
    decodeVsBcc2016: ratio(results.bcc2016.perCpuSec, results.decode2016.perCpuSec),
    decodeVsBcc2025: ratio(results.bcc2025.perCpuSec, results.decode2025.perCpuSec),
    scan2016PerSec: rate(results.scan2016),
    scan2025PerSec: rate(results.scan2025),
    scanVsBcc2016: ratio(results.bcc2016.perCpuSec, results.scan2016.perCpuSec),
    scanVsBcc2025: ratio(results.bcc2025.perCpuSec, results.scan2025.perCpuSec),
    // 4,096 frames with distinct VINs and times, each against the BCC loop over the same rotation.
    decodeRotatingPerSec2016: rate(results.decodeRot2016),
    scanRotatingVsBcc2016: ratio(results.bccRot2016.perCpuSec, results.scanRot2016.perCpuSec),
    scanRotatingVsBcc2025: ratio(results.bccRot2025.perCpuSec, results.scanRot2025.perCpuSec),
  }),
);
