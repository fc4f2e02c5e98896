// Draws the sweep page from the JSON in #report-data (written by SweepReportHtml): the runs as parallel
// coordinates coloured by the metric, the parameters' importance and correlation, the metric of every run
// over its steps. A part with nothing to draw says why instead.
(function () {
  'use strict';
  var d = JSON.parse(document.getElementById('report-data').textContent);
  var drawn = [];
  var config = { responsive: true, displaylogo: false };

  function note(id, text) {
    document.getElementById(id).textContent = text;
  }

  function empty(id, text) {
    var div = document.getElementById(id);
    div.textContent = text;
    div.className = 'empty';
    div.style.height = 'auto';
  }

  var pc = d.parcoords;
  if (pc.runs > 0 && pc.dimensions.length) {
    var line = { color: '#1f77b4' };
    if (pc.colour) {
      // Better runs are brighter: reverse the scale when lower is better.
      line = { color: pc.colour, colorscale: 'Viridis', reversescale: !d.maximize, showscale: true,
        colorbar: { title: { text: d.metric } } };
    }
    note('parcoords-note', pc.runs + (pc.runs === 1 ? ' run' : ' runs') + (d.metric ? ' with a value of ' + d.metric : '')
      + '; drag along an axis to select a range.');
    drawn.push(Plotly.newPlot('parcoords', [{ type: 'parcoords', dimensions: pc.dimensions, line: line }],
      { margin: { t: 60, r: 90, b: 30, l: 70 } }, config));
  } else {
    empty('parcoords', d.metric ? 'No run has a numeric value of ' + d.metric + ' yet.' : 'The sweep has no runs yet.');
  }

  note('importance-note', d.importanceNote);
  if (d.importance.length) {
    var names = d.importance.map(function (p) { return p.parameter; });
    var corrLabels = [], corrValues = [];
    d.importance.forEach(function (p) {
      if (p.levels) {
        Object.keys(p.levels).forEach(function (level) {
          corrLabels.push(p.parameter + '=' + level);
          corrValues.push(p.levels[level]);
        });
      } else {
        corrLabels.push(p.parameter);
        corrValues.push(p.correlation);
      }
    });
    var rows = Math.max(names.length, corrLabels.length);
    document.getElementById('importance').style.height = (140 + 28 * rows) + 'px';
    drawn.push(Plotly.newPlot('importance', [
      { type: 'bar', orientation: 'h', name: 'importance', x: d.importance.map(function (p) { return p.importance; }), y: names,
        xaxis: 'x', yaxis: 'y', marker: { color: '#1f77b4' }, hovertemplate: '%{y}: importance %{x:.3f}<extra></extra>' },
      { type: 'bar', orientation: 'h', name: 'correlation', x: corrValues, y: corrLabels, xaxis: 'x2', yaxis: 'y2',
        marker: { color: corrValues.map(function (v) { return v === null || v >= 0 ? '#2ca02c' : '#d62728'; }) },
        hovertemplate: '%{y}: r = %{x:.3f}<extra></extra>' }
    ], {
      showlegend: false,
      xaxis: { domain: [0, 0.42], range: [0, 1], title: { text: 'importance' } },
      yaxis: { anchor: 'x', autorange: 'reversed', automargin: true },
      xaxis2: { domain: [0.58, 1], range: [-1, 1], title: { text: 'correlation with ' + d.metric }, zeroline: true },
      yaxis2: { anchor: 'x2', autorange: 'reversed', automargin: true },
      margin: { t: 20, r: 30, b: 60, l: 20 }
    }, config));
  } else {
    empty('importance', 'Nothing to show.');
  }

  if (d.history.length) {
    note('history-note', d.history.length + (d.history.length === 1 ? ' run' : ' runs') + ' logged ' + d.metric
      + '; hover a line for its run and config.');
    drawn.push(Plotly.newPlot('history', d.history.map(function (h) {
      return { type: 'scatter', mode: h.steps.length > 1 ? 'lines' : 'markers', name: h.run, x: h.steps, y: h.values,
        text: h.steps.map(function () { return h.config.join('<br>'); }),
        hovertemplate: '<b>run ' + h.run + '</b><br>step %{x}<br>' + d.metric + ' %{y:.4g}<br>%{text}<extra></extra>' };
    }), {
      xaxis: { title: { text: 'step' } }, yaxis: { title: { text: d.metric } },
      margin: { t: 20, r: 20, b: 60, l: 70 }, hovermode: 'closest'
    }, config));
  } else {
    empty('history', d.metric ? 'No run has logged ' + d.metric + ' yet.' : 'The sweep names no metric to plot.');
  }

  Promise.all(drawn).then(function () {
    document.documentElement.setAttribute('data-rendered', 'true');
  }, function (e) {
    window.panoptimRecordError(e && e.message ? e.message : e);
  });
})();
