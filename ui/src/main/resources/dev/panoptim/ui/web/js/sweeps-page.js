// The sweeps list (#/sweeps): every sweep with its state, method, metric and progress, live from `sweep` events.
import { api } from './api.js';
import { h, stateBadge } from './dom.js';
import { formatAgo, formatTime } from './format.js';
import * as live from './live.js';

/** Draws the list; resolves once drawn. */
export async function sweepsPage(root, { project, cursor }) {
  const res = await api('/api/sweeps');
  let sweeps = (res.sweeps || []).filter(s => !project || s.project === project);
  const tbody = h('tbody');
  const draw = () => {
    sweeps.sort((a, b) => (b.createdAt || 0) - (a.createdAt || 0));
    tbody.replaceChildren(...(sweeps.length ? sweeps.map(row) : [h('tr', { class: 'empty' }, h('td', { colspan: 8 }, 'No sweeps yet. Start one with panoptim sweep create.'))]));
  };
  live.on('sweep', s => {
    if (!s || !s.id || (project && s.project !== project)) return;
    const i = sweeps.findIndex(x => x.id === s.id);
    if (i >= 0) sweeps[i] = { ...sweeps[i], ...s };
    else sweeps.push(s);
    draw();
  });
  live.connect({ since: cursor });
  root.replaceChildren(h('div', { class: 'page sweeps-page', dataset: { testid: 'sweeps-page' } },
    h('div', { class: 'page-head' }, h('h1', null, 'Sweeps')),
    h('table', { class: 'grid-table', dataset: { testid: 'sweeps-table' } },
      h('thead', null, h('tr', null, ['State', 'Sweep', 'ID', 'Project', 'Method', 'Metric', 'Runs', 'Created'].map(t => h('th', null, t)))),
      tbody)));
  draw();
}

function row(s) {
  const metric = s.metric ? `${s.metric.goal === 'minimize' ? '\u2193' : '\u2191'} ${s.metric.name}` : '';
  return h('tr', { dataset: { testid: 'sweep-row', sweepId: s.id } },
    h('td', null, stateBadge(s.state)),
    h('td', null, h('a', { href: `#/sweeps/${s.id}` }, s.name || s.id)),
    h('td', null, h('a', { href: `#/sweeps/${s.id}`, class: 'mono' }, s.id)),
    h('td', null, s.project || ''),
    h('td', null, s.method || ''),
    h('td', { title: s.metric ? `${s.metric.goal} ${s.metric.name}` : '' }, metric),
    h('td', { class: 'num' }, `${s.runCount ?? 0}${s.runCap ? ` / ${s.runCap}` : ''}`),
    h('td', { title: formatTime(s.createdAt) }, formatAgo(s.createdAt)));
}
