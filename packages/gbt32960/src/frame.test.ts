import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFrame, encodeFrame, fromHex, toHex } from './index.js';

// Worked example of spec §1 (36node/shanghaibus-messenger, real traffic).
test('decodes the spec worked example login and its platform reply', () => {
  const hex = '232301fe4c5a595442474357344a3130333634393701001e120a1e14233600353839383630343032313031373030313733333938010090';
  const f = decodeFrame(fromHex(hex)!);
  assert.equal(f.ok, true, JSON.stringify(f.error));
  assert.equal(f.version, 2016);
  assert.equal(f.command, 'vehicleLogin');
  assert.equal(f.vin, 'LZYTBGCW4J1036497');
  assert.equal(f.time, '2018-10-30T20:35:54+08:00');
  assert.deepEqual(f.body, { serial: 53, iccid: '89860402101700173398', packCount: 1, packCodeLength: 0, packCodes: [] });
  assert.equal(toHex(encodeFrame(f)), hex);
});

test('wrong BCC is GBT_ERR_BCC with the offset of the check byte', () => {
  const hex = '23230701483832323036353030303030303030303001000045';
  const f = decodeFrame(fromHex(hex)!);
  assert.equal(f.ok, false);
  assert.equal(f.error?.code, 'GBT_ERR_BCC');
  assert.equal(f.error?.offset, 24);
  assert.equal(f.command, 'heartbeat');
});
