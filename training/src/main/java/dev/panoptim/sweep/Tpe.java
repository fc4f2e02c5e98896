package dev.panoptim.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The Tree-structured Parzen Estimator (Bergstra et al. 2011), as Optuna's default {@code TPESampler} runs it:
 * the scored trials ({@link ScoredHistory}) split into the good ones (the best min(ceil(n / 10), 25)) and
 * the rest; on each axis of the {@link SearchSpace}, independently, a Parzen estimator of each group (truncated
 * Gaussians on [0, 1] with hyperopt's bandwidths plus a wide prior; a categorical: its smoothed frequencies)
 * gives l(x) and g(x), and of 24 draws from l the one with the greatest l(x) / g(x) is taken. Running trials
 * count among the bad ones (Optuna's constant liar), so agents working at once spread out. The first 10
 * trials are random; everything draws from trial (seed, index)'s generator, so a sweep replays.
 *
 * <pre>{@code Map<String, Object> values = Tpe.trial(config, seed, index, history);}</pre>
 */
final class Tpe {
    static final int STARTUP = 10, CANDIDATES = 24;
    private static final double PRIOR_WEIGHT = 1;

    private Tpe() {}

    static Map<String, Object> trial(SweepConfig config, long seed, long index, List<Observation> history) {
        SearchSpace space = new SearchSpace(config.parameters());
        ScoredHistory scored = ScoredHistory.of(space, config.metric(), history);
        int n = scored.points().size();
        if (space.dimensions() == 0 || n < STARTUP) return RandomSearch.trial(config.parameters(), seed, index);
        List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        order.sort(Comparator.comparingDouble(scored.losses()::get));   // stable: ties keep trial order
        int good = Math.min((int) Math.ceil(0.1 * n), 25);
        List<double[]> below = new ArrayList<>(), above = new ArrayList<>(scored.pending());
        for (int r = 0; r < n; r++) (r < good ? below : above).add(scored.points().get(order.get(r)));
        SplittableRandom rng = RandomSearch.generator(seed, index).split();
        double[] u = new double[space.dimensions()];
        for (int k = 0; k < u.length; k++) {
            Parameter p = space.axes().get(k).parameter();
            u[k] = p instanceof Parameter.Categorical c ? categorical(c, column(below, k), column(above, k), rng)
                    : numeric(space, k, column(below, k), column(above, k), rng);
        }
        return space.values(space.snap(u));
    }

    private static double[] column(List<double[]> points, int k) {
        return points.stream().mapToDouble(p -> p[k]).toArray();
    }

    /** The best of the draws from l on a numeric axis, snapped to the values it takes. */
    private static double numeric(SearchSpace space, int axis, double[] below, double[] above, SplittableRandom rng) {
        Parzen l = Parzen.of(below), g = Parzen.of(above);
        double best = Double.NaN, bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < CANDIDATES; i++) {
            double x = space.snap(axis, l.sample(rng));
            double score = l.logDensity(x) - g.logDensity(x);
            if (score > bestScore || Double.isNaN(best)) {
                best = x;
                bestScore = score;
            }
        }
        return best;
    }

    /** The best of the draws from l on a categorical axis: frequencies smoothed by the config's probabilities. */
    private static double categorical(Parameter.Categorical c, double[] below, double[] above, SplittableRandom rng) {
        int k = c.values().size();
        double[] prior = new double[k], centre = new double[k];
        for (int i = 0; i < k; i++) {
            prior[i] = c.probabilities() == null ? 1.0 / k : c.probabilities().get(i);
            centre[i] = SearchSpace.unit(c, c.values().get(i));
        }
        double[] l = frequencies(below, centre, prior), g = frequencies(above, centre, prior);
        int best = -1;
        for (int s = 0; s < CANDIDATES; s++) {
            int i = draw(l, rng);
            if (best < 0 || l[i] / g[i] > l[best] / g[best]) best = i;
        }
        return centre[best];
    }

    private static double[] frequencies(double[] xs, double[] centre, double[] prior) {
        double[] f = new double[centre.length];
        for (int i = 0; i < f.length; i++) f[i] = PRIOR_WEIGHT * prior[i];
        for (double x : xs) {
            for (int i = 0; i < f.length; i++) {
                if (Math.abs(x - centre[i]) < 1e-9) f[i]++;
            }
        }
        double sum = 0;
        for (double v : f) sum += v;
        for (int i = 0; i < f.length; i++) f[i] = Math.max(f[i] / sum, 1e-12);
        return f;
    }

    private static int draw(double[] probabilities, SplittableRandom rng) {
        double r = rng.nextDouble(), acc = 0;
        for (int i = 0; i < probabilities.length; i++) {
            acc += probabilities[i];
            if (r < acc) return i;
        }
        return probabilities.length - 1;
    }

    /**
     * A mixture of Gaussians truncated to [0, 1], one per observation plus a prior (mean 0.5, sd 1), weighted
     * equally; each observation's sd is the larger gap to its sorted neighbours (hyperopt's rule), clipped to
     * [1 / min(100, n + 1), 1].
     */
    record Parzen(double[] mu, double[] sigma, double[] mass) {
        static Parzen of(double[] xs) {
            double[] sorted = xs.clone();
            java.util.Arrays.sort(sorted);
            int n = sorted.length;
            double[] mu = new double[n + 1], sigma = new double[n + 1];
            double minSigma = 1.0 / Math.min(100, n + 1);
            for (int i = 0; i < n; i++) {
                double left = sorted[i] - (i > 0 ? sorted[i - 1] : 0), right = (i < n - 1 ? sorted[i + 1] : 1) - sorted[i];
                mu[i] = sorted[i];
                sigma[i] = Math.min(Math.max(Math.max(left, right), minSigma), 1);
            }
            mu[n] = 0.5;
            sigma[n] = 1;
            double[] mass = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                mass[i] = Probability.normalCdf((1 - mu[i]) / sigma[i]) - Probability.normalCdf(-mu[i] / sigma[i]);
            }
            return new Parzen(mu, sigma, mass);
        }

        /** A draw: a component picked uniformly, then its Gaussian until it lands in [0, 1]. */
        double sample(SplittableRandom rng) {
            int i = rng.nextInt(mu.length);
            for (int tries = 0; tries < 1000; tries++) {
                double x = mu[i] + sigma[i] * rng.nextGaussian();
                if (x >= 0 && x <= 1) return x;
            }
            return Math.min(Math.max(mu[i], 0), 1);
        }

        double logDensity(double x) {
            double sum = 0;
            for (int i = 0; i < mu.length; i++) {
                double z = (x - mu[i]) / sigma[i];
                sum += Probability.normalPdf(z) / (sigma[i] * mass[i]);
            }
            return Math.log(Math.max(sum / mu.length, Double.MIN_NORMAL));
        }
    }
}
