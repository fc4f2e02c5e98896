// The sweep page (#/sweeps/ID): state and controls, parallel coordinates, parameter importance and
// correlation, the metric of every run over steps, the best run and the sweep's runs table; live.
import { api } from './api.js';
import { fill, h, runColor, section, stateBadge } from './dom.js';
import { formatAgo, formatNumber, formatTime, formatValue } from './format.js';
import { MetricPanel } from './chart.js';
import { RunsTable } from './runs-table.js';
import { drawParcoords } from './parcoords.js';
import * as live from './live.js';

const ALLOWED = {
  pause: ['running'],
  resume: ['paused', 'stopped'],
  stop: ['running', 'paused'],
  cancel: ['running', 'paused', 'stopped'],
};

/** Draws the sweep page; resolves once the first data is drawn. Returns a cleanup. */
export async function sweepPage(root, id, { cursor, info }) {
  const readOnly = Boolean(info?.readOnly);
  let sweep = await api(`/api/sweeps/${encodeURIComponent(id)}`);
  const metric = sweep.metric || null;

  const stateSlot = h('span', { class: 'state-slot' });
  const metaEl = h('div', { class: 'meta' });
  const buttons = Object.keys(ALLOWED).map(action => h('button', {
    type: 'button', class: `control ${action === 'cancel' ? 'danger' : ''}`, dataset: { action },
    onclick: () => control(action),
  }, action[0].toUpperCase() + action.slice(1)));
  const controlsEl = h('div', { class: 'sweep-controls', role: 'group', 'aria-label': 'Sweep controls' }, buttons,
    readOnly ? h('span', { class: 'muted' }, 'read-only server') : null);
  const best = h('div', { class: 'best-run', dataset: { testid: 'best-run' } });
  const parcoords = h('div', { class: 'parcoords-box', dataset: { testid: 'parallel-coordinates' } });
  const importance = h('div', { class: 'importance', dataset: { testid: 'importance' } });
  const metricBox = h('div', { class: 'sweep-metric-box' });
  const table = new RunsTable({ scope: 'sweep', sweep: id, height: '420px', defaultConfig: sweep.parameters || [], defaultSummary: metric ? [metric.name] : null });

  const drawHead = () => {
    stateSlot.replaceChildren(stateBadge(sweep.state, 'sweep-state'));
    fill(metaEl,
      item('ID', h('span', { class: 'mono' }, sweep.id)),
      item('Project', sweep.project),
      item('Method', sweep.method),
      metric ? item('Metric', `${metric.goal === 'minimize' ? 'minimize' : 'maximize'} ${metric.name}`) : null,
      item('Runs', `${sweep.runCount ?? 0}${sweep.runCap ? ` / ${sweep.runCap}` : ''}`),
      item('Created', h('span', { title: formatTime(sweep.createdAt) }, formatAgo(sweep.createdAt))));
    for (const b of buttons) {
      const allowed = ALLOWED[b.dataset.action].includes(sweep.state);
      b.disabled = readOnly || !allowed;
      b.title = readOnly ? 'the server is read-only' : allowed ? `${b.dataset.action} the sweep` : `not possible while ${sweep.state}`;
    }
  };

  async function control(action) {
    buttons.forEach(b => { b.disabled = true; });
    try {
      const s = await api(`/api/sweeps/${encodeURIComponent(id)}/${action}`, null, { method: 'POST' });
      sweep = { ...sweep, ...s };
    } catch { /* the banner shows the reason (403 read-only, 409 state) */ }
    drawHead();
  }

  root.replaceChildren(h('div', { class: 'page sweep-page', dataset: { testid: 'sweep-page', sweepId: id } },
    h('div', { class: 'page-head' },
      h('div', { class: 'crumbs' }, h('a', { href: '#/sweeps' }, 'Sweeps'), ' / '),
      h('h1', null, sweep.name || sweep.id, ' ', stateSlot),
      h('div', { class: 'links' }, h('a', { href: `/reports/sweeps/${encodeURIComponent(id)}`, target: '_blank', rel: 'noopener' }, 'Report \u2197'))),
    metaEl, controlsEl,
    h('div', { class: 'sweep-top' },
      section('Parallel coordinates', null, parcoords),
      h('div', { class: 'side' }, section('Best run', null, best), section('Parameter importance', null, importance))),
    section(metric ? `${metric.name} over steps` : 'Metric over steps', null, metricBox),
    section('Runs', null, table.el)));
  drawHead();

  let metricPanel = null;
  const drawDetail = async () => {
    drawBest(best, sweep, metric);
    drawImportance(importance, sweep.importance);
    const runs = sweep.runs || [];
    const jobs = [];
    if ((sweep.parameters || []).length && runs.length) {
      jobs.push(drawParcoords(parcoords, { parameters: sweep.parameters, runs, metric }).catch(err => {
        parcoords.replaceChildren(h('p', { class: 'muted' }, err.message));
      }));
    } else {
      parcoords.replaceChildren(h('p', { class: 'muted' }, 'No runs yet.'));
    }
    if (metric) jobs.push(drawMetric(runs));
    await Promise.all(jobs);
  };

  const drawMetric = async runs => {
    if (metricPanel) metricPanel.destroy();
    const bestId = sweep.best?.id;
    metricPanel = new MetricPanel({
      key: metric.name, testid: 'sweep-metric', settings: { xAxis: 'step', log: false, smoothing: 'none', amount: 0 },
      runs: runs.map((r, i) => ({ id: r.id, name: `${r.name || r.id}${r.id === bestId ? ' (best)' : ''}`, color: runColor(r.id, i) })),
      fetchRange: async (from, to, buckets) => toMap(await api(`/api/sweeps/${encodeURIComponent(id)}/history`, { key: metric.name, from, to, buckets })),
    });
    metricBox.replaceChildren(metricPanel.el);
    const res = await api(`/api/sweeps/${encodeURIComponent(id)}/history`, { key: metric.name, buckets: metricPanel.pixelWidth() });
    for (const [rid, d] of toMap(res)) metricPanel.setRun(rid, d);
    metricPanel.render();
  };

  let reloadTimer = null;
  const reloadSoon = () => {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(async () => {
      try {
        sweep = await api(`/api/sweeps/${encodeURIComponent(id)}`);
        drawHead();
        await drawDetail();
      } catch { /* banner */ }
    }, 1500);
  };
  live.on('sweep', s => {
    if (!s || s.id !== id) return;
    const countChanged = s.runCount !== sweep.runCount;
    sweep = { ...sweep, ...s };
    drawHead();
    if (countChanged) reloadSoon();
  });
  live.on('runs', e => {
    const mine = (e.runs || []).filter(r => r.sweepId === id);
    if (!mine.length) return;
    table.onRuns(mine);
    reloadSoon();
  });
  live.connect({ since: cursor });

  await Promise.all([table.load(), drawDetail()]);
  return () => {
    clearTimeout(reloadTimer);
    table.destroy();
    if (metricPanel) metricPanel.destroy();
  };
}

function toMap(res) {
  const m = new Map();
  for (const r of res.runs || []) m.set(r.id, { rows: r.rows || [], from: res.from ?? 0, width: res.bucketWidth ?? 1 });
  return m;
}

function item(label, value) {
  if (value === null || value === undefined || value === '') return null;
  return h('span', { class: 'meta-item' }, h('span', { class: 'meta-label' }, label), ' ', value);
}

function drawBest(el, sweep, metric) {
  const b = sweep.best;
  if (!b) { el.replaceChildren(h('p', { class: 'muted' }, 'No run has reported the metric yet.')); return; }
  const params = sweep.parameters || [];
  fill(el,
    h('div', { class: 'best-head' }, h('a', { href: `#/runs/${b.id}`, class: 'run-name' }, b.name || b.id), ' ', stateBadge(b.state)),
    metric ? h('div', { class: 'best-value' }, h('span', { class: 'muted' }, metric.name), ' ', h('strong', null, formatNumber(b.summary?.[metric.name]))) : null,
    h('table', { class: 'kv' }, h('tbody', null, params.map(p => h('tr', null, h('th', null, p), h('td', null, formatValue(b.config?.[p])))))));
}

function drawImportance(el, imp) {
  if (!imp || !(imp.parameters || []).length) {
    el.replaceChildren(h('p', { class: 'muted' }, imp?.reason || 'Not enough finished runs yet.'));
    return;
  }
  const rows = imp.parameters.slice().sort((a, b) => (b.importance ?? 0) - (a.importance ?? 0));
  el.replaceChildren(
    h('table', { class: 'importance-table' },
      h('thead', null, h('tr', null, h('th', null, 'Parameter'), h('th', null, 'Importance'), h('th', null, 'Correlation'))),
      h('tbody', null, rows.map(p => {
        const imp01 = Math.max(0, Math.min(1, p.importance ?? 0));
        const corr = Math.max(-1, Math.min(1, p.correlation ?? 0));
        return h('tr', { dataset: { parameter: p.parameter } },
          h('th', null, p.parameter),
          h('td', { title: formatNumber(p.importance) }, h('div', { class: 'bar-track' }, h('div', { class: 'bar importance-bar', style: { width: `${imp01 * 100}%` } })), h('span', { class: 'bar-value' }, formatNumber(p.importance))),
          h('td', { title: formatNumber(p.correlation) }, h('div', { class: 'bar-track centered' },
            h('div', { class: `bar ${corr < 0 ? 'negative' : 'positive'}`, style: corr < 0 ? { right: '50%', width: `${-corr * 50}%` } : { left: '50%', width: `${corr * 50}%` } })),
          h('span', { class: 'bar-value' }, formatNumber(p.correlation))));
      }))),
    h('p', { class: 'muted small' }, `from ${imp.runs ?? '?'} runs, for ${imp.metric ?? ''}`));
}
