package dev.panoptim.optim;

import dev.panoptim.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The step shared by {@link Adam} and {@link AdamW}: one maths routine with a mode for the family
 * (as PyTorch's FusedAdamMathFunctor); the native kernel takes the weight-decay mode as a flag.
 * The per-param step count lives here and the native call receives the step being taken; in
 * capturable mode the lr and the counts live on the device instead ({@link DeviceScalars}). A step
 * with AMP's found-inf ({@link GradScaler}) moves a group's counts to the device too, for good: the
 * kernel then leaves them unchanged on a skipped step, as torch's fused Adam does, without the host
 * having to read found-inf.
 */
abstract class AdamFamily extends Optimizer {
    private final boolean decoupled;
    private final boolean capturable;
    /** Capturable mode or AMP: per group, the lr and step counts on the device (made by the first such step). */
    private final Map<ParamGroup, DeviceScalars> scalarsByGroup = new IdentityHashMap<>();

    AdamFamily(String name, boolean decoupled, AdamFamilyBuilder<?> b) {
        super(name, b);
        this.decoupled = decoupled;
        this.capturable = b.capturable;
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
        boolean deviceCounts = capturable || extras.foundInf() != null || scalarsByGroup.containsKey(g);
        DeviceScalars scalars = deviceCounts ? deviceScalars(g, params, states) : null;
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
        if (scalars != null) {
            StepExtras captured = scalars.extras(extras);
            if (decoupled) FusedSteps.adamw(params.get(0).device(), p, grads, m, v, vmax, null, options, captured);
            else FusedSteps.adam(params.get(0).device(), p, grads, m, v, vmax, null, options, captured);
            return;  // the counts advanced on the device; readStepCounts() brings them back
        }
        if (decoupled) FusedSteps.adamw(params.get(0).device(), p, grads, m, v, vmax, steps, options, extras);
        else FusedSteps.adam(params.get(0).device(), p, grads, m, v, vmax, steps, options, extras);
        for (int i = 0; i < n; i++) states.get(i).step = steps[i];
    }

    /** The group's device lr and step counts, made at its first capturable step; the lr kept current. */
    private DeviceScalars deviceScalars(ParamGroup g, List<Tensor> params, List<ParamState> states) {
        if (params.size() != g.params().size()) {
            throw new IllegalStateException((capturable ? "capturable " : "AMP-scaled ") + this + ": "
                    + (g.params().size() - params.size()) + " of the " + g.params().size() + " params of a group have no"
                    + " grad (or a grad of the other dtype); a step with step counts on the device (capturable, or with a"
                    + " GradScaler) updates every param of its group in one call (give each a grad of one dtype, e.g."
                    + " zeroGrad(false), or leave frozen params out of the optimizer)");
        }
        DeviceScalars s = scalarsByGroup.get(g);
        if (s == null) {
            s = new DeviceScalars(params.get(0).device(), states);
            scalarsByGroup.put(g, s);
            DeviceScalars made = s;
            g.onChange(() -> made.setLr(g.lr()));
        }
        s.setLr(g.lr());
        return s;
    }

    @Override
    final void readStepCounts() {
        scalarsByGroup.values().forEach(DeviceScalars::readStepCounts);
    }

    @Override
    final void stateReplaced() {
        // The loaded counts are in the new ParamStates: the next step makes the device copies again.
        scalarsByGroup.keySet().forEach(g -> g.onChange(null));
        scalarsByGroup.values().forEach(DeviceScalars::close);
        scalarsByGroup.clear();
    }

    @Override
    public void close() {
        stateReplaced();
        super.close();
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
