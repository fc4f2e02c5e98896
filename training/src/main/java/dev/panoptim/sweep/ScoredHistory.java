package dev.panoptim.sweep;

import dev.panoptim.track.RunState;

import java.util.ArrayList;
import java.util.List;

/**
 * A sweep's earlier trials as points of its {@link SearchSpace} with a loss (lower is better: a maximized
 * metric is negated), W&amp;B's way: finished and stopped runs score their best value; failed and crashed
 * runs, and finished or stopped ones without a value, score the worst loss seen; running ones are pending
 * (no loss yet). Trials whose values are not points of the space (another sweep's config, a removed
 * categorical value) are left out.
 *
 * <pre>{@code ScoredHistory h = ScoredHistory.of(space, config.metric(), history);}</pre>
 */
record ScoredHistory(List<double[]> points, List<Double> losses, List<double[]> pending, int measured) {

    static ScoredHistory of(SearchSpace space, SweepConfig.Metric metric, List<Observation> history) {
        if (metric == null) throw new IllegalArgumentException("a sweep that learns from its trials needs a metric, not null");
        List<double[]> valued = new ArrayList<>(), unvalued = new ArrayList<>(), pending = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        for (Observation o : history) {
            double[] p = o.values() == null ? null : space.point(o.values());
            if (p == null) continue;
            boolean ended = o.state() == RunState.FINISHED || o.state() == RunState.STOPPED;
            if (o.state() == RunState.RUNNING) pending.add(p);
            else if (ended && Double.isFinite(o.best())) {
                valued.add(p);
                losses.add(metric.maximize() ? -o.best() : o.best());
            } else {
                unvalued.add(p);
            }
        }
        int measured = valued.size();
        if (!losses.isEmpty()) {
            double worst = losses.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            for (double[] p : unvalued) {
                valued.add(p);
                losses.add(worst);
            }
        }
        return new ScoredHistory(valued, losses, pending, measured);
    }

    double[][] pointArray() {
        return points.toArray(new double[0][]);
    }

    double[] lossArray() {
        return losses.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
