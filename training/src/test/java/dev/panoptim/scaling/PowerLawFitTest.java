package dev.panoptim.scaling;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PowerLawFitTest {
    /** n computes log-spaced over [lo, hi]. */
    private static double[] computes(int n, double lo, double hi) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) c[i] = lo * Math.pow(hi / lo, i / (n - 1.0));
        return c;
    }

    @Test
    void recoversAPurePowerLawFromNoisyData() {
        // L = 3 C^-0.15 with 1% log-normal noise, 25 points over 6 decades. The slope's standard error is
        // 0.01 / sqrt(sum (ln C - mean)^2) = 0.01 / 20 = 0.0005; 0.005 is 10 of them, so only a wrong fit fails.
        Random rng = new Random(42);
        double[] c = computes(25, 1e10, 1e16), l = new double[25];
        for (int i = 0; i < 25; i++) l[i] = 3 * Math.pow(c[i], -0.15) * Math.exp(0.01 * rng.nextGaussian());
        PowerLawFit.Choice fit = PowerLawFit.choose(c, l);
        assertEquals(-0.15, fit.chosen().exponent(), 0.005);
        assertEquals(3, fit.chosen().scale(), 3 * 0.1);   // ln a's error is about 20x the slope's (ln C is ~30 from 0)
        assertFalse(fit.floorKept(), "no irreducible term in the data, F-test p = " + fit.pValue());
    }

    @Test
    void recoversAnIrreducibleTerm() {
        // L = 40 C^-0.25 + 1.5, 0.5% log-normal noise, 30 points over 6 decades (the reducible part falls from
        // 1.3 to 0.04). Over 200 noise draws this fit's exponent has sd ~0.004 and its floor ~0.004 (measured);
        // the tolerances are 5 of those.
        Random rng = new Random(7);
        double[] c = computes(30, 1e6, 1e12), l = new double[30];
        for (int i = 0; i < 30; i++) l[i] = (40 * Math.pow(c[i], -0.25) + 1.5) * Math.exp(0.005 * rng.nextGaussian());
        PowerLawFit.Choice fit = PowerLawFit.choose(c, l);
        assertTrue(fit.floorKept(), "F-test p = " + fit.pValue());
        assertEquals(-0.25, fit.chosen().exponent(), 0.02);
        assertEquals(1.5, fit.chosen().floor(), 0.02);
        assertTrue(fit.pure().rss() > fit.withFloor().rss());
    }

    @Test
    void exactDataIsFittedExactly() {
        // No noise: the only error is the optimiser's (golden section on b to ~1e-9 relative).
        double[] c = computes(12, 1e8, 1e14), l = new double[12];
        for (int i = 0; i < 12; i++) l[i] = 25 * Math.pow(c[i], -0.3) + 0.7;
        PowerLaw law = PowerLawFit.withFloor(c, l);
        assertEquals(-0.3, law.exponent(), 1e-6);
        assertEquals(0.7, law.floor(), 1e-6);
        assertEquals(25, law.scale(), 25e-5);
        assertEquals("L = 25·C^-0.300 + 0.7", law.equation("L", "C"));
    }

    @Test
    void growingLawsFitToo() {
        double[] c = computes(8, 1e9, 1e15), n = new double[8];
        for (int i = 0; i < 8; i++) n[i] = 0.1 * Math.pow(c[i], 0.5);
        PowerLaw law = PowerLawFit.pure(c, n);
        assertEquals(0.5, law.exponent(), 1e-12);
        assertEquals(0.1, law.scale(), 1e-9);
    }
}
