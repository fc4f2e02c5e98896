package dev.panoptim.scaling;

import dev.panoptim.track.Run;
import dev.panoptim.track.RunState;
import dev.panoptim.track.SqliteRunStore;
import dev.panoptim.track.Tracking;
import dev.panoptim.sweep.SweepConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The study as a sweep: its grid, its folder's tie to the sweep, and resuming, with a scripted trial
 * standing in for training (it writes what the trainer writes: params, train_flops, val_loss,
 * val_accuracy), so the bookkeeping is tested without the dataset.
 */
class ScalingStudyTest {
    private static final ScalingStudy.Options SMALL = new ScalingStudy.Options(List.of(0, 1), List.of(1.0, 0.5), 2,
            List.of(0.0, 0.2), "fashion-mnist", null, 1, 64, 1, "cpu", 3e-2, "fan-in");

    /** What a finished trial of the trainer leaves in its run, from its cell. */
    static void scriptedTrial(SqliteRunStore store) {
        try (Run run = Tracking.init(store, "ignored", null, Map.of())) {
            Map<String, Object> c = run.config();
            double width = ((Number) c.get("width")).doubleValue(), fraction = ((Number) c.get("dataFraction")).doubleValue();
            double params = 9000 * Math.pow(2, width), flops = 3 * 2 * params * 60000 * fraction;
            double loss = 10 * Math.pow(flops, -0.1) + 0.01 * ((Number) c.get("seed")).doubleValue();
            run.summary().putAll(Map.of("params", params, "train_flops", flops, "val_loss", loss, "val_accuracy", 1 - loss / 4));
        }
    }

    @Test
    void theGridIsEveryCellOnceWithTheTrainingSettingsAsConstants() {
        SweepConfig config = SweepConfig.parse(ScalingStudy.configJson(SMALL).toString(), true, "test");
        assertEquals(SweepConfig.Method.GRID, config.method());
        assertEquals(List.of("model", "dataset", "epochs", "subset", "valSubset", "batchSize", "device", "learningRate", "lrRule",
                "schedule", "examples", "evalBefore", "width", "dataFraction", "seed", "dropout"), List.copyOf(config.parameters().keySet()));
        assertEquals(16, SMALL.cells());
    }

    @Test
    void aStudyRunsEveryCellOnceAndResumesOnlyWhatIsMissing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("study");
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir.resolve("panoptim"))) {
            ScalingStudy study = ScalingStudy.open(store, out, SMALL);
            assertTrue(Files.isRegularFile(out.resolve(ScalingStudy.STUDY_FILE)));
            // Interrupted after 5 trials, the 6th stopped half way (as Ctrl-C leaves it).
            AtomicInteger calls = new AtomicInteger();
            boolean[] stop = {false};
            int ran = study.run(store, () -> {
                if (calls.incrementAndGet() == 6) {
                    // As the trainer does, its Tracking.init adds every training argument to the trial's config.
                    try (Run run = Tracking.init(store, "ignored", null, Map.of("runName", "added by the trainer", "width", 1))) {
                        run.finish(RunState.STOPPED);
                    }
                    stop[0] = true;
                    return;
                }
                scriptedTrial(store);
            }, () -> stop[0]);
            assertEquals(6, ran);
            assertTrue(study.interrupted());
            assertEquals(5, study.finishedCells(store));

            ScalingStudy again = ScalingStudy.open(store, out, SMALL);
            assertEquals(study.sweepId(), again.sweepId(), "the folder names its sweep");
            int resumed = again.run(store, () -> {
                try (Run run = Tracking.init(store, "ignored", null, Map.of())) {
                    // A retry is the sweep's values again, not the interrupted run's whole config.
                    assertTrue(!run.config().containsKey("runName"), "retry config " + run.config());
                }
                scriptedTrial(store);
            }, () -> false);
            assertEquals(11, resumed, "the stopped cell again, and the 10 never started");
            assertEquals(16, again.finishedCells(store));
            List<ScalingRow> rows = again.rows(store);
            assertEquals(16, rows.size());
            assertEquals(16, rows.stream().map(r -> r.widthExponent() + "/" + r.dataFraction() + "/" + r.seed() + "/" + r.dropout())
                    .distinct().count(), "one row per cell");
            assertEquals(0, again.run(store, ScalingStudyTest::fail, () -> false), "a finished study trains nothing");
            ScalingAnalysis analysis = ScalingAnalysis.of(rows);
            assertEquals(List.of(0.0, 0.2), analysis.dropouts());
        }
    }

    @Test
    void aFolderOfAnotherStudyIsRefusedNamingTheDifference(@TempDir Path dir) {
        Path out = dir.resolve("study");
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir.resolve("panoptim"))) {
            ScalingStudy.open(store, out, SMALL);
            var other = new ScalingStudy.Options(List.of(0, 1, 2), SMALL.fractions(), 2, SMALL.dropouts(), "fashion-mnist", null, 1, 64, 1,
                    "cpu", 3e-2, "fan-in");
            var e = assertThrows(IllegalArgumentException.class, () -> ScalingStudy.open(store, out, other));
            assertTrue(e.getMessage().contains("widths [0,1] there, [0,1,2] now"), e.getMessage());
        }
        try (SqliteRunStore elsewhere = SqliteRunStore.inDirectory(dir.resolve("other-store"))) {
            var e = assertThrows(IllegalArgumentException.class, () -> ScalingStudy.open(elsewhere, out, SMALL));
            assertTrue(e.getMessage().contains("which is not in"), e.getMessage());
        }
    }

    @Test
    void badOptionsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ScalingStudy.Options(List.of(0), List.of(1.5), 1, List.of(0.0),
                "fashion-mnist", null, 1, 64, 1, "cpu", 3e-2, "fan-in"));
        assertEquals("--fractions must be in (0, 1], got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ScalingStudy.Options(List.of(0, 0), List.of(1.0), 1, List.of(0.0),
                "fashion-mnist", null, 1, 64, 1, "cpu", 3e-2, "fan-in"));
        assertEquals("--widths repeats a value: [0, 0]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ScalingStudy.Options(List.of(0), List.of(1.0), 0, List.of(0.0),
                "fashion-mnist", null, 1, 64, 1, "cpu", 3e-2, "fan-in"));
        assertEquals("--seeds must be at least 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ScalingStudy.Options(List.of(0), List.of(1.0), 1, List.of(1.0),
                "fashion-mnist", null, 1, 64, 1, "cpu", 3e-2, "fan-in"));
        assertEquals("--dropout must be in [0, 1), got 1.0", e.getMessage());
    }

    private static void fail() {
        throw new AssertionError("no trial should run");
    }
}
