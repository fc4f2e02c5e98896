package dev.panoptim.ui;

import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every run of the store in memory, as {@link RunRow}s, kept current by asking the store what changed
 * ({@link RunStore#runsUpdatedAfter}) rather than reading all runs per request: the runs table of 10,000 runs
 * then filters and sorts in memory in milliseconds. {@link ChangeFeed} calls {@link #refresh} twice a second.
 *
 * <pre>{@code List<RunInfo> changed = index.refresh(); List<RunRow> rows = index.rows();}</pre>
 */
final class RunsIndex {
    /** How far before the newest change seen the next question starts: a write may commit after its time. */
    static final long OVERLAP_MS = 2_000;

    private final RunStore store;
    private final Map<String, RunRow> rows = new LinkedHashMap<>();
    private long cursor = Long.MIN_VALUE;

    RunsIndex(RunStore store) {
        this.store = store;
    }

    /** Reads every run (once; later calls only ask for changes). */
    synchronized void load() {
        if (cursor != Long.MIN_VALUE) return;
        long newest = 0;
        for (RunInfo r : store.runs(null)) {
            rows.put(r.id(), RunRow.of(r));
            newest = Math.max(newest, r.updatedAt());
        }
        cursor = newest;
    }

    /** The runs created or changed since the last call, now in the index (oldest change first). */
    synchronized List<RunInfo> refresh() {
        load();
        List<RunInfo> changed = new ArrayList<>();
        for (RunInfo r : store.runsUpdatedAfter(cursor - OVERLAP_MS)) {
            RunRow old = rows.get(r.id());
            if (old == null || !old.info().equals(r)) {
                rows.put(r.id(), RunRow.of(r));
                changed.add(r);
            }
            cursor = Math.max(cursor, r.updatedAt());
        }
        return changed;
    }

    /** A snapshot of every run, oldest first (as created). */
    synchronized List<RunRow> rows() {
        load();
        return new ArrayList<>(rows.values());
    }

    synchronized RunRow row(String id) {
        load();
        return rows.get(id);
    }

    /** The rows of these runs (those the index has). */
    synchronized List<RunRow> rows(Collection<String> ids) {
        load();
        List<RunRow> out = new ArrayList<>();
        for (String id : ids) {
            RunRow r = rows.get(id);
            if (r != null) out.add(r);
        }
        return out;
    }

    /** The newest change time the index has seen (the {@code cursor} the API gives for /api/events). */
    synchronized long cursor() {
        load();
        return cursor;
    }

    /** Replaces one run's row with the store's current one (after this server changed it). */
    synchronized void reload(String id) {
        store.run(id).ifPresent(r -> rows.put(id, RunRow.of(r)));
    }
}
