package dev.panoptim.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A sweep's parameters as the unit hypercube, as W&amp;B's bayes search sees them: one axis per flattened
 * non-constant parameter (nested ones by path), each numeric distribution through its CDF (uniform, int and
 * q ones linear in [min, max]; the log ones linear in log space; normal and log_normal through the normal CDF
 * with mu and sigma; beta through the Beta CDF), a categorical as its index, each value owning a bin as wide
 * as its probability. Mapping back rounds to q, makes ints Longs, keeps bounded values in [min, max] and
 * returns categorical values as the config's own objects; constants are put back as they are.
 *
 * <pre>{@code SearchSpace s = new SearchSpace(config.parameters()); Map<String, Object> v = s.values(new double[s.dimensions()]);}</pre>
 */
final class SearchSpace {
    /** The normal quantile's infinities are kept away from: u lives in [EDGE, 1 - EDGE] for those. */
    private static final double EDGE = 1e-12;

    /** One axis: the parameter at {@code path}. */
    record Axis(List<String> path, Parameter parameter) {
        /** Whether only some points of [0, 1] are values (the rest snap to them). */
        boolean discrete() {
            return parameter instanceof Parameter.Categorical || parameter instanceof Parameter.Numeric n
                    && (n.distribution() == Distribution.INT_UNIFORM || n.distribution().quantized() || n.integer());
        }
    }

    private final Map<String, Parameter> parameters;
    private final List<Axis> axes = new ArrayList<>();
    private final Map<List<String>, Object> constants = new LinkedHashMap<>();

    SearchSpace(Map<String, Parameter> parameters) {
        this.parameters = parameters;
        flatten(parameters, List.of());
    }

    private void flatten(Map<String, Parameter> params, List<String> prefix) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            switch (e.getValue()) {
                case Parameter.Nested n -> flatten(n.parameters(), path);
                case Parameter.Constant c -> constants.put(path, c.value());
                default -> axes.add(new Axis(List.copyOf(path), e.getValue()));
            }
        }
    }

    int dimensions() {
        return axes.size();
    }

    List<Axis> axes() {
        return axes;
    }

    /** The config's parameters. */
    Map<String, Parameter> parameters() {
        return parameters;
    }

    /** The point {@code u} (one coordinate per axis, each in [0, 1]) as a trial's nested values. */
    Map<String, Object> values(double[] u) {
        if (u.length != axes.size()) throw new IllegalArgumentException("a point of " + axes.size() + " coordinates, not " + u.length);
        Map<List<String>, Object> flat = new LinkedHashMap<>(constants);
        for (int i = 0; i < u.length; i++) flat.put(axes.get(i).path(), value(axes.get(i).parameter(), u[i]));
        Map<String, Object> out = new LinkedHashMap<>();
        addInDeclarationOrder(parameters, List.of(), flat, out);
        return out;
    }

    private static void addInDeclarationOrder(Map<String, Parameter> params, List<String> prefix, Map<List<String>, Object> flat,
                                              Map<String, Object> out) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            if (e.getValue() instanceof Parameter.Nested n) addInDeclarationOrder(n.parameters(), path, flat, out);
            else Grid.put(out, path, flat.get(path));
        }
    }

    /**
     * A trial's values (nested, as a run's config holds them) as a point, or null when one of the axes has no
     * value there or one it cannot place (a categorical value not in the list, a number outside a bounded
     * range or not positive where its logarithm is taken).
     */
    double[] point(Map<String, Object> values) {
        double[] u = new double[axes.size()];
        for (int i = 0; i < u.length; i++) {
            Object v = at(values, axes.get(i).path());
            if (v == null) return null;
            u[i] = unit(axes.get(i).parameter(), v);
            if (Double.isNaN(u[i])) return null;
        }
        return u;
    }

    /** {@code u} moved onto the values its axes can take (the bin centre of a categorical, a rounded q or int). */
    double[] snap(double[] u) {
        double[] out = u.clone();
        for (int i = 0; i < out.length; i++) out[i] = snap(i, out[i]);
        return out;
    }

    /** Coordinate {@code u} of axis {@code i} moved onto a value the axis takes. */
    double snap(int i, double u) {
        Axis a = axes.get(i);
        return a.discrete() ? unit(a.parameter(), value(a.parameter(), u)) : u;
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> values, List<String> path) {
        Object v = values;
        for (String k : path) {
            if (!(v instanceof Map<?, ?> m)) return null;
            v = ((Map<String, Object>) m).get(k);
        }
        return v;
    }

    /** The value of one axis at u. */
    static Object value(Parameter p, double u) {
        u = Math.min(Math.max(u, 0), 1);
        return switch (p) {
            case Parameter.Categorical c -> c.values().get(bin(c, u));
            case Parameter.Numeric n -> numeric(n, u);
            default -> throw new IllegalStateException("not an axis: " + p);
        };
    }

    /** The coordinate of one axis's value, NaN when the value cannot be placed. */
    static double unit(Parameter p, Object value) {
        return switch (p) {
            case Parameter.Categorical c -> {
                int i = indexOf(c.values(), value);
                if (i < 0) yield Double.NaN;
                double lo = cumulative(c, i), hi = cumulative(c, i + 1);
                yield 0.5 * (lo + hi);
            }
            case Parameter.Numeric n -> value instanceof Number x ? numericUnit(n, x.doubleValue()) : Double.NaN;
            default -> throw new IllegalStateException("not an axis: " + p);
        };
    }

    private static int bin(Parameter.Categorical c, double u) {
        int k = c.values().size();
        for (int i = 0; i < k - 1; i++) if (u < cumulative(c, i + 1)) return i;
        return k - 1;
    }

    /** The probability of the values before index i (uniform when the config gives none). */
    private static double cumulative(Parameter.Categorical c, int i) {
        if (c.probabilities() == null) return (double) i / c.values().size();
        double acc = 0;
        for (int j = 0; j < i; j++) acc += c.probabilities().get(j);
        return Math.min(acc, 1);
    }

    /** The config's object equal to {@code value}; numbers compare by value (JSON may turn a Long into an Integer). */
    private static int indexOf(List<Object> values, Object value) {
        for (int i = 0; i < values.size(); i++) {
            Object x = values.get(i);
            if (Objects.equals(x, value)) return i;
            if (x instanceof Number a && value instanceof Number b && a.doubleValue() == b.doubleValue()) return i;
        }
        return -1;
    }

    private static Object numeric(Parameter.Numeric n, double u) {
        double min = n.min(), max = n.max();
        double v = switch (n.distribution()) {
            case INT_UNIFORM -> Math.min(Math.floor(min + u * (max - min + 1)), max);
            case UNIFORM, Q_UNIFORM -> linear(min, max, u);
            case LOG_UNIFORM, Q_LOG_UNIFORM -> Math.exp(linear(min, max, u));
            case LOG_UNIFORM_VALUES, Q_LOG_UNIFORM_VALUES -> Math.exp(linear(Math.log(min), Math.log(max), u));
            case INV_LOG_UNIFORM -> Math.exp(-linear(min, max, u));
            case INV_LOG_UNIFORM_VALUES -> 1 / Math.exp(linear(Math.log(1 / max), Math.log(1 / min), u));
            case NORMAL, Q_NORMAL -> n.mu() + n.sigma() * Probability.normalQuantile(inside(u));
            case LOG_NORMAL, Q_LOG_NORMAL -> Math.exp(n.mu() + n.sigma() * Probability.normalQuantile(inside(u)));
            case BETA, Q_BETA -> Probability.betaQuantile(u, n.a(), n.b());
            case CONSTANT, CATEGORICAL -> throw new IllegalStateException("not numeric: " + n.distribution());
        };
        double lo = lower(n), hi = upper(n);
        if (n.distribution().quantized()) v = quantize(v, n.q(), lo, hi);
        else v = Math.min(Math.max(v, lo), hi);   // exp/log round-off must not leave the range
        return n.integer() ? (Object) Math.round(v) : (Object) v;
    }

    /** round_q(v), moved to the nearest multiple of q inside [lo, hi] when rounding left it (and one exists). */
    private static double quantize(double v, double q, double lo, double hi) {
        double r = Math.round(v / q) * q, slack = 1e-9 * q;
        if (r > hi + slack && Math.floor(hi / q) * q >= lo - slack) r = Math.floor(hi / q) * q;
        if (r < lo - slack && Math.ceil(lo / q) * q <= hi + slack) r = Math.ceil(lo / q) * q;
        return r;
    }

    private static double numericUnit(Parameter.Numeric n, double v) {
        double min = n.min(), max = n.max();
        double slack = 1e-9 * Math.max(1, Math.abs(upper(n) - lower(n)));
        if (n.distribution().bounded() && (v < lower(n) - slack - (n.distribution().quantized() ? n.q() : 0)
                || v > upper(n) + slack + (n.distribution().quantized() ? n.q() : 0))) return Double.NaN;
        double u = switch (n.distribution()) {
            case INT_UNIFORM -> (Math.round(v) - min + 0.5) / (max - min + 1);
            case UNIFORM, Q_UNIFORM -> fraction(min, max, v);
            case LOG_UNIFORM, Q_LOG_UNIFORM -> v > 0 ? fraction(min, max, Math.log(v)) : Double.NaN;
            case LOG_UNIFORM_VALUES, Q_LOG_UNIFORM_VALUES -> v > 0 ? fraction(Math.log(min), Math.log(max), Math.log(v)) : Double.NaN;
            case INV_LOG_UNIFORM -> v > 0 ? fraction(min, max, -Math.log(v)) : Double.NaN;
            case INV_LOG_UNIFORM_VALUES -> v > 0 ? fraction(Math.log(1 / max), Math.log(1 / min), Math.log(1 / v)) : Double.NaN;
            case NORMAL, Q_NORMAL -> Probability.normalCdf((v - n.mu()) / n.sigma());
            case LOG_NORMAL, Q_LOG_NORMAL -> v > 0 ? Probability.normalCdf((Math.log(v) - n.mu()) / n.sigma()) : Double.NaN;
            case BETA, Q_BETA -> Probability.betaCdf(v, n.a(), n.b());
            case CONSTANT, CATEGORICAL -> throw new IllegalStateException("not numeric: " + n.distribution());
        };
        return Double.isNaN(u) ? u : Math.min(Math.max(u, 0), 1);
    }

    private static double inside(double u) {
        return Math.min(Math.max(u, EDGE), 1 - EDGE);
    }

    private static double linear(double min, double max, double u) {
        return min + u * (max - min);
    }

    private static double fraction(double min, double max, double x) {
        return max == min ? 0.5 : (x - min) / (max - min);
    }

    /** The least value a numeric parameter takes (-infinity for the unbounded ones). */
    static double lower(Parameter.Numeric n) {
        return switch (n.distribution()) {
            case INT_UNIFORM, UNIFORM, Q_UNIFORM, LOG_UNIFORM_VALUES, Q_LOG_UNIFORM_VALUES, INV_LOG_UNIFORM_VALUES -> n.min();
            case LOG_UNIFORM, Q_LOG_UNIFORM -> Math.exp(n.min());
            case INV_LOG_UNIFORM -> Math.exp(-n.max());
            case LOG_NORMAL, Q_LOG_NORMAL, BETA, Q_BETA -> 0;
            default -> Double.NEGATIVE_INFINITY;
        };
    }

    /** The greatest value a numeric parameter takes (+infinity for the unbounded ones). */
    static double upper(Parameter.Numeric n) {
        return switch (n.distribution()) {
            case INT_UNIFORM, UNIFORM, Q_UNIFORM, LOG_UNIFORM_VALUES, Q_LOG_UNIFORM_VALUES, INV_LOG_UNIFORM_VALUES -> n.max();
            case LOG_UNIFORM, Q_LOG_UNIFORM -> Math.exp(n.max());
            case INV_LOG_UNIFORM -> Math.exp(-n.min());
            case BETA, Q_BETA -> 1;
            default -> Double.POSITIVE_INFINITY;
        };
    }
}
