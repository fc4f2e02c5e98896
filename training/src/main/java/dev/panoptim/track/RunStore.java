package dev.panoptim.track;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where runs live: runs with their config and summary, metric history and histograms, and sweeps.
 * The SQLite one ({@link SqliteRunStore}) is the default, for one machine; {@link PostgresRunStore}
 * serves agents on several ({@link RunStores#open} picks by location). Every method is safe to call
 * from several threads, and several processes may share one store. Times are epoch milliseconds.
 *
 * <pre>{@code
 * try (RunStore store = RunStores.open("panoptim")) {
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

    /**
     * One x-bucket of a metric's history ({@link #historyBuckets}): the steps it holds ({@code firstStep} ..
     * {@code lastStep}, {@code count} values), the smallest and largest finite value with the (first) step of
     * each, and the value at {@code lastStep}. NaN and infinities never count for min and max but set
     * {@code hasNonFinite}, and {@code last} is NaN or infinite when that step's value is; a bucket without any
     * finite value has NaN min and max and -1 for their steps.
     */
    record HistoryBucket(long firstStep, long lastStep, long count, double min, long minStep, double max, long maxStep,
                         double last, boolean hasNonFinite) {}

    /** The most buckets {@link #historyBuckets} gives in one call. */
    int MAX_BUCKETS = 100_000;

    /** One recorded histogram. */
    record HistogramPoint(long step, String key, Histogram histogram) {}

    /** A human-readable name of the store (its file or URL), for messages. */
    String location();

    /** Creates a running run with a fresh 8-character id (and its project when new), heartbeat now. */
    RunInfo createRun(NewRun run, long now);

    /**
     * Writes one log call at once (one transaction): the values at {@code step} (a key logged again at
     * the same step replaces its value), the histograms, the run's summary, last step and heartbeat.
     * A step below the run's last step is an IllegalArgumentException naming both; a run that is not
     * running (stopped, crashed, ...) a {@link RunNotRunningException}.
     */
    void log(String runId, long step, Map<String, Double> values, List<HistogramPoint> histograms, String summaryJson, long now);

    /** Replaces the run's summary (a JSON object). */
    void updateSummary(String runId, String summaryJson, long now);

    /**
     * Sets the run's state (and its summary, when not null). With {@code onlyIfRunning}, a run that is no
     * longer running is left alone; returns whether the run was changed.
     */
    boolean setState(String runId, RunState state, String summaryJson, boolean onlyIfRunning, long now);

    /** Records that the run's process is alive; a run that is not running is a {@link RunNotRunningException}. */
    void heartbeat(String runId, long now);

    Optional<RunInfo> run(String id);

    /** The runs of {@code project} (all projects when null), oldest first. */
    List<RunInfo> runs(String project);

    /** Project names, in order of creation. */
    List<String> projects();

    /** Every logged value of the run, by step, then key. */
    List<MetricPoint> history(String runId);

    /**
     * One metric of a run downsampled for a chart, in one query: the steps {@code fromStep} .. {@code toStep}
     * (both included) are cut into buckets of equal width {@code ceil((toStep - fromStep + 1) / buckets)}, and
     * each bucket that holds a value gives its min, max and last ({@link HistoryBucket}), in step order. So a
     * spike or a NaN is never lost, whatever the width, and a chart reads at most {@code buckets} rows however
     * long the run. An unknown run or key gives an empty list (as {@link #history}); {@code buckets} outside
     * 1 .. {@value #MAX_BUCKETS}, a negative {@code fromStep} or {@code fromStep > toStep} is an
     * IllegalArgumentException.
     *
     * <pre>{@code List<HistoryBucket> line = store.historyBuckets(runId, "loss", 0, run.lastStep(), chartWidthPx);}</pre>
     */
    List<HistoryBucket> historyBuckets(String runId, String key, long fromStep, long toStep, int buckets);

    /**
     * The runs whose {@code updated_at} is after {@code afterMillis}, oldest change first (then by id): a log,
     * a state change, a summary or config update each set it, a heartbeat does not. A live view remembers the
     * largest {@code updatedAt} it has seen and asks again from there. Times come from the writers' clocks and
     * a write may commit a little after its time, so a view that must miss nothing asks from a second or so
     * before that and ignores what it already has.
     */
    List<RunInfo> runsUpdatedAfter(long afterMillis);

    /** The run's metric keys, in order of their first step (then by name). */
    List<MetricKey> metricKeys(String runId);

    /** The run's histograms, by step, then key. */
    List<HistogramPoint> histograms(String runId);

    /**
     * One metric of every run of a sweep, in one query: run id (runs in order of creation, each present,
     * its list empty when it never logged {@code key}) to that key's points, by step.
     */
    Map<String, List<MetricPoint>> sweepHistory(String sweepId, String key);

    /**
     * Marks crashed every running run whose process is gone by {@code liveness}'s rule (the SQL update
     * checks the run is still running with the same heartbeat, so a live run is never overwritten);
     * returns the ids it marked.
     */
    List<String> markGoneRunsCrashed(Liveness liveness, long now);

    /**
     * What a new sweep starts with: {@code runCap} is the most trials it may have (null: unbounded),
     * {@code retries} how often a crashed trial is run again, {@code graceMs} how long a run may stay silent
     * before it counts as crashed.
     */
    record NewSweep(String name, String method, String project, String configJson, Long runCap, long seed, int retries,
                    long graceMs) {
        /** The grace a sweep's runs get unless it says otherwise: two minutes, as {@link Liveness#DEFAULT_STALE_AFTER}. */
        public static final long DEFAULT_GRACE_MS = 120_000;

        public NewSweep {
            if (retries < 0) throw new IllegalArgumentException("retries must be >= 0, got " + retries);
            if (graceMs < 0) throw new IllegalArgumentException("grace must be >= 0 ms, got " + graceMs);
        }

        /** No retries, the default grace. */
        public NewSweep(String name, String method, String project, String configJson, Long runCap, long seed) {
            this(name, method, project, configJson, runCap, seed, 0, DEFAULT_GRACE_MS);
        }
    }

    /** Creates a running sweep with a fresh 8-character id. */
    SweepInfo createSweep(NewSweep sweep, long now);

    Optional<SweepInfo> sweep(String id);

    /** Every sweep with its run count, oldest first. */
    List<SweepInfo> sweeps();

    /** The runs of a sweep, oldest first. */
    List<RunInfo> sweepRuns(String sweepId);

    /** The config JSON of trial {@code index} (the sweep's sampler), or null when the sweep has no trial {@code index}. */
    @FunctionalInterface
    interface TrialMaker {
        String configJson(long index);
    }

    /**
     * Claims the sweep's next trial in one write transaction, so run_cap and retries hold across threads,
     * processes and machines. A sweep that is not running gives empty. Else, first a retry: the oldest
     * crashed run with {@code attempt < retries} and no later attempt of its trial gives a new run with its
     * config, trial index and attempt + 1. Else, when the sweep has fewer trials than its cap (or no cap),
     * {@code maker}'s config for index = its trial count gives a new run with attempt 0. Else there is no
     * trial to give: when none of its runs is running, the sweep is marked finished (while some run, it stays
     * running, as one may still crash and be retried); empty. A new run goes to the sweep's project, named
     * by its id, with the claimant's pid, host and start time and heartbeat now. An unknown sweep is an
     * IllegalArgumentException.
     */
    Optional<RunInfo> claimTrial(String sweepId, ProcessIdentity claimant, TrialMaker maker, long now);

    /** Sets the sweep's state: running, paused, stopped, canceled or finished (see dev.panoptim.sweep.SweepControl). */
    void setSweepState(String sweepId, String state, long now);

    /** Replaces the run's config (a JSON object). */
    void updateConfig(String runId, String configJson, long now);

    @Override
    void close();
}
