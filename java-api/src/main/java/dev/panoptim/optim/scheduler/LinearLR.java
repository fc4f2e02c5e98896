package dev.panoptim.optim.scheduler;

import dev.panoptim.optim.Optimizer;

/**
 * torch's LinearLR, the linear warm-up: the factor on the base lr goes linearly from
 * {@code startFactor} to {@code endFactor} over {@code totalIters} epochs, then stays.
 *
 * <pre>{@code new LinearLR(opt, 0.1, 1.0, 500)   // warm up over 500 batches}</pre>
 */
public final class LinearLR extends LRScheduler {
    private final double startFactor;
    private final double endFactor;
    private final long totalIters;

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, long totalIters) {
        super(optimizer);
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("startFactor must be in (0, 1], got " + startFactor);
        }
        if (!(endFactor >= 0 && endFactor <= 1)) throw new IllegalArgumentException("endFactor must be in [0, 1], got " + endFactor);
        if (totalIters < 1) throw new IllegalArgumentException("totalIters must be >= 1, got " + totalIters);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialize();
    }

    @Override
    protected double lrAt(int group, long epoch) {
        double t = Math.min(epoch, totalIters) / (double) totalIters;
        return baseLrs.get(group) * (startFactor + (endFactor - startFactor) * t);
    }
}
