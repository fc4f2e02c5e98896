// The history API's bucket rows turned into drawable points (pure: no DOM).
// A row is [firstStep, lastStep, count, min, minStep, max, maxStep, last, nonFinite]: min and max are over
// the finite values (null with step -1 when there are none), last is the value at lastStep (maybe NaN).

export const FIRST = 0, LAST_STEP = 1, COUNT = 2, MIN = 3, MIN_STEP = 4, MAX = 5, MAX_STEP = 6, LAST = 7, NON_FINITE = 8;

const finite = v => typeof v === 'number' && Number.isFinite(v);

/**
 * The line through every bucket's extremes and last value in step order, so a spike is never lost:
 * xs (steps), ys, and lo/hi (the bucket's min and max where it holds more than one point, else null) for the
 * faint band; nonFinite lists a step per bucket that held a NaN or infinity.
 */
export function bucketPoints(rows) {
  const xs = [], ys = [], lo = [], hi = [], nonFinite = [];
  for (const r of rows) {
    const pts = [];
    if (finite(r[MIN]) && r[MIN_STEP] >= 0) pts.push([r[MIN_STEP], r[MIN]]);
    if (finite(r[MAX]) && r[MAX_STEP] >= 0) pts.push([r[MAX_STEP], r[MAX]]);
    if (finite(r[LAST])) pts.push([r[LAST_STEP], r[LAST]]);
    pts.sort((a, b) => a[0] - b[0]);
    const band = r[COUNT] > 1 && finite(r[MIN]) && finite(r[MAX]);
    let prevStep = null;
    for (const [s, v] of pts) {
      if (s === prevStep) continue; // one value per step: min, max or last at the same step are the same point
      if (xs.length && s <= xs[xs.length - 1]) continue; // rows overlapping a previous one (live appends)
      xs.push(s); ys.push(v);
      lo.push(band ? r[MIN] : null); hi.push(band ? r[MAX] : null);
      prevStep = s;
    }
    if (r[NON_FINITE]) nonFinite.push(finite(r[LAST]) ? Math.round((r[FIRST] + r[LAST_STEP]) / 2) : r[LAST_STEP]);
  }
  return { xs, ys, lo, hi, nonFinite };
}

/** The largest step among rows, or -1 when there are none. */
export function lastStepOf(rows) {
  let s = -1;
  for (const r of rows) if (r[LAST_STEP] > s) s = r[LAST_STEP];
  return s;
}

/** One bucket covering two adjacent ones (a before b). */
export function mergeRows(a, b) {
  let min = a[MIN], minStep = a[MIN_STEP], max = a[MAX], maxStep = a[MAX_STEP];
  if (finite(b[MIN]) && (!finite(min) || b[MIN] < min)) { min = b[MIN]; minStep = b[MIN_STEP]; }
  if (finite(b[MAX]) && (!finite(max) || b[MAX] > max)) { max = b[MAX]; maxStep = b[MAX_STEP]; }
  return [a[FIRST], b[LAST_STEP], a[COUNT] + b[COUNT], min, minStep, max, maxStep, b[LAST], Boolean(a[NON_FINITE] || b[NON_FINITE])];
}

/**
 * Rows appended live grow without bound; once there are more than maxRows, adjacent pairs are merged
 * (extremes and non-finite marks are kept), halving the count.
 */
export function coarsen(rows, maxRows) {
  if (rows.length <= maxRows) return rows;
  const out = [];
  for (let i = 0; i < rows.length; i += 2) out.push(i + 1 < rows.length ? mergeRows(rows[i], rows[i + 1]) : rows[i]);
  return coarsen(out, maxRows);
}

/**
 * Appends rows that reach beyond the last step already held: the stream's rows can repeat after a reconnect
 * or overlap a history fetched just before (bucketPoints skips the overlapping points of such a row).
 */
export function appendRows(rows, added) {
  const last = lastStepOf(rows);
  const fresh = added.filter(r => r[LAST_STEP] > last);
  return fresh.length ? rows.concat(fresh) : rows;
}

/** Step -> epoch ms anchors from the history answer's `times` ([firstStep, firstAt, lastStep, lastAt] per bucket). */
export function timeAnchors(times) {
  const pairs = [];
  for (const t of times || []) {
    pairs.push([t[0], t[1]]);
    if (t[2] !== t[0]) pairs.push([t[2], t[3]]);
  }
  return normalizeAnchors(pairs);
}

/** Anchors sorted by step, one per step. */
export function normalizeAnchors(pairs) {
  pairs.sort((a, b) => a[0] - b[0]);
  const steps = [], ats = [];
  for (const [s, t] of pairs) {
    if (steps.length && steps[steps.length - 1] === s) continue;
    steps.push(s); ats.push(t);
  }
  return { steps, ats };
}

/** Adds anchors (e.g. live points stamped with their arrival time). */
export function addAnchors(anchors, pairs) {
  const all = anchors.steps.map((s, i) => [s, anchors.ats[i]]).concat(pairs);
  return normalizeAnchors(all);
}

/** Linear interpolation of ys at x over sorted xs, extrapolating flat beyond the ends; null when empty. */
export function interpolate(xs, ys, x) {
  const n = xs.length;
  if (n === 0) return null;
  if (x <= xs[0]) return ys[0];
  if (x >= xs[n - 1]) return ys[n - 1];
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid; else hi = mid;
  }
  const f = (x - xs[lo]) / (xs[hi] - xs[lo]);
  return ys[lo] + f * (ys[hi] - ys[lo]);
}

/** Epoch ms at a step (interpolated within and between buckets). */
export const stepToTime = (anchors, step) => interpolate(anchors.steps, anchors.ats, step);

/** Step at an epoch ms (the inverse, for zooming on a time axis). */
export const timeToStep = (anchors, at) => interpolate(anchors.ats, anchors.steps, at);

/** Bucket index of a row in a history answer with the given from and bucketWidth. */
export const bucketIndex = (row, from, width) => Math.floor((row[FIRST] - from) / Math.max(width, 1));

/**
 * One metric against another (x axis = a metric): buckets of both keys from the same history answer are
 * paired by index, each bucket giving (x's last, y's last); sorted by x.
 */
export function pairByBucket(yRows, xRows, from, width) {
  const xByBucket = new Map();
  for (const r of xRows) if (finite(r[LAST])) xByBucket.set(bucketIndex(r, from, width), r[LAST]);
  const pts = [];
  for (const r of yRows) {
    const x = xByBucket.get(bucketIndex(r, from, width));
    if (x !== undefined && finite(r[LAST])) pts.push([x, r[LAST]]);
  }
  pts.sort((a, b) => a[0] - b[0]);
  return { xs: pts.map(p => p[0]), ys: pts.map(p => p[1]) };
}

/**
 * Several runs' rows of one key, all fetched with the same from/width, as one group: per bucket the mean of
 * the runs' last values and their min and max (the band). x is the bucket's mean last step.
 */
export function aggregateRuns(rowsPerRun, from, width) {
  const byBucket = new Map();
  for (const rows of rowsPerRun) {
    for (const r of rows) {
      if (!finite(r[LAST])) continue;
      const b = bucketIndex(r, from, width);
      let e = byBucket.get(b);
      if (!e) byBucket.set(b, e = { steps: 0, sum: 0, n: 0, min: Infinity, max: -Infinity });
      e.steps += r[LAST_STEP]; e.sum += r[LAST]; e.n++;
      e.min = Math.min(e.min, r[LAST]); e.max = Math.max(e.max, r[LAST]);
    }
  }
  const keys = [...byBucket.keys()].sort((a, b) => a - b);
  const xs = [], mean = [], lo = [], hi = [];
  let prev = -Infinity;
  for (const k of keys) {
    const e = byBucket.get(k);
    let x = Math.round(e.steps / e.n);
    if (x <= prev) x = prev + 1e-6;
    prev = x;
    xs.push(x); mean.push(e.sum / e.n); lo.push(e.min); hi.push(e.max);
  }
  return { xs, mean, lo, hi };
}
