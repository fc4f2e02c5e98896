// Headless Chromium through playwright-core (no browser download): Debian's chromium, found as the JVM tests find it
// ($PANOPTIM_CHROMIUM, else the first of chromium, chromium-browser, google-chrome on PATH). Every page collects its
// console errors and uncaught exceptions, which each test checks at its end.
import { chromium } from 'playwright-core';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { baseUrl, screenshots } from './env.mjs';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function executable(p) {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser binary, or null (with the reason in findChromium.why). */
export function findChromium() {
  const env = process.env.PANOPTIM_CHROMIUM;
  if (env) return executable(env) ? env : null;
  for (const name of CANDIDATES) {
    for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
      const p = join(dir || '.', name);
      if (executable(p)) return p;
    }
  }
  return null;
}

/** Launches headless chromium, offline-safe (no background networking, no sandbox: tests often run as root). */
export async function launch() {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(`no chromium: set PANOPTIM_CHROMIUM or install one of ${CANDIDATES.join(', ')}`);
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-extensions', '--no-first-run'],
  });
}

/**
 * A new page (1400x900) at `route` (e.g. '', '#/runs/ID'), collecting problems: console errors and page errors.
 * Returns { page, problems }; call expectNoProblems at the test's end.
 */
export async function open(browser, route, { waitReady = true, timeout = 30_000 } = {}) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error at ${route || '/'}: ${m.text()} (${m.location()?.url ?? ''})`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught at ${route || '/'}: ${e.stack ?? e}`));
  await page.goto(baseUrl + route);
  if (waitReady) await ready(page, timeout);
  return { page, problems };
}

/** Waits for the route's first data to be drawn: body[data-ready=true] (ui-dom-contract.md). */
export async function ready(page, timeout = 30_000) {
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout });
}

/** A full-page screenshot under ui/target/screenshots/NAME.png. */
export async function shot(page, name) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

/** The texts of `selector`'s matches. */
export async function texts(page, selector) {
  return page.$$eval(selector, (els) => els.map((e) => e.textContent.trim()));
}

/** The values of attribute `name` of `selector`'s matches. */
export async function attributes(page, selector, name) {
  return page.$$eval(selector, (els, n) => els.map((e) => e.getAttribute(n)), name);
}
