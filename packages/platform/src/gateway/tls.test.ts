// TLS and mutual TLS listeners (certificates made with the system openssl in a temp dir).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { decodeFrame, FrameSplitter, RESPONSE_IDS, type Frame } from '@nevhub/gbt32960';
import { loginFrame, startTestGateway, VIN_A } from './testkit.js';

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

function makeCerts(dir: string): void {
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=nevhub test CA',
  );
  for (const name of ['server', 'client']) {
    openssl(
      dir,
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      name === 'server' ? '/CN=localhost' : '/CN=LNBSCU3H8JR000001',
    );
    openssl(
      dir,
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
    );
  }
}

/** Connects, logs in and resolves with the first frame back (or undefined when the link fails). */
function loginOver(
  port: number,
  opts: { ca: Buffer; cert?: Buffer; key?: Buffer },
): Promise<Frame | undefined> {
  return new Promise((resolve) => {
    const s: TLSSocket = connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
    });
    const splitter = new FrameSplitter();
    s.on('secureConnect', () => s.write(loginFrame(2025, VIN_A)));
    s.on('data', (d: Buffer) =>
      splitter.push(d, (f) => {
        resolve(decodeFrame(f));
        s.destroy();
      }),
    );
    s.on('error', () => resolve(undefined));
    s.on('close', () => resolve(undefined));
  });
}

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

test('TLS and mutual TLS', { skip: hasOpenssl ? false : 'openssl not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nevhub-tls-'));
  try {
    makeCerts(dir);
    const ca = readFileSync(join(dir, 'ca.pem'));
    const tls = { cert: join(dir, 'server.pem'), key: join(dir, 'server.key') };
    const plain = await startTestGateway({ gateway: { tls } });
    try {
      const r = await loginOver(plain.port, { ca });
      assert.equal(r?.responseId, RESPONSE_IDS.success);
    } finally {
      await plain.close();
    }
    const mutual = await startTestGateway({ gateway: { tls: { ...tls, ca: join(dir, 'ca.pem') } } });
    try {
      assert.equal(await loginOver(mutual.port, { ca }), undefined, 'no client certificate → refused');
      assert.equal(await mutual.log.lastSeq(), 0);
      const r = await loginOver(mutual.port, {
        ca,
        cert: readFileSync(join(dir, 'client.pem')),
        key: readFileSync(join(dir, 'client.key')),
      });
      assert.equal(r?.responseId, RESPONSE_IDS.success);
      assert.equal(await mutual.log.lastSeq(), 1);
    } finally {
      await mutual.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
