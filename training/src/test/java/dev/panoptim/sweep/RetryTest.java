package dev.panoptim.sweep;

import dev.panoptim.track.ProcessIdentity;
import dev.panoptim.track.Run;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunState;
import dev.panoptim.track.SqliteRunStore;
import dev.panoptim.track.SweepInfo;
import dev.panoptim.track.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trial whose agent runs on another host and went silent: after the sweep's grace period an agent marks it
 * crashed and, with retries, runs it again; without retries it stays crashed and is not run again.
 */
class RetryTest {
    static final ProcessIdentity FAR_AWAY = new ProcessIdentity(12345, "another-host.example", null);

    static SweepConfig grid() {
        return SweepConfig.parse("""
                {"method": "grid", "metric": {"name": "m", "goal": "minimize"},
                 "parameters": {"x": {"values": [1, 2, 3]}}}""", true, "test");
    }

    static void trial(SqliteRunStore store) {
        try (Run run = Tracking.init(store, "ignored", null, Map.of())) {
            run.log(Map.of("m", ((Number) run.config().get("x")).doubleValue()));
        }
    }

    /** Trial 0, claimed by an agent on another host that then sends no heartbeat. */
    static RunInfo claimFarAway(SqliteRunStore store, SweepInfo sweep) {
        return store.claimTrial(sweep.id(), FAR_AWAY, i -> TrialCommand.json(Grid.trial(grid().parameters(), i)),
                System.currentTimeMillis()).orElseThrow();
    }

    @Test
    void aSilentTrialIsCrashedAfterTheGracePeriodAndRetried(@TempDir Path dir) throws Exception {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            SweepInfo sweep = Sweeps.create(store, grid(), 1L, 1, Duration.ofSeconds(3));
            RunInfo silent = claimFarAway(store, sweep);
            assertEquals(2, Sweeps.agent(store, sweep.id(), 2, () -> trial(store)), "the two other trials");
            assertEquals(RunState.RUNNING, store.run(silent.id()).orElseThrow().state(), "within the grace period it is alive");
            Thread.sleep(3200);
            assertEquals(1, Sweeps.agent(store, sweep.id(), null, () -> trial(store)), "the retry");
            assertEquals(RunState.CRASHED, store.run(silent.id()).orElseThrow().state());
            List<RunInfo> runs = store.sweepRuns(sweep.id());
            RunInfo retry = runs.stream().filter(r -> r.attempt() == 1).findFirst().orElseThrow();
            assertEquals(silent.trialIndex(), retry.trialIndex());
            assertEquals(silent.config().get("x"), retry.config().get("x"));
            assertEquals(RunState.FINISHED, retry.state());
            Set<Long> finished = runs.stream().filter(r -> r.state() == RunState.FINISHED).map(RunInfo::trialIndex)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of(0L, 1L, 2L), finished);
            assertEquals("finished", store.sweep(sweep.id()).orElseThrow().state());
        }
    }

    @Test
    void withoutRetriesACrashedTrialStaysCrashed(@TempDir Path dir) throws Exception {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            SweepInfo sweep = Sweeps.create(store, grid(), 1L, 0, Duration.ofMillis(500));
            RunInfo silent = claimFarAway(store, sweep);
            Thread.sleep(700);
            assertEquals(2, Sweeps.agent(store, sweep.id(), null, () -> trial(store)));
            assertEquals(RunState.CRASHED, store.run(silent.id()).orElseThrow().state());
            assertEquals(3, store.sweepRuns(sweep.id()).size());
            assertTrue(store.sweepRuns(sweep.id()).stream().allMatch(r -> r.attempt() == 0));
        }
    }

    @Test
    void badRetriesAndGraceAreRefused(@TempDir Path dir) {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Sweeps.create(store, grid(), 1L, -1, Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("-1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Sweeps.create(store, grid(), 1L, 0, Duration.ofMillis(10)));
            assertTrue(e.getMessage().contains("0.01"), e.getMessage());
        }
    }
}
