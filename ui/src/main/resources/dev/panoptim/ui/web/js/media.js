// Media panels of the run page: the logged images of one key with a step slider; classification examples
// are drawn as the image plus their class probabilities as horizontal bars, the true label marked.
import { api } from './api.js';
import { h } from './dom.js';
import { formatNumber } from './format.js';

const MAX_BARS = 10;

/** A media panel for one key: {key, count, firstStep, lastStep} of the run's `media` list. */
export function mediaPanel(runId, info) {
  const slider = h('input', { type: 'range', min: 0, max: 0, value: 0, step: 1, 'aria-label': `Step of ${info.key}` });
  const stepLabel = h('span', { class: 'step-label' });
  const grid = h('div', { class: 'media-grid' });
  const el = h('div', { class: 'panel media-panel', dataset: { testid: 'media-panel', key: info.key } },
    h('div', { class: 'panel-head' }, h('span', { class: 'panel-title' }, info.key), stepLabel),
    h('div', { class: 'media-slider' }, slider), grid);
  let steps = [], byStep = new Map();

  const show = () => {
    const step = steps[Number(slider.value)];
    stepLabel.textContent = step === undefined ? '' : `step ${step}`;
    grid.replaceChildren(...(byStep.get(step) || []).map(mediaItem));
  };
  slider.addEventListener('input', show);

  const load = async () => {
    const res = await api(`/api/runs/${encodeURIComponent(runId)}/media`, { key: info.key });
    byStep = new Map();
    for (const item of res.items || []) {
      if (!byStep.has(item.step)) byStep.set(item.step, []);
      byStep.get(item.step).push(item);
    }
    for (const items of byStep.values()) items.sort((a, b) => a.index - b.index);
    const atEnd = steps.length === 0 || Number(slider.value) === steps.length - 1;
    steps = [...byStep.keys()].sort((a, b) => a - b);
    slider.max = Math.max(steps.length - 1, 0);
    slider.disabled = steps.length <= 1;
    if (atEnd) slider.value = Math.max(steps.length - 1, 0);
    show();
  };
  return { el, load };
}

function mediaItem(item) {
  const size = Math.max(Math.min(4 * Math.max(item.width || 0, item.height || 0), 160), 64);
  const img = h('img', {
    src: item.url, alt: item.caption || `step ${item.step} #${item.index}`, loading: 'lazy',
    width: item.width ? Math.round(size * item.width / Math.max(item.width, item.height)) : size,
    class: (item.width || 0) <= 64 ? 'pixelated' : null,
  });
  const probs = item.probabilities;
  if (!Array.isArray(probs) || !probs.length) {
    return h('figure', { class: 'media-item' }, img, item.caption ? h('figcaption', null, item.caption) : null);
  }
  return h('figure', { class: 'media-item classification' }, img,
    item.caption ? h('figcaption', null, item.caption) : null, probabilityBars(item));
}

/** Horizontal bars of the class probabilities: the true label marked, the prediction green or red. */
export function probabilityBars(item) {
  const classes = item.classes || item.probabilities.map((_, i) => String(i));
  const probs = item.probabilities;
  let predicted = 0;
  probs.forEach((p, i) => { if (p > probs[predicted]) predicted = i; });
  const correct = predicted === item.label;
  let order = probs.map((p, i) => i);
  if (order.length > MAX_BARS) {
    order.sort((a, b) => probs[b] - probs[a]);
    order = order.slice(0, MAX_BARS);
    if (item.label !== undefined && item.label !== null && !order.includes(item.label)) order[MAX_BARS - 1] = item.label;
    order.sort((a, b) => a - b);
  }
  return h('div', { class: `prob-bars ${correct ? 'correct' : 'wrong'}`, role: 'list', 'aria-label': 'class probabilities' },
    order.map(i => {
      const isTrue = i === item.label;
      const cls = ['prob-row', isTrue ? 'true-label' : '', i === predicted ? 'predicted' : ''].filter(Boolean).join(' ');
      return h('div', { class: cls, role: 'listitem', title: `${classes[i]}: ${formatNumber(probs[i])}${isTrue ? ' (true label)' : ''}` },
        h('span', { class: 'prob-class' }, isTrue ? '\u2713 ' : '', classes[i] ?? String(i)),
        h('span', { class: 'prob-track' }, h('span', { class: 'prob-bar', style: { width: `${Math.max(0, Math.min(1, probs[i] || 0)) * 100}%` } })),
        h('span', { class: 'prob-value' }, (Math.max(0, probs[i] || 0) * 100).toFixed(1) + '%'));
    }));
}
