package dev.panoptim.report;

import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the run report draws. The main plot, as in the course: the loss curves on the left axis and
 * the accuracy curves on a second, right axis. A key holding "acc" (any case) is an accuracy, one
 * holding "loss" a loss; with no loss key, every other key goes on the left axis; with only
 * accuracies, they take the left axis alone. Keys in neither group (with loss keys present: a
 * learning rate, an epoch counter) get a small plot each, in the HTML page.
 */
record ReportData(RunInfo run, List<Series> left, List<Series> right, List<Series> others) {
    /** matplotlib's tab10, the colours of the course's plots. */
    static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf"};

    static ReportData of(RunStore store, RunInfo run) {
        Map<String, List<RunStore.MetricPoint>> byKey = new LinkedHashMap<>();
        for (RunStore.MetricKey k : store.metricKeys(run.id())) byKey.put(k.key(), new ArrayList<>());
        for (RunStore.MetricPoint p : store.history(run.id())) byKey.get(p.key()).add(p);
        List<Series> all = new ArrayList<>();
        for (Map.Entry<String, List<RunStore.MetricPoint>> e : byKey.entrySet()) {
            List<RunStore.MetricPoint> points = e.getValue();
            long[] steps = new long[points.size()];
            double[] values = new double[points.size()];
            for (int i = 0; i < steps.length; i++) {
                steps[i] = points.get(i).step();
                values[i] = points.get(i).value();
            }
            all.add(new Series(e.getKey(), steps, values));
        }
        return split(run, all);
    }

    static ReportData split(RunInfo run, List<Series> all) {
        List<Series> right = all.stream().filter(Series::isAccuracy).toList();
        List<Series> losses = all.stream().filter(s -> !s.isAccuracy() && s.isLoss()).toList();
        List<Series> left = losses.isEmpty() ? all.stream().filter(s -> !s.isAccuracy()).toList() : losses;
        List<Series> others = all.stream().filter(s -> !left.contains(s) && !right.contains(s)).toList();
        if (left.isEmpty()) return new ReportData(run, right, List.of(), others);
        return new ReportData(run, left, right, others);
    }

    /** Every series of the main plot, left then right: the order of their colours. */
    List<Series> main() {
        List<Series> out = new ArrayList<>(left);
        out.addAll(right);
        return out;
    }

    String colour(Series s) {
        int i = main().indexOf(s);
        return COLOURS[Math.floorMod(i < 0 ? others.indexOf(s) : i, COLOURS.length)];
    }

    String leftTitle() {
        return left.stream().allMatch(Series::isAccuracy) ? "accuracy" : left.stream().allMatch(Series::isLoss) ? "loss" : "value";
    }

    String rightTitle() {
        return "accuracy";
    }

    /** "NAME (ID)", the title of both files. */
    String title() {
        return "run " + run.name() + " (" + run.id() + ")";
    }

    /** The line under the title: project, state, steps, created. */
    String subtitle() {
        return "project " + run.project() + " · " + run.state().id() + " · " + run.stepCount() + " steps · created "
                + Times.local(run.createdAt());
    }
}
