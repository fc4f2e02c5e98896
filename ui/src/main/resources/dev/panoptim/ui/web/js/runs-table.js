// The runs table (home page and sweep page): server-side sort, filter, grouping and paging, with virtual
// scrolling (only the rows in view are in the DOM; pages of PAGE runs are fetched as the user scrolls),
// a column picker persisted in localStorage, selection for compare, and live row updates.
import { api, showError } from './api.js';
import { h, stateBadge } from './dom.js';
import { formatAgo, formatDuration, formatTime, formatValue } from './format.js';

const PAGE = 150;
const OVERSCAN = 12;
const GROUP_BATCH = 100;

const BUILTIN = [
  { col: 'state', label: 'State', sortable: true, fixed: true, cell: r => stateBadge(r.state) },
  { col: 'id', label: 'ID', sortable: true, fixed: true, cell: r => h('a', { href: `#/runs/${r.id}`, class: 'mono' }, r.id) },
  { col: 'name', label: 'Name', sortable: true, fixed: true, cell: r => h('a', { href: `#/runs/${r.id}`, class: 'run-name' }, r.name || r.id) },
  { col: 'project', label: 'Project', sortable: true, cell: r => r.project || '' },
  { col: 'sweepId', label: 'Sweep', sortable: false, cell: r => (r.sweepId ? h('a', { href: `#/sweeps/${r.sweepId}`, class: 'mono' }, r.sweepId) : '') },
  { col: 'tags', label: 'Tags', sortable: false, cell: r => (r.tags || []).map(t => h('span', { class: 'tag' }, t)) },
  { col: 'createdAt', label: 'Created', sortable: true, cell: r => h('span', { title: formatTime(r.createdAt) }, formatAgo(r.createdAt)) },
  { col: 'durationMs', label: 'Runtime', sortable: true, cell: r => formatDuration(r.durationMs) },
  { col: 'lastStep', label: 'Step', sortable: true, cell: r => (r.lastStep ?? '') === -1 ? '' : formatValue(r.lastStep) },
];

/** A column's definition: built-in, config.KEY, summary.KEY, min.KEY or max.KEY. */
function columnDef(col) {
  const b = BUILTIN.find(x => x.col === col);
  if (b) return b;
  const dot = col.indexOf('.');
  const kind = col.slice(0, dot), key = col.slice(dot + 1);
  if (kind === 'config') return { col, label: key, kind, sortable: true, cell: r => formatValue(r.config?.[key]) };
  if (kind === 'summary') return { col, label: key, kind, sortable: true, cell: r => formatValue(r.summary?.[key]) };
  if (kind === 'min' || kind === 'max') return { col, label: `${kind}(${key})`, kind, sortable: true, cell: r => formatValue(r.stats?.[key]?.[kind]) };
  return { col, label: col, sortable: false, cell: () => '' };
}

/**
 * const t = new RunsTable({scope: 'home', project, sweep, height, defaultConfig, defaultSummary, onReady});
 * page.append(t.el); t.load(); live.on('runs', e => t.onRuns(e.runs));
 */
export class RunsTable {
  constructor({ scope = 'home', project = null, sweep = null, height = null, defaultConfig = null, defaultSummary = null, onReady = null, onTotal = null }) {
    this.scope = scope;
    this.project = project;
    this.sweep = sweep;
    this.defaultConfig = defaultConfig;
    this.defaultSummary = defaultSummary;
    this.onReady = onReady;
    this.onTotal = onTotal;
    this.sort = '-createdAt';
    this.filter = '';
    this.group = '';
    this.total = 0;
    this.columns = { config: [], summary: [] };
    this.visible = null; // optional columns shown, decided once the first page names the keys
    this.pages = new Map();
    this.stale = new Map();
    this.loading = new Set();
    this.gen = 0;
    this.selected = new Set();
    this.groups = null;
    this.expanded = new Set();
    this.groupRows = new Map(); // group value (JSON) -> loaded rows
    this.rowHeight = 33;
    this.cursor = null;

    this.filterInput = h('input', {
      type: 'search', class: 'filter', placeholder: 'Filter: state = running and config.lr < 0.01 (Enter)',
      'aria-label': 'Filter runs', dataset: { testid: 'runs-filter' }, spellcheck: false,
      onkeydown: e => { if (e.key === 'Enter') { this.filter = this.filterInput.value.trim(); this.reload(); } },
    });
    this.filterError = h('div', { class: 'filter-error-slot' });
    this.groupSelect = h('select', { 'aria-label': 'Group by', dataset: { testid: 'group-by' }, onchange: () => { this.group = this.groupSelect.value; this.expanded.clear(); this.reload(); } });
    this.picker = h('details', { class: 'column-picker', dataset: { testid: 'column-picker' } });
    this.compareButton = h('button', { type: 'button', class: 'primary', dataset: { testid: 'compare-selected' }, disabled: true, onclick: () => this.compare() }, 'Compare');
    this.totalEl = h('span', { dataset: { testid: 'runs-total' } }, '0');
    this.table = h('table', { class: 'runs', dataset: { testid: 'runs-table' } });
    this.thead = h('thead');
    this.tbody = h('tbody');
    this.table.append(this.thead, this.tbody);
    this.scroller = h('div', { class: 'table-scroll', style: height ? { height } : {} }, this.table);
    this.scroller.addEventListener('scroll', () => this.scheduleRender(), { passive: true });
    this.el = h('div', { class: 'runs-table' },
      h('div', { class: 'toolbar' }, this.filterInput,
        h('label', { class: 'inline' }, 'Group ', this.groupSelect), this.picker, this.compareButton,
        h('span', { class: 'count' }, this.totalEl, ' runs')),
      this.filterError, this.scroller);
    this.storageKey = `panoptim.columns.${scope}`;
  }

  query() {
    const stats = (this.visible || []).filter(c => c.startsWith('min.') || c.startsWith('max.')).map(c => c.slice(4));
    return { project: this.project, sweep: this.sweep, filter: this.filter, sort: this.sort, stats: [...new Set(stats)].join(',') };
  }

  /** Fetches the first page (again): after a change of sort, filter, group or columns. */
  async reload() {
    this.gen++;
    this.pages.clear();
    this.stale.clear();
    this.loading.clear();
    this.groupRows.clear();
    this.scroller.scrollTop = 0;
    await this.fetchPage(0, true);
  }

  load() {
    return this.reload();
  }

  async fetchPage(p, first = false) {
    if (this.loading.has(p)) return;
    const gen = this.gen;
    this.loading.add(p);
    try {
      const res = await api('/api/runs', { ...this.query(), group: first || p === 0 ? this.group : null, offset: p * PAGE, limit: PAGE }, { quiet: true });
      if (gen !== this.gen) return;
      this.filterError.replaceChildren();
      this.pages.set(p, res.runs || []);
      this.total = res.total ?? 0;
      if (res.cursor !== undefined && res.cursor !== null) this.cursor = res.cursor;
      if (p === 0) {
        this.groups = this.group ? res.groups || [] : null;
        this.stale.clear();
        this.setColumns(res.columns || { config: [], summary: [] });
      }
      this.render();
      if (first && this.onReady) { const f = this.onReady; this.onReady = null; f(this); }
    } catch (err) {
      if (gen !== this.gen) return;
      if (err.status === 400 && this.filter) {
        this.filterError.replaceChildren(h('div', { class: 'filter-error', dataset: { testid: 'error' }, role: 'alert' }, err.message));
        this.pages.set(p, []);
        this.total = 0;
        this.render();
      } else {
        showError(err.message);
      }
      if (first && this.onReady) { const f = this.onReady; this.onReady = null; f(this); }
    } finally {
      if (gen === this.gen) this.loading.delete(p);
    }
  }

  /** The column keys of the matching runs arrived: fill the picker and group select, choose visible columns. */
  setColumns(columns) {
    this.columns = { config: columns.config || [], summary: columns.summary || [] };
    if (!this.visible) {
      let saved = null;
      try { saved = JSON.parse(localStorage.getItem(this.storageKey) || 'null'); } catch { saved = null; }
      if (Array.isArray(saved)) this.visible = saved;
      else {
        const cfg = (this.defaultConfig || this.columns.config.slice(0, 6)).map(k => `config.${k}`);
        const sum = (this.defaultSummary || this.columns.summary.slice(0, 5)).map(k => `summary.${k}`);
        const base = ['project', 'sweepId', 'tags', 'createdAt', 'durationMs', 'lastStep'];
        this.visible = (this.scope === 'sweep' ? base.filter(c => c !== 'project' && c !== 'sweepId') : base).concat(cfg, sum);
      }
    }
    this.fillGroupSelect();
    this.fillPicker();
    this.drawHeader();
  }

  fillGroupSelect() {
    const opts = [h('option', { value: '' }, 'None'), h('option', { value: 'state' }, 'state')];
    if (this.scope === 'home') opts.push(h('option', { value: 'project' }, 'project'));
    for (const k of this.columns.config) opts.push(h('option', { value: `config.${k}` }, k));
    this.groupSelect.replaceChildren(...opts);
    this.groupSelect.value = this.group;
  }

  fillPicker() {
    const search = h('input', { type: 'search', placeholder: 'Find a column', 'aria-label': 'Find a column' });
    const options = ['project', 'sweepId', 'tags', 'createdAt', 'durationMs', 'lastStep']
      .concat(this.columns.config.map(k => `config.${k}`), this.columns.summary.map(k => `summary.${k}`),
        this.columns.summary.flatMap(k => [`min.${k}`, `max.${k}`]));
    const list = h('div', { class: 'picker-list' }, options.map(col => {
      const def = columnDef(col);
      const box = h('input', { type: 'checkbox', value: col, checked: this.visible.includes(col), onchange: () => this.toggleColumn(col, box.checked) });
      const kind = def.kind ? h('span', { class: 'col-kind' }, def.kind) : null;
      return h('label', { class: 'picker-item', dataset: { col } }, box, ' ', kind, ' ', def.label);
    }));
    search.addEventListener('input', () => {
      const q = search.value.toLowerCase();
      for (const item of list.children) item.hidden = q && !item.dataset.col.toLowerCase().includes(q);
    });
    const all = h('div', { class: 'picker-actions' },
      h('button', { type: 'button', onclick: () => this.setVisible(options) }, 'Show all'),
      h('button', { type: 'button', onclick: () => this.setVisible([]) }, 'Hide all'));
    const open = this.picker.open;
    this.picker.replaceChildren(h('summary', null, `Columns (${this.visible.length + 3})`), h('div', { class: 'picker-body' }, search, all, list));
    this.picker.open = open;
  }

  setVisible(cols) {
    this.visible = cols.slice();
    this.persistColumns();
  }

  toggleColumn(col, on) {
    const v = this.visible.filter(c => c !== col);
    if (on) v.push(col);
    this.visible = v;
    this.persistColumns();
  }

  persistColumns() {
    try { localStorage.setItem(this.storageKey, JSON.stringify(this.visible)); } catch { /* not saved */ }
    const needsStats = this.visible.some(c => c.startsWith('min.') || c.startsWith('max.'));
    this.fillPicker();
    if (needsStats) this.reload();
    else { this.drawHeader(); this.render(); }
  }

  shownColumns() {
    const order = ['project', 'sweepId', 'tags', 'createdAt', 'durationMs', 'lastStep'];
    const builtins = order.filter(c => this.visible.includes(c));
    const known = new Set([...this.columns.config.map(k => `config.${k}`), ...this.columns.summary.map(k => `summary.${k}`),
      ...this.columns.summary.flatMap(k => [`min.${k}`, `max.${k}`])]);
    const rest = this.visible.filter(c => !order.includes(c) && known.has(c));
    return ['state', 'id', 'name', ...builtins, ...rest].map(columnDef);
  }

  drawHeader() {
    const [sortCol, dir] = this.sort.startsWith('-') ? [this.sort.slice(1), 'descending'] : [this.sort, 'ascending'];
    this.cols = this.shownColumns();
    const ths = this.cols.map(def => {
      const th = h('th', { dataset: { col: def.col }, class: def.kind ? `col-${def.kind}` : null, title: def.col },
        def.sortable ? h('button', { type: 'button', class: 'sort' }, def.label) : def.label);
      if (def.col === sortCol) th.setAttribute('aria-sort', dir);
      if (def.sortable) th.addEventListener('click', () => this.sortBy(def.col));
      return th;
    });
    this.thead.replaceChildren(h('tr', null, h('th', { class: 'select' }, ''), ths));
  }

  sortBy(col) {
    const current = this.sort.replace(/^-/, '');
    this.sort = current === col ? (this.sort.startsWith('-') ? col : `-${col}`) : col;
    this.drawHeader();
    this.reload();
  }

  rowAt(i) {
    const p = Math.floor(i / PAGE);
    const page = this.pages.get(p) || this.stale.get(p);
    if (!page) return undefined;
    return page[i % PAGE];
  }

  scheduleRender() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  /** Draws the rows in view (virtual scrolling) or the groups, fetching pages that are missing. */
  render() {
    this.totalEl.textContent = String(this.total);
    if (this.onTotal) this.onTotal(this.total);
    this.updateCompareButton();
    if (!this.cols) this.drawHeader();
    const ncols = this.cols.length + 1;
    if (this.groups) { this.renderGroups(ncols); return; }
    if (this.total === 0) {
      this.tbody.replaceChildren(h('tr', { class: 'empty' }, h('td', { colspan: ncols }, this.filter ? 'No runs match the filter.' : 'No runs yet.')));
      return;
    }
    const viewport = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / this.rowHeight) - OVERSCAN);
    const last = Math.min(this.total, Math.ceil((this.scroller.scrollTop + viewport) / this.rowHeight) + OVERSCAN);
    const rows = [];
    for (let i = first; i < last; i++) {
      const r = this.rowAt(i);
      if (r) rows.push(this.rowEl(r));
      else {
        rows.push(h('tr', { class: 'run-row loading' }, h('td', { colspan: ncols }, '\u2026')));
        const p = Math.floor(i / PAGE);
        if (!this.pages.has(p)) this.fetchPage(p);
      }
    }
    const spacer = px => h('tr', { class: 'spacer', 'aria-hidden': 'true' }, h('td', { colspan: ncols, style: { height: `${px}px` } }));
    this.tbody.replaceChildren(spacer(first * this.rowHeight), ...rows, spacer((this.total - last) * this.rowHeight));
    const measured = rows[0]?.getBoundingClientRect().height;
    if (measured && Math.abs(measured - this.rowHeight) > 0.5 && measured < 80) {
      this.rowHeight = measured;
      this.scheduleRender();
    }
  }

  rowEl(r) {
    const box = h('input', {
      type: 'checkbox', value: r.id, checked: this.selected.has(r.id), 'aria-label': `Select ${r.name || r.id}`,
      dataset: { testid: 'run-select' },
      onchange: () => { if (box.checked) this.selected.add(r.id); else this.selected.delete(r.id); this.updateCompareButton(); },
    });
    return h('tr', { class: 'run-row', dataset: { testid: 'run-row', runId: r.id } },
      h('td', { class: 'select' }, box),
      this.cols.map(def => h('td', { dataset: { col: def.col }, class: def.kind ? `col-${def.kind}` : null }, def.cell(r))));
  }

  renderGroups(ncols) {
    const out = [];
    for (const g of this.groups) {
      const id = JSON.stringify(g.value ?? null);
      const open = this.expanded.has(id);
      const toggle = h('button', { type: 'button', class: 'group-toggle', 'aria-expanded': String(open), onclick: () => this.toggleGroup(g) },
        open ? '\u25be' : '\u25b8');
      out.push(h('tr', { class: 'group-row', dataset: { testid: 'group-row', group: id } },
        h('td', { colspan: ncols }, toggle, ' ', h('strong', null, g.value === null || g.value === undefined ? '(none)' : formatValue(g.value)),
          h('span', { class: 'group-count' }, ` ${g.count} run${g.count === 1 ? '' : 's'}`),
          h('button', { type: 'button', class: 'link', onclick: () => this.compareIds(g.runIds || []) }, 'compare'))));
      if (!open) continue;
      const rows = this.groupRows.get(id) || [];
      for (const r of rows) out.push(this.rowEl(r));
      const ids = g.runIds || [];
      if (rows.length < ids.length) {
        out.push(h('tr', { class: 'more-row' }, h('td', { colspan: ncols },
          h('button', { type: 'button', class: 'link', onclick: () => this.loadGroup(g) }, `show ${Math.min(GROUP_BATCH, ids.length - rows.length)} more of ${ids.length - rows.length}`))));
      }
    }
    if (!this.groups.length) out.push(h('tr', { class: 'empty' }, h('td', { colspan: ncols }, 'No runs.')));
    this.tbody.replaceChildren(...out);
  }

  toggleGroup(g) {
    const id = JSON.stringify(g.value ?? null);
    if (this.expanded.has(id)) { this.expanded.delete(id); this.render(); return; }
    this.expanded.add(id);
    if (!this.groupRows.has(id)) this.loadGroup(g);
    else this.render();
  }

  /** Loads the next batch of a group's runs by id (the group's run ids come from the API's `groups`). */
  async loadGroup(g) {
    const id = JSON.stringify(g.value ?? null);
    const have = this.groupRows.get(id) || [];
    const ids = (g.runIds || []).slice(have.length, have.length + GROUP_BATCH);
    if (!ids.length) return;
    const gen = this.gen;
    const filter = ids.map(x => `id = "${x}"`).join(' or ');
    try {
      const res = await api('/api/runs', { ...this.query(), filter, offset: 0, limit: ids.length });
      if (gen !== this.gen) return;
      this.groupRows.set(id, have.concat(res.runs || []));
      this.render();
    } catch { /* the banner shows it */ }
  }

  updateCompareButton() {
    const n = this.selected.size;
    this.compareButton.disabled = n === 0;
    this.compareButton.textContent = n ? `Compare ${n}` : 'Compare';
  }

  compare() {
    this.compareIds([...this.selected]);
  }

  compareIds(ids) {
    if (ids.length) location.hash = `#/compare?ids=${ids.map(encodeURIComponent).join(',')}`;
  }

  /** A `runs` event: rows in view update in place; a run not yet listed refreshes the table (debounced). */
  onRuns(rows) {
    let changed = false, unknown = false;
    for (const r of rows) {
      if (this.project && r.project !== this.project) continue;
      if (this.sweep && r.sweepId !== this.sweep) continue;
      let found = false;
      for (const map of [this.pages, this.stale, this.groupRows]) {
        for (const page of map.values()) {
          const i = page.findIndex(x => x.id === r.id);
          if (i >= 0) { page[i] = { ...page[i], ...r, stats: r.stats || page[i].stats }; found = true; changed = true; }
        }
      }
      if (!found) unknown = true;
    }
    if (unknown || (this.groups && rows.length)) this.scheduleRefresh();
    else if (changed) this.scheduleRender();
  }

  /** Refetches what is shown (new runs, counts) a second after the last change, keeping the rows meanwhile. */
  scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.gen++;
      this.stale = new Map([...this.stale, ...this.pages]);
      this.pages = new Map();
      this.loading.clear();
      const expanded = [...this.expanded];
      this.groupRows.clear();
      this.fetchPage(0).then(() => {
        if (!this.groups) return;
        for (const g of this.groups) if (expanded.includes(JSON.stringify(g.value ?? null))) this.loadGroup(g);
      });
    }, 1000);
  }

  destroy() {
    clearTimeout(this.refreshTimer);
    if (this.frame) cancelAnimationFrame(this.frame);
    this.gen++;
  }
}
