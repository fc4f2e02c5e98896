package dev.panoptim.optim.scheduler;

import dev.panoptim.optim.Optimizer;

/**
 * torch's ConstantLR: lr = base * factor for the first {@code totalIters} epochs, then base.
 * {@code factor} 1 (or totalIters 0) keeps the lr constant, the trainer's "constant" schedule.
 *
 * <pre>{@code new ConstantLR(opt, 1.0 / 3, 5)}</pre>
 */
public final class ConstantLR extends LRScheduler {
    private final double factor;
    private final long totalIters;

    public ConstantLR(Optimizer optimizer, double factor, long totalIters) {
        super(optimizer);
        if (!(factor >= 0 && factor <= 1)) throw new IllegalArgumentException("factor must be in [0, 1], got " + factor);
        if (totalIters < 0) throw new IllegalArgumentException("totalIters must be >= 0, got " + totalIters);
        this.factor = factor;
        this.totalIters = totalIters;
        initialize();
    }

    @Override
    protected double lrAt(int group, long epoch) {
        return baseLrs.get(group) * (epoch < totalIters ? factor : 1.0);
    }
}
