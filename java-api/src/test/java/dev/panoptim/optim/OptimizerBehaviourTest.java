package dev.panoptim.optim;

import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.panoptim.optim.OptimizerBuilderTest.assertIae;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an optimizer does across steps: grads, state creation, mutable groups, closing (bad input and
 * odd shapes on every device: {@link OptimizerDevicesTest}).
 */
class OptimizerBehaviourTest {
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

    private static void grad(Tensor p, float... g) {
        p.setGrad(Tensor.of(g, p.shape()));
    }

    @Test
    void zeroGradSetsGradsToNullAndFreesThem() {
        Tensor a = tensor(1, 2), b = tensor(3);
        Optimizer o = own(SGD.builder(List.of(a, b)).lr(0.1).build());
        grad(a, 1, 1);
        Tensor ga = a.grad();
        o.zeroGrad();
        assertNull(a.grad());
        assertNull(b.grad());
        assertTrue(ga.isClosed(), "zeroGrad frees the gradient it drops");
        assertFalse(a.isClosed());
        o.step(); // nothing to do: no grads
        assertArrayEquals(new float[] {1, 2}, a.toFloatArray());
    }

    @Test
    void paramsWithoutGradAreSkippedAndGetNoStateUntilTheirFirstGrad() {
        Tensor a = tensor(1, -2, 3), b = tensor(4, 5);
        Optimizer o = own(Adam.builder(List.of(a, b)).lr(0.1).build());
        for (int i = 0; i < 2; i++) {
            grad(a, 0.5f, 0.5f, -0.5f);
            o.step();
        }
        assertArrayEquals(new float[] {4, 5}, b.toFloatArray(), "b has no grad: untouched");
        assertEquals(2, o.stepCount(a));
        assertEquals(0, o.stepCount(b));
        assertNotNull(o.stateBuffer(a, "exp_avg"));
        assertNull(o.stateBuffer(b, "exp_avg"));
        assertNull(o.stateBuffer(b, "exp_avg_sq"));
        assertEquals(List.of(0), new ArrayList<>(o.stateDict().state().keySet()), "only param 0 has state");

        // b's first grad: its first step is step 1 (its own bias correction), a's is step 3.
        grad(a, 0.5f, 0.5f, -0.5f);
        grad(b, 0.25f, -1f);
        try (Tensor fresh = Tensor.of(new float[] {4, 5});
             Optimizer reference = Adam.builder(List.of(fresh)).lr(0.1).build()) {
            grad(fresh, 0.25f, -1f);
            reference.step();
            o.step();
            assertArrayEquals(fresh.toFloatArray(), b.toFloatArray(), "same kernel, same inputs: bitwise equal");
        }
        assertEquals(1, o.stepCount(b));
        assertEquals(3, o.stepCount(a));
    }

    @Test
    void sgdMomentumBufferAppearsOnlyWithMomentumAndAGrad() {
        Tensor a = tensor(1), b = tensor(2), c = tensor(3);
        Optimizer o = own(SGD.builder(List.of(ParamGroup.of(List.of(a, b)), ParamGroup.of(List.of(c)).with("momentum", 0.0)))
                .lr(0.1).momentum(0.9).build());
        grad(a, 1);
        grad(c, 1);
        o.step();
        assertArrayEquals(new float[] {1}, o.stateBuffer(a, "momentum_buffer"), "first buffer is the grad, as in torch");
        assertNull(o.stateBuffer(b, "momentum_buffer"), "no grad, no state");
        assertNull(o.stateBuffer(c, "momentum_buffer"), "momentum 0 keeps no buffer");
        assertEquals(0, o.stepCount(a), "torch's SGD keeps no step count");
        grad(a, 1);
        o.step();
        assertArrayEquals(new float[] {1.9f}, o.stateBuffer(a, "momentum_buffer"), 1e-6f);
        assertEquals(1 - 0.1f - 0.1f * 1.9f, a.get(0), 1e-6);
    }

    @Test
    void theFirstMomentumBufferIsTheUndampedGrad() {
        // torch: buf = g on a param's first step, buf = momentum * buf + (1 - dampening) * g after.
        Tensor a = tensor(1), b = tensor(1);
        Optimizer o = own(SGD.builder(List.of(a)).lr(0.1).momentum(0.9).dampening(0.5).build());
        grad(a, 2);
        o.step();
        assertArrayEquals(new float[] {2}, o.stateBuffer(a, "momentum_buffer"));
        assertEquals(1 - 0.1f * 2, a.get(0), 1e-6);
        grad(a, 2);
        o.step();
        assertArrayEquals(new float[] {0.9f * 2 + 0.5f * 2}, o.stateBuffer(a, "momentum_buffer"), 1e-6f);
        // b joins later: its first buffer is its grad too, whatever a's history
        o.addParamGroup(ParamGroup.of(List.of(b)));
        grad(b, 4);
        o.step();
        assertArrayEquals(new float[] {4}, o.stateBuffer(b, "momentum_buffer"));
    }

    @Test
    void setLrBetweenStepsTakesEffect() {
        Tensor a = tensor(1, 1);
        Optimizer o = own(SGD.builder(List.of(a)).lr(0.1).build());
        grad(a, 1, -1);
        o.step();
        assertArrayEquals(new float[] {0.9f, 1.1f}, a.toFloatArray(), 1e-7f);
        o.paramGroups().get(0).setLr(0.5);
        o.step();
        assertArrayEquals(new float[] {0.4f, 1.6f}, a.toFloatArray(), 1e-6f);
        o.paramGroups().get(0).setLr(0.0);
        float[] before = a.toFloatArray();
        o.step();
        assertArrayEquals(before, a.toFloatArray(), "lr 0 leaves params exactly as they were");
        o.paramGroups().get(0).set("weight_decay", 1.0);
        o.paramGroups().get(0).setLr(0.1);
        o.step(); // p -= 0.1 * (g + p)
        assertEquals(before[0] - 0.1f * (1 + before[0]), a.get(0), 1e-6);
    }

    @Test
    void groupsStepWithTheirOwnOptions() {
        Tensor a = tensor(1), b = tensor(1), c = tensor(1);
        Optimizer o = own(SGD.builder(List.of(ParamGroup.of(List.of(a)),
                ParamGroup.of(List.of(b)).with("lr", 0.01),
                ParamGroup.of(List.of(c)).with("maximize", true))).lr(0.1).build());
        grad(a, 1);
        grad(b, 1);
        grad(c, 1);
        o.step();
        assertEquals(0.9f, a.get(0), 1e-7);
        assertEquals(0.99f, b.get(0), 1e-7);
        assertEquals(1.1f, c.get(0), 1e-7, "maximize ascends");
    }

    @Test
    void addParamGroupInheritsDefaultsAndRejectsDuplicates() {
        Tensor a = tensor(1), b = tensor(2), c = tensor(3);
        Optimizer o = own(SGD.builder(List.of(a)).lr(0.1).momentum(0.9).weightDecay(0.01).build());
        o.addParamGroup(ParamGroup.of(List.of(b)).with("lr", 0.5));
        assertEquals(2, o.paramGroups().size());
        ParamGroup added = o.paramGroups().get(1);
        assertEquals(0.5, added.lr());
        assertEquals(0.9, added.getDouble("momentum"), "inherited from the builder's defaults");
        assertEquals(0.01, added.getDouble("weight_decay"));
        assertEquals(false, added.getBoolean("nesterov"));

        ParamGroup dupOfA = ParamGroup.of(List.of(c, a));
        assertIae(() -> o.addParamGroup(dupOfA), "param group 0", "param group 2");
        assertIae(() -> o.addParamGroup(ParamGroup.of(List.of(c, c))), "param group 2");
        assertIae(() -> o.addParamGroup(ParamGroup.of(List.of(c)).with("momentum", -1.0)), "momentum");
        assertIae(() -> o.addParamGroup(null), "null");
        assertEquals(2, o.paramGroups().size(), "failed adds add nothing");

        ParamGroup ok = ParamGroup.of(List.of(c));
        o.addParamGroup(ok);
        assertEquals(0.1, ok.lr());
        assertIae(() -> o.addParamGroup(ok), "already belongs");
        grad(b, 1);
        grad(c, 1);
        o.step();
        assertEquals(2 - 0.5f * (1 + 0.01f * 2), b.get(0), 1e-6, "the added group steps with its lr");
        assertEquals(3 - 0.1f * (1 + 0.01f * 3), c.get(0), 1e-6);
        assertEquals(3, o.stateDict().paramGroups().size());
    }

    @Test
    void stepWithClosureReturnsTheLossComputedBeforeTheStep() {
        Tensor x = tensor(3);
        Optimizer o = own(SGD.builder(List.of(x)).lr(0.25).build());
        List<Double> losses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            double loss = o.step(() -> {
                float v = x.get(0);
                grad(x, 2 * v); // d/dx x^2
                return (double) v * v;
            });
            losses.add(loss);
        }
        // x: 3 -> 1.5 -> 0.75 -> 0.375; the loss is x^2 before each step
        assertEquals(List.of(9.0, 2.25, 0.5625), losses);
        assertEquals(0.375f, x.get(0));
    }

    @Test
    void aClosedOptimizerThrowsIllegalStateException() {
        Tensor a = tensor(1);
        Optimizer o = Adam.builder(List.of(a)).build();
        grad(a, 1);
        o.step();
        StateDict saved = o.stateDict();
        o.close();
        assertDoesNotThrow(o::close, "close is idempotent");
        assertFalse(a.isClosed(), "the optimizer does not own its params");
        assertFalse(a.grad().isClosed(), "nor their grads");
        Map<String, Executable> uses = new LinkedHashMap<>();
        uses.put("step", o::step);
        uses.put("step(closure)", () -> o.step(() -> 1.0));
        uses.put("zeroGrad", o::zeroGrad);
        uses.put("addParamGroup", () -> o.addParamGroup(ParamGroup.of(List.of(tensor(2)))));
        uses.put("stateDict", o::stateDict);
        uses.put("loadStateDict", () -> o.loadStateDict(saved));
        uses.forEach((name, use) -> {
            var e = assertThrows(IllegalStateException.class, use, name);
            assertTrue(e.getMessage().contains("closed"), name + ": " + e.getMessage());
        });
        assertEquals(1f - 1e-3f, a.get(0), 1e-6, "one step only");
    }

    @Test
    void theClosureIsNotCalledOnAClosedOptimizer() {
        Optimizer o = SGD.builder(List.of(tensor(1))).lr(0.1).build();
        o.close();
        boolean[] called = {false};
        assertThrows(IllegalStateException.class, () -> o.step(() -> {
            called[0] = true;
            return 0.0;
        }));
        assertFalse(called[0]);
    }

    @Test
    void aGradClosedBehindTheParamsBackIsAnExceptionNotACrash() {
        Tensor a = tensor(1, 2), b = tensor(3, 4);
        Optimizer o = own(AdamW.builder(List.of(a, b)).build());
        grad(a, 1, 1);
        grad(b, 1, 1);
        b.grad().close();
        assertThrows(IllegalStateException.class, o::step);
        assertArrayEquals(new float[] {1, 2}, a.toFloatArray());
        assertEquals(0, o.stepCount(a));
        o.zeroGrad(); // drops the closed grad
        grad(a, 1, 1);
        grad(b, 1, 1);
        o.step();
        assertEquals(1, o.stepCount(a));
        assertEquals(1, o.stepCount(b));
    }

    @Test
    void toStringNamesTheOptimizer() {
        Optimizer o = own(RMSprop.builder(List.of(tensor(1))).build());
        assertTrue(o.toString().startsWith("RMSprop("), o.toString());
        assertNotEquals(o.toString(), own(Adam.builder(List.of(tensor(1))).build()).toString());
    }
}
