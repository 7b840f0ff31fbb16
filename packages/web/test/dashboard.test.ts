// Browser test of the dashboard: Debian chromium (playwright-core) against the mock API, or
// against a real platform when NEVHUB_WEB_URL (+ NEVHUB_TOKEN) is set. Screenshots go to
// /work/main/test-artifacts (gitignored). Skips, saying why, only if chromium cannot start.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { startMockApi } from './mock-api.mjs';
import type { MockApi } from './mock-api.mjs';

const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Generous: CI runs this next to other suites on a 2-core machine with software WebGL.
const WAIT = { timeout: 60_000 };

let mock: MockApi | null = null;
let baseUrl = '';
let token = '';
let browser: Browser | null = null;
let page: Page | null = null;
let skipReason = '';

function ensureBuilt(): void {
  if (existsSync(`${WEB_DIR}/dist/index.html`)) return;
  const r = spawnSync('npx', ['vite', 'build'], { cwd: WEB_DIR, stdio: 'inherit', timeout: 300_000 });
  assert.equal(r.status, 0, 'vite build of packages/web failed');
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (process.env.NEVHUB_WEB_URL) {
    baseUrl = process.env.NEVHUB_WEB_URL.replace(/\/$/, '');
    token = process.env.NEVHUB_TOKEN ?? '';
  } else {
    ensureBuilt();
    mock = await startMockApi({ port: 0, vehicles: 400, tickMs: 500, maxPageSize: 150 });
    baseUrl = mock.url;
    token = mock.token;
  }
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // SwiftShader gives MapLibre a WebGL context without a GPU.
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    });
  } catch (err) {
    skipReason = `chromium could not be launched from ${CHROMIUM} (apt-get install -y chromium): ${String(err).split('\n')[0]}`;
    console.log(`# SKIP dashboard browser test: ${skipReason}`);
    return;
  }
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', deviceScaleFactor: 1 });
  page = await context.newPage();
  page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
});

after(async () => {
  await browser?.close();
  await mock?.close();
});

function need(t: { skip: (m: string) => void }): Page | null {
  if (!page) t.skip(skipReason || 'browser not available');
  return page;
}

const ONLINE_ROW = '[data-testid="vehicle-row"]:not([data-status="offline"])';

const positions = (p: Page) => p.evaluate(() => window.__nevhub?.positions() ?? []);

test('the token in the URL is stored and removed, and the map renders', async (t) => {
  const p = need(t);
  if (!p) return;
  await p.goto(`${baseUrl}/?token=${encodeURIComponent(token)}`);
  await p.waitForSelector('[data-testid="map"] canvas.maplibregl-canvas', WAIT);
  await p.waitForFunction(() => window.__nevhub?.mapReady() === true, undefined, WAIT);
  assert.ok(!p.url().includes('token='), `token still in URL: ${p.url()}`);
  assert.equal(await p.evaluate(() => localStorage.getItem('nevhub.token')), token);
  const box = await p.locator('[data-testid="map"]').boundingBox();
  assert.ok(box && box.width > 400 && box.height > 300, `map too small: ${JSON.stringify(box)}`);
});

test('vehicles appear on the map and move', async (t) => {
  const p = need(t);
  if (!p) return;
  await p.waitForFunction(() => (window.__nevhub?.renderedFeatureCount() ?? 0) > 0, undefined, WAIT);
  const count = await p.evaluate(() => window.__nevhub!.vehicleCount());
  if (mock) assert.equal(count, mock.vehicleCount);
  else assert.ok(count > 0);
  const rendered = await p.evaluate(() => window.__nevhub!.renderedFeatureCount());
  assert.ok(rendered > 0 && rendered <= count, `rendered ${rendered} of ${count}`);

  const first = await positions(p);
  await p.waitForFunction(
    (prev) => {
      const was = new Map(prev.map((v) => [v.vin, `${v.lon},${v.lat}`]));
      return (window.__nevhub?.positions() ?? []).some((v) => was.has(v.vin) && was.get(v.vin) !== `${v.lon},${v.lat}`);
    },
    first,
    WAIT,
  );
  const second = await positions(p);
  const was = new Map(first.map((v) => [v.vin, `${v.lon},${v.lat}`]));
  const moved = second.filter((v) => was.has(v.vin) && was.get(v.vin) !== `${v.lon},${v.lat}`);
  assert.ok(moved.length > 0, 'no vehicle moved between two reads');
  const interval = await p.evaluate(() => window.__nevhub!.flushIntervalMs());
  assert.ok(interval >= 500 && interval <= 1000, `flush interval ${interval} outside 500–1000 ms`);
  await p.screenshot({ path: `${ARTIFACTS}dashboard-map.png` });
});

test('fleet counts are shown', async (t) => {
  const p = need(t);
  if (!p) return;
  const num = async (id: string): Promise<number> => {
    const el = p.locator(`[data-testid="${id}"]`);
    await p.waitForFunction((sel) => /\d/.test(document.querySelector(sel)?.textContent ?? ''), `[data-testid="${id}"]`, WAIT);
    return Number((await el.textContent())!.replace(/[^\d]/g, ''));
  };
  const online = await num('count-online');
  const charging = await num('count-charging');
  const alarm = await num('count-alarm');
  const total = await p.evaluate(() => window.__nevhub!.vehicleCount());
  assert.ok(online > 0 && online <= total, `online ${online} of ${total}`);
  assert.ok(charging >= 0 && charging <= online);
  assert.ok(alarm >= 0 && alarm <= online);
  assert.ok((await p.locator('[data-testid="vehicle-row"]').count()) > 0, 'vehicle list is empty');
});

test('the language toggle switches the text and is remembered', async (t) => {
  const p = need(t);
  if (!p) return;
  const label = p.locator('.tile-label').first();
  assert.equal(await label.textContent(), 'Online');
  await p.click('[data-testid="lang-toggle"]');
  await p.waitForFunction(() => document.documentElement.lang === 'zh-CN', undefined, WAIT);
  assert.equal(await label.textContent(), '在线');
  assert.equal(await p.evaluate(() => localStorage.getItem('nevhub.lang')), 'zh');
  await p.screenshot({ path: `${ARTIFACTS}dashboard-map-zh.png` });
  await p.click('[data-testid="lang-toggle"]');
  await p.waitForFunction(() => document.documentElement.lang === 'en', undefined, WAIT);
  assert.equal(await label.textContent(), 'Online');
});

test('the vehicle page shows charts, heat strip, frames and a parameter query', async (t) => {
  const p = need(t);
  if (!p) return;
  // A vehicle that is reporting (a real platform also lists vehicles that never sent data).
  const row = p.locator(ONLINE_ROW).first();
  const href = (await row.getAttribute('href'))!;
  // Live updates re-sort the list (status changes), so the row may never be "stable" for
  // Playwright's actionability check; a person clicks it anyway.
  await row.click({ force: true });
  await p.waitForFunction((h) => window.location.hash === h, href, WAIT);
  for (const id of ['chart-speed', 'chart-soc', 'chart-voltage', 'chart-current']) {
    await p.waitForSelector(`[data-testid="${id}"] canvas`, WAIT);
  }
  await p.waitForSelector('[data-testid="heat-cells"] canvas', WAIT);
  // The strip is painted once the cell history has arrived.
  await p.waitForFunction(
    () => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid="heat-cells"] canvas');
      const px = c?.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
      return px !== undefined && px.length > 0 && px[3] > 0;
    },
    undefined,
    WAIT,
  );
  const heat = await p.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid="heat-cells"] canvas')!;
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) painted++;
    return { w: c.width, h: c.height, painted };
  });
  assert.ok(heat.w > 1 && heat.h > 1, `heat strip ${heat.w}×${heat.h}`);
  assert.equal(heat.painted, heat.w * heat.h, 'heat strip has unpainted cells');
  await p.waitForSelector('[data-testid="frames-table"] tbody tr', WAIT);
  assert.ok((await p.locator('[data-testid="frames-table"] tbody tr').count()) > 3);
  // The vehicle page scrolls inside its overlay: grow the viewport to its height for one shot.
  const viewport = p.viewportSize()!;
  const height = await p.evaluate(() => document.querySelector('[data-testid="vehicle-page"]')!.scrollHeight + 48);
  await p.setViewportSize({ width: viewport.width, height: Math.min(4000, Math.max(viewport.height, height)) });
  await p.screenshot({ path: `${ARTIFACTS}dashboard-vehicle.png` });
  await p.setViewportSize(viewport);

  await p.click('[data-testid="param-query"]');
  const result = p.locator('[data-testid="param-query-result"]');
  await result.waitFor(WAIT);
  assert.match((await result.textContent())!, /Success|Error reply|No reply|Vehicle offline/);
  await p.goto(`${baseUrl}/#/`);
  await p.waitForFunction(() => (window.__nevhub?.renderedFeatureCount() ?? 0) > 0, undefined, WAIT);
});

test('after the socket drops the dashboard reconnects and refetches the vehicles', async (t) => {
  const p = need(t);
  if (!p) return;
  if (!mock) return t.skip('needs the mock API to drop sockets');
  await p.waitForSelector('[data-testid="conn-state"].conn-open', WAIT);
  const before = { ...mock.stats };
  mock.dropSockets();
  await p.waitForSelector('[data-testid="conn-state"]:not(.conn-open)', WAIT);
  await p.waitForSelector('[data-testid="conn-state"].conn-open', WAIT);
  await p.waitForFunction(() => true);
  const deadline = Date.now() + 10_000;
  while (mock.stats.vehicleListRequests === before.vehicleListRequests && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(mock.stats.wsConnections > before.wsConnections, 'no new WebSocket connection');
  assert.ok(mock.stats.vehicleListRequests > before.vehicleListRequests, 'GET /vehicles not refetched after reconnect');
});

test('type and powertrain filters narrow the map and the list; fuel-cell vehicles show the H₂ panel', async (t) => {
  const p = need(t);
  if (!p) return;
  const all = await p.evaluate(() => window.__nevhub!.renderedFeatureCount());
  await p.selectOption('[data-testid="filter-powertrain"]', 'fcev');
  await p.waitForFunction((n) => (window.__nevhub?.renderedFeatureCount() ?? n) < n, all, WAIT);
  const subs = await p.locator('[data-testid="vehicle-row"] .vr-sub').allTextContents();
  assert.ok(subs.length > 0, 'no fuel-cell vehicle in the list');
  assert.ok(subs.every((s) => s.includes('Fuel cell')), `non-FCEV rows: ${subs.join(' | ')}`);
  await p.locator(ONLINE_ROW).first().click({ force: true });
  await p.waitForSelector('[data-testid="fuel-cell"] .kv', WAIT);
  await p.waitForSelector('[data-testid="chart-stack-voltage"] canvas', WAIT);
  await p.locator('[data-testid="fuel-cell"]').screenshot({ path: `${ARTIFACTS}dashboard-fuel-cell.png` });
  await p.goto(`${baseUrl}/#/`);
  await p.selectOption('[data-testid="filter-powertrain"]', '');
  await p.waitForFunction((n) => (window.__nevhub?.renderedFeatureCount() ?? 0) >= n * 0.9, all, WAIT);
});

test('clicking a vehicle on the map opens a popup that links to its page', async (t) => {
  const p = need(t);
  if (!p) return;
  const canvas = (await p.locator('[data-testid="map"] canvas').boundingBox())!;
  const target = await p.evaluate(
    ({ w, h }) => {
      const probe = window.__nevhub!;
      for (const v of probe.positions()) {
        const pt = probe.screenPoint(v.vin);
        if (pt && pt.x > 60 && pt.y > 60 && pt.x < w - 60 && pt.y < h - 60) return { vin: v.vin, ...pt };
      }
      return null;
    },
    { w: canvas.width, h: canvas.height },
  );
  assert.ok(target, 'no vehicle inside the map view');
  // Moving vehicles may have moved a few pixels; read the point again just before clicking, and
  // try again (a few times) when the vehicle drove away between the read and the click.
  const link = p.locator('.maplibregl-popup a.pp-link');
  for (let attempt = 0; ; attempt++) {
    const pt = (await p.evaluate((vin) => window.__nevhub!.screenPoint(vin), target.vin))!;
    await p.mouse.click(canvas.x + pt.x, canvas.y + pt.y);
    try {
      await link.waitFor({ timeout: attempt < 4 ? 3000 : WAIT.timeout });
      break;
    } catch (err) {
      if (attempt >= 4) throw err;
    }
  }
  await p.screenshot({ path: `${ARTIFACTS}dashboard-popup.png` });
  const href = (await link.getAttribute('href'))!;
  assert.match(href, /^#\/vehicle\/[A-Z0-9]+$/);
  await link.click();
  await p.waitForFunction((h) => window.location.hash === h, href, WAIT);
  await p.waitForSelector('[data-testid="chart-speed"] canvas', WAIT);
  await p.goto(`${baseUrl}/#/`);
});

test('without a stored token the login form asks for one; a wrong token returns to it', async (t) => {
  const p = need(t);
  if (!p || !browser) return;
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'zh-CN' });
  try {
    const fresh = await context.newPage();
    await fresh.goto(`${baseUrl}/`);
    const input = fresh.locator('[data-testid="login-token"]');
    await input.waitFor(WAIT);
    // Default language follows navigator.language.
    assert.equal(await fresh.evaluate(() => document.documentElement.lang), 'zh-CN');
    await fresh.screenshot({ path: `${ARTIFACTS}dashboard-login.png` });
    await input.fill('not-the-token');
    await fresh.keyboard.press('Enter');
    // 401 → token dropped → form again.
    await fresh.waitForFunction(
      () => localStorage.getItem('nevhub.token') === null && document.querySelector('[data-testid="login-token"]') !== null,
      undefined,
      WAIT,
    );
    await fresh.locator('[data-testid="login-token"]').fill(token);
    await fresh.keyboard.press('Enter');
    await fresh.waitForFunction(() => (window.__nevhub?.vehicleCount() ?? 0) > 0, undefined, WAIT);
  } finally {
    await context.close();
  }
});
