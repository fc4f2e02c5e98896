// The compare page (#/compare?ids=A,B,...): config differences highlighted, every metric overlaid with one
// colour per run (or one mean line with a min-max band per group of runs), live like the run page.
import { api } from './api.js';
import { h, runColor, section, stateBadge } from './dom.js';
import { formatValue } from './format.js';
import { timeAnchors } from './buckets.js';
import { MetricPanel } from './chart.js';
import { chartControls, loadSettings } from './controls.js';
import { differingKeys, filterKeys, sections } from './keys.js';
import * as live from './live.js';

const KEYS_PER_REQUEST = 12;

/** Draws the compare page for the run ids; resolves once the first data is drawn. Returns a cleanup. */
export async function comparePage(root, ids, { cursor, group: initialGroup = '' }) {
  const settings = loadSettings();
  let group = initialGroup;
  let search = '';
  let panels = new Map();
  let historyLoaded = false;
  const buffered = [];

  live.on('points', e => {
    if (!ids.includes(e.run) || !e.key || e.key.startsWith('_')) return;
    if (!historyLoaded) { buffered.push(e); return; }
    applyPoints(e);
  });
  live.on('runs', e => {
    let changed = false;
    for (const r of e.runs || []) {
      const i = runs.findIndex(x => x.id === r.id);
      if (i >= 0) { Object.assign(runs[i], r); changed = true; }
    }
    if (changed) drawRunList();
  });
  const runs = await Promise.all(ids.map(id => api(`/api/runs/${encodeURIComponent(id)}`)));
  live.connect({ since: cursor, runs: ids });
  const keysOf = new Map(runs.map(r => [r.id, new Set((r.metrics || []).map(m => m.key))]));
  runs.forEach((r, i) => { r.color = runColor(r.id, i); });

  const runList = h('div', { class: 'run-legend' });
  const drawRunList = () => runList.replaceChildren(...runs.map(r => h('span', { class: 'legend-item' },
    h('span', { class: 'swatch', style: { background: r.color } }), h('a', { href: `#/runs/${r.id}` }, r.name || r.id), ' ',
    h('span', { class: 'mono muted' }, r.id), ' ', stateBadge(r.state))));
  drawRunList();

  const configKeys = [...new Set(runs.flatMap(r => Object.keys(r.config || {})))].sort();
  const onlyDiff = h('input', { type: 'checkbox', 'aria-label': 'Only differences' });
  const diffTable = h('table', { class: 'diff', dataset: { testid: 'config-diff' } });
  const drawDiff = () => {
    const differs = differingKeys(runs.map(r => r.config || {}));
    const keys = onlyDiff.checked ? configKeys.filter(k => differs.has(k)) : configKeys;
    diffTable.replaceChildren(
      h('thead', null, h('tr', null, h('th', null, 'Config'), runs.map(r => h('th', null, h('span', { class: 'swatch', style: { background: r.color } }), r.name || r.id)))),
      h('tbody', null, keys.map(k => h('tr', { class: differs.has(k) ? 'differs' : null, dataset: { key: k } },
        h('th', null, k), runs.map(r => h('td', null, r.config && k in r.config ? formatValue(r.config[k]) : '\u2014'))))));
  };
  onlyDiff.addEventListener('change', drawDiff);
  drawDiff();

  const groupSelect = h('select', { 'aria-label': 'Group runs by', dataset: { testid: 'compare-group-by' } },
    h('option', { value: '' }, 'None'), configKeys.map(k => h('option', { value: k }, k)));
  groupSelect.value = group;
  groupSelect.addEventListener('change', () => { group = groupSelect.value; rebuildPanels(); });

  const grid = h('div', { class: 'panel-sections', dataset: { testid: 'charts-section' } });
  const controls = chartControls(settings, {
    onChange: () => rebuildPanels(),
    onSearch: text => { search = text; layout(); },
  });
  const allKeys = [...new Set(runs.flatMap(r => (r.metrics || []).map(m => m.key)).filter(k => !k.startsWith('_')))].sort();
  controls.setMetricKeys(allKeys);

  root.replaceChildren(h('div', { class: 'page compare-page', dataset: { testid: 'compare-page' } },
    h('div', { class: 'page-head' }, h('h1', null, `Compare ${runs.length} run${runs.length === 1 ? '' : 's'}`)),
    runList,
    section('Config', 'config-section', h('label', { class: 'inline' }, onlyDiff, ' Only differences'), diffTable),
    h('div', { class: 'group-bar' }, h('label', null, 'Group runs by ', groupSelect)),
    controls.el,
    grid));

  const groups = () => {
    if (!group) return null;
    const byValue = new Map();
    for (const r of runs) {
      const v = formatValue(r.config?.[group]) || '(none)';
      if (!byValue.has(v)) byValue.set(v, []);
      byValue.get(v).push(r.id);
    }
    return [...byValue.entries()].map(([v, runIds], i) => ({ name: `${group}=${v}`, color: runColor(v, i), runIds }));
  };
  const xKey = () => (settings.xAxis.startsWith('metric:') ? settings.xAxis.slice(7) : null);
  const commonTo = () => Math.max(0, ...runs.map(r => r.lastStep ?? 0));

  /** History of keys for runs: Map(key -> Map(runId -> data)). Grouped runs share one bucket geometry. */
  async function fetchHistory(keys, runIds, { from, to, buckets }) {
    const out = new Map(keys.map(k => [k, new Map()]));
    const xk = xKey();
    if (group && from === undefined) { from = 0; to = commonTo(); }
    const jobs = [];
    for (const id of runIds) {
      // Only the keys this run logged: the API answers 404 for a key the run does not have.
      const has = keysOf.get(id) || new Set();
      const own = keys.filter(k => has.has(k));
      for (let i = 0; i < own.length; i += KEYS_PER_REQUEST) {
        const chunk = own.slice(i, i + KEYS_PER_REQUEST);
        const ask = xk && has.has(xk) && !chunk.includes(xk) ? [...chunk, xk] : chunk;
        jobs.push(api(`/api/runs/${encodeURIComponent(id)}/history`, { key: ask, from, to, buckets }).then(res => {
          const anchors = timeAnchors(res.times);
          const byKey = new Map((res.series || []).map(s => [s.key, s.rows || []]));
          for (const k of chunk) out.get(k).set(id, { rows: byKey.get(k) || [], xRows: xk ? byKey.get(xk) || [] : [], anchors, from: res.from, width: res.bucketWidth });
        }));
      }
    }
    await Promise.all(jobs);
    return out;
  }

  const makePanel = key => {
    const p = new MetricPanel({
      key, settings, groups: groups(),
      runs: runs.map(r => ({ id: r.id, name: r.name || r.id, color: r.color, startAt: r.createdAt })),
      fetchRange: (from, to, buckets) => fetchHistory([key], ids, { from, to, buckets }).then(m => m.get(key)),
    });
    panels.set(key, p);
    return p;
  };

  const layout = () => {
    const keys = filterKeys([...panels.keys()], search);
    const out = sections(keys).map(s => h('details', { class: 'subsection', open: true },
      h('summary', null, s.name, h('span', { class: 'count' }, ` ${s.keys.length}`)),
      h('div', { class: 'panel-grid' }, s.keys.map(k => panels.get(k).el))));
    grid.replaceChildren(...(out.length ? out : [h('p', { class: 'muted' }, 'No metrics.')]));
  };

  async function loadAll() {
    const keys = [...panels.keys()];
    if (!keys.length) return;
    const buckets = panels.get(keys[0]).pixelWidth();
    const got = await fetchHistory(keys, ids, { buckets });
    for (const [k, m] of got) {
      const p = panels.get(k);
      p.maxRows = Math.max(2 * buckets, 400);
      for (const [id, d] of m) p.setRun(id, d);
      p.render();
    }
  }

  async function rebuildPanels() {
    for (const p of panels.values()) p.destroy();
    panels = new Map();
    for (const k of allKeys) makePanel(k);
    layout();
    historyLoaded = false;
    try { await loadAll(); } finally {
      historyLoaded = true;
      for (const e of buffered.splice(0)) applyPoints(e);
    }
  }

  function applyPoints(e) {
    keysOf.get(e.run)?.add(e.key);
    let p = panels.get(e.key);
    if (!p) {
      allKeys.push(e.key);
      allKeys.sort();
      p = makePanel(e.key);
      controls.setMetricKeys(allKeys);
      layout();
    }
    p.append(e.run, e.rows || []);
    if (xKey() === e.key) for (const q of panels.values()) q.appendX(e.run, e.rows || []);
  }

  await rebuildPanels().catch(() => {});
  return () => { for (const p of panels.values()) p.destroy(); };
}
