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

    /**
     * What a new run starts with. {@code sweepId} is null outside a sweep; pid/host/processStartedAt name its process;
     * {@code tags} are checked and cleaned by {@link #checkTags} (null: none).
     */
    record NewRun(String project, String name, String configJson, String sweepId, long pid, String host,
                  Long processStartedAt, List<String> tags) {
        public NewRun {
            tags = checkTags(tags);
        }

        /** Without tags. */
        public NewRun(String project, String name, String configJson, String sweepId, long pid, String host, Long processStartedAt) {
            this(project, name, configJson, sweepId, pid, host, processStartedAt, List.of());
        }
    }

    /** The most characters of one tag. */
    int MAX_TAG_LENGTH = 64;

    /**
     * Tags as stored: each stripped, duplicates dropped (first kept), in the given order; null is none. A null, blank
     * or longer than {@value #MAX_TAG_LENGTH} characters tag, or one with a comma or a control character, is an
     * IllegalArgumentException naming it (commas separate tags on the command line: {@code --tags a,b}).
     */
    static List<String> checkTags(List<String> tags) {
        if (tags == null) return List.of();
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (String t : tags) {
            if (t == null || t.isBlank()) throw new IllegalArgumentException("a tag cannot be empty, got " + (t == null ? "null" : "'" + t + "'") + " in " + tags);
            String s = t.strip();
            if (s.length() > MAX_TAG_LENGTH) throw new IllegalArgumentException("tag '" + s + "' is " + s.length() + " characters long; at most " + MAX_TAG_LENGTH);
            if (s.indexOf(',') >= 0 || s.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("tag '" + s + "' holds a comma or a control character");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

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

    /**
     * The width (in steps) of the buckets of {@link #historyBuckets} and {@link #stepTimes}: {@code ceil((toStep - fromStep
     * + 1) / buckets)}; step s is in bucket {@code (s - fromStep) / width}. {@code buckets} outside 1 .. {@value #MAX_BUCKETS},
     * a negative {@code fromStep} or {@code fromStep > toStep} is an IllegalArgumentException naming the value.
     */
    static long bucketWidth(long fromStep, long toStep, int buckets) {
        if (buckets < 1 || buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("buckets must be 1.." + MAX_BUCKETS + ", got " + buckets);
        }
        if (fromStep < 0) throw new IllegalArgumentException("fromStep must be >= 0, got " + fromStep);
        if (fromStep > toStep) throw new IllegalArgumentException("fromStep " + fromStep + " is after toStep " + toStep);
        long span = toStep - fromStep + 1;   // overflows (to Long.MIN_VALUE) only for 0 .. Long.MAX_VALUE: one bucket then
        return span <= 0 ? Long.MAX_VALUE : span / buckets + (span % buckets == 0 ? 0 : 1);
    }

    /**
     * When the steps of one bucket of {@link #stepTimes} were logged: its first and last logged step and the time
     * (epoch ms) each was last written.
     */
    record StepTimes(long firstStep, long firstAt, long lastStep, long lastAt) {}

    /**
     * One piece of media to log ({@link #logMedia}): its kind ("image", "classification", ...), an optional caption,
     * a JSON object of what a viewer needs besides the bytes (for images: width, height; for classifications also
     * classes, probabilities, label; null is {@code {}}), the bytes' content type (image/png, image/jpeg) and the bytes.
     * {@code dev.panoptim.track.Media} makes these from pixels.
     */
    record MediaItem(String kind, String caption, String metaJson, String contentType, byte[] data) {
        public MediaItem {
            if (kind == null || kind.isBlank()) throw new IllegalArgumentException("a media item's kind cannot be empty, got " + kind);
            if (contentType == null || contentType.isBlank()) {
                throw new IllegalArgumentException("a media item's content type cannot be empty, got " + contentType);
            }
            if (data == null) throw new IllegalArgumentException("a media item's data cannot be null");
            if (metaJson == null || metaJson.isBlank()) metaJson = "{}";
            try {
                Json.readObject(metaJson);
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("a media item's meta must be a JSON object, got " + metaJson + ": " + e.getMessage(), e);
            }
        }
    }

    /** One media item as {@link #media} lists it: where it was logged and what it is, without its bytes. */
    record MediaInfo(long step, int index, String kind, String caption, String metaJson, String contentType) {
        /** The meta JSON as a map. */
        public Map<String, Object> meta() {
            return Json.readObject(metaJson);
        }
    }

    /** One media item's bytes and their content type. */
    record MediaData(String contentType, byte[] data) {}

    /** One media key of a run: at how many steps it was logged, how many items in all, and its first and last step. */
    record MediaKey(String key, long count, long items, long firstStep, long lastStep) {}

    /** One system metric value: when it was sampled (epoch ms) and the value (NaN kept). */
    record SystemPoint(long at, double value) {}

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
     * One metric of a run downsampled for a chart: the steps {@code fromStep} .. {@code toStep} (both included) are
     * cut into at most {@code buckets} buckets of width {@code w = }{@link #bucketWidth}, and each bucket that holds a
     * value gives its min, max and last ({@link HistoryBucket}), in step order. In both modes below every value of the
     * range is in exactly one bucket (the counts add up to the number of values), the buckets' step ranges do not
     * overlap and lie inside the range, and each bucket is exact over the steps it holds: its count, min and max (with
     * the first step holding each), last and non-finite flag are those of the values at {@code firstStep} ..
     * {@code lastStep}. So a spike or a NaN is never lost, whatever the width, and a chart reads at most
     * {@code buckets} rows however long the run.
     * <ul>
     * <li>Narrow buckets ({@code w < 8 * MetricBlocks.BLOCK_STEPS} = 512 steps): one GROUP BY over the key's values in
     *     the range; step s is in bucket {@code (s - fromStep) / w} exactly.
     * <li>Wide buckets ({@code w >= 512}): read from the roll-up {@link MetricBlocks} (blocks of 64 steps), so the
     *     cost is about {@code (toStep - fromStep) / 64} rows plus the at most 126 values of the partial blocks at
     *     the two ends, however many values the range holds. A block wholly inside the range goes with all its values
     *     to the bucket of its first logged step; the values of the partial blocks at the ends go to their own bucket
     *     as in the narrow mode. A bucket's step range is therefore aligned to blocks: it may hold up to one block
     *     (64 steps, at most an eighth of a bucket) more or less than the exact geometry. Its index is still
     *     {@code (firstStep - fromStep) / w}, so buckets of keys logged at the same steps pair up by index; those of
     *     {@link #stepTimes} may differ by up to a block at their edges. When no block lies wholly inside the range,
     *     the buckets are exact.
     * </ul>
     * An unknown run or key gives an empty list (as {@link #history}); {@code buckets} outside
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

    /**
     * When the steps of a run were logged, bucketed as {@link #historyBuckets} with the same arguments buckets narrowly
     * (so a bucket of one pairs with the bucket of the other of the same index {@code (firstStep - fromStep) /
     * bucketWidth(...)}; always exact here, so for wide buckets their edges may differ by up to a block of
     * {@link MetricBlocks#BLOCK_STEPS} steps from those of the history), in one GROUP BY query: per bucket holding a logged step, its first and last step and when
     * each was logged, in step order. Every {@link #log} call records its step's time (the latest call at a step wins);
     * steps logged before this store's schema 5 have no time. Same argument checks as {@link #historyBuckets}; an unknown
     * run gives an empty list.
     */
    List<StepTimes> stepTimes(String runId, long fromStep, long toStep, int buckets);

    /**
     * When each of {@code steps} was logged (epoch ms), by primary-key lookups: a chart that has its buckets already
     * asks for the times of their first and last steps only, whatever the run's length. Steps without a recorded time
     * (unknown, or logged before schema 5) are absent from the map.
     *
     * <pre>{@code Map<Long, Long> at = store.stepTimesAt(runId, List.of(0L, 999L));}</pre>
     */
    Map<Long, Long> stepTimesAt(String runId, java.util.Collection<Long> steps);

    /** Replaces the run's tags ({@link #checkTags}); an unknown run is an IllegalArgumentException. */
    void setTags(String runId, List<String> tags, long now);

    /**
     * Logs media at {@code step} under {@code key} in one transaction: {@code items} become indices 0, 1, ... and replace
     * what the key held at that step. The run's step rule and state rule are those of {@link #log} (a step below the last
     * logged step is an IllegalArgumentException, a run that is not running a {@link RunNotRunningException}); the run's
     * last step is not moved (log the step's numbers, even none, with {@link #log} for that: {@code Run.log} does both),
     * its updated time and heartbeat are. An empty {@code items} removes the key's media at that step.
     */
    void logMedia(String runId, long step, String key, List<MediaItem> items, long now);

    /** The run's media keys, by name. */
    List<MediaKey> mediaKeys(String runId);

    /** The media of one key of a run, without their bytes, by step then index; unknown run or key: empty. */
    List<MediaInfo> media(String runId, String key);

    /** The bytes of one media item, or empty when there is none at that run, step, key and index. */
    Optional<MediaData> mediaData(String runId, long step, String key, int index);

    /**
     * Logs system metrics (CPU, memory, GPU memory, ...) sampled at {@code at}, one transaction; a value logged again at the
     * same time and key replaces the old one; NaN is kept. A run that is not running is a {@link RunNotRunningException}
     * (as {@link #log}), an unknown run an IllegalArgumentException. Neither a heartbeat nor a change
     * ({@link #runsUpdatedAfter}): a live view polls {@link #systemMetrics} for them.
     */
    void logSystem(String runId, long at, Map<String, Double> values);

    /** The run's system metric keys, by name. */
    List<String> systemKeys(String runId);

    /** One system metric of a run, by time. */
    List<SystemPoint> systemMetrics(String runId, String key);

    /**
     * The run's metric keys, in order of their first step (then by name): per key, how many values, its first and last
     * step and the value there. Read from the roll-up {@link MetricBlocks} (one row per key and 64 steps), so it
     * costs about a thousandth of the run's values.
     */
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
