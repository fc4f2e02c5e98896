package dev.panoptim.optim;

import dev.panoptim.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every optimizer builder shares: the params (a {@code List<Tensor>} or a
 * {@code List<ParamGroup>}), and defaults validated as they are set. {@code build()} validates the
 * groups against the defaults.
 *
 * <pre>{@code Optimizer opt = SGD.builder(model.parameters()).lr(0.1).momentum(0.9).build();}</pre>
 *
 * @param <B> the concrete builder, so chained calls keep their type
 */
public abstract class OptimizerBuilder<B extends OptimizerBuilder<B>> {
    final OptionSchema schema;
    final List<ParamGroup> groups;
    final Map<String, Object> defaults;

    OptimizerBuilder(OptionSchema schema, List<?> params) {
        this.schema = schema;
        this.groups = toGroups(params);
        this.defaults = new LinkedHashMap<>(schema.defaults());
    }

    private static List<ParamGroup> toGroups(List<?> params) {
        if (params == null) throw new IllegalArgumentException("params must not be null");
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        boolean tensors = params.get(0) instanceof Tensor;
        List<Tensor> single = new ArrayList<>();
        List<ParamGroup> groups = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Object o = params.get(i);
            if (tensors && o instanceof Tensor t) single.add(t);
            else if (!tensors && o instanceof ParamGroup g) groups.add(g);
            else {
                throw new IllegalArgumentException("params must be a List<Tensor> or a List<ParamGroup>; element " + i
                        + " is " + (o == null ? "null" : o.getClass().getName()));
            }
        }
        return tensors ? List.of(ParamGroup.of(single)) : groups;
    }

    @SuppressWarnings("unchecked")
    final B self() {
        return (B) this;
    }

    /** Sets a default option by torch name (e.g. {@code "weight_decay"}); validated now. */
    public B option(String key, Object value) {
        defaults.put(key, schema.normalize(key, value));
        return self();
    }

    /** Learning rate. */
    public B lr(double lr) {
        return option("lr", lr);
    }

    /** Weight decay (L2 penalty, or decoupled for AdamW). */
    public B weightDecay(double weightDecay) {
        return option("weight_decay", weightDecay);
    }

    /** Maximize the objective instead of minimizing it. */
    public B maximize(boolean maximize) {
        return option("maximize", maximize);
    }

    /** Validates everything and creates the optimizer. */
    public abstract Optimizer build();
}
