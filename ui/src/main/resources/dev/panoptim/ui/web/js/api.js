// Fetching the JSON API: NaN/Infinity strings become numbers, {"error"} answers become ApiError and are
// shown in the page's [data-testid=error] banner unless the caller shows them itself.
import { reviveNonFinite } from './format.js';

/** An error answer of the API: status and the server's message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Builds "/api/x?a=1&key=k1&key=k2" from params (arrays repeat the parameter; null/undefined/'' are left out). */
export function url(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === null || v === undefined || v === '') continue;
    if (Array.isArray(v)) v.forEach(x => q.append(k, x));
    else q.append(k, v);
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * GET (or POST with method 'POST') a JSON API path. Rejects with ApiError; unless opts.quiet, the message is
 * also shown in the error banner.
 */
export async function api(path, params, opts = {}) {
  let res;
  try {
    res = await fetch(url(path, params), { method: opts.method || 'GET', headers: { Accept: 'application/json' }, signal: opts.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    const err = new ApiError(0, `cannot reach the panoptim ui server (${e.message})`);
    if (!opts.quiet) showError(err.message);
    throw err;
  }
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text, reviveNonFinite) : null; } catch { body = null; }
  if (!res.ok || (body && typeof body === 'object' && !Array.isArray(body) && 'error' in body && Object.keys(body).length === 1)) {
    const message = body && body.error ? body.error : `${res.status} ${res.statusText}: ${text.slice(0, 200)}`;
    const err = new ApiError(res.status, message);
    if (!opts.quiet) showError(message);
    throw err;
  }
  if (body === null) {
    const err = new ApiError(res.status, `${path}: the answer is not JSON`);
    if (!opts.quiet) showError(err.message);
    throw err;
  }
  return body;
}

/**
 * Shows a message in the page-wide error banner [data-testid=error] (one banner, the latest message). The
 * banner exists only while there is an error, so a healthy page has no [data-testid=error] at all.
 */
export function showError(message) {
  const host = document.querySelector('#errors');
  if (!host) return;
  let el = host.querySelector('[data-testid=error]');
  if (!el) {
    el = document.createElement('div');
    el.className = 'error-banner';
    el.dataset.testid = 'error';
    el.setAttribute('role', 'alert');
    const text = document.createElement('span');
    text.className = 'message';
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'close';
    close.setAttribute('aria-label', 'Dismiss');
    close.addEventListener('click', () => el.remove());
    el.append(text, close);
    host.append(el);
  }
  el.querySelector('.message').textContent = message;
}

/** Removes the banner (on route change). */
export function clearError() {
  document.querySelector('#errors [data-testid=error]')?.remove();
}
