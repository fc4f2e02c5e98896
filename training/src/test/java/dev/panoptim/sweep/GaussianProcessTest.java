package dev.panoptim.sweep;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class GaussianProcessTest {
    @Test
    void interpolatesItsPointsWhereItsVarianceShrinks() {
        double[] xs = {0, 0.1, 0.2, 0.3, 0.85, 0.9, 1.0};
        double[][] x = new double[xs.length][];
        double[] y = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            x[i] = new double[] {xs[i]};
            y[i] = Math.sin(6 * xs[i]) + 3;
        }
        GaussianProcess gp = GaussianProcess.fit(x, y);
        double gap = gp.predict(new double[] {0.57})[1];
        for (int i = 0; i < xs.length; i++) {
            double[] mv = gp.predict(x[i]);
            assertEquals(y[i], mv[0], 0.01, "at " + xs[i]);
            assertTrue(mv[1] < gap / 100, "variance " + mv[1] + " at " + xs[i] + " vs " + gap + " in the gap");
        }
        assertTrue(Math.abs(gp.predict(new double[] {0.57})[0] - (Math.sin(6 * 0.57) + 3)) < 3 * Math.sqrt(gap),
                "the truth lies within the predicted spread");
    }

    @Test
    void fixedHyperparametersWithoutNoiseInterpolateExactly() {
        double[][] x = {{0.1, 0.2}, {0.5, 0.9}, {0.8, 0.3}};
        double[] y = {1, -2, 0.5};
        GaussianProcess gp = new GaussianProcess(x, y, new double[] {0.3, 0.3}, 1, 0, 0, 1);
        for (int i = 0; i < x.length; i++) assertEquals(y[i], gp.predict(x[i])[0], 1e-6);
        assertEquals(1, gp.predict(new double[] {100, 100})[1], 1e-9, "far away: the prior variance");
        assertEquals(0, gp.predict(new double[] {100, 100})[0], 1e-9, "far away: the prior mean");
    }

    @Test
    void anIrrelevantDimensionGetsALongerLengthScale() {
        SplittableRandom rng = new SplittableRandom(3);
        double[][] x = new double[25][];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {rng.nextDouble(), rng.nextDouble()};
            y[i] = Math.sin(8 * x[i][0]);
        }
        GaussianProcess gp = GaussianProcess.fit(x, y);
        assertTrue(gp.lengths()[1] > 3 * gp.lengths()[0], java.util.Arrays.toString(gp.lengths()));
        assertTrue(gp.noise() < 1e-2, "noiseless data: " + gp.noise());
    }

    @Test
    void aCovarianceThatIsNotPositiveDefiniteIsRefused() {
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> GaussianProcess.cholesky(new double[][] {{1, 2}, {2, 1}}));
        assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GaussianProcess.fit(new double[][] {{0.5}}, new double[] {1, 2}));
    }

    @Test
    void longSweepsFitTheirHyperparametersOnTheBestAndASpreadOfTheRest() {
        int n = 500;
        double[][] x = new double[n][];
        double[] y = new double[n];
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {rng.nextDouble(), rng.nextDouble()};
            y[i] = Math.sin(6 * x[i][0]) + (x[i][1] - 0.3) * (x[i][1] - 0.3);
        }
        int[] rows = GaussianProcess.fitRows(y);
        assertEquals(GaussianProcess.FIT_POINTS, rows.length);
        assertEquals(rows.length, java.util.Arrays.stream(rows).distinct().count(), "no row twice");
        double[] sorted = y.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < GaussianProcess.FIT_POINTS / 3; i++) {
            double v = sorted[i];
            assertTrue(java.util.Arrays.stream(rows).anyMatch(r -> y[r] == v), "the " + i + "th lowest target is in the fit");
        }
        assertEquals(7, GaussianProcess.fitRows(new double[7]).length, "short sweeps fit on every point");
        GaussianProcess gp = GaussianProcess.fit(x, y);
        for (int i = 0; i < n; i += 37) {
            assertEquals(y[i], gp.predict(x[i])[0], 0.05, "conditioned on every point, the fit subset or not: " + i);
        }
    }
}
