package dev.panoptim.djl;

import dev.panoptim.optim.FusedSteps;
import dev.panoptim.optim.StepExtras;
import dev.panoptim.tensor.Device;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * torch's Adam (L2 weight decay) or AdamW (decoupled: {@code p *= 1 - lr * wd}) as a DJL optimizer,
 * on panoptim's fused kernel, with amsgrad and maximize. torch's maths: per-parameter step counts
 * and eps added after the bias-corrected root ({@code p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)});
 * DJL's own Adam adds eps before the correction, a difference of {@code eps * (1 - sqrt(bc2))} in the
 * denominator.
 *
 * <pre>{@code
 * Optimizer adamW = PanoptimOptimizers.adamW().optLearningRate(1e-3f).optWeightDecays(0.05f).build();
 * }</pre>
 */
public final class FusedAdam extends PanoptimOptimizer {
    private final boolean decoupled;
    private final double beta1, beta2, eps;
    private final boolean amsgrad, maximize;

    private FusedAdam(Builder b) {
        super(b.decoupled ? "AdamW" : "Adam", b);
        decoupled = b.decoupled;
        beta1 = decimal(b.beta1);
        beta2 = decimal(b.beta2);
        eps = decimal(b.eps);
        amsgrad = b.amsgrad;
        maximize = b.maximize;
    }

    /** True for AdamW (decoupled weight decay). */
    public boolean isDecoupled() {
        return decoupled;
    }

    @Override
    void step(ParamSlot slot, MemorySegment param, MemorySegment grad, float lr, float weightDecay, StepExtras extras) {
        var o = new FusedSteps.AdamOptions(decimal(lr), beta1, beta2, eps, decimal(weightDecay), amsgrad, maximize);
        long[] steps = {slot.step + 1};
        List<MemorySegment> p = List.of(param), g = List.of(grad), m = List.of(slot.buffer("exp_avg")),
                v = List.of(slot.buffer("exp_avg_sq"));
        List<MemorySegment> vmax = amsgrad ? List.of(slot.buffer("max_exp_avg_sq")) : null;
        if (decoupled) FusedSteps.adamw(Device.CPU, p, g, m, v, vmax, steps, o, extras);
        else FusedSteps.adam(Device.CPU, p, g, m, v, vmax, steps, o, extras);
        slot.step = steps[0];
    }

    /** Builds {@link FusedAdam}; torch's defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8; AdamW's weight decay 0.01). */
    public static final class Builder extends PanoptimOptimizer.Builder<Builder> {
        private final boolean decoupled;
        private float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
        private boolean amsgrad, maximize;

        Builder(boolean decoupled) {
            super(1e-3f);
            this.decoupled = decoupled;
            if (decoupled) optWeightDecays(0.01f);
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optBeta1(float beta1) {
            this.beta1 = beta1;
            return this;
        }

        public Builder optBeta2(float beta2) {
            this.beta2 = beta2;
            return this;
        }

        public Builder optEpsilon(float eps) {
            this.eps = eps;
            return this;
        }

        /** Uses the maximum of past squared-gradient averages (AMSGrad). */
        public Builder optAmsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return this;
        }

        public Builder optMaximize(boolean maximize) {
            this.maximize = maximize;
            return this;
        }

        @Override
        public FusedAdam build() {
            String name = decoupled ? "AdamW" : "Adam";
            if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException(name + ": beta1 must be in [0, 1), got " + beta1);
            if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException(name + ": beta2 must be in [0, 1), got " + beta2);
            if (!(eps >= 0) || Float.isInfinite(eps)) throw new IllegalArgumentException(name + ": eps must be finite and >= 0, got " + eps);
            return new FusedAdam(this);
        }
    }
}
