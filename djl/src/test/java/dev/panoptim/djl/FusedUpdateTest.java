package dev.panoptim.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.ParameterTracker;
import dev.panoptim.optim.Adam;
import dev.panoptim.optim.AdamW;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.optim.RMSprop;
import dev.panoptim.optim.SGD;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each DJL optimizer against panoptim's own optimizer of the same algorithm and options (the
 * reference, itself checked against torch in java-api's tests), on DJL NDArrays updated in place:
 * both call the same fused kernel on the same float32 values, so the results must be bit-identical.
 */
class FusedUpdateTest extends WithNDManager {
    private static final int[] SHAPE = {7, 13};  // 91 elements: not a multiple of any vector width

    @Test
    void sgdWithNesterovMomentumAndWeightDecayMatchesPanoptim() {
        compare(PanoptimOptimizers.sgd().optLearningRate(0.1f).optMomentum(0.9f).optNesterov(true).optWeightDecays(0.01f).build(),
                t -> SGD.builder(t).lr(0.1).momentum(0.9).nesterov(true).weightDecay(0.01).build());
        compare(PanoptimOptimizers.sgd().optLearningRate(0.05f).optMomentum(0.5f).optDampening(0.25f).optMaximize(true).build(),
                t -> SGD.builder(t).lr(0.05).momentum(0.5).dampening(0.25).maximize(true).build());
        compare(PanoptimOptimizers.sgd().optLearningRate(0.05f).build(), t -> SGD.builder(t).lr(0.05).build());
    }

    @Test
    void rmspropCenteredWithMomentumMatchesPanoptim() {
        compare(PanoptimOptimizers.rmsprop().optLearningRate(0.01f).optAlpha(0.9f).optEpsilon(1e-6f).optMomentum(0.8f)
                        .optCentered(true).optWeightDecays(0.001f).build(),
                t -> RMSprop.builder(t).lr(0.01).alpha(0.9).eps(1e-6).momentum(0.8).centered(true).weightDecay(0.001).build());
    }

    @Test
    void adamAndAdamWMatchPanoptim() {
        compare(PanoptimOptimizers.adam().optLearningRate(0.01f).optWeightDecays(0.1f).optAmsgrad(true).build(),
                t -> Adam.builder(t).lr(0.01).weightDecay(0.1).amsgrad(true).build());
        compare(PanoptimOptimizers.adamW().optLearningRate(0.003f).optBeta1(0.8f).optBeta2(0.95f).optEpsilon(1e-6f).build(),
                t -> AdamW.builder(t).lr(0.003).betas(0.8, 0.95).eps(1e-6).weightDecay(0.01).build());
    }

    @Test
    void rescaleGradScalesTheGradientAndClipGradClipsIt() {
        // A rescale of 0.25 is exact in float32, so the reference gets grad * 0.25 bit for bit.
        compare(PanoptimOptimizers.adamW().optLearningRate(0.01f).setRescaleGrad(0.25f).build(),
                t -> AdamW.builder(t).lr(0.01).build(), g -> g * 0.25f);
        compare(PanoptimOptimizers.sgd().optLearningRate(0.1f).optMomentum(0.9f).setRescaleGrad(2f).optClipGrad(0.5f).build(),
                t -> SGD.builder(t).lr(0.1).momentum(0.9).build(), g -> Math.max(-0.5f, Math.min(0.5f, g * 2f)));
    }

    @Test
    void learningRateComesFromTheTrackerWithDjlsUpdateCount() {
        List<Integer> counts = new ArrayList<>();
        ParameterTracker halving = (id, n) -> {
            counts.add(n);
            return 0.1f / n;
        };
        try (PanoptimOptimizer sgd = PanoptimOptimizers.sgd().optLearningRateTracker(halving).build()) {
            NDArray w = manager.create(new float[] {1f, 2f});
            for (int i = 0; i < 3; i++) sgd.update("w", w, manager.create(new float[] {1f, 1f}));
            // lr 0.1, 0.05, 0.0333...: the weight moved by their sum
            assertArrayEquals(new float[] {1f - (0.1f + 0.05f + 0.1f / 3), 2f - (0.1f + 0.05f + 0.1f / 3)}, w.toFloatArray(), 1e-6f);
        }
        assertEquals(List.of(1, 2, 3), counts);
    }

    @Test
    void theWeightsGradientIsZeroedAfterItsUpdateAsDjlsOptimizersDo() {
        try (PanoptimOptimizer adamW = PanoptimOptimizers.adamW().build()) {
            NDArray w = manager.create(Arrays32.random(1, 12, 1f), new Shape(3, 4));
            w.setRequiresGradient(true);
            try (var collector = manager.getEngine().newGradientCollector()) {
                collector.backward(w.mul(w).sum());
            }
            NDArray grad = w.getGradient();
            assertTrue(grad.abs().sum().getFloat() > 0, "backward made a gradient");
            adamW.update("w", w, grad.duplicate());
            assertEquals(0f, w.getGradient().abs().sum().getFloat());
            assertEquals(new UpdateCounts(1, 0), adamW.updateCounts(), "a CPU float32 parameter is stepped in place");
        }
    }

    @Test
    void badInputIsAClearError() {
        try (PanoptimOptimizer adamW = PanoptimOptimizers.adamW().build()) {
            NDArray w = manager.create(new float[] {1f, 2f, 3f});
            var e = assertThrows(IllegalArgumentException.class, () -> adamW.update("w", w, manager.create(new float[] {1f, 2f})));
            assertTrue(e.getMessage().contains("(3)") && e.getMessage().contains("(2)"), e.getMessage());
            var ints = manager.create(new int[] {1, 2, 3});
            e = assertThrows(IllegalArgumentException.class, () -> adamW.update("i", ints, ints));
            assertTrue(e.getMessage().contains("int32"), e.getMessage());
            adamW.update("w", w, manager.create(new float[] {1f, 1f, 1f}));
            var shapeChanged = manager.create(new float[] {1f, 2f});
            var s = assertThrows(IllegalStateException.class, () -> adamW.update("w", shapeChanged, shapeChanged));
            assertTrue(s.getMessage().contains("optimizer state has shape (3)"), s.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> PanoptimOptimizers.adam().optBeta1(1f).build());
        assertThrows(IllegalArgumentException.class, () -> PanoptimOptimizers.sgd().optNesterov(true).build());
        assertThrows(IllegalArgumentException.class, () -> PanoptimOptimizers.rmsprop().optAlpha(-0.1f).build());
        assertThrows(IllegalArgumentException.class, () -> PanoptimOptimizers.adamW().optWeightDecays(-1f).build());
        assertThrows(IllegalArgumentException.class, () -> PanoptimOptimizers.sgd().optLearningRate(Float.NaN));
        PanoptimOptimizer closed = PanoptimOptimizers.sgd().build();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.update("w", manager.create(1f), manager.create(1f)));
    }

    private void compare(PanoptimOptimizer djl, Function<List<Tensor>, Optimizer> reference) {
        compare(djl, reference, g -> g);
    }

    /**
     * Five steps of both on the same weights and random gradients (two parameters, to catch state
     * mixed between them); {@code gradSeen} is what the reference must see of each gradient element.
     */
    private void compare(PanoptimOptimizer djl, Function<List<Tensor>, Optimizer> reference,
                         java.util.function.UnaryOperator<Float> gradSeen) {
        int n = SHAPE[0] * SHAPE[1];
        float[][] init = {Arrays32.random(10, n, 1f), Arrays32.random(11, n, 0.5f)};
        List<NDArray> weights = new ArrayList<>();
        List<Tensor> tensors = new ArrayList<>();
        for (float[] values : init) {
            weights.add(manager.create(values, new Shape(SHAPE[0], SHAPE[1])));
            tensors.add(Tensor.of(values, SHAPE).requiresGrad(true));
        }
        try (djl; Optimizer ref = reference.apply(tensors)) {
            for (int step = 0; step < 5; step++) {
                for (int i = 0; i < weights.size(); i++) {
                    float[] g = Arrays32.random(100 + 10L * step + i, n, 0.3f);
                    float[] seen = g.clone();
                    for (int j = 0; j < n; j++) seen[j] = gradSeen.apply(g[j]);
                    djl.update("p" + i, weights.get(i), manager.create(g, new Shape(SHAPE[0], SHAPE[1])));
                    tensors.get(i).setGrad(Tensor.of(seen, SHAPE));
                }
                ref.step();
            }
            for (int i = 0; i < weights.size(); i++) {
                assertArrayEquals(tensors.get(i).toFloatArray(), weights.get(i).toFloatArray(),
                        djl + " param " + i + " after 5 steps");
            }
            assertEquals(new UpdateCounts(10, 0), djl.updateCounts());
        } finally {
            tensors.forEach(Tensor::close);
        }
    }
}
