package dev.panoptim.nn;

import dev.panoptim.runtime.Cuda;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.panoptim.nn.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Module.to(device)} on every available device: parameters, grads and buffers move with their
 * values and flags, new children join the module's device, inputs of another device are refused
 * naming both, and state dicts and safetensors files cross devices.
 */
class ModuleDeviceTest {
    private static Sequential tiny() {
        return new Sequential(new Conv2d(2, 3, 3, 1, 1), new BatchNorm2d(3), new ReLU(), new MaxPool2d(2),
                new AdaptiveAvgPool2d(1), new Flatten(), new Linear(3, 4));
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void toMovesParametersGradsAndBuffers(Device d) {
        Init.manualSeed(1);
        try (Sequential model = tiny()) {
            model.get(0).namedParameters().get("bias").requiresGrad(false);
            Tensor fcWeight = model.namedParameters().get("6.weight");
            fcWeight.setGrad(Tensor.of(new float[12], 4, 3).fill(0.5f));
            Map<String, float[]> before = new java.util.LinkedHashMap<>();
            for (var e : model.stateDict().entrySet()) before.put(e.getKey(), e.getValue().toFloatArray());

            assertSame(model, model.to(d));
            assertEquals(d, model.device());
            for (Module m : model.modules()) assertEquals(d, m.device());
            for (var e : model.stateDict().entrySet()) {
                assertEquals(d, e.getValue().device(), e.getKey());
                assertArrayEquals(before.get(e.getKey()), e.getValue().toFloatArray(), e.getKey());
            }
            assertFalse(model.namedParameters().get("0.bias").requiresGrad(), "a frozen param stays frozen");
            Tensor movedGrad = model.namedParameters().get("6.weight").grad();
            assertEquals(d, movedGrad.device());
            assertEquals(0.5f, movedGrad.toFloatArray()[7]);
            assertEquals(5, model.parameters().size(), "the trainable ones");

            try (Tensor x = random(new SplittableRandom(2), d, 2, 2, 6, 6)) {
                Tensor y = model.forward(x);
                assertEquals(d, y.device());
                assertArrayEquals(new int[] {2, 4}, y.shape());
                Tensor dx = model.backward(y);
                assertEquals(d, dx.device());
                assertEquals(1, ((BatchNorm2d) model.get(1)).numBatchesTracked());
            }
            Linear head = model.set(6, new Linear(3, 2));               // built on the CPU
            assertEquals(d, head.device(), "a new child joins its parent's device");
            assertEquals(d, head.weight().device());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void inputOnAnotherDeviceIsRefusedNamingBoth(Device d) {
        if (d.isCpu()) return;   // needs two devices: CUDA's run covers both directions
        try (Linear fc = new Linear(3, 2); Tensor cpuX = Tensor.zeros(4, 3); Tensor cudaX = Tensor.zeros(d, 4, 3)) {
            var e = assertThrows(IllegalArgumentException.class, () -> fc.forward(cudaX));
            assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains(d.toString()), e.getMessage());
            fc.to(d);
            e = assertThrows(IllegalArgumentException.class, () -> fc.forward(cpuX));
            assertTrue(e.getMessage().contains("Linear") && e.getMessage().contains("is on cpu but the module is on "
                    + d), e.getMessage());
            fc.forward(cudaX);
            e = assertThrows(IllegalArgumentException.class, () -> fc.backward(Tensor.zeros(4, 2)));
            assertTrue(e.getMessage().contains("gradOutput is on cpu"), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void stateDictsAndSafetensorsCrossDevices(Device d, @TempDir Path dir) throws IOException {
        Init.manualSeed(3);
        try (Sequential source = tiny(); Sequential target = LayerGradientTest.on(d, tiny())) {
            ((BatchNorm2d) source.get(1)).runningVar().fill(2f);
            Map<String, Tensor> copies = source.to(d).stateDict(Device.CPU);
            try {
                for (var e : copies.entrySet()) {
                    assertEquals(Device.CPU, e.getValue().device(), "stateDict(CPU) holds host copies");
                    assertArrayEquals(source.stateDict().get(e.getKey()).toFloatArray(), e.getValue().toFloatArray());
                }
                target.loadStateDict(copies);                            // CPU tensors into a module on d
                assertArrayEquals(copies.get("1.running_var").toFloatArray(), target.stateDict().get("1.running_var").toFloatArray());
            } finally {
                for (Tensor t : copies.values()) t.close();
            }
            Path file = dir.resolve("tiny.safetensors");
            Safetensors.save(file, source);                              // from d
            try (Sequential loaded = LayerGradientTest.on(d, tiny())) {
                Safetensors.load(file, loaded);                          // into d
                for (var e : source.stateDict().entrySet()) {
                    assertArrayEquals(e.getValue().toFloatArray(), loaded.stateDict().get(e.getKey()).toFloatArray(), e.getKey());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void crossEntropyRunsOnTheLogitsDevice(Device d) {
        try (CrossEntropyLoss loss = new CrossEntropyLoss(0.1);
             Tensor logits = Tensor.of(d, new float[] {2, 0, 0, 0, 3, 0, 1, 0, 0}, 3, 3)) {
            int[] targets = {0, 1, 2};
            float value = loss.forward(logits, targets);
            assertTrue(value > 0 && value < 2, "loss " + value);
            assertEquals(d, loss.probabilities().device());
            assertEquals(d, loss.backward().device());
            assertEquals(2, CrossEntropyLoss.correct(logits, targets));
        }
    }

    @Test
    void cudaWhereItIsUnusableSaysWhy() {
        if (Cuda.isAvailable()) return;   // covered by the CUDA runs above
        try (Linear fc = new Linear(2, 2)) {
            var e = assertThrows(UnsupportedOperationException.class, () -> fc.to(Device.CUDA));
            assertTrue(e.getMessage().contains("PANOPTIM_CUDA_SIM=1"), e.getMessage());
            assertEquals(Device.CPU, fc.device(), "nothing moved");
        }
    }
}
