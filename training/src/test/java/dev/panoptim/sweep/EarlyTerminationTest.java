package dev.panoptim.sweep;

import dev.panoptim.track.Run;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunState;
import dev.panoptim.track.SqliteRunStore;
import dev.panoptim.track.SweepInfo;
import dev.panoptim.track.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent applies Hyperband and metric.target while trials run: stopped runs end as stopped, not failed. */
class EarlyTerminationTest {
    static final int ITERATIONS = 20;

    /** Logs the metric x * (i + 1) for i = 0..19, a little apart so the agent's monitor sees each band pass. */
    static void scriptedTrial(SqliteRunStore store) throws InterruptedException {
        try (Run run = Tracking.init(store, "ignored", null, Map.of())) {
            double x = ((Number) run.config().get("x")).doubleValue();
            for (int i = 0; i < ITERATIONS; i++) {
                run.log(Map.of("m", x * (i + 1)));
                Thread.sleep(100);
            }
        }
    }

    @Test
    void hyperbandStopsTheRunsBelowABandsCut(@TempDir Path dir) {
        SweepConfig c = SweepConfig.parse("""
                {"method": "grid", "metric": {"name": "m", "goal": "maximize"},
                 "early_terminate": {"type": "hyperband", "min_iter": 2, "eta": 2},
                 "parameters": {"x": {"values": [6, 5, 4, 3, 2, 1]}}}""", true, "test");
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            SweepInfo sweep = Sweeps.create(store, c, 1L);
            assertEquals(6, Sweeps.agent(store, sweep.id(), null, () -> scriptedTrial(store)));
            List<RunInfo> runs = store.sweepRuns(sweep.id()).stream()
                    .sorted(Comparator.comparingDouble(r -> -((Number) r.config().get("x")).doubleValue())).toList();
            assertEquals(RunState.FINISHED, runs.getFirst().state(), "the best run goes to the end");
            assertEquals(ITERATIONS, store.history(runs.getFirst().id()).size());
            assertEquals(RunState.STOPPED, runs.getLast().state(), "the worst run is stopped");
            for (RunInfo r : runs) {
                assertTrue(r.state() == RunState.FINISHED || r.state() == RunState.STOPPED, r.id() + " " + r.state());
                if (r.state() == RunState.STOPPED) {
                    assertTrue(store.history(r.id()).size() < ITERATIONS, "a stopped run logs no more");
                }
            }
        }
    }

    @Test
    void reachingTheTargetStopsNewTrials(@TempDir Path dir) {
        SweepConfig c = SweepConfig.parse("""
                {"method": "grid", "metric": {"name": "m", "goal": "minimize", "target": 0.5},
                 "parameters": {"x": {"values": [3, 2, 0.25, 1, 0.1]}}}""", true, "test");
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            SweepInfo sweep = Sweeps.create(store, c, 1L);
            int ran = Sweeps.agent(store, sweep.id(), null, () -> {
                try (Run run = Tracking.init(store, "ignored", null, Map.of())) {
                    run.log(Map.of("m", ((Number) run.config().get("x")).doubleValue()));
                }
            });
            assertEquals(3, ran, "the third trial reached m <= 0.5: no fourth");
            assertEquals("finished", store.sweep(sweep.id()).orElseThrow().state());
        }
    }
}
