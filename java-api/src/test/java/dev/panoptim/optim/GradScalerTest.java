package dev.panoptim.optim;

import dev.panoptim.runtime.CudaGraph;
import dev.panoptim.tensor.DType;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GradScaler} against torch.amp.GradScaler's rules: an overflow skips the step (params,
 * optimizer state and step counts unchanged) and backs the scale off; growthInterval clean steps grow
 * it; scaled grads step exactly as unscaled ones (the scales are powers of two, so dividing is exact);
 * the state dict uses torch's keys; a disabled scaler passes through; the step path captures in a
 * CUDA graph.
 */
class GradScalerTest {
    private static final float[] W0 = {0.5f, -1.25f, 2f, 0.75f, -0.3f};
    private static final float[] G = {0.1f, -0.4f, 0.25f, 1.5f, -0.05f};

    private static float[] times(float[] g, double s) {
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) out[i] = (float) (g[i] * s);
        return out;
    }

    /** Steps w with grads G * scale through the scaler, twin with G plainly; returns nothing, compares. */
    private static void scaledStepsMatchPlainOnes(Device device, Function<List<Tensor>, Optimizer> make, boolean bf16Grads,
                                                  float tol) {
        try (Tensor w = Tensor.of(device, W0); Tensor twin = Tensor.of(device, W0);
             Optimizer opt = make.apply(List.of(w)); Optimizer plain = make.apply(List.of(twin));
             GradScaler scaler = GradScaler.builder().initScale(1024).growthInterval(2).build()) {
            for (int k = 0; k < 5; k++) {
                double s = scaler.getScale();
                try (Tensor g = Tensor.of(device, times(G, s))) {
                    w.setGrad(bf16Grads ? g.to(DType.BFLOAT16) : g.to(DType.FLOAT32));
                }
                Tensor plainGrad = Tensor.of(device, G);
                twin.setGrad(bf16Grads ? plainGrad.to(DType.BFLOAT16) : plainGrad);
                if (bf16Grads) plainGrad.close();
                scaler.step(opt);
                scaler.update();
                plain.step();
                assertFalse(scaler.lastStepSkipped());
            }
            assertEquals(4096.0, scaler.getScale(), "grown twice (growth interval 2, 5 clean steps)");
            assertArrayEquals(twin.toFloatArray(), w.toFloatArray(), tol, "a power-of-two scale divides out exactly");
            assertEquals(plain.stepCount(twin), opt.stepCount(w));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void scaledStepsEqualPlainSteps(Device device) {
        // SGD: the same float32 operations on the same unscaled grads: equal bit for bit.
        scaledStepsMatchPlainOnes(device, p -> SGD.builder(p).lr(0.1).momentum(0.9).build(), false, 0f);
        // Adam under a scaler keeps its lr and step counts on the device (floats, as capturable mode):
        // the bias corrections are computed from the float count instead of the host's, so the
        // updates (~1e-2) may differ in the last bits: 1e-6.
        scaledStepsMatchPlainOnes(device, p -> Adam.builder(p).lr(1.0 / 64).build(), false, 1e-6f);
        scaledStepsMatchPlainOnes(device, p -> AdamW.builder(p).lr(1.0 / 64).capturable(true).build(), false, 1e-6f);
        scaledStepsMatchPlainOnes(device, p -> AdamW.builder(p).lr(1.0 / 64).build(), true, 1e-6f);
    }

    /** One clean step, then an inf in one grad: nothing changes, the scale halves. */
    private static void overflowSkips(Device device, Function<List<Tensor>, Optimizer> make, String... buffers) {
        try (Tensor a = Tensor.of(device, W0); Tensor b = Tensor.of(device, new float[] {3f, -2f});
             Optimizer opt = make.apply(List.of(a, b)); GradScaler scaler = GradScaler.builder().initScale(256).build()) {
            a.setGrad(Tensor.of(device, G));
            b.setGrad(Tensor.of(device, new float[] {1f, 1f}));
            scaler.step(opt);
            scaler.update();
            assertEquals(256.0, scaler.getScale());
            assertEquals(1, scaler.growthTracker());
            float[] aBefore = a.toFloatArray(), bBefore = b.toFloatArray();
            Map<String, float[]> stateBefore = new LinkedHashMap<>();
            for (String name : buffers) stateBefore.put(name, opt.stateBuffer(a, name));
            long stepsBefore = opt.stepCount(a);

            a.setGrad(Tensor.of(device, new float[] {0.1f, Float.POSITIVE_INFINITY, 0.2f, 0.3f, 0.4f}));
            b.setGrad(Tensor.of(device, new float[] {1f, 1f}));
            scaler.step(opt);
            assertTrue(scaler.lastStepSkipped());
            scaler.update();
            assertEquals(128.0, scaler.getScale(), "backoff 0.5");
            assertEquals(0, scaler.growthTracker());
            assertArrayEquals(aBefore, a.toFloatArray(), opt + ": params unchanged");
            assertArrayEquals(bBefore, b.toFloatArray(), opt + ": a param with finite grads is skipped too");
            for (String name : buffers) assertArrayEquals(stateBefore.get(name), opt.stateBuffer(a, name), opt + ": " + name);
            assertEquals(stepsBefore, opt.stepCount(a), opt + ": a skipped step is not counted (torch's fused Adam)");

            a.setGrad(Tensor.of(device, G));
            b.setGrad(Tensor.of(device, new float[] {1f, 1f}));
            scaler.step(opt);
            scaler.update();
            assertFalse(scaler.lastStepSkipped());
            assertFalse(java.util.Arrays.equals(aBefore, a.toFloatArray()), "the next clean step updates");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void anOverflowSkipsTheStepAndBacksOff(Device device) {
        overflowSkips(device, p -> Adam.builder(p).lr(1e-2).build(), "exp_avg", "exp_avg_sq");
        overflowSkips(device, p -> AdamW.builder(p).lr(1e-2).capturable(true).amsgrad(true).build(), "exp_avg", "exp_avg_sq",
                "max_exp_avg_sq");
        overflowSkips(device, p -> SGD.builder(p).lr(0.1).momentum(0.9).build(), SGD.MOMENTUM_BUFFER);
    }

    /** The scales over a pattern of clean and overflowing steps follow torch's _amp_update_scale_ rule. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void theScalesFollowTorchsRule(Device device) {
        boolean[] overflow = {false, false, false, true, false, false, true, true, false, false, false, false, false};
        int interval = 3;
        double expected = 1 << 16;
        int tracker = 0;
        try (Tensor w = Tensor.of(device, W0); Optimizer opt = SGD.builder(List.of(w)).lr(1e-3).build();
             GradScaler scaler = GradScaler.builder().growthInterval(interval).build()) {
            assertEquals(65536.0, scaler.getScale(), "torch's init_scale");
            for (boolean inf : overflow) {
                w.setGrad(Tensor.of(device, inf ? new float[] {0, Float.NaN, 0, 0, 0} : G));
                scaler.step(opt);
                scaler.update();
                if (inf) {
                    expected *= 0.5;
                    tracker = 0;
                } else if (++tracker == interval) {
                    expected *= 2;
                    tracker = 0;
                }
                assertEquals(expected, scaler.getScale());
                assertEquals(tracker, scaler.growthTracker());
                assertEquals(inf, scaler.lastStepSkipped());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void scaleMultipliesTheLossGradientInPlace(Device device) {
        try (Tensor dlogits = Tensor.of(device, new float[] {0.25f, -1f, 3f}); GradScaler scaler = GradScaler.builder()
                .initScale(8).build()) {
            assertSame(dlogits, scaler.scale(dlogits));
            assertArrayEquals(new float[] {2f, -8f, 24f}, dlogits.toFloatArray());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void theStateDictRoundTripsWithTorchsKeys(Device device) {
        try (Tensor w = Tensor.of(device, W0); Optimizer opt = SGD.builder(List.of(w)).lr(1e-3).build();
             GradScaler scaler = GradScaler.builder().initScale(32).growthFactor(4).backoffFactor(0.25).growthInterval(5).build();
             GradScaler restored = GradScaler.builder().build()) {
            for (int k = 0; k < 3; k++) {
                w.setGrad(Tensor.of(device, G));
                scaler.step(opt);
                scaler.update();
            }
            Map<String, Object> state = scaler.stateDict();
            assertEquals(Map.of("scale", 32.0, "growth_factor", 4.0, "backoff_factor", 0.25, "growth_interval", 5,
                    "_growth_tracker", 3), state);
            restored.loadStateDict(state);
            assertEquals(state, restored.stateDict());
            // Two more clean steps reach the interval of 5 in both.
            for (GradScaler s : List.of(scaler, restored)) {
                for (int k = 0; k < 2; k++) {
                    w.setGrad(Tensor.of(device, G));
                    s.step(opt);
                    s.update();
                }
                assertEquals(128.0, s.getScale());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> restored.loadStateDict(Map.of()));
            assertTrue(e.getMessage().contains("disabled"), e.getMessage());
        }
    }

    @Test
    void aDisabledScalerPassesThrough() {
        try (Tensor w = Tensor.of(W0); Tensor dlogits = Tensor.of(new float[] {1f, 2f});
             Optimizer opt = SGD.builder(List.of(w)).lr(0.5).build();
             GradScaler scaler = GradScaler.builder().enabled(false).build()) {
            scaler.scale(dlogits);
            assertArrayEquals(new float[] {1f, 2f}, dlogits.toFloatArray());
            w.setGrad(Tensor.of(G));
            scaler.step(opt);
            scaler.update();
            assertEquals(W0[0] - 0.5f * G[0], w.toFloatArray()[0]);
            assertEquals(1.0, scaler.getScale());
            assertTrue(scaler.stateDict().isEmpty());
        }
    }

    @Test
    void misuseIsAClearError() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GradScaler.builder().growthFactor(1).build())
                .getMessage().contains("growthFactor must be > 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GradScaler.builder().backoffFactor(1).build())
                .getMessage().contains("backoffFactor must be in (0, 1)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GradScaler.builder().growthInterval(0).build())
                .getMessage().contains("growthInterval"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GradScaler.builder().initScale(-1).build())
                .getMessage().contains("initScale"));
        try (Tensor w = Tensor.of(W0); Optimizer opt = SGD.builder(List.of(w)).lr(0.5).build();
             GradScaler scaler = GradScaler.builder().build()) {
            assertThrows(IllegalStateException.class, scaler::update, "update before any step");
            assertThrows(IllegalStateException.class, () -> scaler.step(opt), "no grads");
            w.setGrad(Tensor.of(G));
            scaler.step(opt);
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> scaler.step(opt));
            assertTrue(twice.getMessage().contains("already been called"), twice.getMessage());
        }
    }

    /** scale, step and update recorded in a CUDA graph and replayed equal the same calls made directly. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void theStepPathCapturesInACudaGraph(Device device) {
        if (device.isCpu()) return;   // graphs are CUDA's
        try (Tensor w = Tensor.of(device, W0); Tensor twin = Tensor.of(device, W0);
             Tensor base = Tensor.of(device, G); Tensor lossGrad = Tensor.of(device, G);
             Optimizer opt = AdamW.builder(List.of(w)).lr(1e-2).capturable(true).build();
             Optimizer direct = AdamW.builder(List.of(twin)).lr(1e-2).capturable(true).build();
             GradScaler scaler = GradScaler.builder().initScale(4).growthInterval(2).build();
             GradScaler directScaler = GradScaler.builder().initScale(4).growthInterval(2).build()) {
            // The "backward" of this test: the grad is the scaled loss gradient itself (copied on the device).
            Runnable iteration = () -> {
                lossGrad.copyFrom(base);
                w.grad().copyFrom(scaler.scale(lossGrad));
                scaler.step(opt);
                scaler.update();
            };
            w.setGrad(Tensor.zeros(device, 5));
            iteration.run();   // makes the optimizer state and the scaler's state before capturing
            try (CudaGraph graph = CudaGraph.capture(device.index(), iteration)) {
                for (int k = 0; k < 3; k++) graph.replay();
            }
            twin.setGrad(Tensor.zeros(device, 5));
            for (int k = 0; k < 4; k++) {
                lossGrad.copyFrom(base);
                twin.grad().copyFrom(directScaler.scale(lossGrad));
                directScaler.step(direct);
                directScaler.update();
            }
            assertEquals(directScaler.getScale(), scaler.getScale());
            assertEquals(16.0, scaler.getScale(), "4 clean steps with growth interval 2 grow twice");
            assertArrayEquals(twin.toFloatArray(), w.toFloatArray());
            assertEquals(4, opt.stepCount(w));
        }
    }
}
