package dev.panoptim.track;

import java.util.Map;

/**
 * A sweep as its store holds it: id, name, method (grid, random, bayes, tpe), the project its runs go to, its
 * config (the sweep config as JSON), state ({@code running} while it has trials left or running, then
 * {@code finished}), times (epoch ms), the most trials it may have (null: unbounded), the sampler's seed,
 * how many runs it has (retries included), how often a crashed trial is run again, the grace (ms) a
 * silent run gets before it counts as crashed, and how many trials it has (first attempts only).
 *
 * <pre>{@code for (SweepInfo s : store.sweeps()) System.out.println(s.id() + " " + s.trialCount());}</pre>
 */
public record SweepInfo(String id, String name, String method, String project, String configJson, String state,
                        long createdAt, long updatedAt, Long runCap, long seed, long runCount, int retries, long graceMs,
                        long trialCount) {
    /** The sweep config as a map. */
    public Map<String, Object> config() {
        return Json.readObject(configJson);
    }
}
