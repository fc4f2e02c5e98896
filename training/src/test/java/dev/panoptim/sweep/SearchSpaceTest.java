package dev.panoptim.sweep;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SearchSpaceTest {
    static final SweepConfig EVERY = SweepTest.yaml("""
            method: bayes
            metric: {name: loss}
            parameters:
              u: {distribution: uniform, min: -1, max: 1}
              qu: {distribution: q_uniform, min: 0, max: 10, q: 2.5}
              qui: {distribution: q_uniform, min: 0, max: 9, q: 3}
              i: {distribution: int_uniform, min: 1, max: 4}
              lu: {distribution: log_uniform, min: -3, max: 0}
              qlu: {distribution: q_log_uniform, min: 0, max: 5, q: 2}
              luv: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
              qluv: {distribution: q_log_uniform_values, min: 1, max: 1000, q: 1}
              ilu: {distribution: inv_log_uniform, min: 0, max: 2}
              iluv: {distribution: inv_log_uniform_values, min: 0.01, max: 1.0}
              n: {distribution: normal, mu: 3, sigma: 0.5}
              qn: {distribution: q_normal, mu: 0, sigma: 10, q: 5}
              ln: {distribution: log_normal, mu: 0, sigma: 1}
              qln: {distribution: q_log_normal, mu: 2, sigma: 1, q: 0.5}
              be: {distribution: beta, a: 2, b: 5}
              qbe: {distribution: q_beta, a: 0.5, b: 0.5, q: 0.1}
              cat: {values: [a, 7, {x: 1}], probabilities: [0.5, 0.3, 0.2]}
              k: {value: kept}
              opt: {parameters: {name: {values: [adam, sgd]}, beta: {min: 0.5, max: 0.99}, eps: {value: 1.0e-8}}}
            """);

    @Test
    void axesAreTheFlattenedNonConstantParameters() {
        SearchSpace s = new SearchSpace(EVERY.parameters());
        assertEquals(19, s.dimensions());
        assertEquals(List.of("opt", "beta"), s.axes().getLast().path());
        Map<String, Object> v = s.values(new double[s.dimensions()]);
        assertEquals("kept", v.get("k"));
        assertEquals(1.0e-8, ((Map<?, ?>) v.get("opt")).get("eps"));
        assertEquals(List.copyOf(EVERY.parameters().keySet()), List.copyOf(v.keySet()), "declaration order");
    }

    @Test
    void valuesRoundTripThroughTheCube() {
        SearchSpace s = new SearchSpace(EVERY.parameters());
        for (int t = 0; t < 300; t++) {
            Map<String, Object> drawn = RandomSearch.trial(EVERY.parameters(), 5, t);
            double[] u = s.point(drawn);
            assertNotNull(u, drawn.toString());
            for (double c : u) assertTrue(c >= 0 && c <= 1, drawn + " -> " + c);
            assertSameValues(drawn, s.values(u), "");
        }
    }

    /** Discrete values equal (numbers as the same type), continuous ones to 1e-9 relative. */
    @SuppressWarnings("unchecked")
    private static void assertSameValues(Map<String, Object> expected, Map<String, Object> actual, String prefix) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            Object e = expected.get(k), a = actual.get(k);
            if (e instanceof Map<?, ?> m && !k.equals("cat")) assertSameValues((Map<String, Object>) m, (Map<String, Object>) a, prefix + k + ".");
            else if (e instanceof Double d) assertEquals(d, (Double) a, 1e-9 * Math.max(1, Math.abs(d)), prefix + k);
            else assertEquals(e, a, prefix + k);
        }
    }

    @Test
    void pointsRoundTripThroughTheValues() {
        SearchSpace s = new SearchSpace(EVERY.parameters());
        double[] u = new double[s.dimensions()];
        for (double c : new double[] {0.01, 0.2, 0.5, 0.77, 0.99}) {
            java.util.Arrays.fill(u, c);
            double[] back = s.point(s.values(u));
            for (int k = 0; k < u.length; k++) {
                if (!s.axes().get(k).discrete()) assertEquals(c, back[k], 1e-9, s.axes().get(k).path().toString());
                else assertEquals(back[k], s.snap(k, c), 1e-12, "a discrete axis maps back to its snapped point");
            }
        }
    }

    @Test
    void mappingBackRespectsTheDistribution() {
        SearchSpace s = new SearchSpace(EVERY.parameters());
        double[] u = new double[s.dimensions()];
        for (double c : new double[] {0, 1e-300, 0.3, 0.999, 1}) {
            java.util.Arrays.fill(u, c);
            Map<String, Object> v = s.values(u);
            assertEquals(0, (Double) v.get("qu") % 2.5, 1e-12);
            long qui = (Long) v.get("qui");
            assertTrue(qui % 3 == 0 && qui >= 0 && qui <= 9, "q rounding stays in [min, max]: " + qui);
            long i = (Long) v.get("i");
            assertTrue(i >= 1 && i <= 4);
            double lu = (Double) v.get("lu");
            assertTrue(lu >= Math.exp(-3) && lu <= 1);
            double luv = (Double) v.get("luv");
            assertTrue(luv >= 1e-4 && luv <= 0.1);
            long qluv = (Long) v.get("qluv");
            assertTrue(qluv >= 1 && qluv <= 1000);
            double iluv = (Double) v.get("iluv");
            assertTrue(iluv >= 0.01 && iluv <= 1);
            assertTrue(Double.isFinite((Double) v.get("n")), "the normal's tails are cut, not infinite");
            assertEquals(0, (Long) v.get("qn") % 5);
            assertEquals(0, (Double) v.get("qln") % 0.5, 1e-12);
            double be = (Double) v.get("be");
            assertTrue(be >= 0 && be <= 1);
        }
        java.util.Arrays.fill(u, 0);
        assertEquals(1L, s.values(u).get("i"));
        java.util.Arrays.fill(u, 1);
        assertEquals(4L, s.values(u).get("i"));
        assertEquals(0.1, (Double) s.values(u).get("luv"), 1e-15);
    }

    @Test
    void categoricalBinsAreAsWideAsTheirProbabilitiesAndGiveTheConfigsObjects() {
        Parameter.Categorical cat = (Parameter.Categorical) EVERY.parameters().get("cat");
        assertSame(cat.values().get(0), SearchSpace.value(cat, 0.49));
        assertSame(cat.values().get(1), SearchSpace.value(cat, 0.51));
        assertSame(cat.values().get(1), SearchSpace.value(cat, 0.79));
        assertSame(cat.values().get(2), SearchSpace.value(cat, 0.81));
        assertEquals(0.25, SearchSpace.unit(cat, "a"), 1e-12);
        assertEquals(0.65, SearchSpace.unit(cat, 7L), 1e-12, "a Long from JSON matches the config's Integer");
        assertEquals(0.9, SearchSpace.unit(cat, Map.of("x", 1)), 1e-12);
    }

    @Test
    void valuesItCannotPlaceAreNoPoint() {
        SweepConfig c = SweepTest.yaml("method: bayes\nmetric: {name: l}\nparameters:\n  c: {values: [a, b]}\n  x: {min: 0.0, max: 1.0}\n"
                + "  lv: {distribution: log_uniform_values, min: 0.1, max: 1.0}\n");
        SearchSpace s = new SearchSpace(c.parameters());
        assertNotNull(s.point(Map.of("c", "a", "x", 0.5, "lv", 0.5, "unrelated", 3)));
        assertNull(s.point(Map.of("c", "z", "x", 0.5, "lv", 0.5)), "not one of the values");
        assertNull(s.point(Map.of("c", "a", "lv", 0.5)), "x missing");
        assertNull(s.point(Map.of("c", "a", "x", "high", "lv", 0.5)), "not a number");
        assertNull(s.point(Map.of("c", "a", "x", 7.0, "lv", 0.5)), "outside [min, max]");
        assertNull(s.point(Map.of("c", "a", "x", 0.5, "lv", -1.0)), "no logarithm");
    }

    @Test
    void specialFunctionsMatchKnownValues() {
        assertEquals(0.9750021048517795, Probability.normalCdf(1.96), 1e-15);
        assertEquals(0.5, Probability.normalCdf(0), 1e-16);
        assertEquals(2.866515718791939e-7, Probability.normalCdf(-5), 1e-20);
        assertEquals(1.959963984540054, Probability.normalQuantile(0.975), 1e-12);
        assertEquals(-4.753424308822899, Probability.normalQuantile(1e-6), 1e-9);
        assertEquals(Math.log(24), Probability.logGamma(5), 1e-13);
        assertEquals(0.5 * Math.log(Math.PI), Probability.logGamma(0.5), 1e-13);
        // Beta(2, 5) at 0.3: 1 - (0.7^6 + 6 * 0.3 * 0.7^5)
        assertEquals(0.579825, Probability.betaCdf(0.3, 2, 5), 1e-12);
        assertEquals(2 / Math.PI * Math.asin(Math.sqrt(0.2)), Probability.betaCdf(0.2, 0.5, 0.5), 1e-12, "the arcsine law");
        assertEquals(0.3, Probability.betaQuantile(0.579825, 2, 5), 1e-12);
    }
}
