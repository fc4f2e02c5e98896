package dev.panoptim.train;

import dev.panoptim.data.FashionMnist;
import dev.panoptim.data.Split;
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
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A short end-to-end training on a Fashion-MNIST subset (the real files; skipped, saying why, where they
 * are not installed): a resnet18 trained on 2000 images for two epochs must beat chance (0.1) by a wide
 * margin on 1000 test images, with the run tracked and checkpointed the course's way.
 */
class TrainingTest {
    @TempDir
    Path dir;

    @Test
    void shortTrainingOnFashionMnistBeatsChance() throws Exception {
        boolean installed = Files.isRegularFile(FashionMnist.DEFAULT_DIR.resolve("t10k-labels-idx1-ubyte.gz"))
                || Files.isRegularFile(FashionMnist.DEFAULT_DIR.resolve("t10k-labels-idx1-ubyte"));
        assumeTrue(installed, "Fashion-MNIST is not installed in " + FashionMnist.DEFAULT_DIR
                + " (apt-get install dataset-fashion-mnist; bin/panoptim demo does it)");
        TrainingData full = TrainingData.fashionMnist(FashionMnist.DEFAULT_DIR, false);
        TrainingData data = new TrainingData(full.train(), FashionMnist.load(Split.TEST).everyKth(10), full.trainTransforms(),
                full.testTransforms());
        TrainingArgs args = TrainingArgs.builder().subset(30).epochs(2).batchSize(64).learningRate(3e-3).schedule("onecycle")
                .project("e2e").runName("short").checkpointDir(dir.resolve("ckpt")).build();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        try (RunStore store = SqliteRunStore.inDirectory(dir);
             Trainer t = Trainer.builder(args).data(data).store(store).out(new PrintStream(text, true, StandardCharsets.UTF_8))
                     .progressBar(false).build()) {
            TrainingResult r = t.train();
            double seconds = (System.nanoTime() - t0) / 1e9;
            String out = text.toString(StandardCharsets.UTF_8);
            System.out.print(out);
            assertFalse(r.stopped());
            assertTrue(r.testAccuracy() >= 0.6, "test accuracy " + r.testAccuracy() + " (chance: 0.1)\n" + out);
            assertEquals(2 * 32, r.globalStep(), "2000 images in batches of 64: 32 per epoch");
            assertEquals(2, r.epochsDone());

            RunInfo info = store.run(r.runId()).orElseThrow();
            assertEquals(RunState.FINISHED, info.state());
            assertEquals(r.testAccuracy(), ((Number) info.summary().get("test_accuracy")).doubleValue());
            Set<String> keys = store.metricKeys(r.runId()).stream().map(RunStore.MetricKey::key).collect(Collectors.toSet());
            assertTrue(keys.containsAll(List.of("loss", "accuracy", "lr", "epoch", "train_loss", "train_accuracy", "val_loss",
                    "val_accuracy", "train_images_per_s", "eval_images_per_s", "epoch_seconds")), keys.toString());
            List<RunStore.MetricPoint> history = store.history(r.runId());
            assertTrue(history.stream().anyMatch(p -> p.step() == 0 && p.key().equals("val_accuracy")), "accuracy before training at step 0");
            assertEquals(64, history.stream().filter(p -> p.key().equals("loss")).count(), "a loss per step");
            assertEquals(List.of(dir.resolve("ckpt").resolve("step-00000064-epoch-002-batch-000000")), Checkpoints.list(dir.resolve("ckpt")));
            assertTrue(out.lines().anyMatch(l -> l.startsWith("before training: val_loss")), out);
            assertEquals(2, out.lines().filter(l -> l.matches("epoch [12]/2: train_loss .*")).count(), out);
            System.out.printf("short training: %.1f s, test accuracy %.4f%n", seconds, r.testAccuracy());
        }
    }
}
