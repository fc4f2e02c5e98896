// The run page (#/runs/ID): W&B's automatic workspace — one line panel per metric in a grid, sectioned by
// key prefix — plus media, histograms, system metrics, config, summary and files, all updated live.
import { api } from './api.js';
import { encodePath, fill, h, runColor, section, stateBadge } from './dom.js';
import { formatAgo, formatBytes, formatDuration, formatTime, formatValue } from './format.js';
import { timeAnchors } from './buckets.js';
import { MetricPanel, makePlot } from './chart.js';
import { chartControls, loadSettings } from './controls.js';
import { filterKeys, sections } from './keys.js';
import { mediaPanel } from './media.js';
import { histogramPanel } from './histograms.js';
import * as live from './live.js';

const KEYS_PER_REQUEST = 12;

/** Draws the run page into root; resolves once the first data is drawn. Returns a cleanup function. */
export async function runPage(root, id, { cursor }) {
  const settings = loadSettings();
  const panels = new Map();
  const buffered = []; // points that arrived before the panels had their history
  let historyLoaded = false;
  const color = runColor(id);

  live.on('points', e => {
    if (e.run !== id || !e.key || e.key.startsWith('_')) return;
    if (!historyLoaded) { buffered.push(e); return; }
    applyPoints(e);
  });
  live.on('runs', e => {
    const row = (e.runs || []).find(r => r.id === id);
    if (row) updateRun(row);
  });
  const run = await api(`/api/runs/${encodeURIComponent(id)}`);
  // Opened before the histories are fetched: points logged meanwhile are buffered, then the overlap dropped.
  live.connect({ since: cursor ?? run.cursor, runs: [id] });
  const stateEl = h('span', { class: 'state-slot' }, stateBadge(run.state, 'run-state'));
  const metaEl = h('div', { class: 'meta' });
  const summaryTable = h('table', { class: 'kv', dataset: { testid: 'run-summary' } });
  const configTable = h('table', { class: 'kv', dataset: { testid: 'run-config' } });
  const grid = h('div', { class: 'panel-sections', dataset: { testid: 'charts-section' } });
  let search = '';

  const controls = chartControls(settings, {
    onChange: () => settingsChanged(),
    onSearch: text => { search = text; layoutPanels(); },
  });
  const metricKeys = () => [...panels.keys()];

  const drawMeta = r => {
    fill(metaEl,
      meta('ID', h('span', { class: 'mono' }, r.id)),
      meta('Project', r.project),
      meta('Created', h('span', { title: formatTime(r.createdAt) }, formatAgo(r.createdAt))),
      meta('Runtime', formatDuration(r.durationMs)),
      meta('Step', r.lastStep >= 0 ? String(r.lastStep) : ''),
      run.host ? meta('Host', run.host) : null,
      run.pid ? meta('PID', String(run.pid)) : null,
      (r.tags || []).length ? meta('Tags', (r.tags || []).map(t => h('span', { class: 'tag' }, t))) : null,
    );
  };
  const updateRun = r => {
    stateEl.replaceChildren(stateBadge(r.state, 'run-state'));
    Object.assign(run, r);
    drawMeta(run);
    fillKv(summaryTable, run.summary || {});
    refreshSystemSoon();
  };

  const links = h('div', { class: 'links' },
    h('a', { href: `/reports/runs/${encodeURIComponent(id)}`, target: '_blank', rel: 'noopener' }, 'Report \u2197'),
    run.sweepId ? h('a', { href: `#/sweeps/${encodeURIComponent(run.sweepId)}` }, `Sweep ${run.sweepId}`) : null);

  root.replaceChildren(h('div', { class: 'page run-page', dataset: { testid: 'run-page', runId: id } },
    h('div', { class: 'page-head' },
      h('div', { class: 'crumbs' }, h('a', { href: `#/?project=${encodeURIComponent(run.project || '')}` }, run.project || 'runs'), ' / '),
      h('h1', null, h('span', { class: 'swatch big', style: { background: color } }), run.name || run.id, ' ', stateEl), links),
    metaEl,
    controls.el,
    grid,
  ));
  drawMeta(run);
  const page = root.firstChild;

  // Metric panels, sectioned by key prefix, filtered by the panel search.
  const makePanel = key => {
    const p = new MetricPanel({
      key, runs: [{ id, name: run.name || id, color, startAt: run.createdAt }], settings,
      fetchRange: (from, to, buckets) => fetchHistory([key], { from, to, buckets }).then(m => m.get(key)),
    });
    panels.set(key, p);
    return p;
  };
  const sectionEls = new Map();
  const layoutPanels = () => {
    const keys = filterKeys(metricKeys(), search);
    const secs = sections(keys);
    const out = [];
    for (const s of secs) {
      let el = sectionEls.get(s.name);
      if (!el) {
        el = { grid: h('div', { class: 'panel-grid' }) };
        el.box = h('details', { class: 'subsection', open: true }, h('summary', null, s.name, h('span', { class: 'count' }, '')), el.grid);
        sectionEls.set(s.name, el);
      }
      el.box.querySelector('.count').textContent = ` ${s.keys.length}`;
      el.grid.replaceChildren(...s.keys.map(k => panels.get(k).el));
      out.push(el.box);
    }
    if (!out.length) out.push(h('p', { class: 'muted' }, metricKeys().length ? 'No panel matches the search.' : 'No metrics logged yet.'));
    grid.replaceChildren(...out);
  };

  const xKey = () => (settings.xAxis.startsWith('metric:') ? settings.xAxis.slice(7) : null);

  /** History of keys (one request per KEYS_PER_REQUEST keys): Map(key -> Map(runId -> data)). */
  async function fetchHistory(keys, { from, to, buckets }) {
    const out = new Map();
    const xk = xKey();
    const chunks = [];
    for (let i = 0; i < keys.length; i += KEYS_PER_REQUEST) chunks.push(keys.slice(i, i + KEYS_PER_REQUEST));
    await Promise.all(chunks.map(async chunk => {
      const ask = xk && !chunk.includes(xk) ? [...chunk, xk] : chunk;
      const res = await api(`/api/runs/${encodeURIComponent(id)}/history`, { key: ask, from, to, buckets });
      const anchors = timeAnchors(res.times);
      const byKey = new Map((res.series || []).map(s => [s.key, s.rows || []]));
      for (const k of chunk) {
        out.set(k, new Map([[id, { rows: byKey.get(k) || [], xRows: xk ? byKey.get(xk) || [] : [], anchors, from: res.from, width: res.bucketWidth }]]));
      }
    }));
    return out;
  }

  let loadedX = null; // the x-axis metric whose rows the panels hold
  const loadAll = async () => {
    loadedX = xKey();
    const keys = metricKeys();
    if (!keys.length) return;
    const buckets = panels.get(keys[0]).pixelWidth();
    const got = await fetchHistory(keys, { buckets });
    for (const [k, m] of got) {
      const p = panels.get(k);
      const d = m.get(id);
      p.maxRows = Math.max(2 * buckets, 400);
      p.setRun(id, d);
      p.zoom = null;
      p.runs[0].zoom = null;
      p.destroyPlot();
      p.render();
    }
  };

  const settingsChanged = () => {
    if (xKey() && xKey() !== loadedX) {
      loadAll().catch(() => {});
    } else {
      for (const p of panels.values()) { p.zoom = null; p.runs[0].zoom = null; p.destroyPlot(); p.render(); }
    }
  };

  const applyPoints = e => {
    let p = panels.get(e.key);
    if (!p) {
      p = makePanel(e.key);
      controls.setMetricKeys(metricKeys());
      layoutPanels();
    }
    p.append(id, e.rows || []);
    if (xKey() === e.key) for (const q of panels.values()) q.appendX(id, e.rows || []);
  };

  for (const m of (run.metrics || []).filter(m => !m.key.startsWith('_')).sort((a, b) => a.key.localeCompare(b.key))) makePanel(m.key);
  controls.setMetricKeys(metricKeys());
  layoutPanels();

  // Media, histograms, system, config, summary, files.
  const medias = (run.media || []).map(m => mediaPanel(id, m));
  const hists = (run.histograms || []).map(k => histogramPanel(id, k));
  const systemGrid = h('div', { class: 'panel-grid' });
  if (medias.length) page.append(section('Media', 'media-section', h('div', { class: 'panel-grid wide' }, medias.map(m => m.el))));
  if (hists.length) page.append(section('Histograms', 'histograms-section', h('div', { class: 'panel-grid' }, hists.map(x => x.el))));
  if ((run.system || []).length) page.append(section('System', 'system-section', systemGrid));
  fillKv(configTable, run.config || {});
  fillKv(summaryTable, run.summary || {});
  page.append(section('Overview', 'overview-section', h('div', { class: 'two-col' },
    h('div', null, h('h3', null, 'Config'), configTable), h('div', null, h('h3', null, 'Summary'), summaryTable))));
  page.append(section('Files', 'files-section', filesTable(id, run.files || [])));

  const systemPlots = [];
  const loadSystem = async () => {
    if (!(run.system || []).length) return;
    const res = await api(`/api/runs/${encodeURIComponent(id)}/system`);
    for (const u of systemPlots.splice(0)) u.destroy();
    const start = run.createdAt || 0;
    systemGrid.replaceChildren(...(res.series || []).map(s => {
      const plotEl = h('div', { class: 'panel-plot' });
      const el = h('div', { class: 'panel', dataset: { testid: 'system-panel', key: s.key } },
        h('div', { class: 'panel-head' }, h('span', { class: 'panel-title' }, s.key)), plotEl);
      el.plotEl = plotEl;
      el.series = s;
      return el;
    }));
    for (const el of systemGrid.children) {
      const pts = (el.series.points || []).slice().sort((a, b) => a[0] - b[0]);
      const xs = pts.map(p => (p[0] - start) / 1000), ys = pts.map(p => (Number.isFinite(p[1]) ? p[1] : null));
      systemPlots.push(makePlot(el.plotEl, { xs, series: [{ label: el.dataset.key, color: '#7d54b2', ys }], xKind: 'relative', xLabel: 'Relative time' }, el.plotEl.clientWidth || 380));
    }
  };
  let systemTimer = null, lastSystem = 0;
  const refreshSystemSoon = () => {
    if (systemTimer) return;
    const wait = Math.max(0, 5000 - (Date.now() - lastSystem));
    systemTimer = setTimeout(() => { systemTimer = null; lastSystem = Date.now(); loadSystem().catch(() => {}); }, wait);
  };

  await Promise.allSettled([
    loadAll().finally(() => {
      historyLoaded = true;
      for (const e of buffered.splice(0)) applyPoints(e);
    }),
    ...medias.map(m => m.load()),
    ...hists.map(x => x.load()),
    loadSystem().then(() => { lastSystem = Date.now(); }),
  ]);
  for (const p of panels.values()) if (!p.plot) p.render();

  return () => {
    clearTimeout(systemTimer);
    for (const p of panels.values()) p.destroy();
    for (const u of systemPlots) u.destroy();
  };
}

function meta(label, value) {
  if (value === null || value === undefined || value === '') return null;
  return h('span', { class: 'meta-item' }, h('span', { class: 'meta-label' }, label), ' ', value);
}

/** A key/value table of flattened (dotted) keys, sorted. */
export function fillKv(table, obj) {
  const keys = Object.keys(obj).filter(k => !k.startsWith('_')).sort();
  table.replaceChildren(h('tbody', null, keys.length
    ? keys.map(k => h('tr', { dataset: { key: k } }, h('th', null, k), h('td', null, formatValue(obj[k]))))
    : h('tr', null, h('td', { class: 'muted' }, 'none'))));
}

function filesTable(id, files) {
  const table = h('table', { class: 'files', dataset: { testid: 'run-files' } });
  table.append(h('thead', null, h('tr', null, h('th', null, 'File'), h('th', null, 'Size'), h('th', null, 'Modified'))),
    h('tbody', null, files.length
      ? files.map(f => h('tr', null,
        h('td', null, h('a', { href: `/api/runs/${encodeURIComponent(id)}/files/${encodePath(f.name)}`, download: f.name.split('/').pop() }, f.name)),
        h('td', { class: 'num' }, formatBytes(f.bytes)),
        h('td', null, formatTime(f.modifiedAt))))
      : h('tr', null, h('td', { colspan: 3, class: 'muted' }, 'No files.'))));
  return table;
}
