package dev.panoptim.optim;

import dev.panoptim.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A list of parameters with their own options, torch's param group: keys are torch's option names
 * ({@code lr}, {@code momentum}, {@code weight_decay}, {@code betas} as {@code double[2]}, ...).
 * Options not set here take the optimizer's defaults when the group joins an optimizer. Once it
 * has joined, {@link #set} validates at once, so a scheduler can change {@code lr} between steps.
 *
 * <pre>{@code ParamGroup.of(List.of(bias)).with("lr", 0.01).with("weight_decay", 0.0)}</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();
    private OptionSchema schema;
    private Runnable onChange;  // the optimizer's, when it keeps options elsewhere too (capturable lr)

    private ParamGroup(List<Tensor> params) {
        this.params = Collections.unmodifiableList(new ArrayList<>(params));
    }

    /** A group of these params; none may be null. */
    public static ParamGroup of(List<Tensor> params) {
        if (params == null) throw new IllegalArgumentException("params must not be null");
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) == null) throw new IllegalArgumentException("params[" + i + "] is null");
        }
        return new ParamGroup(params);
    }

    /** Sets an option and returns this group (fluent form of {@link #set}). */
    public ParamGroup with(String key, Object value) {
        set(key, value);
        return this;
    }

    /** Sets an option; validated now if the group belongs to an optimizer, else when it joins one. */
    public void set(String key, Object value) {
        if (key == null) throw new IllegalArgumentException("option key must not be null");
        if (key.equals("params")) throw new IllegalArgumentException("'params' is not an option; use ParamGroup.of");
        options.put(key, schema == null ? OptionSchema.copy(value) : schema.normalize(key, value));
        if (onChange != null) onChange.run();
    }

    /** The value of an option (Double, Boolean or double[2] for betas), or null if unset. */
    public Object get(String key) {
        return OptionSchema.copy(options.get(key));
    }

    /** A number option's value. */
    public double getDouble(String key) {
        Object v = options.get(key);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("option '" + key + "' is not a number: " + v);
        return n.doubleValue();
    }

    /** A boolean option's value. */
    public boolean getBoolean(String key) {
        Object v = options.get(key);
        if (!(v instanceof Boolean b)) throw new IllegalArgumentException("option '" + key + "' is not a boolean: " + v);
        return b;
    }

    /** The learning rate. */
    public double lr() {
        return getDouble("lr");
    }

    /** Sets the learning rate (what schedulers call). */
    public void setLr(double lr) {
        set("lr", lr);
    }

    /** The params of this group, in order. */
    public List<Tensor> params() {
        return params;
    }

    /** A read-only snapshot of the options. */
    public Map<String, Object> options() {
        Map<String, Object> copy = new LinkedHashMap<>();
        options.forEach((k, v) -> copy.put(k, OptionSchema.copy(v)));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * The options this group would have in an optimizer with these defaults, validated, without
     * changing the group (so a failed build leaves every group as it was).
     */
    Map<String, Object> resolve(OptionSchema schema, Map<String, Object> defaults, String where) {
        if (this.schema != null) throw new IllegalArgumentException(where + " already belongs to an optimizer");
        for (String key : options.keySet()) schema.normalize(key, options.get(key)); // names unknown keys first
        Map<String, Object> merged = new LinkedHashMap<>();
        for (String key : schema.keys()) {
            if (options.containsKey(key)) merged.put(key, schema.normalize(key, options.get(key)));
            else if (defaults.containsKey(key)) merged.put(key, OptionSchema.copy(defaults.get(key)));
        }
        schema.requirePresent(merged, where);
        return merged;
    }

    /** Joins an optimizer with options from {@link #resolve}; later sets are validated at once. */
    void bind(OptionSchema schema, Map<String, Object> resolved) {
        options.clear();
        options.putAll(resolved);
        this.schema = schema;
    }

    /** Replaces options wholesale with already-validated values (loadStateDict). */
    void replaceOptions(Map<String, Object> validated) {
        options.clear();
        options.putAll(validated);
        if (onChange != null) onChange.run();
    }

    /** Runs {@code action} after each change of an option (null: nothing). */
    void onChange(Runnable action) {
        onChange = action;
    }

    OptionSchema schema() {
        return schema;
    }
}
