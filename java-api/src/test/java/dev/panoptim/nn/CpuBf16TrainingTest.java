package dev.panoptim.nn;

import dev.panoptim.optim.AdamW;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.runtime.CpuConv;
import dev.panoptim.runtime.CpuConvBackend;
import dev.panoptim.tensor.DType;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.panoptim.nn.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bf16 training on the CPU (issue 17): a small ResNet (stem, a downsampling BasicBlock, the head)
 * trained for a few AdamW steps with bfloat16 conv and linear products, on the own kernels and on
 * oneDNN's bf16 kernels, against the same run in float32.
 */
class CpuBf16TrainingTest {
    private static final int STEPS = 5;
    private static final int[] TARGETS = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3};

    @AfterEach
    void backToAuto() {
        CpuConv.setBackend(CpuConvBackend.AUTO);
    }

    private static Sequential model() {
        return new Sequential(new Conv2d(3, 8, 3, 1, 1, false), new BatchNorm2d(8), new ReLU(),
                new BasicBlock(8, 16, 2, BasicBlock.downsample(8, 16, 2)), new BasicBlock(16, 16),
                new AdaptiveAvgPool2d(1), new Flatten(), new Linear(16, 4));
    }

    /** The loss before each step and after the last. */
    private static float[] train(DType compute) {
        Init.manualSeed(11);
        float[] losses = new float[STEPS + 1];
        try (Sequential model = model(); Tensor x = random(new SplittableRandom(4), 16, 3, 12, 12);
             CrossEntropyLoss criterion = new CrossEntropyLoss();
             Optimizer opt = AdamW.builder(model.parameters()).lr(0.01).weightDecay(0.01).build()) {
            if (compute == DType.BFLOAT16) opt.writeBf16Copies(model.setComputeDType(compute).bf16WeightCopies());
            for (int i = 0; i <= STEPS; i++) {
                losses[i] = criterion.forward(model.forward(x), TARGETS);
                if (i == STEPS) break;
                opt.zeroGrad();
                model.backward(criterion.backward(), false);
                opt.step();
            }
        }
        return losses;
    }

    /**
     * Margin: bfloat16 operands (8 significant bits, relative error <= 2^-9) move the logits by a few
     * tenths of a percent, and through the BatchNorms of 16 images the loss (about 1.4) by up to a few
     * 1e-3 per step, compounding over the steps (measured: at most 4.7e-3 on the own kernels and on
     * oneDNN); 0.03 leaves a factor of ~7 and stays well below the loss drop of the 5 steps (> 0.3), so
     * a run that trained wrongly (no update, stale weight copies, a wrong bf16 kernel) fails.
     */
    private static final float MARGIN = 0.03f;

    @Test
    void bf16TracksFloat32OnBothConvBackends() {
        CpuConv.setBackend(CpuConvBackend.OWN);
        float[] fp32 = train(DType.FLOAT32);
        assertTrue(fp32[STEPS] < fp32[0] - 10 * MARGIN, "float32 run learns: " + Arrays.toString(fp32));
        float[] own = train(DType.BFLOAT16);
        check("own kernels", own, fp32);
        assumeTrue(!CpuConv.info().contains("unavailable"), "oneDNN is not installed here");
        CpuConv.setBackend(CpuConvBackend.ONEDNN);
        float[] onednn = train(DType.BFLOAT16);
        check("oneDNN", onednn, fp32);
        // float32 on oneDNN against float32 on the own kernels: only the summation order differs, which the
        // BatchNorms of 16 images amplify over the steps far less than bf16's rounding; the same margin holds
        float[] fp32OnDnn = train(DType.FLOAT32);
        for (int i = 0; i <= STEPS; i++) {
            assertTrue(Math.abs(fp32OnDnn[i] - fp32[i]) < MARGIN / 10, "float32 on oneDNN, loss " + i + ": "
                    + fp32OnDnn[i] + " vs own kernels " + fp32[i]);
        }
        System.out.println("losses float32 " + Arrays.toString(fp32) + ", float32 oneDNN " + Arrays.toString(fp32OnDnn)
                + ", bf16 own " + Arrays.toString(own) + ", bf16 oneDNN " + Arrays.toString(onednn));
    }

    private static void check(String where, float[] bf16, float[] fp32) {
        for (int i = 0; i <= STEPS; i++) {
            assertTrue(Math.abs(bf16[i] - fp32[i]) < MARGIN,
                    "bf16 on " + where + ", loss " + i + ": " + bf16[i] + " vs float32 " + fp32[i] + " (" + Arrays.toString(bf16) + ")");
        }
    }
}
