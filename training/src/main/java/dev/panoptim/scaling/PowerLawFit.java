package dev.panoptim.scaling;

import dev.panoptim.sweep.Probability;

/**
 * Fits power laws in log space: {@link #pure} fits ln y = ln a + e ln x by ordinary least squares (exact, closed
 * form); {@link #withFloor} fits y = a x^-b + c with c >= 0 by minimising the same log-space residuals
 * sum (ln y - ln(a x^-b + c))^2; {@link #choose} fits both and keeps the irreducible term c only when it improves the
 * fit clearly.
 *
 * <p>The rule: c is kept when c > 0 and the nested-model F-test, F = (RSS_pure - RSS_floor) / (RSS_floor / (n - 3))
 * on 1 and n - 3 degrees of freedom, rejects the pure law at the 5% level (p < 0.05); it needs at least 4 points.
 * Otherwise the pure law is kept: with few, noisy frontier points a third parameter mostly chases noise and makes
 * the exponent swing.
 *
 * <p>How {@link #withFloor} minimises: for a fixed b the model is linear in (a, c), so a, c come from weighted least
 * squares with weights 1 / fitted^2 (iterated, which makes the linear residuals the log-space ones to first order;
 * c < 0 is clamped to 0 and a refitted alone); the objective, profiled over b, is then scanned on a grid of b in
 * [0.001, 4] (log-spaced) and refined by golden-section search around the best grid point.
 *
 * <pre>{@code PowerLawFit.Choice fit = PowerLawFit.choose(flops, losses); double b = -fit.chosen().exponent();}</pre>
 */
public final class PowerLawFit {
    /** The F-test's level below which the irreducible term is kept. */
    public static final double FLOOR_P_VALUE = 0.05;
    private static final double B_MIN = 1e-3, B_MAX = 4;
    private static final int GRID = 240, GOLDEN_STEPS = 60, REWEIGHTS = 5;

    private PowerLawFit() {}

    /**
     * Both fits and the one kept: {@code withFloor} is null where it could not be fitted (fewer than 3 points) and
     * {@code pValue} is the F-test's (NaN without a test).
     */
    public record Choice(PowerLaw pure, PowerLaw withFloor, double pValue, boolean floorKept) {
        /** The law the rule keeps. */
        public PowerLaw chosen() {
            return floorKept ? withFloor : pure;
        }
    }

    /** Fits both laws and applies the rule above; needs 2 points with distinct x, all x and y positive. */
    public static Choice choose(double[] x, double[] y) {
        PowerLaw pure = pure(x, y);
        if (x.length < 3) return new Choice(pure, null, Double.NaN, false);
        PowerLaw floor = withFloor(x, y);
        double p = Double.NaN;
        int dof = x.length - 3;
        if (dof >= 1 && floor.hasFloor()) {
            if (floor.rss() <= 0) p = pure.rss() > 0 ? 0 : 1;
            else {
                double f = Math.max(0, (pure.rss() - floor.rss()) / (floor.rss() / dof));
                p = Probability.betaCdf(dof / (dof + f), dof / 2.0, 0.5);   // P(F(1, dof) > f)
            }
        }
        return new Choice(pure, floor, p, floor.hasFloor() && p < FLOOR_P_VALUE);
    }

    /** ln y = ln a + e ln x by least squares; needs 2 points with distinct x, all x and y positive. */
    public static PowerLaw pure(double[] x, double[] y) {
        check(x, y, 2);
        int n = x.length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += Math.log(x[i]);
            my += Math.log(y[i]);
        }
        mx /= n;
        my /= n;
        double sxx = 0, sxy = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(x[i]) - mx;
            sxx += dx * dx;
            sxy += dx * (Math.log(y[i]) - my);
        }
        if (sxx == 0) throw new IllegalArgumentException("a power law needs points at 2 or more distinct x; all are at " + x[0]);
        double e = sxy / sxx, lnA = my - e * mx;
        double rss = 0;
        for (int i = 0; i < n; i++) {
            double r = Math.log(y[i]) - lnA - e * Math.log(x[i]);
            rss += r * r;
        }
        return new PowerLaw(Math.exp(lnA), e, 0, n, rss);
    }

    /** y = a x^-b + c, c >= 0, b in [0.001, 4], minimising log-space residuals; needs 3 points with distinct x. */
    public static PowerLaw withFloor(double[] x, double[] y) {
        check(x, y, 3);
        // x relative to its geometric mean, so x^-b stays in range for FLOPs around 1e15 and b up to 4.
        double lnMid = 0;
        for (double v : x) lnMid += Math.log(v);
        lnMid /= x.length;
        double[] lnX = new double[x.length];
        for (int i = 0; i < x.length; i++) lnX[i] = Math.log(x[i]) - lnMid;
        double lo = Math.log(B_MIN), step = (Math.log(B_MAX) - lo) / (GRID - 1);
        int best = 0;
        double bestRss = Double.POSITIVE_INFINITY;
        for (int i = 0; i < GRID; i++) {
            double rss = profile(lnX, y, Math.exp(lo + i * step))[2];
            if (rss < bestRss) {
                bestRss = rss;
                best = i;
            }
        }
        double a = lo + Math.max(0, best - 1) * step, b = lo + Math.min(GRID - 1, best + 1) * step;   // ln b bracket
        double g = (Math.sqrt(5) - 1) / 2;
        for (int i = 0; i < GOLDEN_STEPS; i++) {
            double m1 = b - g * (b - a), m2 = a + g * (b - a);
            if (profile(lnX, y, Math.exp(m1))[2] <= profile(lnX, y, Math.exp(m2))[2]) b = m2;
            else a = m1;
        }
        double bHat = Math.exp((a + b) / 2);
        double[] fit = profile(lnX, y, bHat);
        if (bestRss < fit[2]) {   // the grid point beat the refinement (a flat or kinked profile): keep it
            bHat = Math.exp(lo + best * step);
            fit = profile(lnX, y, bHat);
        }
        if (!Double.isFinite(fit[2])) throw new IllegalArgumentException("no decaying power law with a floor fits these points");
        // scale for the original x: a (x / mid)^-b = a mid^b x^-b
        return new PowerLaw(fit[0] * Math.exp(bHat * lnMid), -bHat, fit[1], x.length, fit[2]);
    }

    /** For a fixed b: {a, c, log-space RSS} (RSS infinite where no a > 0 fits). */
    private static double[] profile(double[] lnX, double[] y, double b) {
        int n = y.length;
        double[] u = new double[n], f = y.clone();
        double a = 0, c = 0;
        for (int i = 0; i < n; i++) u[i] = Math.exp(-b * lnX[i]);
        for (int it = 0; it < REWEIGHTS; it++) {
            double sw = 0, su = 0, sy = 0, suu = 0, suy = 0;
            for (int i = 0; i < n; i++) {
                double w = 1 / (f[i] * f[i]);
                sw += w;
                su += w * u[i];
                sy += w * y[i];
                suu += w * u[i] * u[i];
                suy += w * u[i] * y[i];
            }
            double det = sw * suu - su * su;
            a = det > 0 ? (sw * suy - su * sy) / det : Double.NaN;
            c = det > 0 ? (suu * sy - su * suy) / det : Double.NaN;
            if (!(c >= 0)) {   // the floor's constraint is active: fit a alone
                c = 0;
                a = suy / suu;
            }
            if (!(a > 0)) return new double[] {a, c, Double.POSITIVE_INFINITY};
            for (int i = 0; i < n; i++) f[i] = a * u[i] + c;
        }
        double rss = 0;
        for (int i = 0; i < n; i++) {
            double r = Math.log(y[i]) - Math.log(f[i]);
            rss += r * r;
        }
        return new double[] {a, c, rss};
    }

    private static void check(double[] x, double[] y, int min) {
        if (x.length != y.length) throw new IllegalArgumentException(x.length + " x values but " + y.length + " y values");
        if (x.length < min) throw new IllegalArgumentException("this fit needs at least " + min + " points, got " + x.length);
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] > 0) || !(y[i] > 0) || Double.isInfinite(x[i]) || Double.isInfinite(y[i])) {
                throw new IllegalArgumentException("a power law fit needs positive finite x and y; point " + i + " is (" + x[i] + ", " + y[i] + ")");
            }
        }
    }
}
