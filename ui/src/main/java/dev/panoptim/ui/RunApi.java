package dev.panoptim.ui;

import dev.panoptim.track.Histogram;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run's endpoints (docs/UI.md): {@code /api/runs/{id}} (the run with its metric keys, histograms, media,
 * system metrics and files), {@code /history} (full-fidelity buckets computed in the database),
 * {@code /histograms}, {@code /media}, {@code /system} and {@code /files/{path}}.
 *
 * <pre>{@code routing.get("/api/runs/{id}/history", runApi::history);}</pre>
 */
final class RunApi {
    static final int DEFAULT_BUCKETS = 1000;

    private final RunStore store;
    private final RunsIndex index;
    private final RunFiles files;

    RunApi(RunStore store, RunsIndex index, RunFiles files) {
        this.store = store;
        this.index = index;
        this.files = files;
    }

    private RunInfo run(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        return store.run(id).orElseThrow(() -> ApiException.notFound("unknown run id '" + id + "' in " + store.location()));
    }

    void detail(ServerRequest req, ServerResponse res) {
        RunInfo run = run(req);
        long now = System.currentTimeMillis();
        Map<String, Object> m = RunRow.of(run).json(now);
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (RunStore.MetricKey k : store.metricKeys(run.id())) {
            if (k.key().startsWith("_")) continue;
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("key", k.key());
            e.put("count", k.count());
            e.put("firstStep", k.firstStep());
            e.put("lastStep", k.lastStep());
            e.put("last", k.lastValue());
            metrics.add(e);
        }
        m.put("metrics", metrics);
        Set<String> histogramKeys = new LinkedHashSet<>();
        for (RunStore.HistogramPoint h : store.histograms(run.id())) histogramKeys.add(h.key());
        m.put("histograms", histogramKeys);
        List<Map<String, Object>> media = new ArrayList<>();
        for (RunStore.MediaKey k : store.mediaKeys(run.id())) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("key", k.key());
            e.put("count", k.count());
            e.put("items", k.items());
            e.put("firstStep", k.firstStep());
            e.put("lastStep", k.lastStep());
            media.add(e);
        }
        m.put("media", media);
        m.put("system", store.systemKeys(run.id()));
        m.put("files", files.list(run));
        m.put("pid", run.pid());
        m.put("host", run.host());
        m.put("attempt", run.attempt());
        m.put("configJson", run.config());
        m.put("summaryJson", run.summary());
        m.put("cursor", index.cursor());
        Responses.json(res, m);
    }

    void history(ServerRequest req, ServerResponse res) {
        RunInfo run = run(req);
        List<String> keys = Params.all(req, "key");
        if (keys.isEmpty()) throw ApiException.badRequest("'key' is required: the metric to read (e.g. key=loss)");
        long from = Params.longAtLeast(req, "from", 0, 0);
        long to = Params.longAtLeast(req, "to", Math.max(run.lastStep(), from), 0);
        if (from > to) throw ApiException.badRequest("'from' (" + from + ") must be <= 'to' (" + to + ")");
        int buckets = Params.intIn(req, "buckets", DEFAULT_BUCKETS, 1, RunStore.MAX_BUCKETS);
        long width = RunStore.bucketWidth(from, to, buckets);
        List<Map<String, Object>> series = new ArrayList<>();
        // Bucket steps, to ask when they were logged: two lookups per bucket, not a pass over the run's steps.
        java.util.TreeMap<Long, long[]> bounds = new java.util.TreeMap<>();
        Set<String> known = null;
        for (String k : keys) {
            List<RunStore.HistoryBucket> rows = store.historyBuckets(run.id(), k, from, to, buckets);
            if (rows.isEmpty()) {
                // Only now is it worth asking which keys the run has: an empty range of a known key is no error.
                if (known == null) {
                    known = new LinkedHashSet<>();
                    for (RunStore.MetricKey mk : store.metricKeys(run.id())) known.add(mk.key());
                }
                if (!known.contains(k)) throw ApiException.notFound("run " + run.id() + " has no metric '" + k + "'");
            }
            for (RunStore.HistoryBucket b : rows) {
                long[] span = bounds.computeIfAbsent((b.firstStep() - from) / width, i -> new long[] {b.firstStep(), b.lastStep()});
                span[0] = Math.min(span[0], b.firstStep());
                span[1] = Math.max(span[1], b.lastStep());
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("key", k);
            s.put("rows", BucketRows.of(rows));
            series.add(s);
        }
        List<Long> steps = new ArrayList<>();
        for (long[] span : bounds.values()) {
            steps.add(span[0]);
            steps.add(span[1]);
        }
        Map<Long, Long> at = store.stepTimesAt(run.id(), steps);
        List<List<Long>> times = new ArrayList<>();
        for (long[] span : bounds.values()) {
            Long first = at.get(span[0]), last = at.get(span[1]);
            if (first != null && last != null) times.add(List.of(span[0], first, span[1], last));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", from);
        m.put("to", to);
        m.put("buckets", buckets);
        m.put("bucketWidth", width);
        m.put("series", series);
        m.put("times", times);
        Responses.json(res, m);
    }

    void media(ServerRequest req, ServerResponse res) {
        RunInfo run = run(req);
        String key = Params.string(req, "key");
        if (key == null) throw ApiException.badRequest("'key' is required: the media key to read (e.g. key=examples)");
        List<Map<String, Object>> items = new ArrayList<>();
        for (RunStore.MediaInfo i : store.media(run.id(), key)) {
            Map<String, Object> e = new LinkedHashMap<>(i.meta());
            e.put("step", i.step());
            e.put("index", i.index());
            e.put("kind", i.kind());
            e.put("caption", i.caption());
            e.put("contentType", i.contentType());
            e.put("url", "/api/runs/" + run.id() + "/media/" + UrlPath.segment(key) + "/" + i.step() + "/" + i.index());
            items.add(e);
        }
        if (items.isEmpty()) throw ApiException.notFound("run " + run.id() + " has no media '" + key + "'");
        Responses.json(res, Map.of("key", key, "items", items));
    }

    void mediaBytes(ServerRequest req, ServerResponse res) {
        RunInfo run = run(req);
        var p = req.path().pathParameters();
        String key = p.get("key");
        long step;
        int index;
        try {
            step = Long.parseLong(p.get("step"));
            index = Integer.parseInt(p.get("index"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("media step and index must be integers, got '" + p.get("step") + "' and '" + p.get("index") + "'");
        }
        RunStore.MediaData d = store.mediaData(run.id(), step, key, index).orElseThrow(() -> ApiException.notFound(
                "run " + run.id() + " has no media '" + key + "' at step " + step + ", index " + index));
        res.header(io.helidon.http.HeaderNames.CACHE_CONTROL, "max-age=31536000, immutable");
        Responses.bytes(res, d.contentType(), d.data());
    }

    void system(ServerRequest req, ServerResponse res) {
        RunInfo run = run(req);
        List<Map<String, Object>> series = new ArrayList<>();
        for (String key : store.systemKeys(run.id())) {
            List<List<Object>> points = new ArrayList<>();
            for (RunStore.SystemPoint sp : store.systemMetrics(run.id(), key)) points.add(List.of(sp.at(), sp.value()));
            series.add(Map.of("key", key, "points", points));
        }
        Responses.json(res, Map.of("series", series));
    }

    void histograms(ServerRequest req, ServerResponse res) {
        RunInfo run = run(req);
        String key = Params.string(req, "key");
        if (key == null) throw ApiException.badRequest("'key' is required: the histogram to read (e.g. key=conv1.weight)");
        List<Map<String, Object>> steps = new ArrayList<>();
        for (RunStore.HistogramPoint p : store.histograms(run.id())) {
            if (!p.key().equals(key)) continue;
            Histogram h = p.histogram();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("step", p.step());
            s.put("min", h.min());
            s.put("max", h.max());
            s.put("counts", h.counts());
            s.put("nonFinite", h.nonFinite());
            steps.add(s);
        }
        if (steps.isEmpty()) throw ApiException.notFound("run " + run.id() + " has no histogram '" + key + "'");
        Responses.json(res, Map.of("key", key, "steps", steps));
    }

    void file(ServerRequest req, ServerResponse res) {
        RunInfo run = run(req);
        String name = req.path().pathParameters().get("path");
        Path p = files.resolve(run, name);
        try {
            Responses.bytes(res, contentType(p), Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(Path p) {
        String n = p.getFileName().toString();
        if (n.endsWith(".html")) return "text/html; charset=utf-8";
        if (n.endsWith(".png")) return "image/png";
        if (n.endsWith(".json")) return "application/json";
        if (n.endsWith(".txt") || n.endsWith(".csv")) return "text/plain; charset=utf-8";
        return "application/octet-stream";
    }
}
