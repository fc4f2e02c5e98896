package dev.panoptim.optim;

import dev.panoptim.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with momentum, torch.optim.SGD's algorithm, one fused native call per
 * group. With g = grad (negated if maximize):
 * <pre>
 *   g += weight_decay * p
 *   buf = g on the first step, else buf = momentum * buf + (1 - dampening) * g     (if momentum != 0)
 *   g = nesterov ? g + momentum * buf : buf
 *   p -= lr * g
 * </pre>
 * There is no default lr. State per param: {@code momentum_buffer} (only when momentum != 0).
 *
 * <pre>{@code Optimizer sgd = SGD.builder(params).lr(0.1).momentum(0.9).nesterov(true).build();}</pre>
 */
public final class SGD extends Optimizer {
    static final String MOMENTUM_BUFFER = "momentum_buffer";

    private SGD(Builder b) {
        super("SGD", b);
    }

    /** A builder over a {@code List<Tensor>} or a {@code List<ParamGroup>}. */
    public static Builder builder(List<?> params) {
        return new Builder(params);
    }

    static OptionSchema schema() {
        return new OptionSchema("SGD")
                .number("lr", null, 0.0)
                .number("momentum", 0.0, 0.0)
                .number("dampening", 0.0, Double.NEGATIVE_INFINITY)
                .number("weight_decay", 0.0, 0.0)
                .bool("nesterov", false)
                .bool("maximize", false);
    }

    @Override
    void checkGroup(Map<String, Object> o, String where) {
        double momentum = (Double) o.get("momentum");
        double dampening = (Double) o.get("dampening");
        if (Boolean.TRUE.equals(o.get("nesterov")) && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD " + where + ": nesterov momentum requires a momentum > 0 and zero dampening"
                    + " (got momentum " + momentum + ", dampening " + dampening + ")");
        }
    }

    @Override
    void stepGroup(ParamGroup g, List<Tensor> params, List<ParamState> states, StepExtras extras) {
        double momentum = g.getDouble("momentum");
        int n = params.size();
        List<MemorySegment> p = new ArrayList<>(n), grads = new ArrayList<>(n), bufs = null;
        boolean[] isNew = null;
        for (Tensor t : params) {
            p.add(t.nativeSegment());
            grads.add(t.grad().nativeSegment());
        }
        if (momentum != 0) {
            bufs = new ArrayList<>(n);
            isNew = new boolean[n];
            for (int i = 0; i < n; i++) {
                isNew[i] = states.get(i).buffer(MOMENTUM_BUFFER) == null;
                bufs.add(states.get(i).bufferOrZeros(MOMENTUM_BUFFER, params.get(i)).nativeSegment());
            }
        }
        FusedSteps.sgd(params.get(0).device(), p, grads, bufs, isNew, new FusedSteps.SgdOptions(g.lr(), momentum,
                g.getDouble("dampening"), g.getDouble("weight_decay"), g.getBoolean("nesterov"), g.getBoolean("maximize")), extras);
    }

    @Override
    Set<String> bufferNames() {
        return Set.of(MOMENTUM_BUFFER);
    }

    @Override
    boolean tracksStep() {
        return false;
    }

    /** Builds an {@link SGD}; defaults are torch's except that lr must be given (here or in every group). */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private Builder(List<?> params) {
            super(schema(), params);
        }

        public Builder momentum(double momentum) {
            return option("momentum", momentum);
        }

        public Builder dampening(double dampening) {
            return option("dampening", dampening);
        }

        public Builder nesterov(boolean nesterov) {
            return option("nesterov", nesterov);
        }

        @Override
        public SGD build() {
            return new SGD(this);
        }
    }
}
