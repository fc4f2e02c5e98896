package dev.panoptim.djl;

import java.util.Random;

/** Random test values (never zeros) and float comparisons with the index of the worst element. */
final class Arrays32 {
    private Arrays32() {}

    static float[] random(long seed, int n, float scale) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            float x = (float) r.nextGaussian() * scale;
            a[i] = x == 0 ? scale : x;
        }
        return a;
    }

    /** The largest |a[i] - b[i]| / (atol + rtol * |b[i]|); at most 1 means within tolerance. */
    static double worst(float[] a, float[] b, double atol, double rtol) {
        if (a.length != b.length) throw new AssertionError("lengths " + a.length + " and " + b.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]) / (atol + rtol * Math.abs(b[i]));
            if (!(d <= worst)) worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
        }
        return worst;
    }
}
