package dev.panoptim.track;

import java.util.Arrays;

/**
 * A histogram of a tensor's values: {@code counts.length} equal bins from {@code min} to {@code max}
 * (bin i holds [min + i w, min + (i+1) w), the last one includes max), as numpy.histogram makes them;
 * NaN and infinite values are not binned but counted in {@code nonFinite}. When every finite value
 * is the same v, the bins span [v - 0.5, v + 0.5], as numpy does; with no finite value, [0, 0].
 *
 * <pre>{@code Histogram h = Histogram.of(tensor.toFloatArray(), Histogram.DEFAULT_BINS);}</pre>
 */
public record Histogram(double min, double max, long[] counts, long nonFinite) {
    /** The number of bins {@link Run#watch} uses. */
    public static final int DEFAULT_BINS = 64;

    public Histogram {
        if (counts.length == 0) throw new IllegalArgumentException("a histogram needs at least one bin");
        counts = counts.clone();
    }

    /** Bins {@code values} into {@code bins} equal bins between their min and max. */
    public static Histogram of(float[] values, int bins) {
        if (bins < 1) throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        long nonFinite = 0;
        for (float v : values) {
            if (!Float.isFinite(v)) {
                nonFinite++;
            } else {
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
        }
        long[] counts = new long[bins];
        if (lo > hi) return new Histogram(0, 0, counts, nonFinite);
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        double scale = bins / (hi - lo);
        for (float v : values) {
            if (!Float.isFinite(v)) continue;
            int i = (int) ((v - lo) * scale);
            counts[Math.min(Math.max(i, 0), bins - 1)]++;
        }
        return new Histogram(lo, hi, counts, nonFinite);
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** The number of finite values binned. */
    public long total() {
        long n = 0;
        for (long c : counts) n += c;
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && Double.compare(min, h.min) == 0 && Double.compare(max, h.max) == 0
                && nonFinite == h.nonFinite && Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(min) * 31 + Double.hashCode(max) * 17 + Arrays.hashCode(counts) + Long.hashCode(nonFinite);
    }

    @Override
    public String toString() {
        return "Histogram[min=" + min + ", max=" + max + ", bins=" + counts.length + ", total=" + total() + ", nonFinite=" + nonFinite + "]";
    }
}
