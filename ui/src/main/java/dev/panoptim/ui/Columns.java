package dev.panoptim.ui;

import dev.panoptim.track.RunStore;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runs table's columns as filters and sorts read them: a {@link RunRow}'s own columns, plus
 * {@code min.KEY} and {@code max.KEY}, the smallest and largest finite value a run logged for metric KEY,
 * read from the store once per run and metric (one bucket of {@link RunStore#historyBuckets}) and kept while
 * the run's last step stays the same.
 *
 * <pre>{@code Object best = columns.value(row, "max.accuracy");}</pre>
 */
final class Columns {
    static final Set<String> NAMED = Set.of("id", "name", "project", "state", "createdAt", "updatedAt", "durationMs",
            "lastStep", "stepCount", "sweep", "host");

    /** A run's min and max of one metric, as of its last step. */
    private record Extremes(long lastStep, Double min, Double max) {}

    private final RunStore store;
    private final long now;
    private final Map<String, Extremes> cache;

    Columns(RunStore store, long now, Map<String, ?> cache) {
        this.store = store;
        this.now = now;
        @SuppressWarnings("unchecked")
        Map<String, Extremes> c = (Map<String, Extremes>) cache;
        this.cache = c;
    }

    /** A cache to share between requests (thread-safe). */
    static Map<String, ?> newCache() {
        return new java.util.concurrent.ConcurrentHashMap<String, Extremes>();
    }

    /** A 400 naming the column and the columns there are, unless {@code column} is one. */
    static void check(String column) {
        if (NAMED.contains(column)) return;
        for (String prefix : List.of("config.", "summary.", "min.", "max.")) {
            if (column.startsWith(prefix) && column.length() > prefix.length()) return;
        }
        throw ApiException.badRequest("unknown column '" + column + "' (id, name, project, state, createdAt, updatedAt, "
                + "durationMs, lastStep, stepCount, sweep, host, tag, config.KEY, summary.KEY, min.KEY, max.KEY)");
    }

    Object value(RunRow row, String column) {
        if (column.startsWith("min.")) return extremes(row, column.substring(4)).min();
        if (column.startsWith("max.")) return extremes(row, column.substring(4)).max();
        return row.value(column, now);
    }

    /** {@code {"min": .., "max": ..}} of metric {@code key} for a row's {@code stats}. */
    Map<String, Object> stats(RunRow row, String key) {
        Extremes e = extremes(row, key);
        Map<String, Object> m = new HashMap<>();
        m.put("min", e.min());
        m.put("max", e.max());
        return m;
    }

    private Extremes extremes(RunRow row, String key) {
        String id = row.info().id();
        long last = row.info().lastStep();
        String cacheKey = id + "\u0000" + key;
        Extremes e = cache.get(cacheKey);
        if (e != null && e.lastStep() == last) return e;
        Double min = null, max = null;
        if (last >= 0) {
            for (RunStore.HistoryBucket b : store.historyBuckets(id, key, 0, last, 1)) {
                if (!Double.isNaN(b.min())) { min = b.min(); max = b.max(); }
            }
        }
        e = new Extremes(last, min, max);
        cache.put(cacheKey, e);
        return e;
    }
}
