package dev.panoptim.ui;

import dev.panoptim.sweep.ParameterImportance;
import dev.panoptim.sweep.SweepConfig;
import dev.panoptim.sweep.SweepControl;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SweepInfo;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sweeps' endpoints (docs/UI.md): the list, one sweep with its runs, best run and parameter importance (the
 * random forest of {@link ParameterImportance}), every run's metric over steps, and the controls (pause, resume,
 * stop, cancel, as the CLI's), which a {@code --read-only} server refuses with 403.
 *
 * <pre>{@code routing.post("/api/sweeps/{id}/{action}", sweepsApi::control);}</pre>
 */
final class SweepsApi {
    private final RunStore store;
    private final RunsIndex index;
    private final boolean readOnly;

    SweepsApi(RunStore store, RunsIndex index, boolean readOnly) {
        this.store = store;
        this.index = index;
        this.readOnly = readOnly;
    }

    private SweepInfo sweep(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        return store.sweep(id).orElseThrow(() -> ApiException.notFound("unknown sweep id '" + id + "' in " + store.location()));
    }

    void list(ServerRequest req, ServerResponse res) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SweepInfo s : store.sweeps()) out.add(SweepJson.of(s));
        Responses.json(res, Map.of("sweeps", out));
    }

    void detail(ServerRequest req, ServerResponse res) {
        SweepInfo sweep = sweep(req);
        SweepConfig config = SweepJson.config(sweep);
        List<RunInfo> runs = store.sweepRuns(sweep.id());
        long now = System.currentTimeMillis();
        Map<String, Object> m = SweepJson.of(sweep);
        m.put("config", sweep.config());
        m.put("parameters", new ArrayList<>(ParameterImportance.swept(config.parameters()).keySet()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RunInfo r : runs) rows.add(RunRow.of(r).json(now));
        m.put("runs", rows);
        m.put("best", best(config, runs, now));
        ParameterImportance.Result importance = ParameterImportance.of(config, runs);
        Map<String, Object> imp = new LinkedHashMap<>();
        imp.put("metric", importance.metric());
        imp.put("runs", importance.runs());
        imp.put("reason", importance.reason());
        List<Map<String, Object>> parameters = new ArrayList<>();
        for (ParameterImportance.Importance i : importance.parameters()) parameters.add(i.asMap());
        imp.put("parameters", parameters);
        m.put("importance", imp);
        Responses.json(res, m);
    }

    /** The run with the best finite metric in its summary, by the sweep's goal (null without metric or such run). */
    private static Map<String, Object> best(SweepConfig config, List<RunInfo> runs, long now) {
        if (config.metric() == null) return null;
        RunInfo best = null;
        double bestValue = Double.NaN;
        for (RunInfo r : runs) {
            if (!(r.summary().get(config.metric().name()) instanceof Number n) || !Double.isFinite(n.doubleValue())) continue;
            if (best == null || config.metric().better(n.doubleValue(), bestValue)) {
                best = r;
                bestValue = n.doubleValue();
            }
        }
        return best == null ? null : RunRow.of(best).json(now);
    }

    void history(ServerRequest req, ServerResponse res) {
        SweepInfo sweep = sweep(req);
        String key = Params.string(req, "key");
        if (key == null) {
            SweepConfig.Metric metric = SweepJson.config(sweep).metric();
            if (metric == null) throw ApiException.badRequest("'key' is required: sweep " + sweep.id() + " names no metric");
            key = metric.name();
        }
        int buckets = Params.intIn(req, "buckets", RunApi.DEFAULT_BUCKETS, 1, RunStore.MAX_BUCKETS);
        List<Map<String, Object>> out = new ArrayList<>();
        for (RunInfo r : store.sweepRuns(sweep.id())) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", r.id());
            e.put("rows", r.lastStep() < 0 ? List.of() : BucketRows.of(store.historyBuckets(r.id(), key, 0, r.lastStep(), buckets)));
            out.add(e);
        }
        Responses.json(res, Map.of("key", key, "runs", out));
    }

    void control(ServerRequest req, ServerResponse res) {
        String action = req.path().pathParameters().get("action");
        if (readOnly) throw new ApiException(403, "this server is read-only (panoptim ui --read-only): cannot " + action + " sweeps");
        SweepInfo sweep = sweep(req);
        try {
            switch (action) {
                case "pause" -> SweepControl.pause(store, sweep.id());
                case "resume" -> SweepControl.resume(store, sweep.id());
                case "stop" -> SweepControl.stop(store, sweep.id());
                case "cancel" -> SweepControl.cancel(store, sweep.id()).forEach(index::reload);
                default -> throw ApiException.notFound("unknown sweep action '" + action + "' (pause, resume, stop, cancel)");
            }
        } catch (IllegalArgumentException e) {
            throw new ApiException(409, e.getMessage());
        }
        Responses.json(res, SweepJson.of(store.sweep(sweep.id()).orElseThrow()));
    }
}
