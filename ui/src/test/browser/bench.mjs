// The scale benchmark of `panoptim ui` (bench/ui/scale.sh runs it against a bulk-seeded store): in headless
// Chromium, a fresh browser context (cold cache) per repetition, times
//   - the runs table's first page: navigation start -> body[data-ready=true] on `/`;
//   - the 1M-step run's chart: navigation start -> its loss panel's canvas drawn and body[data-ready=true];
// and from node, the API calls behind them: GET /api/runs (first page) and /api/runs/ID/history?key=loss&buckets=1000.
// Both page times also with the browser's cache warm (a reload). Prints a markdown table of medians (min, max) over
// PANOPTIM_BENCH_REPS repetitions (default 5).
import { launch } from './lib/browser.mjs';
import { baseUrl, seed } from './lib/env.mjs';

const reps = Number(process.env.PANOPTIM_BENCH_REPS ?? 5);
const TARGET_MS = 1000;

// Runs in the page before its scripts: notes performance.now() (ms since navigation start) when body gets
// data-ready=true, and when the first `.uplot canvas` appears inside the metric panel of window.__benchKey.
function recordMilestones() {
  window.__readyAt = null;
  window.__canvasAt = null;
  const check = () => {
    const now = performance.now();
    if (window.__readyAt === null && document.body?.dataset.ready === 'true') window.__readyAt = now;
    const key = sessionStorage.getItem('benchKey');
    if (key && window.__canvasAt === null && document.querySelector(`[data-testid=metric-panel][data-key="${key}"] .uplot canvas`)) {
      window.__canvasAt = now;
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
}

async function newContext(browser, key) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript(recordMilestones);
  if (key) await context.addInitScript((k) => sessionStorage.setItem('benchKey', k), key);
  return context;
}

/** ms from navigation start to the route drawn; in a fresh context (cold cache) unless `warm` (a context that loaded it). */
async function pageTime(browser, route, key, warm = null) {
  const context = warm ?? (await newContext(browser, key));
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(baseUrl + route);
    await page.waitForFunction((k) => window.__readyAt !== null && (!k || window.__canvasAt !== null), key, { timeout: 60_000 });
    if (errors.length) throw new Error(`errors on ${route || '/'}: ${errors.join('; ')}`);
    const ms = await page.evaluate(() => Math.max(window.__readyAt, window.__canvasAt ?? 0));
    if (warm) await page.close();
    return ms;
  } finally {
    if (!warm) await context.close();
  }
}

/** As pageTime, with the browser's cache warm: one context loads the route once, then each repetition again. */
async function warmPageTimes(browser, route, key) {
  const context = await newContext(browser, key);
  try {
    await pageTime(browser, route, key, context);
    return await measureAll(() => pageTime(browser, route, key, context));
  } finally {
    await context.close();
  }
}

async function apiTime(path) {
  const t0 = performance.now();
  const res = await fetch(new URL(path, baseUrl));
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 300)}`);
  return { ms, bytes: body.length, body };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function measureAll(once) {
  const times = [];
  for (let i = 0; i < reps; i++) times.push(await once());
  return times;
}

async function measure(what, once) {
  return summary(what, await measureAll(once));
}

function summary(what, times) {
  return { what, times, median: median(times), min: Math.min(...times), max: Math.max(...times) };
}

const longId = seed.long.id, longKey = seed.long.key;
const runsApi = await apiTime('api/runs');
if (runsApi.body && JSON.parse(runsApi.body).total !== seed.runCount) {
  throw new Error(`/api/runs total ${JSON.parse(runsApi.body).total}, the store holds ${seed.runCount} runs`);
}
const historyApi = await apiTime(`api/runs/${longId}/history?key=${longKey}&buckets=1000`);
const rows = JSON.parse(historyApi.body).series[0].rows;
if (rows.reduce((n, r) => n + r[2], 0) !== seed.long.steps) throw new Error(`the history's counts do not add up to ${seed.long.steps}`);

const browser = await launch();
const results = [];
try {
  results.push(await measure(`runs table, first page drawn (${seed.runCount.toLocaleString('en')} runs): navigation -> data-ready`,
    () => pageTime(browser, '', null)));
  results.push(summary('the same, browser cache warm (a reload)', await warmPageTimes(browser, '', null)));
  results.push(await measure('GET /api/runs (first page, 100 rows)', async () => (await apiTime('api/runs')).ms));
  results.push(await measure(`chart of the ${seed.long.steps.toLocaleString('en')}-step run drawn: navigation -> canvas + data-ready`,
    () => pageTime(browser, `#/runs/${longId}`, longKey)));
  results.push(summary('the same, browser cache warm (a reload)', await warmPageTimes(browser, `#/runs/${longId}`, longKey)));
  results.push(await measure(`GET /api/runs/ID/history?key=${longKey}&buckets=1000 (${seed.long.steps.toLocaleString('en')} steps)`,
    async () => (await apiTime(`api/runs/${longId}/history?key=${longKey}&buckets=1000`)).ms));
  results.push(await measure(`GET /api/runs/ID (the ${seed.long.steps.toLocaleString('en')}-step run: metric keys, counts)`,
    async () => (await apiTime(`api/runs/${longId}`)).ms));
} finally {
  await browser.close();
}

const ms = (x) => `${Math.round(x)} ms`;
console.log(`\n| what | median | min | max | under ${TARGET_MS} ms |`);
console.log('| --- | ---: | ---: | ---: | :---: |');
for (const r of results) console.log(`| ${r.what} | ${ms(r.median)} | ${ms(r.min)} | ${ms(r.max)} | ${r.median < TARGET_MS ? 'yes' : '**no**'} |`);
console.log(`\n${reps} repetitions each (browser: a fresh context, cold cache, per repetition); first calls: /api/runs ${ms(runsApi.ms)}, `
  + `history ${ms(historyApi.ms)} (${historyApi.bytes.toLocaleString('en')} bytes, ${rows.length} buckets).`);
