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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pause, resume, stop and cancel, as agents see them: waiting, claiming again, claiming none, stopping trials. */
class SweepControlTest {
    static SweepConfig grid() {
        return SweepConfig.parse("{\"method\": \"grid\", \"parameters\": {\"x\": {\"values\": [1, 2, 3]}}}", true, "test");
    }

    static void quickTrial(SqliteRunStore store) {
        try (Run run = Tracking.init(store, "ignored", null, Map.of())) {
            run.log(Map.of("m", 1.0));
        }
    }

    @Test
    void aStoppedSweepGivesNoTrialsUntilResumed(@TempDir Path dir) {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            String id = Sweeps.create(store, grid(), 1L).id();
            assertEquals("stopped", SweepControl.stop(store, id).state());
            assertEquals(0, Sweeps.agent(store, id, null, () -> quickTrial(store)));
            assertEquals("stopped", store.sweep(id).orElseThrow().state(), "an agent does not finish a stopped sweep");
            assertEquals("running", SweepControl.resume(store, id).state());
            assertEquals(3, Sweeps.agent(store, id, null, () -> quickTrial(store)));
            assertEquals("finished", store.sweep(id).orElseThrow().state());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepControl.resume(store, id));
            assertEquals("cannot resume sweep " + id + ": it is finished (only a paused or stopped sweep can be)", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SweepControl.pause(store, "nosuchid"));
        }
    }

    @Test
    void agentsWaitOnAPausedSweepAndGoOnWhenItResumes(@TempDir Path dir) throws Exception {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            String id = Sweeps.create(store, grid(), 1L).id();
            SweepControl.pause(store, id);
            CompletableFuture<Integer> agent = CompletableFuture.supplyAsync(() -> Sweeps.agent(store, id, 2, () -> quickTrial(store)));
            Thread.sleep(4 * SweepAgent.POLL.toMillis());
            assertFalse(agent.isDone(), "the agent waits while the sweep is paused");
            assertEquals(List.of(), store.sweepRuns(id));
            SweepControl.resume(store, id);
            assertEquals(2, agent.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void cancelStopsTheRunningTrials(@TempDir Path dir) throws Exception {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            String id = Sweeps.create(store, grid(), 1L).id();
            CompletableFuture<Integer> agent = CompletableFuture.supplyAsync(() -> Sweeps.agent(store, id, null, () -> {
                try (Run run = Tracking.init(store, "ignored", null, Map.of())) {
                    for (int i = 0; i < 6000; i++) {   // a minute, unless stopped: its next log after cancel throws
                        run.log(Map.of("m", (double) i));
                        Thread.sleep(10);
                    }
                }
            }));
            RunInfo first = null;
            for (int i = 0; i < 3000 && first == null; i++) {
                first = store.sweepRuns(id).stream().filter(r -> r.stepCount() > 2).findFirst().orElse(null);
                Thread.sleep(10);
            }
            assertTrue(first != null, "the first trial logs");
            assertEquals(List.of(first.id()), SweepControl.cancel(store, id));
            assertEquals(1, agent.get(30, TimeUnit.SECONDS), "the agent ends its trial and claims no more");
            SweepInfo sweep = store.sweep(id).orElseThrow();
            assertEquals("canceled", sweep.state());
            assertEquals(RunState.STOPPED, store.run(first.id()).orElseThrow().state());
            assertEquals(1, store.sweepRuns(id).size());
        }
    }
}
