package dev.panoptim.optim;

import dev.panoptim.runtime.Cuda;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Devices;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The same optimizers on every available device: state placement, bad input, mixed devices, freeing. */
class OptimizerDevicesTest {
    private final List<AutoCloseable> owned = new ArrayList<>();

    private <T extends AutoCloseable> T own(T t) {
        owned.add(t);
        return t;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : owned) c.close();
    }

    private Tensor tensor(Device device, float... values) {
        return own(Tensor.of(device, values));
    }

    private static void grad(Tensor p, float... g) {
        p.setGrad(Tensor.of(p.device(), g, p.shape()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void stateLivesOnTheParamsDeviceAndStepsMatchTheFormula(Device device) {
        Tensor w = tensor(device, 1f, -2f);
        Optimizer o = own(SGD.builder(List.of(w)).lr(0.1).momentum(0.9).build());
        grad(w, 1f, 1f);
        o.step();
        grad(w, 1f, 1f);
        o.step();   // buf = 1, then 0.9 + 1 = 1.9: w -= 0.1 * (1 + 1.9)
        assertArrayEquals(new float[] {1f - 0.29f, -2f - 0.29f}, w.toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1.9f, 1.9f}, o.stateBuffer(w, "momentum_buffer"), 1e-6f);
        assertEquals(device, w.grad().device());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void zeroSizeAndMixedShapeParamsStep(Device device) {
        int n = Devices.big(device, 100_003);
        Tensor empty = own(Tensor.zeros(device, 0)), matrix = own(Tensor.of(device, new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        Tensor big = own(Tensor.zeros(device, n));
        for (Optimizer o : List.of(own(SGD.builder(List.of(empty)).lr(0.1).momentum(0.9).build()),
                own(RMSprop.builder(List.of(matrix)).centered(true).momentum(0.5).build()),
                own(Adam.builder(List.of(big)).amsgrad(true).build()))) {
            for (Tensor p : List.of(empty, matrix, big)) {
                float[] g = new float[(int) p.numel()];
                Arrays.fill(g, 1f);
                grad(p, g);
            }
            o.step();
            o.zeroGrad();
        }
        for (float v : matrix.toFloatArray()) assertTrue(v != 0, "matrix stepped");
        float[] bigNow = big.toFloatArray();
        assertEquals(-1e-3f, bigNow[0], 1e-6);
        assertEquals(bigNow[0], bigNow[n - 1], "every element of a tensor larger than one chunk is stepped");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void badInputStepsNothing(Device device) {
        Tensor a = tensor(device, 1, 2), b = tensor(device, 3, 4);
        Tensor c = Tensor.of(device, new float[] {5, 6});
        Optimizer o = own(SGD.builder(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b, c))))
                .lr(0.1).momentum(0.9).build());
        grad(a, 1, 1);
        grad(b, 1, 1);
        grad(c, 1, 1);
        c.close();
        var e = assertThrows(IllegalStateException.class, o::step);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertArrayEquals(new float[] {1, 2}, a.toFloatArray(), "group 0 is not stepped when group 1 fails");
        assertNull(o.stateBuffer(a, "momentum_buffer"));
        // A hyperparameter the native side rejects: nothing moves, no state appears.
        var lowLevel = assertThrows(IllegalArgumentException.class, () -> FusedSteps.adam(device, List.of(a.nativeSegment()),
                List.of(a.grad().nativeSegment()), List.of(b.nativeSegment()), List.of(b.grad().nativeSegment()), null,
                new long[] {1}, new FusedSteps.AdamOptions(1e-3, 1.0, 0.999, 1e-8, 0, false, false)));
        assertTrue(lowLevel.getMessage().contains("beta1"), lowLevel.getMessage());
        assertArrayEquals(new float[] {1, 2}, a.toFloatArray());
        assertArrayEquals(new float[] {3, 4}, b.toFloatArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void aGroupMustBeOnOneDeviceButGroupsMayDiffer(Device device) {
        assumeTrue(device.isCuda(), "a CUDA check");
        Tensor onCpu = tensor(Device.CPU, 1, 2), onCuda = tensor(device, 1, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> SGD.builder(List.of(onCpu, onCuda)).lr(0.1).build());
        assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains(device.toString()), e.getMessage());
        Optimizer o = own(AdamW.builder(List.of(ParamGroup.of(List.of(onCpu)), ParamGroup.of(List.of(onCuda)))).lr(0.1).build());
        var added = assertThrows(IllegalArgumentException.class,
                () -> o.addParamGroup(ParamGroup.of(List.of(tensor(Device.CPU, 1), tensor(device, 1)))));
        assertTrue(added.getMessage().contains("cpu") && added.getMessage().contains(device.toString()), added.getMessage());
        grad(onCpu, 1, -1);
        grad(onCuda, 1, -1);
        o.step();
        assertArrayEquals(onCpu.toFloatArray(), onCuda.toFloatArray(), 1e-6f, "the same step on both devices");
        assertEquals(1, o.stepCount(onCuda));
        var low = assertThrows(IllegalArgumentException.class, () -> FusedSteps.sgd(device, List.of(onCuda.nativeSegment()),
                List.of(onCuda.grad().nativeSegment(), onCpu.grad().nativeSegment()), null, null,
                new FusedSteps.SgdOptions(0.1, 0, 0, 0, false, false)));
        assertTrue(low.getMessage().contains("grads"), low.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void closingTheOptimizerFreesItsCudaState(Device device) {
        assumeTrue(device.isCuda(), "a CUDA check");
        Cuda.synchronize(device.index());
        long before = Cuda.memoryAllocated(device.index());
        try (Tensor w = Tensor.zeros(device, 4096); Optimizer o = AdamW.builder(List.of(w)).amsgrad(true).build()) {
            w.setGrad(Tensor.zeros(device, 4096).fill(1f));
            o.step();
            assertTrue(Cuda.memoryAllocated(device.index()) >= before + 5 * 4096 * 4, "param, grad and three state buffers");
        }
        assertEquals(before, Cuda.memoryAllocated(device.index()));
    }
}
