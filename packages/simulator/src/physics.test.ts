/* eslint-disable @typescript-eslint/no-explicit-any */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildFleet } from './scenario/build.js';
import { validateScenario, ScenarioError } from './scenario/validate.js';
import { loadScenario } from './scenario/load.js';
import { baodingNetwork } from './roads/network.js';
import { distanceToSegment, toXY } from './roads/geo.js';
import { roadsGeoJson } from './roads/geojson.js';
import { buildItems } from './vehicles/report.js';

const START = Date.parse('2026-06-01T07:00:00+08:00');
const small = (extra: object = {}): ReturnType<typeof validateScenario> =>
  validateScenario({
    name: 't',
    seed: 7,
    fleet: [
      { kind: 'taxi', count: 3 },
      { kind: 'bus', count: 2, edition: 2016 },
      { kind: 'phev', count: 2, edition: 2016 },
      { kind: 'sanitation', count: 3, edition: 2025, h2Pct: [22, 24] },
    ],
    ...extra,
  });

test('an hour at 1 s steps stays physically plausible', () => {
  const fleet = buildFleet(small(), { startMs: START });
  const net = baodingNetwork();
  for (const v of fleet.vehicles) {
    let odo = v.motion.odometerKm;
    const ah = v.battery.state.chargeAh;
    let integ = 0;
    let h2Prev = v.fuelCell?.state.h2Kg;
    let refuelled = false;
    let h2DropsWhileDriving = 0;
    for (let t = 0; t < 3600; t++) {
      v.step(1);
      const s = v.snapshot();
      integ += s.currentA / 3600;
      assert.ok(s.socPct >= 0 && s.socPct <= 100, `${v.vin} soc ${s.socPct}`);
      assert.ok(s.odometerKm >= odo, 'odometer never decreases');
      odo = s.odometerKm;
      const p = toXY(s.lat, s.lon);
      const e = v.motion.currentEdge();
      const d = e ? distanceToSegment(p, net.nodes[e.from], net.nodes[e.to]) : Math.hypot(p.x - net.nodes[v.motion.node].x, p.y - net.nodes[v.motion.node].y);
      assert.ok(d < 3, `${v.vin} is ${d} m off the road`);
      if (v.fuelCell && h2Prev !== undefined) {
        const h2 = v.fuelCell.state.h2Kg;
        if (h2 > h2Prev + 0.01) refuelled = true;
        if (s.speedKmh > 1 && h2 < h2Prev) h2DropsWhileDriving++;
        h2Prev = h2;
      }
    }
    // Coulomb counting: the charge lost equals ∫I dt (within the clamps at 0 / 100 %).
    assert.ok(Math.abs(ah - integ - v.battery.state.chargeAh) < 0.01 * v.battery.capacityAh, `${v.vin} SOC agrees with ∫I dt`);
    if (v.fuelCell) {
      assert.ok(refuelled, `${v.vin} refuelled hydrogen`);
      assert.ok(h2DropsWhileDriving > 100, `${v.vin} used hydrogen while driving`);
    }
    assert.ok(v.motion.odometerKm > 0);
  }
  const moved = fleet.vehicles.filter((v) => v.snapshot().odometerKm > 0);
  assert.equal(moved.length, fleet.vehicles.length);
});

test('seeded runs are identical', () => {
  const run = (): string => {
    const f = buildFleet(small(), { startMs: START });
    for (let t = 0; t < 600; t++) for (const v of f.vehicles) v.step(1);
    return JSON.stringify(f.vehicles.map((v) => buildItems(v, v.snapshot())));
  };
  assert.equal(run(), run());
  const other = buildFleet(small(), { startMs: START, seed: 8 });
  for (let t = 0; t < 600; t++) for (const v of other.vehicles) v.step(1);
  assert.notEqual(JSON.stringify(other.vehicles.map((v) => buildItems(v, v.snapshot()))), run());
});

test('scenario validation names the field path and the problem', () => {
  assert.throws(
    () => validateScenario({ name: 'x', fleet: [{ kind: 'taxi', count: 1 }, { kind: 'bus', count: 2 }, { kind: 'taxi', count: -3 }] }),
    (e: unknown) => e instanceof ScenarioError && e.problems.includes('fleet[2].count: must be a positive integer'),
  );
  assert.throws(
    () => validateScenario({ name: 'x', fleet: [{ kind: 'truck', count: 1 }], events: [{ kind: 'h2Leak', at: 'soon' }] }),
    (e: unknown) =>
      e instanceof ScenarioError &&
      e.problems.some((p) => p.startsWith('fleet[0].kind: must be one of')) &&
      e.problems.some((p) => p.startsWith('events[0].at:')) &&
      e.problems.some((p) => p.startsWith('events[0].vehicle: required')),
  );
  const b = loadScenario('baoding');
  assert.deepEqual(b.fleet.map((g) => g.count), [400, 300, 100, 50]);
});

test('the GeoJSON basemap file matches the generated network', () => {
  const file = JSON.parse(readFileSync(new URL('../data/baoding-roads.geojson', import.meta.url), 'utf8'));
  assert.deepEqual(file, JSON.parse(JSON.stringify(roadsGeoJson())));
  const kinds = new Set(file.features.filter((f: any) => f.geometry.type === 'Point').map((f: any) => f.properties.kind));
  for (const k of ['taxiDepot', 'busDepot', 'sanitationDepot', 'charger', 'h2Station']) assert.ok(kinds.has(k), k);
  assert.ok(file.features.some((f: any) => f.properties.class === 'ring'));
});
