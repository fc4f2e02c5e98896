package dev.panoptim.sweep;

import dev.panoptim.train.Trainer;
import dev.panoptim.train.TrainingArgs;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A sweep trial's values laid over base {@link TrainingArgs}, as the course's sweep trainer lays
 * {@code wandb.config} over its defaults: the trial's values win. A key names a field in snake_case,
 * camelCase or kebab-case ({@code learning_rate}, {@code learningRate}, {@code learning-rate}) or by its
 * {@code train} option ({@code lr}, {@code classes}, {@code watch}). Numbers convert where exact (2.0 sets
 * an int field, 2.5 does not; strings that read as numbers count, as YAML 1.1 reads {@code 1e-3} as one);
 * booleans are true/false; paths are strings. When a trial changes the optimizer and neither it nor the
 * base set a weight decay of their own, the weight decay follows the new optimizer's default. Keys that are
 * not fields are an error listing the valid ones (a typo would otherwise sweep nothing), as are
 * {@link #NOT_SWEPT} fields and nested parameters.
 *
 * <pre>{@code TrainingArgs args = TrialArgs.apply(TrainingArgs.defaults(), Map.of("learning_rate", 3e-3, "batch_size", 128));}</pre>
 */
public final class TrialArgs {
    /** Fields a trial cannot set, and why. */
    public static final Map<String, String> NOT_SWEPT = Map.of(
            "resume", "a trial is a new run; continue a checkpoint with panoptim train --resume",
            "checkpointDir", "each trial checkpoints into checkpoints/RUN_ID; one folder would mix the trials",
            "project", "a trial's run is in the sweep's project (the config's project)",
            "runName", "a trial's run is named by the sweep",
            "tags", "tags label runs and change nothing a trial computes; give them to the sweep's program (train --tags)");

    private static final Map<String, String> OPTION_NAMES = Map.of("lr", "learningRate", "classes", "numClasses",
            "watch", "watchEvery", "name", "runName", "fraction", "dataFraction");
    private static final Map<String, List<String>> CHOICES = Map.of("dataset", TrainingArgs.DATASETS, "model", TrainingArgs.MODELS,
            "optimizer", TrainingArgs.OPTIMIZERS, "schedule", TrainingArgs.SCHEDULES, "device", TrainingArgs.DEVICES,
            "precision", TrainingArgs.PRECISIONS, "lrRule", TrainingArgs.LR_RULES);
    private static final Map<String, Method> SETTERS = setters();

    private TrialArgs() {}

    /**
     * {@code base} with {@code values} laid over it. A bad key or value is an IllegalArgumentException naming
     * every one of them, by the key the trial used.
     */
    public static TrainingArgs apply(TrainingArgs base, Map<String, Object> values) {
        List<String> problems = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Map<String, String> keyOf = new LinkedHashMap<>();   // field -> the trial's key
        TrainingArgs.Builder b = base.toBuilder();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String key = e.getKey(), field = field(key);
            if (field == null) {
                unknown.add(key);
                continue;
            }
            String problem = NOT_SWEPT.containsKey(field) ? fieldProblem(key, field)
                    : keyOf.containsKey(field) ? keyOf.get(field) + " and " + key + " both set " + field
                    : set(b, field, key, e.getValue());
            if (problem != null) problems.add(problem);
            keyOf.putIfAbsent(field, key);
        }
        if (!unknown.isEmpty()) problems.add(unknownKeys(unknown));
        if (keyOf.containsKey("optimizer") && !keyOf.containsKey("weightDecay")
                && base.weightDecay() == TrainingArgs.defaultWeightDecay(base.optimizer())) {
            b.weightDecay(null);   // the trial's optimizer's default, as train --optimizer does
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException("the trial's values do not fit the trainer: " + String.join("; ", problems));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(byTrialKeys(e.getMessage(), keyOf), e);
        }
    }

    /**
     * What stops {@code config} from sweeping the trainer before any trial runs, each prefixed with its path:
     * unknown or unsweepable keys, nested parameters, constants and choices of the wrong type or outside a
     * field's choices, numeric distributions over non-numeric fields, and a metric the trainer does not log.
     */
    public static List<String> problems(SweepConfig config) {
        List<String> problems = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : config.parameters().entrySet()) {
            String key = e.getKey(), at = "parameters." + key + ": ";
            String field = field(key);
            if (e.getValue() instanceof Parameter.Nested) {
                problems.add(at + "nested parameters do not map onto the trainer's arguments");
                continue;
            }
            if (field == null) {
                unknown.add(key);
                continue;
            }
            String problem = fieldProblem(key, field);
            if (problem != null) {
                problems.add(at + problem);
                continue;
            }
            switch (e.getValue()) {
                case Parameter.Constant c -> addIfBad(problems, at, check(field, key, c.value()));
                case Parameter.Categorical c -> c.values().forEach(v -> addIfBad(problems, at, check(field, key, v)));
                case Parameter.Numeric n -> {
                    Class<?> type = SETTERS.get(field).getParameterTypes()[0];
                    if (!isNumeric(type)) problems.add(at + key + " takes " + typeName(type) + ", not numbers (" + n.distribution().id() + ")");
                }
                case Parameter.Nested n -> { }   // reported above
            }
        }
        if (!unknown.isEmpty()) problems.add("parameters: " + unknownKeys(unknown));
        if (config.metric() != null && !Trainer.METRICS.contains(config.metric().name())) {
            problems.add("metric.name: the trainer does not log '" + config.metric().name() + "' (it logs " + String.join(", ", Trainer.METRICS) + ")");
        }
        return problems;
    }

    /** The TrainingArgs field {@code key} names, or null. */
    public static String field(String key) {
        if (key == null) return null;
        String alias = OPTION_NAMES.get(key);
        if (alias != null) return alias;
        String squashed = key.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
        for (String f : SETTERS.keySet()) if (f.toLowerCase(Locale.ROOT).equals(squashed)) return f;
        return null;
    }

    /** Every field a trial can set, in snake_case, in TrainingArgs' order. */
    public static List<String> sweepableKeys() {
        return SETTERS.keySet().stream().filter(f -> !NOT_SWEPT.containsKey(f)).map(TrialArgs::snake).toList();
    }

    private static String fieldProblem(String key, String field) {
        String why = NOT_SWEPT.get(field);
        return why == null ? null : key + " cannot be swept: " + why;
    }

    private static String unknownKeys(List<String> keys) {
        return (keys.size() == 1 ? "unknown training argument " : "unknown training arguments ") + String.join(", ", keys)
                + " (valid, in snake_case or camelCase: " + String.join(", ", sweepableKeys()) + ")";
    }

    private static void addIfBad(List<String> problems, String at, String problem) {
        if (problem != null) problems.add(at + problem);
    }

    /** Why {@code value} cannot be {@code field}'s, or null (choices checked too). */
    private static String check(String field, String key, Object value) {
        try {
            Object v = convert(SETTERS.get(field).getParameterTypes()[0], key, value);
            List<String> valid = CHOICES.get(field);
            if (valid != null && !valid.contains(((String) v).toLowerCase(Locale.ROOT))) {
                return key + " must be one of " + String.join(", ", valid) + ", got " + v;
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String set(TrainingArgs.Builder b, String field, String key, Object value) {
        Method setter = SETTERS.get(field);
        try {
            setter.invoke(b, convert(setter.getParameterTypes()[0], key, value));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot set " + field + " on TrainingArgs.Builder", e);
        }
    }

    /** {@code value} as a {@code type} argument, converting only where nothing is lost. */
    static Object convert(Class<?> type, String key, Object value) {
        if (value == null) {
            if (!type.isPrimitive()) return null;   // weight decay: the optimizer's default; paths: none
            throw new IllegalArgumentException(key + " must be " + typeName(type) + ", got null");
        }
        if (type == String.class) {
            if (value instanceof String s) return s;
        } else if (type == Path.class) {
            if (value instanceof String s && !s.isBlank()) return Path.of(s);
        } else if (type == boolean.class) {
            if (value instanceof Boolean v) return v;
            if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) return Boolean.valueOf(s);
        } else {
            BigDecimal n = number(value);
            if (n != null) {
                try {
                    if (type == int.class || type == Integer.class) return n.intValueExact();
                    if (type == long.class || type == Long.class) return n.longValueExact();
                    double d = n.doubleValue();
                    if (!(value instanceof Long) || new BigDecimal(d).compareTo(n) == 0) return d;   // a long may not fit a double
                } catch (ArithmeticException inexact) {
                    // falls through to the message
                }
            }
        }
        throw new IllegalArgumentException(key + " must be " + typeName(type) + ", got " + describe(value));
    }

    private static BigDecimal number(Object value) {
        try {
            if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
                return BigDecimal.valueOf(((Number) value).longValue());
            }
            if (value instanceof Number n && Double.isFinite(n.doubleValue())) return new BigDecimal(n.toString());
            if (value instanceof String s) return new BigDecimal(s.strip());
        } catch (NumberFormatException notANumber) {
            return null;
        }
        return null;
    }

    private static boolean isNumeric(Class<?> type) {
        return type == int.class || type == long.class || type == double.class || type == Integer.class || type == Double.class;
    }

    private static String typeName(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class) return "a whole number";
        if (type == double.class || type == Double.class) return "a number";
        if (type == boolean.class) return "true or false";
        if (type == Path.class) return "a path";
        return "a name";
    }

    private static String describe(Object value) {
        return value instanceof String s ? "'" + s + "'" : value + " (" + value.getClass().getSimpleName() + ")";
    }

    /** TrainingArgs names its fields in its messages; the trial's user knows them by the keys of the sweep. */
    private static String byTrialKeys(String message, Map<String, String> keyOf) {
        String out = message;
        for (Map.Entry<String, String> e : keyOf.entrySet()) {
            if (!e.getKey().equals(e.getValue())) out = out.replaceAll("(?<=: |; )" + e.getKey() + "(?= )", e.getValue());
        }
        return out;
    }

    private static String snake(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    /** The builder's setter of each record field, in the record's order. */
    private static Map<String, Method> setters() {
        Map<String, Method> out = new LinkedHashMap<>();
        Map<String, Method> byName = java.util.Arrays.stream(TrainingArgs.Builder.class.getMethods())
                .filter(m -> m.getParameterCount() == 1 && m.getReturnType() == TrainingArgs.Builder.class)
                .collect(Collectors.toMap(Method::getName, m -> m, (a, b) -> a));
        for (RecordComponent c : TrainingArgs.class.getRecordComponents()) {
            Method m = byName.get(c.getName());
            if (m == null) throw new IllegalStateException("TrainingArgs.Builder has no setter for " + c.getName());
            out.put(c.getName(), m);
        }
        return out;
    }
}
