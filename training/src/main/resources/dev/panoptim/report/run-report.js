// Draws the run report: the loss curves with the accuracy on a second y-axis (as the course's plot),
// then a small plot for each other metric. The data comes from the JSON in #report-data (written by
// RunReportHtml); null values are gaps.
(function () {
  'use strict';
  var d = JSON.parse(document.getElementById('report-data').textContent);

  function trace(s, axis) {
    return {
      type: 'scatter', mode: s.steps.length > 1 ? 'lines' : 'markers', name: s.key, x: s.steps, y: s.values,
      yaxis: axis, line: { color: s.colour, width: 2 }, marker: { color: s.colour, size: 6 },
      hovertemplate: '<b>%{fullData.name}</b><br>step %{x}<br>%{y:.4g}<extra></extra>'
    };
  }

  var traces = d.left.map(function (s) { return trace(s, 'y'); })
    .concat(d.right.map(function (s) { return trace(s, 'y2'); }));
  var layout = {
    title: { text: d.title },
    xaxis: { title: { text: 'step' } },
    yaxis: { title: { text: d.leftTitle } },
    legend: { orientation: 'h', x: 0, y: -0.18 },
    margin: { t: 60, r: 80, b: 90, l: 80 },
    hovermode: 'x unified'
  };
  if (d.right.length) {
    layout.yaxis2 = { title: { text: d.rightTitle }, overlaying: 'y', side: 'right', showgrid: false };
  }

  var drawn = [];
  if (traces.length) {
    drawn.push(Plotly.newPlot('plot', traces, layout, { responsive: true, displaylogo: false }));
  } else {
    document.getElementById('plot').textContent = 'No metrics were logged in this run.';
    document.getElementById('plot').style.height = 'auto';
  }
  var others = document.getElementById('others');
  d.others.forEach(function (s, i) {
    var div = document.createElement('div');
    div.id = 'metric-' + i;
    others.appendChild(div);
    drawn.push(Plotly.newPlot(div, [trace(s, 'y')], {
      title: { text: s.key, font: { size: 14 }, x: 0.02, xanchor: 'left' }, showlegend: false,
      xaxis: { title: { text: 'step' } }, margin: { t: 40, r: 20, b: 45, l: 60 }
    }, { responsive: true, displayModeBar: false }));
  });
  Promise.all(drawn).then(function () {
    document.documentElement.setAttribute('data-rendered', 'true');
  }, function (e) {
    window.panoptimRecordError(e && e.message ? e.message : e);
  });
})();
