package dev.panoptim.djl;

import dev.panoptim.optim.FusedSteps;
import dev.panoptim.optim.StepExtras;
import dev.panoptim.tensor.Device;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * torch's SGD (momentum, dampening, Nesterov, L2 weight decay, maximize) as a DJL optimizer, on
 * panoptim's fused kernel. Unlike DJL's Sgd, dampening and Nesterov exist and the first momentum
 * step takes the gradient itself, as torch does.
 *
 * <pre>{@code
 * Optimizer sgd = PanoptimOptimizers.sgd().optLearningRate(0.1f).optMomentum(0.9f).optNesterov(true).build();
 * }</pre>
 */
public final class FusedSgd extends PanoptimOptimizer {
    private final double momentum, dampening;
    private final boolean nesterov, maximize;

    private FusedSgd(Builder b) {
        super("SGD", b);
        momentum = decimal(b.momentum);
        dampening = decimal(b.dampening);
        nesterov = b.nesterov;
        maximize = b.maximize;
    }

    @Override
    void step(ParamSlot slot, MemorySegment param, MemorySegment grad, float lr, float weightDecay, StepExtras extras) {
        var o = new FusedSteps.SgdOptions(decimal(lr), momentum, dampening, decimal(weightDecay), nesterov, maximize);
        if (momentum == 0) {
            FusedSteps.sgd(Device.CPU, List.of(param), List.of(grad), null, null, o, extras);
            return;
        }
        boolean isNew = !slot.has("momentum_buffer");
        FusedSteps.sgd(Device.CPU, List.of(param), List.of(grad), List.of(slot.buffer("momentum_buffer")),
                new boolean[] {isNew}, o, extras);
    }

    /** Builds {@link FusedSgd}; torch's defaults (lr 1e-3, no momentum). */
    public static final class Builder extends PanoptimOptimizer.Builder<Builder> {
        private float momentum, dampening;
        private boolean nesterov, maximize;

        Builder() {
            super(1e-3f);
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder optDampening(float dampening) {
            this.dampening = dampening;
            return this;
        }

        public Builder optNesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /** Ascends instead of descending (torch's maximize). */
        public Builder optMaximize(boolean maximize) {
            this.maximize = maximize;
            return this;
        }

        @Override
        public FusedSgd build() {
            if (!(momentum >= 0) || Float.isInfinite(momentum)) throw new IllegalArgumentException("SGD: momentum must be finite and >= 0, got " + momentum);
            if (!Float.isFinite(dampening)) throw new IllegalArgumentException("SGD: dampening must be finite, got " + dampening);
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum > 0 and zero dampening, got momentum "
                        + momentum + " and dampening " + dampening);
            }
            return new FusedSgd(this);
        }
    }
}
