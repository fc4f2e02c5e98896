package dev.panoptim.ui;

import dev.panoptim.sweep.SweepConfig;
import dev.panoptim.sweep.Sweeps;
import dev.panoptim.track.SweepInfo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sweep as the API writes it (docs/UI.md, {@code GET /api/sweeps}): its store fields and the metric it
 * optimizes, read from its config.
 *
 * <pre>{@code Map<String, Object> json = SweepJson.of(store.sweep(id).orElseThrow());}</pre>
 */
final class SweepJson {
    private SweepJson() {}

    static Map<String, Object> of(SweepInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        m.put("method", s.method());
        m.put("project", s.project());
        m.put("state", s.state());
        m.put("createdAt", s.createdAt());
        m.put("updatedAt", s.updatedAt());
        m.put("runCap", s.runCap());
        m.put("runCount", s.runCount());
        m.put("trialCount", s.trialCount());
        SweepConfig.Metric metric = config(s).metric();
        m.put("metric", metric == null ? null : Map.of("name", metric.name(), "goal", metric.maximize() ? "maximize" : "minimize"));
        return m;
    }

    /** The sweep's parsed config; a config that no longer parses (an older format) gives a 503 naming the sweep. */
    static SweepConfig config(SweepInfo s) {
        try {
            return Sweeps.config(s);
        } catch (RuntimeException e) {
            throw new ApiException(503, "the config of sweep " + s.id() + " cannot be read: " + e.getMessage());
        }
    }
}
