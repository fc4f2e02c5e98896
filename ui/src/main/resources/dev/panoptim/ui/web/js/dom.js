// Small DOM helpers: element creation without innerHTML (no escaping bugs), state badges, run colours.

/**
 * Creates an element: h('a', {href: '#/', class: 'x', dataset: {testid: 'y'}, onclick: fn}, 'text', child).
 * Attribute values null/undefined/false are skipped; children may be strings, nodes, arrays or null.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** The coloured badge of a run or sweep state. */
export function stateBadge(state, testid) {
  return h('span', { class: `badge state-${state || 'unknown'}`, dataset: testid ? { testid } : undefined }, state || '?');
}

const PALETTE = ['#5387dd', '#da4c4c', '#479a5f', '#e07040', '#7d54b2', '#e87191', '#229487', '#a0b400',
  '#c565c7', '#4f9fd5', '#5f6b6d', '#a46750', '#1da7b5', '#b0884b', '#8a6cd8', '#d9a400', '#3f6bbf'];

/** A stable colour for a run (W&B-like muted palette), by its position when given, else by its id. */
export function runColor(id, index) {
  if (Number.isInteger(index)) return PALETTE[index % PALETTE.length];
  let hash = 0;
  for (const c of String(id)) hash = (hash * 31 + c.charCodeAt(0)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length];
}

/** A section with a heading that collapses (details/summary: keyboard-accessible for free). */
export function section(title, testid, ...content) {
  return h('details', { class: 'section', open: true, dataset: testid ? { testid } : undefined },
    h('summary', null, title), h('div', { class: 'section-body' }, content));
}

/** Encodes each segment of a file path for a URL, keeping the slashes. */
export const encodePath = path => path.split('/').map(encodeURIComponent).join('/');

/** Replaces el's children, skipping null/false entries (replaceChildren would write them as text). */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}
