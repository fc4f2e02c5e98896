package dev.panoptim.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.EasyTrain;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** panoptim's optimizers inside DJL's own Trainer, against DJL's optimizers. */
class DjlTrainerTest {

    @Test
    void adamWGivesDjlsAdamWParametersAfterTenSteps() {
        // DJL adds eps to sqrt(v) before the bias correction, torch (and panoptim) after it: at step 1
        // DJL's update is lr * g / (|g| + eps / sqrt(1 - beta2)), torch's lr * g / (|g| + eps), which
        // differ by a quarter of lr for a gradient of 1e-6 with the default eps 1e-8. With eps 1e-12
        // the placement is invisible above gradients of 1e-9, so what is compared is the rest of the
        // algorithm: moments, bias corrections, decoupled weight decay, per-parameter state.
        float lr = 0.01f, wd = 0.05f, eps = 1e-12f;
        // Without BatchNorm: the bias of a Linear followed by one has a zero gradient up to rounding,
        // which Adam normalises into steps of size lr in random directions, different in any two
        // implementations.
        try (Mlp djl = Mlp.withoutBatchNorm(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(lr)).optWeightDecays(wd)
                        .optEpsilon(eps).build(), 5);
             PanoptimOptimizer adamW = PanoptimOptimizers.adamW().optLearningRate(lr).optWeightDecays(wd).optEpsilon(eps).build();
             Mlp ours = Mlp.withoutBatchNorm(adamW, 5)) {
            for (int step = 0; step < 10; step++) {
                float[] x = Mlp.inputs(step, 16);
                int[] y = Mlp.labels(step, 16);
                djl.step(x, y);
                ours.step(x, y);
            }
            Map<String, float[]> expected = djl.parameters(), actual = ours.parameters();
            assertEquals(expected.keySet(), actual.keySet());
            for (String name : expected.keySet()) {
                // Both compute AdamW in float32; DJL rounds in libtorch's op order (six ops), panoptim in
                // one fused expression, and the rounding differences feed back through ten forward and
                // backward passes. Ten steps of lr 0.01 move a weight by up to 0.1; 1e-5 is 1e-4 of that.
                double worst = Arrays32.worst(actual.get(name), expected.get(name), 1e-5, 1e-4);
                assertTrue(worst <= 1, name + ": worst element " + worst + " times the tolerance");
            }
            UpdateCounts counts = adamW.updateCounts();
            assertEquals(0, counts.copied(), "every array was stepped in place: " + counts);
            assertEquals(10L * trainableCount(ours), counts.zeroCopy());
        }
    }

    @Test
    void aDjlTrainerFitsAClassifierWithPanoptimsAdamW() throws Exception {
        try (PanoptimOptimizer adamW = PanoptimOptimizers.adamW().optLearningRate(0.01f).build();
             Mlp mlp = Mlp.create(adamW, 6);
             NDManager data = NDManager.newBaseManager()) {
            int n = 512;
            ArrayDataset train = new ArrayDataset.Builder()
                    .setData(data.create(Mlp.inputs(42, n), new Shape(n, Mlp.IN)))
                    .optLabels(data.create(Mlp.labels(42, n), new Shape(n)))
                    .setSampling(32, true).build();
            float first = Float.NaN, last = Float.NaN;
            for (int epoch = 0; epoch < 4; epoch++) {
                for (Batch batch : mlp.trainer.iterateDataset(train)) {
                    EasyTrain.trainBatch(mlp.trainer, batch);
                    mlp.trainer.step();
                    batch.close();
                }
                mlp.trainer.notifyListeners(l -> l.onEpoch(mlp.trainer));
                // Accuracy on fresh blobs, in inference mode.
                float[] x = Mlp.inputs(1000 + epoch, 256);
                int[] y = Mlp.labels(1000 + epoch, 256);
                try (NDManager eval = mlp.trainer.getManager().newSubManager()) {
                    NDArray pred = mlp.trainer.evaluate(new ai.djl.ndarray.NDList(eval.create(x, new Shape(256, Mlp.IN))))
                            .singletonOrThrow();
                    long[] argmax = pred.argMax(1).toLongArray();
                    int correct = 0;
                    for (int i = 0; i < y.length; i++) if (argmax[i] == y[i]) correct++;
                    last = correct / 256f;
                    if (epoch == 0) first = last;
                }
            }
            assertTrue(last >= 0.9f, "accuracy after 4 epochs " + last + " (after 1: " + first + ")");
            assertEquals(0, adamW.updateCounts().copied());
        }
    }

    @Test
    void frozenParametersAndParametersWithoutGradAreSkippedAsWithDjlsOptimizer() {
        Set<String> seenByDjl = ConcurrentHashMap.newKeySet(), seenByOurs = ConcurrentHashMap.newKeySet();
        try (Mlp djl = Mlp.create(Optimizer.adam().optLearningRateTracker(recording(seenByDjl)).build(), 7);
             PanoptimOptimizer adam = PanoptimOptimizers.adam().optLearningRateTracker(recording(seenByOurs)).build();
             Mlp ours = Mlp.create(adam, 7)) {
            // Freeze the first Linear in both.
            for (Mlp m : new Mlp[] {djl, ours}) m.model.getBlock().getChildren().get(0).getValue().freezeParameters(true);
            Map<String, float[]> before = ours.parameters();
            assertEquals(before.keySet(), djl.parameters().keySet());
            for (String name : before.keySet()) assertArrayEquals(djl.parameters().get(name), before.get(name), name + " seeded alike");
            for (int step = 0; step < 3; step++) {
                djl.step(Mlp.inputs(step, 16), Mlp.labels(step, 16));
                ours.step(Mlp.inputs(step, 16), Mlp.labels(step, 16));
            }
            Map<String, float[]> after = ours.parameters(), afterDjl = djl.parameters();
            Set<String> updated = new HashSet<>();
            for (String name : before.keySet()) {
                boolean changed = !java.util.Arrays.equals(before.get(name), after.get(name));
                boolean changedByDjl = !java.util.Arrays.equals(before.get(name), afterDjl.get(name));
                assertEquals(changedByDjl, changed, name + " changed with DJL's Adam: " + changedByDjl + ", with panoptim's: " + changed);
                if (changed) updated.add(name);
            }
            // The frozen Linear's weight and bias never changed; BatchNorm's running statistics (no
            // gradient) changed only through the forward passes, equally under both optimizers.
            assertTrue(updated.stream().noneMatch(n -> n.startsWith("01")), "frozen params changed: " + updated);
            for (String stat : new String[] {"02BatchNorm_runningMean", "02BatchNorm_runningVar"}) {
                assertTrue(updated.contains(stat), stat + " is updated by the forward passes");
                assertArrayEquals(afterDjl.get(stat), after.get(stat), 1e-5f, stat);
            }
            assertEquals(seenByDjl.size(), seenByOurs.size(), "both optimizers saw the same number of parameters");
            assertEquals(4, seenByOurs.size(), "BatchNorm gamma, beta and the last Linear's weight and bias");
        }
    }

    private static ParameterTracker recording(Set<String> ids) {
        return (id, n) -> {
            ids.add(id);
            return 0.01f;
        };
    }

    private static long trainableCount(Mlp mlp) {
        return mlp.model.getBlock().getParameters().values().stream().filter(p -> p.requiresGradient()).count();
    }
}
