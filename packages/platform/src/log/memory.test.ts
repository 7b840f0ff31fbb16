import { runFrameLogConformance } from './conformance.js';
import { MemoryFrameLog, newMemoryLogState } from './memory.js';

runFrameLogConformance('memory', (options) => {
  const state = newMemoryLogState();
  let log = new MemoryFrameLog({ state, maxPending: options?.maxPending });
  return Promise.resolve({
    log,
    async reopen() {
      await log.close();
      log = new MemoryFrameLog({ state, maxPending: options?.maxPending });
      return log;
    },
    cleanup: () => log.close(),
  });
});
