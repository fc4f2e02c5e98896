package dev.panoptim.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configs and summaries as flat key/value rows for tables: nested objects become dotted keys
 * ({@code optimizer.lr}); values print as text, numbers in their shortest form.
 *
 * <pre>{@code Flat.of(run.config()).forEach((k, v) -> System.out.println(k + " = " + Flat.text(v)));}</pre>
 */
public final class Flat {
    private Flat() {}

    /** {@code map} with nested maps flattened into dotted keys, in order. */
    public static Map<String, Object> of(Map<String, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", map, out);
        return out;
    }

    private static void flatten(String prefix, Map<String, ?> map, Map<String, Object> out) {
        for (Map.Entry<String, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested && !nested.isEmpty()) {
                @SuppressWarnings("unchecked")
                Map<String, ?> m = (Map<String, ?>) nested;
                flatten(key + ".", m, out);
            } else {
                out.put(key, e.getValue());
            }
        }
    }

    /** A value as text: numbers in their shortest form (integers without ".0"), lists as [a, b], null as "null". */
    public static String text(Object v) {
        if (v == null) return "null";
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d)) return "NaN";
            if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
            return Double.toString(d);
        }
        if (v instanceof List<?> list) {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) s.append(i == 0 ? "" : ", ").append(text(list.get(i)));
            return s.append(']').toString();
        }
        return v.toString();
    }
}
