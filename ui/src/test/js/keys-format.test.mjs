// Unit tests of panel search, sections, config differences and formatting (node --test ui/src/test/js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterKeys, sections, differingKeys } from '../../main/resources/dev/panoptim/ui/web/js/keys.js';
import { formatNumber, formatDuration, reviveNonFinite, toNumber, formatBytes } from '../../main/resources/dev/panoptim/ui/web/js/format.js';
import { dimension } from '../../main/resources/dev/panoptim/ui/web/js/parcoords.js';

test('panel search: regex, case-insensitive; invalid regex falls back to substring', () => {
  const keys = ['train/loss', 'val/loss', 'val/accuracy', 'lr'];
  assert.deepEqual(filterKeys(keys, 'loss$'), ['train/loss', 'val/loss']);
  assert.deepEqual(filterKeys(keys, 'VAL/'), ['val/loss', 'val/accuracy']);
  assert.deepEqual(filterKeys(keys, '('), []);
  assert.deepEqual(filterKeys(['a(b'], '('), ['a(b']);
  assert.deepEqual(filterKeys(keys, ''), keys);
});

test('sections by prefix, Charts first', () => {
  assert.deepEqual(sections(['val/a', 'loss', 'train/b', 'val/c']), [
    { name: 'Charts', keys: ['loss'] }, { name: 'train', keys: ['train/b'] }, { name: 'val', keys: ['val/a', 'val/c'] }]);
});

test('config differences: changed and missing keys differ', () => {
  const d = differingKeys([{ lr: 0.1, opt: 'sgd', depth: 18 }, { lr: 0.01, opt: 'sgd' }]);
  assert.deepEqual([...d].sort(), ['depth', 'lr']);
});

test('numbers as W&B shows them', () => {
  assert.equal(formatNumber(12), '12');
  assert.equal(formatNumber(0.123456), '0.1235');
  assert.equal(formatNumber(0.00001234), '1.234e-5');
  assert.equal(formatNumber(NaN), 'NaN');
  assert.equal(formatNumber(-Infinity), '-Infinity');
  assert.equal(formatDuration(3723000), '1h 2m');
  assert.equal(formatDuration(65000), '1m 5s');
  assert.equal(formatBytes(1536), '1.5 KB');
});

test('the API strings NaN and Infinity become numbers', () => {
  const v = JSON.parse('{"a": "NaN", "b": ["Infinity", "-Infinity", 1], "c": "x"}', reviveNonFinite);
  assert.ok(Number.isNaN(v.a));
  assert.deepEqual(v.b, [Infinity, -Infinity, 1]);
  assert.equal(v.c, 'x');
  assert.equal(toNumber('Infinity'), Infinity);
  assert.equal(toNumber('abc'), null);
});

test('parallel coordinates: categorical axes get tick text, wide positive ranges a log axis', () => {
  const c = dimension('opt', ['sgd', 'adam', 'sgd']);
  assert.deepEqual(c.ticktext, ['adam', 'sgd']);
  assert.deepEqual(c.values, [1, 0, 1]);
  const l = dimension('lr', [0.0001, 0.1, 0.01]);
  assert.equal(l.label, 'lr (log)');
  assert.deepEqual(l.values.map(v => Math.round(v)), [-4, -1, -2]);
  const n = dimension('bs', [32, 64]);
  assert.deepEqual(n.range, [32, 64]);
});
