// The page's one live connection: an EventSource on /api/events. Pages register handlers for `runs`,
// `points` and `sweep` events; a route change closes the stream and opens the next page's. Reconnects are
// the browser's (it resends the last event id, the server's cursor), so nothing here polls.
import { reviveNonFinite } from './format.js';
import { url } from './api.js';

let source = null;
let handlers = { runs: [], points: [], sweep: [] };

/**
 * Opens the stream for the current page (closing the previous one): since = a cursor from /api/runs,
 * runs = run ids whose points to stream, keys = only these metric keys (optional).
 */
export function connect({ since, runs, keys } = {}) {
  if (source) source.close();
  source = new EventSource(url('/api/events', { since, run: runs, key: keys }));
  for (const type of Object.keys(handlers)) {
    source.addEventListener(type, e => dispatch(type, e.data));
  }
  // Some servers send unnamed events with a "type" field; accept those too.
  source.onmessage = e => {
    const data = parse(e.data);
    if (data && typeof data.type === 'string' && handlers[data.type]) dispatch(data.type, e.data);
  };
  // The browser reconnects by itself; an error while it does is not the page's error.
  source.onerror = () => {};
}

function parse(text) {
  try { return JSON.parse(text, reviveNonFinite); } catch { return null; }
}

function dispatch(type, text) {
  const data = parse(text);
  if (!data) return;
  for (const fn of handlers[type]) {
    try { fn(data); } catch (err) { reportHandlerError(err); }
  }
}

function reportHandlerError(err) {
  // A broken handler must not stop the others; show it like any other failure.
  import('./api.js').then(m => m.showError(`live update failed: ${err.message}`));
}

/** Registers a handler for `runs`, `points` or `sweep` events (until the next route change). */
export function on(type, fn) {
  if (!handlers[type]) throw new Error(`unknown live event type: ${type}`);
  handlers[type].push(fn);
}

/** Closes the stream and forgets the handlers (route change). */
export function reset() {
  if (source) source.close();
  source = null;
  handlers = { runs: [], points: [], sweep: [] };
}
