package dev.panoptim.optim;

import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Devices;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.panoptim.optim.OptimizerBuilderTest.assertIae;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stateDict / loadStateDict: torch's structure, exact round trips (also through JSON) on every
 * available device, dicts moving between devices, and rejected dicts.
 */
class StateDictTest {
    private final List<AutoCloseable> owned = new ArrayList<>();

    private <T extends AutoCloseable> T own(T t) {
        owned.add(t);
        return t;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : owned) c.close();
    }

    // ------------------------------------------------------------------ a small deterministic model

    private static final int[][] SHAPES = {{2, 3}, {5}, {3, 1}, {4}, {2}};

    /** Param k gets grads from this step on (1-based); param 4 never gets one. */
    private static final int[] FIRST_GRAD_STEP = {1, 1, 3, 7, Integer.MAX_VALUE};

    private List<Tensor> params() {
        return params(Device.CPU);
    }

    private List<Tensor> params(Device device) {
        List<Tensor> ps = new ArrayList<>();
        for (int k = 0; k < SHAPES.length; k++) {
            Tensor t = own(Tensor.zeros(device, SHAPES[k]));
            float[] v = new float[(int) t.numel()];
            for (int i = 0; i < v.length; i++) v[i] = (float) Math.cos(7 * k + i);
            ps.add(t.copyFrom(v));
        }
        return ps;
    }

    private List<Tensor> copiesOf(List<Tensor> ps) {
        List<Tensor> copies = new ArrayList<>();
        for (Tensor p : ps) copies.add(own(Tensor.zerosLike(p)).copyFrom(p));
        return copies;
    }

    /** A grad that depends on the params, so two runs agree only if their params and state agree. */
    private static void setGrads(List<Tensor> ps, int step) {
        for (int k = 0; k < ps.size(); k++) {
            Tensor p = ps.get(k);
            if (step < FIRST_GRAD_STEP[k]) {
                p.setGrad(null);
                continue;
            }
            float[] v = p.toFloatArray();
            float[] g = new float[v.length];
            for (int i = 0; i < v.length; i++) g[i] = (float) (Math.sin(3 * v[i] + k + 0.1 * i) + 0.1 * v[i]);
            p.setGrad(Tensor.of(p.device(), g, p.shape()));
        }
    }

    private static void run(Optimizer o, List<Tensor> ps, int fromStep, int toStep) {
        for (int step = fromStep; step <= toStep; step++) {
            setGrads(ps, step);
            o.step();
            o.zeroGrad();
        }
    }

    /** Two groups: params 0-2 with the builder's options, params 3-4 with their own. */
    private static List<ParamGroup> groups(List<Tensor> ps, Map<String, Object> group1) {
        ParamGroup g1 = ParamGroup.of(ps.subList(3, 5));
        group1.forEach(g1::set);
        return List.of(ParamGroup.of(ps.subList(0, 3)), g1);
    }

    static Stream<Arguments> optimizers() {
        Function<List<Tensor>, Optimizer> sgd = ps -> SGD.builder(groups(ps,
                        Map.of("lr", 0.02, "momentum", 0.5, "dampening", 0.1, "nesterov", false)))
                .lr(0.05).momentum(0.9).nesterov(true).weightDecay(0.01).build();
        Function<List<Tensor>, Optimizer> rmsprop = ps -> RMSprop.builder(groups(ps,
                        Map.of("lr", 0.02, "centered", false, "momentum", 0.0)))
                .lr(0.01).alpha(0.9).centered(true).momentum(0.5).weightDecay(0.01).build();
        Function<List<Tensor>, Optimizer> adam = ps -> Adam.builder(groups(ps,
                        Map.of("lr", 0.02, "amsgrad", false, "eps", 1e-6)))
                .lr(0.01).betas(0.8, 0.99).amsgrad(true).weightDecay(0.01).build();
        Function<List<Tensor>, Optimizer> adamw = ps -> AdamW.builder(groups(ps,
                        Map.of("lr", 0.03, "betas", new double[] {0.5, 0.9}, "maximize", true)))
                .lr(0.01).amsgrad(true).weightDecay(0.1).build();
        return Stream.of(Arguments.of("SGD", sgd), Arguments.of("RMSprop", rmsprop), Arguments.of("Adam", adam),
                Arguments.of("AdamW", adamw));
    }

    static Stream<Arguments> optimizersOnDevices() {
        return Devices.list().stream().flatMap(d -> optimizers().map(a -> Arguments.of(d, a.get()[0], a.get()[1])));
    }

    // ------------------------------------------------------------------ structure

    @Test
    void structureIsTorchs() {
        List<Tensor> ps = params();
        Optimizer o = own(Adam.builder(groups(ps, Map.of("lr", 0.02))).amsgrad(true).build());
        StateDict fresh = o.stateDict();
        assertTrue(fresh.state().isEmpty(), "no state before the first step");
        assertEquals(List.of(0, 1, 2), fresh.paramGroups().get(0).get("params"));
        assertEquals(List.of(3, 4), fresh.paramGroups().get(1).get("params"));

        run(o, ps, 1, 3);
        StateDict d = o.stateDict();
        // state is keyed by the param's index counted across groups; params 0, 1, 2 had grads
        assertEquals(Set.of(0, 1, 2), d.state().keySet());
        for (int k = 0; k <= 2; k++) {
            Map<String, Object> s = d.state().get(k);
            assertEquals(Set.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"), s.keySet());
            assertEquals(o.stepCount(ps.get(k)), ((Number) s.get("step")).longValue());
            for (String buf : List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq")) {
                float[] values = assertInstanceOf(float[].class, s.get(buf));
                assertArrayEquals(o.stateBuffer(ps.get(k), buf), values, buf);
                assertEquals(ps.get(k).numel(), values.length);
            }
        }
        assertEquals(3L, d.state().get(0).get("step"));
        assertEquals(1L, d.state().get(2).get("step"), "param 2 got its first grad at step 3");

        assertEquals(2, d.paramGroups().size());
        Map<String, Object> g0 = d.paramGroups().get(0), g1 = d.paramGroups().get(1);
        assertEquals(Set.of("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "params"), g0.keySet());
        assertEquals(0.001, g0.get("lr"));
        assertEquals(0.02, g1.get("lr"));
        assertArrayEquals(new double[] {0.9, 0.999}, (double[]) g0.get("betas"));
        assertEquals(true, g0.get("amsgrad"));
        assertEquals(List.of(0, 1, 2), g0.get("params"));
        assertEquals(List.of(3, 4), g1.get("params"));
    }

    @Test
    void sgdAndRmspropStateEntries() {
        List<Tensor> ps = params();
        Optimizer sgd = own(SGD.builder(ps.subList(0, 2)).lr(0.1).momentum(0.9).build());
        run(sgd, ps, 1, 2);
        assertEquals(Set.of("momentum_buffer"), sgd.stateDict().state().get(0).keySet(), "torch's SGD keeps no step");

        Optimizer plain = own(SGD.builder(ps.subList(2, 3)).lr(0.1).build());
        run(plain, ps, 1, 3);
        assertEquals(Map.of(), plain.stateDict().state().getOrDefault(0, Map.of()), "momentum 0: nothing to keep");

        List<Tensor> qs = copiesOf(ps);
        Optimizer rms = own(RMSprop.builder(qs.subList(0, 1)).centered(true).momentum(0.5).build());
        run(rms, qs, 1, 2);
        assertEquals(Set.of("step", "square_avg", "momentum_buffer", "grad_avg"), rms.stateDict().state().get(0).keySet());
        assertEquals(2L, rms.stateDict().state().get(0).get("step"));
    }

    @Test
    void theStateDictIsACopy() {
        List<Tensor> ps = params();
        Optimizer o = own(AdamW.builder(ps).build());
        run(o, ps, 1, 2);
        StateDict d = o.stateDict();
        float[] expAvg = (float[]) d.state().get(0).get("exp_avg");
        float before = expAvg[0];
        expAvg[0] = 1234f;
        d.paramGroups().get(0).put("lr", 5.0);
        ((double[]) d.paramGroups().get(0).get("betas"))[0] = 0.1;
        assertEquals(before, o.stateBuffer(ps.get(0), "exp_avg")[0]);
        assertEquals(0.001, o.paramGroups().get(0).lr());
        assertArrayEquals(new double[] {0.9, 0.999}, (double[]) o.paramGroups().get(0).get("betas"));
    }

    // ------------------------------------------------------------------ round trips

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("optimizersOnDevices")
    void roundTripAfterFiveStepsContinuesExactly(Device device, String name, Function<List<Tensor>, Optimizer> build) {
        roundTrip(device, build, d -> d);
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("optimizersOnDevices")
    void roundTripThroughJsonContinuesExactly(Device device, String name, Function<List<Tensor>, Optimizer> build) {
        roundTrip(device, build, d -> {
            String json = d.toJson();
            assertTrue(json.contains("\"param_groups\"") && json.contains("\"state\""), json);
            return StateDict.fromJson(json);
        });
    }

    /**
     * Ten steps on the original against five on the original, a save, a load into a fresh optimizer
     * over fresh copies of the params, and five more steps there. The same kernels run on the same
     * float32 inputs, so params and state must be bitwise equal, not merely close: the comparisons
     * are exact.
     */
    private void roundTrip(Device device, Function<List<Tensor>, Optimizer> build, Function<StateDict, StateDict> transport) {
        List<Tensor> original = params(device);
        Optimizer a = own(build.apply(original));
        run(a, original, 1, 5);
        StateDict saved = transport.apply(a.stateDict());

        List<Tensor> copies = copiesOf(original);
        Optimizer b = own(build.apply(copies));
        for (ParamGroup g : b.paramGroups()) g.setLr(0.777); // options come from the dict, not the build
        b.loadStateDict(saved);
        assertEquals(a.paramGroups().get(1).lr(), b.paramGroups().get(1).lr());
        assertStateDictEquals(a.stateDict(), b.stateDict());

        run(a, original, 6, 10);
        run(b, copies, 6, 10);
        for (int k = 0; k < original.size(); k++) {
            assertArrayEquals(original.get(k).toFloatArray(), copies.get(k).toFloatArray(), "param " + k);
        }
        assertStateDictEquals(a.stateDict(), b.stateDict());
        // param 3 got its first grad at step 7, after the load: its state was created on both sides
        assertEquals(Set.of(0, 1, 2, 3), b.stateDict().state().keySet());
        // the runs moved the params, so the equality above is not one of unchanged values
        List<Tensor> initial = params();
        for (int k = 0; k < 4; k++) {
            assertNotEquals(Arrays.toString(initial.get(k).toFloatArray()), Arrays.toString(original.get(k).toFloatArray()));
        }
        assertArrayEquals(initial.get(4).toFloatArray(), original.get(4).toFloatArray(), "param 4 never had a grad");
    }

    /**
     * A CUDA optimizer's state dict holds CPU copies: it loads into an optimizer over CPU tensors and
     * back into one over CUDA tensors, whose state is then on CUDA, equal to the last value.
     */
    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("optimizersOnDevices")
    void stateDictsMoveBetweenDevices(Device device, String name, Function<List<Tensor>, Optimizer> build) {
        org.junit.jupiter.api.Assumptions.assumeTrue(device.isCuda(), "moves between CPU and CUDA");
        List<Tensor> onCuda = params(device);
        Optimizer a = own(build.apply(onCuda));
        run(a, onCuda, 1, 5);
        StateDict saved = a.stateDict();
        saved.state().values().forEach(entry -> entry.values().forEach(v ->
                assertTrue(!(v instanceof Tensor), "state dict values are host copies, not tensors")));

        List<Tensor> onCpu = new ArrayList<>();
        for (Tensor p : onCuda) onCpu.add(own(p.to(Device.CPU)));
        Optimizer b = own(build.apply(onCpu));
        b.loadStateDict(saved);
        assertStateDictEquals(saved, b.stateDict());

        List<Tensor> back = new ArrayList<>();
        for (Tensor p : onCpu) back.add(own(p.to(device)));
        Optimizer c = own(build.apply(back));
        c.loadStateDict(b.stateDict());
        assertStateDictEquals(saved, c.stateDict());
        run(c, back, 6, 7);   // the loaded state is usable on CUDA
        assertEquals(device, back.get(0).device());
        assertEquals(Set.of(0, 1, 2, 3), c.stateDict().state().keySet());
    }

    /** Exact equality of two state dicts, whatever their number and array representations. */
    static void assertStateDictEquals(StateDict expected, StateDict actual) {
        assertEquals(canonical(expected), canonical(actual));
    }

    private static Map<String, Object> canonical(StateDict d) {
        Map<Integer, Map<String, Object>> state = new TreeMap<>();
        d.state().forEach((k, v) -> {
            Map<String, Object> entry = new TreeMap<>();
            v.forEach((name, value) -> entry.put(name, canonicalValue(value)));
            state.put(k, entry);
        });
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Map<String, Object> g : d.paramGroups()) {
            Map<String, Object> entry = new TreeMap<>();
            g.forEach((name, value) -> entry.put(name, canonicalValue(value)));
            groups.add(entry);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", state);
        out.put("param_groups", groups);
        return out;
    }

    /** float[] and lists become lists of boxed floats/doubles (compared bitwise by equals); numbers become doubles. */
    private static Object canonicalValue(Object v) {
        if (v instanceof float[] f) {
            List<Float> l = new ArrayList<>();
            for (float x : f) l.add(x);
            return l;
        }
        if (v instanceof double[] a) {
            List<Double> l = new ArrayList<>();
            for (double x : a) l.add(x);
            return l;
        }
        if (v instanceof List<?> list) {
            List<Object> l = new ArrayList<>();
            for (Object x : list) l.add(canonicalValue(x));
            return l;
        }
        if (v instanceof Number n) return n.doubleValue();
        return v;
    }

    // ------------------------------------------------------------------ rejected dicts

    /** An Adam over two groups that has taken two steps, and a way to check it did not change. */
    private final class Loaded {
        final List<Tensor> ps = params();
        final Optimizer opt = own(Adam.builder(groups(ps, Map.of("lr", 0.02))).amsgrad(true).build());
        final StateDict before;

        Loaded() {
            run(opt, ps, 1, 3);
            before = opt.stateDict();
        }

        /** Applies a corruption to a fresh copy of the dict; loading it must fail naming the problem. */
        void rejects(Consumer<StateDict> corrupt, String... fragments) {
            StateDict d = opt.stateDict();
            corrupt.accept(d);
            assertIae(() -> opt.loadStateDict(d), fragments);
            assertStateDictEquals(before, opt.stateDict());
        }
    }

    @Test
    void groupCountMismatch() {
        Loaded l = new Loaded();
        l.rejects(d -> d.paramGroups().remove(1), "1 parameter groups", "has 2");
        l.rejects(d -> d.paramGroups().add(new LinkedHashMap<>(d.paramGroups().get(0))), "3 parameter groups");
    }

    @Test
    void paramCountMismatch() {
        Loaded l = new Loaded();
        l.rejects(d -> d.paramGroups().get(1).put("params", List.of(3)), "group 1", "1 params", "(2)");
        l.rejects(d -> d.paramGroups().get(0).put("params", List.of(0, 1, 2, 3)), "group 0", "4 params", "(3)");
        l.rejects(d -> d.paramGroups().get(0).remove("params"), "group 0");
    }

    @Test
    void bufferOfWrongLength() {
        Loaded l = new Loaded();
        l.rejects(d -> d.state().get(2).put("exp_avg_sq", new float[2]), "param 2", "'exp_avg_sq'", "2 values", "3");
        l.rejects(d -> d.state().get(0).put("exp_avg", List.of(1.0, 2.0)), "param 0", "'exp_avg'", "2 values", "6");
    }

    @Test
    void bufferOfWrongType() {
        Loaded l = new Loaded();
        l.rejects(d -> d.state().get(1).put("exp_avg", "zeros"), "param 1", "'exp_avg'", "array of numbers");
        l.rejects(d -> d.state().get(1).put("exp_avg", null), "param 1", "'exp_avg'", "null");
        l.rejects(d -> d.state().get(1).put("exp_avg", Arrays.asList(1.0, "x", 1.0, 1.0, 1.0)), "param 1", "non-number");
    }

    @Test
    void unknownBufferName() {
        Loaded l = new Loaded();
        l.rejects(d -> d.state().get(2).put("momentum_buffer", new float[3]), "param 2", "'momentum_buffer'",
                "exp_avg");
    }

    @Test
    void unknownOption() {
        Loaded l = new Loaded();
        l.rejects(d -> d.paramGroups().get(1).put("nesterov", true), "'nesterov'");
    }

    @Test
    void badOptionValues() {
        Loaded l = new Loaded();
        l.rejects(d -> {
            d.paramGroups().get(0).put("lr", 0.5); // valid, and must not be applied either
            d.paramGroups().get(1).put("lr", -1.0);
        }, "lr", "-1.0");
        l.rejects(d -> d.paramGroups().get(1).put("betas", List.of(0.9)), "'betas'");
        l.rejects(d -> d.paramGroups().get(1).put("betas", new double[] {0.9, 1.0}), "beta", "index 1");
        l.rejects(d -> d.paramGroups().get(0).put("amsgrad", "yes"), "'amsgrad'", "boolean");
        l.rejects(d -> d.paramGroups().get(0).put("eps", null), "'eps'", "null");
    }

    @Test
    void stateIndexOutOfRange() {
        Loaded l = new Loaded();
        l.rejects(d -> d.state().put(5, new LinkedHashMap<>(d.state().get(0))), "param 5", "no loaded param group");
        l.rejects(d -> d.state().put(-1, new LinkedHashMap<>()), "param -1");
        l.rejects(d -> d.paramGroups().get(1).put("params", List.of(2, 4)), "param id 2 twice");
        l.rejects(d -> d.paramGroups().get(1).put("params", List.of(3, 4.5)), "non-integer param id 4.5");
    }

    @Test
    void savedParamIdsMapToParamsByPosition() {
        // torch matches state to params through the ids listed in the saved groups, not by the ids' values.
        List<Tensor> ps = params();
        Optimizer o = own(Adam.builder(ps.subList(3, 5)).build());
        String json = """
                {"state": {"7": {"step": 4, "exp_avg": [1.5, 2.5], "exp_avg_sq": [3.0, 4.0]}},
                 "param_groups": [{"lr": 0.01, "params": [9, 7]}]}
                """;
        o.loadStateDict(StateDict.fromJson(json));
        assertEquals(0, o.stepCount(ps.get(3)));
        assertEquals(4, o.stepCount(ps.get(4)));
        assertArrayEquals(new float[] {1.5f, 2.5f}, o.stateBuffer(ps.get(4), "exp_avg"));
    }

    @Test
    void nonIntegerStep() {
        Loaded l = new Loaded();
        l.rejects(d -> d.state().get(2).put("step", 2.5), "param 2", "'step'", "2.5");
        l.rejects(d -> d.state().get(2).put("step", "3"), "param 2", "'step'");
        l.rejects(d -> d.state().get(2).put("step", -1), "param 2", "'step'", "-1");
        l.rejects(d -> d.state().get(2).put("step", Double.NaN), "param 2", "'step'");
    }

    @Test
    void sgdStateHasNoStep() {
        List<Tensor> ps = params();
        Optimizer o = own(SGD.builder(ps).lr(0.1).momentum(0.9).build());
        run(o, ps, 1, 2);
        StateDict d = o.stateDict();
        d.state().get(0).put("step", 2L);
        assertIae(() -> o.loadStateDict(d), "'step'", "momentum_buffer");
    }

    @Test
    void nullDictIsRejected() {
        Loaded l = new Loaded();
        assertIae(() -> l.opt.loadStateDict(null), "null");
        assertIae(() -> new StateDict(null, List.of()), "'state'");
        assertIae(() -> new StateDict(Map.of(), null), "'param_groups'");
    }

    @Test
    void malformedJson() {
        assertIae(() -> StateDict.fromJson("{not json"), "not a panoptim state dict");
        assertIae(() -> StateDict.fromJson("[1, 2]"), "not a panoptim state dict");
        assertIae(() -> StateDict.fromJson("{\"state\": {\"zero\": {}}, \"param_groups\": []}"), "not a panoptim state dict");
        assertIae(() -> StateDict.fromJson("{\"state\": {}}"), "param_groups");
        assertIae(() -> StateDict.fromJson("{\"param_groups\": []}"), "state");
    }

    @Test
    void jsonFromTorchLoads() {
        // What json.dumps of a torch Adam state dict looks like (tensors as lists, step as a float),
        // with torch's implementation flags, which are accepted and ignored.
        List<Tensor> ps = params();
        Optimizer o = own(Adam.builder(ps.subList(3, 5)).build());
        String json = """
                {"state": {"1": {"step": 2.0, "exp_avg": [0.5, -0.25], "exp_avg_sq": [0.125, 0.0625]}},
                 "param_groups": [{"lr": 0.005, "betas": [0.8, 0.95], "eps": 1e-08, "weight_decay": 0,
                   "amsgrad": false, "maximize": false, "foreach": null, "capturable": false,
                   "differentiable": false, "fused": null, "decoupled_weight_decay": false, "params": [0, 1]}]}
                """;
        o.loadStateDict(StateDict.fromJson(json));
        assertEquals(0.005, o.paramGroups().get(0).lr());
        assertArrayEquals(new double[] {0.8, 0.95}, (double[]) o.paramGroups().get(0).get("betas"));
        assertEquals(0.0, o.paramGroups().get(0).getDouble("weight_decay"));
        assertEquals(2, o.stepCount(ps.get(4)));
        assertEquals(0, o.stepCount(ps.get(3)));
        assertArrayEquals(new float[] {0.5f, -0.25f}, o.stateBuffer(ps.get(4), "exp_avg"));
        assertArrayEquals(new float[] {0.125f, 0.0625f}, o.stateBuffer(ps.get(4), "exp_avg_sq"));
        ps.get(4).setGrad(Tensor.of(new float[] {1, 1}));
        o.step();
        assertEquals(3, o.stepCount(ps.get(4)));
    }

    @Test
    void loadReplacesStateOfParamsMissingFromTheDict() {
        List<Tensor> ps = params();
        Optimizer o = own(Adam.builder(ps).build());
        run(o, ps, 1, 4);
        assertEquals(4, o.stepCount(ps.get(0)));
        StateDict d = o.stateDict();
        d.state().remove(0);
        o.loadStateDict(d);
        assertEquals(0, o.stepCount(ps.get(0)), "torch's load_state_dict replaces the whole state");
        assertEquals(4, o.stepCount(ps.get(1)));
    }
}
