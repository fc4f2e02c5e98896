package dev.panoptim.ui;

import dev.panoptim.track.Liveness;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SweepInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks the store what changed every {@value #INTERVAL_MS} ms (one query for every open page: runs changed since
 * the last question, and the sweeps) and hands each change to every subscribed event stream. Every
 * {@value #CRASH_CHECK_MS} ms it also marks crashed the running runs whose process is gone, as the CLI does,
 * so a killed trainer shows as crashed on open pages. A store that cannot be read is retried at the next tick and
 * reported once per outage on stderr.
 *
 * <pre>{@code BlockingQueue<ChangeFeed.Change> q = feed.subscribe(); ... feed.unsubscribe(q);}</pre>
 */
final class ChangeFeed implements AutoCloseable {
    static final long INTERVAL_MS = 500;
    static final long CRASH_CHECK_MS = 10_000;

    /** What changed in one tick; {@link #CLOSED} tells streams the server stops. */
    record Change(List<RunInfo> runs, List<SweepInfo> sweeps, long cursor) {}

    static final Change CLOSED = new Change(List.of(), List.of(), -1);

    private final RunStore store;
    private final RunsIndex index;
    private final Set<BlockingQueue<Change>> listeners = ConcurrentHashMap.newKeySet();
    private final Map<String, SweepInfo> sweeps = new HashMap<>();
    private final ScheduledExecutorService timer;
    private long lastCrashCheck;
    private volatile boolean failing;

    ChangeFeed(RunStore store, RunsIndex index) {
        this.store = store;
        this.index = index;
        for (SweepInfo s : store.sweeps()) sweeps.put(s.id(), s);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "panoptim-ui-changes");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    BlockingQueue<Change> subscribe() {
        BlockingQueue<Change> q = new LinkedBlockingQueue<>();
        listeners.add(q);
        return q;
    }

    void unsubscribe(BlockingQueue<Change> q) {
        listeners.remove(q);
    }

    /** How many event streams are open (for tests: a client that went away must be unsubscribed). */
    int subscribers() {
        return listeners.size();
    }

    void tick() {
        try {
            long now = System.currentTimeMillis();
            if (now - lastCrashCheck >= CRASH_CHECK_MS) {
                lastCrashCheck = now;
                store.markGoneRunsCrashed(Liveness.standard(), now);
            }
            List<RunInfo> runs = index.refresh();
            List<SweepInfo> changedSweeps = new ArrayList<>();
            synchronized (sweeps) {
                for (SweepInfo s : store.sweeps()) {
                    if (!s.equals(sweeps.put(s.id(), s))) changedSweeps.add(s);
                }
            }
            if (failing) {
                failing = false;
                System.err.println("panoptim ui: the store answers again");
            }
            if (runs.isEmpty() && changedSweeps.isEmpty()) return;
            Change c = new Change(runs, changedSweeps, index.cursor());
            for (BlockingQueue<Change> q : listeners) q.offer(c);
        } catch (RuntimeException e) {
            if (!failing) System.err.println("panoptim ui: cannot read the store " + store.location() + " (" + e.getMessage()
                    + "); trying again every " + INTERVAL_MS + " ms");
            failing = true;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (BlockingQueue<Change> q : listeners) q.offer(CLOSED);
    }
}
