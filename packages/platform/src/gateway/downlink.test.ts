// Platform → terminal commands (spec §11, §13): reply matching, storage, timeout and re-sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame, paramsWithLengths, type Frame, type Version } from '@nevhub/gbt32960';
import { loginFrame, startTestGateway, TestClient, timeAt, VIN_A } from './testkit.js';

/** A fake terminal: answers every downlink command after ignoring the first `ignore` of them. */
function answerDownlinks(c: TestClient, version: Version, ignore = 0): { seen: Frame[] } {
  const seen: Frame[] = [];
  let handled = 1; // the login reply
  c.socket.on('data', () => {
    while (c.received.length > handled) {
      const f = c.received[handled++];
      if (f.responseId !== 0xfe) continue;
      seen.push(f);
      if (seen.length <= ignore) continue;
      const body =
        f.command === 'paramQuery'
          ? paramsWithLengths([
              { id: 0x09, value: 30 },
              { id: 0x0b, value: 10 },
            ])
          : {};
      const reply = encodeFrame({
        version,
        command: f.command,
        response: f.command === 'terminalControl' ? 'error' : 'success',
        vin: f.vin,
        time: f.command === 'paramQuery' ? timeAt() : f.time,
        body:
          f.command === 'paramQuery'
            ? body
            : f.command === 'paramSet'
              ? { params: [] }
              : { controlId: 0x03, control: 'reset', params: {} },
      });
      c.send(reply);
    }
  });
  return { seen };
}

for (const version of [2016, 2025] as const) {
  test(`${version}: query, set and control are matched to the terminal's replies and stored`, async () => {
    const t = await startTestGateway();
    try {
      const c = new TestClient(t.port);
      c.send(loginFrame(version, VIN_A));
      await c.next();
      const { seen } = answerDownlinks(c, version);
      const q = await t.gateway.sendCommand(VIN_A, {
        command: 'paramQuery',
        body: {
          params: [
            { id: 0x09, name: 'heartbeatPeriod' },
            { id: 0x0b, name: 'platformResponseTimeout' },
          ],
        },
      });
      assert.equal(q.status, 'success');
      assert.equal(q.attempts, 1);
      assert.equal(q.reply?.command, 'paramQuery');
      const params = (q.reply?.body as { params: { id: number; value?: unknown }[] }).params;
      assert.deepEqual(
        params.map((p) => [p.id, p.value]),
        [
          [0x09, 30],
          [0x0b, 10],
        ],
      );
      const s = await t.gateway.sendCommand(VIN_A, {
        command: 'paramSet',
        body: paramsWithLengths([{ id: 0x09, value: 60 }]),
      });
      assert.equal(s.status, 'success');
      const ctl = await t.gateway.sendCommand(VIN_A, {
        command: 'terminalControl',
        body: { controlId: 0x03, control: 'reset', params: {} },
      });
      assert.equal(ctl.status, 'error', 'a 0x02 reply is an error outcome');
      assert.deepEqual(
        seen.map((f) => f.command),
        ['paramQuery', 'paramSet', 'terminalControl'],
      );
      const logged = await t.log.read(0, 10);
      assert.deepEqual(
        logged.map((e) => e.commandId),
        [0x01, 0x80, 0x81, 0x82],
      );
      assert.equal(q.replySeq, logged[1].seq);
      c.destroy();
    } finally {
      await t.close();
    }
  });
}

test('downlink: no reply → timeout after the configured attempts', async () => {
  const t = await startTestGateway({ downlink: { timeoutSec: 0.1, attempts: 3 } });
  try {
    const c = new TestClient(t.port);
    c.send(loginFrame(2016, VIN_A));
    await c.next();
    const r = await t.gateway.sendCommand(VIN_A, {
      command: 'paramQuery',
      body: { params: [{ id: 0x09, name: 'heartbeatPeriod' }] },
    });
    assert.equal(r.status, 'timeout');
    assert.equal(r.attempts, 3);
    const sent = await c.frames(4, 2000);
    assert.equal(
      sent.filter((f) => f.command === 'paramQuery').length,
      3,
      'three attempts on the wire (spec §13)',
    );
    c.destroy();
  } finally {
    await t.close();
  }
});

test('downlink: a terminal that ignores the first two attempts answers the third', async () => {
  const t = await startTestGateway({ downlink: { timeoutSec: 0.2, attempts: 3 } });
  try {
    const c = new TestClient(t.port);
    c.send(loginFrame(2025, VIN_A));
    await c.next();
    const { seen } = answerDownlinks(c, 2025, 2);
    const r = await t.gateway.sendCommand(VIN_A, {
      command: 'paramSet',
      body: paramsWithLengths([{ id: 0x09, value: 60 }]),
    });
    assert.equal(r.status, 'success');
    assert.equal(r.attempts, 3);
    assert.equal(seen.length, 3);
    c.destroy();
  } finally {
    await t.close();
  }
});

test('downlink: offline VIN', async () => {
  const t = await startTestGateway();
  try {
    const r = await t.gateway.sendCommand(VIN_A, {
      command: 'paramQuery',
      body: { params: [{ id: 0x09, name: 'heartbeatPeriod' }] },
    });
    assert.deepEqual(r, { status: 'offline', attempts: 0 });
  } finally {
    await t.close();
  }
});
