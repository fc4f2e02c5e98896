package dev.panoptim.scaling;

import dev.panoptim.report.Ticks;

import java.util.Locale;

/**
 * A fitted power law y = scale * x^exponent + floor, with how well it fits: the number of points and the residual
 * sum of squares of ln y (the fits are in log space, so the residuals are relative errors). A decaying law (loss
 * against compute) has a negative exponent, whose size is the b of L = a * C^-b; a growing one (the compute-optimal
 * parameter count) a positive one. floor is the irreducible term, 0 for a pure power law.
 *
 * <pre>{@code PowerLaw law = PowerLawFit.pure(flops, losses); double b = -law.exponent(); double at = law.at(1e15);}</pre>
 */
public record PowerLaw(double scale, double exponent, double floor, int points, double rss) {
    /** The law's value at x. */
    public double at(double x) {
        return scale * Math.pow(x, exponent) + floor;
    }

    /** True when the law has an irreducible term (floor > 0). */
    public boolean hasFloor() {
        return floor > 0;
    }

    /** The law as text, e.g. {@code L = 3.02·C^-0.151 + 0.4}, with the given names of y and x. */
    public String equation(String y, String x) {
        String s = y + " = " + Ticks.format(scale) + "·" + x + "^" + String.format(Locale.ROOT, "%.3f", exponent);
        return hasFloor() ? s + " + " + Ticks.format(floor) : s;
    }
}
