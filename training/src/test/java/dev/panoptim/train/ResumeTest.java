package dev.panoptim.train;

import dev.panoptim.optim.StateDict;
import dev.panoptim.tensor.Tensor;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SqliteRunStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resume equals uninterrupted, bit for bit: a run stopped after k steps (mid-epoch, at the end of an epoch
 * before its validation, in the second epoch) and resumed from its checkpoint ends with exactly the
 * parameters, buffers and optimizer state of the run that was never stopped, and with the same history.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResumeTest {
    /** Metrics that depend on the clock, not on the computation. */
    private static final Set<String> TIMING = Set.of("train_images_per_s", "eval_images_per_s", "epoch_seconds");
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    static Path dir;
    RunStore store;
    TrainingData data;
    final Map<String, Outcome> uninterrupted = new HashMap<>();

    record Outcome(Map<String, int[]> tensors, StateDict optimizer, Map<Long, Map<String, Double>> history, TrainingResult result) {}

    @BeforeAll
    void setUp() {
        store = SqliteRunStore.inDirectory(dir.resolve("store"));
        data = TinyData.data(96, 32);   // 6 batches of 16 per epoch
    }

    @AfterAll
    void tearDown() {
        store.close();
    }

    private static TrainingArgs args(String config, Path checkpoints) {
        TrainingArgs.Builder b = TrainingArgs.builder().subset(1).batchSize(16).evalBatchSize(32).epochs(2).seed(7)
                .project("resume-test").checkpointDir(checkpoints);
        return switch (config) {
            case "adamw-onecycle" -> b.optimizer("adamw").learningRate(3e-3).schedule("onecycle").augment(true).build();
            case "sgd-step" -> b.optimizer("sgd").momentum(0.9).nesterov(true).learningRate(0.02).schedule("step")
                    .labelSmoothing(0.1).build();
            // The scaling study's CNN: dropout masks must come back too (reseeded from the seed and the step).
            case "smallcnn-dropout-fanin" -> b.model("smallcnn").width(-1).dropout(0.3).lrRule("fan-in").optimizer("adamw")
                    .learningRate(1e-2).schedule("cosine").build();
            default -> throw new IllegalArgumentException(config);
        };
    }

    /** Trains; with {@code stopAt} >= 0, requests a stop (what Ctrl-C does) after that step. */
    private Outcome run(TrainingArgs args, long stopAt) {
        AtomicReference<Trainer> self = new AtomicReference<>();
        try (Trainer t = Trainer.builder(args).data(data).store(store).out(QUIET).progressBar(false).stepListener(step -> {
            if (step == stopAt) self.get().requestStop();
        }).build()) {
            self.set(t);
            TrainingResult r = t.train();
            Map<String, int[]> tensors = new LinkedHashMap<>();
            for (var e : t.model().stateDict().entrySet()) tensors.put(e.getKey(), bits(e.getValue()));
            return new Outcome(tensors, t.optimizer().stateDict(), history(r.runId()), r);
        }
    }

    private static int[] bits(Tensor t) {
        float[] v = t.toFloatArray();
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }

    private Map<Long, Map<String, Double>> history(String runId) {
        Map<Long, Map<String, Double>> h = new TreeMap<>();
        for (RunStore.MetricPoint p : store.history(runId)) {
            if (!TIMING.contains(p.key())) h.computeIfAbsent(p.step(), k -> new TreeMap<>()).put(p.key(), p.value());
        }
        return h;
    }

    private Outcome uninterrupted(String config) {
        return uninterrupted.computeIfAbsent(config, c -> run(args(c, dir.resolve(c + "-full")), -1));
    }

    @ParameterizedTest(name = "{0}, stopped after step {1}")
    @CsvSource({"adamw-onecycle, 4", "adamw-onecycle, 6", "adamw-onecycle, 9", "sgd-step, 6", "smallcnn-dropout-fanin, 5"})
    void resumeEqualsUninterrupted(String config, long k) {
        Outcome full = uninterrupted(config);
        assertFalse(full.result().stopped());
        assertEquals(12, full.result().globalStep());

        Path ckpts = dir.resolve(config + "-stop-" + k);
        Outcome first = run(args(config, ckpts), k);
        assertTrue(first.result().stopped());
        assertEquals(k, first.result().globalStep());

        Outcome resumed = run(args(config, ckpts).toBuilder().resume(ckpts).build(), -1);
        assertFalse(resumed.result().stopped());
        assertEquals(12, resumed.result().globalStep());

        assertEquals(full.tensors().keySet(), resumed.tensors().keySet());
        for (String name : full.tensors().keySet()) {
            assertArrayEquals(full.tensors().get(name), resumed.tensors().get(name), name + " differs after resuming at step " + k);
        }
        assertEquals(new StateDict(Map.of(), full.optimizer().paramGroups()).toJson(),
                new StateDict(Map.of(), resumed.optimizer().paramGroups()).toJson(), "param groups (lr, betas as the scheduler left them)");
        assertEquals(full.optimizer().state().keySet(), resumed.optimizer().state().keySet());
        for (var e : full.optimizer().state().entrySet()) {
            Map<String, Object> other = resumed.optimizer().state().get(e.getKey());
            for (var buf : e.getValue().entrySet()) {
                if (buf.getValue() instanceof float[] f) assertArrayEquals(f, (float[]) other.get(buf.getKey()), "state " + e.getKey() + "." + buf.getKey());
                else assertEquals(buf.getValue(), other.get(buf.getKey()), "state " + e.getKey() + "." + buf.getKey());
            }
        }
        assertEquals(full.result().testAccuracy(), resumed.result().testAccuracy());
        assertEquals(full.history(), resumed.history(), "the resumed run's history (the stopped run's, copied, then its own)");
    }
}
