package dev.panoptim.train;

import dev.panoptim.optim.Optimizer;
import dev.panoptim.optim.scheduler.ConstantLR;
import dev.panoptim.optim.scheduler.CosineAnnealingLR;
import dev.panoptim.optim.scheduler.LRScheduler;
import dev.panoptim.optim.scheduler.LinearLR;
import dev.panoptim.optim.scheduler.OneCycleLR;
import dev.panoptim.optim.scheduler.StepLR;

/**
 * The learning-rate schedule of a {@link TrainingArgs}, as a torch-style scheduler over the optimizer:
 * {@code constant} (ConstantLR with factor 1), {@code step} (StepLR: times {@code gamma} every
 * {@code stepSize} epochs), {@code cosine} (CosineAnnealingLR over every batch of the run, down to
 * {@code minLr}), {@code onecycle} (OneCycleLR peaking at the learning rate after {@code pctStart} of
 * the batches, torch's other defaults) and {@code warmup} (LinearLR from a tenth of the learning rate
 * to all of it over {@code warmupSteps} batches, then constant). The last three step every batch
 * ({@link TrainingArgs#schedulePerBatch()}), the first two every epoch.
 *
 * <pre>{@code LRScheduler s = Schedules.build(args, opt, loader.batchesPerEpoch());}</pre>
 */
public final class Schedules {
    /** The warm-up's starting factor on the learning rate. */
    public static final double WARMUP_START_FACTOR = 0.1;

    private Schedules() {}

    /** The scheduler; {@code batchesPerEpoch} sizes the per-batch ones. */
    public static LRScheduler build(TrainingArgs a, Optimizer opt, int batchesPerEpoch) {
        long totalBatches = (long) a.epochs() * batchesPerEpoch;
        return switch (a.schedule()) {
            case "constant" -> new ConstantLR(opt, 1.0, 0);
            case "step" -> new StepLR(opt, a.stepSize(), a.gamma());
            case "cosine" -> new CosineAnnealingLR(opt, Math.max(1, totalBatches), a.minLr());
            case "onecycle" -> {
                if (totalBatches < 2) {
                    throw new IllegalArgumentException("schedule onecycle needs at least 2 batches in the run, got " + totalBatches);
                }
                yield new OneCycleLR(opt, a.learningRate(), totalBatches, a.pctStart(), 25, 1e4, true, 0.85, 0.95);
            }
            case "warmup" -> new LinearLR(opt, WARMUP_START_FACTOR, 1.0, a.warmupSteps());
            default -> throw new IllegalArgumentException("unknown schedule '" + a.schedule() + "' (valid: "
                    + String.join(", ", TrainingArgs.SCHEDULES) + ")");
        };
    }
}
