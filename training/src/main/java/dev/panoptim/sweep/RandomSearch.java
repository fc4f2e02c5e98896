package dev.panoptim.sweep;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Random search: each parameter drawn independently from its distribution ({@link Distribution} gives the
 * formulas). Trial {@code i} of a sweep with seed {@code s} uses its own generator seeded from (s, i), so a
 * sweep replays exactly whatever the order in which agents claim its trials.
 *
 * <pre>{@code Map<String, Object> values = RandomSearch.trial(config.parameters(), seed, 0);}</pre>
 */
final class RandomSearch {
    private RandomSearch() {}

    static Map<String, Object> trial(Map<String, Parameter> params, long seed, long index) {
        return draw(params, generator(seed, index));
    }

    /** Trial {@code index}'s own generator (methods that search further draw from its {@code split()}). */
    static SplittableRandom generator(long seed, long index) {
        return new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + index));
    }

    static Map<String, Object> draw(Map<String, Parameter> params, RandomGenerator rng) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) out.put(e.getKey(), draw(e.getValue(), rng));
        return out;
    }

    static Object draw(Parameter p, RandomGenerator rng) {
        return switch (p) {
            case Parameter.Constant c -> c.value();
            case Parameter.Nested n -> draw(n.parameters(), rng);
            case Parameter.Categorical c -> c.values().get(pick(c, rng));
            case Parameter.Numeric n -> numeric(n, rng);
        };
    }

    private static int pick(Parameter.Categorical c, RandomGenerator rng) {
        if (c.probabilities() == null) return rng.nextInt(c.values().size());
        double u = rng.nextDouble(), acc = 0;
        for (int i = 0; i < c.probabilities().size(); i++) {
            acc += c.probabilities().get(i);
            if (u < acc) return i;
        }
        return c.values().size() - 1;
    }

    static Object numeric(Parameter.Numeric n, RandomGenerator rng) {
        double min = n.min(), max = n.max();
        double v = switch (n.distribution()) {
            case INT_UNIFORM -> (double) rng.nextLong((long) min, (long) max + 1);
            case UNIFORM, Q_UNIFORM -> uniform(rng, min, max);
            case LOG_UNIFORM, Q_LOG_UNIFORM -> Math.exp(uniform(rng, min, max));
            case LOG_UNIFORM_VALUES, Q_LOG_UNIFORM_VALUES -> Math.exp(uniform(rng, Math.log(min), Math.log(max)));
            case INV_LOG_UNIFORM -> Math.exp(-uniform(rng, min, max));
            case INV_LOG_UNIFORM_VALUES -> 1 / Math.exp(uniform(rng, Math.log(1 / max), Math.log(1 / min)));
            case NORMAL, Q_NORMAL -> n.mu() + n.sigma() * rng.nextGaussian();
            case LOG_NORMAL, Q_LOG_NORMAL -> Math.exp(n.mu() + n.sigma() * rng.nextGaussian());
            case BETA, Q_BETA -> beta(rng, n.a(), n.b());
            case CONSTANT, CATEGORICAL -> throw new IllegalStateException("not numeric: " + n.distribution());
        };
        if (n.distribution().quantized()) v = Math.round(v / n.q()) * n.q();
        if (n.distribution().bounded() && n.distribution() != Distribution.INT_UNIFORM && !n.distribution().quantized()) {
            v = Math.min(Math.max(v, SearchSpace.lower(n)), SearchSpace.upper(n));   // exp/log round-off must not leave [min, max]
        }
        return n.integer() ? (Object) Math.round(v) : (Object) v;
    }

    private static double uniform(RandomGenerator rng, double min, double max) {
        return min == max ? min : min + (max - min) * rng.nextDouble();
    }

    /** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
    static double beta(RandomGenerator rng, double a, double b) {
        double x = gamma(rng, a), y = gamma(rng, b);
        return x / (x + y);
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (2000); shape < 1 through Gamma(shape + 1) * U^(1/shape). */
    static double gamma(RandomGenerator rng, double shape) {
        if (shape < 1) return gamma(rng, shape + 1) * Math.pow(rng.nextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.nextGaussian(), v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = rng.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
        }
    }

    /** SplitMix64's finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
