package dev.panoptim.sweep;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class RandomForestTest {
    /** y = 5 x0 + 2 x1 + noise; x2 is noise the target never sees. */
    static double[][] x(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][3];
        for (double[] row : x) for (int f = 0; f < 3; f++) row[f] = r.nextDouble();
        return x;
    }

    static double[] y(double[][] x, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return Arrays.stream(x).mapToDouble(row -> 5 * row[0] + 2 * row[1] + 0.05 * (r.nextDouble() - 0.5)).toArray();
    }

    @Test
    void importancesRankStrongWeakAndIrrelevantFeatures() {
        double[][] x = x(300, 1);
        double[] imp = RandomForest.fit(x, y(x, 2), RandomForest.Options.defaults(3)).featureImportances();
        assertEquals(1.0, imp[0] + imp[1] + imp[2], 1e-9, Arrays.toString(imp));
        assertTrue(imp[0] > imp[1] && imp[1] > imp[2], Arrays.toString(imp));
        assertTrue(imp[0] > 0.7, Arrays.toString(imp));
        assertTrue(imp[1] > 0.05, Arrays.toString(imp));
        assertTrue(imp[2] < 0.02, "the irrelevant feature is near 0: " + Arrays.toString(imp));
    }

    @Test
    void sqrtFeaturesStillFindTheSignal() {
        double[][] x = x(300, 4);
        RandomForest.Options o = new RandomForest.Options(60, RandomForest.MaxFeatures.SQRT, 2, Integer.MAX_VALUE, 5);
        double[] imp = RandomForest.fit(x, y(x, 6), o).featureImportances();
        assertEquals(1.0, Arrays.stream(imp).sum(), 1e-9);
        assertTrue(imp[0] > imp[1] && imp[1] > imp[2], Arrays.toString(imp));
    }

    @Test
    void predictionsFitAStepFunction() {
        int n = 200;
        double[][] x = new double[n][1];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = i / (double) n;
            y[i] = x[i][0] < 0.3 ? -1 : x[i][0] < 0.7 ? 2 : 5;
        }
        RandomForest forest = RandomForest.fit(x, y, RandomForest.Options.defaults(7));
        for (double at : new double[] {0.05, 0.2, 0.25}) assertEquals(-1, forest.predict(new double[] {at}), 1e-9, "at " + at);
        for (double at : new double[] {0.35, 0.5, 0.65}) assertEquals(2, forest.predict(new double[] {at}), 1e-9, "at " + at);
        for (double at : new double[] {0.75, 0.9, 0.99}) assertEquals(5, forest.predict(new double[] {at}), 1e-9, "at " + at);
        // Near the steps, trees whose bootstrap missed the edge samples disagree on where the step lies.
        double edge = forest.predict(new double[] {0.2999});
        assertTrue(edge >= -1 && edge <= 2, "between the two levels: " + edge);
    }

    @Test
    void aSeedReplaysTheForest() {
        double[][] x = x(120, 8);
        double[] y = y(x, 9);
        RandomForest a = RandomForest.fit(x, y, RandomForest.Options.defaults(42)), b = RandomForest.fit(x, y, RandomForest.Options.defaults(42));
        RandomForest c = RandomForest.fit(x, y, RandomForest.Options.defaults(43));
        assertArrayEquals(a.featureImportances(), b.featureImportances());
        double[] probe = {0.31, 0.52, 0.77};
        assertEquals(a.predict(probe), b.predict(probe));
        assertFalse(Arrays.equals(a.featureImportances(), c.featureImportances()), "another seed draws other bootstraps");
    }

    @Test
    void aConstantTargetHasNoImportance() {
        double[][] x = x(20, 10);
        double[] y = new double[20];
        Arrays.fill(y, 0.1);
        RandomForest forest = RandomForest.fit(x, y, RandomForest.Options.defaults(1));
        assertArrayEquals(new double[3], forest.featureImportances());
        assertEquals(0.1, forest.predict(new double[] {0.5, 0.5, 0.5}), 1e-12);
    }

    @Test
    void minSamplesLeafAndMaxDepthLimitTheTrees() {
        double[][] x = {{0}, {1}, {2}, {3}};
        double[] y = {0, 10, 20, 30};
        // One tree, depth 1, on all four points (the bootstrap repeats some): a single split into two means.
        RandomForest stump = RandomForest.fit(x, y, new RandomForest.Options(1, RandomForest.MaxFeatures.ALL, 1, 1, 0));
        double lo = stump.predict(new double[] {0}), hi = stump.predict(new double[] {3});
        assertTrue(lo < hi);
        assertEquals(lo, stump.predict(new double[] {-5}));
        assertEquals(hi, stump.predict(new double[] {8}));
        RandomForest wide = RandomForest.fit(x, y, new RandomForest.Options(1, RandomForest.MaxFeatures.ALL, 5, Integer.MAX_VALUE, 0));
        assertEquals(wide.predict(new double[] {0}), wide.predict(new double[] {3}), "leaves of 5 cannot split 4 samples");
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RandomForest.fit(new double[][] {{1}, {Double.NaN}}, new double[] {1, 2}, RandomForest.Options.defaults(0)));
        assertTrue(e.getMessage().contains("x[1][0] is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RandomForest.Options(0, RandomForest.MaxFeatures.ALL, 1, 1, 0));
        assertTrue(e.getMessage().contains("not 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RandomForest.fit(new double[][] {{1}, {2}}, new double[] {1}, RandomForest.Options.defaults(0)));
        assertTrue(e.getMessage().contains("2 rows but y has 1"), e.getMessage());
    }
}
