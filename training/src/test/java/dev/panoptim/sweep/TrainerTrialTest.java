package dev.panoptim.sweep;

import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunState;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SqliteRunStore;
import dev.panoptim.train.TrainingArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep without a program trains panoptim's trainer in-process: two grid trials over a tiny Fashion-MNIST
 * written in IDX format, each run finished with the full TrainingArgs and the sweep's values in its config
 * and {@code accuracy} (the last validation accuracy) in its summary.
 */
class TrainerTrialTest {
    @TempDir
    Path dir;

    /** {@code n} 28x28 images whose class c is a bright band at rows 2c+2..2c+5, labels i % 10. */
    private static void writeSplit(Path data, String prefix, int n) throws IOException {
        ByteBuffer images = ByteBuffer.allocate(16 + n * 784).putInt(2051).putInt(n).putInt(28).putInt(28);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(2049).putInt(n);
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            labels.put((byte) c);
            for (int p = 0; p < 784; p++) images.put((byte) (p / 28 >= 2 * c + 2 && p / 28 < 2 * c + 6 ? 200 : (i * 7 + p) % 50));
        }
        Files.write(data.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(data.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }

    /** 64 training and 20 test images in the temp dir. */
    private Path tinyFashionMnist() throws IOException {
        Path data = Files.createDirectories(dir.resolve("fashion-mnist"));
        writeSplit(data, "train", 64);
        writeSplit(data, "t10k", 20);
        return data;
    }

    @Test
    void twoTrialsTrainWithTheSweepsValuesLockedIn() throws Exception {
        Path data = tinyFashionMnist();
        SweepConfig config = SweepTest.yaml("""
                name: tiny
                method: grid
                metric: {name: accuracy, goal: maximize}
                parameters:
                  batch_size: {values: [16, 32]}
                  learning_rate: {value: 0.003}
                  epochs: {value: 1}
                """);
        assertEquals(List.of(), TrialArgs.problems(config));
        TrainingArgs base = TrainingArgs.builder().data(data).subset(1).epochs(3).batchSize(64).evalBatchSize(32)
                .checkpoints(false).build();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (RunStore store = SqliteRunStore.inDirectory(dir)) {
            String id = Sweeps.create(store, config, 1L).id();
            TrainerTrial trial = new TrainerTrial(store, dir, base, new PrintStream(text, true, StandardCharsets.UTF_8));
            assertEquals(2, Sweeps.agent(store, id, null, trial), text.toString(StandardCharsets.UTF_8));
            assertFalse(trial.stopped());

            List<RunInfo> runs = store.sweepRuns(id);
            assertEquals(2, runs.size());
            Set<Object> batchSizes = new HashSet<>();
            for (RunInfo r : runs) {
                assertEquals(RunState.FINISHED, r.state(), r.toString());
                Map<String, Object> c = r.config();
                batchSizes.add(c.get("batch_size"));
                assertEquals(c.get("batch_size"), c.get("batchSize"), "the sweep's value is the trainer's: " + c);
                assertEquals(1, c.get("epochs"), "the sweep's epochs win over the base's 3");
                assertEquals(0.003, c.get("learningRate"));
                assertEquals(1, c.get("subset"), "the base's value where the sweep sets none");
                assertEquals(r.project(), c.get("project"));
                assertTrue(c.keySet().containsAll(List.of("optimizer", "schedule", "weightDecay", "seed")), "the full TrainingArgs: " + c);
                Object accuracy = r.summary().get("accuracy");
                assertTrue(accuracy instanceof Number, "accuracy in the summary: " + r.summary());
                assertEquals(r.summary().get("val_accuracy"), accuracy, "accuracy is the last validation accuracy");
                Set<String> logged = store.metricKeys(r.id()).stream().map(RunStore.MetricKey::key).collect(Collectors.toSet());
                assertTrue(logged.contains("accuracy") && logged.contains("val_accuracy"), logged.toString());
                assertEquals(64 / ((Number) c.get("batch_size")).intValue(), ((Number) r.summary().get("global_step")).intValue(),
                        "one epoch of 64 images");
            }
            assertEquals(Set.of(16, 32), batchSizes);
        }
    }

    /**
     * A trial whose run another agent marks stopped (as Hyperband does) stops training at its next log, keeps the
     * stopped state, and the agent goes on to the next trial: early termination is not Ctrl-C.
     */
    @Test
    void aTrialStoppedFromOutsideEndsAsStoppedAndTheSweepGoesOn() throws Exception {
        Path data = tinyFashionMnist();
        SweepConfig config = SweepTest.yaml("""
                method: grid
                metric: {name: loss, goal: minimize}
                parameters:
                  learning_rate: {values: [0.5, 0.003]}
                """);
        TrainingArgs base = TrainingArgs.builder().data(data).subset(1).epochs(3).batchSize(4).evalBatchSize(32)
                .checkpoints(false).build();
        try (RunStore store = SqliteRunStore.inDirectory(dir)) {
            String id = Sweeps.create(store, config, 1L).id();
            Thread stopper = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    RunInfo first = store.sweepRuns(id).stream().findFirst().orElse(null);
                    if (first != null && first.stepCount() >= 3) {
                        store.setState(first.id(), RunState.STOPPED, null, true, System.currentTimeMillis());
                        return;
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            TrainerTrial trial = new TrainerTrial(store, dir, base, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            int ran = 0;
            while (Sweeps.agent(store, id, 1, trial) == 1) {   // as `panoptim sweep run` does: one trial per call
                ran++;
                if (ran == 1) {
                    assertTrue(trial.stopped(), "the first trial stopped early");
                    assertFalse(trial.interrupted(), "not by Ctrl-C: the agent claims the next trial");
                }
            }
            stopper.interrupt();
            assertEquals(2, ran);
            List<RunInfo> runs = store.sweepRuns(id);
            assertEquals(RunState.STOPPED, runs.get(0).state());
            assertTrue(runs.get(0).stepCount() < 3 * 16, "it stopped training: " + runs.get(0).stepCount() + " steps");
            assertEquals(RunState.FINISHED, runs.get(1).state());
            assertEquals("finished", store.sweep(id).orElseThrow().state());
        }
    }

    @Test
    void outsideASweepItSaysWhereItRuns() {
        try (RunStore store = SqliteRunStore.inDirectory(dir)) {
            TrainerTrial trial = new TrainerTrial(store, dir, TrainingArgs.defaults(), System.out);
            assertEquals("a TrainerTrial runs inside Sweeps.agent over the same store",
                    assertThrows(IllegalStateException.class, trial::run).getMessage());
        }
    }
}
