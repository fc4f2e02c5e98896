package dev.panoptim.track;

import dev.panoptim.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One tracked run, like a W&amp;B run: made by {@link Tracking#init}, it logs metrics by step into its
 * store, keeps a {@link #summary()}, records histograms of watched tensors, and ends with
 * {@link #finish()} (or {@code close()}, so try-with-resources finishes it). A run that never
 * finishes is marked crashed when its JVM exits (normal exit, Ctrl-C, SIGTERM), or, when the process
 * was killed outright, by the next {@code panoptim runs} command; what it logged is kept either way.
 * Every method is thread-safe.
 *
 * <p>Steps: {@code log(metrics, step)} writes at {@code step}, which must not be below the last
 * logged step (an IllegalArgumentException naming both, as in wandb); the same step may be logged
 * again to add keys (a key logged twice at one step keeps the later value). {@code log(metrics)}
 * logs at the last step + 1 (0 for the first call). Each log call is written at once, in one
 * transaction, so a process killed right after it keeps it.
 *
 * <pre>{@code
 * try (Run run = Tracking.init("fashion", "resnet18-adamw", args)) {
 *     run.watch(model::namedParameters, What.GRADIENTS, 100);
 *     for (long step = 0; step < steps; step++) run.log(Map.of("loss", loss, "accuracy", acc), step);
 *     run.summary().put("test_accuracy", testAcc);
 * }
 * }</pre>
 */
public final class Run implements AutoCloseable {
    private final RunStore store;
    private final RunInfo started;
    private final Summary summary;
    private long lastStep = -1;
    private long lastHistogramStep = -1;
    private RunState state = RunState.RUNNING;
    private Watch watch;
    private List<String> tags;
    /** Samples CPU, memory and GPU memory while the run is live (runs made by Tracking.init); null when off or ended. */
    private SystemSampler system;

    Run(RunStore store, RunInfo started) {
        this.store = store;
        this.started = started;
        this.tags = started.tags();
        this.summary = new Summary(this, json -> store.updateSummary(started.id(), json, System.currentTimeMillis()));
    }

    /** The 8-character id ([0-9a-z]), as {@code panoptim runs} shows it. */
    public String id() {
        return started.id();
    }

    public String name() {
        return started.name();
    }

    public String project() {
        return started.project();
    }

    /** The config as stored (its JSON as a read-only map). */
    public Map<String, Object> config() {
        return started.config();
    }

    public RunStore store() {
        return store;
    }

    /** The run's tags, in order. */
    public synchronized List<String> tags() {
        return tags;
    }

    /** Replaces the run's tags (each stripped, duplicates dropped; see {@link RunStore#checkTags}); written at once. */
    public synchronized void tags(List<String> newTags) {
        List<String> checked = RunStore.checkTags(newTags);
        store.setTags(id(), checked, System.currentTimeMillis());
        tags = checked;
    }

    public synchronized RunState state() {
        return state;
    }

    /** The last step logged, -1 before the first log. */
    public synchronized long step() {
        return lastStep;
    }

    /** Logs {@code metrics} (numbers, {@link Media} or lists of Media) at the last step + 1 (step 0 first). */
    public synchronized void log(Map<String, ?> metrics) {
        log(metrics, lastStep + 1);
    }

    /**
     * Logs {@code metrics} at {@code step}: each value a Number (NaN and infinities are kept), a {@link Media} or a
     * non-empty List of Media (an image, or several, under that key at this step, as wandb.Image). Numbers update the
     * summary; when a {@link #watch} is due at this step, its histograms are recorded. The numbers are written in one
     * transaction, then each media key in one of its own. Any other value is an IllegalArgumentException naming its key
     * and type, before anything is written.
     */
    public synchronized void log(Map<String, ?> metrics, long step) {
        requireRunning("log");
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        if (step < lastStep) throw new IllegalArgumentException(JdbcRunStore.stepError(id(), step, lastStep));
        Map<String, List<RunStore.MediaItem>> media = new LinkedHashMap<>();
        Map<String, Double> values = numbers(metrics, media);
        List<RunStore.HistogramPoint> histograms = List.of();
        if (watch != null && watch.due(step) && step != lastHistogramStep) histograms = watch.capture(step);
        try {
            long now = System.currentTimeMillis();
            store.log(id(), step, values, histograms, summary.jsonWith(values), now);
            for (Map.Entry<String, List<RunStore.MediaItem>> m : media.entrySet()) store.logMedia(id(), step, m.getKey(), m.getValue(), now);
        } catch (RunNotRunningException e) {
            ended(e.state());
            throw e;
        }
        summary.logged(values);
        lastStep = step;
        if (watch != null && watch.due(step)) lastHistogramStep = step;
    }

    /**
     * Records histograms ({@value Histogram#DEFAULT_BINS} bins between min and max) of the named tensors
     * from {@code tensors}: their values as {@code parameters/NAME} (PARAMETERS, ALL), their gradients
     * as {@code gradients/NAME} where {@code grad()} is not null (GRADIENTS, ALL). They are taken by
     * {@link #log}: at each logged step s with {@code s % every == 0} (step 0 included), once per step,
     * before the log call returns. Gradients are read then, so log before {@code optimizer.zeroGrad()}.
     * A later watch replaces this one. For an nn Module: {@code run.watch(model::namedParameters, What.ALL, 100)}.
     */
    public synchronized void watch(Supplier<Map<String, Tensor>> tensors, What what, long every) {
        requireRunning("watch");
        watch = new Watch(tensors, what, every);
    }

    /** Stops recording histograms. */
    public synchronized void unwatch() {
        watch = null;
    }

    /** The summary: each metric's last logged value unless set otherwise; writes go to the store at once. */
    public Summary summary() {
        return summary;
    }

    /** Ends the run as finished. A second call does nothing. */
    public void finish() {
        finish(RunState.FINISHED);
    }

    /**
     * Ends the run in {@code end} (finished, failed, stopped or crashed). A run that has ended stays as it is,
     * also when something else ended it in the store (a sweep stopped it, another process marked it crashed).
     */
    public synchronized void finish(RunState end) {
        if (end == RunState.RUNNING) throw new IllegalArgumentException("a run cannot finish as running");
        if (state != RunState.RUNNING) return;
        boolean changed = store.setState(id(), end, summary.json(), true, System.currentTimeMillis());
        ended(changed ? end : store.run(id()).map(RunInfo::state).orElse(end));
    }

    /** Starts sampling system metrics ({@link SystemSampler}), unless the configured interval is 0. */
    synchronized void sampleSystem() {
        if (state == RunState.RUNNING && system == null) system = SystemSampler.start(store, id());
    }

    /** The run has ended (here, or in the store by someone else): it takes no more logs nor heartbeats. */
    private void ended(RunState end) {
        state = end;
        LiveRuns.remove(this);
        stopSampling();
    }

    private void stopSampling() {
        if (system != null) system.close();
        system = null;
    }

    /** Same as {@link #finish()}. */
    @Override
    public void close() {
        finish();
    }

    synchronized void heartbeat() {
        if (state != RunState.RUNNING) return;
        try {
            store.heartbeat(id(), System.currentTimeMillis());
        } catch (RunNotRunningException e) {
            ended(e.state());
        }
    }

    /** From the shutdown hook: an unfinished run is marked crashed (unless something else ended it in the store meanwhile). */
    synchronized void crashAtExit() {
        if (state != RunState.RUNNING) return;
        state = RunState.CRASHED;
        stopSampling();
        store.setState(id(), RunState.CRASHED, summary.json(), true, System.currentTimeMillis());
        System.err.println("panoptim: run " + id() + " (" + name() + ") ended without finish(): marked crashed; what it logged is kept");
    }

    private void requireRunning(String what) {
        if (state != RunState.RUNNING) {
            throw new IllegalStateException("cannot " + what + ": run " + id() + " (" + name() + ") is " + state.id());
        }
    }

    /**
     * The numbers as doubles, the Media (one, or a List) into {@code media} by key; an IllegalArgumentException names the
     * first key whose value is neither.
     */
    static Map<String, Double> numbers(Map<String, ?> metrics, Map<String, List<RunStore.MediaItem>> media) {
        if (metrics == null) throw new IllegalArgumentException("metrics cannot be null (log an empty map to only advance the step)");
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : metrics.entrySet()) {
            String key = e.getKey();
            if (key == null || key.isBlank()) throw new IllegalArgumentException("metric names cannot be empty, got " + (key == null ? "null" : "'" + key + "'"));
            Object v = e.getValue();
            if (v instanceof Number n) {
                out.put(key, n.doubleValue());
            } else if (v instanceof Media m) {
                media.put(key, List.of(m.item()));
            } else if (v instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(Media.class::isInstance)) {
                media.put(key, list.stream().map(x -> ((Media) x).item()).toList());
            } else {
                throw new IllegalArgumentException("metric '" + key + "' is " + describe(v) + ", not a number, a Media nor a non-empty "
                        + "List of Media; log takes those (other values can go in run.summary())");
            }
        }
        return out;
    }

    private static String describe(Object v) {
        if (v == null) return "null";
        if (v instanceof List<?> list) {
            if (list.isEmpty()) return "an empty List";
            for (Object x : list) {
                if (!(x instanceof Media)) return "a List holding " + (x == null ? "null" : "a " + x.getClass().getSimpleName() + " (" + x + ")");
            }
        }
        String text = String.valueOf(v);
        return "a " + v.getClass().getSimpleName() + " (" + (text.length() > 60 ? text.substring(0, 57) + "..." : text) + ")";
    }

    @Override
    public String toString() {
        return "Run[id=" + id() + ", project=" + project() + ", name=" + name() + ", state=" + state() + "]";
    }
}
