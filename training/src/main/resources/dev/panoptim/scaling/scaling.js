// Draws the scaling study: every dropout value's loss frontier and fit on one plot, then a column per dropout value
// with compute against loss (runs coloured by width exponent, a marker per data fraction), against accuracy, and the
// compute-optimal parameter count. The data comes from the JSON in #scaling-data (written by ScalingHtml).
(function () {
  'use strict';
  var d = JSON.parse(document.getElementById('scaling-data').textContent);
  var SYMBOLS = ['circle', 'square', 'diamond', 'triangle-up', 'cross', 'x', 'star', 'pentagon', 'hexagon', 'triangle-down'];
  var GROUP_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
  var COMPUTE = { type: 'log', exponentformat: 'power', title: { text: 'training compute C (FLOPs)' } };
  var config = { responsive: true, displaylogo: false };
  var drawn = [];

  function runs(g, key, showScale) {
    return g.fractions.map(function (f, i) {
      return {
        type: 'scatter', mode: 'markers', name: f.label, x: f.c, y: f[key], legendgroup: f.label,
        customdata: f.id.map(function (id, j) { return [id, f.k[j], f.params[j], f.seed[j]]; }),
        marker: {
          symbol: SYMBOLS[i % SYMBOLS.length], size: 8, color: f.k, colorscale: 'Viridis', cmin: d.widthRange[0],
          cmax: d.widthRange[1], showscale: showScale && i === 0, line: { width: 0.5, color: '#333' },
          colorbar: { title: { text: 'width k' }, thickness: 12, len: 0.7 }
        },
        hovertemplate: 'run %{customdata[0]}<br>width k %{customdata[1]}, %{customdata[2]:,} params, seed %{customdata[3]}<br>'
          + 'C %{x:.3g} FLOPs<br>%{y:.4g}<extra>' + f.label + '</extra>'
      };
    });
  }

  function line(x, y, name, colour, dash) {
    return { type: 'scatter', mode: 'lines', name: name, x: x, y: y, line: { color: colour, width: 2.5, dash: dash || 'solid' },
      hovertemplate: '%{x:.3g} FLOPs: %{y:.4g}<extra>' + name.replace(/</g, '&lt;') + '</extra>' };
  }

  function frontier(f, label) {
    var t = line(f.c, f.y, label, '#111');
    t.line.shape = 'hv';   // flat between frontier points: the best value so far
    t.mode = 'lines+markers';
    t.marker = { size: 5, color: '#111' };
    return t;
  }

  function plot(div, traces, title, yaxis) {
    drawn.push(Plotly.newPlot(div, traces, {
      title: { text: title, font: { size: 14 } }, xaxis: COMPUTE, yaxis: yaxis,
      legend: { orientation: 'h', x: 0, y: -0.22, font: { size: 11 } }, margin: { t: 50, r: 20, b: 110, l: 70 }
    }, config));
  }

  var compare = [];
  d.groups.forEach(function (g, i) {
    var colour = GROUP_COLOURS[i % GROUP_COLOURS.length];
    var f = frontier(g.lossFrontier, g.label + ' frontier');
    f.line.color = colour;
    f.marker.color = colour;
    compare.push(f);
    if (g.lossFit) compare.push(line(g.lossFit.c, g.lossFit.y, g.label + ' ' + g.lossFit.name, colour, 'dash'));
  });
  plot('compare', compare, 'Compute-efficient frontier of validation loss, by dropout', { type: 'log', title: { text: 'validation loss (nats)' } });

  // Every column's panels exist before the first is drawn: plotly sizes a plot by its div when drawn, and the grid
  // would give the first column the whole width while it is alone.
  var columns = document.getElementById('columns'), jobs = [];
  d.groups.forEach(function (g, i) {
    var col = document.createElement('div');
    columns.appendChild(col);
    function panel(name) {
      var div = document.createElement('div');
      div.id = name + '-' + i;
      col.appendChild(div);
      return div;
    }
    var loss = runs(g, 'loss', true).concat([frontier(g.lossFrontier, 'frontier')]);
    if (g.lossFit) loss.push(line(g.lossFit.c, g.lossFit.y, g.lossFit.name, '#d62728', 'dash'));
    var lossDiv = panel('loss'), accDiv = panel('accuracy'), optDiv = panel('optimal');
    jobs.push(function () { plot(lossDiv, loss, g.label + ': validation loss' + (g.lossFit ? '<br><sup>' + g.lossFit.name + '</sup>' : ''),
      { type: 'log', title: { text: 'validation loss (nats)' } }); });
    var acc = runs(g, 'acc', true).concat([frontier(g.accFrontier, 'frontier')]);
    if (g.accFit) acc.push(line(g.accFit.c, g.accFit.y, g.accFit.name, '#d62728', 'dash'));
    jobs.push(function () { plot(accDiv, acc, g.label + ': validation accuracy' + (g.accFit ? '<br><sup>' + g.accFit.name + '</sup>' : ''),
      { title: { text: 'validation accuracy' }, tickformat: '.0%' }); });
    var opt = [{ type: 'scatter', mode: 'markers', name: 'frontier run', x: g.optimal.c, y: g.optimal.n,
      marker: { size: 8, color: '#111' }, hovertemplate: 'C %{x:.3g} FLOPs<br>%{y:,} params<extra></extra>' }];
    if (g.optimalFit) opt.push(line(g.optimalFit.c, g.optimalFit.y, g.optimalFit.name, '#d62728', 'dash'));
    jobs.push(function () { plot(optDiv, opt, g.label + ': compute-optimal model size' + (g.optimalFit ? '<br><sup>' + g.optimalFit.name + '</sup>' : ''),
      { type: 'log', exponentformat: 'power', title: { text: 'parameters N_opt' } }); });
  });
  jobs.forEach(function (job) { job(); });

  Promise.all(drawn).then(function () {
    document.documentElement.setAttribute('data-rendered', 'true');
  }, function (e) {
    window.panoptimRecordError(e && e.message ? e.message : e);
  });
})();
