package dev.panoptim.ui;

import dev.panoptim.track.RunStore;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Map;

/**
 * {@code GET /api/projects} and {@code GET /api/runs} (docs/UI.md): the runs table, filtered, sorted, grouped and
 * paged over the in-memory {@link RunsIndex}, with min/max columns read from the store for the page's runs only.
 *
 * <pre>{@code routing.get("/api/runs", runsApi::runs);}</pre>
 */
final class RunsApi {
    private final RunStore store;
    private final RunsIndex index;
    private final Map<String, ?> statsCache = Columns.newCache();

    RunsApi(RunStore store, RunsIndex index) {
        this.store = store;
        this.index = index;
    }

    void projects(ServerRequest req, ServerResponse res) {
        Responses.json(res, Map.of("projects", store.projects()));
    }

    void runs(ServerRequest req, ServerResponse res) {
        RunQuery q = new RunQuery(Params.string(req, "project"), Params.string(req, "sweep"), Params.string(req, "filter"),
                Params.string(req, "sort"), (int) Math.min(Params.longAtLeast(req, "offset", 0, 0), Integer.MAX_VALUE),
                Params.intIn(req, "limit", 100, 1, 1000), Params.string(req, "group"), Params.all(req, "stats"));
        long now = System.currentTimeMillis();
        Responses.json(res, q.answer(index.rows(), new Columns(store, now, statsCache), now, index.cursor()));
    }
}
