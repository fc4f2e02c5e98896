package dev.panoptim.track;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where runs live: runs with their config and summary, metric history and histograms. The SQLite
 * one ({@link SqliteRunStore}) is the default; every method is safe to call from several threads,
 * and several processes may share one store. Times are epoch milliseconds.
 *
 * <pre>{@code
 * try (RunStore store = SqliteRunStore.inDirectory(Path.of("panoptim"))) {
 *     for (RunInfo r : store.runs(null)) System.out.println(r.id() + " " + r.state());
 * }
 * }</pre>
 */
public interface RunStore extends AutoCloseable {

    /** What a new run starts with. {@code sweepId} is null outside a sweep; pid/host/processStartedAt name its process. */
    record NewRun(String project, String name, String configJson, String sweepId, long pid, String host,
                  Long processStartedAt) {}

    /** One logged value. NaN is kept as NaN. */
    record MetricPoint(long step, String key, double value) {}

    /** One metric key of a run: how many values were logged, and the last one. */
    record MetricKey(String key, long count, long firstStep, long lastStep, double lastValue) {}

    /** One recorded histogram. */
    record HistogramPoint(long step, String key, Histogram histogram) {}

    /** A human-readable name of the store (its file or URL), for messages. */
    String location();

    /** Creates a running run with a fresh 8-character id (and its project when new), heartbeat now. */
    RunInfo createRun(NewRun run, long now);

    /**
     * Writes one log call at once (one transaction): the values at {@code step} (a key logged again at
     * the same step replaces its value), the histograms, the run's summary, last step and heartbeat.
     * A step below the run's last step is an IllegalArgumentException naming both.
     */
    void log(String runId, long step, Map<String, Double> values, List<HistogramPoint> histograms, String summaryJson, long now);

    /** Replaces the run's summary (a JSON object). */
    void updateSummary(String runId, String summaryJson, long now);

    /**
     * Sets the run's state (and its summary, when not null). With {@code onlyIfRunning}, a run that is no
     * longer running is left alone; returns whether the run was changed.
     */
    boolean setState(String runId, RunState state, String summaryJson, boolean onlyIfRunning, long now);

    /** Records that the run's process is alive. */
    void heartbeat(String runId, long now);

    Optional<RunInfo> run(String id);

    /** The runs of {@code project} (all projects when null), oldest first. */
    List<RunInfo> runs(String project);

    /** Project names, in order of creation. */
    List<String> projects();

    /** Every logged value of the run, by step, then key. */
    List<MetricPoint> history(String runId);

    /** The run's metric keys, in order of their first step (then by name). */
    List<MetricKey> metricKeys(String runId);

    /** The run's histograms, by step, then key. */
    List<HistogramPoint> histograms(String runId);

    /**
     * Marks crashed every running run whose process is gone by {@code liveness}'s rule (the SQL update
     * checks the run is still running with the same heartbeat, so a live run is never overwritten);
     * returns the ids it marked.
     */
    List<String> markGoneRunsCrashed(Liveness liveness, long now);

    /** What a new sweep starts with: {@code runCap} is the most runs it may have (null: unbounded). */
    record NewSweep(String name, String method, String project, String configJson, Long runCap, long seed) {}

    /** Creates a running sweep with a fresh 8-character id. */
    SweepInfo createSweep(NewSweep sweep, long now);

    Optional<SweepInfo> sweep(String id);

    /** Every sweep with its run count, oldest first. */
    List<SweepInfo> sweeps();

    /** The runs of a sweep, oldest first. */
    List<RunInfo> sweepRuns(String sweepId);

    /** What a trial's run is made from, given the sweep's run count before it (the trial's index). */
    @FunctionalInterface
    interface TrialMaker {
        /** The new run, or null when the sweep has no trial {@code index} (a finished grid). */
        NewRun make(long index);
    }

    /**
     * Claims the sweep's next trial atomically (one write transaction, so run_cap holds across threads,
     * processes and agents): when the sweep is running and has fewer runs than its cap, creates the run
     * {@code maker} makes for the index = its run count, linked to the sweep; otherwise (or when the maker
     * returns null) marks the sweep finished and returns empty. An unknown sweep is an IllegalArgumentException.
     */
    Optional<RunInfo> claimTrial(String sweepId, TrialMaker maker, long now);

    /** Sets the sweep's state ("running" or "finished"). */
    void setSweepState(String sweepId, String state, long now);

    /** Replaces the run's config (a JSON object). */
    void updateConfig(String runId, String configJson, long now);

    @Override
    void close();
}
