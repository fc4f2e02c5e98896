package dev.panoptim.optim;

import java.util.List;

/**
 * Adam, torch.optim.Adam's algorithm (weight decay as an L2 term added to the grad), one fused
 * native call per group. With g = grad (negated if maximize) and t the param's step:
 * <pre>
 *   g += weight_decay * p
 *   m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g^2
 *   v_hat = amsgrad ? (max_v = max(max_v, v)) : v
 *   p -= lr / (1 - beta1^t) * m / (sqrt(v_hat) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0. State: step, exp_avg,
 * exp_avg_sq, max_exp_avg_sq (amsgrad).
 *
 * <pre>{@code Optimizer opt = Adam.builder(params).lr(1e-3).betas(0.9, 0.999).build();}</pre>
 */
public final class Adam extends AdamFamily {
    private Adam(Builder b) {
        super("Adam", false, b);
    }

    /** A builder over a {@code List<Tensor>} or a {@code List<ParamGroup>}. */
    public static Builder builder(List<?> params) {
        return new Builder(params);
    }

    /** Builds an {@link Adam} with torch's defaults. */
    public static final class Builder extends AdamFamilyBuilder<Builder> {
        private Builder(List<?> params) {
            super(schema("Adam", 0.0), params);
        }

        @Override
        public Adam build() {
            return new Adam(this);
        }
    }
}
