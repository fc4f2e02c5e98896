package dev.panoptim.sweep;

import dev.panoptim.track.RunState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A sweep run sequentially against a known objective, as an agent would: each trial's values come from
 * {@link Sweeps#trialValues} given every earlier trial as a finished {@link Observation} scored by the objective.
 *
 * <pre>{@code int n = SweepSimulation.trialsToReach(config, 7, 40, v -> f(v), 0.01);}</pre>
 */
final class SweepSimulation {
    private SweepSimulation() {}

    /**
     * The number of trials until one scores at least as well as {@code threshold} (by the metric's goal),
     * or {@code budget + 1} when none of the first {@code budget} does.
     */
    static int trialsToReach(SweepConfig config, long seed, int budget, ToDoubleFunction<Map<String, Object>> objective, double threshold) {
        List<Observation> history = new ArrayList<>();
        for (int i = 0; i < budget; i++) {
            Map<String, Object> values = Sweeps.trialValues(config, seed, i, List.copyOf(history));
            double y = objective.applyAsDouble(values);
            if (config.metric().maximize() ? y >= threshold : y <= threshold) return i + 1;
            history.add(new Observation(values, RunState.FINISHED, y));
        }
        return budget + 1;
    }

    /** The mean of {@link #trialsToReach} over seeds 1..seeds. */
    static double meanTrialsToReach(SweepConfig config, int seeds, int budget, ToDoubleFunction<Map<String, Object>> objective, double threshold) {
        double sum = 0;
        for (long s = 1; s <= seeds; s++) sum += trialsToReach(config, s, budget, objective, threshold);
        return sum / seeds;
    }

    static double number(Map<String, Object> values, String key) {
        return ((Number) values.get(key)).doubleValue();
    }

    /** Branin-Hoo on x1 in [-5, 10], x2 in [0, 15]: three global minima of 0.397887. */
    static double branin(double x1, double x2) {
        double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        double a = x2 - b * x1 * x1 + c * x1 - 6;
        return a * a + 10 * (1 - t) * Math.cos(x1) + 10;
    }
}
