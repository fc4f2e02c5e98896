package dev.panoptim.landscape;

import dev.panoptim.report.Ticks;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An optimizer's path on a surface, as {@link Landscapes#optimize} records it: {@code points().get(k)}
 * is the position after k steps, i.e. before step k + 1, with its loss; {@code points().get(0)} is the
 * start and there is one point per step (the course's {@code opt_fn}). {@link #end()} is the position
 * after the last step.
 *
 * <pre>{@code
 * Trajectory t = Landscapes.optimize(LossSurface.pathological(), new double[] {2.5, 2.5},
 *         params -> SGD.builder(params).lr(0.02).momentum(0.99).build(), 100);
 * Trajectory.Point before100th = t.points().get(99);
 * }</pre>
 *
 * @param label  what plots and the CSV call it, e.g. {@code SGD(lr=0.02, momentum=0.99)}
 * @param points the position before each step, in order; as many as steps were taken
 * @param end    the position after the last step
 */
public record Trajectory(String label, List<Point> points, Point end) {
    /**
     * A position (float32 in the optimizer, shown here in double) and the loss there.
     *
     * <pre>{@code double x = t.end().x();}</pre>
     */
    public record Point(double x, double y, double loss) {
        /** Whether x, y and loss are all finite (false once an optimizer diverges). */
        public boolean isFinite() {
            return Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(loss);
        }
    }

    public Trajectory {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(end, "end");
        points = List.copyOf(points);
    }

    /** The same path under another label. */
    public Trajectory withLabel(String label) {
        return new Trajectory(label, points, end);
    }

    /** Every recorded position including the end: steps + 1 points, index = steps taken. */
    public List<Point> allPoints() {
        List<Point> all = new ArrayList<>(points);
        all.add(end);
        return all;
    }

    /** E.g. {@code end after 100 steps: (0.7196, -6.4586), loss 0.3890}, with {@code (diverged)} when it did. */
    public String summary() {
        return "end after " + points.size() + " steps: (" + Ticks.fixed(end.x()) + ", " + Ticks.fixed(end.y()) + "), loss "
                + Ticks.fixed(end.loss()) + (diverged() ? " (diverged)" : "");
    }

    /** Whether the end is not finite, i.e. the optimizer ran off to infinity or NaN. */
    public boolean diverged() {
        return !end.isFinite();
    }
}
