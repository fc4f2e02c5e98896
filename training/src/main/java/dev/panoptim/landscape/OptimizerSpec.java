package dev.panoptim.landscape;

import dev.panoptim.optim.Adam;
import dev.panoptim.optim.AdamW;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.optim.OptimizerBuilder;
import dev.panoptim.optim.RMSprop;
import dev.panoptim.optim.SGD;
import dev.panoptim.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * An optimizer and its options as the CLI takes them: {@code sgd}, {@code rmsprop}, {@code adam} or
 * {@code adamw}, optionally followed by torch's option names and values:
 * {@code sgd:lr=0.03,momentum=0.99}, {@code adam:lr=0.2,betas=(0.99,0.99),weight_decay=0.005},
 * {@code rmsprop:lr=0.02,centered=true}. Values are numbers, {@code true}/{@code false}, or a pair
 * {@code (b1,b2)} for betas. The options are validated by the optimizer's own builder when the spec
 * is parsed, so a bad key or value is an {@link IllegalArgumentException} that names it and lists
 * the valid keys.
 *
 * <pre>{@code
 * OptimizerSpec spec = OptimizerSpec.parse("sgd:lr=0.03,momentum=0.99");
 * Trajectory t = Landscapes.optimize(surface, start, spec.factory(), 100).withLabel(spec.label());
 * }</pre>
 */
public final class OptimizerSpec {
    /** The optimizer names the spec accepts. */
    public static final List<String> NAMES = List.of("sgd", "rmsprop", "adam", "adamw");

    /** The course's comparison, what the CLI runs when no optimizer is given. */
    public static final List<String> DEFAULT_COMPARISON = List.of(
            "sgd:lr=0.03,momentum=0.99",
            "rmsprop:lr=0.02,alpha=0.99,momentum=0.8",
            "adam:lr=0.2,betas=(0.99,0.99),weight_decay=0.005",
            "adamw:lr=0.2,betas=(0.99,0.99),weight_decay=0.005");

    private final String name;
    private final Map<String, Object> options;

    private OptimizerSpec(String name, Map<String, Object> options) {
        this.name = name;
        this.options = options;
    }

    /** Parses a spec; {@code defaults} (torch keys, e.g. from CLI flags) apply unless the spec sets the key. */
    public static OptimizerSpec parse(String text, Map<String, Object> defaults) {
        Spec spec = Spec.parse(text, "optimizer");
        if (!NAMES.contains(spec.name())) {
            throw new IllegalArgumentException("unknown optimizer '" + spec.name() + "' (valid: " + String.join(", ", NAMES)
                    + "; e.g. sgd:lr=0.03,momentum=0.99)");
        }
        Map<String, Object> options = new LinkedHashMap<>();
        spec.options().forEach((k, v) -> options.put(k, value(k, v, text)));
        OptimizerSpec parsed = new OptimizerSpec(spec.name(), options);
        // Validate now (with a throwaway tensor), so errors surface before anything runs.
        try (Tensor probe = Tensor.zeros(2)) {
            OptimizerBuilder<?> b = parsed.builder(List.of(probe));
            defaults.forEach((k, v) -> {
                if (options.containsKey(k)) return;
                try {
                    b.option(k, v);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--" + k.replace('_', '-') + " does not apply to " + spec.name() + ": "
                            + e.getMessage());
                }
                options.put(k, v);
            });
            try {
                options.forEach(b::option);
                b.build().close();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("optimizer '" + text + "': " + e.getMessage());
            }
        }
        return parsed;
    }

    /** Parses a spec with no defaults. */
    public static OptimizerSpec parse(String text) {
        return parse(text, Map.of());
    }

    /** The course's default comparison, parsed. */
    public static List<OptimizerSpec> defaultComparison() {
        List<OptimizerSpec> specs = new ArrayList<>();
        for (String s : DEFAULT_COMPARISON) specs.add(parse(s));
        return specs;
    }

    private static Object value(String key, String v, String text) {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) return Boolean.parseBoolean(v.toLowerCase(Locale.ROOT));
        if (v.startsWith("(") && v.endsWith(")")) {
            String[] parts = v.substring(1, v.length() - 1).split(",", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("option " + key + " in '" + text + "': '" + v + "' is not a pair (a,b)");
            }
            return new double[] {Spec.number(key, parts[0].strip(), text), Spec.number(key, parts[1].strip(), text)};
        }
        return Spec.number(key, v, text);
    }

    private OptimizerBuilder<?> builder(List<Tensor> params) {
        return switch (name) {
            case "sgd" -> SGD.builder(params);
            case "rmsprop" -> RMSprop.builder(params);
            case "adam" -> Adam.builder(params);
            case "adamw" -> AdamW.builder(params);
            default -> throw new IllegalStateException(name);
        };
    }

    /** Builds this optimizer over the given params (what {@link Landscapes#optimize} takes). */
    public Function<List<Tensor>, Optimizer> factory() {
        return params -> {
            OptimizerBuilder<?> b = builder(params);
            options.forEach(b::option);
            return b.build();
        };
    }

    /** The name, lower-case: sgd, rmsprop, adam or adamw. */
    public String name() {
        return name;
    }

    /** A label for plots and the CSV: torch's class name and the options given, e.g. {@code SGD(lr=0.03, momentum=0.99)}. */
    public String label() {
        StringBuilder s = new StringBuilder(switch (name) {
            case "sgd" -> "SGD";
            case "rmsprop" -> "RMSprop";
            case "adam" -> "Adam";
            default -> "AdamW";
        }).append('(');
        boolean first = true;
        for (Map.Entry<String, Object> e : options.entrySet()) {
            if (!first) s.append(", ");
            first = false;
            s.append(e.getKey()).append('=').append(show(e.getValue()));
        }
        return s.append(')').toString();
    }

    private static String show(Object v) {
        if (v instanceof double[] a) return "(" + BuiltInSurfaces.num(a[0]) + ", " + BuiltInSurfaces.num(a[1]) + ")";
        if (v instanceof Double d) return BuiltInSurfaces.num(d);
        return String.valueOf(v);
    }

    @Override
    public String toString() {
        return label();
    }
}
