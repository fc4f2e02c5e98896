package dev.panoptim.optim;

import dev.panoptim.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The step shared by {@link Adam} and {@link AdamW}: one maths routine with a mode for the family
 * (as PyTorch's FusedAdamMathFunctor); the native kernel takes the weight-decay mode as a flag.
 * The per-param step count lives here and the native call receives the step being taken.
 */
abstract class AdamFamily extends Optimizer {
    private final boolean decoupled;

    AdamFamily(String name, boolean decoupled, OptimizerBuilder<?> b) {
        super(name, b);
        this.decoupled = decoupled;
    }

    @Override
    final void stepGroup(ParamGroup g, List<Tensor> params, List<ParamState> states, StepExtras extras) {
        boolean amsgrad = g.getBoolean("amsgrad");
        double[] betas = (double[]) g.get("betas");
        int n = params.size();
        List<MemorySegment> p = new ArrayList<>(n), grads = new ArrayList<>(n), m = new ArrayList<>(n),
                v = new ArrayList<>(n);
        List<MemorySegment> vmax = amsgrad ? new ArrayList<>(n) : null;
        long[] steps = new long[n];
        for (int i = 0; i < n; i++) {
            Tensor t = params.get(i);
            ParamState s = states.get(i);
            p.add(t.nativeSegment());
            grads.add(t.grad().nativeSegment());
            m.add(s.bufferOrZeros("exp_avg", t).nativeSegment());
            v.add(s.bufferOrZeros("exp_avg_sq", t).nativeSegment());
            if (vmax != null) vmax.add(s.bufferOrZeros("max_exp_avg_sq", t).nativeSegment());
            steps[i] = s.step + 1;
        }
        var options = new FusedSteps.AdamOptions(g.lr(), betas[0], betas[1], g.getDouble("eps"),
                g.getDouble("weight_decay"), amsgrad, g.getBoolean("maximize"));
        if (decoupled) FusedSteps.adamw(params.get(0).device(), p, grads, m, v, vmax, steps, options, extras);
        else FusedSteps.adam(params.get(0).device(), p, grads, m, v, vmax, steps, options, extras);
        for (int i = 0; i < n; i++) states.get(i).step = steps[i];
    }

    @Override
    final Set<String> bufferNames() {
        return Set.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq");
    }

    @Override
    final boolean tracksStep() {
        return true;
    }
}
