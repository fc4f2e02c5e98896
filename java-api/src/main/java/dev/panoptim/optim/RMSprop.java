package dev.panoptim.optim;

import dev.panoptim.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * RMSprop, torch.optim.RMSprop's algorithm, one fused native call per group. With g = grad (negated
 * if maximize):
 * <pre>
 *   g += weight_decay * p
 *   square_avg = alpha * square_avg + (1 - alpha) * g^2
 *   avg = sqrt(square_avg - grad_avg^2) + eps  (centered, grad_avg = lerp(grad_avg, g, 1 - alpha))
 *   avg = sqrt(square_avg) + eps                (otherwise)
 *   buf = momentum * buf + g / avg;  p -= lr * buf     (momentum > 0)
 *   p -= lr * g / avg                                   (otherwise)
 * </pre>
 * Defaults: lr 0.01, alpha 0.99, eps 1e-8. State: step, square_avg, momentum_buffer (momentum > 0),
 * grad_avg (centered).
 *
 * <pre>{@code Optimizer opt = RMSprop.builder(params).lr(0.01).momentum(0.9).centered(true).build();}</pre>
 */
public final class RMSprop extends Optimizer {
    private RMSprop(Builder b) {
        super("RMSprop", b);
    }

    /** A builder over a {@code List<Tensor>} or a {@code List<ParamGroup>}. */
    public static Builder builder(List<?> params) {
        return new Builder(params);
    }

    static OptionSchema schema() {
        return new OptionSchema("RMSprop")
                .number("lr", 1e-2, 0.0)
                .number("alpha", 0.99, 0.0)
                .number("eps", 1e-8, 0.0)
                .number("weight_decay", 0.0, 0.0)
                .number("momentum", 0.0, 0.0)
                .bool("centered", false)
                .bool("maximize", false);
    }

    @Override
    void stepGroup(ParamGroup g, List<Tensor> params, List<ParamState> states, StepExtras extras) {
        double momentum = g.getDouble("momentum");
        boolean centered = g.getBoolean("centered");
        int n = params.size();
        List<MemorySegment> p = new ArrayList<>(n), grads = new ArrayList<>(n), sq = new ArrayList<>(n);
        List<MemorySegment> bufs = momentum > 0 ? new ArrayList<>(n) : null;
        List<MemorySegment> gavg = centered ? new ArrayList<>(n) : null;
        for (int i = 0; i < n; i++) {
            Tensor t = params.get(i);
            ParamState s = states.get(i);
            p.add(t.nativeSegment());
            grads.add(t.grad().nativeSegment());
            sq.add(s.bufferOrZeros("square_avg", t).nativeSegment());
            if (bufs != null) bufs.add(s.bufferOrZeros("momentum_buffer", t).nativeSegment());
            if (gavg != null) gavg.add(s.bufferOrZeros("grad_avg", t).nativeSegment());
        }
        FusedSteps.rmsprop(params.get(0).device(), p, grads, sq, bufs, gavg, new FusedSteps.RmspropOptions(g.lr(),
                g.getDouble("alpha"), g.getDouble("eps"), g.getDouble("weight_decay"), momentum, centered,
                g.getBoolean("maximize")), extras);
        for (ParamState s : states) s.step++;
    }

    @Override
    Set<String> bufferNames() {
        return Set.of("square_avg", "momentum_buffer", "grad_avg");
    }

    @Override
    boolean tracksStep() {
        return true;
    }

    /** Builds an {@link RMSprop} with torch's defaults. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private Builder(List<?> params) {
            super(schema(), params);
        }

        public Builder alpha(double alpha) {
            return option("alpha", alpha);
        }

        public Builder eps(double eps) {
            return option("eps", eps);
        }

        public Builder momentum(double momentum) {
            return option("momentum", momentum);
        }

        public Builder centered(boolean centered) {
            return option("centered", centered);
        }

        @Override
        public RMSprop build() {
            return new RMSprop(this);
        }
    }
}
