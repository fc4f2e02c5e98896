package dev.panoptim.optim;

import dev.panoptim.optim.ReferenceOptimizer.Param;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Devices;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * panoptim's fused optimizers, on every available device ({@link Devices}), against the float64 torch.optim reference ({@link ReferenceOptimizer}),
 * for every optimizer and option combination: after every step, every param, every state buffer and
 * every step count must match. The scenario of each case:
 * <ul>
 *   <li>group 0 takes the case's options as the optimizer defaults; group 1 has its own lr and weight
 *       decay; group 2 joins via addParamGroup before step 5 with its own options;</li>
 *   <li>params of 1, 7, 37 and 1,000,003 elements (65,537 on CUDA: a chunk of 65,536 and a tail), so the
 *       kernels' vector tails and OpenMP chunks (CUDA chunks) run;</li>
 *   <li>some params have no grad on some steps (skipped), some none until a late step (no state until
 *       then), one never has one;</li>
 *   <li>the lr of groups 0 and 2 changes before step 7 via {@link ParamGroup#setLr}.</li>
 * </ul>
 * Both sides start from the same float32 params and see the same float32 grads (random, fixed seed,
 * never zero).
 */
class OptimizerParityTest {
    /**
     * Tolerance of every comparison: |panoptim - reference| <= ATOL + RTOL * |reference|. panoptim
     * computes in float32 (relative rounding 6e-8 per operation) and a dozen steps compound a few
     * roundings per element; ATOL covers values that come out of a cancellation (a param crossing
     * zero, an average of terms of both signs), whose float32 error is relative to the larger terms:
     * params ~1, grads ~1, and RMSprop's g / (sqrt(v) + eps), about +-10 on a param's first step,
     * summed into its momentum buffer. The largest share of it used is printed after the class
     * (about 30%, RMSprop's momentum buffer; 6% or less elsewhere).
     */
    private static final double RTOL = 1e-5;
    private static final double ATOL = 1e-5;

    private static final int STEPS = 12;
    private static final int BIG = 1_000_003;
    private static final List<String> BUFFERS = List.of("momentum_buffer", "square_avg", "grad_avg", "exp_avg",
            "exp_avg_sq", "max_exp_avg_sq");

    enum Algo { SGD, RMSPROP, ADAM, ADAMW }

    /** An option combination: {@code options} are given to the panoptim builder; torch's defaults fill the rest. */
    record Case(String name, Algo algo, Map<String, Object> options) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Largest differences seen per optimizer: |a - b| over params, over state, and the share of the tolerance used. */
    private static final Map<Algo, double[]> LARGEST = new EnumMap<>(Algo.class);
    private static final Map<Algo, String> CLOSEST_CALL = new EnumMap<>(Algo.class);

    /** Every case on every available device. */
    static Stream<Arguments> casesOnDevices() {
        return Devices.list().stream().flatMap(d -> cases().map(c -> Arguments.of(d, c)));
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // SGD: lr has no default in torch; each flag alone, then all together (nesterov excludes dampening).
        c.add(new Case("SGD plain", Algo.SGD, opts("lr", 0.05)));
        c.add(new Case("SGD momentum", Algo.SGD, opts("lr", 0.05, "momentum", 0.9)));
        c.add(new Case("SGD momentum+dampening", Algo.SGD, opts("lr", 0.05, "momentum", 0.9, "dampening", 0.3)));
        c.add(new Case("SGD nesterov", Algo.SGD, opts("lr", 0.05, "momentum", 0.9, "nesterov", true)));
        c.add(new Case("SGD weight_decay", Algo.SGD, opts("lr", 0.05, "weight_decay", 0.1)));
        c.add(new Case("SGD maximize", Algo.SGD, opts("lr", 0.05, "maximize", true)));
        c.add(new Case("SGD all (dampening)", Algo.SGD, opts("lr", 0.05, "momentum", 0.9, "dampening", 0.3,
                "weight_decay", 0.1, "maximize", true)));
        c.add(new Case("SGD all (nesterov)", Algo.SGD, opts("lr", 0.05, "momentum", 0.9, "nesterov", true,
                "weight_decay", 0.1, "maximize", true)));
        // RMSprop
        c.add(new Case("RMSprop plain", Algo.RMSPROP, opts("lr", 0.01)));
        c.add(new Case("RMSprop momentum", Algo.RMSPROP, opts("lr", 0.01, "momentum", 0.8)));
        c.add(new Case("RMSprop centered", Algo.RMSPROP, opts("lr", 0.01, "centered", true)));
        c.add(new Case("RMSprop weight_decay", Algo.RMSPROP, opts("lr", 0.01, "weight_decay", 0.1)));
        c.add(new Case("RMSprop maximize", Algo.RMSPROP, opts("lr", 0.01, "maximize", true)));
        c.add(new Case("RMSprop alpha+eps", Algo.RMSPROP, opts("lr", 0.01, "alpha", 0.9, "eps", 1e-2)));
        c.add(new Case("RMSprop all", Algo.RMSPROP, opts("lr", 0.01, "momentum", 0.8, "centered", true,
                "weight_decay", 0.1, "maximize", true, "alpha", 0.9, "eps", 1e-2)));
        // Adam and AdamW (AdamW's default weight decay is 0.01, so its "plain" case decays).
        for (Algo a : List.of(Algo.ADAM, Algo.ADAMW)) {
            String n = a == Algo.ADAM ? "Adam" : "AdamW";
            c.add(new Case(n + " plain", a, opts("lr", 0.05)));
            c.add(new Case(n + " amsgrad", a, opts("lr", 0.05, "amsgrad", true)));
            c.add(new Case(n + " weight_decay", a, opts("lr", 0.05, "weight_decay", 0.2)));
            c.add(new Case(n + " maximize", a, opts("lr", 0.05, "maximize", true)));
            c.add(new Case(n + " betas+eps", a, opts("lr", 0.05, "betas", new double[] {0.8, 0.95}, "eps", 1e-3)));
            c.add(new Case(n + " all", a, opts("lr", 0.05, "amsgrad", true, "weight_decay", 0.2, "maximize", true,
                    "betas", new double[] {0.8, 0.95}, "eps", 1e-3)));
        }
        return c.stream();
    }

    /** torch's defaults of each optimizer (SGD's lr is required, so every case sets it). */
    private static Map<String, Object> torchDefaults(Algo algo) {
        return switch (algo) {
            case SGD -> opts("momentum", 0.0, "dampening", 0.0, "weight_decay", 0.0, "nesterov", false, "maximize", false);
            case RMSPROP -> opts("lr", 1e-2, "alpha", 0.99, "eps", 1e-8, "weight_decay", 0.0, "momentum", 0.0,
                    "centered", false, "maximize", false);
            case ADAM, ADAMW -> opts("lr", 1e-3, "betas", new double[] {0.9, 0.999}, "eps", 1e-8,
                    "weight_decay", algo == Algo.ADAM ? 0.0 : 1e-2, "amsgrad", false, "maximize", false);
        };
    }

    /** Group 1's own options: a smaller lr and its own weight decay. */
    private static Map<String, Object> group1Options(Case c) {
        double lr = ((Number) c.options().get("lr")).doubleValue();
        return opts("lr", 0.4 * lr, "weight_decay", c.algo() == Algo.ADAMW ? 0.3 : 0.05);
    }

    /** Options of the group added by addParamGroup before step 5 (the rest from the defaults). */
    private static Map<String, Object> group2Options(Algo algo) {
        return switch (algo) {
            case SGD -> opts("lr", 0.03, "momentum", 0.5);
            case RMSPROP -> opts("lr", 0.005, "alpha", 0.9, "momentum", 0.5);
            case ADAM, ADAMW -> opts("lr", 0.02, "betas", new double[] {0.85, 0.99}, "amsgrad", true);
        };
    }

    /** A param on both sides, with the steps on which it has a grad. */
    private record Slot(String name, Tensor tensor, Param ref, IntPredicate hasGrad) {}

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("casesOnDevices")
    void matchesTorchReferenceAfterEveryStep(Device device, Case c) {
        SplittableRandom rnd = new SplittableRandom(0x5EED_0000L + c.name().hashCode());
        int big = Devices.big(device, BIG);
        List<Slot> group0 = List.of(
                slot(device, "a[1]", 1, rnd, s -> s >= 3),               // no grad (and so no state) before step 3
                slot(device, "b[7]", 7, rnd, s -> s % 4 != 0),
                slot(device, "c[37]", 37, rnd, s -> s % 5 != 2),
                slot(device, "big[" + big + "]", big, rnd, s -> s != 6));
        List<Slot> group1 = List.of(
                slot(device, "d[7]", 7, rnd, s -> s % 3 != 1),
                slot(device, "e[1]", 1, rnd, s -> true),
                slot(device, "never[7]", 7, rnd, s -> false));          // never a grad: never any state
        List<Slot> group2 = List.of(
                slot(device, "g[7]", 7, rnd, s -> true),
                slot(device, "h[1]", 1, rnd, s -> s >= 8),
                slot(device, "q[37]", 37, rnd, s -> s % 2 == 1));
        List<Slot> all = new ArrayList<>(group0);
        all.addAll(group1);
        Set<Slot> hadGrad = new HashSet<>();
        try {
            ParamGroup pg0 = ParamGroup.of(tensors(group0));
            ParamGroup pg1 = ParamGroup.of(tensors(group1));
            group1Options(c).forEach(pg1::set);
            ReferenceOptimizer ref = reference(c.algo(), merged(torchDefaults(c.algo()), c.options()));
            ReferenceOptimizer.Group rg0 = ref.addParamGroup(refs(group0), Map.of());
            ref.addParamGroup(refs(group1), group1Options(c));
            ReferenceOptimizer.Group rg2 = null;
            try (Optimizer opt = build(c.algo(), List.of(pg0, pg1), c.options())) {
                for (int step = 1; step <= STEPS; step++) {
                    if (step == 5) {
                        ParamGroup pg2 = ParamGroup.of(tensors(group2));
                        group2Options(c.algo()).forEach(pg2::set);
                        opt.addParamGroup(pg2);
                        rg2 = ref.addParamGroup(refs(group2), group2Options(c.algo()));
                        all.addAll(group2);
                    }
                    if (step == 7) {
                        for (int g : new int[] {0, 2}) {
                            ParamGroup pg = opt.paramGroups().get(g);
                            ReferenceOptimizer.Group rg = g == 0 ? rg0 : rg2;
                            double lr = rg.num("lr") * (g == 0 ? 0.3 : 2.0);
                            pg.setLr(lr);
                            rg.setLr(lr);
                        }
                    }
                    for (Slot s : all) {
                        float[] g = s.hasGrad().test(step) ? nextGrad(rnd, c.algo(), ref, s.ref()) : null;
                        s.tensor().setGrad(g == null ? null : Tensor.of(device, g, s.tensor().shape()));
                        s.ref().setGrad(g);
                        if (g != null) hadGrad.add(s);
                    }
                    opt.step();
                    ref.step();
                    compare(c, step, opt, all, hadGrad);
                }
            }
        } finally {
            for (Slot s : group0) s.tensor().close();
            for (Slot s : group1) s.tensor().close();
            for (Slot s : group2) s.tensor().close();
        }
    }

    /** Every param, state buffer, step count and state-dict entry of panoptim against the reference. */
    private static void compare(Case c, int step, Optimizer opt, List<Slot> all, Set<Slot> hadGrad) {
        String at = c + " on " + s0(all).device() + ", after step " + step;
        for (Slot s : all) {
            Param p = s.ref();
            String where = at + ", param " + s.name();
            if (!hadGrad.contains(s)) { // skipped so far: no state at all, on either side
                assertNull(p.state, where + ": the reference created state before the first grad");
                assertEquals(0, opt.stepCount(s.tensor()), where + ": step count before the first grad");
                for (String b : BUFFERS) assertNull(opt.stateBuffer(s.tensor(), b), where + ": '" + b + "' before the first grad");
            }
            assertClose(c.algo(), false, where + ": param values", s.tensor().toFloatArray(), p.data);
            assertEquals(ReferenceOptimizer.stepCount(p), opt.stepCount(s.tensor()), where + ": step count");
            for (String b : BUFFERS) {
                double[] expected = p.state == null ? null : p.state.buffers.get(b);
                float[] actual = opt.stateBuffer(s.tensor(), b);
                if (expected == null) {
                    assertNull(actual, where + ": panoptim has a '" + b + "' buffer that torch does not create");
                } else {
                    if (actual == null) fail(where + ": panoptim has no '" + b + "' buffer");
                    assertClose(c.algo(), true, where + ": state '" + b + "'", actual, expected);
                }
            }
        }
        // The state dict holds exactly the params torch holds state for, with torch's keys.
        StateDict dict = opt.stateDict();
        Map<Integer, Set<String>> expectedKeys = new LinkedHashMap<>();
        Map<Integer, Set<String>> actualKeys = new LinkedHashMap<>();
        int index = 0;
        for (ParamGroup g : opt.paramGroups()) {
            for (Tensor t : g.params()) {
                Param p = all.stream().filter(s -> s.tensor() == t).findFirst().orElseThrow().ref();
                if (p.state != null) {
                    Set<String> keys = new TreeSet<>(p.state.buffers.keySet());
                    if (c.algo() != Algo.SGD) keys.add("step");
                    expectedKeys.put(index, keys);
                }
                if (dict.state().containsKey(index)) actualKeys.put(index, new TreeSet<>(dict.state().get(index).keySet()));
                index++;
            }
        }
        assertEquals(expectedKeys, actualKeys, at + ": state dict entries (param index -> keys)");
    }

    /** Asserts |actual - expected| <= ATOL + RTOL * |expected| everywhere, naming the worst element. */
    private static void assertClose(Algo algo, boolean state, String what, float[] actual, double[] expected) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worstRatio = 0, largestAbs = 0;
        int worst = -1;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(actual[i] - expected[i]);
            double ratio = diff / (ATOL + RTOL * Math.abs(expected[i]));
            if (!(ratio <= worstRatio)) { // also catches NaN
                worstRatio = ratio;
                worst = i;
            }
            largestAbs = Math.max(largestAbs, diff);
        }
        synchronized (LARGEST) {
            double[] l = LARGEST.computeIfAbsent(algo, k -> new double[3]);
            l[state ? 1 : 0] = Math.max(l[state ? 1 : 0], largestAbs);
            if (worstRatio > l[2]) {
                l[2] = worstRatio;
                CLOSEST_CALL.put(algo, what);
            }
        }
        if (!(worstRatio <= 1.0)) {
            fail(String.format("%s: largest difference |%s - %s| = %.3e at index %d of %d (tolerance %.1e + %.1e * |ref|"
                            + " = %.3e, exceeded %.3gx); largest |difference| in the tensor %.3e", what, actual[worst],
                    expected[worst], Math.abs(actual[worst] - expected[worst]), worst, expected.length, ATOL, RTOL,
                    ATOL + RTOL * Math.abs(expected[worst]), worstRatio, largestAbs));
        }
    }

    @AfterAll
    static void printLargestDifferences() {
        synchronized (LARGEST) {
            LARGEST.forEach((algo, l) -> System.out.printf(
                    "OptimizerParityTest %-8s largest |panoptim - reference|: params %.3e, state %.3e; at most %.1f%% of the"
                            + " tolerance (%s)%n", algo, l[0], l[1], 100 * l[2], CLOSEST_CALL.get(algo)));
        }
    }

    // ------------------------------------------------------------------ param groups: lr and added groups

    /** setLr between steps is honoured: lr 0 freezes the group, a new lr moves it by exactly that lr. */
    @Test
    void setLrBetweenStepsIsHonoured() {
        try (Tensor w = Tensor.of(new float[] {1f, -2f, 3f}); Tensor b = Tensor.of(new float[] {0.5f})) {
            ParamGroup gw = ParamGroup.of(List.of(w));
            ParamGroup gb = ParamGroup.of(List.of(b)).with("lr", 0.5);
            try (Optimizer opt = SGD.builder(List.of(gw, gb)).lr(0.1).build()) {
                w.setGrad(Tensor.of(new float[] {1f, 1f, 1f}));
                b.setGrad(Tensor.of(new float[] {1f}));
                opt.step(); // w -= 0.1, b -= 0.5
                assertArrayClose(new float[] {0.9f, -2.1f, 2.9f}, w.toFloatArray());
                assertArrayClose(new float[] {0f}, b.toFloatArray());

                opt.paramGroups().get(0).setLr(0.0);
                opt.paramGroups().get(1).setLr(0.25);
                opt.step();
                assertArrayClose(new float[] {0.9f, -2.1f, 2.9f}, w.toFloatArray()); // frozen
                assertArrayClose(new float[] {-0.25f}, b.toFloatArray());
                assertEquals(0.0, opt.paramGroups().get(0).lr());
                assertEquals(0.25, opt.paramGroups().get(1).lr());
            }
        }
    }

    /** The same for AdamW, where lr also scales the decoupled decay; checked against the reference. */
    @Test
    void setLrBetweenStepsIsHonouredByAdamW() {
        float[] init = {1f, -2f, 3f, 0.25f, -0.75f, 1.5f, -1f};
        try (Tensor w = Tensor.of(init)) {
            Param rw = new Param("w", init);
            ReferenceOptimizer ref = ReferenceAdam.adamW(merged(torchDefaults(Algo.ADAMW), opts("lr", 0.05)));
            ReferenceOptimizer.Group rg = ref.addParamGroup(List.of(rw), Map.of());
            try (Optimizer opt = AdamW.builder(List.of(w)).lr(0.05).build()) {
                SplittableRandom rnd = new SplittableRandom(7);
                double[] lrs = {0.05, 0.05, 0.0, 0.2, 0.01};
                for (int step = 0; step < lrs.length; step++) {
                    opt.paramGroups().get(0).setLr(lrs[step]);
                    rg.setLr(lrs[step]);
                    float[] before = w.toFloatArray();
                    float[] g = randomFloats(rnd, init.length, 0.05, 1.0);
                    w.setGrad(Tensor.of(g));
                    rw.setGrad(g);
                    opt.step();
                    ref.step();
                    if (lrs[step] == 0.0) assertArrayClose(before, w.toFloatArray());
                    else assertNotEquals(before[0], w.toFloatArray()[0]);
                    assertClose(Algo.ADAMW, false, "AdamW with lr " + lrs[step] + " at step " + (step + 1), w.toFloatArray(), rw.data);
                    assertClose(Algo.ADAMW, true, "AdamW exp_avg_sq at step " + (step + 1), opt.stateBuffer(w, "exp_avg_sq"),
                            rw.state.buffers.get("exp_avg_sq"));
                }
                assertEquals(lrs.length, opt.stepCount(w)); // lr 0 is still a step: the moments and the count move on
            }
        }
    }

    /** A group added by addParamGroup steps with its own options and inherits the rest from the defaults. */
    @Test
    void addedParamGroupStepsWithItsOwnOptions() {
        try (Tensor a = Tensor.of(new float[] {1f, 2f}); Tensor b = Tensor.of(new float[] {1f, 2f})) {
            try (Optimizer opt = SGD.builder(List.of(a)).lr(0.1).momentum(0.9).build()) {
                ParamGroup added = ParamGroup.of(List.of(b)).with("lr", 0.01).with("weight_decay", 0.5);
                opt.addParamGroup(added);
                assertEquals(0.9, added.getDouble("momentum")); // inherited
                assertEquals(0.5, added.getDouble("weight_decay"));
                for (int step = 0; step < 2; step++) {
                    a.setGrad(Tensor.of(new float[] {1f, 1f}));
                    b.setGrad(Tensor.of(new float[] {1f, 1f}));
                    opt.step();
                }
                // a: buf 1 then 0.9 + 1 = 1.9; a = x - 0.1 * (1 + 1.9)
                assertArrayClose(new float[] {1f - 0.29f, 2f - 0.29f}, a.toFloatArray());
                // b: g1 = 1 + 0.5 x0, x1 = x0 - 0.01 g1; g2 = 1 + 0.5 x1, buf2 = 0.9 g1 + g2, x2 = x1 - 0.01 buf2
                for (int i = 0; i < 2; i++) {
                    double x0 = i + 1, g1 = 1 + 0.5 * x0, x1 = x0 - 0.01 * g1, g2 = 1 + 0.5 * x1;
                    double x2 = x1 - 0.01 * (0.9 * g1 + g2);
                    assertEquals(x2, b.toFloatArray()[i], 1e-6, "added group param " + i);
                    assertEquals(0.9 * g1 + g2, opt.stateBuffer(b, "momentum_buffer")[i], 1e-6, "added group buffer " + i);
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Optimizer build(Algo algo, List<ParamGroup> groups, Map<String, Object> options) {
        OptimizerBuilder<?> b = switch (algo) {
            case SGD -> SGD.builder(groups);
            case RMSPROP -> RMSprop.builder(groups);
            case ADAM -> Adam.builder(groups);
            case ADAMW -> AdamW.builder(groups);
        };
        options.forEach(b::option);
        return b.build();
    }

    private static ReferenceOptimizer reference(Algo algo, Map<String, Object> defaults) {
        return switch (algo) {
            case SGD -> new ReferenceSGD(defaults);
            case RMSPROP -> new ReferenceRMSprop(defaults);
            case ADAM -> ReferenceAdam.adam(defaults);
            case ADAMW -> ReferenceAdam.adamW(defaults);
        };
    }

    /**
     * A random grad for a param, never zero, and never nearly cancelled by an L2 weight-decay term
     * (Adam, RMSprop, SGD add weight_decay * p to the grad): on a param's first step Adam and RMSprop
     * move it by about lr * g / (|g| + eps), +-lr, and for a g within float32 rounding of zero the sign
     * comes from rounding, not from the algorithm. So where (+-grad) + wd * p would be under 0.05 in
     * magnitude, the grad's sign is flipped, which makes the two terms add up.
     */
    private static float[] nextGrad(SplittableRandom rnd, Algo algo, ReferenceOptimizer ref, Param p) {
        float[] grad = randomFloats(rnd, p.data.length, 0.05, 1.0);
        if (algo == Algo.ADAMW) return grad; // decoupled: the decay never enters the grad
        ReferenceOptimizer.Group group = ref.groups().stream().filter(g -> g.params.contains(p)).findFirst().orElseThrow();
        double sign = group.flag("maximize") ? -1 : 1, wd = group.num("weight_decay");
        for (int i = 0; i < grad.length; i++) {
            if (Math.abs(sign * grad[i] + wd * p.data[i]) < 0.05) grad[i] = -grad[i];
        }
        return grad;
    }

    private static Slot slot(Device device, String name, int n, SplittableRandom rnd, IntPredicate hasGrad) {
        float[] init = randomFloats(rnd, n, 0.1, 2.0);
        return new Slot(name, Tensor.of(device, init), new Param(name, init), hasGrad);
    }

    private static Tensor s0(List<Slot> all) {
        return all.get(0).tensor();
    }

    /** Random floats of either sign with magnitudes in [lo, hi]: never zero. */
    private static float[] randomFloats(SplittableRandom rnd, int n, double lo, double hi) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            double m = lo + (hi - lo) * rnd.nextDouble();
            f[i] = (float) (rnd.nextBoolean() ? m : -m);
        }
        return f;
    }

    private static List<Tensor> tensors(List<Slot> slots) {
        return slots.stream().map(Slot::tensor).toList();
    }

    private static List<Param> refs(List<Slot> slots) {
        return slots.stream().map(Slot::ref).toList();
    }

    private static Map<String, Object> opts(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static Map<String, Object> merged(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        m.putAll(over);
        return m;
    }

    private static void assertArrayClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-6 + 1e-6 * Math.abs(expected[i]),
                    "element " + i + ": expected " + expected[i] + ", got " + actual[i]);
        }
    }
}
