import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeFuelCell } from './fuelCell.js';

test('flat contract shape passes through', () => {
  const v = normalizeFuelCell({
    latest: { stackVoltageV: 280, stackCurrentA: 90, h2RemainingPct: 60, h2MaxPressureMpa: 52, h2MaxConcentrationPpm: 180, h2MaxTempC: 31, dcdcState: 'working' },
    t: [1, 2],
    series: { stackVoltageV: [280, 281], stackCurrentA: [90, null], h2RemainingPct: [60, 60] },
  });
  assert.equal(v.latest?.stackVoltageV, 280);
  assert.deepEqual(v.t, [1, 2]);
  assert.deepEqual(v.series.stackCurrentA, [90, null]);
});

test('platform shape: 2016 fuel-cell item, nested series keyed by model paths', () => {
  const v = normalizeFuelCell({
    latest: {
      at: 5,
      fuelCell: { type: 'fuelCell', voltageV: 301.5, currentA: 'abnormal', h2MaxConcentrationPpm: 150, h2MaxTempC: 40, h2MaxPressureMpa: 35, dcdcState: 'working' },
      fuelCellStacks: null,
      h2RemainingPct: null,
      h2MaxPressureMpa: null,
      refuelling: false,
    },
    series: { t: [10, 20], series: { 'fuelCell.voltageV': [300, 301.5], 'fuelCell.currentA': [null, null], 'fuelCellStacks.stacks.0.currentA': [null, null], h2RemainingPct: [null, null] } },
  });
  assert.equal(v.latest?.stackVoltageV, 301.5);
  assert.equal(v.latest?.stackCurrentA, null, "'abnormal' is not a number to show");
  assert.equal(v.latest?.h2MaxPressureMpa, 35, 'falls back to the item when the top level is null');
  assert.equal(v.latest?.h2MaxConcentrationPpm, 150);
  assert.equal(v.latest?.dcdcState, 'working');
  assert.deepEqual(v.t, [10, 20]);
  assert.deepEqual(v.series.stackVoltageV, [300, 301.5]);
  assert.equal(v.series.stackCurrentA, undefined, 'all-null series are dropped');
});

test('platform shape: 2025 stacks body supplies stack voltage and current', () => {
  const v = normalizeFuelCell({
    latest: { fuelCell: { h2MaxConcentrationPct: 0.02, h2RemainingPct: 70 }, fuelCellStacks: { stacks: [{ stack: 1, voltageV: 250, currentA: 120 }] }, h2RemainingPct: null },
    series: { t: [1], series: { 'fuelCellStacks.stacks.0.voltageV': [250] } },
  });
  assert.equal(v.latest?.stackVoltageV, 250);
  assert.equal(v.latest?.stackCurrentA, 120);
  assert.equal(v.latest?.h2RemainingPct, 70);
  assert.equal(v.latest?.h2MaxConcentrationPct, 0.02);
  assert.deepEqual(v.series.stackVoltageV, [250]);
});

test('garbage gives an empty view', () => {
  assert.deepEqual(normalizeFuelCell(null), { latest: null, t: [], series: {} });
});
