// Text for numbers, times and durations, shared by every page (pure: no DOM).

/** Parses the API's number forms: numbers, and the strings "NaN", "Infinity", "-Infinity" (JSON has no literals for them). */
export function toNumber(v) {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v))) return Number(v);
  return null;
}

/** JSON.parse reviver turning the non-finite strings back into numbers. */
export function reviveNonFinite(_key, v) {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v;
}

/** A number the way W&B shows it: integers whole, others with 4 significant digits, exponents for tiny/huge. */
export function formatNumber(v) {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'number') return String(v);
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return v.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(4)));
}

/** Any config or summary value as text: numbers formatted, arrays and objects as JSON. */
export function formatValue(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Compact axis label: 1.2k, 3.4M, 0.001. */
export function formatAxis(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  const a = Math.abs(v);
  if (a >= 1e9) return trim(v / 1e9) + 'B';
  if (a >= 1e6) return trim(v / 1e6) + 'M';
  if (a >= 1e4) return trim(v / 1e3) + 'k';
  if (a !== 0 && a < 1e-3) return v.toExponential(1);
  return trim(v);
}

function trim(v) {
  return String(Number(v.toPrecision(3)));
}

/** Milliseconds as "1h 2m", "3m 4s", "12s", "850ms". */
export function formatDuration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return Math.max(0, Math.round(ms)) + 'ms';
  let s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400); s -= d * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** Seconds on a relative-time axis: "45s", "12m", "1.5h". */
export function formatSeconds(s) {
  if (!Number.isFinite(s)) return '';
  const a = Math.abs(s);
  if (a < 120) return trim(s) + 's';
  if (a < 7200) return trim(s / 60) + 'm';
  if (a < 172800) return trim(s / 3600) + 'h';
  return trim(s / 86400) + 'd';
}

/** Epoch ms as local "YYYY-MM-DD HH:MM:SS". */
export function formatTime(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const p = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Epoch ms relative to now: "just now", "5m ago", "3h ago", "2d ago". */
export function formatAgo(ms, now = Date.now()) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  const s = Math.round((now - ms) / 1000);
  if (s < 10) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

/** Bytes as "1.2 MB". */
export function formatBytes(b) {
  if (b === null || b === undefined || !Number.isFinite(b)) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) { b /= 1024; i++; }
  return (i === 0 ? b : b.toFixed(1)) + ' ' + units[i];
}
