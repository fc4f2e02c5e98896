package dev.panoptim.djl;

/**
 * panoptim's fused optimizers for DJL: each method returns a builder of a DJL
 * {@link ai.djl.training.optimizer.Optimizer}, so a DJL training setup changes one line.
 *
 * <pre>{@code
 * DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
 *         .optOptimizer(PanoptimOptimizers.adamW().optLearningRate(1e-3f).build());   // was Optimizer.adamW()...
 * }</pre>
 */
public final class PanoptimOptimizers {
    private PanoptimOptimizers() {}

    /** torch's SGD: lr 1e-3, momentum, dampening, Nesterov, L2 weight decay. */
    public static FusedSgd.Builder sgd() {
        return new FusedSgd.Builder();
    }

    /** torch's RMSprop: lr 1e-2, alpha 0.99, eps 1e-8, momentum, centered. */
    public static FusedRmsProp.Builder rmsprop() {
        return new FusedRmsProp.Builder();
    }

    /** torch's Adam (L2 weight decay, default 0): lr 1e-3, betas 0.9/0.999, eps 1e-8, amsgrad. */
    public static FusedAdam.Builder adam() {
        return new FusedAdam.Builder(false);
    }

    /** torch's AdamW (decoupled weight decay, default 0.01): lr 1e-3, betas 0.9/0.999, eps 1e-8, amsgrad. */
    public static FusedAdam.Builder adamW() {
        return new FusedAdam.Builder(true);
    }
}
