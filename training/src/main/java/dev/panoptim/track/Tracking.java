package dev.panoptim.track;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts tracked runs, in the spirit of {@code wandb.init}. The default store ({@link #defaultLocation()})
 * is PostgreSQL when {@code -Dpanoptim.store=URL}, else the environment variable {@code PANOPTIM_STORE},
 * names a {@code jdbc:postgresql:} URL (sweep agents on several machines share it); otherwise SQLite in
 * {@link #defaultDirectory()}: {@code -Dpanoptim.dir=DIR}, else the environment variable
 * {@code PANOPTIM_DIR}, else {@code ./panoptim} (relative to the working directory), holding
 * {@code panoptim.db}. The config is any record, bean or Map (written as JSON with Jackson; the
 * trainer passes its TrainingArgs record). Inside a sweep trial ({@link Trials}) it attaches to the
 * trial's run, whose config holds the sweep's values. Tags (labels to find runs by, as wandb's) can be given
 * here or later with {@link Run#tags(List)}. While a run made here is live, a daemon thread samples the process's CPU,
 * memory and GPU memory into its system metrics every 10 s ({@code -Dpanoptim.system.interval=SECONDS}, 0: off; see
 * {@link RunStore#logSystem}).
 *
 * <pre>{@code
 * try (Run run = Tracking.init("fashion-mnist", "adamw-lr1e-3", Map.of("lr", 1e-3, "batch_size", 64))) {
 *     run.log(Map.of("loss", 0.41, "accuracy", 0.86));
 * }
 * }</pre>
 */
public final class Tracking {
    /** The system property that names the panoptim directory. */
    public static final String DIR_PROPERTY = "panoptim.dir";
    /** The environment variable that names it when the property is not set. */
    public static final String DIR_ENV = "PANOPTIM_DIR";
    /** The system property that names the run store (a JDBC URL), before the directory rule. */
    public static final String STORE_PROPERTY = "panoptim.store";
    /** The environment variable that names it when the property is not set. */
    public static final String STORE_ENV = "PANOPTIM_STORE";

    private static final Map<String, RunStore> DEFAULT_STORES = new HashMap<>();

    private Tracking() {}

    /** A new running run in the default store; {@code name} null or blank: the run's id. */
    public static Run init(String project, String name, Object config) {
        return init(project, name, config, List.of());
    }

    /** A new running run in the default store, with {@code tags} ({@link RunStore#checkTags}). */
    public static Run init(String project, String name, Object config, List<String> tags) {
        RunStore store = defaultStore();
        String trial = Trials.runId(store, true);
        if (trial != null) return attached(store, trial, config, tags);
        return init(store, project, name, config, tags);
    }

    /**
     * Inside a sweep trial ({@link Trials}), the trial's run, its config overlaid by the sweep's values; {@code tags}
     * are added to the ones it has.
     */
    private static Run attached(RunStore store, String runId, Object config, List<String> tags) {
        List<String> more = RunStore.checkTags(tags);
        Run run = Trials.attach(store, runId, Json.config(config));
        if (!more.isEmpty()) {
            List<String> all = new ArrayList<>(run.tags());
            all.addAll(more);
            run.tags(all);
        }
        LiveRuns.add(run);
        run.sampleSystem();
        return run;
    }

    /** A new running run in {@code store}. */
    public static Run init(RunStore store, String project, String name, Object config) {
        return init(store, project, name, config, List.of());
    }

    /** A new running run in {@code store}, with {@code tags} ({@link RunStore#checkTags}). */
    public static Run init(RunStore store, String project, String name, Object config, List<String> tags) {
        if (store == null) throw new IllegalArgumentException("store cannot be null");
        String trial = Trials.runId(store, false);
        if (trial != null) return attached(store, trial, config, tags);
        String configJson = Json.config(config);
        ProcessIdentity me = ProcessIdentity.current();
        RunStore.NewRun spec = new RunStore.NewRun(checkProject(project), name == null || name.isBlank() ? null : name.strip(),
                configJson, null, me.pid(), me.host(), me.startedAt(), tags);
        Run run = new Run(store, store.createRun(spec, System.currentTimeMillis()));
        LiveRuns.add(run);
        run.sampleSystem();
        return run;
    }

    /**
     * Makes tracking's exit hook (which marks this process's unfinished runs crashed) wait, at most a
     * minute, until the returned hold is closed: for code that ends its own runs on Ctrl-C, as the
     * trainer does (it stops at a step boundary, checkpoints and ends its run as stopped).
     *
     * <pre>{@code try (Tracking.ExitHold hold = Tracking.holdExit()) { trainer.train(); }}</pre>
     */
    public static ExitHold holdExit() {
        return LiveRuns.holdExit();
    }

    /** A hold on tracking's exit hook; closing it lets the hook go on. Idempotent. */
    public interface ExitHold extends AutoCloseable {
        @Override
        void close();
    }

    /** The store at {@link #defaultLocation()}, opened once per JVM (and closed at its exit). */
    public static synchronized RunStore defaultStore() {
        String location = defaultLocation();
        RunStore store = DEFAULT_STORES.get(location);
        if (store == null) {
            store = RunStores.open(location);
            DEFAULT_STORES.put(location, store);
            LiveRuns.closeAtExit(store);
        }
        return store;
    }

    /** {@code -Dpanoptim.store}, else {@code $PANOPTIM_STORE}, else {@link #defaultDirectory()}: for {@link RunStores#open}. */
    public static String defaultLocation() {
        String url = System.getProperty(STORE_PROPERTY);
        if (url == null || url.isBlank()) url = System.getenv(STORE_ENV);
        return url == null || url.isBlank() ? defaultDirectory().toString() : url.strip();
    }

    /** {@code -Dpanoptim.dir}, else {@code $PANOPTIM_DIR}, else {@code ./panoptim}; absolute. */
    public static Path defaultDirectory() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) dir = System.getenv(DIR_ENV);
        if (dir == null || dir.isBlank()) dir = "panoptim";
        return Path.of(dir).toAbsolutePath().normalize();
    }

    static String checkProject(String project) {
        if (project == null || project.isBlank()) throw new IllegalArgumentException("the project name cannot be empty");
        String p = project.strip();
        if (p.length() > 128) throw new IllegalArgumentException("the project name is " + p.length() + " characters long; at most 128");
        if (p.chars().anyMatch(Character::isISOControl)) throw new IllegalArgumentException("the project name cannot hold control characters");
        return p;
    }
}
