package dev.panoptim.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A sweep config in W&amp;B's schema (YAML or JSON), validated: {@code program}, {@code command},
 * {@code method} (grid, random, bayes, and panoptim's tpe), {@code metric} (name, goal, target), {@code parameters},
 * {@code early_terminate} (hyperband), {@code run_cap}, {@code name}, {@code description}, {@code project}.
 * Every problem is collected and thrown at once as a {@link SweepConfigException}, each named by its path.
 * As in W&amp;B, a parameter with {@code min}/{@code max} and no distribution is int_uniform when both are
 * integer literals and uniform otherwise; {@code values} is categorical, {@code value} constant.
 *
 * <pre>{@code SweepConfig c = SweepConfig.read(Path.of("examples/sweeps/course.yaml"));}</pre>
 */
public record SweepConfig(String program, List<String> command, Method method, Metric metric, Map<String, Parameter> parameters,
                          EarlyTerminate earlyTerminate, Integer runCap, String name, String description, String project,
                          String json) {

    /** The search method. */
    public enum Method {
        GRID, RANDOM, BAYES, TPE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code metric}: what to optimize; {@code target} null when none. */
    public record Metric(String name, boolean maximize, Double target) {
        /** Whether {@code a} is better than {@code b} under this goal (NaN is never better). */
        public boolean better(double a, double b) {
            if (Double.isNaN(a)) return false;
            if (Double.isNaN(b)) return true;
            return maximize ? a > b : a < b;
        }
    }

    /** {@code early_terminate} (type hyperband); unset numbers are null. */
    public record EarlyTerminate(String type, Integer minIter, Integer maxIter, Integer s, Integer eta, boolean strict) {}

    static final Set<String> TOP_KEYS = Set.of("program", "command", "method", "metric", "parameters", "early_terminate",
            "run_cap", "name", "description", "project", "entity");
    static final Set<String> PARAMETER_KEYS = Set.of("value", "values", "probabilities", "min", "max", "distribution", "q",
            "mu", "sigma", "a", "b", "parameters");
    static final Set<String> MACROS = Set.of("${env}", "${interpreter}", "${program}", "${args}", "${args_no_hyphens}",
            "${args_json}", "${project}", "${entity}");

    /** Reads {@code file}: JSON when it ends in .json, YAML otherwise. */
    public static SweepConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("no sweep config at " + file + " (no such file)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the sweep config " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString().toLowerCase(Locale.ROOT).endsWith(".json"), file.toString());
    }

    /** Parses {@code text} (JSON or YAML); {@code source} names it in messages. */
    public static SweepConfig parse(String text, boolean json, String source) {
        ObjectMapper mapper = json ? new ObjectMapper() : new YAMLMapper();
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SweepConfigException(source, List.of("not valid " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage()));
        }
        return of(root, source);
    }

    /** Validates a parsed config. */
    public static SweepConfig of(JsonNode root, String source) {
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new SweepConfigException(source, List.of("the config must be a mapping (YAML) or an object (JSON)"));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!TOP_KEYS.contains(k)) problems.add(k + ": unknown key (valid: " + String.join(", ", sorted(TOP_KEYS)) + ")");
        }
        String program = text(root, "program", problems);
        List<String> command = command(root.get("command"), problems);
        Method method = null;
        JsonNode m = root.get("method");
        if (m == null) problems.add("method: missing (grid, random, bayes or tpe)");
        else if (!m.isTextual()) problems.add("method: must be a string (grid, random, bayes or tpe)");
        else {
            for (Method x : Method.values()) if (x.id().equals(m.asText())) method = x;
            if (method == null) problems.add("method: unknown value '" + m.asText() + "' (valid: grid, random, bayes, tpe)");
        }
        Metric metric = metric(root.get("metric"), method, problems);
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        JsonNode ps = root.get("parameters");
        if (ps == null) problems.add("parameters: missing");
        else parameters = parameters(ps, "parameters", method, problems);
        EarlyTerminate et = earlyTerminate(root.get("early_terminate"), metric, problems);
        Integer runCap = null;
        JsonNode rc = root.get("run_cap");
        if (rc != null) {
            if (!rc.isIntegralNumber() || rc.asLong() < 1 || rc.asLong() > Integer.MAX_VALUE) problems.add("run_cap: must be a positive integer, not " + rc);
            else runCap = rc.asInt();
        }
        String name = text(root, "name", problems), description = text(root, "description", problems), project = text(root, "project", problems);
        text(root, "entity", problems);
        if (!problems.isEmpty()) throw new SweepConfigException(source, problems);
        return new SweepConfig(program, command, method, metric, parameters, et, runCap, name, description, project, root.toString());
    }

    private static String text(JsonNode root, String key, List<String> problems) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual() || n.asText().isBlank()) {
            problems.add(key + ": must be a non-empty string, not " + n);
            return null;
        }
        return n.asText();
    }

    private static List<String> command(JsonNode n, List<String> problems) {
        if (n == null || n.isNull()) return null;
        if (!n.isArray() || n.isEmpty()) {
            problems.add("command: must be a non-empty list of strings");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isValueNode() || e.isNull()) problems.add("command[" + i + "]: must be a string, not " + e);
            else {
                String s = e.asText();
                if (s.startsWith("${") && s.endsWith("}") && !MACROS.contains(s)) {
                    problems.add("command[" + i + "]: unknown macro '" + s + "' (valid: " + String.join(", ", sorted(MACROS)) + ")");
                }
                out.add(s);
            }
        }
        return out;
    }

    private static Metric metric(JsonNode n, Method method, List<String> problems) {
        if (n == null) {
            if (method == Method.BAYES || method == Method.TPE) problems.add("metric: missing (" + method.id() + " needs a metric to optimize)");
            return null;
        }
        if (!n.isObject()) {
            problems.add("metric: must be a mapping with name and goal");
            return null;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!Set.of("name", "goal", "target").contains(k)) problems.add("metric." + k + ": unknown key (valid: goal, name, target)");
        }
        JsonNode name = n.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) problems.add("metric.name: missing (the logged key to optimize)");
        boolean maximize = false;
        JsonNode goal = n.get("goal");
        if (goal != null) {
            if ("maximize".equals(goal.asText())) maximize = true;
            else if (!"minimize".equals(goal.asText())) problems.add("metric.goal: unknown value '" + goal.asText() + "' (valid: minimize, maximize)");
        }
        Double target = null;
        JsonNode t = n.get("target");
        if (t != null) {
            if (!t.isNumber()) problems.add("metric.target: must be a number, not " + t);
            else target = t.asDouble();
        }
        return name == null ? null : new Metric(name.asText(), maximize, target);
    }

    private static EarlyTerminate earlyTerminate(JsonNode n, Metric metric, List<String> problems) {
        if (n == null) return null;
        String p = "early_terminate";
        if (!n.isObject()) {
            problems.add(p + ": must be a mapping with type: hyperband");
            return null;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!Set.of("type", "min_iter", "max_iter", "s", "eta", "strict").contains(k)) {
                problems.add(p + "." + k + ": unknown key (valid: eta, max_iter, min_iter, s, strict, type)");
            }
        }
        JsonNode type = n.get("type");
        if (type == null) problems.add(p + ".type: missing (hyperband)");
        else if (!"hyperband".equals(type.asText())) problems.add(p + ".type: unknown value '" + type.asText() + "' (valid: hyperband)");
        Integer minIter = positiveInt(n, "min_iter", p, problems), maxIter = positiveInt(n, "max_iter", p, problems);
        Integer s = positiveInt(n, "s", p, problems), eta = positiveInt(n, "eta", p, problems);
        if (minIter == null && maxIter == null) problems.add(p + ": needs min_iter, or max_iter with s");
        // as in W&B, max_iter wins over min_iter, so it needs s even when min_iter is there
        if (maxIter != null && s == null) problems.add(p + ".s: missing (max_iter needs s)");
        if (eta != null && eta < 2) problems.add(p + ".eta: must be at least 2, not " + eta);
        // max_iter / eta below 1 gives no band at all (W&B fails at the first stop check); judged only with a valid eta
        int bandEta = eta == null ? Hyperband.DEFAULT_ETA : eta;
        if (maxIter != null && maxIter < bandEta && (eta != null ? eta >= 2 : n.get("eta") == null)) {
            problems.add(p + ".max_iter: must be at least eta (" + bandEta + ") to give a band, not " + maxIter);
        }
        JsonNode strict = n.get("strict");
        if (strict != null && !strict.isBoolean()) problems.add(p + ".strict: must be true or false, not " + strict);
        if (metric == null) problems.add(p + ": needs a metric to compare runs by");
        return new EarlyTerminate("hyperband", minIter, maxIter, s, eta, strict != null && strict.asBoolean());
    }

    private static Integer positiveInt(JsonNode n, String key, String path, List<String> problems) {
        JsonNode v = n.get(key);
        if (v == null) return null;
        if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > Integer.MAX_VALUE) {
            problems.add(path + "." + key + ": must be a positive integer, not " + v);
            return null;
        }
        return v.asInt();
    }

    private static Map<String, Parameter> parameters(JsonNode n, String path, Method method, List<String> problems) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        if (!n.isObject() || n.isEmpty()) {
            problems.add(path + ": must be a non-empty mapping of parameter names");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Parameter p = Parameters.parse(e.getValue(), path + "." + e.getKey(), method, problems);
            if (p != null) out.put(e.getKey(), p);
        }
        return out;
    }

    static Map<String, Parameter> nested(JsonNode n, String path, Method method, List<String> problems) {
        return parameters(n, path, method, problems);
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    /** The run count this sweep may reach: run_cap, and for grid the number of combinations; null when unbounded. */
    public Long maxRuns() {
        Long cap = runCap == null ? null : runCap.longValue();
        if (method == Method.GRID) {
            long combos = Grid.size(parameters);
            cap = cap == null ? combos : Math.min(cap, combos);
        }
        return cap;
    }
}
