// Unit tests of the dashboard's smoothing (node --test ui/src/test/js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { smooth, ema, timeWeightedEma, gaussian, runningAverage } from '../../main/resources/dev/panoptim/ui/web/js/smoothing.js';

const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

test('ema is debiased: a constant stays constant from the first point', () => {
  const out = ema([5, 5, 5, 5], 0.9);
  out.forEach(v => close(v, 5));
});

test('ema follows the recurrence', () => {
  // w = 0.5: acc1 = 0.5*1 = 0.5, /(1-0.5) = 1; acc2 = 0.25 + 0.5*3 = 1.75, /(1-0.25) = 2.3333
  const out = ema([1, 3], 0.5);
  close(out[0], 1);
  close(out[1], 1.75 / 0.75);
});

test('ema skips non-finite values and keeps their slots null', () => {
  const out = ema([1, NaN, null, 3], 0.5);
  assert.equal(out[1], null);
  assert.equal(out[2], null);
  close(out[3], 1.75 / 0.75);
});

test('time weighted ema: evenly spaced points, weight sqrt(param) per 1/1000 of the range', () => {
  const xs = [0, 1000], ys = [0, 10];
  // w = sqrt(0.25) = 0.5; dx = 1000/1000*1000 = 1000 -> w^1000 ~ 0: the second point is its own value
  const out = timeWeightedEma(xs, ys, 0.25);
  close(out[0], 0);
  close(out[1], 10, 1e-6);
});

test('time weighted ema smooths dense points', () => {
  const xs = Array.from({ length: 1001 }, (_, i) => i);
  const ys = xs.map(i => (i % 2 ? 1 : -1));
  const out = timeWeightedEma(xs, ys, 0.99);
  assert.ok(Math.abs(out[1000]) < 0.2, `alternating signal should average out, got ${out[1000]}`);
});

test('amount 0 leaves the line as it is', () => {
  const ys = [3, 1, 4, 1, 5];
  assert.deepEqual(timeWeightedEma([0, 1, 2, 3, 4], ys, 0), ys);
  assert.deepEqual(ema(ys, 0), ys);
});

test('gaussian keeps a constant and spreads a spike symmetrically', () => {
  gaussian([2, 2, 2, 2, 2], 2).forEach(v => close(v, 2));
  const out = gaussian([0, 0, 0, 9, 0, 0, 0], 1);
  close(out[2], out[4]);
  assert.ok(out[3] < 9 && out[3] > out[2]);
});

test('running average over a window', () => {
  assert.deepEqual(runningAverage([1, 2, 3, 4], 2), [1, 1.5, 2.5, 3.5]);
});

test('smooth dispatches by kind and rejects unknown kinds', () => {
  assert.deepEqual(smooth('none', [0, 1], [1, 2], 0), [1, 2]);
  assert.deepEqual(smooth('average', [0, 1, 2], [1, 2, 3], 3), [1, 1.5, 2]);
  assert.throws(() => smooth('median', [0], [1], 1), /unknown smoothing kind: median/);
});
