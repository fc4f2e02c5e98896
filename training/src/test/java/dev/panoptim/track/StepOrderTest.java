package dev.panoptim.track;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Steps must not decrease, as in wandb: a smaller step is an error naming both; nothing of it is written. */
class StepOrderTest {
    @Test
    void aSmallerStepIsAnErrorNamingBoth(@TempDir Path dir) {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir); Run run = Tracking.init(store, "p", "n", null)) {
            run.log(Map.of("loss", 1.0), 5);
            var e = assertThrows(IllegalArgumentException.class, () -> run.log(Map.of("loss", 2.0), 4));
            assertEquals("step 4 is smaller than the last logged step 5 of run " + run.id()
                    + "; steps must not decrease (as in wandb): log at step 5 or later, or leave the step out", e.getMessage());
            run.log(Map.of("accuracy", 0.5), 5);   // the same step is fine
            run.log(Map.of("loss", 0.5), 6);
            assertEquals(List.of(5L, 5L, 6L), store.history(run.id()).stream().map(RunStore.MetricPoint::step).toList());
            assertEquals(Map.of("loss", 0.5, "accuracy", 0.5), run.summary(), "the refused value is not in the summary");
        }
    }

    /** The store checks it too, for writers that do not go through one Run object (another process, the sweeps' log command). */
    @Test
    void theStoreRefusesASmallerStepToo(@TempDir Path dir) {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir); Run run = Tracking.init(store, "p", "n", null)) {
            run.log(Map.of("loss", 1.0), 7);
            var e = assertThrows(IllegalArgumentException.class, () -> store.log(run.id(), 3, Map.of("loss", 9.0), List.of(), "{}", 0));
            assertEquals(SqliteRunStore.stepError(run.id(), 3, 7), e.getMessage());
            assertEquals(1, store.history(run.id()).size(), "rolled back");
            var u = assertThrows(IllegalArgumentException.class, () -> store.log("nosuchid", 0, Map.of(), List.of(), "{}", 0));
            assertEquals("unknown run id 'nosuchid' in " + store.location(), u.getMessage());
        }
    }
}
