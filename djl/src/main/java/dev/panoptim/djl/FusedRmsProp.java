package dev.panoptim.djl;

import dev.panoptim.optim.FusedSteps;
import dev.panoptim.optim.StepExtras;
import dev.panoptim.tensor.Device;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * torch's RMSprop (alpha, eps outside the root, momentum, centered, L2 weight decay, maximize) as a
 * DJL optimizer, on panoptim's fused kernel.
 *
 * <pre>{@code
 * Optimizer rms = PanoptimOptimizers.rmsprop().optLearningRate(1e-2f).optCentered(true).build();
 * }</pre>
 */
public final class FusedRmsProp extends PanoptimOptimizer {
    private final double alpha, eps, momentum;
    private final boolean centered, maximize;

    private FusedRmsProp(Builder b) {
        super("RMSprop", b);
        alpha = decimal(b.alpha);
        eps = decimal(b.eps);
        momentum = decimal(b.momentum);
        centered = b.centered;
        maximize = b.maximize;
    }

    @Override
    void step(ParamSlot slot, MemorySegment param, MemorySegment grad, float lr, float weightDecay, StepExtras extras) {
        var o = new FusedSteps.RmspropOptions(decimal(lr), alpha, eps, decimal(weightDecay), momentum, centered, maximize);
        FusedSteps.rmsprop(Device.CPU, List.of(param), List.of(grad), List.of(slot.buffer("square_avg")),
                momentum > 0 ? List.of(slot.buffer("momentum_buffer")) : null,
                centered ? List.of(slot.buffer("grad_avg")) : null, o, extras);
        slot.step++;
    }

    /** Builds {@link FusedRmsProp}; torch's defaults (lr 1e-2, alpha 0.99, eps 1e-8). */
    public static final class Builder extends PanoptimOptimizer.Builder<Builder> {
        private float alpha = 0.99f, eps = 1e-8f, momentum;
        private boolean centered, maximize;

        Builder() {
            super(1e-2f);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** The smoothing constant of the squared-gradient average. */
        public Builder optAlpha(float alpha) {
            this.alpha = alpha;
            return this;
        }

        public Builder optEpsilon(float eps) {
            this.eps = eps;
            return this;
        }

        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Normalises by the gradient's estimated variance instead of its second moment. */
        public Builder optCentered(boolean centered) {
            this.centered = centered;
            return this;
        }

        public Builder optMaximize(boolean maximize) {
            this.maximize = maximize;
            return this;
        }

        @Override
        public FusedRmsProp build() {
            if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("RMSprop: alpha must be in [0, 1], got " + alpha);
            if (!(eps >= 0) || Float.isInfinite(eps)) throw new IllegalArgumentException("RMSprop: eps must be finite and >= 0, got " + eps);
            if (!(momentum >= 0) || Float.isInfinite(momentum)) throw new IllegalArgumentException("RMSprop: momentum must be finite and >= 0, got " + momentum);
            return new FusedRmsProp(this);
        }
    }
}
