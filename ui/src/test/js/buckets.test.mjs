// Unit tests of bucket rows -> drawable points (node --test ui/src/test/js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bucketPoints, coarsen, appendRows, mergeRows, lastStepOf, timeAnchors, stepToTime, timeToStep, pairByBucket, aggregateRuns,
} from '../../main/resources/dev/panoptim/ui/web/js/buckets.js';

// [firstStep, lastStep, count, min, minStep, max, maxStep, last, nonFinite]
const row = (a, b, n, min, minS, max, maxS, last, nf = false) => [a, b, n, min, minS, max, maxS, last, nf];

test('a bucket gives its min, max and last in step order: a spike is kept', () => {
  const p = bucketPoints([row(0, 9, 10, 0.1, 7, 50, 3, 0.2)]);
  assert.deepEqual(p.xs, [3, 7, 9]);
  assert.deepEqual(p.ys, [50, 0.1, 0.2]);
  assert.deepEqual(p.lo, [0.1, 0.1, 0.1]);
  assert.deepEqual(p.hi, [50, 50, 50]);
});

test('a one-point bucket is one point without a band', () => {
  const p = bucketPoints([row(4, 4, 1, 2, 4, 2, 4, 2)]);
  assert.deepEqual(p.xs, [4]);
  assert.deepEqual(p.lo, [null]);
});

test('NaN buckets are marked and their non-finite last value is not drawn', () => {
  const p = bucketPoints([row(0, 1, 2, 1, 0, 1, 0, NaN, true), row(2, 3, 2, null, -1, null, -1, Infinity, true)]);
  assert.deepEqual(p.xs, [0]);
  assert.deepEqual(p.nonFinite, [1, 3]);
});

test('merging buckets keeps the extremes, the later last and the NaN mark', () => {
  const m = mergeRows(row(0, 4, 5, 1, 2, 9, 3, 4), row(5, 9, 5, 0.5, 6, 7, 8, NaN, true));
  assert.deepEqual(m, [0, 9, 10, 0.5, 6, 9, 3, NaN, true]);
});

test('coarsen halves until at most maxRows and keeps the global extremes', () => {
  const rows = Array.from({ length: 10 }, (_, i) => row(i, i, 1, i === 6 ? -5 : i, i, i === 3 ? 99 : i, i, i));
  const c = coarsen(rows, 3);
  assert.ok(c.length <= 3);
  assert.equal(Math.min(...c.map(r => r[3])), -5);
  assert.equal(Math.max(...c.map(r => r[5])), 99);
  assert.equal(c.reduce((s, r) => s + r[2], 0), 10);
  assert.equal(lastStepOf(c), 9);
});

test('appendRows drops rows the history already holds', () => {
  const a = [row(0, 5, 6, 0, 0, 1, 5, 1)];
  const out = appendRows(a, [row(5, 5, 1, 1, 5, 1, 5, 1), row(6, 6, 1, 2, 6, 2, 6, 2)]);
  assert.equal(out.length, 2);
  assert.equal(lastStepOf(out), 6);
});

test('time anchors interpolate within a bucket and invert', () => {
  const a = timeAnchors([[0, 1000, 10, 2000], [20, 3000, 30, 4000]]);
  assert.equal(stepToTime(a, 5), 1500);
  assert.equal(stepToTime(a, 15), 2500);
  assert.equal(stepToTime(a, 99), 4000);
  assert.equal(timeToStep(a, 3500), 25);
});

test('pairing by bucket index gives metric-vs-metric points sorted by x', () => {
  const y = [row(0, 1, 2, 0, 0, 1, 1, 10), row(2, 3, 2, 0, 2, 1, 3, 20), row(4, 5, 2, 0, 4, 1, 5, 30)];
  const x = [row(0, 1, 2, 0, 0, 1, 1, 0.9), row(4, 5, 2, 0, 4, 1, 5, 0.1)];
  assert.deepEqual(pairByBucket(y, x, 0, 2), { xs: [0.1, 0.9], ys: [30, 10] });
});

test('aggregating runs gives the mean and the min-max band per bucket', () => {
  const r1 = [row(0, 1, 2, 0, 0, 1, 1, 1), row(2, 3, 2, 0, 2, 1, 3, 4)];
  const r2 = [row(0, 1, 2, 0, 0, 1, 1, 3)];
  const g = aggregateRuns([r1, r2], 0, 2);
  assert.deepEqual(g.xs, [1, 3]);
  assert.deepEqual(g.mean, [2, 4]);
  assert.deepEqual(g.lo, [1, 4]);
  assert.deepEqual(g.hi, [3, 4]);
});
