package dev.panoptim.landscape;

import dev.panoptim.optim.Optimizer;
import dev.panoptim.optim.ParamGroup;
import dev.panoptim.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Runs panoptim's optimizers on 2-D loss surfaces and writes what a person looks at: the
 * trajectories as CSV, an interactive HTML contour plot and a PNG picture.
 *
 * <pre>{@code
 * LossSurface s = LossSurface.pathological();
 * Trajectory sgd = Landscapes.optimize(s, new double[] {2.5, 2.5},
 *         params -> SGD.builder(params).lr(0.02).momentum(0.99).build(), 100);
 * Landscapes.write(Path.of("out"), s, List.of(sgd.withLabel("SGD")));
 * }</pre>
 */
public final class Landscapes {
    /** How far {@link #plotWindow} grows a surface's window to follow the trajectories: this many times its size. */
    static final double MAX_GROWTH = 4;

    private Landscapes() {}

    /**
     * Runs {@code steps} steps of the optimizer that {@code optimizer} builds over one float32 tensor
     * [x, y] starting at {@code start}, exactly the course's {@code opt_fn}: each step records the
     * position and loss, then zero_grad, backward (the surface's gradient, computed in double at the
     * float32 position and stored as the float32 grad), step. The returned trajectory holds the
     * {@code steps} points before each step ({@code points().get(0)} is the start) and the end point.
     *
     * @param optimizer builds the optimizer over the params it is given (a list of one tensor), e.g.
     *                  {@code params -> Adam.builder(params).lr(0.2).build()}; it is closed afterwards
     * @throws IllegalArgumentException for a bad start, steps < 1, or an optimizer not over the given params
     */
    public static Trajectory optimize(LossSurface surface, double[] start,
                                      Function<List<Tensor>, ? extends Optimizer> optimizer, int steps) {
        Objects.requireNonNull(surface, "surface");
        Objects.requireNonNull(optimizer, "optimizer");
        if (start == null || start.length != 2 || !Double.isFinite(start[0]) || !Double.isFinite(start[1])) {
            throw new IllegalArgumentException("start must be two finite numbers {x, y}");
        }
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        List<Trajectory.Point> points = new ArrayList<>(steps);
        try (Tensor w = Tensor.of(new float[] {(float) start[0], (float) start[1]});
             Optimizer opt = optimizer.apply(List.of(w))) {
            if (opt == null || !holds(opt, w)) {
                throw new IllegalArgumentException("the optimizer factory must build its optimizer over the params it is given");
            }
            for (int k = 0; k < steps; k++) {
                float[] p = w.toFloatArray();
                double loss = surface.value(p[0], p[1]);
                points.add(new Trajectory.Point(p[0], p[1], loss));
                opt.zeroGrad();
                double[] g = surface.gradient(p[0], p[1]);
                w.setGrad(Tensor.of(new float[] {(float) g[0], (float) g[1]}));
                opt.step();
            }
            float[] p = w.toFloatArray();
            Trajectory.Point end = new Trajectory.Point(p[0], p[1], surface.value(p[0], p[1]));
            return new Trajectory(opt.getClass().getSimpleName(), points, end);
        }
    }

    private static boolean holds(Optimizer opt, Tensor w) {
        for (ParamGroup g : opt.paramGroups()) {
            for (Tensor t : g.params()) if (t == w) return true;
        }
        return false;
    }

    /**
     * The window plots show: the surface's window, grown to hold every start, every point of the
     * trajectories that did not diverge and every finite minimum, but at most {@value #MAX_GROWTH}
     * times its size in each direction (paths that run further are clipped at the border).
     */
    public static LossSurface.Window plotWindow(LossSurface surface, List<Trajectory> trajectories) {
        LossSurface.Window base = surface.window();
        double cx = (base.xMin() + base.xMax()) / 2, cy = (base.yMin() + base.yMax()) / 2;
        double hx = (base.xMax() - base.xMin()) / 2 * MAX_GROWTH, hy = (base.yMax() - base.yMin()) / 2 * MAX_GROWTH;
        LossSurface.Window cap = new LossSurface.Window(cx - hx, cx + hx, cy - hy, cy + hy);
        double x0 = base.xMin(), x1 = base.xMax(), y0 = base.yMin(), y1 = base.yMax();
        List<double[]> xy = new ArrayList<>();
        for (Trajectory t : trajectories) {
            if (t.diverged()) {   // a path to infinity would shrink everything else to a dot
                xy.add(new double[] {t.points().getFirst().x(), t.points().getFirst().y()});
                continue;
            }
            for (Trajectory.Point p : t.allPoints()) xy.add(new double[] {p.x(), p.y()});
        }
        for (LossSurface.Minimum m : surface.minima()) if (m.isFinite()) xy.add(new double[] {m.x(), m.y()});
        boolean grown = false;
        for (double[] p : xy) {
            if (!Double.isFinite(p[0]) || !Double.isFinite(p[1]) || base.contains(p[0], p[1])) continue;
            double px = Math.clamp(p[0], cap.xMin(), cap.xMax()), py = Math.clamp(p[1], cap.yMin(), cap.yMax());
            x0 = Math.min(x0, px);
            x1 = Math.max(x1, px);
            y0 = Math.min(y0, py);
            y1 = Math.max(y1, py);
            grown = true;
        }
        if (!grown) return base;
        double mx = (x1 - x0) * 0.04, my = (y1 - y0) * 0.04;   // a margin so end markers are not cut
        return new LossSurface.Window(Math.max(cap.xMin(), x0 - mx), Math.min(cap.xMax(), x1 + mx),
                Math.max(cap.yMin(), y0 - my), Math.min(cap.yMax(), y1 + my));
    }

    /**
     * The three files {@link #write} makes.
     *
     * <pre>{@code Path png = Landscapes.write(dir, surface, trajectories).png();}</pre>
     */
    public record Outputs(Path csv, Path html, Path png) {}

    /** {@link #write(Path, LossSurface, List, LossSurface.Window)} with {@link #plotWindow}. */
    public static Outputs write(Path dir, LossSurface surface, List<Trajectory> trajectories) throws IOException {
        return write(dir, surface, trajectories, plotWindow(surface, trajectories));
    }

    /**
     * Writes {@code dir/trajectories.csv}, {@code dir/landscape.html} and {@code dir/landscape.png},
     * creating {@code dir} if needed. Other files in {@code dir} are left alone; these three are
     * replaced, each only once all three have been rendered (to temporary files beside them).
     */
    public static Outputs write(Path dir, LossSurface surface, List<Trajectory> trajectories, LossSurface.Window window)
            throws IOException {
        return OutputFiles.write(dir, surface, trajectories, window);
    }
}
