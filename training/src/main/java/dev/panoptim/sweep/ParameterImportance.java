package dev.panoptim.sweep;

import dev.panoptim.track.RunInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which swept parameters matter for the metric, as W&amp;B's parameter-importance panel shows it: a
 * {@link RandomForest} (100 trees, all features per split, seeded so the answer is stable) fitted from the
 * parameters to the metric, each parameter's mean-decrease-in-impurity importance, and its Pearson
 * correlation with the metric. Nested parameters are flattened ({@code opt.beta}); booleans are 0/1;
 * parameters with a value that is not a number (strings, lists, a missing value) are categorical and
 * one-hot encoded, as W&amp;B does, their columns' importances summed (as Optuna's MDI evaluator does),
 * and instead of one correlation they get one per value (its indicator against the metric). Constants
 * are left out; runs without a finite numeric metric in their summary too.
 *
 * <pre>{@code ParameterImportance.Result r = ParameterImportance.of(Sweeps.config(sweep), store.sweepRuns(sweep.id()));}</pre>
 */
public final class ParameterImportance {
    /** Fewer usable runs than this give no importance (a forest of two points says nothing). */
    public static final int MIN_RUNS = 3;
    /** The forest's seed: the same runs always give the same importances. */
    public static final long SEED = 0;

    /** One run as importance sees it: its config and its metric value. */
    public record Sample(Map<String, ?> config, double metric) {}

    /**
     * A parameter's values over the samples: numbers (booleans 0/1), or for a categorical parameter the index
     * of each sample's value in {@code levels} (the config's order of values, then the order seen).
     */
    public record Column(String parameter, List<String> levels, double[] values) {
        public boolean categorical() {
            return levels != null;
        }
    }

    /**
     * One parameter's result. {@code correlation} is NaN when the parameter or the metric is constant, and for
     * categorical parameters, whose {@code levels} map each value to its indicator's correlation (empty otherwise).
     */
    public record Importance(String parameter, double importance, double correlation, Map<String, Double> levels) {
        /** As JSON would hold it: parameter, importance, correlation (null for NaN), and levels when categorical. */
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("parameter", parameter);
            m.put("importance", importance);
            m.put("correlation", finiteOrNull(correlation));
            if (!levels.isEmpty()) {
                Map<String, Object> l = new LinkedHashMap<>();
                levels.forEach((k, v) -> l.put(k, finiteOrNull(v)));
                m.put("levels", l);
            }
            return m;
        }

        private static Double finiteOrNull(double v) {
            return Double.isFinite(v) ? v : null;
        }
    }

    /** The parameters by importance, highest first; empty with a {@code reason} when it could not be computed. */
    public record Result(String metric, int runs, List<Importance> parameters, String reason) {}

    private ParameterImportance() {}

    /** Importance for a stored sweep's runs, in any order (they are taken oldest first, so the answer does not depend on it). */
    public static Result of(SweepConfig config, List<RunInfo> runs) {
        if (config.metric() == null) return new Result(null, 0, List.of(), "the sweep's config names no metric");
        List<RunInfo> ordered = runs.stream().sorted(Comparator.comparingLong(RunInfo::createdAt).thenComparing(RunInfo::id)).toList();
        return compute(swept(config.parameters()), config.metric().name(), samples(ordered, config.metric().name()));
    }

    /** The runs with a finite numeric {@code metric} in their summary, in order. */
    public static List<Sample> samples(List<RunInfo> runs, String metric) {
        List<Sample> out = new ArrayList<>();
        for (RunInfo r : runs) {
            if (r.summary().get(metric) instanceof Number n && Double.isFinite(n.doubleValue())) out.add(new Sample(r.config(), n.doubleValue()));
        }
        return out;
    }

    /** The parameters that vary, flattened in declaration order ({@code opt.beta} for nested ones); constants are left out. */
    public static Map<String, Parameter> swept(Map<String, Parameter> parameters) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        flatten("", parameters, out);
        return out;
    }

    private static void flatten(String prefix, Map<String, Parameter> parameters, Map<String, Parameter> out) {
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            switch (e.getValue()) {
                case Parameter.Constant c -> { }
                case Parameter.Nested n -> flatten(prefix + e.getKey() + ".", n.parameters(), out);
                default -> out.put(prefix + e.getKey(), e.getValue());
            }
        }
    }

    /**
     * Importance of the flattened {@code parameters} (as {@link #swept} gives them) for {@code metric} over
     * {@code samples}. Fewer than {@link #MIN_RUNS} samples, or no parameters, give an empty result with the reason.
     */
    public static Result compute(Map<String, Parameter> parameters, String metric, List<Sample> samples) {
        if (parameters.isEmpty()) return new Result(metric, samples.size(), List.of(), "the sweep has no swept parameters (only constants)");
        if (samples.size() < MIN_RUNS) {
            return new Result(metric, samples.size(), List.of(), (samples.size() == 1 ? "only 1 run has" : "only " + samples.size() + " runs have")
                    + " a numeric " + metric + "; importance needs at least " + MIN_RUNS);
        }
        int n = samples.size();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) y[i] = samples.get(i).metric();
        List<Column> columns = new ArrayList<>();
        parameters.forEach((name, p) -> columns.add(column(name, p, samples)));
        // One feature per numeric parameter, one per value of a categorical one (one-hot).
        List<double[]> features = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            Column col = columns.get(c);
            if (!col.categorical()) {
                features.add(col.values());
                owners.add(c);
            } else {
                for (int level = 0; level < col.levels().size(); level++) {
                    features.add(indicator(col.values(), level));
                    owners.add(c);
                }
            }
        }
        int[] owner = owners.stream().mapToInt(Integer::intValue).toArray();
        double[][] x = new double[n][features.size()];
        for (int f = 0; f < features.size(); f++) for (int i = 0; i < n; i++) x[i][f] = features.get(f)[i];
        double[] featureImportance = RandomForest.fit(x, y, RandomForest.Options.defaults(SEED)).featureImportances();
        double[] importance = new double[columns.size()];
        for (int f = 0; f < owner.length; f++) importance[owner[f]] += featureImportance[f];

        List<Importance> out = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            Column col = columns.get(c);
            Map<String, Double> levels = new LinkedHashMap<>();
            if (col.categorical()) {
                for (int level = 0; level < col.levels().size(); level++) levels.put(col.levels().get(level), pearson(indicator(col.values(), level), y));
            }
            out.add(new Importance(col.parameter(), importance[c], col.categorical() ? Double.NaN : pearson(col.values(), y), levels));
        }
        out.sort(Comparator.comparingDouble(Importance::importance).reversed());   // stable: ties keep the config's order
        return new Result(metric, n, List.copyOf(out), null);
    }

    /**
     * The column of {@code name} (declared as {@code parameter}) over {@code samples}: numeric when every value is a
     * number, or every one a boolean; categorical otherwise.
     */
    public static Column column(String name, Parameter parameter, List<Sample> samples) {
        List<Object> declared = parameter instanceof Parameter.Categorical c ? c.values() : List.of();
        int n = samples.size();
        List<Object> values = new ArrayList<>(n);
        for (Sample s : samples) values.add(valueAt(s.config(), name));
        double[] out = new double[n];
        boolean numbers = values.stream().allMatch(v -> v instanceof Number x && Double.isFinite(x.doubleValue()));
        if (numbers || values.stream().allMatch(v -> v instanceof Boolean)) {
            for (int i = 0; i < n; i++) out[i] = values.get(i) instanceof Boolean b ? (b ? 1 : 0) : ((Number) values.get(i)).doubleValue();
            return new Column(name, null, out);
        }
        // Declared values in the config's order, then any others as seen; a declared value no run has is left
        // out (it would be an all-zero column and an empty axis tick).
        List<String> labels = values.stream().map(ParameterImportance::label).toList();
        List<String> levels = new ArrayList<>();
        for (Object d : declared) if (labels.contains(label(d)) && !levels.contains(label(d))) levels.add(label(d));
        for (String l : labels) if (!levels.contains(l)) levels.add(l);
        for (int i = 0; i < n; i++) out[i] = levels.indexOf(labels.get(i));
        return new Column(name, List.copyOf(levels), out);
    }

    /** The value at a dotted path in a nested config ({@code opt.beta}), or null when missing. */
    static Object valueAt(Map<String, ?> config, String path) {
        Object direct = config.get(path);
        if (direct != null || config.containsKey(path)) return direct;
        int dot = path.indexOf('.');
        while (dot > 0) {
            if (config.get(path.substring(0, dot)) instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Object v = valueAt((Map<String, ?>) nested, path.substring(dot + 1));
                if (v != null) return v;
            }
            dot = path.indexOf('.', dot + 1);
        }
        return null;
    }

    private static String label(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString(d.longValue());
        return Objects.toString(v);
    }

    private static double[] indicator(double[] codes, int level) {
        double[] out = new double[codes.length];
        for (int i = 0; i < codes.length; i++) out[i] = codes[i] == level ? 1 : 0;
        return out;
    }

    /** Pearson's r; NaN when either side is constant. */
    public static double pearson(double[] a, double[] b) {
        int n = a.length;
        if (n < 2 || constant(a) || constant(b)) return Double.NaN;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i] / n;
            mb += b[i] / n;
        }
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
    }

    private static boolean constant(double[] v) {
        for (double x : v) if (x != v[0]) return false;
        return true;
    }
}
