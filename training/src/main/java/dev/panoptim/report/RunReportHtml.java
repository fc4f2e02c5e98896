package dev.panoptim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run report as one self-contained HTML page: a Plotly plot of the loss curves with the accuracy
 * on a second y-axis (one trace per metric; hover, zoom, hide from the legend), a small plot per other
 * metric, the config and the summary. plotly.js is inlined, so it opens offline. Script errors are
 * shown on the page and collected into {@code <html data-errors>}; once drawn, the page sets
 * {@code <html data-rendered="true">}.
 */
final class RunReportHtml {
    private RunReportHtml() {}

    static String render(ReportData d) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PAGE_START", Html.pageStart("panoptim report", d.title()));
        values.put("HEADING", Html.escape(d.title()));
        values.put("SUBTITLE", Html.escape(d.subtitle()));
        values.put("CONFIG", table(Flat.of(d.run().config()), "no config"));
        values.put("SUMMARY", table(d.run().summary(), "no summary"));
        values.put("PLOTLY_HEAD", Html.plotlyHead(PlotlyBundle.load()));
        values.put("DATA", Html.jsonSafe(json(data(d))));
        values.put("SCRIPT", Html.resource(RunReportHtml.class, "run-report.js"));
        return Html.fill(Html.resource(RunReportHtml.class, "run-report.html"), values);
    }

    static Map<String, Object> data(ReportData d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", d.title());
        m.put("leftTitle", d.leftTitle());
        m.put("rightTitle", d.rightTitle());
        m.put("left", series(d, d.left()));
        m.put("right", series(d, d.right()));
        m.put("others", series(d, d.others()));
        return m;
    }

    private static List<Map<String, Object>> series(ReportData d, List<Series> list) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Series s : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", s.key());
            m.put("colour", d.colour(s));
            m.put("steps", s.steps());
            List<Double> ys = new ArrayList<>(s.values().length);
            for (double v : s.values()) ys.add(Double.isFinite(v) ? v : null);   // null: a gap in the line
            m.put("values", ys);
            out.add(m);
        }
        return out;
    }

    private static String table(Map<String, ?> rows, String empty) {
        if (rows.isEmpty()) return "<p class=\"empty\">" + Html.escape(empty) + "</p>";
        StringBuilder s = new StringBuilder("<table class=\"kv\">\n");
        for (Map.Entry<String, ?> e : rows.entrySet()) {
            s.append("<tr><th>").append(Html.escape(e.getKey())).append("</th><td>").append(Html.escape(Flat.text(e.getValue())))
                    .append("</td></tr>\n");
        }
        return s.append("</table>").toString();
    }

    private static String json(Object o) {
        try {
            return new ObjectMapper().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the report data as JSON", e);
        }
    }
}
