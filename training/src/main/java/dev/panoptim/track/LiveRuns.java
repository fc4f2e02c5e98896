package dev.panoptim.track;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The runs of this process that have not finished: a daemon thread writes their heartbeats every
 * {@link Liveness#HEARTBEAT_INTERVAL}, and a shutdown hook (the JVM runs it on a normal exit, on
 * System.exit, on SIGINT (Ctrl-C), SIGTERM and SIGHUP; never on SIGKILL) marks them crashed, keeping
 * what they logged, then closes the default stores (which checkpoints their write-ahead log).
 */
final class LiveRuns {
    private static final Set<Run> RUNS = ConcurrentHashMap.newKeySet();
    private static final List<RunStore> CLOSE_AT_EXIT = new ArrayList<>();
    /** Holds that ask the exit hook to wait: each is counted down when its owner has ended its runs. */
    private static final Set<CountDownLatch> EXIT_HOLDS = ConcurrentHashMap.newKeySet();
    /** How long the exit hook waits for the holds before marking what is still running crashed. */
    private static final long EXIT_HOLD_MILLIS = 60_000;
    private static ScheduledExecutorService heartbeats;

    private LiveRuns() {}

    static void add(Run run) {
        start();
        RUNS.add(run);
    }

    static void remove(Run run) {
        RUNS.remove(run);
    }

    static synchronized void closeAtExit(RunStore store) {
        start();
        CLOSE_AT_EXIT.add(store);
    }

    private static synchronized void start() {
        if (heartbeats != null) return;
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "panoptim-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Liveness.HEARTBEAT_INTERVAL.toMillis();
        heartbeats.scheduleWithFixedDelay(LiveRuns::beat, every, every, TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(LiveRuns::atExit, "panoptim-tracking-exit"));
    }

    /**
     * Asks the exit hook to wait (at most a minute) until the returned hold is closed, so that code
     * which ends its own runs on shutdown (the trainer stops at a step boundary, writes a checkpoint and
     * ends its run as stopped) does so before the leftovers are marked crashed.
     */
    static Tracking.ExitHold holdExit() {
        start();
        CountDownLatch latch = new CountDownLatch(1);
        EXIT_HOLDS.add(latch);
        return () -> {
            latch.countDown();
            EXIT_HOLDS.remove(latch);
        };
    }

    private static void awaitExitHolds() {
        long deadline = System.currentTimeMillis() + EXIT_HOLD_MILLIS;
        for (CountDownLatch latch : EXIT_HOLDS) {
            try {
                latch.await(Math.max(0, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void beat() {
        for (Run r : RUNS) {
            try {
                r.heartbeat();
            } catch (RuntimeException e) {
                System.err.println("panoptim: heartbeat of run " + r.id() + " failed: " + e.getMessage());
            }
        }
    }

    private static void atExit() {
        awaitExitHolds();
        List<RunStore> stores;
        synchronized (LiveRuns.class) {
            heartbeats.shutdownNow();
            stores = List.copyOf(CLOSE_AT_EXIT);
        }
        for (Run r : RUNS) {
            try {
                r.crashAtExit();
            } catch (RuntimeException e) {
                System.err.println("panoptim: could not mark run " + r.id() + " crashed: " + e.getMessage());
            }
        }
        for (RunStore s : stores) {
            try {
                s.close();
            } catch (RuntimeException e) {
                System.err.println("panoptim: could not close the run store " + s.location() + ": " + e.getMessage());
            }
        }
    }
}
