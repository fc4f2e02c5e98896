package dev.panoptim.scaling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The bootstrap over seeds: a resample takes, for each (width, data fraction, dropout) cell, as many seeds as the cell
 * has, drawn with replacement from its seeds, and the runs of the drawn seeds. Drawing per cell rather than once for
 * the whole study: with 3 seeds one draw for all cells has only 7 distinct outcomes (the frontier takes a minimum,
 * so repeats do not matter), too few for percentiles. Cells and seeds are visited in sorted order and the draws come
 * from one SplittableRandom, so a resample is a function of the bootstrap seed and the runs alone.
 */
final class SeedBootstrap {
    /** Per cell, sorted: per seed, sorted: its runs. */
    private final List<List<List<ScalingRow>>> cells = new ArrayList<>();
    private final int maxSeedsPerCell;

    SeedBootstrap(List<ScalingRow> rows) {
        Comparator<ScalingRow> byCell = Comparator.comparingInt(ScalingRow::widthExponent).thenComparingDouble(ScalingRow::dataFraction)
                .thenComparingDouble(ScalingRow::dropout);
        Map<ScalingRow, Map<Long, List<ScalingRow>>> byKey = new TreeMap<>(byCell);
        for (ScalingRow r : rows) byKey.computeIfAbsent(r, k -> new TreeMap<>()).computeIfAbsent(r.seed(), k -> new ArrayList<>()).add(r);
        int max = 0;
        for (Map<Long, List<ScalingRow>> seeds : byKey.values()) {
            cells.add(new ArrayList<>(seeds.values()));
            max = Math.max(max, seeds.size());
        }
        maxSeedsPerCell = max;
    }

    /** Whether resampling can change anything: some cell has 2 or more seeds. */
    boolean canResample() {
        return maxSeedsPerCell >= 2;
    }

    /** One resample's runs. */
    List<ScalingRow> draw(SplittableRandom rng) {
        List<ScalingRow> out = new ArrayList<>();
        for (List<List<ScalingRow>> seeds : cells) {
            for (int i = 0; i < seeds.size(); i++) out.addAll(seeds.get(rng.nextInt(seeds.size())));
        }
        return out;
    }

    /**
     * Refits {@code refit} (which returns one value per exponent, NaN where a resample cannot be fitted) on
     * {@code resamples} resamples drawn from {@code seed}; {@code full} are the values on all runs.
     */
    Exponent[] exponents(long seed, int resamples, double[] full, Function<List<ScalingRow>, double[]> refit) {
        Exponent[] out = new Exponent[full.length];
        if (!canResample() || resamples <= 0) {
            for (int j = 0; j < full.length; j++) out[j] = Exponent.point(full[j]);
            return out;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] values = new double[full.length][resamples];
        int[] counts = new int[full.length];
        for (int r = 0; r < resamples; r++) {
            double[] v = refit.apply(draw(rng));
            for (int j = 0; j < full.length; j++) if (Double.isFinite(v[j])) values[j][counts[j]++] = v[j];
        }
        for (int j = 0; j < full.length; j++) out[j] = summarise(full[j], Arrays.copyOf(values[j], counts[j]));
        return out;
    }

    static Exponent summarise(double full, double[] values) {
        if (values.length < 2) return Exponent.point(full);
        Arrays.sort(values);
        double mean = 0;
        for (double v : values) mean += v;
        mean /= values.length;
        double ss = 0;
        for (double v : values) ss += (v - mean) * (v - mean);
        return new Exponent(full, percentile(values, 0.025), percentile(values, 0.975), Math.sqrt(ss / (values.length - 1)), values.length);
    }

    /** The p-quantile of sorted values, linearly interpolated (R's type 7). */
    static double percentile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int i = (int) Math.floor(h);
        return i + 1 < sorted.length ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
    }
}
