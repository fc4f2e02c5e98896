package dev.panoptim.track;

import dev.panoptim.runtime.Cuda;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A live run's system metrics: sampled by a daemon thread while it runs, which ends with the run. */
class SystemSamplerTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearInterval() {
        System.clearProperty(SystemSampler.INTERVAL_PROPERTY);
    }

    static boolean samplerAlive(String runId) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("panoptim-system-" + runId) && t.isAlive());
    }

    @Test
    void aLiveRunIsSampledUntilItFinishes() throws Exception {
        System.setProperty(SystemSampler.INTERVAL_PROPERTY, "0.05");
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            Run run = Tracking.init(store, "p", "sampled", Map.of());
            assertTrue(samplerAlive(run.id()));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (store.systemMetrics(run.id(), "cpu.percent").size() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
            List<String> keys = store.systemKeys(run.id());
            assertTrue(keys.containsAll(List.of("cpu.percent", "memory.rss_mb", "memory.system_used_percent")), keys.toString());
            if (Cuda.isAvailable()) assertTrue(keys.contains("gpu0.memory_mb"), "CUDA (or its simulator) is here: " + keys);
            double rss = store.systemMetrics(run.id(), "memory.rss_mb").getFirst().value();
            assertTrue(rss > 10 && rss < 1e6, "a JVM's resident memory in MB: " + rss);
            for (RunStore.SystemPoint p : store.systemMetrics(run.id(), "cpu.percent")) {
                assertTrue(p.value() >= 0 && p.value() <= 100.5, "a share of all cores: " + p.value());
            }
            run.finish();
            assertFalse(samplerAlive(run.id()), "finish stops the sampler's thread");
            int after = store.systemMetrics(run.id(), "cpu.percent").size();
            Thread.sleep(200);
            assertEquals(after, store.systemMetrics(run.id(), "cpu.percent").size(), "nothing sampled after finish");
        }
    }

    @Test
    void aRunEndedElsewhereStopsItsSampler() throws Exception {
        System.setProperty(SystemSampler.INTERVAL_PROPERTY, "0.02");
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            Run run = Tracking.init(store, "p", "stopped-by-sweep", Map.of());
            store.setState(run.id(), RunState.STOPPED, null, true, System.currentTimeMillis());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (samplerAlive(run.id()) && System.nanoTime() < deadline) Thread.sleep(20);
            assertFalse(samplerAlive(run.id()), "the sampler learns the run ended at its next sample");
            run.finish();
        }
    }

    @Test
    void theIntervalIsConfigurableAndZeroTurnsSamplingOff() {
        assertEquals(Duration.ofSeconds(10), SystemSampler.interval());
        System.setProperty(SystemSampler.INTERVAL_PROPERTY, "2.5");
        assertEquals(Duration.ofMillis(2500), SystemSampler.interval());
        System.setProperty(SystemSampler.INTERVAL_PROPERTY, "0");
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            Run run = Tracking.init(store, "p", "quiet", Map.of());
            assertFalse(samplerAlive(run.id()));
            assertNull(SystemSampler.start(store, run.id()));
            run.finish();
        }
        System.setProperty(SystemSampler.INTERVAL_PROPERTY, "-1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SystemSampler::interval);
        assertEquals("-Dpanoptim.system.interval must be a number of seconds >= 0 (0: no system metrics), got '-1'", e.getMessage());
    }
}
