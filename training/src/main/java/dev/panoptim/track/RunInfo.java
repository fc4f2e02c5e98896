package dev.panoptim.track;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run as its store holds it: identity, state, times (epoch milliseconds), config and summary (JSON
 * objects), the last step logged and how many distinct steps were, the process that runs it (pid,
 * host, process start time; heartbeat), the sweep it belongs to ({@code null} outside a sweep), its
 * trial there ({@code null} outside a sweep) and which attempt at that trial it is (0 first, 1 for the
 * first retry of a crashed trial, ...), and its tags (labels to filter by, as W&amp;B's; empty for none).
 *
 * <pre>{@code RunInfo r = store.run("3k2j9x0a").orElseThrow(); Map<String, Object> cfg = r.config();}</pre>
 */
public record RunInfo(String id, String project, String name, RunState state, long createdAt, long updatedAt,
                      long heartbeatAt, String configJson, String summaryJson, long lastStep, long stepCount,
                      Long pid, Long processStartedAt, String host, String sweepId, Long trialIndex, int attempt,
                      List<String> tags) {

    public RunInfo {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** Without tags. */
    public RunInfo(String id, String project, String name, RunState state, long createdAt, long updatedAt, long heartbeatAt,
                   String configJson, String summaryJson, long lastStep, long stepCount, Long pid, Long processStartedAt,
                   String host, String sweepId, Long trialIndex, int attempt) {
        this(id, project, name, state, createdAt, updatedAt, heartbeatAt, configJson, summaryJson, lastStep, stepCount, pid,
                processStartedAt, host, sweepId, trialIndex, attempt, List.of());
    }

    /** The config as a map (JSON object in its stored order; nested objects are maps, numbers Integer/Long/Double). */
    public Map<String, Object> config() {
        return Json.readObject(configJson);
    }

    /** The summary as a map: each metric's last logged value unless set otherwise. */
    public Map<String, Object> summary() {
        return Json.readObject(summaryJson);
    }

    public Instant created() {
        return Instant.ofEpochMilli(createdAt);
    }

    public Instant updated() {
        return Instant.ofEpochMilli(updatedAt);
    }

    /** The same run with its config replaced. */
    public RunInfo withConfig(String json) {
        return new RunInfo(id, project, name, state, createdAt, updatedAt, heartbeatAt, json, summaryJson, lastStep,
                stepCount, pid, processStartedAt, host, sweepId, trialIndex, attempt, tags);
    }

    public RunInfo withState(RunState s) {
        return new RunInfo(id, project, name, s, createdAt, updatedAt, heartbeatAt, configJson, summaryJson, lastStep,
                stepCount, pid, processStartedAt, host, sweepId, trialIndex, attempt, tags);
    }
}
