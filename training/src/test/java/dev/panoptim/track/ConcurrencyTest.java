package dev.panoptim.track;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two runs logging at once from two threads into one store, through one connection or two; and what a log call costs. */
class ConcurrencyTest {
    static final int STEPS = 400;

    @Test
    void twoThreadsOneStore(@TempDir Path dir) throws Exception {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            check(store, store);
        }
    }

    /** Two connections to one file, as two processes have: writers take turns through the busy timeout. */
    @Test
    void twoThreadsTwoConnections(@TempDir Path dir) throws Exception {
        try (SqliteRunStore a = SqliteRunStore.inDirectory(dir); SqliteRunStore b = SqliteRunStore.inDirectory(dir)) {
            check(a, b);
        }
    }

    private static void check(RunStore first, RunStore second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CyclicBarrier start = new CyclicBarrier(2);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (RunStore store : List.of(first, second)) {
                ids.add(pool.submit(() -> {
                    try (Run run = Tracking.init(store, "shared", Thread.currentThread().getName(), Map.of())) {
                        start.await();
                        for (int step = 0; step < STEPS; step++) {
                            run.log(Map.of("loss", 1.0 / (step + 1), "accuracy", step / (double) STEPS, "lr", 1e-3), step);
                            if (step % 100 == 0) run.summary().put("checkpoint", step);
                        }
                        return run.id();
                    }
                }));
            }
            for (Future<String> f : ids) {
                String id = f.get();
                RunInfo r = first.run(id).orElseThrow();
                assertEquals(RunState.FINISHED, r.state());
                assertEquals(STEPS, r.stepCount());
                List<RunStore.MetricPoint> h = first.history(id);
                assertEquals(3 * STEPS, h.size(), "no value lost");
                for (int i = 0; i < STEPS; i++) assertEquals(1.0 / (i + 1), h.get(3 * i + 1).value(), "loss at step " + i);
                assertEquals(300, ((Number) r.summary().get("checkpoint")).intValue());
            }
            assertEquals(2, first.runs("shared").size());
        } finally {
            pool.shutdownNow();
        }
    }

    /** A log call at training speed (100 a second) must not dominate the step: its mean cost is printed and bounded. */
    @Test
    void aLogCallIsCheap(@TempDir Path dir) {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir); Run run = Tracking.init(store, "p", "timing", Map.of())) {
            for (int i = 0; i < 200; i++) run.log(Map.of("loss", 1.0, "accuracy", 0.5, "lr", 1e-3, "epoch", 0, "grad_norm", 2.0));   // warm-up
            int n = 2000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) run.log(Map.of("loss", 1.0 / (i + 1), "accuracy", 0.5, "lr", 1e-3, "epoch", i / 500, "grad_norm", 2.0));
            double us = (System.nanoTime() - t0) / 1e3 / n;
            System.out.printf("run.log with 5 metrics: %.1f us per call (one SQLite transaction, WAL, synchronous=NORMAL)%n", us);
            assertTrue(us < 2000, "a log call took " + us + " us on average; at 100 logs/s that is " + us / 100 + "% of the time");
            assertEquals(5 * (n + 200), store.history(run.id()).size());
        }
    }
}
