package dev.panoptim.optim;

import dev.panoptim.runtime.NativeStatus;
import dev.panoptim.runtime.Panoptim;
import dev.panoptim.runtime.PanoptimException;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.panoptim.optim.OptimizerBuilderTest.assertIae;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The low-level entry over caller-owned MemorySegments: agreement with Optimizer, and every rejected argument. */
class FusedStepsTest {
    private static final int[] SIZES = {7, 1, 0, 70_001};
    private static final FusedSteps.SgdOptions SGD_OPTS = new FusedSteps.SgdOptions(0.05, 0.9, 0.1, 0.01, false, false);
    private static final FusedSteps.AdamOptions ADAM_OPTS =
            new FusedSteps.AdamOptions(0.01, 0.9, 0.99, 1e-8, 0.05, true, false);
    private static final FusedSteps.AdamOptions ADAM_PLAIN =
            new FusedSteps.AdamOptions(0.01, 0.9, 0.99, 1e-8, 0.05, false, false);

    private final Arena arena = Arena.ofConfined();
    private final List<AutoCloseable> owned = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : owned) c.close();
        arena.close();
    }

    private MemorySegment floats(int n) {
        return arena.allocate(ValueLayout.JAVA_FLOAT, n);
    }

    private MemorySegment floats(float... values) {
        return arena.allocateFrom(ValueLayout.JAVA_FLOAT, values);
    }

    private List<MemorySegment> segments(int count) {
        List<MemorySegment> l = new ArrayList<>();
        for (int n : SIZES) l.add(floats(n));
        return l.subList(0, count);
    }

    private static float initial(int k, int i) {
        return (float) Math.sin(k + 0.001 * i);
    }

    private static float gradAt(int step, int k, int i, float p) {
        return (float) (Math.cos(step + k + 0.01 * i) + 0.5 * p);
    }

    /** Params as tensors (owned by the test) and as segments of this arena, with equal values. */
    private List<Tensor> tensorParams(List<MemorySegment> segs) {
        List<Tensor> ts = new ArrayList<>();
        for (int k = 0; k < SIZES.length; k++) {
            float[] v = new float[SIZES[k]];
            for (int i = 0; i < v.length; i++) v[i] = initial(k, i);
            MemorySegment.copy(v, 0, segs.get(k), ValueLayout.JAVA_FLOAT, 0, v.length);
            Tensor t = Tensor.of(v);
            owned.add(t);
            ts.add(t);
        }
        return ts;
    }

    private static void fillGrads(int step, List<Tensor> ts, List<MemorySegment> grads) {
        for (int k = 0; k < ts.size(); k++) {
            float[] p = ts.get(k).toFloatArray();
            float[] g = new float[p.length];
            for (int i = 0; i < g.length; i++) g[i] = gradAt(step, k, i, p[i]);
            ts.get(k).setGrad(Tensor.of(g));
            MemorySegment.copy(g, 0, grads.get(k), ValueLayout.JAVA_FLOAT, 0, g.length);
        }
    }

    private static void assertSameValues(List<Tensor> ts, List<MemorySegment> segs) {
        for (int k = 0; k < ts.size(); k++) {
            // The same kernel runs on the same float32 inputs: bitwise equal.
            assertArrayEquals(ts.get(k).toFloatArray(), segs.get(k).toArray(ValueLayout.JAVA_FLOAT), "tensor " + k);
        }
    }

    // ------------------------------------------------------------------ agreement with Optimizer

    @Test
    void sgdMatchesTheOptimizerExactly() {
        List<MemorySegment> p = segments(SIZES.length), g = segments(SIZES.length), buf = segments(SIZES.length);
        List<Tensor> ts = tensorParams(p);
        try (Optimizer opt = SGD.builder(ts).lr(0.05).momentum(0.9).dampening(0.1).weightDecay(0.01).build()) {
            for (int step = 1; step <= 4; step++) {
                fillGrads(step, ts, g);
                boolean[] isNew = new boolean[SIZES.length];
                Arrays.fill(isNew, step == 1);
                FusedSteps.sgd(Device.CPU, p, g, buf, isNew, SGD_OPTS);
                opt.step();
                assertSameValues(ts, p);
            }
            for (int k = 0; k < SIZES.length; k++) {
                assertArrayEquals(opt.stateBuffer(ts.get(k), "momentum_buffer"), buf.get(k).toArray(ValueLayout.JAVA_FLOAT));
            }
        }
        assertNotEquals(initial(0, 0), p.get(0).getAtIndex(ValueLayout.JAVA_FLOAT, 0), "the params moved");
    }

    @Test
    void adamwMatchesTheOptimizerExactly() {
        List<MemorySegment> p = segments(SIZES.length), g = segments(SIZES.length);
        List<MemorySegment> m = segments(SIZES.length), v = segments(SIZES.length), vmax = segments(SIZES.length);
        List<Tensor> ts = tensorParams(p);
        try (Optimizer opt = AdamW.builder(ts).lr(0.01).betas(0.9, 0.99).eps(1e-8).weightDecay(0.05).amsgrad(true).build()) {
            for (int step = 1; step <= 4; step++) {
                fillGrads(step, ts, g);
                long[] steps = new long[SIZES.length];
                Arrays.fill(steps, step);
                FusedSteps.adamw(Device.CPU, p, g, m, v, vmax, steps, ADAM_OPTS);
                opt.step();
                assertSameValues(ts, p);
            }
            for (int k = 0; k < SIZES.length; k++) {
                assertArrayEquals(opt.stateBuffer(ts.get(k), "exp_avg"), m.get(k).toArray(ValueLayout.JAVA_FLOAT));
                assertArrayEquals(opt.stateBuffer(ts.get(k), "max_exp_avg_sq"), vmax.get(k).toArray(ValueLayout.JAVA_FLOAT));
            }
        }
    }

    @Test
    void adamAndAdamwDiffer() {
        // Same data, L2 vs decoupled weight decay: the two entries must not be wired to one kernel mode.
        MemorySegment p1 = floats(1f, 2f), p2 = floats(1f, 2f), g = floats(0.5f, 0.5f);
        var opts = new FusedSteps.AdamOptions(0.1, 0.9, 0.999, 1e-8, 0.5, false, false);
        FusedSteps.adam(Device.CPU, List.of(p1), List.of(g), List.of(floats(2)), List.of(floats(2)), null, new long[] {1}, opts);
        FusedSteps.adamw(Device.CPU, List.of(p2), List.of(g), List.of(floats(2)), List.of(floats(2)), null, new long[] {1}, opts);
        // AdamW: p * (1 - 0.05) - 0.1; Adam: g' = 0.5 + 0.5 p, p - 0.1 * sign(g')
        assertEquals(1 * 0.95f - 0.1f, p2.getAtIndex(ValueLayout.JAVA_FLOAT, 0), 1e-6);
        assertEquals(1 - 0.1f, p1.getAtIndex(ValueLayout.JAVA_FLOAT, 0), 1e-6);
        assertEquals(0.5f, g.getAtIndex(ValueLayout.JAVA_FLOAT, 0), "grads are only read");
    }

    @Test
    void rmspropStepsInPlace() {
        MemorySegment p = floats(1f, -1f), g = floats(2f, -2f), sq = floats(2);
        FusedSteps.rmsprop(Device.CPU, List.of(p), List.of(g), List.of(sq), null, null,
                new FusedSteps.RmspropOptions(0.01, 0.99, 1e-8, 0, 0, false, false));
        // sq = 0.01 * 4 = 0.04; p -= 0.01 * 2 / (0.2 + 1e-8)
        assertEquals(0.04f, sq.getAtIndex(ValueLayout.JAVA_FLOAT, 0), 1e-7);
        assertEquals(1 - 0.1f, p.getAtIndex(ValueLayout.JAVA_FLOAT, 0), 1e-6);
        assertEquals(-1 + 0.1f, p.getAtIndex(ValueLayout.JAVA_FLOAT, 1), 1e-6);
    }

    @Test
    void readOnlyGradsAndEmptyListsAreFine() {
        MemorySegment p = floats(1f), g = floats(1f).asReadOnly();
        FusedSteps.sgd(Device.CPU, List.of(p), List.of(g), null, null, new FusedSteps.SgdOptions(0.5, 0, 0, 0, false, false));
        assertEquals(0.5f, p.getAtIndex(ValueLayout.JAVA_FLOAT, 0));
        FusedSteps.sgd(Device.CPU, List.of(), List.of(), null, null, SGD_OPTS);
        FusedSteps.adam(Device.CPU, List.of(), List.of(), List.of(), List.of(), null, new long[0], ADAM_OPTS);
    }

    // ------------------------------------------------------------------ rejected arguments

    @Test
    void heapSegmentsAreRejectedWithAHint() {
        MemorySegment heap = MemorySegment.ofArray(new float[] {1, 2});
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(heap), List.of(floats(2)), null, null, SGD_OPTS),
                "params[0]", "heap", "off-heap");
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(floats(2)), List.of(heap), null, null, SGD_OPTS),
                "grads[0]", "off-heap");
        assertIae(() -> FusedSteps.adamw(Device.CPU, List.of(floats(2), floats(2)), List.of(floats(2), floats(2)),
                List.of(floats(2), heap), List.of(floats(2), floats(2)), null, new long[] {1, 1}, ADAM_OPTS),
                "expAvgs[1]", "off-heap");
    }

    @Test
    void mismatchedSizesNameTheListAndIndex() {
        MemorySegment p0 = floats(1f, 2f), p1 = floats(3f, 4f, 5f);
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(p0, p1), List.of(floats(2), floats(4)), null, null, SGD_OPTS),
                "grads[1]", "4 floats", "params[1]", "3");
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(p0, p1), List.of(floats(2)), null, null, SGD_OPTS),
                "grads", "1 segments", "2 params");
        assertIae(() -> FusedSteps.rmsprop(Device.CPU, List.of(p0), List.of(floats(2)), List.of(floats(2)),
                List.of(floats(1)), null, new FusedSteps.RmspropOptions(0.01, 0.99, 1e-8, 0, 0.9, false, false)),
                "momentumBuffers[0]", "1 floats");
        assertIae(() -> FusedSteps.adam(Device.CPU, List.of(p0), List.of(floats(2)), List.of(floats(2)), List.of(floats(2)),
                List.of(floats(3)), new long[] {1}, ADAM_OPTS), "maxExpAvgSqs[0]", "3 floats");
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(p0), List.of(floats(2)), List.of(floats(2)),
                new boolean[] {true, false}, SGD_OPTS), "bufferIsNew", "2 entries", "1 params");
        MemorySegment odd = arena.allocate(6, 4);
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(odd), List.of(odd), null, null, SGD_OPTS),
                "params[0]", "6 bytes");
        MemorySegment misaligned = arena.allocate(12, 4).asSlice(2, 8);
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(misaligned), List.of(floats(2)), null, null, SGD_OPTS),
                "params[0]", "aligned");
        assertArrayEquals(new float[] {1, 2}, p0.toArray(ValueLayout.JAVA_FLOAT), "nothing was stepped");
    }

    @Test
    void nullListsAndElementsAreRejected() {
        MemorySegment p = floats(1f, 2f);
        assertIae(() -> FusedSteps.sgd(Device.CPU, null, List.of(floats(2)), null, null, SGD_OPTS), "params", "null");
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(p), null, null, null, SGD_OPTS), "grads", "null");
        assertIae(() -> FusedSteps.sgd(Device.CPU, Arrays.asList(p, null), List.of(floats(2), floats(2)), null, null,
                SGD_OPTS), "params[1]", "null");
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(p), Arrays.asList((MemorySegment) null), null, null, SGD_OPTS),
                "grads[0]", "null");
        // momentum != 0 needs buffers: the native layer says so
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(p), List.of(floats(2)), null, null, SGD_OPTS),
                "momentum_buffers");
        assertIae(() -> FusedSteps.rmsprop(Device.CPU, List.of(p), List.of(floats(2)), null, null, null,
                new FusedSteps.RmspropOptions(0.01, 0.99, 1e-8, 0, 0, false, false)), "squareAvgs", "null");
        assertIae(() -> FusedSteps.rmsprop(Device.CPU, List.of(p), List.of(floats(2)), List.of(floats(2)), null, null,
                new FusedSteps.RmspropOptions(0.01, 0.99, 1e-8, 0, 0, true, false)), "grad_avgs");
        assertIae(() -> FusedSteps.adamw(Device.CPU, List.of(p), List.of(floats(2)), null, List.of(floats(2)), null,
                new long[] {1}, ADAM_OPTS), "expAvgs", "null");
        // amsgrad without max buffers
        assertIae(() -> FusedSteps.adamw(Device.CPU, List.of(p), List.of(floats(2)), List.of(floats(2)), List.of(floats(2)),
                null, new long[] {1}, ADAM_OPTS), "max_exp_avg_sqs");
        assertArrayEquals(new float[] {1, 2}, p.toArray(ValueLayout.JAVA_FLOAT));
    }

    @Test
    void stepsMustMatchAndStartAtOne() {
        List<MemorySegment> p = List.of(floats(1f), floats(2f));
        List<MemorySegment> g = List.of(floats(1), floats(1)), m = List.of(floats(1), floats(1)),
                v = List.of(floats(1), floats(1)), vm = List.of(floats(1), floats(1));
        assertIae(() -> FusedSteps.adam(Device.CPU, p, g, m, v, vm, new long[] {1}, ADAM_OPTS), "steps", "(2)", "got 1");
        assertIae(() -> FusedSteps.adam(Device.CPU, p, g, m, v, vm, null, ADAM_OPTS), "steps", "null");
        var e = assertIae(() -> FusedSteps.adamw(Device.CPU, p, g, m, v, vm, new long[] {1, 0}, ADAM_OPTS),
                "steps[1]", "0");
        assertTrue(e.getMessage().contains("pt_adamw_step"), "carries the native message: " + e.getMessage());
        assertEquals(1f, p.get(0).getAtIndex(ValueLayout.JAVA_FLOAT, 0), "nothing was stepped");
    }

    @Test
    void aSegmentOfAClosedArenaIsIllegalState() {
        MemorySegment g = floats(2);
        MemorySegment dead;
        try (Arena other = Arena.ofConfined()) {
            dead = other.allocate(ValueLayout.JAVA_FLOAT, 2);
        }
        var e1 = assertThrows(IllegalStateException.class,
                () -> FusedSteps.sgd(Device.CPU, List.of(dead), List.of(g), null, null, SGD_OPTS));
        assertTrue(e1.getMessage().contains("params[0]") && e1.getMessage().contains("closed"), e1.getMessage());
        MemorySegment p = floats(2);
        var e2 = assertThrows(IllegalStateException.class,
                () -> FusedSteps.sgd(Device.CPU, List.of(p), List.of(dead), null, null, SGD_OPTS));
        assertTrue(e2.getMessage().contains("grads[0]"), e2.getMessage());
        // a closed Tensor's segment cannot even be obtained
        Tensor t = Tensor.zeros(2);
        t.close();
        assertThrows(IllegalStateException.class, t::segment);
    }

    @Test
    void aSegmentOfAnotherThreadsConfinedArenaIsAnExceptionNotACrash() throws Exception {
        MemorySegment p = floats(1f), g = floats(1f);
        Throwable[] thrown = {null};
        Thread t = new Thread(() -> {
            try {
                FusedSteps.sgd(Device.CPU, List.of(p), List.of(g), null, null, new FusedSteps.SgdOptions(0.5, 0, 0, 0, false, false));
            } catch (Throwable ex) {
                thrown[0] = ex;
            }
        });
        t.start();
        t.join();
        assertTrue(thrown[0] instanceof WrongThreadException, "got " + thrown[0]);
        assertTrue(thrown[0].getMessage().contains("params[0]"), thrown[0].getMessage());
        assertEquals(1f, p.getAtIndex(ValueLayout.JAVA_FLOAT, 0), "the other thread did not write it");
    }

    @Test
    void readOnlyParamsAndStateAreRejected() {
        MemorySegment p = floats(1f, 2f);
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(p.asReadOnly()), List.of(floats(2)), null, null, SGD_OPTS),
                "params[0]", "read-only");
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(p), List.of(floats(2)), List.of(floats(2).asReadOnly()), null,
                SGD_OPTS), "momentumBuffers[0]", "read-only");
        assertIae(() -> FusedSteps.adam(Device.CPU, List.of(p), List.of(floats(2)), List.of(floats(2)),
                List.of(floats(2).asReadOnly()), null, new long[] {1}, ADAM_PLAIN), "expAvgSqs[0]", "read-only");
        assertArrayEquals(new float[] {1, 2}, p.toArray(ValueLayout.JAVA_FLOAT));
    }

    @Test
    void invalidHyperparametersComeBackWithTheNativeMessage() {
        MemorySegment p = floats(1f, 2f);
        List<MemorySegment> g = List.of(floats(2)), m = List.of(floats(2)), v = List.of(floats(2));
        var e = assertIae(() -> FusedSteps.adam(Device.CPU, List.of(p), g, m, v, null, new long[] {1},
                new FusedSteps.AdamOptions(1e-3, 1.0, 0.999, 1e-8, 0, false, false)), "beta1", "pt_adam_step");
        assertTrue(e.getMessage().contains("INVALID_ARGUMENT"), e.getMessage());
        assertIae(() -> FusedSteps.adamw(Device.CPU, List.of(p), g, m, v, null, new long[] {1},
                new FusedSteps.AdamOptions(1e-3, 0.9, -0.5, 1e-8, 0, false, false)), "beta2");
        assertIae(() -> FusedSteps.adamw(Device.CPU, List.of(p), g, m, v, null, new long[] {1},
                new FusedSteps.AdamOptions(1e-3, 0.9, 0.999, -1e-8, 0, false, false)), "eps");
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(p), g, null, null,
                new FusedSteps.SgdOptions(Double.NaN, 0, 0, 0, false, false)), "lr", "pt_sgd_step");
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(p), g, null, null,
                new FusedSteps.SgdOptions(0.1, 0, 0, -1, false, false)), "weight_decay");
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(p), g, m, null,
                new FusedSteps.SgdOptions(0.1, 0.9, 0.5, 0, true, false)), "nesterov");
        assertIae(() -> FusedSteps.sgd(Device.CPU, List.of(p), g, null, null,
                new FusedSteps.SgdOptions(0.1, 0, 0, 0, true, false)), "nesterov");
        assertIae(() -> FusedSteps.rmsprop(Device.CPU, List.of(p), g, m, null, null,
                new FusedSteps.RmspropOptions(0.01, -0.99, 1e-8, 0, 0, false, false)), "alpha", "pt_rmsprop_step");
        assertArrayEquals(new float[] {1, 2}, p.toArray(ValueLayout.JAVA_FLOAT), "nothing was stepped");
        assertArrayEquals(new float[2], m.get(0).toArray(ValueLayout.JAVA_FLOAT));
    }

    @Test
    void cudaWithoutAUsableGpuIsUnsupported() {
        assumeFalse(Panoptim.cuda().available(), "this check is for machines without a usable CUDA device");
        MemorySegment p = floats(1f, 2f);
        var e = assertThrows(UnsupportedOperationException.class, () -> FusedSteps.sgd(Device.CUDA, List.of(p),
                List.of(floats(2)), null, null, new FusedSteps.SgdOptions(0.1, 0, 0, 0, false, false)));
        assertTrue(e.getMessage().contains("CUDA") && e.getMessage().contains("pt_sgd_step")
                && e.getMessage().contains("PANOPTIM_CUDA_SIM=1"), e.getMessage());
        var e2 = assertThrows(UnsupportedOperationException.class, () -> FusedSteps.adamw(Device.CUDA, List.of(p),
                List.of(floats(2)), List.of(floats(2)), List.of(floats(2)), null, new long[] {1}, ADAM_PLAIN));
        assertTrue(e2.getMessage().contains(Panoptim.cuda().reason()), e2.getMessage());
        assertArrayEquals(new float[] {1, 2}, p.toArray(ValueLayout.JAVA_FLOAT));
    }
}
