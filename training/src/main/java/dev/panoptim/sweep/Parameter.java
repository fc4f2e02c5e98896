package dev.panoptim.sweep;

import java.util.List;
import java.util.Map;

/**
 * One entry of a sweep config's {@code parameters}: a constant, a categorical choice, a numeric
 * distribution, or a group of nested parameters (its values become a nested object in the run's config).
 *
 * <pre>{@code if (config.parameters().get("lr") instanceof Parameter.Numeric n) n.min();}</pre>
 */
public sealed interface Parameter {
    /** {@code value: v} (or {@code distribution: constant}). */
    record Constant(Object value) implements Parameter {}

    /** {@code values: [..]} with {@code probabilities} (summing to 1) or null for uniform. */
    record Categorical(List<Object> values, List<Double> probabilities) implements Parameter {}

    /**
     * A numeric distribution; fields it does not use are NaN. {@code integer}: min and max were both integer
     * literals (W&amp;B's inference), so int_uniform is the default and draws are whole numbers.
     */
    record Numeric(Distribution distribution, double min, double max, double q, double mu, double sigma, double a, double b,
                   boolean integer) implements Parameter {}

    /** {@code parameters: {..}}: nested parameters, in declaration order. */
    record Nested(Map<String, Parameter> parameters) implements Parameter {}
}
