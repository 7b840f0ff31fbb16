// Durable before acknowledgement (architecture.md): no reply leaves the gateway before the frame
// log has resolved the append, and the socket is not read while an append is outstanding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryFrameLog } from '../log/memory.js';
import type { NewLogEntry } from '../log/types.js';
import { loginFrame, realtimeFrame, startTestGateway, TestClient, until, VIN_A } from './testkit.js';

/** A FrameLog whose appends wait until the test releases them. */
class GatedLog extends MemoryFrameLog {
  readonly waiting: (() => void)[] = [];
  gated = true;
  override async append(entries: readonly NewLogEntry[]): Promise<number[]> {
    if (this.gated) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return super.append(entries);
  }
  release(): void {
    for (const w of this.waiting.splice(0)) w();
  }
}

test('login and realtime replies are sent only after the append resolved', async () => {
  const log = new GatedLog();
  const t = await startTestGateway({ log, gateway: { ackRealtime: true } });
  try {
    const c = new TestClient(t.port);
    c.send(loginFrame(2016, VIN_A));
    await until(() => log.waiting.length === 1, 2000, 'login append');
    // Give the gateway every chance to answer early.
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(c.received.length, 0, 'no login reply before the log resolved');
    log.release();
    assert.equal((await c.next())?.command, 'vehicleLogin');
    c.send(realtimeFrame(2016, VIN_A));
    await until(() => log.waiting.length === 1, 2000, 'realtime append');
    // While the append is outstanding the session does not read: later frames wait in the socket.
    c.send(realtimeFrame(2016, VIN_A));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(c.received.length, 1);
    assert.equal(log.waiting.length, 1, 'one append at a time per connection');
    assert.equal(await log.lastSeq(), 1);
    log.gated = false;
    log.release();
    const got = await c.frames(3);
    assert.equal(got.length, 3);
    assert.equal(await log.lastSeq(), 3);
    c.destroy();
  } finally {
    log.gated = false;
    log.release();
    await t.close();
  }
});
