import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VehicleSummary } from './api/types.js';
import { parseRoute } from './router.js';
import { NO_FILTER, matchesFilter } from './status.js';
import { extent, heatColor } from './vehicle/heatScale.js';

const bus = { vin: 'LNBSCB30000007919', plate: '冀FF12345', vehicleType: 'bus', powertrain: 'fcev', status: 'alarm' } as VehicleSummary;

test('filters match type, powertrain, status and VIN/plate text', () => {
  assert.ok(matchesFilter(bus, NO_FILTER));
  assert.ok(matchesFilter(bus, { ...NO_FILTER, type: 'bus', powertrain: 'fcev', status: 'alarm' }));
  assert.ok(!matchesFilter(bus, { ...NO_FILTER, type: 'taxi' }));
  assert.ok(!matchesFilter(bus, { ...NO_FILTER, powertrain: 'bev' }));
  assert.ok(matchesFilter(bus, { ...NO_FILTER, q: '7919' }));
  assert.ok(matchesFilter(bus, { ...NO_FILTER, q: 'ff123' }));
  assert.ok(!matchesFilter(bus, { ...NO_FILTER, q: 'zzz' }));
});

test('hash routes', () => {
  assert.deepEqual(parseRoute(''), { page: 'map' });
  assert.deepEqual(parseRoute('#/'), { page: 'map' });
  assert.deepEqual(parseRoute('#/vehicle/LNBSCB30000007919'), { page: 'vehicle', vin: 'LNBSCB30000007919' });
  assert.deepEqual(parseRoute('#/vehicle/A%20B'), { page: 'vehicle', vin: 'A B' });
});

test('heat scale: extent ignores nulls, colours clamp at both ends', () => {
  assert.deepEqual(extent([[3.5, null], [null, 3.7]]), [3.5, 3.7]);
  assert.equal(extent([[null]]), null);
  assert.deepEqual(heatColor(-1), heatColor(0));
  assert.deepEqual(heatColor(2), heatColor(1));
  assert.notDeepEqual(heatColor(0), heatColor(1));
});
