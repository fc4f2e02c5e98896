// Draws the landscape: the surface as a filled contour plot, each optimizer's path, the start, its end
// and the known minima. The data comes from the JSON in #landscape-data (written by LandscapeHtml).
(function () {
  'use strict';
  var d = JSON.parse(document.getElementById('landscape-data').textContent);
  var g = d.grid;
  var traces = [];

  var contour = {
    type: 'contour', name: 'f', showlegend: false, x: g.x, y: g.y, z: g.c, zmin: g.cMin, zmax: g.cMax,
    colorscale: g.colorscale, ncontours: 30, hoverongaps: false,
    contours: { coloring: 'heatmap', showlines: true },
    line: { width: 0.6, color: 'rgba(255, 255, 255, 0.35)' },
    colorbar: { title: { text: g.colourTitle, side: 'right' }, tickvals: g.tickVals, ticktext: g.tickText }
  };
  if (g.f) {
    contour.text = g.f;
    contour.hovertemplate = 'x=%{x:.3f}<br>y=%{y:.3f}<br>f=%{text}<extra></extra>';
  } else {
    contour.hovertemplate = 'x=%{x:.3f}<br>y=%{y:.3f}<br>f=%{z:.4g}<extra></extra>';
  }
  traces.push(contour);

  d.trajectories.forEach(function (t) {
    traces.push({
      type: 'scatter', mode: 'lines+markers', name: t.label, legendgroup: t.label, x: t.x, y: t.y,
      customdata: t.step.map(function (s, i) { return [s, t.loss[i]]; }),
      line: { color: t.color, width: 2.2 },
      marker: { color: t.color, size: 4, line: { color: 'rgba(0, 0, 0, 0.6)', width: 0.5 } },
      hovertemplate: '<b>%{fullData.name}</b><br>step %{customdata[0]}<br>x=%{x:.4f}, y=%{y:.4f}'
        + '<br>loss=%{customdata[1]:.5g}<extra></extra>'
    });
    if (t.end) {
      traces.push({
        type: 'scatter', mode: 'markers', name: t.label + ' (end)', legendgroup: t.label, showlegend: false,
        x: [t.end[0]], y: [t.end[1]], marker: { symbol: 'x', size: 12, color: t.color, line: { color: 'black', width: 1 } },
        hovertemplate: '<b>' + 'end' + '</b> x=%{x:.4f}, y=%{y:.4f}<extra>%{fullData.legendgroup}</extra>'
      });
    }
  });

  traces.push({
    type: 'scatter', mode: 'markers', name: 'start', x: d.starts.map(function (p) { return p[0]; }),
    y: d.starts.map(function (p) { return p[1]; }),
    marker: { symbol: 'circle', size: 11, color: 'white', line: { color: 'black', width: 1.5 } },
    hovertemplate: 'start x=%{x:.4f}, y=%{y:.4f}<extra></extra>'
  });

  if (d.minima.length) {
    traces.push({
      type: 'scatter', mode: 'markers', name: 'known minimum', cliponaxis: false, x: d.minima.map(function (m) { return m.x; }),
      y: d.minima.map(function (m) { return m.y; }), text: d.minima.map(function (m) { return m.label; }),
      marker: { symbol: d.minima.map(function (m) { return m.symbol; }), size: 17, color: 'white',
        line: { color: 'black', width: 1.5 } },
      hovertemplate: '%{text}<extra></extra>'
    });
  }

  var w = d.window;
  var layout = {
    title: { text: d.title },
    xaxis: { title: { text: 'x' }, range: [w[0], w[1]], showgrid: false, zeroline: false },
    yaxis: { title: { text: 'y' }, range: [w[2], w[3]], showgrid: false, zeroline: false },
    legend: { orientation: 'h', x: 0, y: -0.1, yanchor: 'top' },
    margin: { t: 60, r: 30 },
    hovermode: 'closest'
  };
  Plotly.newPlot('plot', traces, layout, { responsive: true, displaylogo: false }).then(function () {
    document.documentElement.setAttribute('data-rendered', 'true');
  }, function (e) { window.panoptimRecordError(e && e.message ? e.message : e); });
})();
