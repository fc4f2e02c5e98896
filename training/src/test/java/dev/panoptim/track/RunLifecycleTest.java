package dev.panoptim.track;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** init, log, summary, finish through a fresh store, read back through a second connection. */
class RunLifecycleTest {
    /** A config record like the trainer's TrainingArgs. */
    record Args(int batchSize, int epochs, double learningRate, String optimizer, Map<String, Object> options) {}

    @TempDir
    Path dir;
    SqliteRunStore store;

    @BeforeEach
    void open() {
        store = SqliteRunStore.inDirectory(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void logSummaryFinishRoundTrip() {
        Args args = new Args(64, 5, 1e-3, "adamw", Map.of("weight_decay", 0.01));
        Run run = Tracking.init(store, "fashion", "resnet-adamw", args);
        assertTrue(run.id().matches("[0-9a-z]{8}"), run.id());
        assertEquals(RunState.RUNNING, run.state());
        run.log(Map.of("loss", 2.3, "accuracy", 0.1), 0);
        run.log(Map.of("loss", 1.2), 1);
        run.log(Map.of("accuracy", 0.6), 1);           // same step: more keys
        run.log(Map.of("loss", 0.7, "accuracy", 0.8), 5);
        run.summary().put("test_accuracy", 0.79);
        assertEquals(0.7, run.summary().get("loss"));
        run.finish();
        run.finish();                                   // a second finish does nothing
        assertEquals(RunState.FINISHED, run.state());

        assertTrue(Files.exists(dir.resolve(SqliteRunStore.FILE_NAME + "-wal")), "write-ahead logging");
        try (SqliteRunStore again = SqliteRunStore.openExisting(dir.resolve(SqliteRunStore.FILE_NAME))) {
            RunInfo r = again.run(run.id()).orElseThrow();
            assertEquals("fashion", r.project());
            assertEquals("resnet-adamw", r.name());
            assertEquals(RunState.FINISHED, r.state());
            assertEquals(5, r.lastStep());
            assertEquals(3, r.stepCount(), "distinct steps 0, 1, 5");
            assertEquals(Map.of("batchSize", 64, "epochs", 5, "learningRate", 1e-3, "optimizer", "adamw",
                    "options", Map.of("weight_decay", 0.01)), r.config());
            assertEquals(List.of("batchSize", "epochs", "learningRate", "optimizer", "options"), List.copyOf(r.config().keySet()),
                    "the record's order");
            assertEquals(Map.of("loss", 0.7, "accuracy", 0.8, "test_accuracy", 0.79), r.summary());
            assertEquals(List.of(new RunStore.MetricPoint(0, "accuracy", 0.1), new RunStore.MetricPoint(0, "loss", 2.3),
                    new RunStore.MetricPoint(1, "accuracy", 0.6), new RunStore.MetricPoint(1, "loss", 1.2),
                    new RunStore.MetricPoint(5, "accuracy", 0.8), new RunStore.MetricPoint(5, "loss", 0.7)), again.history(run.id()));
            List<RunStore.MetricKey> keys = again.metricKeys(run.id());
            assertEquals(List.of(new RunStore.MetricKey("accuracy", 3, 0, 5, 0.8), new RunStore.MetricKey("loss", 3, 0, 5, 0.7)), keys);
            assertEquals(List.of("fashion"), again.projects());
        }
    }

    @Test
    void logWithoutStepCountsOnFromTheLastStep() {
        try (Run run = Tracking.init(store, "p", null, Map.of())) {
            assertEquals(run.id(), run.name(), "no name: the id");
            run.log(Map.of("a", 1));
            run.log(Map.of("a", 2));
            run.log(Map.of("a", 3), 10);
            run.log(Map.of("a", 4));
            assertEquals(11, run.step());
            assertEquals(List.of(0L, 1L, 10L, 11L), store.history(run.id()).stream().map(RunStore.MetricPoint::step).toList());
        }
    }

    @Test
    void sameKeyAtTheSameStepKeepsTheLaterValue() {
        try (Run run = Tracking.init(store, "p", "n", null)) {
            run.log(Map.of("loss", 1.0), 3);
            run.log(Map.of("loss", 0.5), 3);
            assertEquals(List.of(new RunStore.MetricPoint(3, "loss", 0.5)), store.history(run.id()));
            assertEquals(1, store.run(run.id()).orElseThrow().stepCount());
        }
    }

    @Test
    void nanAndInfinitiesAreKept() {
        try (Run run = Tracking.init(store, "p", "n", null)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("loss", Double.NaN);
            m.put("grad_norm", Double.POSITIVE_INFINITY);
            m.put("count", 7L);
            m.put("f", 0.25f);
            run.log(m);
            List<RunStore.MetricPoint> h = store.history(run.id());
            assertEquals(4, h.size());
            assertEquals(7.0, h.get(0).value());
            assertEquals(0.25, h.get(1).value());
            assertEquals(Double.POSITIVE_INFINITY, h.get(2).value());
            assertTrue(Double.isNaN(h.get(3).value()));
            assertTrue(Double.isNaN(store.metricKeys(run.id()).stream().filter(k -> k.key().equals("loss")).findFirst().orElseThrow().lastValue()));
            assertEquals("NaN", store.run(run.id()).orElseThrow().summary().get("loss"), "JSON keeps NaN as a string");
        }
    }

    @Test
    void summaryIsWrittenThroughAndSettable() {
        Run run = Tracking.init(store, "p", "n", null);
        run.log(Map.of("accuracy", 0.5));
        run.log(Map.of("accuracy", 0.7));
        run.summary().put("accuracy", 0.9);   // like wandb.run.summary["accuracy"] = best
        run.summary().put("notes", Map.of("best_epoch", 3));
        assertEquals(Map.of("accuracy", 0.9, "notes", Map.of("best_epoch", 3)), store.run(run.id()).orElseThrow().summary(),
                "written before finish");
        run.summary().remove("notes");
        run.log(Map.of("accuracy", 0.6));      // the last write wins
        assertEquals(Map.of("accuracy", 0.6), store.run(run.id()).orElseThrow().summary());
        assertThrows(IllegalArgumentException.class, () -> run.summary().put("bad", new Object() {
            public Object getSelf() {
                return this;
            }
        }));
        assertEquals(Map.of("accuracy", 0.6), run.summary(), "a value that cannot be written is not kept");
        run.finish(RunState.FAILED);
        assertEquals(RunState.FAILED, store.run(run.id()).orElseThrow().state());
    }

    @Test
    void heartbeatsAndLogsMoveTheHeartbeat() throws Exception {
        try (Run run = Tracking.init(store, "p", "n", null)) {
            long created = store.run(run.id()).orElseThrow().heartbeatAt();
            Thread.sleep(5);
            run.heartbeat();   // what the daemon thread does every 10 s
            long beat = store.run(run.id()).orElseThrow().heartbeatAt();
            assertTrue(beat > created, beat + " > " + created);
            Thread.sleep(5);
            run.log(Map.of("a", 1));
            assertTrue(store.run(run.id()).orElseThrow().heartbeatAt() > beat);
            RunInfo r = store.run(run.id()).orElseThrow();
            assertEquals(ProcessHandle.current().pid(), r.pid());
            assertEquals(ProcessIdentity.current().host(), r.host());
        }
    }

    @Test
    void badInputsAreClearErrors() {
        try (Run run = Tracking.init(store, "p", "n", null)) {
            var e = assertThrows(IllegalArgumentException.class, () -> run.log(Map.of("loss", "0.3")));
            assertEquals("metric 'loss' is a String (0.3), not a number, a Media nor a non-empty List of Media; log takes those "
                    + "(other values can go in run.summary())", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> run.log(Map.of(" ", 1)));
            assertThrows(IllegalArgumentException.class, () -> run.log(Map.of("a", 1), -1));
            assertEquals(-1, run.step(), "nothing was logged");
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Tracking.init(store, "p", "n", "lr=0.1"));
        assertTrue(e.getMessage().startsWith("the config must be a record, a bean or a Map"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tracking.init(store, " ", "n", null));
        Run done = Tracking.init(store, "p", "n", null);
        done.close();
        var s = assertThrows(IllegalStateException.class, () -> done.log(Map.of("a", 1)));
        assertTrue(s.getMessage().endsWith("is finished"), s.getMessage());
    }

    @Test
    void defaultDirectoryFollowsThePropertyThenTheEnvironment() {
        String before = System.getProperty(Tracking.DIR_PROPERTY);
        try {
            System.setProperty(Tracking.DIR_PROPERTY, dir.resolve("elsewhere").toString());
            assertEquals(dir.resolve("elsewhere"), Tracking.defaultDirectory());
            System.clearProperty(Tracking.DIR_PROPERTY);
            String env = System.getenv(Tracking.DIR_ENV);
            Path expected = env != null && !env.isBlank() ? Path.of(env).toAbsolutePath().normalize()
                    : Path.of("panoptim").toAbsolutePath().normalize();
            assertEquals(expected, Tracking.defaultDirectory());
        } finally {
            if (before != null) System.setProperty(Tracking.DIR_PROPERTY, before);
        }
    }
}
