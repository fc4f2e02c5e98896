package dev.panoptim.landscape;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossSurfaceTest {
    private static final String[] SPECS = {"pathological", "rosenbrock", "rosenbrock:a=-0.5,b=20", "trimodal", "gaussian",
        "gaussian:x_mean=0.3,y_mean=-1,x_sig=0.5,y_sig=2"};

    /** The analytic gradient against central differences in double at 500 random points of the window. */
    @ParameterizedTest
    @ValueSource(strings = {"pathological", "rosenbrock", "rosenbrock:a=-0.5,b=20", "trimodal", "gaussian",
        "gaussian:x_mean=0.3,y_mean=-1,x_sig=0.5,y_sig=2"})
    void gradientMatchesCentralDifferences(String spec) {
        LossSurface s = LossSurface.builtIn(spec);
        LossSurface.Window w = s.window();
        Random rnd = new Random(spec.hashCode());
        double worst = 0;
        for (int i = 0; i < 500; i++) {
            double x = w.xMin() + (w.xMax() - w.xMin()) * rnd.nextDouble();
            double y = w.yMin() + (w.yMax() - w.yMin()) * rnd.nextDouble();
            if (Math.abs(x) < 1e-3) continue;   // pathological's |x| has a kink at 0
            double[] g = s.gradient(x, y);
            double[] n = LossSurface.centralDifferences(s::value, x, y);
            for (int k = 0; k < 2; k++) {
                double err = Math.abs(g[k] - n[k]) / (1e-6 + 1e-6 * Math.abs(n[k]));
                worst = Math.max(worst, err);
                assertTrue(err <= 1, spec + " at (" + x + ", " + y + "): d/d" + (k == 0 ? "x" : "y") + " analytic " + g[k]
                        + ", central differences " + n[k]);
            }
        }
        System.out.printf("%s: gradient vs central differences, worst error %.3g of tolerance (1e-6 + 1e-6 |g|)%n", spec, worst);
    }

    /** Every finite documented minimum: value as documented, gradient ~0, and lower than a ring around it. */
    @ParameterizedTest
    @ValueSource(strings = {"rosenbrock", "rosenbrock:a=-0.5,b=20", "trimodal", "gaussian", "gaussian:x_mean=0.3,y_mean=-1,x_sig=0.5,y_sig=2"})
    void minimaAreWhereDocumented(String spec) {
        LossSurface s = LossSurface.builtIn(spec);
        assertTrue(!s.minima().isEmpty());
        for (LossSurface.Minimum m : s.minima()) {
            assertTrue(m.isFinite(), m.toString());
            assertEquals(m.value(), s.value(m.x(), m.y()), 1e-12, m.toString());
            double[] g = s.gradient(m.x(), m.y());
            assertTrue(Math.hypot(g[0], g[1]) < 1e-8, spec + " gradient at " + m + ": " + g[0] + ", " + g[1]);
            for (int k = 0; k < 16; k++) {
                double a = k * Math.PI / 8;
                for (double r : new double[] {1e-3, 1e-2}) {
                    double v = s.value(m.x() + r * Math.cos(a), m.y() + r * Math.sin(a));
                    assertTrue(v > m.value(), spec + ": f near " + m + " is " + v + ", not above " + m.value());
                }
            }
        }
    }

    @Test
    void documentedValues() {
        assertEquals(1, LossSurface.rosenbrock().minima().getFirst().value(), 0);
        assertEquals(1.0, LossSurface.rosenbrock().minima().getFirst().x());
        assertEquals(1.0, LossSurface.rosenbrock().minima().getFirst().y());
        assertEquals(3, LossSurface.trimodal().minima().size());
        for (LossSurface.Minimum m : LossSurface.trimodal().minima()) assertEquals(-1 / (2 * Math.PI * 0.04), m.value(), 1e-9);
        assertEquals(-1 / (2 * Math.PI), LossSurface.gaussian().value(0, 0), 1e-15);
        assertTrue(LossSurface.rosenbrock().logScale());
        assertEquals(Math.tanh(1) * Math.tanh(1) + 0.01 + 1 / (1 + Math.exp(-2)), LossSurface.pathological().value(-1, 2), 1e-15);
    }

    /** pathological: no finite minimum; the infimum 0 is approached along x = 0 as y decreases. */
    @Test
    void pathologicalHasItsInfimumAtMinusInfinity() {
        LossSurface s = LossSurface.pathological();
        LossSurface.Minimum m = s.minima().getFirst();
        assertEquals(0, m.x());
        assertEquals(Double.NEGATIVE_INFINITY, m.y());
        assertEquals(0, m.value());
        double previous = Double.POSITIVE_INFINITY;
        for (double y = 5; y >= -40; y -= 5) {
            double v = s.value(0, y);
            assertTrue(v < previous, "f(0, y) decreases as y decreases");
            assertTrue(s.gradient(0, y)[1] > 0, "df/dy > 0 everywhere: no finite minimum");
            assertTrue(s.value(0.01, y) > v && s.value(-0.01, y) > v, "x = 0 is the valley floor");
            previous = v;
        }
        assertTrue(s.value(0, -40) < 1e-15);
    }

    @Test
    void builtInSpecErrorsListTheValidChoices() {
        var e = assertThrows(IllegalArgumentException.class, () -> LossSurface.builtIn("himmelblau"));
        assertTrue(e.getMessage().contains("unknown function 'himmelblau'") && e.getMessage().contains(
                "pathological, rosenbrock, trimodal, gaussian"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossSurface.builtIn("rosenbrock:c=3"));
        assertTrue(e.getMessage().contains("unknown parameter 'c'") && e.getMessage().contains("valid: a, b"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossSurface.builtIn("trimodal:a=1"));
        assertTrue(e.getMessage().contains("takes no parameters"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossSurface.builtIn("rosenbrock:a"));
        assertTrue(e.getMessage().contains("expected KEY=VALUE"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossSurface.builtIn("gaussian:x_sig=wide"));
        assertTrue(e.getMessage().contains("'wide' is not a finite number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossSurface.builtIn("gaussian:x_sig=-1"));
        assertTrue(e.getMessage().contains("x_sig and y_sig must be finite numbers > 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LossSurface.builtIn("rosenbrock:b=0"));
        assertThrows(IllegalArgumentException.class, () -> LossSurface.builtIn(""));
        assertEquals("rosenbrock", LossSurface.builtIn(" Rosenbrock ").name());
        for (String spec : SPECS) assertTrue(LossSurface.BUILT_IN.contains(LossSurface.builtIn(spec).name()));
    }
}
