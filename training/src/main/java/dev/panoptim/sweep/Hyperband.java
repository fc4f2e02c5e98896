package dev.panoptim.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Hyperband early termination ({@code early_terminate: {type: hyperband}}) with the rule of W&amp;B's sweeps
 * engine: {@code hyperband_stop_runs} in wandb/sweeps {@code src/sweeps/hyperband_stopping.py} (the version
 * with {@code strict}), defaults from its {@code config/schema.json}, and docs.wandb.ai "Sweep configuration
 * options", {@code early_terminate}.
 *
 * <p>A run's iteration count is the number of values of the metric it logged. The bands are the
 * iteration counts at which runs are judged:
 * <ul>
 *   <li>with {@code max_iter} (which then needs {@code s}): {@code max_iter / eta^k} for k = 1..s in floating
 *       point, truncated to an integer, stopping at the first quotient below 1; sorted ascending
 *       (max_iter 27, s 2, eta 3: [3, 9]). {@code max_iter} wins when {@code min_iter} is also given, as in W&amp;B;
 *   <li>with {@code min_iter}: {@code min_iter * eta^k} for k = 0, 1, 2, .. without end ({@code s} is ignored;
 *       W&amp;B makes 100 of them); this list stops at the last one a run can reach, Integer.MAX_VALUE
 *       (min_iter 3, eta 3: [3, 9, 27, 81, ..]).
 * </ul>
 * {@code eta} defaults to 3, {@code strict} to false as docs.wandb.ai says (a schema.json of wandb/sweeps says true).
 *
 * <p>The threshold of band b: take the value at iteration b ({@code history[b-1]}) of every run of the sweep
 * that logged at least b values, whatever its state, sort them best first and pick the one at index
 * {@code (int) (n / eta)} computed as W&amp;B does, {@code int((1.0 / eta) * n)}. This is a rank, not
 * {@code np.quantile}: of 9 runs at eta 3 the 4th best is the threshold, so ties and the threshold itself
 * survive. A running run is judged at the highest band it reached (only that one) and stopped when its
 * value is strictly worse than that band's threshold. The value judged is its best value so far over its
 * whole history (W&amp;B's conservative default), or with {@code strict: true} its value at the band itself,
 * which stops more runs. Runs below the first band, and runs not running, are never stopped.
 *
 * <p>One deliberate difference: W&amp;B drops non-finite values from a history (so a run whose loss turned
 * NaN stops counting iterations and is never judged again). Here NaN and infinities stay in the history,
 * count as iterations, and are the worst possible value: a run that diverged is still judged at its next band,
 * and stopped there under {@code strict} (without it, only when it never logged a value good enough).
 *
 * <pre>{@code Set<String> stop = Hyperband.of(config.earlyTerminate(), config.metric()).toStop(histories, running);}</pre>
 */
public final class Hyperband {
    /** W&amp;B's default {@code eta} (schema.json, hyperband_stopping). */
    public static final int DEFAULT_ETA = 3;
    /** Bands shown by {@link #describe()} before it elides the rest. */
    private static final int DESCRIBED_BANDS = 5;

    private final List<Integer> bands;
    private final int eta;
    private final boolean strict;
    private final SweepConfig.Metric metric;

    private Hyperband(List<Integer> bands, int eta, boolean strict, SweepConfig.Metric metric) {
        this.bands = bands;
        this.eta = eta;
        this.strict = strict;
        this.metric = metric;
    }

    /** From the config's {@code early_terminate} and {@code metric}; a missing or invalid one is an IllegalArgumentException. */
    public static Hyperband of(SweepConfig.EarlyTerminate et, SweepConfig.Metric metric) {
        if (et == null) throw new IllegalArgumentException("hyperband needs an early_terminate config, not null");
        if (!"hyperband".equals(et.type())) throw new IllegalArgumentException("early_terminate.type: must be hyperband, not " + et.type());
        if (metric == null) throw new IllegalArgumentException("early_terminate: needs a metric to compare runs by, not null");
        int eta = et.eta() == null ? DEFAULT_ETA : et.eta();
        if (eta < 2) throw new IllegalArgumentException("early_terminate.eta: must be at least 2, not " + eta);
        atLeastOne("min_iter", et.minIter());
        atLeastOne("max_iter", et.maxIter());
        atLeastOne("s", et.s());
        List<Integer> bands;
        if (et.maxIter() != null) {
            if (et.s() == null) throw new IllegalArgumentException("early_terminate.s: missing (max_iter needs s)");
            bands = fromMaxIter(et.maxIter(), et.s(), eta);
            if (bands.isEmpty()) {
                throw new IllegalArgumentException("early_terminate.max_iter: must be at least eta (" + eta + ") to give a band, not " + et.maxIter());
            }
        } else if (et.minIter() != null) {
            bands = fromMinIter(et.minIter(), eta);
        } else {
            throw new IllegalArgumentException("early_terminate: needs min_iter, or max_iter with s");
        }
        return new Hyperband(bands, eta, et.strict(), metric);
    }

    private static void atLeastOne(String key, Integer value) {
        if (value != null && value < 1) throw new IllegalArgumentException("early_terminate." + key + ": must be a positive integer, not " + value);
    }

    /** W&amp;B divides in floating point and truncates each quotient. */
    private static List<Integer> fromMaxIter(int maxIter, int s, int eta) {
        List<Integer> out = new ArrayList<>();
        double band = maxIter;
        for (int i = 0; i < s; i++) {
            band /= eta;
            if (band < 1) break;
            out.add((int) band);
        }
        Collections.sort(out);
        return List.copyOf(out);
    }

    private static List<Integer> fromMinIter(int minIter, int eta) {
        List<Integer> out = new ArrayList<>();
        for (long band = minIter; band <= Integer.MAX_VALUE; band *= eta) out.add((int) band);
        return List.copyOf(out);
    }

    /** The bands (iteration counts), ascending. */
    public List<Integer> bands() {
        return bands;
    }

    /**
     * Each band's threshold in the metric's own units, given every run's metric history (run id to values in
     * logged order). A band no run reached has the worst value possible (+inf when minimizing, -inf when
     * maximizing), which stops nobody.
     */
    public List<Double> thresholds(Map<String, List<Double>> histories) {
        double[] t = costThresholds(costs(histories));
        List<Double> out = new ArrayList<>(t.length);
        for (double c : t) out.add(metric.maximize() ? -c : c);
        return out;
    }

    /**
     * Ids of the runs in {@code running} to stop now, given every run of the sweep's metric history (run id to
     * values in logged order, any state, running runs included). Deterministic; never returns a run not in
     * {@code running}; a running run without a history is not judged.
     */
    public Set<String> toStop(Map<String, List<Double>> histories, Set<String> running) {
        Objects.requireNonNull(running, "running");
        Map<String, double[]> costs = costs(histories);
        double[] thresholds = costThresholds(costs);
        TreeSet<String> out = new TreeSet<>();
        for (String id : running) {
            double[] cost = costs.get(id);
            if (cost == null) continue;
            int band = highestBandReached(cost.length);
            if (band < 0) continue;
            double judged = strict ? cost[bands.get(band) - 1] : Arrays.stream(cost).min().orElseThrow();
            if (judged > thresholds[band]) out.add(id);
        }
        return Collections.unmodifiableSortedSet(out);
    }

    /** The index of the highest band at or below {@code iterations}, or -1 below the first. */
    private int highestBandReached(int iterations) {
        int found = -1;
        for (int i = 0; i < bands.size() && bands.get(i) <= iterations; i++) found = i;
        return found;
    }

    /** Thresholds in cost units (lower is better), W&amp;B's rank {@code sorted(values)[int(r * n)]}. */
    private double[] costThresholds(Map<String, double[]> costs) {
        double[] out = new double[bands.size()];
        for (int i = 0; i < out.length; i++) {
            int band = bands.get(i);
            double[] values = costs.values().stream().filter(c -> c.length >= band).mapToDouble(c -> c[band - 1]).sorted().toArray();
            // (1.0 / eta) * n, not n / eta: the two differ by one for some n (eta 49, n 49) and W&B computes the former
            out[i] = values.length == 0 ? Double.POSITIVE_INFINITY : values[(int) ((1.0 / eta) * values.length)];
        }
        return out;
    }

    /** Every history as costs: negated when maximizing (as W&amp;B does), non-finite values the worst (+inf). */
    private Map<String, double[]> costs(Map<String, List<Double>> histories) {
        Objects.requireNonNull(histories, "histories");
        Map<String, double[]> out = new HashMap<>();
        for (Map.Entry<String, List<Double>> e : histories.entrySet()) {
            List<Double> h = e.getValue();
            if (h == null) throw new IllegalArgumentException("run " + e.getKey() + ": the metric history is null");
            double[] c = new double[h.size()];
            for (int i = 0; i < c.length; i++) {
                Double v = h.get(i);
                if (v == null) throw new IllegalArgumentException("run " + e.getKey() + ": value " + (i + 1) + " of " + metric.name() + " is null");
                c[i] = Double.isFinite(v) ? (metric.maximize() ? -v : v) : Double.POSITIVE_INFINITY;
            }
            out.put(e.getKey(), c);
        }
        return out;
    }

    /** One line for the CLI, e.g. {@code hyperband: bands [3, 9, 27], eta 3, minimize loss, runs judged on their best value so far}. */
    public String describe() {
        List<String> shown = bands.stream().limit(DESCRIBED_BANDS).map(String::valueOf).collect(Collectors.toCollection(ArrayList::new));
        if (bands.size() > DESCRIBED_BANDS) shown.add("...");
        return "hyperband: bands [" + String.join(", ", shown) + "], eta " + eta + ", " + (metric.maximize() ? "maximize " : "minimize ")
                + metric.name() + ", runs judged on their " + (strict ? "value at the band (strict)" : "best value so far");
    }
}
