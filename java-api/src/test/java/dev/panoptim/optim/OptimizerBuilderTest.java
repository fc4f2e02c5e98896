package dev.panoptim.optim;

import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builders and param groups: the README's snippets, torch's defaults, and every rejected input. */
class OptimizerBuilderTest {
    private final List<AutoCloseable> owned = new ArrayList<>();

    private <T extends AutoCloseable> T own(T t) {
        owned.add(t);
        return t;
    }

    private Tensor tensor(float... values) {
        return own(Tensor.of(values));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : owned) c.close();
    }

    /** Asserts an IllegalArgumentException whose message contains every one of {@code fragments}. */
    static IllegalArgumentException assertIae(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(f),
                    "message should contain '" + f + "': " + e.getMessage());
        }
        return e;
    }

    // ------------------------------------------------------------------ the README, as written

    @Test
    void readmeAdamWSnippet() {
        Tensor w = own(Tensor.of(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3));
        w.setGrad(Tensor.of(new float[] {.1f, .2f, .3f, .4f, .5f, .6f}, 2, 3));
        Optimizer opt = own(AdamW.builder(List.of(w)).lr(1e-3).betas(0.9, 0.999).eps(1e-8)
                .weightDecay(0.01).amsgrad(false).maximize(false).build());
        opt.step();
        opt.zeroGrad();
        assertNull(w.grad());
        float[] now = w.toFloatArray();
        // One AdamW step from zero state: p * (1 - lr * wd) - lr * g / (|g| + eps).
        for (int i = 0; i < 6; i++) {
            double p = i + 1, g = (i + 1) / 10.0;
            double expected = p * (1 - 1e-3 * 0.01) - 1e-3 * g / (g + 1e-8);
            assertEquals(expected, now[i], 1e-6, "w[" + i + "]");
        }
        assertTrue(String.valueOf(now[0]).startsWith("0.9989"), "README prints 0.9989...: " + now[0]);
        assertTrue(String.valueOf(now[5]).startsWith("5.9989"), "README prints 5.9989...: " + now[5]);
    }

    @Test
    void readmeSgdParamGroupsSnippet() {
        Tensor a = own(Tensor.zeros(4)), b = own(Tensor.zeros(2, 2));
        Optimizer sgd = own(SGD.builder(List.of(
                        ParamGroup.of(List.of(a)),
                        ParamGroup.of(List.of(b)).with("lr", 0.01).with("momentum", 0.0).with("weight_decay", 0.1)))
                .lr(0.1).momentum(0.9).build());
        double lr0 = (double) sgd.paramGroups().get(0).get("lr");
        assertEquals(0.1, lr0);
        assertEquals(0.01, (double) sgd.paramGroups().get(1).get("lr"));
        ParamGroup g0 = sgd.paramGroups().get(0), g1 = sgd.paramGroups().get(1);
        assertEquals(0.9, g0.getDouble("momentum"), "group 0 inherits the builder's momentum");
        assertEquals(0.0, g0.getDouble("weight_decay"));
        assertEquals(0.0, g1.getDouble("momentum"), "group 1 overrides momentum");
        assertEquals(0.1, g1.getDouble("weight_decay"));
        assertEquals(List.of(a), g0.params());
        assertEquals(List.of(b), g1.params());
        assertEquals(0.1, sgd.defaults().get("lr"));
        assertEquals(0.9, sgd.defaults().get("momentum"));
    }

    // ------------------------------------------------------------------ torch's defaults

    @Test
    void sgdDefaultsAreTorchs() {
        Optimizer o = own(SGD.builder(List.of(tensor(1))).lr(0.1).build());
        Map<String, Object> opts = o.paramGroups().get(0).options();
        assertEquals(Set.of("lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"), opts.keySet());
        assertEquals(0.1, opts.get("lr"));
        assertEquals(0.0, opts.get("momentum"));
        assertEquals(0.0, opts.get("dampening"));
        assertEquals(0.0, opts.get("weight_decay"));
        assertEquals(false, opts.get("nesterov"));
        assertEquals(false, opts.get("maximize"));
    }

    @Test
    void rmspropDefaultsAreTorchs() {
        Optimizer o = own(RMSprop.builder(List.of(tensor(1))).build());
        Map<String, Object> opts = o.paramGroups().get(0).options();
        assertEquals(Set.of("lr", "alpha", "eps", "weight_decay", "momentum", "centered", "maximize"), opts.keySet());
        assertEquals(0.01, opts.get("lr"));
        assertEquals(0.99, opts.get("alpha"));
        assertEquals(1e-8, opts.get("eps"));
        assertEquals(0.0, opts.get("weight_decay"));
        assertEquals(0.0, opts.get("momentum"));
        assertEquals(false, opts.get("centered"));
        assertEquals(false, opts.get("maximize"));
    }

    @Test
    void adamDefaultsAreTorchs() {
        Optimizer o = own(Adam.builder(List.of(tensor(1))).build());
        assertAdamDefaults(o.paramGroups().get(0), 0.0);
    }

    @Test
    void adamWDefaultsAreTorchs() {
        Optimizer o = own(AdamW.builder(List.of(tensor(1))).build());
        assertAdamDefaults(o.paramGroups().get(0), 0.01);
        assertEquals(0.01, o.defaults().get("weight_decay"));
    }

    private static void assertAdamDefaults(ParamGroup g, double weightDecay) {
        Map<String, Object> opts = g.options();
        assertEquals(Set.of("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize"), opts.keySet());
        assertEquals(1e-3, opts.get("lr"));
        assertArrayEquals(new double[] {0.9, 0.999}, (double[]) opts.get("betas"));
        assertEquals(1e-8, opts.get("eps"));
        assertEquals(weightDecay, opts.get("weight_decay"));
        assertEquals(false, opts.get("amsgrad"));
        assertEquals(false, opts.get("maximize"));
    }

    @Test
    void optionsAreNormalizedAndReturnedAsCopies() {
        Tensor t = tensor(1);
        Optimizer o = own(Adam.builder(List.of(ParamGroup.of(List.of(t)).with("lr", 1).with("betas", List.of(0.5, 0.6))))
                .build());
        ParamGroup g = o.paramGroups().get(0);
        assertEquals(Double.valueOf(1.0), g.get("lr"), "an Integer lr becomes a Double");
        double[] betas = (double[]) g.get("betas");
        assertArrayEquals(new double[] {0.5, 0.6}, betas);
        betas[0] = 0.0;
        assertArrayEquals(new double[] {0.5, 0.6}, (double[]) g.get("betas"), "get returns a copy");
        assertThrows(UnsupportedOperationException.class, () -> g.options().put("lr", 5.0));
        assertThrows(UnsupportedOperationException.class, () -> o.paramGroups().remove(0));
    }

    @Test
    void boundGroupsValidateSetsAtOnce() {
        Optimizer o = own(SGD.builder(List.of(tensor(1))).lr(0.1).build());
        ParamGroup g = o.paramGroups().get(0);
        assertIae(() -> g.set("lr", -1.0), "lr", "-1.0");
        assertIae(() -> g.setLr(Double.NaN), "lr", "NaN");
        assertIae(() -> g.set("lr", "0.5"), "lr", "String");
        assertIae(() -> g.set("lrr", 0.5), "lrr");
        assertIae(() -> g.set("params", List.of()), "params");
        assertIae(() -> g.set(null, 1.0), "key");
        assertEquals(0.1, g.lr(), "rejected sets change nothing");
        g.setLr(0.05);
        assertEquals(0.05, g.lr());
    }

    // ------------------------------------------------------------------ rejected inputs

    @Test
    void unknownKeysAreNamed() {
        assertIae(() -> SGD.builder(List.of(tensor(1))).option("momentun", 0.9), "momentun", "valid:", "momentum");
        Tensor t = tensor(1);
        assertIae(() -> SGD.builder(List.of(ParamGroup.of(List.of(t)).with("learning_rate", 0.1))).lr(0.1).build(),
                "learning_rate");
        // torch names that belong to another optimizer are unknown here
        assertIae(() -> Adam.builder(List.of(tensor(1))).option("momentum", 0.9), "momentum");
        assertIae(() -> SGD.builder(List.of(tensor(1))).option("betas", new double[] {0.9, 0.99}), "betas");
    }

    @Test
    void wrongValueTypesAreNamed() {
        assertIae(() -> SGD.builder(List.of(tensor(1))).option("lr", "0.1"), "'lr'", "number", "String");
        Tensor t1 = tensor(1);
        assertIae(() -> SGD.builder(List.of(ParamGroup.of(List.of(t1)).with("lr", "0.1"))).build(), "'lr'", "String");
        assertIae(() -> Adam.builder(List.of(tensor(1))).option("betas", new double[] {0.9, 0.99, 0.1}),
                "'betas'", "double[2]", "[0.9, 0.99, 0.1]");
        Tensor t2 = tensor(1);
        assertIae(() -> AdamW.builder(List.of(ParamGroup.of(List.of(t2)).with("betas", 0.9))).build(), "'betas'");
        assertIae(() -> SGD.builder(List.of(tensor(1))).option("nesterov", 1), "'nesterov'", "boolean", "1");
        Tensor t3 = tensor(1);
        assertIae(() -> SGD.builder(List.of(ParamGroup.of(List.of(t3)).with("nesterov", 1.0))).lr(0.1).build(),
                "'nesterov'", "boolean");
        assertIae(() -> RMSprop.builder(List.of(tensor(1))).option("centered", "true"), "'centered'", "boolean");
        assertIae(() -> SGD.builder(List.of(tensor(1))).option("momentum", null), "'momentum'", "null");
    }

    @Test
    void sgdNeedsAnLr() {
        assertIae(() -> SGD.builder(List.of(tensor(1))).momentum(0.9).build(), "'lr'", "required", "param group 0");
        Tensor a = tensor(1), b = tensor(2);
        // group 0 sets lr, group 1 does not, and there is no default
        assertIae(() -> SGD.builder(List.of(ParamGroup.of(List.of(a)).with("lr", 0.1), ParamGroup.of(List.of(b)))).build(),
                "'lr'", "param group 1");
        // every group sets it: fine without a builder lr
        Tensor c = tensor(1), d = tensor(2);
        Optimizer o = own(SGD.builder(List.of(ParamGroup.of(List.of(c)).with("lr", 0.1),
                ParamGroup.of(List.of(d)).with("lr", 0.2))).build());
        assertEquals(0.2, o.paramGroups().get(1).lr());
        assertNull(o.defaults().get("lr"));
        // addParamGroup without lr, no default: rejected
        Tensor e = tensor(3);
        assertIae(() -> o.addParamGroup(ParamGroup.of(List.of(e))), "'lr'", "param group 2");
        assertEquals(2, o.paramGroups().size());
    }

    @Test
    void aTensorInTwoGroupsIsRejected() {
        Tensor a = tensor(1), b = tensor(2);
        assertIae(() -> SGD.builder(List.of(ParamGroup.of(List.of(a, b)), ParamGroup.of(List.of(b)))).lr(0.1).build(),
                "param group 0", "param group 1");
    }

    @Test
    void aTensorTwiceInOneGroupIsRejected() {
        Tensor a = tensor(1);
        assertIae(() -> Adam.builder(List.of(a, a)).build(), "appears", "param group 0");
        assertIae(() -> Adam.builder(List.of(ParamGroup.of(List.of(a, a)))).build(), "appears");
    }

    @Test
    void emptyNullAndMixedParamListsAreRejected() {
        assertIae(() -> SGD.builder(List.of()), "empty");
        assertIae(() -> SGD.builder(null), "null");
        Tensor a = tensor(1), b = tensor(2);
        assertIae(() -> SGD.builder(List.of(a, ParamGroup.of(List.of(b)))), "element 1", "ParamGroup");
        assertIae(() -> SGD.builder(List.of(ParamGroup.of(List.of(b)), a)), "element 1", "Tensor");
        assertIae(() -> SGD.builder(Arrays.asList(a, null)), "element 1", "null");
        assertIae(() -> SGD.builder(Arrays.asList(null, a)), "element 0", "null");
        assertIae(() -> SGD.builder(List.of("not a tensor")), "element 0", "String");
        assertIae(() -> ParamGroup.of(Arrays.asList(a, null)), "params[1]", "null");
        assertIae(() -> ParamGroup.of(null), "null");
    }

    @Test
    void aClosedTensorIsRejectedAtBuild() {
        Tensor a = tensor(1);
        Tensor closed = Tensor.zeros(2);
        closed.close();
        assertIae(() -> SGD.builder(List.of(a, closed)).lr(0.1).build(), "closed");
    }

    @Test
    void outOfRangeNumbersAreNamedWithTheirValue() {
        assertIae(() -> SGD.builder(List.of(tensor(1))).lr(-0.5), "lr", "-0.5");
        assertIae(() -> SGD.builder(List.of(tensor(1))).lr(Double.NaN), "lr", "NaN");
        assertIae(() -> SGD.builder(List.of(tensor(1))).lr(Double.POSITIVE_INFINITY), "lr", "Infinity");
        assertIae(() -> SGD.builder(List.of(tensor(1))).momentum(-0.1), "momentum", "-0.1");
        assertIae(() -> SGD.builder(List.of(tensor(1))).weightDecay(-1e-4), "weight_decay", "-1.0E-4");
        assertIae(() -> SGD.builder(List.of(tensor(1))).dampening(Double.NaN), "dampening", "NaN");
        assertIae(() -> Adam.builder(List.of(tensor(1))).eps(-1e-8), "eps", "-1.0E-8");
        assertIae(() -> RMSprop.builder(List.of(tensor(1))).eps(-1.0), "eps", "-1.0");
        assertIae(() -> RMSprop.builder(List.of(tensor(1))).alpha(-0.5), "alpha", "-0.5");
        assertIae(() -> RMSprop.builder(List.of(tensor(1))).momentum(-0.5), "momentum", "-0.5");
        assertIae(() -> AdamW.builder(List.of(tensor(1))).weightDecay(-0.01), "weight_decay", "-0.01");
        // the same values in a group are rejected at build
        Tensor t = tensor(1);
        assertIae(() -> SGD.builder(List.of(ParamGroup.of(List.of(t)).with("momentum", -0.9))).lr(0.1).build(),
                "momentum", "-0.9");
        // zero is allowed everywhere it is torch's lower bound
        own(SGD.builder(List.of(tensor(1))).lr(0.0).momentum(0.0).weightDecay(0.0).build());
        own(Adam.builder(List.of(tensor(1))).lr(0).eps(0).betas(0, 0).build());
    }

    @Test
    void betasOutsideZeroOneAreRejected() {
        assertIae(() -> Adam.builder(List.of(tensor(1))).betas(1.0, 0.999), "beta", "index 0", "1.0");
        assertIae(() -> Adam.builder(List.of(tensor(1))).betas(-0.1, 0.999), "index 0", "-0.1");
        assertIae(() -> AdamW.builder(List.of(tensor(1))).betas(0.9, 1.5), "index 1", "1.5");
        assertIae(() -> AdamW.builder(List.of(tensor(1))).betas(0.9, Double.NaN), "index 1", "NaN");
        Tensor t = tensor(1);
        assertIae(() -> Adam.builder(List.of(ParamGroup.of(List.of(t)).with("betas", new double[] {0.9, 1.0}))).build(),
                "index 1");
    }

    @Test
    void nesterovNeedsMomentumAndNoDampeningAtBuild() {
        assertIae(() -> SGD.builder(List.of(tensor(1))).lr(0.1).nesterov(true).build(), "nesterov", "momentum 0.0");
        assertIae(() -> SGD.builder(List.of(tensor(1))).lr(0.1).momentum(0.9).dampening(0.1).nesterov(true).build(),
                "nesterov", "dampening 0.1");
        Tensor a = tensor(1), b = tensor(1);
        assertIae(() -> SGD.builder(List.of(ParamGroup.of(List.of(a)),
                        ParamGroup.of(List.of(b)).with("momentum", 0.0))).lr(0.1).momentum(0.9).nesterov(true).build(),
                "nesterov", "param group 1");
        own(SGD.builder(List.of(tensor(1))).lr(0.1).momentum(0.9).nesterov(true).build());
    }

    @Test
    void nesterovBrokenLaterIsRejectedAtStepWithParamsUntouched() {
        Tensor a = tensor(1, 2), b = tensor(3, 4);
        Optimizer o = own(SGD.builder(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b))))
                .lr(0.1).momentum(0.9).nesterov(true).build());
        a.setGrad(Tensor.of(new float[] {1, 1}));
        b.setGrad(Tensor.of(new float[] {1, 1}));
        o.paramGroups().get(1).set("momentum", 0.0); // valid on its own, invalid with nesterov
        assertIae(o::step, "nesterov", "param group 1");
        assertArrayEquals(new float[] {1, 2}, a.toFloatArray(), "group 0 was not stepped either");
        assertArrayEquals(new float[] {3, 4}, b.toFloatArray());
        assertEquals(null, o.stateBuffer(a, "momentum_buffer"));
        o.paramGroups().get(1).set("momentum", 0.9);
        o.paramGroups().get(0).set("dampening", 0.5);
        assertIae(o::step, "nesterov", "param group 0", "dampening 0.5");
        assertArrayEquals(new float[] {1, 2}, a.toFloatArray());
        o.paramGroups().get(0).set("dampening", 0.0);
        o.step();
        assertTrue(a.get(0) < 1f && b.get(0) < 3f, "steps once fixed");
    }

    @Test
    void aGroupAlreadyInAnOptimizerIsRejected() {
        Tensor a = tensor(1);
        ParamGroup g = ParamGroup.of(List.of(a));
        own(SGD.builder(List.of(g)).lr(0.1).build());
        assertIae(() -> Adam.builder(List.of(g)).build(), "param group 0", "already belongs");
        Optimizer other = own(Adam.builder(List.of(tensor(2))).build());
        assertIae(() -> other.addParamGroup(g), "already belongs");
        assertEquals(1, other.paramGroups().size());
    }

    @Test
    void aFailedBuildLeavesTheGroupsReusable() {
        Tensor a = tensor(1), b = tensor(2);
        ParamGroup ga = ParamGroup.of(List.of(a)).with("lr", 0.5);
        ParamGroup gb = ParamGroup.of(List.of(b)).with("momentum", -1.0);
        assertIae(() -> SGD.builder(List.of(ga, gb)).lr(0.1).build(), "momentum", "-1.0");
        assertEquals(Map.of("lr", 0.5), ga.options(), "group 0 was resolved but not changed");
        gb.set("momentum", 0.5);
        Optimizer o = own(SGD.builder(List.of(ga, gb)).lr(0.1).build());
        assertEquals(0.5, o.paramGroups().get(0).lr());
        assertEquals(0.5, o.paramGroups().get(1).getDouble("momentum"));
        assertSame(ga, o.paramGroups().get(0));

        // a duplicate tensor across groups fails after both groups resolved: still reusable
        Tensor c = tensor(3);
        ParamGroup gc1 = ParamGroup.of(List.of(c)), gc2 = ParamGroup.of(List.of(c));
        assertIae(() -> Adam.builder(List.of(gc1, gc2)).build(), "appears");
        own(Adam.builder(List.of(gc1)).build());
        own(Adam.builder(List.of(gc2)).build()); // the same tensor in two optimizers is allowed, as in torch
    }

    @Test
    void groupOptionsAreOnlyCheckedWhenTheyJoin() {
        Tensor a = tensor(1);
        ParamGroup g = ParamGroup.of(List.of(a)).with("lr", "nonsense");
        assertEquals("nonsense", g.get("lr"), "an unbound group stores values as given");
        assertIae(() -> SGD.builder(List.of(g)).build(), "'lr'", "nonsense");
        g.set("lr", 0.3);
        assertEquals(0.3, own(SGD.builder(List.of(g)).build()).paramGroups().get(0).lr());
    }
}
