package dev.panoptim.scaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic scaling studies with known laws, for the tests. */
final class SyntheticStudy {
    static final double TOKENS = 50_000;

    private SyntheticStudy() {}

    /**
     * Widths k = 0..9 (params 1000 * 2^k), the full data set, {@code seeds} seeds per cell; C = 6 N D and
     * L = 3 C^-b times log-normal noise of sd {@code noise}; accuracy 1 - 0.9 C^-b/2 with the same noise.
     */
    static List<ScalingRow> powerLaw(double b, double dropout, int seeds, double noise, long seed) {
        Random rng = new Random(seed);
        List<ScalingRow> rows = new ArrayList<>();
        for (int k = 0; k <= 9; k++) {
            long params = 1000L << k;
            double c = 6 * params * TOKENS;
            for (int s = 1; s <= seeds; s++) {
                double loss = 3 * Math.pow(c, -b) * Math.exp(noise * rng.nextGaussian());
                double error = 0.9 * Math.pow(c, -b / 2) * Math.exp(noise * rng.nextGaussian());
                rows.add(new ScalingRow("d" + dropout + "-k" + k + "-s" + s, k, params, 1, s, dropout, c, loss, 1 - error));
            }
        }
        return rows;
    }
}
