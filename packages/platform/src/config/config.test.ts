import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defaultConfig, loadConfig, maskSecrets } from './index.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'nevhub-config-'));
}

test('defaults: gateway 32960, http 8080, Annex B timeouts', () => {
  const c = loadConfig({ env: {} });
  assert.deepEqual(c, defaultConfig());
  assert.equal(c.gateway.port, 32960);
  assert.equal(c.http.port, 8080);
  assert.equal(c.gateway.idleTimeoutSec, 180);
  assert.equal(c.downlink.attempts, 3);
  assert.equal(c.retention.rawLogDays, 'forever');
});

test('layers: defaults < YAML file < environment < flags', () => {
  const dir = tmp();
  try {
    const file = join(dir, 'nevhub.yaml');
    writeFileSync(
      file,
      [
        'gateway:',
        '  port: 4000',
        '  ackRealtime: true',
        'dataDir: /from/file',
        'http:',
        '  port: 9000',
        'platforms:',
        '  - {username: up, password: pw, allowedVins: "*"}',
      ].join('\n'),
    );
    const c = loadConfig({
      file,
      env: { NEVHUB_GATEWAY_PORT: '5000', NEVHUB_DATA_DIR: '/from/env' },
      flags: { gateway: { port: 6000 } },
    });
    assert.equal(c.gateway.port, 6000, 'flag wins');
    assert.equal(c.dataDir, '/from/env', 'env beats file');
    assert.equal(c.http.port, 9000, 'file beats default');
    assert.equal(c.gateway.ackRealtime, true);
    assert.equal(c.gateway.idleTimeoutSec, 180, 'untouched keys keep their default');
    assert.deepEqual(c.platforms, [{ username: 'up', password: 'pw', allowedVins: '*' }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('JSON file and validation errors name the field', () => {
  const dir = tmp();
  try {
    const file = join(dir, 'nevhub.json');
    writeFileSync(file, JSON.stringify({ gateway: { duplicateLogin: 'kick' } }));
    assert.throws(
      () => loadConfig({ file, env: {} }),
      (e: unknown) =>
        e instanceof ConfigError && e.field === 'gateway.duplicateLogin' && /replace, reject/.test(e.message),
    );
    writeFileSync(file, JSON.stringify({ gateway: { prot: 1 } }));
    assert.throws(() => loadConfig({ file, env: {} }), /gateway\.prot: unknown key/);
    writeFileSync(file, JSON.stringify({ gateway: { lenient: ['ignoreBcc', 'nope'] } }));
    assert.throws(() => loadConfig({ file, env: {} }), /gateway\.lenient\[1\]: unknown quirk "nope"/);
    writeFileSync(file, JSON.stringify({ platforms: [{ username: 'x', password: 'y', allowedVins: 5 }] }));
    assert.throws(() => loadConfig({ file, env: {} }), /platforms\[0\]\.allowedVins/);
    writeFileSync(file, '{ not json');
    assert.throws(() => loadConfig({ file, env: {} }), /not valid JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(
    () => loadConfig({ env: { NEVHUB_GATEWAY_PORT: '70000' } }),
    /gateway\.port: must be an integer 0…65535/,
  );
  assert.throws(() => loadConfig({ env: { NEVHUB_GATEWAY_ACK_REALTIME: 'maybe' } }), /gateway\.ackRealtime/);
  assert.equal(
    loadConfig({ env: { NEVHUB_GATEWAY_LENIENT: 'ignoreBcc, trailingBytes' } }).gateway.lenient.length,
    2,
  );
});

test('secrets are masked', () => {
  const c = loadConfig({
    env: {},
    flags: { platforms: [{ username: 'up', password: 'hunter2', allowedVins: ['LVIN0000000000001'] }] },
  });
  const masked = maskSecrets(c);
  assert.equal(masked.platforms[0].password, '***');
  assert.equal(masked.platforms[0].username, 'up');
  assert.equal(c.platforms[0].password, 'hunter2', 'the original is untouched');
  assert.ok(!JSON.stringify(masked).includes('hunter2'));
});
