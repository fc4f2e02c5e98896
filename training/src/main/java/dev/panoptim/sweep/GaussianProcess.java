package dev.panoptim.sweep;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Gaussian-process regression over the unit cube: a Matern 5/2 kernel with one length scale per dimension,
 * a signal and a noise variance, targets normalised to mean 0 and variance 1. {@link #fit} picks the
 * hyperparameters by maximising the log marginal likelihood (a fixed set of starting points, each improved by
 * a coordinate search in log space), so the same data always gives the same process. Cholesky with jitter.
 *
 * <pre>{@code GaussianProcess gp = GaussianProcess.fit(x, y); double[] meanAndVariance = gp.predict(new double[] {0.3});}</pre>
 */
final class GaussianProcess {
    private static final double JITTER = 1e-8;
    /**
     * The most points the hyperparameter search factorizes (hundreds of Cholesky factorizations each): above it,
     * it runs on the best third and an even spread of the rest, so a proposal stays well under a second however
     * long the sweep; the process itself is then conditioned on every point.
     */
    static final int FIT_POINTS = 120;
    private static final double MIN_LENGTH = 0.02, MAX_LENGTH = 5, MIN_SIGNAL = 0.05, MAX_SIGNAL = 20, MIN_NOISE = 1e-6, MAX_NOISE = 0.5;

    private final double[][] x;
    private final double[] lengths;
    private final double signal, noise, yMean, yScale;
    private final double[][] chol;
    private final double[] alpha;

    /** A process with fixed hyperparameters; {@code yMean}, {@code yScale} normalise the targets. */
    GaussianProcess(double[][] x, double[] y, double[] lengths, double signal, double noise, double yMean, double yScale) {
        checkSizes(x, y);
        this.x = x;
        this.lengths = lengths.clone();
        this.signal = signal;
        this.noise = noise;
        this.yMean = yMean;
        this.yScale = yScale;
        double[] z = new double[y.length];
        for (int i = 0; i < y.length; i++) z[i] = (y[i] - yMean) / yScale;
        this.chol = cholesky(covariance(x, lengths, signal, noise));
        this.alpha = solve(chol, z);
    }

    /** The process with hyperparameters of greatest marginal likelihood for points x (rows in [0, 1]^d) and targets y. */
    static GaussianProcess fit(double[][] x, double[] y) {
        checkSizes(x, y);
        double mean = Arrays.stream(y).average().orElse(0);
        double var = Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum() / y.length;
        double scale = var > 0 ? Math.sqrt(var) : 1;
        double[] z = Arrays.stream(y).map(v -> (v - mean) / scale).toArray();
        int d = x[0].length;
        int[] fitRows = fitRows(z);
        double[][] fx = new double[fitRows.length][];
        double[] fz = new double[fitRows.length];
        for (int i = 0; i < fitRows.length; i++) {
            fx[i] = x[fitRows[i]];
            fz[i] = z[fitRows[i]];
        }
        double[] best = null;
        double bestLml = Double.NEGATIVE_INFINITY;
        for (double[] start : starts(d)) {
            double[] theta = start.clone();
            double lml = logMarginalLikelihood(fx, fz, theta);
            for (double step : new double[] {1.0, 0.4, 0.15}) {
                boolean moved = true;
                for (int round = 0; moved && round < 8; round++) {
                    moved = false;
                    for (int k = 0; k < theta.length; k++) {
                        for (double dir : new double[] {step, -step}) {
                            double[] t = theta.clone();
                            t[k] = clampParameter(k, d, t[k] + dir);
                            double l = logMarginalLikelihood(fx, fz, t);
                            if (l > lml + 1e-9) {
                                lml = l;
                                theta = t;
                                moved = true;
                            }
                        }
                    }
                }
            }
            if (lml > bestLml || best == null) {
                bestLml = lml;
                best = theta;
            }
        }
        return new GaussianProcess(x, y, lengthsOf(best, d), Math.exp(best[d]), Math.exp(best[d + 1]), mean, scale);
    }

    /** The rows the hyperparameters are fitted on: all, or (above {@link #FIT_POINTS}) the lowest third and an even spread of the rest. */
    static int[] fitRows(double[] z) {
        int n = z.length;
        if (n <= FIT_POINTS) return java.util.stream.IntStream.range(0, n).toArray();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(z[a], z[b]));
        int lowest = FIT_POINTS / 3, spread = FIT_POINTS - lowest;
        int[] rows = new int[FIT_POINTS];
        for (int i = 0; i < lowest; i++) rows[i] = order[i];
        for (int i = 0; i < spread; i++) rows[lowest + i] = order[lowest + (int) ((long) i * (n - lowest) / spread)];
        Arrays.sort(rows);
        return rows;
    }

    private static void checkSizes(double[][] x, double[] y) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("needs as many targets as points (at least one), not " + y.length + " for " + x.length);
        }
    }

    /** This process's hyperparameters and normalisation conditioned on other data (used for fantasies of running trials). */
    GaussianProcess with(double[][] x, double[] y) {
        return new GaussianProcess(x, y, lengths, signal, noise, yMean, yScale);
    }

    /** The posterior mean and variance (of the latent function, without the noise) at {@code p}, in the targets' units. */
    double[] predict(double[] p) {
        int n = x.length;
        double[] k = new double[n];
        for (int i = 0; i < n; i++) k[i] = kernel(x[i], p, lengths, signal);
        double mean = 0;
        for (int i = 0; i < n; i++) mean += k[i] * alpha[i];
        double[] v = forward(chol, k);
        double var = signal;
        for (double vi : v) var -= vi * vi;
        return new double[] {yMean + yScale * mean, Math.max(var, 1e-12) * yScale * yScale};
    }

    double[] lengths() {
        return lengths.clone();
    }

    double noise() {
        return noise;
    }

    /** Starting points in log space: short, medium and long isotropic length scales, and one anisotropic start. */
    private static double[][] starts(int d) {
        double[] t = theta(d, 0.3, 1, 1e-3);
        SplittableRandom rng = new SplittableRandom(d);   // the same anisotropic start for every fit of d dimensions
        for (int k = 0; k < d; k++) t[k] = Math.log(MIN_LENGTH) + rng.nextDouble() * (Math.log(MAX_LENGTH) - Math.log(MIN_LENGTH));
        return new double[][] {theta(d, 0.1, 1, 1e-4), theta(d, 0.3, 1, 1e-4), theta(d, 1, 1, 1e-4), t};
    }

    private static double[] theta(int d, double length, double signal, double noise) {
        double[] t = new double[d + 2];
        Arrays.fill(t, 0, d, Math.log(length));
        t[d] = Math.log(signal);
        t[d + 1] = Math.log(noise);
        return t;
    }

    private static double clampParameter(int k, int d, double v) {
        if (k < d) return Math.min(Math.max(v, Math.log(MIN_LENGTH)), Math.log(MAX_LENGTH));
        if (k == d) return Math.min(Math.max(v, Math.log(MIN_SIGNAL)), Math.log(MAX_SIGNAL));
        return Math.min(Math.max(v, Math.log(MIN_NOISE)), Math.log(MAX_NOISE));
    }

    private static double[] lengthsOf(double[] theta, int d) {
        double[] l = new double[d];
        for (int k = 0; k < d; k++) l[k] = Math.exp(theta[k]);
        return l;
    }

    /** log p(z | x, theta) = -z'K^-1 z / 2 - log|K| / 2 - n log(2 pi) / 2; -infinity when K is not positive definite. */
    static double logMarginalLikelihood(double[][] x, double[] z, double[] theta) {
        int d = x[0].length;
        double[][] l;
        try {
            l = cholesky(covariance(x, lengthsOf(theta, d), Math.exp(theta[d]), Math.exp(theta[d + 1])));
        } catch (ArithmeticException e) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] a = forward(l, z);
        double fit = 0, logDet = 0;
        for (int i = 0; i < z.length; i++) {
            fit += a[i] * a[i];
            logDet += Math.log(l[i][i]);
        }
        return -0.5 * fit - logDet - 0.5 * z.length * Math.log(2 * Math.PI);
    }

    private static double[][] covariance(double[][] x, double[] lengths, double signal, double noise) {
        int n = x.length;
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) k[i][j] = k[j][i] = kernel(x[i], x[j], lengths, signal);
            k[i][i] = signal + noise + JITTER;
        }
        return k;
    }

    /** Matern 5/2: s (1 + sqrt5 r + 5 r^2 / 3) exp(-sqrt5 r), r the length-scaled distance. */
    static double kernel(double[] a, double[] b, double[] lengths, double signal) {
        double r2 = 0;
        for (int k = 0; k < a.length; k++) {
            double t = (a[k] - b[k]) / lengths[k];
            r2 += t * t;
        }
        double s5r = Math.sqrt(5 * r2);
        return signal * (1 + s5r + 5 * r2 / 3) * Math.exp(-s5r);
    }

    /** The lower-triangular L with L L' = a; ArithmeticException when a is not positive definite. */
    static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
                if (i == j) {
                    if (!(s > 0)) throw new ArithmeticException("the covariance is not positive definite (pivot " + s + " at " + i + ")");
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    /** L^-1 b. */
    private static double[] forward(double[][] l, double[] b) {
        int n = b.length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i][k] * y[k];
            y[i] = s / l[i][i];
        }
        return y;
    }

    /** (L L')^-1 b. */
    private static double[] solve(double[][] l, double[] b) {
        double[] y = forward(l, b);
        int n = y.length;
        double[] out = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) s -= l[k][i] * out[k];
            out[i] = s / l[i][i];
        }
        return out;
    }
}
