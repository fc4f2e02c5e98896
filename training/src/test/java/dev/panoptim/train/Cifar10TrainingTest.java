package dev.panoptim.train;

import dev.panoptim.data.Cifar10;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SqliteRunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code dataset cifar10}: the binary batches (written small, in the official format) train a 3-channel resnet18. */
class Cifar10TrainingTest {
    @TempDir
    Path dir;

    private static void writeBatch(Path file, int records, long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] out = new byte[records * Cifar10.RECORD_BYTES];
        for (int r = 0; r < records; r++) {
            int label = r % 10;
            out[r * Cifar10.RECORD_BYTES] = (byte) label;
            for (int j = 0; j < Cifar10.IMAGE_BYTES; j++) {
                out[r * Cifar10.RECORD_BYTES + 1 + j] = (byte) (rng.nextInt(40) + (j / 1024 == label % 3 ? 150 : 0));
            }
        }
        Files.write(file, out);
    }

    @Test
    void trainsOnTheBinaryBatches() throws Exception {
        Path root = Files.createDirectories(dir.resolve(Cifar10.FOLDER));
        for (int i = 1; i <= 5; i++) writeBatch(root.resolve("data_batch_" + i + ".bin"), 16, i);
        writeBatch(root.resolve("test_batch.bin"), 20, 9);
        TrainingArgs args = TrainingArgs.builder().dataset("cifar10").data(dir).subset(1).batchSize(16).epochs(1)
                .augment(true).project("cifar").checkpoints(false).build();
        try (RunStore store = SqliteRunStore.inDirectory(dir);
             Trainer t = Trainer.builder(args).store(store).out(new PrintStream(PrintStream.nullOutputStream()))
                     .progressBar(false).build()) {
            assertEquals(3, ((dev.panoptim.nn.ResNet) t.model()).inChannels());
            assertEquals(80, t.trainLoader().dataset().size());
            assertEquals(5, t.trainLoader().batchesPerEpoch());
            TrainingResult r = t.train();
            assertFalse(r.stopped());
            assertEquals(5, r.globalStep());
            assertTrue(r.testAccuracy() >= 0 && r.testAccuracy() <= 1);
        }
    }
}
