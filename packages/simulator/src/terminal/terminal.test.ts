/* eslint-disable @typescript-eslint/no-explicit-any */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerify } from 'node:crypto';
import { encodeFrame, beijingTime, type AlarmItem, type RealtimeBody } from '@nevhub/gbt32960';
import { startFleet } from '../fleet.js';
import { FakePlatform } from '../testing/fake-platform.js';

const START = Date.parse('2026-06-01T07:00:00+08:00');

const scenario = {
  name: 'faults',
  seed: 3,
  reportPeriodS: 10,
  fleet: [
    { kind: 'taxi', count: 2, edition: 2025 },
    { kind: 'taxi', count: 1, edition: 2016 },
    { kind: 'sanitation', count: 1, edition: 2025 },
  ],
  events: [
    { kind: 'thermalRunaway', vehicle: 'taxi:0', at: '60s', duration: '120s' },
    { kind: 'thermalRunaway', vehicle: 'taxi:2', at: '60s', duration: '120s' },
    { kind: 'h2Leak', vehicle: 'sanitation:0', at: '30s', duration: '60s', magnitude: 2.5 },
    { kind: 'gnssLoss', vehicle: 'taxi:1', at: '20s', duration: '60s' },
    { kind: 'networkOutage', vehicle: 'taxi:1', at: '100s', duration: '60s' },
  ],
};

test('terminal frames decode, faults raise alarms, level-3 reporting and reissue, outage reissue', async () => {
  const p = new FakePlatform();
  const port = await p.start();
  const fleet = startFleet({ scenario, target: { host: '127.0.0.1', port }, manual: true, startMs: START });
  await fleet.advance(360);
  const got = p.received.map((r) => r.frame);
  assert.ok(got.length > 100);
  for (const f of got) assert.equal(f.ok, true, JSON.stringify(f.error));
  const [t0, t1, t2] = fleet.fleet.byKind.taxi;
  const san = fleet.fleet.byKind.sanitation[0];
  const of = (vin: string, cmd: string) => got.filter((f) => f.vin === vin && f.command === cmd);
  const alarm = (f: (typeof got)[number]) => (f.body as RealtimeBody).items.find((i) => i.type === 'alarm') as AlarmItem;
  // Login with daily serial 1 and the ICCID.
  const login = of(t0.vin, 'vehicleLogin')[0];
  assert.equal((login.body as { serial: number }).serial, 1);
  // 2025 thermal event: level 4 with bit 23; 2016: level 3.
  const rt0 = of(t0.vin, 'realtime');
  const firstHigh = rt0.findIndex((f) => alarm(f).maxLevel === 4);
  assert.ok(firstHigh > 0, 'level 4 appears');
  assert.ok((alarm(rt0[firstHigh]).flagBits & (1 << 23)) !== 0);
  const faultTime = Date.parse(rt0[firstHigh].time!);
  // 1 s reporting after the fault instant.
  const after = rt0.slice(firstHigh, firstHigh + 10).map((f) => Date.parse(f.time!));
  for (let i = 1; i < after.length; i++) assert.equal(after[i] - after[i - 1], 1000);
  // The 30 s before the fault are reissued (0x03) at 1 s spacing.
  const pre = of(t0.vin, 'reissue').map((f) => Date.parse(f.time!)).filter((t) => t < faultTime && t >= faultTime - 30_000);
  assert.equal(pre.length, 30);
  assert.ok(of(t2.vin, 'realtime').some((f) => f.version === 2016 && alarm(f).maxLevel === 3));
  // Hydrogen leak: bit 24 with rising level.
  assert.ok(of(san.vin, 'realtime').some((f) => (alarm(f).flagBits & (1 << 24)) !== 0 && alarm(f).maxLevel === 3));
  // GNSS loss: invalid-fix bit set.
  assert.ok(of(t1.vin, 'realtime').some((f) => (f.body as RealtimeBody).items.some((i) => i.type === 'position' && !i.valid && (i.status & 1) === 1)));
  // Outage: the frames stored during link loss are reissued after reconnection.
  const outageFrom = START + 100_000;
  const outageTo = START + 160_000;
  const reissued = of(t1.vin, 'reissue').filter((f) => Date.parse(f.time!) >= outageFrom && Date.parse(f.time!) < outageTo);
  assert.ok(reissued.length >= 5, `reissued ${reissued.length}`);
  assert.ok(of(t1.vin, 'vehicleLogin').length >= 2, 'logged in again');
  assert.equal((of(t1.vin, 'vehicleLogin')[1].body as { serial: number }).serial, 2);
  // 2025 signatures verify with the vehicle key (ECDSA P-256, SHA-256, raw r‖s, algorithm 0x03).
  const term0 = fleet.terminals[0];
  const raw = p.received.find((r) => r.frame.vin === t0.vin && r.frame.command === 'realtime')!;
  const sig = (raw.frame.body as RealtimeBody).signature!;
  assert.equal(sig.algorithmId, 3);
  const v = createVerify('SHA256');
  v.update(raw.bytes.subarray(sig.signedStart, sig.signedEnd));
  assert.ok(v.verify({ key: (term0 as any).o.key.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig.rHex + sig.sHex, 'hex')));
  await fleet.stop();
  await p.stop();
});

test('answers parameter query, applies a setting, and reconnects after a link drop', async () => {
  const p = new FakePlatform();
  const port = await p.start();
  const fleet = startFleet({ scenario: { name: 'p', fleet: [{ kind: 'taxi', count: 1, edition: 2025 }] }, target: { host: '127.0.0.1', port }, manual: true, startMs: START });
  await fleet.advance(15);
  const vin = fleet.fleet.vehicles[0].vin;
  const time = beijingTime(new Date(START));
  p.send(vin, encodeFrame({ version: 2025, command: 'paramSet', vin, time, body: { params: [{ id: 0x02, name: 'reportPeriodS', value: 5 }] } }));
  await fleet.advance(2);
  p.send(vin, encodeFrame({ version: 2025, command: 'paramQuery', vin, time, body: { params: [{ id: 0x02, name: 'reportPeriodS' }, { id: 0x09, name: 'heartbeatPeriodS' }] } }));
  await fleet.advance(30);
  const replies = p.received.map((r) => r.frame).filter((f) => f.response === 'success');
  assert.ok(replies.some((f) => f.command === 'paramSet'));
  const q = replies.find((f) => f.command === 'paramQuery')!;
  assert.deepEqual((q.body as any).params.map((x: any) => [x.id, x.value]), [[2, 5], [9, 60]]);
  const rts = p.received.map((r) => r.frame).filter((f) => f.command === 'realtime').map((f) => Date.parse(f.time!));
  assert.equal(rts[rts.length - 1] - rts[rts.length - 2], 5000, 'new report period applied');
  for (const s of p.sockets) s.destroy();
  await fleet.advance(120);
  assert.ok(p.received.filter((r) => r.frame.command === 'vehicleLogin').length >= 2, 'reconnected and logged in again');
  await fleet.stop();
  await p.stop();
});
