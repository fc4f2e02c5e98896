package dev.panoptim.landscape;

import dev.panoptim.report.Ticks;

import java.util.ArrayList;
import java.util.List;

/**
 * A surface sampled on a regular grid over a window, with the colour value of each sample: f itself,
 * or log10(f - shift) for a log-scale surface (shift is 0 when f > 0 on the whole grid, as for
 * rosenbrock, so the colours are log10 f). Non-finite samples have a NaN colour value. Shared by the
 * HTML and PNG writers so both colour the same way.
 */
final class SurfaceGrid {
    final LossSurface.Window window;
    final double[] xs;
    final double[] ys;
    /** Colour values, [row = y index][column = x index]. */
    final double[][] c;
    final double cMin;
    final double cMax;
    final boolean log;
    private final double shift;

    SurfaceGrid(LossSurface surface, LossSurface.Window window, int nx, int ny) {
        this.window = window;
        this.xs = linspace(window.xMin(), window.xMax(), nx);
        this.ys = linspace(window.yMin(), window.yMax(), ny);
        double[][] z = new double[ny][nx];
        double zMin = Double.POSITIVE_INFINITY, zMax = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                double v = surface.value(xs[i], ys[j]);
                z[j][i] = v;
                if (Double.isFinite(v)) {
                    zMin = Math.min(zMin, v);
                    zMax = Math.max(zMax, v);
                }
            }
        }
        if (zMin > zMax) zMin = zMax = 0;   // nothing finite
        this.log = surface.logScale();
        this.shift = !log || zMin > 0 ? 0 : zMin - Math.max((zMax - zMin) * 1e-6, 1e-12);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        this.c = new double[ny][nx];
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                double v = Double.isFinite(z[j][i]) ? colourValue(z[j][i]) : Double.NaN;
                c[j][i] = v;
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) lo = hi = 0;
        if (lo == hi) hi = lo + 1;   // a flat surface still gets a colour range
        this.cMin = lo;
        this.cMax = hi;
    }

    /** The colour value of f. */
    double colourValue(double f) {
        return log ? Math.log10(f - shift) : f;
    }

    /** The f whose colour value is c. */
    double valueOf(double c) {
        return log ? Math.pow(10, c) + shift : c;
    }

    /** A colour-bar tick: where it sits (a colour value) and its label (the f there). */
    record Tick(double at, String label) {}

    /** Colour-bar ticks: decades on a log scale, round numbers otherwise. */
    List<Tick> colourTicks() {
        List<Tick> ticks = new ArrayList<>();
        if (log && shift == 0 && Math.floor(cMax) - Math.ceil(cMin) >= 1) {
            for (double k = Math.ceil(cMin); k <= cMax; k++) ticks.add(new Tick(k, Ticks.format(Math.pow(10, k))));
            return ticks;
        }
        for (double t : Ticks.nice(cMin, cMax, 6)) ticks.add(new Tick(t, Ticks.format(valueOf(t))));
        return ticks;
    }

    /** The colour scale's title. */
    String colourTitle() {
        return log ? (shift == 0 ? "f (log scale)" : "f (log scale, shifted)") : "f";
    }

    static double[] linspace(double a, double b, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = a + (b - a) * i / (n - 1);
        return v;
    }
}
