package dev.panoptim.ui;

import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SweepInfo;
import io.helidon.http.HeaderNames;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/events}: the live stream of one open page (server-sent events, docs/UI.md). It sends only what
 * is new: runs created or changed ({@code runs}), new points of the runs the page names ({@code points}, bucketed
 * as the history is, so a burst of 100,000 steps arrives as at most {@value #MAX_BUCKETS} rows per key), and sweep
 * changes ({@code sweep}); a {@code ping} every {@value #PING_SECONDS} s. Each event's id is the change cursor, so
 * the browser's reconnect (Last-Event-ID) resumes where it stopped. A client that goes away ends the loop at the
 * next write. Runs a virtual thread per open stream (Helidon's request threads).
 *
 * <pre>{@code new EventSource("/api/events?since=" + cursor + "&run=3k2j9x0a@1200")}</pre>
 */
final class EventStream {
    static final int MAX_BUCKETS = 2_000;
    static final int PING_SECONDS = 15;

    private final RunStore store;
    private final RunsIndex index;
    private final ChangeFeed feed;

    EventStream(RunStore store, RunsIndex index, ChangeFeed feed) {
        this.store = store;
        this.index = index;
        this.feed = feed;
    }

    void handle(ServerRequest req, ServerResponse res) {
        Long since = Params.optionalLong(req, "since", Long.MIN_VALUE);
        var lastId = req.headers().value(HeaderNames.create("Last-Event-ID"));
        if (lastId.isPresent()) {
            try {
                since = Long.parseLong(lastId.get().strip());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Last-Event-ID must be a cursor (an integer), got '" + lastId.get() + "'");
            }
        }
        List<String> keys = Params.all(req, "key");
        // run=ID or run=ID@STEP: the page has the run's points up to STEP (default: up to its last step now)
        Map<String, Long> sentUpTo = new LinkedHashMap<>();
        for (String spec : Params.all(req, "run")) {
            int at = spec.indexOf('@');
            String id = at < 0 ? spec : spec.substring(0, at);
            RunRow row = index.row(id);
            if (row == null) throw ApiException.notFound("unknown run id '" + id + "'");
            long step = row.info().lastStep();
            if (at >= 0) {
                try {
                    step = Long.parseLong(spec.substring(at + 1));
                } catch (NumberFormatException e) {
                    throw ApiException.badRequest("'run' must be ID or ID@STEP, got '" + spec + "'");
                }
            }
            sentUpTo.put(id, step);
        }
        Map<String, Map<String, Long>> perKey = new HashMap<>();
        BlockingQueue<ChangeFeed.Change> queue = feed.subscribe();
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            long cursor = index.cursor();
            sink.emit(event("ready", cursor, Map.of("cursor", cursor)));
            if (since != null) {
                List<Map<String, Object>> missed = new ArrayList<>();
                long now = System.currentTimeMillis();
                for (RunRow r : index.rows()) if (r.info().updatedAt() > since) missed.add(r.json(now));
                if (!missed.isEmpty()) sink.emit(event("runs", cursor, Map.of("runs", missed, "cursor", cursor)));
            }
            for (String id : sentUpTo.keySet()) {
                RunRow r = index.row(id);
                if (r != null) sendPoints(sink, r.info(), keys, sentUpTo, perKey, cursor);
            }
            while (true) {
                ChangeFeed.Change c = queue.poll(PING_SECONDS, TimeUnit.SECONDS);
                if (c == ChangeFeed.CLOSED) break;
                if (c == null) {
                    sink.emit(event("ping", index.cursor(), Map.of("at", System.currentTimeMillis())));
                    continue;
                }
                if (!c.runs().isEmpty()) {
                    long now = System.currentTimeMillis();
                    List<Map<String, Object>> rows = new ArrayList<>();
                    for (RunInfo r : c.runs()) rows.add(RunRow.of(r).json(now));
                    sink.emit(event("runs", c.cursor(), Map.of("runs", rows, "cursor", c.cursor())));
                    for (RunInfo r : c.runs()) {
                        if (sentUpTo.containsKey(r.id())) sendPoints(sink, r, keys, sentUpTo, perKey, c.cursor());
                    }
                }
                for (SweepInfo s : c.sweeps()) sink.emit(event("sweep", c.cursor(), SweepJson.of(s)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The client went away (the write failed) or the server stops: nothing to answer any more.
        } finally {
            feed.unsubscribe(queue);
        }
    }

    /** The run's points after what the page has, per key; remembers what was sent. */
    private void sendPoints(SseSink sink, RunInfo run, List<String> keys, Map<String, Long> sentUpTo,
                            Map<String, Map<String, Long>> perKey, long cursor) {
        long base = sentUpTo.get(run.id());
        Map<String, Long> sent = perKey.computeIfAbsent(run.id(), k -> new HashMap<>());
        List<String> names = keys;
        if (names.isEmpty()) {
            names = new ArrayList<>();
            for (RunStore.MetricKey k : store.metricKeys(run.id())) if (!k.key().startsWith("_")) names.add(k.key());
        }
        for (String key : names) {
            long from = sent.getOrDefault(key, base) + 1, to = run.lastStep();
            if (from > to) continue;
            int buckets = (int) Math.min(to - from + 1, MAX_BUCKETS);
            var rows = BucketRows.of(store.historyBuckets(run.id(), key, from, to, buckets));
            sent.put(key, to);
            if (rows.isEmpty()) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", run.id());
            m.put("key", key);
            m.put("rows", rows);
            sink.emit(event("points", cursor, m));
        }
    }

    private static SseEvent event(String name, long cursor, Object data) {
        return SseEvent.builder().name(name).id(Long.toString(cursor)).data(JsonOut.write(data)).build();
    }
}
