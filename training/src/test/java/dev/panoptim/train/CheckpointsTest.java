package dev.panoptim.train;

import dev.panoptim.nn.Linear;
import dev.panoptim.nn.Sequential;
import dev.panoptim.optim.AdamW;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoint folders: written complete, read back exactly, the latest chosen, older ones pruned, broken ones named. */
class CheckpointsTest {
    @TempDir
    Path dir;

    private static CheckpointState state(long step, int epoch, int batch) {
        return new CheckpointState(Checkpoints.FORMAT, TrainingArgs.defaults(), epoch, batch, step, "abcd1234", 42,
                Map.of("last_epoch", step, "base_lrs", List.of(1e-3)), 1.5, 7, 9, 0.25, 3.0, Map.of());
    }

    @Test
    void roundTripIsExact() throws Exception {
        try (Sequential model = new Sequential(new Linear(3, 4), new Linear(4, 2));
             Sequential other = new Sequential(new Linear(3, 4), new Linear(4, 2))) {
            Optimizer opt = AdamW.builder(model.parameters()).lr(0.01).build();
            for (Tensor p : model.parameters()) {
                float[] g = new float[(int) p.numel()];
                for (int i = 0; i < g.length; i++) g[i] = (float) Math.sin(i + 0.1);
                p.setGrad(Tensor.of(g, p.shape()));
            }
            opt.step();
            opt.step();
            Path written = Checkpoints.save(dir, model, opt, state(2, 0, 2));
            assertEquals(dir.resolve("step-00000002-epoch-000-batch-000002"), written);

            Checkpoint c = Checkpoints.load(dir);
            assertEquals(written, c.dir());
            assertEquals(state(2, 0, 2).args(), c.state().args());
            assertEquals(2, c.state().globalStep());
            assertEquals(1.5, c.state().epochLossSum());
            Optimizer fresh = AdamW.builder(other.parameters()).lr(0.5).build();
            Checkpoints.restore(c, other, fresh);
            for (var e : model.stateDict().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), other.stateDict().get(e.getKey()).toFloatArray(), e.getKey());
            }
            assertEquals(opt.stateDict().toJson(), fresh.stateDict().toJson(), "state dict, buffers and all");
            opt.close();
            fresh.close();
        }
    }

    @Test
    void latestIsChosenAndOlderOnesPruned() throws Exception {
        try (Sequential model = new Sequential(new Linear(2, 2))) {
            Optimizer opt = AdamW.builder(model.parameters()).build();
            Checkpoints.save(dir, model, opt, state(5, 0, 5));
            Checkpoints.save(dir, model, opt, state(10, 1, 0));
            Files.createDirectories(dir.resolve("step-00000099-epoch-009-batch-000000"));   // incomplete: no trainer.json
            assertEquals(List.of(dir.resolve("step-00000010-epoch-001-batch-000000")), Checkpoints.list(dir));
            assertEquals(10, Checkpoints.load(dir).state().globalStep());
            // The same step at a later position (an epoch's end, then its validation done) sorts after it.
            Checkpoints.save(dir, model, opt, state(12, 1, 2));
            Checkpoints.save(dir, model, opt, state(12, 2, 0));
            assertEquals(0, Checkpoints.load(dir).state().nextBatch());
            // The same position again keeps the checkpoint there.
            Path again = Checkpoints.save(dir, model, opt, state(12, 2, 0));
            assertEquals(dir.resolve("step-00000012-epoch-002-batch-000000"), again);
            assertEquals(List.of(again), Checkpoints.list(dir));
            opt.close();
        }
    }

    @Test
    void brokenCheckpointsAreNamed() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Checkpoints.load(dir.resolve("nope")));
        assertEquals("checkpoint " + dir.resolve("nope") + ": not found", missing.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Checkpoints.load(dir));
        assertTrue(empty.getMessage().contains("holds no checkpoint"), empty.getMessage());
        Path half = Files.createDirectories(dir.resolve("half"));
        Files.writeString(half.resolve("trainer.json"), Checkpoints.json(state(1, 0, 1)));
        IllegalArgumentException lacking = assertThrows(IllegalArgumentException.class, () -> Checkpoints.load(half));
        assertEquals("checkpoint " + half + " lacks model.safetensors", lacking.getMessage());
        Files.writeString(half.resolve("trainer.json"), "{not json");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Checkpoints.load(half));
        assertTrue(bad.getMessage().startsWith("checkpoint " + half + ": trainer.json is not valid"), bad.getMessage());
    }
}
