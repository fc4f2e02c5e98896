package dev.panoptim.scaling;

/**
 * A fitted exponent with its bootstrap uncertainty: the value on all runs, the 2.5 and 97.5 percentiles of the
 * refits over {@code resamples} seed resamples, and their standard deviation (the bootstrap standard error). With
 * fewer than 2 seeds there is nothing to resample: low, high and the standard error are NaN and resamples is 0.
 *
 * <pre>{@code Exponent b = analysis.group(0.0).lossExponent(); System.out.println(b.value() + " in " + b.interval());}</pre>
 */
public record Exponent(double value, double low, double high, double standardError, int resamples) {
    /** An exponent without bootstrap. */
    public static Exponent point(double value) {
        return new Exponent(value, Double.NaN, Double.NaN, Double.NaN, 0);
    }

    /** True when the interval was bootstrapped. */
    public boolean hasInterval() {
        return resamples > 0;
    }

    /** True when the 95% interval holds v. */
    public boolean contains(double v) {
        return hasInterval() && low <= v && v <= high;
    }

    /** e.g. {@code 0.151 [0.140, 0.163]}, or the value alone without an interval. */
    public String interval() {
        String v = fmt(value);
        return hasInterval() ? v + " [" + fmt(low) + ", " + fmt(high) + "]" : v;
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}
