package dev.panoptim.track;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The sweep trial the current code runs in, so that {@link Tracking#init} attaches to the trial's run
 * (created by the sweep agent) instead of starting a new one, like {@code wandb.init} under
 * {@code wandb.agent}: the config it is given is merged under the trial's values, which win (values set
 * by the sweep are locked). In-process trials are bound to the thread by {@link #call}; a trial's
 * subprocess finds its run through {@value #RUN_ENV} (and the store through {@code PANOPTIM_STORE} or {@code PANOPTIM_DIR}).
 *
 * <pre>{@code Trials.call(store, runId, () -> { try (Run run = Tracking.init("p", null, args)) { ... } return null; });}</pre>
 */
public final class Trials {
    /** The environment variable holding the trial's run id in a trial's subprocess. */
    public static final String RUN_ENV = "PANOPTIM_RUN_ID";
    /** The environment variable holding the trial's sweep id. */
    public static final String SWEEP_ENV = "PANOPTIM_SWEEP_ID";

    private record Current(RunStore store, String runId) {}

    private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

    private Trials() {}

    /** Runs {@code body} with the trial's run bound to this thread. */
    public static <T> T call(RunStore store, String runId, Callable<T> body) throws Exception {
        Current before = CURRENT.get();
        CURRENT.set(new Current(store, runId));
        try {
            return body.call();
        } finally {
            if (before == null) CURRENT.remove();
            else CURRENT.set(before);
        }
    }

    /** The run of the trial that {@link #call} bound to this thread for {@code store}, or null outside one. */
    public static String current(RunStore store) {
        return runId(store, false);
    }

    /** The trial's run in {@code store} for this thread or process ({@code fromEnvironment}: {@value #RUN_ENV}), or null. */
    static String runId(RunStore store, boolean fromEnvironment) {
        Current c = CURRENT.get();
        if (c != null) return c.store() == store ? c.runId() : null;
        if (!fromEnvironment) return null;
        String env = System.getenv(RUN_ENV);
        return env == null || env.isBlank() ? null : env.strip();
    }

    /** Attaches to the trial's run: its config becomes {@code configJson} overlaid by the trial's values. */
    static Run attach(RunStore store, String runId, String configJson) {
        RunInfo info = store.run(runId).orElseThrow(() -> new IllegalArgumentException(
                "the sweep trial's run '" + runId + "' is not in " + store.location()));
        Map<String, Object> merged = merge(Json.readObject(configJson), info.config());
        String json = Json.write(merged);
        store.updateConfig(runId, json, System.currentTimeMillis());
        return new Run(store, info.withConfig(json));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        for (Map.Entry<String, Object> e : over.entrySet()) {
            Object b = out.get(e.getKey());
            if (b instanceof Map<?, ?> bm && e.getValue() instanceof Map<?, ?> om) {
                out.put(e.getKey(), merge((Map<String, Object>) bm, (Map<String, Object>) om));
            } else out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
