// Benchmark (not a test): how the live map copes with many vehicles. Starts the mock API with
// N vehicles ticking every second, opens the dashboard in headless chromium, and samples the
// flush interval, flush cost and animation-frame gaps for a while.
// Usage: node --import tsx packages/web/test/live-bench.ts [vehicles=5000] [seconds=15]
import { chromium } from 'playwright-core';
import { startMockApi } from './mock-api.mjs';

const vehicles = Number(process.argv[2] ?? 5000);
const seconds = Number(process.argv[3] ?? 15);
const mock = await startMockApi({ port: 0, vehicles, tickMs: Number(process.env.BENCH_TICK_MS ?? 1000) });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // tsx (esbuild keepNames) wraps named inner functions in __name(); give the page one.
  await page.addInitScript('window.__name = (f) => f');
  await page.goto(`${mock.url}/?token=${mock.token}`);
  await page.waitForFunction(() => (window.__nevhub?.renderedFeatureCount() ?? 0) > 0, undefined, { timeout: 60_000 });
  const result = await page.evaluate(async (ms) => {
    const probe = window.__nevhub!;
    const costs: number[] = [];
    const intervals: number[] = [];
    let lastCost = -1;
    const gaps: number[] = [];
    const longTasks: number[] = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
    let prev = performance.now();
    const end = prev + ms;
    await new Promise<void>((done) => {
      const frame = (now: number): void => {
        gaps.push(now - prev);
        prev = now;
        const c = probe.lastFlushCostMs();
        if (c !== lastCost) {
          costs.push(c);
          intervals.push(probe.flushIntervalMs());
          lastCost = c;
        }
        if (now < end) requestAnimationFrame(frame);
        else done();
      };
      requestAnimationFrame(frame);
    });
    const pct = (a: number[], p: number): number => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))] ?? 0;
    return {
      vehicles: probe.vehicleCount(),
      rendered: probe.renderedFeatureCount(),
      flushes: costs.length,
      flushCostMsP50: +pct(costs, 0.5).toFixed(1),
      flushCostMsMax: +Math.max(...costs).toFixed(1),
      flushIntervalMs: [Math.min(...intervals), Math.max(...intervals)],
      frames: gaps.length,
      frameGapMsP50: +pct(gaps, 0.5).toFixed(1),
      frameGapMsP99: +pct(gaps, 0.99).toFixed(1),
      longTasks: longTasks.length,
      longTaskMsTotal: Math.round(longTasks.reduce((a, b) => a + b, 0)),
      longTaskMsMax: Math.round(Math.max(0, ...longTasks)),
    };
  }, seconds * 1000);
  console.log(JSON.stringify({ ...result, wsMessages: mock.stats.wsMessages }, null, 2));
} finally {
  await browser.close();
  await mock.close();
}
