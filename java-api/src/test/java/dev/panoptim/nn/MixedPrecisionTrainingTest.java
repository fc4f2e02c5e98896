package dev.panoptim.nn;

import dev.panoptim.optim.AdamW;
import dev.panoptim.optim.GradScaler;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.tensor.DType;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.SplittableRandom;

import static dev.panoptim.nn.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small conv net trained for 3 AdamW steps under bfloat16 compute (with the optimizer writing the
 * weight copies) and under float16 compute with a GradScaler, against the same run in float32.
 */
class MixedPrecisionTrainingTest {
    private static final int[] TARGETS = {0, 1, 2, 0, 1, 2, 0, 1};
    private static final int STEPS = 3;

    private static Sequential model() {
        return new Sequential(new Conv2d(1, 4, 3, 1, 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(4 * 4 * 4, 3));
    }

    /** Losses before each step and after the last; bf16 copies checked against the masters at the end. */
    private static float[] train(Device device, DType compute, boolean scaled) {
        Init.manualSeed(5);
        float[] losses = new float[STEPS + 1];
        try (Sequential model = LayerGradientTest.on(device, model()); Tensor x = random(new SplittableRandom(9), device, 8, 1, 8, 8);
             CrossEntropyLoss criterion = new CrossEntropyLoss();
             Optimizer opt = AdamW.builder(model.parameters()).lr(0.02).weightDecay(0.01).build();
             GradScaler scaler = GradScaler.builder().enabled(scaled).build()) {
            opt.writeBf16Copies(model.setComputeDType(compute).bf16WeightCopies());
            for (int i = 0; i <= STEPS; i++) {
                losses[i] = criterion.forward(model.forward(x), TARGETS);
                if (i == STEPS) break;
                opt.zeroGrad();
                model.backward(scaler.scale(criterion.backward()), false);
                scaler.step(opt);
                scaler.update();
            }
            for (Map.Entry<Tensor, Tensor> e : model.bf16WeightCopies().entrySet()) {
                try (Tensor cast = e.getKey().to(DType.BFLOAT16)) {
                    assertArrayEquals(cast.toFloatArray(), e.getValue().toFloatArray(), "the optimizer kept the copy current");
                }
            }
            if (compute == DType.BFLOAT16) assertTrue(model.bf16WeightCopies().size() == 2, "conv and linear weights");
        }
        return losses;
    }

    /**
     * Margin: operands rounded to bfloat16 (8 significant bits, relative error <= 2^-9) or float16
     * (2^-12) change the logits by ~0.1% and the loss (about 1.1 here) by a few 1e-4 (measured: at most
     * 3.1e-4 for bf16, 1.4e-4 for fp16, on CPU and the CUDA simulator); 0.005 leaves a factor of 15 and
     * is far below the loss drop of the 3 steps (~0.48), so a run that trained wrongly (no update,
     * stale weight copies) fails.
     */
    private static final float MARGIN = 0.005f;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void threeStepsInMixedPrecisionTrackFloat32(Device device) {
        float[] fp32 = train(device, DType.FLOAT32, false);
        assertTrue(fp32[STEPS] < fp32[0] - 5 * MARGIN, "float32 run learns: " + fp32[0] + " -> " + fp32[STEPS]);
        float[] bf16 = train(device, DType.BFLOAT16, false);
        float[] fp16 = train(device, DType.FLOAT16, true);
        System.out.println(device + " losses float32 " + java.util.Arrays.toString(fp32) + ", bf16 "
                + java.util.Arrays.toString(bf16) + ", fp16 (scaled) " + java.util.Arrays.toString(fp16));
        for (int i = 0; i <= STEPS; i++) {
            assertTrue(Math.abs(bf16[i] - fp32[i]) < MARGIN, "bf16 loss " + i + ": " + bf16[i] + " vs float32 " + fp32[i]);
            assertTrue(Math.abs(fp16[i] - fp32[i]) < MARGIN, "fp16 loss " + i + ": " + fp16[i] + " vs float32 " + fp32[i]);
        }
    }
}
