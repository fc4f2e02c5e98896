package dev.panoptim.optim;

import java.util.List;

/**
 * The options Adam and AdamW share: betas, eps, amsgrad (plus lr, weight decay, maximize).
 *
 * <pre>{@code Adam.builder(params).lr(1e-3).betas(0.9, 0.999).eps(1e-8).amsgrad(true).build();}</pre>
 *
 * @param <B> the concrete builder
 */
public abstract class AdamFamilyBuilder<B extends AdamFamilyBuilder<B>> extends OptimizerBuilder<B> {
    boolean capturable;

    AdamFamilyBuilder(OptionSchema schema, List<?> params) {
        super(schema, params);
    }

    static OptionSchema schema(String name, double weightDecay) {
        return new OptionSchema(name)
                .number("lr", 1e-3, 0.0)
                .betas("betas", 0.9, 0.999)
                .number("eps", 1e-8, 0.0)
                .number("weight_decay", weightDecay, 0.0)
                .bool("amsgrad", false)
                .bool("maximize", false);
    }

    /** Coefficients of the running averages of the gradient and its square, each in [0, 1). */
    public B betas(double beta1, double beta2) {
        return option("betas", new double[] {beta1, beta2});
    }

    /** Term added to the denominator for numerical stability. */
    public B eps(double eps) {
        return option("eps", eps);
    }

    /** Use the AMSGrad variant (the maximum of past squared-gradient averages). */
    public B amsgrad(boolean amsgrad) {
        return option("amsgrad", amsgrad);
    }

    /**
     * torch's {@code capturable}: each group keeps its learning rate and its params' step counts in
     * memory of the params' device, and the fused step reads them there, so that a step captured in
     * a {@code dev.panoptim.runtime.CudaGraph} uses the lr and counts of each replay instead of
     * baking in those of the capture. {@code setLr} then writes the new lr to the device at once
     * (between replays; during a capture it is refused). Every param of a group must have a grad
     * at each step. Off by default.
     */
    public B capturable(boolean capturable) {
        this.capturable = capturable;
        return self();
    }
}
