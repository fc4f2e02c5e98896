package dev.panoptim.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options an optimizer accepts in its param groups: torch's key names, each with a kind,
 * a default (none for SGD's lr) and a range. All validation of option values happens here, so a
 * message always names the key, the bad value and what is allowed.
 */
final class OptionSchema {
    enum Kind { NUMBER, BOOLEAN, BETAS }

    private record Spec(Kind kind, Object defaultValue, double min, double max, boolean maxExclusive) {}

    private final String optimizer;
    private final Map<String, Spec> specs = new LinkedHashMap<>();

    OptionSchema(String optimizer) {
        this.optimizer = optimizer;
    }

    /** A number option in [min, +inf); defaultValue null means required. */
    OptionSchema number(String key, Double defaultValue, double min) {
        specs.put(key, new Spec(Kind.NUMBER, defaultValue, min, Double.POSITIVE_INFINITY, false));
        return this;
    }

    OptionSchema bool(String key, boolean defaultValue) {
        specs.put(key, new Spec(Kind.BOOLEAN, defaultValue, 0, 0, false));
        return this;
    }

    /** Two numbers each in [0, 1). */
    OptionSchema betas(String key, double b1, double b2) {
        specs.put(key, new Spec(Kind.BETAS, new double[] {b1, b2}, 0, 1, true));
        return this;
    }

    Set<String> keys() {
        return specs.keySet();
    }

    /** Defaults of every option that has one, as fresh values. */
    Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        specs.forEach((k, s) -> {
            if (s.defaultValue != null) d.put(k, copy(s.defaultValue));
        });
        return d;
    }

    /** Validates and normalizes a value: numbers become Double, betas a fresh double[2]. */
    Object normalize(String key, Object value) {
        Spec spec = specs.get(key);
        if (spec == null) {
            throw new IllegalArgumentException(optimizer + ": unknown option '" + key + "' (valid: "
                    + String.join(", ", specs.keySet()) + ")");
        }
        if (value == null) throw new IllegalArgumentException(optimizer + ": option '" + key + "' must not be null");
        return switch (spec.kind) {
            case NUMBER -> {
                if (!(value instanceof Number n)) throw wrongType(key, "a number", value);
                double d = n.doubleValue();
                if (!(d >= spec.min) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException(optimizer + ": invalid " + key + " value " + d
                            + " (must be a finite number >= " + spec.min + ")");
                }
                yield d;
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean b)) throw wrongType(key, "a boolean", value);
                yield b;
            }
            case BETAS -> {
                double[] b = toPair(key, value);
                for (int i = 0; i < 2; i++) {
                    if (!(b[i] >= 0.0 && b[i] < 1.0)) {
                        throw new IllegalArgumentException(optimizer + ": invalid beta parameter at index " + i + ": "
                                + b[i] + " (betas must be in [0, 1))");
                    }
                }
                yield b;
            }
        };
    }

    /** Checks that every option without a default was given. */
    void requirePresent(Map<String, Object> options, String where) {
        specs.forEach((k, s) -> {
            if (s.defaultValue == null && !options.containsKey(k)) {
                throw new IllegalArgumentException(optimizer + ": option '" + k + "' is required (it has no default) but "
                        + where + " does not set it");
            }
        });
    }

    private double[] toPair(String key, Object value) {
        if (value instanceof double[] a && a.length == 2) return a.clone();
        if (value instanceof float[] a && a.length == 2) return new double[] {a[0], a[1]};
        if (value instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number x && l.get(1) instanceof Number y) {
            return new double[] {x.doubleValue(), y.doubleValue()};
        }
        throw wrongType(key, "a double[2] of (beta1, beta2)", value);
    }

    private IllegalArgumentException wrongType(String key, String expected, Object value) {
        String shown = value instanceof double[] a ? java.util.Arrays.toString(a) : String.valueOf(value);
        return new IllegalArgumentException(optimizer + ": option '" + key + "' must be " + expected + ", got "
                + value.getClass().getSimpleName() + " " + shown);
    }

    static Object copy(Object v) {
        return v instanceof double[] a ? a.clone() : v;
    }
}
