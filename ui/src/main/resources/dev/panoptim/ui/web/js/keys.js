// Metric keys: which panels a search shows and which section each panel sits in (pure: no DOM).

/**
 * Keys matching a panel search as in W&B: a valid regular expression (case-insensitive) or, when the text is
 * not one, a plain case-insensitive substring. Empty text keeps every key.
 */
export function filterKeys(keys, text) {
  const q = (text || '').trim();
  if (!q) return keys.slice();
  let re = null;
  try { re = new RegExp(q, 'i'); } catch { re = null; }
  const lower = q.toLowerCase();
  return keys.filter(k => (re ? re.test(k) : k.toLowerCase().includes(lower)));
}

/** The section of a key: the part before the first "/" ("train/loss" -> "train"), else "Charts". */
export function sectionOf(key) {
  const i = key.indexOf('/');
  return i > 0 ? key.slice(0, i) : 'Charts';
}

/** Keys grouped by section, "Charts" first, then sections by name; keys in their given order. */
export function sections(keys) {
  const map = new Map();
  for (const k of keys) {
    const s = sectionOf(k);
    if (!map.has(s)) map.set(s, []);
    map.get(s).push(k);
  }
  const names = [...map.keys()].sort((a, b) => (a === 'Charts' ? -1 : b === 'Charts' ? 1 : a.localeCompare(b)));
  return names.map(name => ({ name, keys: map.get(name) }));
}

/** Keys of config values that differ between runs (a missing key differs from a present one). */
export function differingKeys(configs) {
  const all = new Set();
  for (const c of configs) for (const k of Object.keys(c || {})) all.add(k);
  const out = new Set();
  for (const k of all) {
    const vals = configs.map(c => (c && k in c ? JSON.stringify(c[k]) : '\u0000missing'));
    if (new Set(vals).size > 1) out.add(k);
  }
  return out;
}
