package dev.panoptim.track;

/**
 * What {@link Run#watch} records histograms of: each tensor's gradient, its values, or both.
 *
 * <pre>{@code run.watch(model::namedParameters, What.ALL, 100);}</pre>
 */
public enum What {
    /** The gradient of each tensor, as {@code gradients/NAME}, where the tensor has one (grad() is not null). */
    GRADIENTS,
    /** The values of each tensor, as {@code parameters/NAME}. */
    PARAMETERS,
    /** Both. */
    ALL;

    boolean parameters() {
        return this != GRADIENTS;
    }

    boolean gradients() {
        return this != PARAMETERS;
    }
}
