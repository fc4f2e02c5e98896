package dev.panoptim.ui;

import dev.panoptim.report.Flat;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunState;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run as the runs table, filters and sorts see it: the store's {@link RunInfo} with its config and summary
 * flattened into dotted keys once (parsing JSON per row per request would not scale to 10,000 runs).
 *
 * <pre>{@code Object lr = RunRow.of(info).value("config.lr");}</pre>
 */
record RunRow(RunInfo info, Map<String, Object> config, Map<String, Object> summary, List<String> tags) {

    static RunRow of(RunInfo info) {
        return new RunRow(info, Flat.of(info.config()), Flat.of(info.summary()), info.tags());
    }

    /** How long it ran: up to now while running, else until its last update. */
    long durationMs(long now) {
        long end = info.state() == RunState.RUNNING ? Math.max(now, info.updatedAt()) : info.updatedAt();
        return Math.max(0, end - info.createdAt());
    }

    /** A column's value (as in the API's {@code sort} and filters, except min./max.: {@link Columns}), or null when the run has none. */
    Object value(String column, long now) {
        if (column.startsWith("config.")) return config.get(column.substring(7));
        if (column.startsWith("summary.")) return summary.get(column.substring(8));
        return switch (column) {
            case "id" -> info.id();
            case "name" -> info.name();
            case "project" -> info.project();
            case "state" -> info.state().id();
            case "createdAt" -> info.createdAt();
            case "updatedAt" -> info.updatedAt();
            case "durationMs" -> durationMs(now);
            case "lastStep" -> info.lastStep();
            case "stepCount" -> info.stepCount();
            case "sweep" -> info.sweepId();
            case "host" -> info.host();
            default -> throw new IllegalArgumentException(column);
        };
    }

    /** The run as the API writes it (docs/UI.md, "Run objects"). */
    Map<String, Object> json(long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", info.id());
        m.put("project", info.project());
        m.put("name", info.name());
        m.put("state", info.state().id());
        m.put("tags", tags);
        m.put("createdAt", info.createdAt());
        m.put("updatedAt", info.updatedAt());
        m.put("heartbeatAt", info.heartbeatAt());
        m.put("durationMs", durationMs(now));
        m.put("lastStep", info.lastStep());
        m.put("stepCount", info.stepCount());
        m.put("sweepId", info.sweepId());
        m.put("trialIndex", info.trialIndex());
        m.put("config", config);
        m.put("summary", summary);
        return m;
    }
}
