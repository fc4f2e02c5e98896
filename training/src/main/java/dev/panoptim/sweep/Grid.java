package dev.panoptim.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grid search: every combination of the (flattened) parameters' values, each once. Trial {@code i} is the
 * i-th combination in mixed-radix order, the last parameter varying fastest, so any agent computes it
 * from the index alone. Discrete parameters are constants, categoricals, int_uniform (min..max) and
 * q_uniform (min, min + q, .. up to max).
 *
 * <pre>{@code Map<String, Object> first = Grid.trial(config.parameters(), 0);}</pre>
 */
final class Grid {
    private Grid() {}

    static boolean discrete(Parameter p) {
        return switch (p) {
            case Parameter.Constant c -> true;
            case Parameter.Categorical c -> true;
            case Parameter.Nested n -> n.parameters().values().stream().allMatch(Grid::discrete);
            case Parameter.Numeric n -> n.distribution() == Distribution.INT_UNIFORM || n.distribution() == Distribution.Q_UNIFORM;
        };
    }

    /** The number of combinations (saturating at Long.MAX_VALUE). */
    static long size(Map<String, Parameter> params) {
        long n = 1;
        try {
            for (List<Object> axis : axes(params).values()) n = Math.multiplyExact(n, (long) axis.size());
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
        return n;
    }

    /** Combination {@code index} as a nested map, or null past the last. */
    static Map<String, Object> trial(Map<String, Parameter> params, long index) {
        Map<List<String>, List<Object>> axes = axes(params);
        if (index >= size(params)) return null;
        List<Map.Entry<List<String>, List<Object>>> list = new ArrayList<>(axes.entrySet());
        Object[] chosen = new Object[list.size()];
        long rest = index;
        for (int i = list.size() - 1; i >= 0; i--) {
            List<Object> axis = list.get(i).getValue();
            chosen[i] = axis.get((int) (rest % axis.size()));
            rest /= axis.size();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) put(out, list.get(i).getKey(), chosen[i]);
        return out;
    }

    /** Each flattened parameter's path and its values, in declaration order. */
    static Map<List<String>, List<Object>> axes(Map<String, Parameter> params) {
        Map<List<String>, List<Object>> out = new LinkedHashMap<>();
        flatten(params, List.of(), out);
        return out;
    }

    private static void flatten(Map<String, Parameter> params, List<String> prefix, Map<List<String>, List<Object>> out) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            switch (e.getValue()) {
                case Parameter.Nested n -> flatten(n.parameters(), path, out);
                case Parameter.Constant c -> out.put(path, java.util.Collections.singletonList(c.value()));
                case Parameter.Categorical c -> out.put(path, c.values());
                case Parameter.Numeric n -> out.put(path, values(n));
            }
        }
    }

    private static List<Object> values(Parameter.Numeric n) {
        List<Object> out = new ArrayList<>();
        if (n.distribution() == Distribution.INT_UNIFORM) {
            for (long v = (long) n.min(); v <= (long) n.max(); v++) out.add(v);
        } else if (n.distribution() == Distribution.Q_UNIFORM) {
            for (long k = 0; n.min() + k * n.q() <= n.max() + 1e-9 * Math.abs(n.q()); k++) {
                double v = n.min() + k * n.q();
                out.add(n.integer() ? (Object) Math.round(v) : (Object) v);
            }
        } else {
            throw new IllegalArgumentException("grid search needs discrete values, not " + n.distribution().id());
        }
        return out;
    }

    /** Puts {@code value} at {@code path} in a nested map. */
    @SuppressWarnings("unchecked")
    static void put(Map<String, Object> root, List<String> path, Object value) {
        Map<String, Object> m = root;
        for (int i = 0; i < path.size() - 1; i++) m = (Map<String, Object>) m.computeIfAbsent(path.get(i), k -> new LinkedHashMap<>());
        m.put(path.getLast(), value);
    }
}
