package dev.panoptim.djl;

/**
 * How a {@link PanoptimOptimizer}'s updates reached their arrays: in place on the arrays' own memory
 * (zero copy), or through a float32 copy (another dtype, a view, a GPU array).
 *
 * <pre>{@code
 * UpdateCounts c = optimizer.updateCounts();   // e.g. UpdateCounts[zeroCopy=620, copied=0]
 * }</pre>
 *
 * @param zeroCopy updates whose weight and gradient were both stepped in place
 * @param copied   updates where the weight or the gradient went through a copy
 */
public record UpdateCounts(long zeroCopy, long copied) {}
