package dev.panoptim.sweep;

import dev.panoptim.track.Liveness;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunNotRunningException;
import dev.panoptim.track.RunState;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.RunStoreException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Watches one running trial from its agent, on a daemon thread: writes the run's heartbeat (the agent's pid is the
 * run's, so a dead agent shows as a crashed trial), applies Hyperband to the sweep's running runs (marking stopped
 * those below a band's cut, whichever agent runs them; every poll, or less often when reading the sweep's histories
 * takes long, so that it costs at most a tenth of the agent's time), and when this trial's run is no longer running (stopped or
 * marked crashed elsewhere) calls the stop action once (a subprocess trial's: kill its process tree; an in-process
 * trial learns it from its next log, which throws {@link RunNotRunningException}).
 *
 * <pre>{@code try (TrialMonitor m = TrialMonitor.start(store, sweepId, runId, config, hyperband, liveness)) { m.onStop(p::destroy); ... }}</pre>
 */
final class TrialMonitor implements AutoCloseable {
    private final RunStore store;
    private final String sweepId;
    private final String runId;
    private final SweepConfig config;
    private final Hyperband hyperband;
    private final long heartbeatEveryMs;
    private final ScheduledExecutorService thread;
    /** The longest wait between two Hyperband checks, however slow a check on a long sweep gets. */
    static final long MAX_HYPERBAND_EVERY_MS = 10_000;

    private long lastHeartbeat;
    private long nextHyperbandAt;
    private volatile String stopReason;
    private Runnable onStop;
    private boolean stopCalled;
    private boolean warned;

    private TrialMonitor(RunStore store, String sweepId, String runId, SweepConfig config, Hyperband hyperband, Liveness liveness) {
        this.store = store;
        this.sweepId = sweepId;
        this.runId = runId;
        this.config = config;
        this.hyperband = hyperband;
        // A third of the grace period, so two missed beats still leave the run alive; never slower than the runs' own.
        this.heartbeatEveryMs = Math.max(100, Math.min(Liveness.HEARTBEAT_INTERVAL.toMillis(), liveness.staleAfter().toMillis() / 3));
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "panoptim-trial-" + runId);
            t.setDaemon(true);
            return t;
        });
    }

    static TrialMonitor start(RunStore store, String sweepId, String runId, SweepConfig config, Hyperband hyperband, Liveness liveness) {
        TrialMonitor m = new TrialMonitor(store, sweepId, runId, config, hyperband, liveness);
        long every = SweepAgent.POLL.toMillis();
        m.thread.scheduleWithFixedDelay(m::check, every, every, TimeUnit.MILLISECONDS);
        return m;
    }

    /** What to do once the run is no longer running; called at once when that has already happened. */
    synchronized void onStop(Runnable action) {
        onStop = action;
        if (stopReason != null) callStop();
    }

    /** Why the trial was ended from outside ("stopped by hyperband ...", "crashed ..."), or null. */
    String stopReason() {
        return stopReason;
    }

    private void check() {
        try {
            long now = System.currentTimeMillis();
            if (hyperband != null && now >= nextHyperbandAt) {
                long t0 = System.nanoTime();
                applyHyperband(now);
                // Reading every run's metric history grows with the sweep: keep it to a tenth of this agent's time.
                long tookMs = (System.nanoTime() - t0) / 1_000_000;
                nextHyperbandAt = System.currentTimeMillis() + Math.min(MAX_HYPERBAND_EVERY_MS, 10 * tookMs);
            }
            RunInfo me = store.run(runId).orElse(null);
            if (me == null || me.state() != RunState.RUNNING) {
                ended(me == null ? "was deleted from the store" : "is " + me.state().id()
                        + (me.state() == RunState.STOPPED ? " (early termination)" : ""));
                return;
            }
            if (now - lastHeartbeat >= heartbeatEveryMs) {
                store.heartbeat(runId, now);
                lastHeartbeat = now;
            }
        } catch (RunNotRunningException e) {
            ended("is " + e.state().id());
        } catch (RunStoreException | IllegalArgumentException e) {
            if (!warned) System.err.println("panoptim: watching trial " + runId + " failed (retrying): " + e.getMessage());
            warned = true;
        }
    }

    private void applyHyperband(long now) {
        Map<String, List<Double>> histories = new LinkedHashMap<>();
        store.sweepHistory(sweepId, config.metric().name()).forEach((id, points) ->
                histories.put(id, points.stream().map(RunStore.MetricPoint::value).toList()));
        Set<String> running = store.sweepRuns(sweepId).stream().filter(r -> r.state() == RunState.RUNNING)
                .map(RunInfo::id).collect(Collectors.toSet());
        for (String id : hyperband.toStop(histories, running)) {
            if (store.setState(id, RunState.STOPPED, null, true, now)) {
                System.err.println("panoptim: sweep " + sweepId + ": stopped run " + id + " after "
                        + histories.getOrDefault(id, List.of()).size() + " values of " + config.metric().name() + " (" + hyperband.describe() + ")");
            }
        }
    }

    private synchronized void ended(String why) {
        if (stopReason != null) return;
        stopReason = why;
        callStop();
    }

    private void callStop() {
        if (onStop != null && !stopCalled) {
            stopCalled = true;
            onStop.run();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
