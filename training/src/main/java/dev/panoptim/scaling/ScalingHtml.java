package dev.panoptim.scaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panoptim.report.Html;
import dev.panoptim.report.PlotlyBundle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The scaling study as one self-contained HTML page (plotly.js inlined, opens offline): the data as JSON for
 * scaling.js, which draws the loss frontiers and fits of every dropout value on one plot, then a column per dropout
 * value with compute against validation loss (runs coloured by width exponent, a marker per data fraction, the
 * frontier and the fitted law), against validation accuracy, and the compute-optimal parameter count with its fit.
 * Script errors are shown on the page and collected into {@code <html data-errors>}; once every plot is drawn, the
 * page sets {@code <html data-rendered="true">}.
 *
 * <pre>{@code String page = ScalingHtml.render(analysis);}</pre>
 */
final class ScalingHtml {
    private static final int CURVE_POINTS = 60;

    private ScalingHtml() {}

    static String render(ScalingAnalysis a) {
        String title = "Scaling study: " + a.rows().size() + " runs";
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PAGE_START", Html.pageStart("panoptim scaling report", title));
        values.put("HEADING", Html.escape(title));
        values.put("EXPONENTS", Html.escape(headline(a)));
        values.put("SUMMARY", Html.escape(a.summaryText()));
        values.put("PLOTLY_HEAD", Html.plotlyHead(PlotlyBundle.load()));
        values.put("DATA", Html.jsonSafe(json(data(a))));
        values.put("SCRIPT", Html.resource(ScalingHtml.class, "scaling.js"));
        return Html.fill(Html.resource(ScalingHtml.class, "scaling.html"), values);
    }

    /** One line per page header: each dropout value's loss exponent b and N_opt exponent a. */
    static String headline(ScalingAnalysis a) {
        List<String> parts = new ArrayList<>();
        for (ScalingAnalysis.Group g : a.groups()) {
            String s = "dropout " + ScalingAnalysis.fmt(g.dropout()) + ": ";
            s += g.lossFit() == null ? "too few frontier points for a fit" : "loss exponent b = " + g.lossExponent().interval()
                    + (g.lossFit().floorKept() ? ", irreducible loss " + ScalingAnalysis.fmt(g.lossFit().withFloor().floor()) : "")
                    + ", N_opt exponent a = " + g.optimalParamsExponent().interval();
            parts.add(s);
        }
        return String.join("  ·  ", parts);
    }

    static Map<String, Object> data(ScalingAnalysis a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("widthRange", List.of(a.rows().stream().mapToInt(ScalingRow::widthExponent).min().orElse(0),
                a.rows().stream().mapToInt(ScalingRow::widthExponent).max().orElse(0)));
        List<Map<String, Object>> groups = new ArrayList<>();
        for (ScalingAnalysis.Group g : a.groups()) groups.add(group(g));
        m.put("groups", groups);
        return m;
    }

    private static Map<String, Object> group(ScalingAnalysis.Group g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dropout", g.dropout());
        m.put("label", "dropout " + ScalingAnalysis.fmt(g.dropout()));
        TreeMap<Double, List<ScalingRow>> byFraction = new TreeMap<>(java.util.Comparator.reverseOrder());
        for (ScalingRow r : g.rows()) byFraction.computeIfAbsent(r.dataFraction(), k -> new ArrayList<>()).add(r);
        List<Map<String, Object>> fractions = new ArrayList<>();
        byFraction.forEach((f, rows) -> {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("label", "data " + fraction(f));
            t.put("c", column(rows, ScalingRow::trainFlops));
            t.put("loss", column(rows, ScalingRow::valLoss));
            t.put("acc", column(rows, ScalingRow::valAccuracy));
            t.put("params", rows.stream().map(ScalingRow::params).toList());
            t.put("k", rows.stream().map(ScalingRow::widthExponent).toList());
            t.put("seed", rows.stream().map(ScalingRow::seed).toList());
            t.put("id", rows.stream().map(ScalingRow::runId).toList());
            fractions.add(t);
        });
        m.put("fractions", fractions);
        double cMin = g.rows().stream().mapToDouble(ScalingRow::trainFlops).min().orElse(1);
        double cMax = g.rows().stream().mapToDouble(ScalingRow::trainFlops).max().orElse(1);
        m.put("lossFrontier", Map.of("c", column(g.lossFrontier(), ScalingRow::trainFlops), "y", column(g.lossFrontier(), ScalingRow::valLoss)));
        m.put("lossFit", g.lossFit() == null ? null : curve(g.lossFit().chosen(), "fit: " + g.lossFit().chosen().equation("L", "C")
                + " (b = " + g.lossExponent().interval() + ")", cMin, cMax, false));
        m.put("accFrontier", Map.of("c", column(g.accuracyFrontier(), ScalingRow::trainFlops), "y", column(g.accuracyFrontier(), ScalingRow::valAccuracy)));
        m.put("accFit", g.errorFit() == null ? null : curve(g.errorFit().chosen(), "fit: " + g.errorFit().chosen().equation("1 - acc", "C")
                + " (b = " + g.errorExponent().interval() + ")", cMin, cMax, true));
        m.put("optimal", Map.of("c", column(g.lossFrontier(), ScalingRow::trainFlops), "n", g.lossFrontier().stream().map(ScalingRow::params).toList()));
        m.put("optimalFit", g.optimalParamsFit() == null ? null : curve(g.optimalParamsFit(), "fit: " + g.optimalParamsFit().equation("N_opt", "C")
                + " (a = " + g.optimalParamsExponent().interval() + ")", cMin, cMax, false));
        return m;
    }

    /** The law sampled at log-spaced computes over the runs' range; {@code complement}: 1 - law (accuracy from error). */
    private static Map<String, Object> curve(PowerLaw law, String name, double cMin, double cMax, boolean complement) {
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int i = 0; i < CURVE_POINTS; i++) {
            double c = cMin * Math.pow(cMax / cMin, i / (CURVE_POINTS - 1.0));
            xs.add(c);
            ys.add(complement ? 1 - law.at(c) : law.at(c));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("c", xs);
        m.put("y", ys);
        return m;
    }

    /** 1, 1/2, 1/4, ... for powers of two; otherwise the number. */
    static String fraction(double f) {
        double inv = 1 / f;
        if (f < 1 && inv == Math.rint(inv) && inv < 1e9) return "1/" + (long) inv;
        return ScalingAnalysis.fmt(f);
    }

    private static List<Double> column(List<ScalingRow> rows, ToDoubleFunction<ScalingRow> f) {
        return rows.stream().map(r -> f.applyAsDouble(r)).toList();
    }

    private static String json(Object o) {
        try {
            return new ObjectMapper().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the scaling page's data as JSON", e);
        }
    }
}
