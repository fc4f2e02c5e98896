// What the harness (src/test/e2e/ui_browser_test.sh, bench/ui/scale.sh) hands the node scripts: the running
// server's URL, the seeder's manifest (what the store holds), the repository root and where screenshots go.
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run these tests through src/test/e2e/ui_browser_test.sh (or bench/ui/scale.sh)`);
  return v;
}

/** The server's base URL, with a trailing slash (PANOPTIM_UI_URL, as `panoptim ui` printed it). */
export const baseUrl = required('PANOPTIM_UI_URL').replace(/\/?$/, '/');
/** The seeder's manifest (dev.panoptim.ui.seed.SeedStore): ids and values planted in the store. */
export const seed = JSON.parse(readFileSync(required('PANOPTIM_UI_SEED'), 'utf8'));
/** The repository root, for bin/panoptim. */
export const root = process.env.PANOPTIM_ROOT ?? resolve(here, '../../../../..');
/** Where each test leaves a screenshot for people to look at. */
export const screenshots = process.env.PANOPTIM_UI_SCREENSHOTS ?? join(root, 'ui/target/screenshots');
mkdirSync(screenshots, { recursive: true });

/** GET path (relative to the base URL) and its parsed JSON, with status and content type. */
export async function getJson(path, init = {}) {
  const res = await fetch(new URL(path, baseUrl), init);
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = { unparsed: text };
  }
  return { status: res.status, type: res.headers.get('content-type'), body };
}
