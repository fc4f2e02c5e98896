package dev.panoptim.landscape;

/**
 * A loss f(x, y) written with {@link Dual} numbers, so that its gradient comes out exactly
 * (forward-mode automatic differentiation).
 *
 * <pre>{@code DualFunction bowl = (x, y) -> x.square().plus(y.square().times(10));}</pre>
 */
@FunctionalInterface
public interface DualFunction {
    /** f(x, y), where x and y carry their derivatives. */
    Dual apply(Dual x, Dual y);
}
