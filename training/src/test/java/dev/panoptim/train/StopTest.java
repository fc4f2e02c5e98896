package dev.panoptim.train;

import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunState;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SqliteRunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Ctrl-C does, through the stop-request API its shutdown hook calls: the loop stops at the next step
 * boundary, writes a checkpoint at that position, ends the run as stopped with what it logged kept.
 */
class StopTest {
    @TempDir
    Path dir;

    private TrainingArgs args(Path checkpoints) {
        return TrainingArgs.builder().subset(1).batchSize(16).evalBatchSize(32).epochs(2).seed(3).project("stop-test")
                .checkpointDir(checkpoints).build();
    }

    @Test
    void stopRequestWritesACheckpointAtTheNextStepBoundary() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        AtomicReference<Trainer> self = new AtomicReference<>();
        Path ckpts = dir.resolve("ckpt");
        try (RunStore store = SqliteRunStore.inDirectory(dir);
             Trainer t = Trainer.builder(args(ckpts)).data(TinyData.data(96, 32)).store(store)
                     .out(new PrintStream(text, true, StandardCharsets.UTF_8)).progressBar(false)
                     .stepListener(step -> { if (step == 3) self.get().requestStop(); }).build()) {
            self.set(t);
            TrainingResult r = t.train();
            assertTrue(r.stopped());
            assertEquals(3, r.globalStep());
            assertTrue(Double.isNaN(r.testAccuracy()));
            assertEquals(ckpts.resolve("step-00000003-epoch-000-batch-000003"), r.checkpoint());
            assertEquals(List.of(r.checkpoint()), Checkpoints.list(ckpts), "the epoch's checkpoint is the only one");
            for (String f : List.of("model.safetensors", "optimizer.json", "optimizer.safetensors", "trainer.json")) {
                assertTrue(Files.isRegularFile(r.checkpoint().resolve(f)), f);
            }
            try (var files = Files.list(ckpts)) {
                assertEquals(1, files.count(), "no temporary folder is left");
            }
            CheckpointState s = Checkpoints.load(ckpts).state();
            assertEquals(0, s.epoch());
            assertEquals(3, s.nextBatch());
            assertEquals(3, s.globalStep());
            assertEquals(r.runId(), s.runId());
            assertEquals(48, s.epochSeen());
            assertEquals(args(ckpts), s.args());

            RunInfo info = store.run(r.runId()).orElseThrow();
            assertEquals(RunState.STOPPED, info.state());
            assertEquals(3, info.lastStep(), "steps 0 (before training) to 3 are kept");
            assertEquals(3.0, ((Number) info.summary().get("stopped_at_step")).doubleValue());
            String out = text.toString(StandardCharsets.UTF_8);
            assertTrue(out.contains("stopped at step 3 (epoch 1, batch 3): checkpoint " + r.checkpoint()
                    + "; continue with --resume " + ckpts), out);
        }
    }

    @Test
    void stopDuringTheFirstEvaluationKeepsTheStartingPoint() throws Exception {
        Path ckpts = dir.resolve("early");
        try (RunStore store = SqliteRunStore.inDirectory(dir);
             Trainer t = Trainer.builder(args(ckpts)).data(TinyData.data(96, 32)).store(store)
                     .out(new PrintStream(PrintStream.nullOutputStream())).progressBar(false).build()) {
            t.requestStop();
            TrainingResult r = t.train();
            assertTrue(r.stopped());
            assertEquals(0, r.globalStep());
            CheckpointState s = Checkpoints.load(ckpts).state();
            assertEquals(0, s.epoch());
            assertEquals(0, s.nextBatch());
        }
    }

    @Test
    void withoutCheckpointsAStopSavesNothing() {
        try (RunStore store = SqliteRunStore.inDirectory(dir);
             Trainer t = Trainer.builder(args(null).toBuilder().checkpoints(false).build()).data(TinyData.data(96, 32)).store(store)
                     .directory(dir).out(new PrintStream(PrintStream.nullOutputStream())).progressBar(false).build()) {
            t.requestStop();
            TrainingResult r = t.train();
            assertTrue(r.stopped());
            assertNull(r.checkpoint());
            assertFalse(Files.exists(dir.resolve("checkpoints")));
        }
    }
}
