// The home page (#/ or #/?project=P): the runs table over all projects (or one), newest first, live.
import { h } from './dom.js';
import { RunsTable } from './runs-table.js';
import * as live from './live.js';

/** Draws the runs page; resolves once the first page of runs is drawn. Returns a cleanup. */
export async function homePage(root, { project }) {
  let resolveReady;
  const ready = new Promise(r => { resolveReady = r; });
  const table = new RunsTable({ scope: 'home', project, height: 'calc(100vh - 190px)', onReady: resolveReady });
  root.replaceChildren(h('div', { class: 'page home-page', dataset: { testid: 'runs-page' } },
    h('div', { class: 'page-head' }, h('h1', null, project ? `Runs of ${project}` : 'Runs'),
      h('div', { class: 'links' }, h('a', { href: '#/sweeps' }, 'Sweeps'), h('a', { href: '/landscapes/' }, 'Landscapes'))),
    table.el));
  live.on('runs', e => table.onRuns(e.runs || []));
  table.load();
  await ready;
  live.connect({ since: table.cursor });
  return () => table.destroy();
}
