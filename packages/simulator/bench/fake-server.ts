// The test FakePlatform as a standalone process (answers logins/heartbeats, decodes every frame, no
// storage): separates the simulator's own limits from a real gateway's. Prints its port.
import { FakePlatform } from '../src/testing/fake-platform.js';

const p = new FakePlatform();
const port = await p.start();
console.log(`fake platform listening on 127.0.0.1:${port}`);
setInterval(() => {
  // Keep memory flat on long runs: only the count matters here.
  p.received.length = 0;
}, 1000);
