package dev.panoptim.nn;

import dev.panoptim.tensor.Tensor;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Weight initialisation (torch.nn.init) from one seeded generator, so that a seed gives the same
 * weights on every run: layers built after {@code Init.manualSeed(s)} are reproducible (torch's
 * {@code torch.manual_seed}). The generator is L64X128MixRandom; the draws differ from torch's, the
 * distributions are the same. Without a call to {@link #manualSeed}, the seed is {@link #DEFAULT_SEED}.
 *
 * <pre>{@code
 * Init.manualSeed(42);
 * Conv2d conv = new Conv2d(3, 16, 3);                      // kaiming_uniform_(a = sqrt(5)), as torch
 * Init.kaimingNormal(conv.weight(), 0, Init.FanMode.FAN_OUT, "relu");
 * }</pre>
 */
public final class Init {
    /** The seed used until {@link #manualSeed} is called. */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static final String ALGORITHM = "L64X128MixRandom";
    private static RandomGenerator generator = newGenerator(DEFAULT_SEED);

    private Init() {}

    /** Which fan the Kaiming initialisations scale by (torch's {@code mode}). */
    public enum FanMode { FAN_IN, FAN_OUT }

    /** Reseeds the generator every layer's initialisation draws from. */
    public static synchronized void manualSeed(long seed) {
        generator = newGenerator(seed);
    }

    /** A fresh generator of the kind {@link #manualSeed} installs, for callers that keep their own. */
    public static RandomGenerator newGenerator(long seed) {
        return RandomGeneratorFactory.of(ALGORITHM).create(seed);
    }

    /**
     * A seed drawn from the generator, for a module that keeps a generator of its own (a {@link Dropout}'s
     * masks): reproducible after {@link #manualSeed}, as the weights are.
     */
    public static synchronized long nextSeed() {
        return generator.nextLong();
    }

    /** Fills {@code t} from U(low, high). */
    public static synchronized Tensor uniform(Tensor t, double low, double high) {
        if (!(low <= high)) throw new IllegalArgumentException("uniform needs low <= high, got " + low + ", " + high);
        float[] v = new float[checkedSize(t)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (low + (high - low) * generator.nextDouble());
        return t.copyFrom(v);
    }

    /** Fills {@code t} from N(mean, std^2). */
    public static synchronized Tensor normal(Tensor t, double mean, double std) {
        if (!(std >= 0)) throw new IllegalArgumentException("normal needs std >= 0, got " + std);
        float[] v = new float[checkedSize(t)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (mean + std * generator.nextGaussian());
        return t.copyFrom(v);
    }

    /** Sets every element of {@code t} to {@code value}. */
    public static Tensor constant(Tensor t, double value) {
        return t.fill((float) value);
    }

    /**
     * torch.nn.init.calculate_gain: 1 for "linear", "conv2d", "sigmoid"; 5/3 for "tanh"; sqrt(2) for
     * "relu"; sqrt(2 / (1 + a^2)) for "leaky_relu" with negative slope {@code a}.
     */
    public static double calculateGain(String nonlinearity, double a) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "sigmoid" -> 1.0;
            case "tanh" -> 5.0 / 3.0;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> Math.sqrt(2.0 / (1 + a * a));
            default -> throw new IllegalArgumentException("unknown nonlinearity '" + nonlinearity
                    + "' (valid: linear, conv1d, conv2d, conv3d, sigmoid, tanh, relu, leaky_relu)");
        };
    }

    /** Fan-in of a weight: shape[1] * receptive field (torch's _calculate_fan_in_and_fan_out). */
    public static long fanIn(Tensor t) {
        return fans(t)[0];
    }

    /** Fan-out of a weight: shape[0] * receptive field. */
    public static long fanOut(Tensor t) {
        return fans(t)[1];
    }

    /**
     * torch.nn.init.kaiming_uniform_: U(-b, b) with b = gain * sqrt(3 / fan), gain from
     * {@link #calculateGain(String, double)}. With a = sqrt(5), FAN_IN, "leaky_relu" (torch's layer
     * default) b = 1 / sqrt(fan_in).
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, String nonlinearity) {
        double bound = calculateGain(nonlinearity, a) * Math.sqrt(3.0 / fan(t, mode));
        return uniform(t, -bound, bound);
    }

    /** torch.nn.init.kaiming_normal_: N(0, std^2) with std = gain / sqrt(fan). */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, String nonlinearity) {
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode));
        return normal(t, 0, std);
    }

    private static double fan(Tensor t, FanMode mode) {
        long[] f = fans(t);
        long fan = mode == FanMode.FAN_IN ? f[0] : f[1];
        if (fan == 0) throw new IllegalArgumentException("cannot initialise a tensor of shape " + Arrays.toString(t.shape())
                + ": its fan is 0");
        return fan;
    }

    private static long[] fans(Tensor t) {
        int[] s = t.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("fan in and fan out need at least 2 dimensions, got shape " + Arrays.toString(s));
        }
        long receptive = 1;
        for (int i = 2; i < s.length; i++) receptive *= s[i];
        return new long[] {s[1] * receptive, s[0] * receptive};
    }

    private static int checkedSize(Tensor t) {
        long n = t.numel();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor of " + n + " elements is too large to initialise");
        return (int) n;
    }
}
