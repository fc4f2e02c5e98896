package dev.panoptim.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Parses and checks one parameter of a sweep config (see {@link Distribution} for the parameterizations),
 * adding each problem to the list by its path.
 *
 * <pre>{@code Parameter p = Parameters.parse(node, "parameters.lr", Method.RANDOM, problems);}</pre>
 */
final class Parameters {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Parameters() {}

    static Parameter parse(JsonNode n, String path, SweepConfig.Method method, List<String> problems) {
        if (!n.isObject()) {
            problems.add(path + ": must be a mapping (value, values, min/max, distribution or parameters), not " + n);
            return null;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!SweepConfig.PARAMETER_KEYS.contains(k)) {
                problems.add(path + "." + k + ": unknown key (valid: " + String.join(", ", SweepConfig.PARAMETER_KEYS.stream().sorted().toList()) + ")");
            }
        }
        if (n.has("parameters")) {
            if (n.size() > 1) problems.add(path + ": nested parameters cannot be mixed with other keys");
            return new Parameter.Nested(SweepConfig.nested(n.get("parameters"), path + ".parameters", method, problems));
        }
        Distribution d = null;
        JsonNode dn = n.get("distribution");
        if (dn != null) {
            d = Distribution.parse(dn.asText()).orElse(null);
            if (d == null) {
                problems.add(path + ".distribution: unknown value '" + dn.asText() + "' (valid: " + Distribution.names() + ")");
                return null;
            }
        } else if (n.has("value")) d = Distribution.CONSTANT;
        else if (n.has("values")) d = Distribution.CATEGORICAL;
        else if (n.has("min") || n.has("max")) d = isInt(n.get("min")) && isInt(n.get("max")) ? Distribution.INT_UNIFORM : Distribution.UNIFORM;
        else if (n.has("mu") || n.has("sigma")) d = Distribution.NORMAL;
        else if (n.has("a") || n.has("b")) d = Distribution.BETA;
        else {
            problems.add(path + ": missing keys: needs value, values, min and max, or a distribution");
            return null;
        }
        int before = problems.size();
        Parameter p = switch (d) {
            case CONSTANT -> constant(n, path, problems);
            case CATEGORICAL -> categorical(n, path, problems);
            default -> numeric(n, d, path, problems);
        };
        if (method == SweepConfig.Method.GRID && problems.size() == before && !Grid.discrete(p)) {
            problems.add(path + ": grid search needs discrete values (value, values, int_uniform or q_uniform), not the continuous "
                    + d.id() + " distribution");
        }
        return problems.size() == before ? p : null;
    }

    private static Parameter constant(JsonNode n, String path, List<String> problems) {
        if (!n.has("value")) {
            problems.add(path + ".value: missing (distribution constant needs value)");
            return null;
        }
        extra(n, path, Set.of("value", "distribution"), "constant", problems);
        return new Parameter.Constant(plain(n.get("value")));
    }

    private static Parameter categorical(JsonNode n, String path, List<String> problems) {
        JsonNode vs = n.get("values");
        if (vs == null) {
            problems.add(path + ".values: missing (distribution categorical needs values)");
            return null;
        }
        if (!vs.isArray() || vs.isEmpty()) {
            problems.add(path + ".values: must be a non-empty list, not " + vs);
            return null;
        }
        extra(n, path, Set.of("values", "probabilities", "distribution"), "categorical", problems);
        List<Object> values = new ArrayList<>();
        for (JsonNode v : vs) values.add(plain(v));
        List<Double> probs = null;
        JsonNode pn = n.get("probabilities");
        if (pn != null) {
            if (!pn.isArray() || pn.size() != vs.size()) {
                problems.add(path + ".probabilities: must be a list of " + vs.size() + " numbers, one per value, not " + pn);
                return null;
            }
            probs = new ArrayList<>();
            double sum = 0;
            for (int i = 0; i < pn.size(); i++) {
                JsonNode p = pn.get(i);
                if (!p.isNumber() || p.asDouble() < 0) {
                    problems.add(path + ".probabilities[" + i + "]: must be a number >= 0, not " + p);
                    return null;
                }
                probs.add(p.asDouble());
                sum += p.asDouble();
            }
            if (Math.abs(sum - 1) > 1e-6) {
                problems.add(path + ".probabilities: must sum to 1, not " + sum);
                return null;
            }
        }
        return new Parameter.Categorical(values, probs);
    }

    private static Parameter numeric(JsonNode n, Distribution d, String path, List<String> problems) {
        int before = problems.size();
        double min = Double.NaN, max = Double.NaN, mu = Double.NaN, sigma = Double.NaN, a = Double.NaN, b = Double.NaN, q = Double.NaN;
        Set<String> allowed = new java.util.HashSet<>(Set.of("distribution"));
        if (d.bounded()) {
            allowed.addAll(Set.of("min", "max"));
            min = number(n, "min", path, d, true, Double.NaN, problems);
            max = number(n, "max", path, d, true, Double.NaN, problems);
            if (!Double.isNaN(min) && !Double.isNaN(max) && min > max) {
                problems.add(path + ": min " + n.get("min") + " is greater than max " + n.get("max"));
            }
            if (d == Distribution.INT_UNIFORM) {
                for (String k : List.of("min", "max")) {
                    if (n.has(k) && !isInt(n.get(k))) problems.add(path + "." + k + ": int_uniform needs an integer, not " + n.get(k));
                }
            }
            if (d.positiveBounds()) {
                for (String k : List.of("min", "max")) {
                    if (n.has(k) && n.get(k).isNumber() && n.get(k).asDouble() <= 0) {
                        problems.add(path + "." + k + ": " + d.id() + " needs a value > 0, not " + n.get(k));
                    }
                }
            }
        } else if (d.gaussian()) {
            allowed.addAll(Set.of("mu", "sigma"));
            mu = number(n, "mu", path, d, false, 0, problems);
            sigma = number(n, "sigma", path, d, false, 1, problems);
            if (sigma <= 0) problems.add(path + ".sigma: must be > 0, not " + n.get("sigma"));
        } else if (d.betaFamily()) {
            allowed.addAll(Set.of("a", "b"));
            a = number(n, "a", path, d, false, 1, problems);
            b = number(n, "b", path, d, false, 1, problems);
            if (a <= 0) problems.add(path + ".a: must be > 0, not " + n.get("a"));
            if (b <= 0) problems.add(path + ".b: must be > 0, not " + n.get("b"));
        }
        if (d.quantized()) {
            allowed.add("q");
            q = number(n, "q", path, d, false, 1, problems);
            if (q <= 0) problems.add(path + ".q: must be > 0, not " + n.get("q"));
        }
        extra(n, path, allowed, d.id(), problems);
        boolean integer = d == Distribution.INT_UNIFORM
                || (d.quantized() && (!n.has("q") || isInt(n.get("q"))) && (!d.bounded() || d == Distribution.Q_UNIFORM
                || d == Distribution.Q_LOG_UNIFORM_VALUES) && (!d.bounded() || (isInt(n.get("min")) && isInt(n.get("max")))));
        return problems.size() == before ? new Parameter.Numeric(d, min, max, q, mu, sigma, a, b, integer) : null;
    }

    private static double number(JsonNode n, String key, String path, Distribution d, boolean required, double dflt, List<String> problems) {
        JsonNode v = n.get(key);
        if (v == null) {
            if (required) problems.add(path + "." + key + ": missing (distribution " + d.id() + " needs min and max)");
            return dflt;
        }
        if (v.isNumber()) return v.asDouble();
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText());   // YAML 1.1 reads 1e-4 (no dot) as a string
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        problems.add(path + "." + key + ": must be a number, not " + v);
        return Double.NaN;
    }

    private static void extra(JsonNode n, String path, Set<String> allowed, String what, List<String> problems) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (SweepConfig.PARAMETER_KEYS.contains(k) && !allowed.contains(k)) {
                problems.add(path + "." + k + ": not a key of distribution " + what + " (it takes "
                        + String.join(", ", allowed.stream().filter(x -> !x.equals("distribution")).sorted().toList()) + ")");
            }
        }
    }

    /** W&amp;B's inference: an integer literal (a numeric string such as YAML's 1e-4 is a float). */
    static boolean isInt(JsonNode v) {
        return v != null && v.isIntegralNumber();
    }

    static Object plain(JsonNode v) {
        return MAPPER.convertValue(v, Object.class);
    }
}
