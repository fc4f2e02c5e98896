package dev.panoptim.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain float64 model of torch.optim's bookkeeping, the specification the parity tests check
 * panoptim against: param groups with their own options (missing ones taken from the defaults),
 * per-param state created on the param's first grad, params whose grad is null skipped. Each
 * subclass writes one algorithm's update element by element, from the pseudocode on its
 * torch.optim documentation page (https://pytorch.org/docs/stable/optim.html#algorithms) and
 * torch's single-tensor implementation where the page is vague (where maximize applies).
 *
 * <p>Written independently of panoptim's C kernels on purpose: it is the other side of the check.
 * Not tuned for anything but reading.
 */
abstract class ReferenceOptimizer {

    /** A parameter: float64 values, the grad of the coming step (null: skipped), its state (null until its first grad). */
    static final class Param {
        final String name;
        final double[] data;
        double[] grad;
        State state;

        Param(String name, float[] initial) {
            this.name = name;
            this.data = new double[initial.length];
            for (int i = 0; i < initial.length; i++) data[i] = initial[i];
        }

        /** Sets the grad the kernels see: the float32 values, widened exactly. */
        void setGrad(float[] g) {
            if (g == null) {
                grad = null;
                return;
            }
            grad = new double[g.length];
            for (int i = 0; i < g.length; i++) grad[i] = g[i];
        }
    }

    /** torch's {@code optimizer.state[p]}: the step count (for the optimizers that keep one) and named buffers. */
    static final class State {
        long step;
        final Map<String, double[]> buffers = new LinkedHashMap<>();

        /** The named buffer of {@code n} values, created as zeros if missing (torch's {@code zeros_like(p)}). */
        double[] zeros(String name, int n) {
            return buffers.computeIfAbsent(name, k -> new double[n]);
        }
    }

    /** A param group: its params and its options (torch's names; lr may change between steps). */
    static final class Group {
        final List<Param> params;
        final Map<String, Object> options;

        Group(List<Param> params, Map<String, Object> options) {
            this.params = List.copyOf(params);
            this.options = options;
        }

        double num(String key) {
            return ((Number) options.get(key)).doubleValue();
        }

        boolean flag(String key) {
            return (Boolean) options.get(key);
        }

        double[] pair(String key) {
            return (double[]) options.get(key);
        }

        void setLr(double lr) {
            options.put("lr", lr);
        }
    }

    private final Map<String, Object> defaults;
    private final List<Group> groups = new ArrayList<>();

    /** {@code defaults}: every option of the algorithm with its value for groups that do not set it. */
    ReferenceOptimizer(Map<String, Object> defaults) {
        this.defaults = new LinkedHashMap<>(defaults);
    }

    /** torch's {@code add_param_group}: {@code options} override the defaults for this group only. */
    Group addParamGroup(List<Param> params, Map<String, Object> options) {
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        for (Map.Entry<String, Object> e : options.entrySet()) {
            if (!defaults.containsKey(e.getKey())) throw new IllegalArgumentException("unknown option " + e.getKey());
            merged.put(e.getKey(), e.getValue());
        }
        Group g = new Group(params, merged);
        groups.add(g);
        return g;
    }

    List<Group> groups() {
        return Collections.unmodifiableList(groups);
    }

    /** One step: every param with a grad, group by group, with its group's current options. */
    void step() {
        for (Group g : groups) {
            for (Param p : g.params) {
                if (p.grad != null) update(g, p);
            }
        }
    }

    /** The update of one param that has a grad; creates the param's state as torch does. */
    abstract void update(Group group, Param param);

    /** The step count torch keeps in the param's state, 0 where it keeps none. */
    static long stepCount(Param p) {
        return p.state == null ? 0 : p.state.step;
    }

    /** The grad as the algorithm uses it: negated when maximizing (torch negates first, before weight decay). */
    static double[] signedGrad(Group g, Param p) {
        double[] grad = p.grad.clone();
        if (g.flag("maximize")) {
            for (int i = 0; i < grad.length; i++) grad[i] = -grad[i];
        }
        return grad;
    }
}
