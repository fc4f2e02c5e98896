package dev.panoptim.optim;

import java.util.List;

/**
 * AdamW, torch.optim.AdamW's algorithm: Adam with decoupled weight decay, {@code p *= 1 - lr * wd}
 * before the Adam update (see {@link Adam} for the
 * rest). Defaults: lr 1e-3, betas (0.9, 0.999),
 * eps 1e-8, weight decay 0.01.
 *
 * <pre>{@code Optimizer opt = AdamW.builder(params).lr(1e-3).weightDecay(0.01).build();}</pre>
 */
public final class AdamW extends AdamFamily {
    private AdamW(Builder b) {
        super("AdamW", true, b);
    }

    /** A builder over a {@code List<Tensor>} or a {@code List<ParamGroup>}. */
    public static Builder builder(List<?> params) {
        return new Builder(params);
    }

    /** Builds an {@link AdamW} with torch's defaults. */
    public static final class Builder extends AdamFamilyBuilder<Builder> {
        private Builder(List<?> params) {
            super(schema("AdamW", 1e-2), params);
        }

        @Override
        public AdamW build() {
            return new AdamW(this);
        }
    }
}
