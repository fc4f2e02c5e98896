package dev.panoptim.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Axis ticks at 1, 2, 2.5 or 5 times a power of ten, and short number labels; shared by the plots.
 *
 * <pre>{@code for (double t : Ticks.nice(0, 2.3, 8)) g.drawString(Ticks.format(t), x, y(t));}</pre>
 */
public final class Ticks {
    private Ticks() {}

    /** Ticks inside [min, max], about {@code target} of them, at round values. */
    public static List<Double> nice(double min, double max, int target) {
        List<Double> ticks = new ArrayList<>();
        if (!(max > min) || !Double.isFinite(max - min)) {
            if (Double.isFinite(min)) ticks.add(min);
            return ticks;
        }
        double raw = (max - min) / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            step = m * mag;
            if (step >= raw) break;
        }
        for (long i = (long) Math.ceil(min / step); i * step <= max + step * 1e-9; i++) {
            double v = i * step;
            ticks.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return ticks;
    }

    /**
     * Ticks for a log axis over [min, max] (both positive): the powers of ten inside it; where fewer than 3 fall
     * inside, 1, 2 and 5 times the powers of ten; then 1 to 9 times; where still fewer than 3, the linear
     * {@link #nice} ticks.
     */
    public static List<Double> log(double min, double max) {
        if (!(min > 0) || !(max >= min) || Double.isInfinite(max)) throw new IllegalArgumentException("log ticks need 0 < min <= max, got [" + min + ", " + max + "]");
        for (double[] mantissas : new double[][] {{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
            List<Double> ticks = new ArrayList<>();
            for (int e = (int) Math.floor(Math.log10(min)); e <= (int) Math.ceil(Math.log10(max)); e++) {
                for (double m : mantissas) {
                    double v = Double.parseDouble(m + "e" + e);   // exact decimal, unlike m * Math.pow(10, e)
                    if (v >= min * (1 - 1e-12) && v <= max * (1 + 1e-12)) ticks.add(v);
                }
            }
            if (ticks.size() >= 3) return ticks;
        }
        return nice(min, max, 4);
    }

    /** A short label: up to 4 significant digits, no trailing zeros; powers of ten notation outside [1e-3, 1e4). */
    public static String format(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e4 || a < 1e-3) {
            // %e, not %g: %g writes 1e-4 <= |v| < 1e-3 without an exponent (0.000123).
            String s = String.format(Locale.ROOT, "%.2e", v);   // e.g. 1.00e+06
            int e = s.indexOf('e');
            String mant = strip(s.substring(0, e));
            int exp = Integer.parseInt(s.substring(e + 1));
            return mant + "e" + exp;
        }
        return strip(new BigDecimal(v).round(new java.math.MathContext(4)).toPlainString());
    }

    /** A value for tables and legends: 4 decimals, or 3 significant digits in powers of ten when tiny or huge. */
    public static String fixed(double v) {
        if (!Double.isFinite(v)) return String.valueOf(v);
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-4 || a >= 1e7)) return String.format(Locale.ROOT, "%.3e", v);
        return String.format(Locale.ROOT, "%.4f", v + 0.0);
    }

    private static String strip(String s) {
        if (s.indexOf('.') < 0) return s;
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
