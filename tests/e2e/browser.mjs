// Browser-test harness: a real `tongxin serve` on a fresh database (tests/api/harness.mjs) and
// Debian's chromium driven by playwright-core (no browser download is possible or needed).
//
//   const app = await startApp();                  // server + browser
//   const page = await app.page({ width: 375 });   // a fresh context (own cookies, storage)
//   await signIn(page, 'boss', 'Secret2026x');
//   await shot(page, 'org-list');                  // tests/e2e/.out/screenshots/org-list.png
//   await app.stop();
//
// Every page records the responses it receives, with their bytes on the wire (compressed), so
// tests can check the page-weight budget: await weight(page).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, selectors } from 'playwright-core';
import { startServer } from '../api/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const SHOTS = process.env.TONGXIN_E2E_SHOTS || join(here, '.out', 'screenshots');
export const CHROMIUM = process.env.TONGXIN_CHROMIUM || '/usr/bin/chromium';
// How long a step may wait: generous, because CI shares a 2-core machine and a loaded PostgreSQL
// answers a page several times slower than usual; a real failure still fails, only later.
const STEP_TIMEOUT = Number(process.env.TONGXIN_E2E_TIMEOUT) || 30000;

selectors.setTestIdAttribute('data-test'); // the pages mark what tests look for with data-test

let announced = false;

/** Starts the server (options as startServer's) and one headless chromium; playwright gives the
 * browser a fresh temporary profile, and each page() a fresh context (cookies, storage). */
export async function startApp(opts = {}) {
  const srv = await startServer(opts);
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--no-first-run', '--disable-sync'],
    });
  } catch (err) {
    await srv.stop();
    throw new Error(`cannot start ${CHROMIUM} (apt-get install chromium): ${err.message}`);
  }
  mkdirSync(SHOTS, { recursive: true });
  if (!announced) {
    console.log(`# screenshots: ${SHOTS}`);
    announced = true;
  }
  const contexts = [];
  return {
    srv,
    base: srv.base,
    /** A page in a fresh browser context; width 375 is a phone, else a desktop. */
    async page({ width = 1920, height, locale = 'zh-CN' } = {}) {
      const phone = width <= 480;
      const ctx = await browser.newContext({
        baseURL: srv.base,
        viewport: { width, height: height || (phone ? 812 : 1080) },
        deviceScaleFactor: 1,
        isMobile: phone,
        hasTouch: phone,
        locale,
      });
      contexts.push(ctx);
      const page = await ctx.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT);
      page.net = [];
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(String(e)));
      // script errors and console errors; a refused request is the network log's business
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.errors.push(m.text());
      });
      // Each finished request is recorded at once; its sizes arrive later (page.pending).
      page.pending = [];
      page.on('requestfinished', (req) => {
        const entry = { url: req.url(), status: 0, encoding: '', bytes: 0 };
        page.net.push(entry);
        page.pending.push((async () => {
          try {
            const res = await req.response();
            entry.status = res ? res.status() : 0;
            entry.encoding = res ? (await res.allHeaders())['content-encoding'] || '' : '';
            entry.bytes = (await req.sizes()).responseBodySize;
          } catch { /* the page went away; the entry stays with what it has */ }
        })());
      });
      return page;
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await srv.stop();
    },
  };
}

/** Signs in through the form and waits for the application shell. */
export async function signIn(page, username, password) {
  await page.goto('/sign-in');
  await page.getByLabel(/用户名|User name/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.locator('main#main').waitFor();
}

/** Clicks the entry `item` of the side menu, opening its group first when it is closed (the
 * menu is grouped: layouts/nav.ts). */
export async function navTo(page, group, item) {
  const nav = page.getByRole('navigation').first();
  const entry = nav.getByText(item, { exact: true });
  if (!(await entry.isVisible())) await nav.getByText(group, { exact: true }).click();
  await entry.click();
}

/** Saves a screenshot as SHOTS/<name>.png (the whole page; only the window with fullPage
 * false, for dialogs, whose overlay covers the window) and returns its path. */
export async function shot(page, name, { fullPage = true } = {}) {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** Bytes on the wire (compressed) of the page's recorded responses from index `from` on, in KiB
 * with one decimal. */
export async function weight(page, from = 0) {
  await Promise.all(page.pending);
  const bytes = page.net.slice(from).reduce((s, r) => s + r.bytes, 0);
  return Math.round(bytes / 102.4) / 10;
}

/** Waits until the network is quiet (no request for 500 ms). */
export async function settle(page) {
  await page.waitForLoadState('networkidle');
}
