package dev.panoptim.track;

import java.util.Map;

/**
 * A sweep as its store holds it: id, name, method (grid, random, bayes), the project its runs go to, its
 * config (the sweep config as JSON), state ({@code running} while it has trials left, then
 * {@code finished}), times (epoch ms), the most runs it may have (null: unbounded), the sampler's seed,
 * and how many runs it has.
 *
 * <pre>{@code for (SweepInfo s : store.sweeps()) System.out.println(s.id() + " " + s.runCount());}</pre>
 */
public record SweepInfo(String id, String name, String method, String project, String configJson, String state,
                        long createdAt, long updatedAt, Long runCap, long seed, long runCount) {
    /** The sweep config as a map. */
    public Map<String, Object> config() {
        return Json.readObject(configJson);
    }
}
