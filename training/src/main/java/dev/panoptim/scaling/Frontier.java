package dev.panoptim.scaling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The compute-efficient frontier of a set of runs: at each run's compute C, the best value reached by any run with
 * compute <= C. Its points are the runs that improve on every run of lower (or equal) compute, sorted by compute;
 * between them the frontier is flat. Of runs tied at one compute only the best can be a point (ties broken by run id).
 *
 * <pre>{@code List<ScalingRow> points = Frontier.lowestLoss(rows);}</pre>
 */
public final class Frontier {
    private Frontier() {}

    /** The runs that lower the validation loss reached so far, by increasing compute. */
    public static List<ScalingRow> lowestLoss(List<ScalingRow> rows) {
        return lowest(rows, ScalingRow::valLoss);
    }

    /** The runs that raise the validation accuracy reached so far (lower its error), by increasing compute. */
    public static List<ScalingRow> highestAccuracy(List<ScalingRow> rows) {
        return lowest(rows, ScalingRow::valError);
    }

    /** The runs that lower {@code value} (smaller is better), by increasing compute. */
    public static List<ScalingRow> lowest(List<ScalingRow> rows, ToDoubleFunction<ScalingRow> value) {
        List<ScalingRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingDouble(ScalingRow::trainFlops).thenComparingDouble(value).thenComparing(ScalingRow::runId));
        List<ScalingRow> points = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (ScalingRow r : sorted) {
            double v = value.applyAsDouble(r);
            if (v < best) {
                best = v;
                points.add(r);
            }
        }
        return List.copyOf(points);
    }
}
