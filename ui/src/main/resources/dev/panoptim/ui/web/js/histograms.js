// Histograms over time: a heatmap on a canvas, x = logged step, y = value bins, darker = more of the values.
// Each step's bins span its own [min, max]; they are spread over the shared value range of all steps.
import { api } from './api.js';
import { h } from './dom.js';
import { formatAxis } from './format.js';

const HEIGHT = 200;

/** A histogram panel for one key of a run. */
export function histogramPanel(runId, key) {
  const canvas = h('canvas', { class: 'heatmap', height: HEIGHT, 'aria-label': `histograms of ${key} over steps` });
  const axisY = h('div', { class: 'heat-axis-y' });
  const axisX = h('div', { class: 'heat-axis-x' });
  const readout = h('span', { class: 'readout' });
  const el = h('div', { class: 'panel histogram-panel', dataset: { testid: 'histogram-panel', key } },
    h('div', { class: 'panel-head' }, h('span', { class: 'panel-title' }, key), readout),
    h('div', { class: 'heat-body' }, axisY, canvas), axisX);
  let steps = [];

  const draw = () => {
    const width = Math.max(Math.floor(canvas.parentElement?.clientWidth - 48 || 300), 100);
    canvas.width = width;
    canvas.style.width = `${width}px`;
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, width, HEIGHT);
    const finiteSteps = steps.filter(s => Number.isFinite(s.min) && Number.isFinite(s.max) && s.counts?.length);
    if (!finiteSteps.length) { axisY.replaceChildren(); axisX.textContent = 'no histograms logged'; return; }
    let lo = Infinity, hi = -Infinity;
    for (const s of finiteSteps) { lo = Math.min(lo, s.min); hi = Math.max(hi, s.max); }
    if (hi === lo) { hi = lo + 1; lo -= 1; }
    const colW = width / finiteSteps.length;
    const img = ctx.createImageData(width, HEIGHT);
    finiteSteps.forEach((s, col) => {
      const column = new Float64Array(HEIGHT);
      const binW = (s.max - s.min) / s.counts.length;
      s.counts.forEach((c, b) => {
        if (!c) return;
        const v0 = s.min + b * binW, v1 = v0 + binW;
        const y0 = (1 - (v1 - lo) / (hi - lo)) * (HEIGHT - 1), y1 = (1 - (v0 - lo) / (hi - lo)) * (HEIGHT - 1);
        // half-open pixel rows [round(y0), round(y1)): neighbouring bins do not share (and darken) a row
        const a = Math.max(0, Math.min(HEIGHT - 1, Math.round(y0))), z = Math.min(HEIGHT - 1, Math.max(a, Math.round(y1) - 1));
        for (let y = a; y <= z; y++) column[y] += c / (z - a + 1);
      });
      let max = 0;
      for (const v of column) max = Math.max(max, v);
      const x0 = Math.floor(col * colW), x1 = Math.max(x0 + 1, Math.floor((col + 1) * colW));
      for (let y = 0; y < HEIGHT; y++) {
        if (!column[y]) continue;
        const t = Math.sqrt(column[y] / max); // sqrt: the tails stay visible next to a tall peak
        const [r, g, bl] = [255 - t * (255 - 40), 255 - t * (255 - 90), 255 - t * (255 - 170)];
        for (let x = x0; x < x1 && x < width; x++) {
          const i = (y * width + x) * 4;
          img.data[i] = r; img.data[i + 1] = g; img.data[i + 2] = bl; img.data[i + 3] = 255;
        }
      }
      if (s.nonFinite) {
        for (let x = x0; x < x1 && x < width; x++) {
          for (let y = HEIGHT - 6; y < HEIGHT; y++) {
            const i = (y * width + x) * 4;
            img.data[i] = 220; img.data[i + 1] = 38; img.data[i + 2] = 38; img.data[i + 3] = 255;
          }
        }
      }
    });
    ctx.putImageData(img, 0, 0);
    axisY.replaceChildren(h('span', null, formatAxis(hi)), h('span', null, formatAxis((hi + lo) / 2)), h('span', null, formatAxis(lo)));
    axisX.replaceChildren(h('span', null, `step ${finiteSteps[0].step}`), h('span', null, `step ${finiteSteps.at(-1).step}`));
    canvas.onmousemove = e => {
      const rect = canvas.getBoundingClientRect();
      const col = Math.min(finiteSteps.length - 1, Math.floor((e.clientX - rect.left) / rect.width * finiteSteps.length));
      const v = hi - (e.clientY - rect.top) / rect.height * (hi - lo);
      const s = finiteSteps[col];
      readout.textContent = s ? `step ${s.step}, value ${formatAxis(v)}${s.nonFinite ? `, ${s.nonFinite} non-finite` : ''}` : '';
    };
    canvas.onmouseleave = () => { readout.textContent = ''; };
  };

  const load = async () => {
    const res = await api(`/api/runs/${encodeURIComponent(runId)}/histograms`, { key });
    steps = (res.steps || []).slice().sort((a, b) => a.step - b.step);
    draw();
  };
  return { el, load, draw };
}
