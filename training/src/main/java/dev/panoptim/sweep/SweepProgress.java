package dev.panoptim.sweep;

import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a sweep's runs have reached so far, read before each claim: each run's best value of the sweep's metric
 * over everything it logged (W&amp;B scores bayes trials so), as the {@link Observation}s bayes and tpe learn
 * from, and the first run whose value reached {@code metric.target}, if any.
 *
 * <pre>{@code SweepProgress p = SweepProgress.read(store, sweepId, config); if (p.targetReached() != null) ...}</pre>
 */
record SweepProgress(List<Observation> observations, String targetReached) {

    static SweepProgress read(RunStore store, String sweepId, SweepConfig config) {
        SweepConfig.Metric metric = config.metric();
        boolean learns = config.method() == SweepConfig.Method.BAYES || config.method() == SweepConfig.Method.TPE;
        if (metric == null || (!learns && metric.target() == null)) return new SweepProgress(List.of(), null);
        Map<String, List<RunStore.MetricPoint>> history = store.sweepHistory(sweepId, metric.name());
        List<Observation> observations = new ArrayList<>();
        String reached = null;
        for (RunInfo r : store.sweepRuns(sweepId)) {
            double best = Double.NaN;
            for (RunStore.MetricPoint p : history.getOrDefault(r.id(), List.of())) {
                if (metric.better(p.value(), best)) best = p.value();
            }
            if (learns) observations.add(new Observation(r.config(), r.state(), best));
            if (reached == null && metric.target() != null && !Double.isNaN(best)
                    && (metric.maximize() ? best >= metric.target() : best <= metric.target())) {
                reached = r.id();
            }
        }
        return new SweepProgress(List.copyOf(observations), reached);
    }
}
