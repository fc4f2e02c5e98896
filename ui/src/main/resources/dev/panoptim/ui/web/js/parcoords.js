// Parallel coordinates of a sweep on plotly (loaded on first use from /vendor/plotly/plotly.min.js): one axis
// per swept parameter and one for the metric, lines coloured by the metric. Categorical parameters become
// indexed axes with their values as tick text; positive parameters spanning 2+ decades get a log10 axis.
import { formatNumber } from './format.js';

let plotlyPromise = null;

/** Loads plotly once per page. */
export function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!plotlyPromise) {
    plotlyPromise = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/vendor/plotly/plotly.min.js';
      s.onload = () => resolve(window.Plotly);
      s.onerror = () => { plotlyPromise = null; reject(new Error('plotly could not be loaded from /vendor/plotly/plotly.min.js')); };
      document.head.append(s);
    });
  }
  return plotlyPromise;
}

/** One plotly dimension from the values of a parameter (pure). */
export function dimension(label, values) {
  const present = values.filter(v => v !== null && v !== undefined);
  const numeric = present.length > 0 && present.every(v => typeof v === 'number' && Number.isFinite(v));
  if (numeric) {
    const lo = Math.min(...present), hi = Math.max(...present);
    if (lo > 0 && hi / lo >= 100) {
      const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
      const tickvals = [];
      for (let e = a; e <= b; e++) tickvals.push(e);
      return {
        label: `${label} (log)`, values: values.map(v => (typeof v === 'number' && v > 0 ? Math.log10(v) : NaN)),
        range: [Math.log10(lo), Math.log10(hi)], tickvals, ticktext: tickvals.map(e => formatNumber(Math.pow(10, e))),
      };
    }
    return { label, values: values.map(v => (typeof v === 'number' ? v : NaN)), range: lo === hi ? [lo - 1, hi + 1] : [lo, hi] };
  }
  const cats = [...new Set(present.map(v => (typeof v === 'object' ? JSON.stringify(v) : String(v))))].sort();
  const index = v => (v === null || v === undefined ? NaN : cats.indexOf(typeof v === 'object' ? JSON.stringify(v) : String(v)));
  return {
    label, values: values.map(index), tickvals: cats.map((_, i) => i), ticktext: cats,
    range: [0, Math.max(cats.length - 1, 1)],
  };
}

/** Draws (or redraws) the parallel coordinates of runs into el. */
export async function drawParcoords(el, { parameters, runs, metric }) {
  const Plotly = await loadPlotly();
  const key = metric?.name;
  const withMetric = runs.filter(r => Number.isFinite(r.summary?.[key]));
  const shown = withMetric.length ? withMetric : runs;
  const dims = parameters.map(p => dimension(p, shown.map(r => r.config?.[p])));
  const colors = shown.map(r => r.summary?.[key]);
  if (key) dims.push(dimension(key, colors.map(v => (Number.isFinite(v) ? v : null))));
  const trace = {
    type: 'parcoords',
    dimensions: dims,
    line: withMetric.length
      ? { color: colors, colorscale: 'Viridis', reversescale: metric?.goal === 'minimize', showscale: true, colorbar: { title: { text: key }, thickness: 12, x: 1.04 } }
      : { color: '#9aa5b1' },
    labelfont: { size: 12 }, tickfont: { size: 10 },
  };
  const layout = { margin: { l: 60, r: 110, t: 48, b: 24 }, height: 360, paper_bgcolor: 'rgba(0,0,0,0)', font: { family: 'system-ui, sans-serif', color: '#374151' } };
  await Plotly.react(el, [trace], layout, { displayModeBar: false, responsive: true });
}
