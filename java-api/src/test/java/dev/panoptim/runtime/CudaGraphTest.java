package dev.panoptim.runtime;

import dev.panoptim.nn.Init;
import dev.panoptim.nn.Linear;
import dev.panoptim.optim.AdamW;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link CudaGraph} on cuda:0 (the simulator under PANOPTIM_CUDA_SIM=1): a training step captured
 * once and replayed equals the same steps run eagerly, bit for bit; what a capture cannot record is
 * refused naming the call; the capture always ends.
 */
class CudaGraphTest {
    private static final double[] LRS = {1e-2, 3e-3, 5e-2};

    @BeforeAll
    static void needsCuda() {
        assumeTrue(Cuda.isAvailable(), "needs a GPU or the CUDA simulator (PANOPTIM_CUDA_SIM=1)");
    }

    private static float[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextBoolean() ? 1 : -1) * (0.1f + (float) r.nextDouble());
        return v;
    }

    /** A Linear layer, its input and output grad, and a capturable AdamW, all on cuda:0. */
    private static final class Step implements AutoCloseable {
        final Linear fc;
        final Tensor x;
        final Tensor dy;
        final Optimizer opt;
        Tensor y;

        Step() {
            Init.manualSeed(11);
            fc = new Linear(7, 5);
            fc.to(Device.CUDA);
            x = Tensor.of(Device.CUDA, random(1, 6 * 7), 6, 7);
            dy = Tensor.of(Device.CUDA, random(2, 6 * 5), 6, 5);
            opt = AdamW.builder(fc.parameters()).lr(LRS[0]).weightDecay(0.01).capturable(true).build();
        }

        /** forward, backward, AdamW: allocates nothing once a first call made every buffer. */
        void run() {
            opt.zeroGrad(false);
            y = fc.forward(x);
            fc.backward(dy);
            opt.step();
        }

        void setLr(double lr) {
            opt.paramGroups().get(0).setLr(lr);
        }

        float[][] results() {
            return new float[][] {fc.weight().toFloatArray(), fc.bias().toFloatArray(), y.toFloatArray(),
                    fc.weight().grad().toFloatArray(), opt.stateBuffer(fc.weight(), "exp_avg"),
                    opt.stateBuffer(fc.weight(), "exp_avg_sq"), opt.stateBuffer(fc.bias(), "exp_avg_sq")};
        }

        @Override
        public void close() {
            opt.close();
            fc.close();
            x.close();
            dy.close();
        }
    }

    @Test
    void replaysOfACapturedStepEqualEagerStepsBitForBit() {
        try (Step eager = new Step(); Step graphed = new Step()) {
            eager.run();    // warm-up: outputs, grads, optimizer state and the device lr are made here
            graphed.run();
            for (double lr : LRS) {
                eager.setLr(lr);
                eager.run();
            }
            float[] before = graphed.fc.weight().toFloatArray();
            try (CudaGraph graph = CudaGraph.capture(0, graphed::run)) {
                assertEquals(0, graph.device());
                assertArrayEquals(before, graphed.fc.weight().toFloatArray(), "the capture itself runs nothing");
                for (double lr : LRS) {
                    graphed.setLr(lr);  // written to the device lr the replay reads
                    graph.replay();
                }
                float[][] want = eager.results(), got = graphed.results();
                String[] names = {"weight", "bias", "output", "weight grad", "weight exp_avg", "weight exp_avg_sq",
                        "bias exp_avg_sq"};
                for (int i = 0; i < want.length; i++) assertArrayEquals(want[i], got[i], names[i]);
                assertEquals(4, graphed.opt.stepCount(graphed.fc.weight()), "step counts advance on the device");
                assertEquals(4, eager.opt.stepCount(eager.fc.weight()));
            }
        }
    }

    @Test
    void anAllocationInTheBodyIsRefusedNamingIt() {
        PanoptimException e = assertThrows(PanoptimException.class,
                () -> CudaGraph.capture(0, () -> Tensor.zeros(Device.CUDA, 4)));
        assertTrue(e.getMessage().contains("allocation during CUDA graph capture: allocate before capturing"), e.getMessage());
        assertEquals(NativeStatus.UNSUPPORTED, e.status());
        assertFalse(CudaGraph.capturing(0), "a body that throws ends the capture");
    }

    @Test
    void aRefusalTheBodyCaughtStillFailsTheCapture() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CudaGraph.capture(0, () -> {
            assertTrue(CudaGraph.capturing(0));
            assertThrows(PanoptimException.class, () -> Cuda.synchronize(0));
        }));
        assertTrue(e.getMessage().contains("pt_cuda_synchronize") && e.getMessage().contains("synchronization during CUDA"
                + " graph capture"), e.getMessage());
        assertFalse(CudaGraph.capturing(0));
    }

    @Test
    void aThrowingBodyEndsTheCaptureAndItsExceptionComesThrough() {
        IllegalArgumentException mine = new IllegalArgumentException("from the body");
        assertSame(mine, assertThrows(IllegalArgumentException.class, () -> CudaGraph.capture(0, () -> {
            throw mine;
        })));
        assertFalse(CudaGraph.capturing(0));
        try (Tensor t = Tensor.zeros(Device.CUDA, 3)) {
            CudaGraph graph = CudaGraph.capture(0, () -> t.fill(0f));  // a memset: recorded
            t.copyFrom(new float[] {1, 2, 3});
            graph.replay();
            assertArrayEquals(new float[] {0, 0, 0}, t.toFloatArray());
            graph.close();
            graph.close();
            assertThrows(IllegalStateException.class, graph::replay, "a closed graph cannot replay");
        }
    }
}
