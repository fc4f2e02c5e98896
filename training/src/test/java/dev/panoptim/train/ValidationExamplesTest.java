package dev.panoptim.train;

import dev.panoptim.track.RunStore;
import dev.panoptim.track.SqliteRunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer logs the first validation images with the model's probabilities at each evaluation, and none when off. */
class ValidationExamplesTest {
    @TempDir
    Path dir;

    private static TrainingArgs.Builder args() {
        return TrainingArgs.builder().subset(1).batchSize(16).evalBatchSize(16).epochs(1).seed(7).optimizer("sgd")
                .learningRate(0.01).project("examples-test").checkpoints(false);
    }

    private String train(RunStore store, TrainingArgs args) {
        try (Trainer t = Trainer.builder(args).data(TinyData.data(32, 12)).store(store).out(new PrintStream(OutputStream.nullOutputStream()))
                .progressBar(false).build()) {
            return t.train().runId();
        }
    }

    @Test
    void eachEvaluationLogsTheSameImagesWithProbabilities() throws Exception {
        try (RunStore store = SqliteRunStore.inDirectory(dir)) {
            String id = train(store, args().examples(3).build());
            assertEquals(List.of(new RunStore.MediaKey("examples", 2, 6, 0, 2)), store.mediaKeys(id), "before training and after the epoch");
            List<RunStore.MediaInfo> items = store.media(id, "examples");
            for (RunStore.MediaInfo m : items) {
                assertEquals("classification", m.kind());
                assertEquals("validation #" + m.index(), m.caption(), "the first images, in order");
                Map<String, Object> meta = m.meta();
                assertEquals(28, meta.get("width"));
                assertEquals(28, meta.get("height"));
                assertEquals(m.index() % 10, meta.get("label"), "TinyData's label of image i is i % 10");
                assertEquals(List.of("band0", "band1", "band2", "band3", "band4", "band5", "band6", "band7", "band8", "band9"),
                        meta.get("classes"));
                @SuppressWarnings("unchecked") List<Number> p = (List<Number>) meta.get("probabilities");
                double sum = p.stream().mapToDouble(Number::doubleValue).sum();
                assertEquals(1.0, sum, 1e-5, "a softmax sums to 1");
                assertTrue(p.stream().allMatch(x -> x.doubleValue() >= 0), p.toString());
            }
            RunStore.MediaData png = store.mediaData(id, 2, "examples", 1).orElseThrow();
            assertEquals("image/png", png.contentType());
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.data()));
            // TinyData's image 1 is a bright band (>= 150 of 255) at rows 4..7 over noise below 60
            assertTrue(img.getRaster().getSample(10, 5, 0) >= 150, "band row");
            assertTrue(img.getRaster().getSample(10, 20, 0) < 60, "noise row");
        }
    }

    @Test
    void zeroExamplesLogsNone() {
        try (RunStore store = SqliteRunStore.inDirectory(dir)) {
            String id = train(store, args().examples(0).build());
            assertEquals(List.of(), store.mediaKeys(id));
        }
    }

    @Test
    void softmaxIsStableForLargeLogits() {
        float[] p = ValidationExamples.softmax(new float[] {9f, 1000f, 1000f, -1000f}, 1, 3);
        assertEquals(0.5f, p[0], 1e-6f);
        assertEquals(0.5f, p[1], 1e-6f);
        assertEquals(0f, p[2], 1e-6f);
    }
}
