// panoptim ui: the single-page app's entry. A router over hash routes (#/, #/runs/ID, #/compare?ids=...,
// #/sweeps, #/sweeps/ID), the top navigation, one live stream per page, and body[data-ready] for tests.
import { api, clearError, showError } from './js/api.js';
import { h } from './js/dom.js';
import * as live from './js/live.js';
import { homePage } from './js/home-page.js';
import { runPage } from './js/run-page.js';
import { comparePage } from './js/compare-page.js';
import { sweepsPage } from './js/sweeps-page.js';
import { sweepPage } from './js/sweep-page.js';

const main = document.querySelector('#main');
const projectSelect = document.querySelector('#project-select');
// Asked at once, alongside the page's own data; only the sweep page waits for it (its controls).
const infoReady = api('/api/info', null, { quiet: true }).catch(() => ({ readOnly: false }));
let cleanup = null;
let routeToken = 0;

window.addEventListener('unhandledrejection', e => {
  if (e.reason && e.reason.name === 'AbortError') { e.preventDefault(); return; }
  // ApiErrors are already in the banner; anything else is shown too, instead of a console error.
  if (!(e.reason && typeof e.reason === 'object' && 'status' in e.reason)) showError(String(e.reason?.message || e.reason));
  e.preventDefault();
});
window.addEventListener('error', e => showError(`${e.message}`));

/** The current route: {path: ['runs', 'ID'], params: URLSearchParams}. */
function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [p, q] = raw.split('?');
  return { path: p.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(q || '') };
}

async function cursorNow() {
  const res = await api('/api/runs', { limit: 1 });
  return res.cursor;
}

async function route() {
  const token = ++routeToken;
  document.body.dataset.ready = 'false';
  clearError();
  live.reset();
  if (cleanup) { try { cleanup(); } catch { /* the old page is gone either way */ } cleanup = null; }
  window.scrollTo(0, 0);
  const { path, params } = parseHash();
  const project = params.get('project') || '';
  highlightNav(path[0] || 'runs');
  if (projectSelect.value !== project && [...projectSelect.options].some(o => o.value === project)) projectSelect.value = project;
  main.replaceChildren(h('div', { class: 'loading-page' }, 'Loading\u2026'));
  try {
    let done;
    if (path.length === 0) {
      done = await homePage(main, { project: project || null });
    } else if (path[0] === 'runs' && path[1]) {
      done = await runPage(main, path[1], {}); // the run's answer carries the cursor: one request fewer
    } else if (path[0] === 'runs') {
      location.hash = '#/';
      return;
    } else if (path[0] === 'compare') {
      const ids = (params.get('ids') || '').split(',').map(s => s.trim()).filter(Boolean);
      if (!ids.length) throw new Error('compare: no run ids (use #/compare?ids=A,B)');
      done = await comparePage(main, ids, { cursor: await cursorNow(), group: params.get('group') || '' });
    } else if (path[0] === 'sweeps' && path[1]) {
      const [cursor, info] = await Promise.all([cursorNow(), infoReady]);
      done = await sweepPage(main, path[1], { cursor, info });
    } else if (path[0] === 'sweeps') {
      done = await sweepsPage(main, { project: project || null, cursor: await cursorNow() });
    } else {
      throw new Error(`no such page: #/${path.join('/')}`);
    }
    if (token !== routeToken) { if (typeof done === 'function') done(); return; }
    cleanup = typeof done === 'function' ? done : null;
  } catch (err) {
    if (token !== routeToken) return;
    if (!(err && typeof err === 'object' && 'status' in err)) showError(String(err?.message || err));
    if (main.querySelector('.loading-page')) main.replaceChildren(h('div', { class: 'page empty-page' }, h('p', { class: 'muted' }, 'This page could not be shown.')));
  }
  if (token === routeToken) document.body.dataset.ready = 'true';
}

function highlightNav(section) {
  for (const a of document.querySelectorAll('nav.top a[data-nav]')) {
    if (a.dataset.nav === (section === 'compare' ? 'runs' : section)) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function initNav() {
  projectSelect.addEventListener('change', () => {
    const p = projectSelect.value;
    const { path } = parseHash();
    const q = p ? `?project=${encodeURIComponent(p)}` : '';
    location.hash = path[0] === 'sweeps' ? `#/sweeps${q}` : `#/${q}`;
  });
  const [infoRes, projects] = await Promise.allSettled([infoReady, api('/api/projects', null, { quiet: true })]);
  if (infoRes.status === 'fulfilled') {
    const info = infoRes.value;
    const bits = [info.store, info.version ? `v${info.version}` : null, info.readOnly ? 'read-only' : null].filter(Boolean);
    document.querySelector('#server-info').textContent = bits.join(' \u00b7 ');
  }
  if (projects.status === 'fulfilled') {
    const current = parseHash().params.get('project') || '';
    projectSelect.append(...(projects.value.projects || []).map(p => h('option', { value: p }, p)));
    projectSelect.value = current;
  }
}

window.addEventListener('hashchange', route);
// The page's data and the navigation's (server info, projects) are fetched side by side.
route();
initNav();
