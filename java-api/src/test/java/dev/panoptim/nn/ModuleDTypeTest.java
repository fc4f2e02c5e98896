package dev.panoptim.nn;

import dev.panoptim.tensor.DType;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.panoptim.nn.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Layers compute in float32: 16-bit inputs, output gradients, logits and parameter grads are refused
 * naming the layer and the dtype; state dicts of other dtypes load converted, as torch's do.
 */
class ModuleDTypeTest {
    private static void assertRefused(String layer, String dtype, Runnable call) {
        var e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(layer + ":") && e.getMessage().contains(" " + dtype + " but")
                && e.getMessage().contains("float32"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void layersRefuseSixteenBitInputsAndGradients(Device d) {
        try (Sequential model = new Sequential(new Conv2d(2, 3, 3, 1, 1), new BatchNorm2d(3), new ReLU(), new MaxPool2d(2),
                new AdaptiveAvgPool2d(1), new Flatten(), new Linear(3, 4));
             Tensor x = random(new SplittableRandom(3), d, 2, 2, 6, 6); Tensor xh = x.to(DType.BFLOAT16);
             Linear fc = new Linear(3, 2); CrossEntropyLoss loss = new CrossEntropyLoss()) {
            model.to(d);
            assertRefused("Sequential", "bfloat16", () -> model.forward(xh));
            assertRefused("Conv2d", "bfloat16", () -> model.get(0).forward(xh));
            Tensor y = model.forward(x);
            try (Tensor dy = Tensor.zeros(d, DType.FLOAT16, y.shape())) {
                assertRefused("Linear", "float16", () -> model.get(6).backward(dy));
            }
            try (Tensor logits = y.to(DType.FLOAT16)) {
                assertRefused("CrossEntropyLoss", "float16", () -> loss.forward(logits, new int[] {0, 1}));
            }
            // A bfloat16 grad on a float32 weight is for the optimizer; the layer writes float32 grads.
            fc.to(d);
            try (Tensor in = random(new SplittableRandom(4), d, 5, 3)) {
                Tensor out = fc.forward(in);
                fc.weight().setGrad(Tensor.zeros(d, DType.BFLOAT16, 2, 3));
                try (Tensor g = Tensor.zerosLike(out)) {
                    assertRefused("Linear", "bfloat16", () -> fc.backward(g));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void loadStateDictConvertsIntoTheModulesDType(Device d) {
        try (Linear a = new Linear(3, 5); Linear b = new Linear(3, 5)) {
            b.to(d);
            Map<String, Tensor> half = new LinkedHashMap<>();
            try {
                for (var e : a.stateDict().entrySet()) half.put(e.getKey(), e.getValue().to(d, DType.BFLOAT16));
                b.loadStateDict(half);
                for (var e : half.entrySet()) {
                    Tensor own = b.stateDict().get(e.getKey());
                    assertEquals(DType.FLOAT32, own.dtype(), "the module keeps its dtype");
                    assertEquals(d, own.device());
                    assertArrayEquals(e.getValue().toFloatArray(), own.toFloatArray(), e.getKey() + ": widened exactly");
                }
            } finally {
                half.values().forEach(Tensor::close);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void movingAModuleKeepsItsGradsDType(Device d) {
        assumeTrue(d.isCuda(), "a module is on the CPU already");
        try (Linear fc = new Linear(2, 2)) {
            fc.weight().setGrad(Tensor.zeros(Device.CPU, DType.BFLOAT16, 2, 2).fill(1.5f));
            fc.to(d);
            assertEquals(d, fc.weight().grad().device());
            assertEquals(DType.BFLOAT16, fc.weight().grad().dtype());
            assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f, 1.5f}, fc.weight().grad().toFloatArray());
        }
    }
}
