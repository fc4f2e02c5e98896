// Line panels on uPlot (loaded as the global uPlot by index.html): one metric of one or more runs, drawn from
// the history API's buckets so spikes and NaNs are never lost, with the page's x axis, log scale and
// smoothing, drag-to-zoom that refetches the visible range at full detail, and live appends.
import { h } from './dom.js';
import { formatAxis, formatNumber, formatSeconds, formatTime } from './format.js';
import { smooth } from './smoothing.js';
import {
  aggregateRuns, appendRows, bucketPoints, coarsen, lastStepOf, pairByBucket, stepToTime, timeToStep, addAnchors,
} from './buckets.js';

/** Chart settings of a page (the chart-controls bar edits them; every panel of the page shares them). */
export const DEFAULT_SETTINGS = Object.freeze({ xAxis: 'step', log: false, smoothing: 'twema', amount: 0 });

const PLOT_HEIGHT = 220;

/** "#5387dd" -> "rgba(83,135,221,a)". */
export function withAlpha(hex, a) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
}

/** Makes ys strictly usable on a log axis (values <= 0 have no place there). */
const forLog = ys => ys.map(v => (v !== null && v > 0 ? v : null));

/**
 * Draws a uPlot into `el`. spec: {xs, series: [{label, color, ys, width, alpha, dash}], bands: [{hi, lo, color}]
 * (indices into series), xKind: 'step'|'time'|'relative'|'metric', xLabel, log, marks: x values of NaN/Inf
 * (or getMarks() returning them, for data that changes), onSelect(xmin, xmax), onReset(), onCursor(idx, u)}. Returns the uPlot.
 */
export function makePlot(el, spec, width) {
  const data = [spec.xs, ...spec.series.map(s => (spec.log ? forLog(s.ys) : s.ys))];
  const xValues = {
    step: (u, vals) => vals.map(formatAxis),
    metric: (u, vals) => vals.map(formatAxis),
    relative: (u, vals) => vals.map(formatSeconds),
  }[spec.xKind];
  const opts = {
    width: Math.max(width, 120),
    height: spec.height || PLOT_HEIGHT,
    legend: { show: false },
    scales: {
      x: { time: spec.xKind === 'time' },
      y: spec.log ? { distr: 3 } : {},
    },
    axes: [
      { stroke: '#6b7280', grid: { stroke: '#eef0f3', width: 1 }, ticks: { stroke: '#eef0f3' }, values: xValues, font: '11px system-ui, sans-serif' },
      { stroke: '#6b7280', grid: { stroke: '#eef0f3', width: 1 }, ticks: { stroke: '#eef0f3' }, size: 52,
        values: (u, vals) => vals.map(formatAxis), font: '11px system-ui, sans-serif' },
    ],
    series: [
      { label: spec.xLabel || 'x', value: (u, v) => formatX(spec.xKind, v) },
      ...spec.series.map(s => ({
        label: s.label,
        stroke: s.stroke === null ? null : withAlpha(s.color, s.alpha ?? 1),
        width: s.width ?? 1.5,
        dash: s.dash,
        spanGaps: true,
        points: { show: s.points ?? false, size: 4 },
      })),
    ],
    bands: (spec.bands || []).map(b => ({ series: [b.hi + 1, b.lo + 1], fill: withAlpha(b.color, 0.13) })),
    cursor: {
      drag: { x: true, y: false, setScale: false },
      bind: { dblclick: () => null },
      points: { size: 6 },
    },
    hooks: {
      setSelect: [u => {
        const sel = u.select;
        if (sel.width < 4) return;
        const xmin = u.posToVal(sel.left, 'x'), xmax = u.posToVal(sel.left + sel.width, 'x');
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        if (spec.onSelect) spec.onSelect(xmin, xmax, u);
        else u.setScale('x', { min: xmin, max: xmax });
      }],
      setCursor: [u => { if (spec.onCursor) spec.onCursor(u.cursor.idx, u); }],
      draw: [u => drawMarks(u, spec.getMarks ? spec.getMarks() : spec.marks || [])],
    },
  };
  const u = new uPlot(opts, data, el);
  u.over.addEventListener('dblclick', () => {
    if (spec.onReset) spec.onReset(u);
    else u.setData(u.data, true);
  });
  return u;
}

function formatX(kind, v) {
  if (v === null || v === undefined) return '';
  if (kind === 'time') return formatTime(v * 1000);
  if (kind === 'relative') return formatSeconds(v);
  return formatNumber(v);
}

/** NaN/Inf buckets: a red tick rising from the x axis at their step. */
function drawMarks(u, marks) {
  if (!marks.length) return;
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  const dpr = devicePixelRatio || 1;
  ctx.save();
  ctx.strokeStyle = '#dc2626';
  ctx.fillStyle = '#dc2626';
  ctx.lineWidth = 2 * dpr;
  for (const x of marks) {
    const cx = u.valToPos(x, 'x', true);
    if (!(cx >= left - 1 && cx <= left + width + 1)) continue;
    ctx.beginPath();
    ctx.moveTo(cx, top + height);
    ctx.lineTo(cx, top + height - 12 * dpr);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(cx - 4 * dpr, top + height - 12 * dpr);
    ctx.lineTo(cx + 4 * dpr, top + height - 12 * dpr);
    ctx.lineTo(cx, top + height - 18 * dpr);
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
}

/**
 * One panel of one metric key over one or more runs (run page: one run; compare and sweep pages: many), or
 * over groups of runs (mean line with a min-max band).
 *
 *   const p = new MetricPanel({key: 'loss', runs: [{id, name, color}], settings, fetchRange});
 *   grid.append(p.el); p.setRun(id, {rows, anchors, from, width}); p.render();
 *
 * fetchRange(from, to, buckets) resolves to Map(runId -> {rows, xRows, anchors, from, width}) for zooming.
 */
export class MetricPanel {
  constructor({ key, title, runs, settings, fetchRange, testid = 'metric-panel', groups = null, maxRows = 2000 }) {
    this.key = key;
    this.runs = runs.map(r => ({ ...r, rows: [], xRows: [], anchors: { steps: [], ats: [] }, from: 0, width: 1, zoom: null }));
    this.groups = groups; // [{name, color, runIds}] or null
    this.settings = settings;
    this.fetchRange = fetchRange;
    this.maxRows = maxRows;
    this.zoom = null; // {xmin, xmax} while zoomed
    this.plot = null;
    this.shape = '';
    this.readout = h('span', { class: 'readout' });
    this.flag = h('span', { class: 'nonfinite-flag', hidden: true, title: 'this metric logged NaN or infinite values (red ticks)' }, 'NaN/Inf');
    this.plotEl = h('div', { class: 'panel-plot' });
    this.legend = h('div', { class: 'panel-legend' });
    this.el = h('div', { class: 'panel', dataset: { testid, key, lastStep: '-1' } },
      h('div', { class: 'panel-head' }, h('span', { class: 'panel-title', title: key }, title || key), this.flag, this.readout),
      this.plotEl, this.legend);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.plotEl);
  }

  /** Plot width in CSS pixels: also the bucket count asked of the API (one bucket per pixel). */
  pixelWidth() {
    const w = this.plotEl.clientWidth || this.el.clientWidth || 400;
    return Math.max(Math.round(w), 100);
  }

  run(id) {
    return this.runs.find(r => r.id === id);
  }

  /** Replaces a run's base data (a history answer for this key). */
  setRun(id, { rows, xRows, anchors, from, width }) {
    const r = this.run(id);
    if (!r) return;
    r.rows = rows || [];
    r.xRows = xRows || [];
    if (anchors) r.anchors = anchors;
    r.from = from ?? 0;
    r.width = width ?? 1;
  }

  /** Live points of a run: appended after its last step (merged pairwise once too many), then redrawn. */
  append(id, rows) {
    const r = this.run(id);
    if (!r || !rows.length) return;
    r.rows = coarsen(appendRows(r.rows, rows), this.maxRows);
    const now = Date.now();
    r.anchors = addAnchors(r.anchors, rows.flatMap(x => [[x[0], now], [x[1], now]]).filter(([s]) => s > (r.anchors.steps.at(-1) ?? -1)));
    this.scheduleRender();
  }

  /** Appends rows of the x-axis metric (x axis = a metric) for pairing. */
  appendX(id, rows) {
    const r = this.run(id);
    if (!r) return;
    r.xRows = coarsen(appendRows(r.xRows, rows), this.maxRows);
    this.scheduleRender();
  }

  lastStep() {
    let s = -1;
    for (const r of this.runs) s = Math.max(s, lastStepOf(r.rows), r.zoom ? lastStepOf(r.zoom.rows) : -1);
    return s;
  }

  scheduleRender() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => { this.pending = 0; this.render(); });
  }

  /** The x value of a step on the current axis for a run. */
  xOf(r, step) {
    const axis = this.settings.xAxis;
    if (axis === 'wall') return stepToTime(r.anchors, step) / 1000;
    if (axis === 'relative') {
      const t = stepToTime(r.anchors, step);
      const start = r.startAt ?? r.anchors.ats[0];
      return t === null ? null : (t - start) / 1000;
    }
    return step;
  }

  /** Builds the plot spec from the runs' data and the settings. */
  spec() {
    const { xAxis, log, smoothing, amount } = this.settings;
    const smoothingOn = smoothing && smoothing !== 'none' && amount > 0;
    const metricAxis = xAxis.startsWith('metric:');
    const xKind = metricAxis ? 'metric' : xAxis === 'wall' ? 'time' : xAxis === 'relative' ? 'relative' : 'step';
    const tables = [], series = [], bands = [], marks = [], legend = [];
    const single = this.runs.length === 1 && !this.groups;

    const addLine = (name, color, xs, ys, lo, hi) => {
      if (!xs.length) return;
      const cols = [];
      if (smoothingOn) {
        cols.push({ label: `${name} (raw)`, color, ys, alpha: 0.25, width: 1 });
        cols.push({ label: name, color, ys: smooth(smoothing, xs, ys, amount), width: 2 });
      } else {
        cols.push({ label: name, color, ys, width: 1.6 });
      }
      const base = series.length;
      if (lo && lo.some(v => v !== null)) {
        cols.push({ label: `${name} min`, color, ys: lo, stroke: null, width: 0 });
        cols.push({ label: `${name} max`, color, ys: hi, stroke: null, width: 0 });
        bands.push({ hi: base + cols.length - 1, lo: base + cols.length - 2, color });
      }
      series.push(...cols);
      tables.push([xs, ...cols.map(c => c.ys)]);
      legend.push({ name, color, seriesIndex: base + (smoothingOn ? 1 : 0) });
    };

    if (this.groups) {
      for (const g of this.groups) {
        const members = this.runs.filter(r => g.runIds.includes(r.id));
        if (!members.length) continue;
        const rowsPer = members.map(r => (r.zoom ? r.zoom.rows : r.rows));
        const m0 = members[0].zoom || members[0];
        const agg = aggregateRuns(rowsPer, m0.from, m0.width);
        addLine(`${g.name} (${members.length})`, g.color, agg.xs, agg.mean, agg.lo, agg.hi);
      }
    } else {
      for (const r of this.runs) {
        const src = r.zoom || r;
        let xs, ys, lo = null, hi = null;
        if (metricAxis) {
          ({ xs, ys } = pairByBucket(src.rows, src.xRows, src.from, src.width));
        } else {
          const p = bucketPoints(src.rows);
          ys = p.ys;
          if (single) { lo = p.lo; hi = p.hi; }
          if (xKind === 'step') xs = p.xs;
          else xs = monotone(p.xs.map(s => this.xOf(r, s)));
          for (const s of p.nonFinite) {
            const x = this.xOf(r, s);
            if (x !== null) marks.push(x);
          }
          if (xs.some(x => x === null)) continue; // no times known for this run: nothing to place on a time axis
        }
        addLine(r.name || r.id, r.color, xs, ys, lo, hi);
      }
    }
    let data;
    if (tables.length === 0) data = [[]];
    else if (tables.length === 1) data = tables[0];
    else data = uPlot.join(tables);
    const xLabel = metricAxis ? xAxis.slice(7) : { step: 'Step', time: 'Wall time', relative: 'Relative time' }[xKind];
    return {
      xs: data[0], series: series.map((s, i) => ({ ...s, ys: data[i + 1] })), bands, xKind, xLabel, log, marks, legend,
    };
  }

  /** Draws (or redraws) the plot; rebuilds the uPlot only when the series layout changed. */
  render() {
    const spec = this.spec();
    this.el.dataset.lastStep = String(this.lastStep());
    this.flag.hidden = spec.marks.length === 0;
    if (!spec.series.length && this.runs.some(r => r.rows.length)) {
      // Data exist but cannot be placed on this x axis: say why instead of an empty frame.
      this.destroyPlot();
      const why = spec.xKind === 'metric' ? `no values of ${spec.xLabel} at the steps of ${this.key}`
        : spec.xKind === 'step' ? (spec.marks.length ? 'only NaN or infinite values logged' : 'no finite values to draw')
          : 'the server sent no step times for this run';
      this.plotEl.replaceChildren(h('div', { class: 'panel-note' }, why));
      this.legendEntries = [];
      this.drawLegend();
      return;
    }
    const shape = JSON.stringify([spec.xKind, spec.log, spec.series.map(s => [s.color, s.alpha, s.stroke === null]), spec.bands.length]);
    if (this.plot && shape === this.shape) {
      const data = [spec.xs, ...spec.series.map(s => (spec.log ? forLog(s.ys) : s.ys))];
      this.currentMarks = spec.marks;
      this.plot.setData(data, !this.zoom);
      if (this.zoom) this.plot.setScale('x', { min: this.zoom.xmin, max: this.zoom.xmax });
    } else {
      this.destroyPlot();
      this.shape = shape;
      this.currentMarks = spec.marks;
      spec.getMarks = () => this.currentMarks;
      spec.onSelect = (xmin, xmax) => this.zoomTo(xmin, xmax);
      spec.onReset = () => this.resetZoom();
      spec.onCursor = idx => this.showReadout(idx);
      this.plotEl.replaceChildren();
      this.plot = makePlot(this.plotEl, spec, this.pixelWidth());
      if (this.zoom) this.plot.setScale('x', { min: this.zoom.xmin, max: this.zoom.xmax });
    }
    this.legendEntries = spec.legend;
    this.drawLegend();
  }

  drawLegend() {
    const entries = this.legendEntries || [];
    if (entries.length <= 1 && !this.groups) { this.legend.replaceChildren(); return; }
    this.legend.replaceChildren(...entries.map(e => h('span', { class: 'legend-item' },
      h('span', { class: 'swatch', style: { background: e.color } }), h('span', { class: 'legend-name' }, e.name),
      h('span', { class: 'legend-value' }))));
  }

  showReadout(idx) {
    const u = this.plot;
    if (!u || idx === null || idx === undefined) { this.readout.textContent = ''; return; }
    const entries = this.legendEntries || [];
    const x = u.data[0][idx];
    const xText = formatX(this.spec0Kind(), x);
    if (entries.length === 1) {
      const v = u.data[entries[0].seriesIndex + 1][idx];
      this.readout.textContent = v === null || v === undefined ? '' : `${xText}: ${formatNumber(v)}`;
    } else {
      this.readout.textContent = xText;
      const items = this.legend.querySelectorAll('.legend-value');
      entries.forEach((e, i) => {
        const v = u.data[e.seriesIndex + 1][idx];
        if (items[i]) items[i].textContent = v === null || v === undefined ? '' : formatNumber(v);
      });
    }
  }

  spec0Kind() {
    const a = this.settings.xAxis;
    return a.startsWith('metric:') ? 'metric' : a === 'wall' ? 'time' : a === 'relative' ? 'relative' : 'step';
  }

  /** Drag-select: refetch the visible step range at one bucket per pixel (a metric x axis only rescales). */
  async zoomTo(xmin, xmax) {
    this.zoom = { xmin, xmax };
    const kind = this.spec0Kind();
    if (kind === 'metric' || !this.fetchRange) { this.plot.setScale('x', { min: xmin, max: xmax }); return; }
    let from = Infinity, to = -Infinity;
    for (const r of this.runs) {
      const [a, b] = kind === 'step' ? [xmin, xmax] : this.stepsOf(r, xmin, xmax, kind);
      if (a === null || b === null) continue;
      from = Math.min(from, a); to = Math.max(to, b);
    }
    this.plot.setScale('x', { min: xmin, max: xmax });
    if (!Number.isFinite(from)) return;
    from = Math.max(0, Math.floor(from)); to = Math.ceil(to);
    const token = this.zoomToken = {};
    try {
      const got = await this.fetchRange(from, to, this.pixelWidth());
      if (this.zoomToken !== token || !this.zoom) return;
      for (const r of this.runs) {
        const d = got.get(r.id);
        r.zoom = d ? { rows: d.rows || [], xRows: d.xRows || [], from: d.from ?? from, width: d.width ?? 1 } : null;
      }
      this.render();
    } catch {
      // the error banner shows what failed; the coarse data stays zoomed in
    }
  }

  stepsOf(r, xmin, xmax, kind) {
    const start = r.startAt ?? r.anchors.ats[0];
    const toAt = x => (kind === 'time' ? x * 1000 : x * 1000 + start);
    if (!r.anchors.steps.length) return [null, null];
    return [timeToStep(r.anchors, toAt(xmin)), timeToStep(r.anchors, toAt(xmax))];
  }

  /** Double-click: back to the whole range at the base detail. */
  resetZoom() {
    this.zoom = null;
    this.zoomToken = null;
    for (const r of this.runs) r.zoom = null;
    this.destroyPlot();
    this.render();
  }

  resize() {
    if (!this.plot) return;
    const w = this.pixelWidth();
    if (Math.abs(w - this.plot.width) > 2) this.plot.setSize({ width: w, height: PLOT_HEIGHT });
  }

  destroyPlot() {
    if (this.plot) this.plot.destroy();
    this.plot = null;
    this.shape = '';
  }

  /** Removes the plot and stops observing (route change). */
  destroy() {
    this.resizeObserver.disconnect();
    if (this.pending) cancelAnimationFrame(this.pending);
    this.destroyPlot();
  }
}

/** Times of consecutive steps can tie or (clock changes) go back; uPlot needs x ascending. */
function monotone(xs) {
  let prev = -Infinity;
  return xs.map(x => {
    if (x === null) return null;
    if (x < prev) x = prev;
    prev = x;
    return x;
  });
}
