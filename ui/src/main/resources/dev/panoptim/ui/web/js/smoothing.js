// Line smoothing as in the W&B app (pure: no DOM). Every function takes xs and ys of equal length
// (ys may hold null or non-finite values, which are skipped and stay null) and returns new ys.

/** The smoothing kinds offered by the chart controls, with the range of their amount. */
export const SMOOTHING_KINDS = [
  { id: 'none', label: 'No smoothing', min: 0, max: 0, step: 1, initial: 0 },
  { id: 'twema', label: 'Time weighted EMA', min: 0, max: 0.99, step: 0.01, initial: 0.6 },
  { id: 'ema', label: 'Exponential moving average', min: 0, max: 0.99, step: 0.01, initial: 0.6 },
  { id: 'gaussian', label: 'Gaussian', min: 1, max: 50, step: 1, initial: 5 },
  { id: 'average', label: 'Running average', min: 1, max: 100, step: 1, initial: 10 },
];

/** Smooths ys with the named kind and amount; 'none' (or amount 0 for the EMAs) returns ys unchanged. */
export function smooth(kind, xs, ys, amount) {
  switch (kind) {
    case 'twema': return timeWeightedEma(xs, ys, amount);
    case 'ema': return ema(ys, amount);
    case 'gaussian': return gaussian(ys, amount);
    case 'average': return runningAverage(ys, amount);
    case 'none': case undefined: case null: case '': return ys.slice();
    default: throw new Error(`unknown smoothing kind: ${kind}`);
  }
}

const finite = v => v !== null && v !== undefined && Number.isFinite(v);

/**
 * Debiased exponential moving average: s = w*s + (1-w)*y, divided by (1 - w^n) so the start is not pulled
 * towards zero (W&B's "exponential moving average").
 */
export function ema(ys, weight) {
  const w = Math.min(Math.max(weight || 0, 0), 0.999);
  const out = new Array(ys.length).fill(null);
  let acc = 0, n = 0;
  for (let i = 0; i < ys.length; i++) {
    if (!finite(ys[i])) continue;
    acc = acc * w + (1 - w) * ys[i];
    n++;
    const debias = 1 - Math.pow(w, n);
    out[i] = debias === 0 ? ys[i] : acc / debias;
  }
  return out;
}

/**
 * Time weighted EMA (W&B's default): the decay per point grows with the x distance to the previous point,
 * measured on a 1000-wide viewport over the x range, so unevenly spaced or downsampled points smooth alike.
 */
export function timeWeightedEma(xs, ys, param) {
  const out = new Array(ys.length).fill(null);
  const w = Math.min(Math.sqrt(Math.max(param || 0, 0)), 0.999);
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    if (finite(ys[i]) && finite(xs[i])) { lo = Math.min(lo, xs[i]); hi = Math.max(hi, xs[i]); }
  }
  const range = hi > lo ? hi - lo : 1;
  let acc = 0, debias = 0, prevX = null;
  for (let i = 0; i < ys.length; i++) {
    if (!finite(ys[i]) || !finite(xs[i])) continue;
    const dx = prevX === null ? 1 : ((xs[i] - prevX) / range) * 1000;
    const wAdj = Math.pow(w, dx);
    acc = acc * wAdj + ys[i];
    debias = debias * wAdj + 1;
    out[i] = acc / debias;
    prevX = xs[i];
  }
  return out;
}

/** Gaussian kernel over neighbouring points, sigma in points (window ±3 sigma), renormalised at the edges. */
export function gaussian(ys, sigma) {
  const s = Math.max(sigma || 0, 0);
  if (s === 0) return ys.slice();
  const idx = [], vals = [];
  ys.forEach((y, i) => { if (finite(y)) { idx.push(i); vals.push(y); } });
  const radius = Math.ceil(3 * s);
  const kernel = [];
  for (let k = -radius; k <= radius; k++) kernel.push(Math.exp(-(k * k) / (2 * s * s)));
  const out = new Array(ys.length).fill(null);
  for (let j = 0; j < vals.length; j++) {
    let sum = 0, wsum = 0;
    for (let k = -radius; k <= radius; k++) {
      const m = j + k;
      if (m < 0 || m >= vals.length) continue;
      sum += kernel[k + radius] * vals[m];
      wsum += kernel[k + radius];
    }
    out[idx[j]] = sum / wsum;
  }
  return out;
}

/** Mean of the last `window` finite points (fewer at the start). */
export function runningAverage(ys, window) {
  const n = Math.max(Math.round(window || 1), 1);
  const out = new Array(ys.length).fill(null);
  const buf = [];
  let sum = 0;
  for (let i = 0; i < ys.length; i++) {
    if (!finite(ys[i])) continue;
    buf.push(ys[i]);
    sum += ys[i];
    if (buf.length > n) sum -= buf.shift();
    out[i] = sum / buf.length;
  }
  return out;
}
