package dev.panoptim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panoptim.sweep.Distribution;
import dev.panoptim.sweep.Parameter;
import dev.panoptim.sweep.ParameterImportance;
import dev.panoptim.sweep.SweepConfig;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SweepInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sweep page's HTML: the data as JSON for sweep-report.js, which draws the parallel coordinates (categorical
 * axes labelled by value, log-distributed ones on a log10 axis), the importance and correlation bars and the
 * metric over steps. Script errors are shown on the page and collected into {@code <html data-errors>}; once
 * every plot is drawn, the page sets {@code <html data-rendered="true">}.
 *
 * <pre>{@code String page = SweepReportHtml.render(sweep, config, store.sweepRuns(sweep.id()), historyByRun);}</pre>
 */
final class SweepReportHtml {
    /** Distributions whose draws spread over decades: their axis is log10 of the value. */
    static final Set<Distribution> LOG = EnumSet.of(Distribution.LOG_UNIFORM, Distribution.LOG_UNIFORM_VALUES, Distribution.Q_LOG_UNIFORM,
            Distribution.Q_LOG_UNIFORM_VALUES, Distribution.INV_LOG_UNIFORM, Distribution.INV_LOG_UNIFORM_VALUES,
            Distribution.LOG_NORMAL, Distribution.Q_LOG_NORMAL);

    private SweepReportHtml() {}

    /** {@code history}: each run's points of the metric, by run id (empty without a metric). */
    static String render(SweepInfo sweep, SweepConfig config, List<RunInfo> runs, Map<String, List<RunStore.MetricPoint>> history) {
        String title = "sweep " + sweep.name() + " (" + sweep.id() + ")";
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PAGE_START", Html.pageStart("panoptim sweep report", title));
        values.put("HEADING", Html.escape(title));
        values.put("SUBTITLE", Html.escape(subtitle(sweep, config, runs)));
        values.put("PLOTLY_HEAD", Html.plotlyHead(PlotlyBundle.load()));
        values.put("DATA", Html.jsonSafe(json(data(config, runs, history))));
        values.put("SCRIPT", Html.resource(SweepReportHtml.class, "sweep-report.js"));
        return Html.fill(Html.resource(SweepReportHtml.class, "sweep-report.html"), values);
    }

    /** Method, state, runs, goal, and the best run. */
    static String subtitle(SweepInfo sweep, SweepConfig config, List<RunInfo> runs) {
        StringBuilder s = new StringBuilder(sweep.method() + " · " + sweep.state() + " · " + runs.size() + (runs.size() == 1 ? " run" : " runs"));
        SweepConfig.Metric metric = config.metric();
        if (metric == null) return s.append(" · no metric").toString();
        s.append(" · ").append(metric.maximize() ? "maximize " : "minimize ").append(metric.name());
        RunInfo best = null;
        for (RunInfo r : runs) if (best == null || metric.better(value(r, metric.name()), value(best, metric.name()))) best = r;
        if (best != null && Double.isFinite(value(best, metric.name()))) {
            s.append(" · best: run ").append(best.id()).append(", ").append(metric.name()).append(' ').append(Ticks.format(value(best, metric.name())));
        }
        return s.append(" · created ").append(Times.local(sweep.createdAt())).toString();
    }

    static Map<String, Object> data(SweepConfig config, List<RunInfo> runs, Map<String, List<RunStore.MetricPoint>> history) {
        SweepConfig.Metric metric = config.metric();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", metric == null ? null : metric.name());
        m.put("maximize", metric != null && metric.maximize());
        m.put("parcoords", parcoords(config, runs));
        ParameterImportance.Result importance = ParameterImportance.of(config, runs);
        m.put("importance", importance.parameters().stream().map(ParameterImportance.Importance::asMap).toList());
        m.put("importanceNote", importance.reason() != null ? "No parameter importance: " + importance.reason() + "."
                : "A random forest over " + importance.runs() + " runs; correlation is Pearson's r with " + importance.metric()
                + " (a categorical parameter has one per value).");
        List<Map<String, Object>> lines = new ArrayList<>();
        for (RunInfo r : runs) {
            List<RunStore.MetricPoint> points = history.getOrDefault(r.id(), List.of());
            if (points.isEmpty()) continue;
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("run", r.id());
            line.put("config", Flat.of(r.config()).entrySet().stream().map(e -> e.getKey() + "=" + Flat.text(e.getValue())).toList());
            line.put("steps", points.stream().map(RunStore.MetricPoint::step).toList());
            line.put("values", points.stream().map(p -> Double.isFinite(p.value()) ? p.value() : null).toList());   // null: a gap
            lines.add(line);
        }
        m.put("history", lines);
        return m;
    }

    /**
     * The parallel coordinates: an axis per swept parameter, then the metric; the runs with a finite metric (all
     * of them when the sweep has no metric).
     */
    static Map<String, Object> parcoords(SweepConfig config, List<RunInfo> runs) {
        SweepConfig.Metric metric = config.metric();
        List<ParameterImportance.Sample> samples = new ArrayList<>();
        if (metric != null) samples = ParameterImportance.samples(runs, metric.name());
        else for (RunInfo r : runs) samples.add(new ParameterImportance.Sample(r.config(), Double.NaN));
        List<Map<String, Object>> dimensions = new ArrayList<>();
        if (!samples.isEmpty()) {
            for (Map.Entry<String, Parameter> e : ParameterImportance.swept(config.parameters()).entrySet()) {
                dimensions.add(dimension(ParameterImportance.column(e.getKey(), e.getValue(), samples), e.getValue()));
            }
        }
        List<Double> colour = samples.stream().map(ParameterImportance.Sample::metric).toList();
        if (metric != null && !samples.isEmpty()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("label", metric.name());
            d.put("values", colour);
            dimensions.add(d);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dimensions", dimensions);
        m.put("colour", metric == null ? null : colour);
        m.put("runs", samples.size());
        return m;
    }

    private static Map<String, Object> dimension(ParameterImportance.Column c, Parameter declared) {
        Map<String, Object> d = new LinkedHashMap<>();
        double[] v = c.values();
        d.put("label", c.parameter());
        if (c.categorical()) {
            d.put("values", v);
            d.put("tickvals", range(c.levels().size()));
            d.put("ticktext", c.levels());
            d.put("range", List.of(0, Math.max(1, c.levels().size() - 1)));
        } else if (declared instanceof Parameter.Categorical cat && cat.values().stream().allMatch(x -> x instanceof Boolean)) {
            d.put("values", v);
            d.put("tickvals", List.of(0, 1));
            d.put("ticktext", List.of("false", "true"));
            d.put("range", List.of(0, 1));
        } else if (declared instanceof Parameter.Numeric n && LOG.contains(n.distribution()) && Arrays.stream(v).allMatch(x -> x > 0)) {
            double[] log = Arrays.stream(v).map(Math::log10).toArray();
            double lo = Arrays.stream(log).min().orElse(0), hi = Arrays.stream(log).max().orElse(0);
            if (hi == lo) hi = lo + 1;
            List<Double> ticks = new ArrayList<>();
            List<String> text = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                double t = lo + (hi - lo) * i / 4;
                ticks.add(t);
                text.add(Ticks.format(Math.pow(10, t)));
            }
            d.put("label", c.parameter() + " (log)");
            d.put("values", log);
            d.put("tickvals", ticks);
            d.put("ticktext", text);
            d.put("range", List.of(lo, hi));
        } else {
            d.put("values", v);
        }
        return d;
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(i);
        return out;
    }

    private static double value(RunInfo r, String key) {
        return r.summary().get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String json(Object o) {
        try {
            return new ObjectMapper().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the sweep page's data as JSON", e);
        }
    }
}
