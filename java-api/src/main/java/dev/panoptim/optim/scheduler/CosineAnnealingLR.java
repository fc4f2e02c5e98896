package dev.panoptim.optim.scheduler;

import dev.panoptim.optim.Optimizer;

/**
 * torch's CosineAnnealingLR (closed form): lr = etaMin + (base - etaMin) * (1 + cos(pi * epoch / tMax)) / 2.
 *
 * <pre>{@code new CosineAnnealingLR(opt, epochs, 0.0)}</pre>
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final long tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, long tMax, double etaMin) {
        super(optimizer);
        if (tMax < 1) throw new IllegalArgumentException("tMax must be >= 1, got " + tMax);
        if (!(etaMin >= 0)) throw new IllegalArgumentException("etaMin must be >= 0, got " + etaMin);
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialize();
    }

    @Override
    protected double lrAt(int group, long epoch) {
        double base = baseLrs.get(group);
        return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
