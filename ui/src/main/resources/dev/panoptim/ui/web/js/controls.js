// The chart-controls bar of the run and compare pages: x axis, log scale, smoothing (kind and amount) and a
// panel search; settings persist in localStorage like a W&B workspace's.
import { h } from './dom.js';
import { SMOOTHING_KINDS } from './smoothing.js';
import { DEFAULT_SETTINGS } from './chart.js';

const STORAGE_KEY = 'panoptim.chartSettings';

/** Settings saved by the last page (or the defaults). */
export function loadSettings() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) || '{}');
    const s = { ...DEFAULT_SETTINGS, ...saved };
    if (!SMOOTHING_KINDS.some(k => k.id === s.smoothing)) s.smoothing = DEFAULT_SETTINGS.smoothing;
    if (typeof s.xAxis !== 'string') s.xAxis = 'step';
    return s;
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

function save(settings) {
  try { localStorage.setItem(STORAGE_KEY, JSON.stringify(settings)); } catch { /* private mode: not saved */ }
}

/**
 * The bar. settings is edited in place; onChange() is called after each edit, onSearch(text) on panel search.
 * setMetricKeys(keys) refreshes the "x axis = a metric" options.
 */
export function chartControls(settings, { onChange, onSearch, timeAxes = true }) {
  const xSelect = h('select', { name: 'x-axis', 'aria-label': 'X axis', dataset: { testid: 'x-axis' } });
  const log = h('input', { type: 'checkbox', name: 'log-scale', dataset: { testid: 'log-scale' }, checked: settings.log });
  const kind = h('select', { name: 'smoothing', 'aria-label': 'Smoothing', dataset: { testid: 'smoothing' } },
    SMOOTHING_KINDS.map(k => h('option', { value: k.id, selected: k.id === settings.smoothing }, k.label)));
  const amount = h('input', { type: 'range', name: 'smoothing-amount', 'aria-label': 'Smoothing amount', dataset: { testid: 'smoothing-amount' } });
  const amountText = h('output', { class: 'amount-value' });
  const search = h('input', { type: 'search', placeholder: 'Search panels (regex)', 'aria-label': 'Search panels', dataset: { testid: 'panel-search' } });

  const syncAmount = () => {
    const k = SMOOTHING_KINDS.find(x => x.id === settings.smoothing);
    amount.min = k.min; amount.max = k.max; amount.step = k.step;
    amount.disabled = k.id === 'none';
    if (!(settings.amount >= k.min && settings.amount <= k.max)) settings.amount = k.initial;
    amount.value = settings.amount;
    amountText.textContent = k.id === 'none' ? '' : String(settings.amount);
  };
  const changed = () => { save(settings); onChange(); };

  let metricKeys = [];
  const fillX = () => {
    const opts = [h('option', { value: 'step' }, 'Step')];
    if (timeAxes) opts.push(h('option', { value: 'wall' }, 'Wall time'), h('option', { value: 'relative' }, 'Relative time'));
    if (metricKeys.length) opts.push(h('optgroup', { label: 'Metric' }, metricKeys.map(k => h('option', { value: `metric:${k}` }, k))));
    xSelect.replaceChildren(...opts);
    if (![...xSelect.options].some(o => o.value === settings.xAxis)) settings.xAxis = 'step';
    xSelect.value = settings.xAxis;
  };
  fillX();
  syncAmount();

  xSelect.addEventListener('change', () => { settings.xAxis = xSelect.value; changed(); });
  log.addEventListener('change', () => { settings.log = log.checked; changed(); });
  kind.addEventListener('change', () => {
    settings.smoothing = kind.value;
    const k = SMOOTHING_KINDS.find(x => x.id === kind.value);
    settings.amount = k.initial;
    syncAmount();
    changed();
  });
  amount.addEventListener('input', () => { settings.amount = Number(amount.value); syncAmount(); changed(); });
  search.addEventListener('input', () => onSearch && onSearch(search.value));

  const el = h('div', { class: 'chart-controls', dataset: { testid: 'chart-controls' }, role: 'toolbar', 'aria-label': 'Chart settings' },
    onSearch ? search : null,
    h('label', null, 'X axis ', xSelect),
    h('label', null, log, ' Log scale'),
    h('label', null, 'Smoothing ', kind),
    h('label', { class: 'amount' }, amount, amountText));
  return {
    el,
    setMetricKeys(keys) {
      const next = keys.slice().sort();
      if (JSON.stringify(next) === JSON.stringify(metricKeys)) return;
      metricKeys = next;
      fillX();
    },
  };
}
