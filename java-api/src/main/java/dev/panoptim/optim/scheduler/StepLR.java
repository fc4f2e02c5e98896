package dev.panoptim.optim.scheduler;

import dev.panoptim.optim.Optimizer;

/**
 * torch's StepLR: lr = base * gamma^floor(epoch / stepSize).
 *
 * <pre>{@code new StepLR(opt, 30, 0.1)}</pre>
 */
public final class StepLR extends LRScheduler {
    private final long stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, long stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) throw new IllegalArgumentException("stepSize must be >= 1, got " + stepSize);
        requirePositive("gamma", gamma);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialize();
    }

    @Override
    protected double lrAt(int group, long epoch) {
        return baseLrs.get(group) * Math.pow(gamma, Math.floorDiv(epoch, stepSize));
    }
}
