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

    Run(RunStore store, RunInfo started) {
        this.store = store;
        this.started = started;
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

    public synchronized RunState state() {
        return state;
    }

    /** The last step logged, -1 before the first log. */
    public synchronized long step() {
        return lastStep;
    }

    /** Logs {@code metrics} (numbers) at the last step + 1 (step 0 first). */
    public synchronized void log(Map<String, ?> metrics) {
        log(metrics, lastStep + 1);
    }

    /**
     * Logs {@code metrics} (each value a Number; NaN and infinities are kept) at {@code step}, updates the
     * summary with them and, when a {@link #watch} is due at this step, records its histograms.
     */
    public synchronized void log(Map<String, ?> metrics, long step) {
        requireRunning("log");
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        if (step < lastStep) throw new IllegalArgumentException(JdbcRunStore.stepError(id(), step, lastStep));
        Map<String, Double> values = numbers(metrics);
        List<RunStore.HistogramPoint> histograms = List.of();
        if (watch != null && watch.due(step) && step != lastHistogramStep) histograms = watch.capture(step);
        try {
            store.log(id(), step, values, histograms, summary.jsonWith(values), System.currentTimeMillis());
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

    /** The run has ended (here, or in the store by someone else): it takes no more logs nor heartbeats. */
    private void ended(RunState end) {
        state = end;
        LiveRuns.remove(this);
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
        store.setState(id(), RunState.CRASHED, summary.json(), true, System.currentTimeMillis());
        System.err.println("panoptim: run " + id() + " (" + name() + ") ended without finish(): marked crashed; what it logged is kept");
    }

    private void requireRunning(String what) {
        if (state != RunState.RUNNING) {
            throw new IllegalStateException("cannot " + what + ": run " + id() + " (" + name() + ") is " + state.id());
        }
    }

    /** The values as doubles, or an IllegalArgumentException naming the first key that is not a number. */
    static Map<String, Double> numbers(Map<String, ?> metrics) {
        if (metrics == null) throw new IllegalArgumentException("metrics cannot be null (log an empty map to only advance the step)");
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : metrics.entrySet()) {
            String key = e.getKey();
            if (key == null || key.isBlank()) throw new IllegalArgumentException("metric names cannot be empty, got " + (key == null ? "null" : "'" + key + "'"));
            Object v = e.getValue();
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException("metric '" + key + "' is " + (v == null ? "null" : "a " + v.getClass().getSimpleName()
                        + " (" + v + ")") + ", not a number; log takes numbers (other values can go in run.summary())");
            }
            out.put(key, n.doubleValue());
        }
        return out;
    }

    @Override
    public String toString() {
        return "Run[id=" + id() + ", project=" + project() + ", name=" + name() + ", state=" + state() + "]";
    }
}
