package dev.panoptim.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Bayesian optimisation, W&amp;B's {@code bayes}: a {@link GaussianProcess} over the sweep's {@link SearchSpace},
 * fitted to the scored trials ({@link ScoredHistory}: losses, a maximized metric negated), proposes the point
 * of greatest expected improvement over the best loss. Running trials join the process at its predicted mean,
 * so agents working at once do not all propose the same point. Until two trials have a metric value it draws
 * at random. The search (2000 random candidates, then a local search from the best few) draws from trial
 * (seed, index)'s generator, so a sweep replays given the same history.
 *
 * <pre>{@code Map<String, Object> values = Bayes.trial(config, seed, index, history);}</pre>
 */
final class Bayes {
    static final int CANDIDATES = 2000, REFINED = 5, REFINE_STEPS = 60;

    private Bayes() {}

    static Map<String, Object> trial(SweepConfig config, long seed, long index, List<Observation> history) {
        SearchSpace space = new SearchSpace(config.parameters());
        ScoredHistory scored = ScoredHistory.of(space, config.metric(), history);
        if (space.dimensions() == 0 || scored.measured() < 2) return RandomSearch.trial(config.parameters(), seed, index);
        double[][] x = scored.pointArray();
        double[] y = scored.lossArray();
        GaussianProcess gp = GaussianProcess.fit(x, y);
        double best = Arrays.stream(y).min().orElseThrow();
        if (!scored.pending().isEmpty()) gp = withPending(gp, x, y, scored.pending());
        return space.values(maximizeImprovement(space, gp, best, RandomSearch.generator(seed, index).split()));
    }

    /** The process conditioned also on the running trials, each at the mean it predicts there (a "kriging believer"). */
    private static GaussianProcess withPending(GaussianProcess gp, double[][] x, double[] y, List<double[]> pending) {
        double[][] x2 = Arrays.copyOf(x, x.length + pending.size());
        double[] y2 = Arrays.copyOf(y, y.length + pending.size());
        for (int i = 0; i < pending.size(); i++) {
            x2[x.length + i] = pending.get(i);
            y2[y.length + i] = gp.predict(pending.get(i))[0];
        }
        return gp.with(x2, y2);
    }

    /** The point (snapped to values the axes take) of greatest expected improvement found. */
    static double[] maximizeImprovement(SearchSpace space, GaussianProcess gp, double best, SplittableRandom rng) {
        int d = space.dimensions();
        List<Candidate> candidates = new ArrayList<>(CANDIDATES);
        for (int i = 0; i < CANDIDATES; i++) {
            double[] u = new double[d];
            for (int k = 0; k < d; k++) u[k] = rng.nextDouble();
            u = space.snap(u);
            candidates.add(new Candidate(u, expectedImprovement(gp, best, u)));
        }
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed());
        Candidate winner = candidates.getFirst();
        for (Candidate start : candidates.subList(0, Math.min(REFINED, candidates.size()))) {
            Candidate c = refine(space, gp, best, start, rng);
            if (c.score() > winner.score()) winner = c;
        }
        return winner.point();
    }

    private record Candidate(double[] point, double score) {}

    /** A random local search: Gaussian steps that shrink when they fail and grow when they succeed. */
    private static Candidate refine(SearchSpace space, GaussianProcess gp, double best, Candidate start, SplittableRandom rng) {
        Candidate c = start;
        double step = 0.05;
        for (int s = 0; s < REFINE_STEPS; s++) {
            double[] u = c.point().clone();
            for (int k = 0; k < u.length; k++) u[k] = Math.min(Math.max(u[k] + step * rng.nextGaussian(), 0), 1);
            u = space.snap(u);
            double ei = expectedImprovement(gp, best, u);
            if (ei > c.score()) {
                c = new Candidate(u, ei);
                step = Math.min(step * 1.5, 0.2);
            } else {
                step = Math.max(step * 0.7, 1e-4);
            }
        }
        return c;
    }

    /** E[max(best - f(u), 0)] under the process: (best - mu) Phi(z) + sd phi(z), z = (best - mu) / sd. */
    static double expectedImprovement(GaussianProcess gp, double best, double[] u) {
        double[] mv = gp.predict(u);
        double sd = Math.sqrt(mv[1]), gain = best - mv[0];
        if (sd < 1e-12) return Math.max(gain, 0);
        double z = gain / sd;
        return gain * Probability.normalCdf(z) + sd * Probability.normalPdf(z);
    }
}
