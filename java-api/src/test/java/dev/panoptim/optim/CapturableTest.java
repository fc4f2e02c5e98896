package dev.panoptim.optim;

import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code capturable(true)} Adam/AdamW (lr and step counts in device memory): the same steps as the
 * plain optimizer, counts that read back through stepCount and stateDict, lr changes that take
 * effect, and a clear error for a param without a grad.
 */
class CapturableTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void capturableStepsMatchThePlainOnes(Device device) {
        float[] w0 = {0.5f, -1.25f, 2f, 0.75f, -0.3f}, g = {0.1f, -0.4f, 0.25f, 1.5f, -0.05f};
        try (Tensor plainW = Tensor.of(device, w0); Tensor capW = Tensor.of(device, w0);
             Optimizer plain = AdamW.builder(List.of(plainW)).lr(1e-2).build();
             Optimizer cap = AdamW.builder(List.of(capW)).lr(1e-2).capturable(true).build()) {
            double[] lrs = {1e-2, 3e-2, 5e-3};
            for (double lr : lrs) {
                plain.paramGroups().get(0).setLr(lr);
                cap.paramGroups().get(0).setLr(lr);
                plainW.setGrad(Tensor.of(device, g));
                capW.setGrad(Tensor.of(device, g));
                plain.step();
                cap.step();
            }
            // The device lr is a float: the step sizes differ from the double lr by its rounding.
            assertArrayEquals(plainW.toFloatArray(), capW.toFloatArray(), 1e-6f);
            assertEquals(3, cap.stepCount(capW));
            assertEquals(3L, cap.stateDict().state().get(0).get("step"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void everyParamOfACapturableGroupNeedsAGrad(Device device) {
        try (Tensor a = Tensor.of(device, new float[] {1f, 2f}); Tensor b = Tensor.of(device, new float[] {3f});
             Optimizer cap = Adam.builder(List.of(a, b)).capturable(true).build()) {
            a.setGrad(Tensor.of(device, new float[] {1f, 1f}));
            IllegalStateException e = assertThrows(IllegalStateException.class, cap::step);
            assertTrue(e.getMessage().contains("1 of the 2 params of a group have no grad"), e.getMessage());
        }
    }
}
