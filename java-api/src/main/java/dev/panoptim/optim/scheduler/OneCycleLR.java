package dev.panoptim.optim.scheduler;

import dev.panoptim.optim.Optimizer;
import dev.panoptim.optim.ParamGroup;

/**
 * torch's OneCycleLR (two phases, cosine annealing), stepped once per batch: the lr rises from
 * maxLr / divFactor to maxLr over the first {@code pctStart} of {@code totalSteps}, then falls to
 * maxLr / (divFactor * finalDivFactor). With cycleMomentum, momentum (SGD, RMSprop) or beta1 (Adam,
 * AdamW) moves the other way between maxMomentum and baseMomentum. Stepping past totalSteps is an
 * error, as in torch. The lr the optimizer was built with is ignored (torch does the same).
 *
 * <pre>{@code new OneCycleLR(opt, 0.01, epochs * batchesPerEpoch)}</pre>
 */
public final class OneCycleLR extends LRScheduler {
    private final double maxLr;
    private final long totalSteps;
    private final double pctStart;
    private final double divFactor;
    private final double finalDivFactor;
    private final boolean cycleMomentum;
    private final double baseMomentum;
    private final double maxMomentum;

    /** torch's defaults: pctStart 0.3, divFactor 25, finalDivFactor 1e4, momentum cycled 0.95 to 0.85. */
    public OneCycleLR(Optimizer optimizer, double maxLr, long totalSteps) {
        this(optimizer, maxLr, totalSteps, 0.3, 25, 1e4, true, 0.85, 0.95);
    }

    public OneCycleLR(Optimizer optimizer, double maxLr, long totalSteps, double pctStart, double divFactor,
                      double finalDivFactor, boolean cycleMomentum, double baseMomentum, double maxMomentum) {
        super(optimizer);
        requirePositive("maxLr", maxLr);
        if (totalSteps < 2) throw new IllegalArgumentException("totalSteps must be >= 2, got " + totalSteps);
        if (!(pctStart > 0 && pctStart < 1)) throw new IllegalArgumentException("pctStart must be in (0, 1), got " + pctStart);
        requirePositive("divFactor", divFactor);
        requirePositive("finalDivFactor", finalDivFactor);
        if (cycleMomentum && !(baseMomentum >= 0 && baseMomentum <= maxMomentum && maxMomentum < 1)) {
            throw new IllegalArgumentException("momenta must satisfy 0 <= baseMomentum <= maxMomentum < 1, got "
                    + baseMomentum + " and " + maxMomentum);
        }
        this.maxLr = maxLr;
        this.totalSteps = totalSteps;
        this.pctStart = pctStart;
        this.divFactor = divFactor;
        this.finalDivFactor = finalDivFactor;
        this.cycleMomentum = cycleMomentum;
        this.baseMomentum = baseMomentum;
        this.maxMomentum = maxMomentum;
        initialize();
    }

    /** Fraction through the current phase and whether it is the warm-up phase, as torch computes it. */
    private double[] phase(long step) {
        if (step > totalSteps) {
            throw new IllegalStateException("Tried to step " + step + " times. The specified number of total steps is "
                    + totalSteps);
        }
        double warmupEnd = pctStart * totalSteps - 1;
        if (step <= warmupEnd) return new double[] {1, warmupEnd <= 0 ? 1.0 : step / warmupEnd};
        return new double[] {0, (step - warmupEnd) / (totalSteps - 1 - warmupEnd)};
    }

    private static double cosineAnneal(double start, double end, double pct) {
        return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
    }

    @Override
    protected double lrAt(int group, long epoch) {
        double[] p = phase(epoch);
        double initial = maxLr / divFactor;
        double min = initial / finalDivFactor;
        return p[0] == 1 ? cosineAnneal(initial, maxLr, p[1]) : cosineAnneal(maxLr, min, p[1]);
    }

    @Override
    protected void applyExtras(ParamGroup group, int index, long epoch) {
        if (!cycleMomentum) return;
        double[] p = phase(epoch);
        double m = p[0] == 1 ? cosineAnneal(maxMomentum, baseMomentum, p[1]) : cosineAnneal(baseMomentum, maxMomentum, p[1]);
        if (group.get("betas") instanceof double[] betas) group.set("betas", new double[] {m, betas[1]});
        else if (group.get("momentum") != null) group.set("momentum", m);
    }
}
