package dev.panoptim.sweep;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

class HyperbandTest {
    static final SweepConfig.Metric LOSS = new SweepConfig.Metric("loss", false, null);
    static final SweepConfig.Metric ACCURACY = new SweepConfig.Metric("accuracy", true, null);

    static SweepConfig.EarlyTerminate minIter(int minIter, Integer eta) {
        return new SweepConfig.EarlyTerminate("hyperband", minIter, null, null, eta, false);
    }

    static SweepConfig.EarlyTerminate maxIter(int maxIter, int s, Integer eta, boolean strict) {
        return new SweepConfig.EarlyTerminate("hyperband", null, maxIter, s, eta, strict);
    }

    static SweepConfig yaml(String earlyTerminate) {
        return SweepConfig.parse("""
                method: random
                metric: {name: loss, goal: minimize}
                parameters: {lr: {min: 0.0, max: 1.0}}
                early_terminate: %s
                """.formatted(earlyTerminate), false, "test");
    }

    @Test
    void minIterBandsAreMinIterTimesEtaPowersAsInWandb() {
        // docs.wandb.ai: min_iter 3 gives [3, 3*eta, 3*eta*eta, 3*eta*eta*eta] = [3, 9, 27, 81]; W&B goes on (100
        // bands), so the list runs to the last power of 3 a history can reach: 3^19 = 1162261467 <= 2^31 - 1 < 3^20
        List<Integer> bands = Hyperband.of(minIter(3, null), LOSS).bands();
        assertEquals(List.of(3, 9, 27, 81), bands.subList(0, 4));
        assertEquals(19, bands.size());
        assertEquals(1162261467, bands.getLast());
        assertEquals(List.of(2, 4, 8, 16), Hyperband.of(minIter(2, 2), LOSS).bands().subList(0, 4));
        // s does not bound min_iter bands in W&B either
        var withS = new SweepConfig.EarlyTerminate("hyperband", 3, null, 2, 3, false);
        assertEquals(bands, Hyperband.of(withS, LOSS).bands());
    }

    @Test
    void maxIterBandsAreMaxIterOverEtaPowersTruncatedAsInWandb() {
        assertEquals(List.of(3, 9), Hyperband.of(maxIter(27, 2, null, false), LOSS).bands());      // docs.wandb.ai
        assertEquals(List.of(3, 9, 27), Hyperband.of(maxIter(81, 3, 3, false), LOSS).bands());    // wandb/sweeps tests
        assertEquals(List.of(2, 6), Hyperband.of(maxIter(18, 2, 3, false), LOSS).bands());        // 6.0, 2.0
        assertEquals(List.of(1, 2), Hyperband.of(maxIter(5, 2, 2, false), LOSS).bands());         // 2.5, 1.25 truncated
        assertEquals(List.of(1, 3), Hyperband.of(maxIter(9, 5, 3, false), LOSS).bands());         // 3, 1, then 1/3 < 1 ends it
        // max_iter wins over min_iter, as in W&B
        var both = new SweepConfig.EarlyTerminate("hyperband", 1, 27, 2, 3, false);
        assertEquals(List.of(3, 9), Hyperband.of(both, LOSS).bands());
    }

    /** Iterations 1..3 log {@code a}, 4..9 {@code b}, 10..27 {@code c}; cut to {@code len} values. */
    static List<Double> history(int len, double a, double b, double c) {
        List<Double> h = new ArrayList<>();
        for (int i = 1; i <= len; i++) h.add(i <= 3 ? a : i <= 9 ? b : c);
        return h;
    }

    /**
     * Nine runs judged at bands [3, 9, 27] (max_iter 81, s 3, eta 3), minimizing loss. Columns: logged values,
     * value at iteration 3, 9, 27 (the value stays until the next of these), state:
     * <pre>
     *   A 27  5  3  1  finished        F  5  9  9  -  running
     *   B 27  6  4  2  finished        G  4  1  1  -  running
     *   C 12  4  5  6  running         H  2 10  -  -  running (iterations 1-2)
     *   D  9  7  6  -  running         I  3 NaN -  -  running
     *   E  9  8  8  -  running
     * </pre>
     * Thresholds, the value at index int(n / 3) of the band's values sorted best first:
     * band 3: the 8 runs with 3+ values (not H): 1 4 5 6 7 8 9 NaN(worst), n 8, index 2 -> 5;
     * band 9: A3 B4 C5 D6 E8, n 5, index 1 -> 4; band 27: A1 B2, n 2, index 0 -> 1.
     * Running runs at their highest band, conservative (best so far) / strict (value at the band):
     * C band 9: best 4, not worse than 4 -> kept / value 5 > 4 -> stopped;
     * D band 9: 6 / 6 > 4 -> stopped; E band 9: 8 > 4 -> stopped; F band 3: 9 > 5 -> stopped;
     * G band 3: 1 -> kept; H below the first band -> kept; I band 3: NaN is the worst -> stopped.
     * A and B are finished (B would fail band 27: 2 > 1) so never returned.
     */
    static Map<String, List<Double>> table(boolean negate) {
        Map<String, List<Double>> t = new TreeMap<>();
        t.put("A", history(27, 5, 3, 1));
        t.put("B", history(27, 6, 4, 2));
        t.put("C", history(12, 4, 5, 6));
        t.put("D", history(9, 7, 6, 0));
        t.put("E", history(9, 8, 8, 0));
        t.put("F", history(5, 9, 9, 0));
        t.put("G", history(4, 1, 1, 0));
        t.put("H", history(2, 10, 0, 0));
        t.put("I", history(3, Double.NaN, 0, 0));
        if (negate) t.replaceAll((id, h) -> h.stream().map(v -> -v).toList());
        return t;
    }

    static final Set<String> RUNNING = Set.of("C", "D", "E", "F", "G", "H", "I");

    @Test
    void scriptedTableMinimize() {
        Hyperband conservative = Hyperband.of(maxIter(81, 3, 3, false), LOSS);
        assertEquals(List.of(3, 9, 27), conservative.bands());
        assertEquals(List.of(5.0, 4.0, 1.0), conservative.thresholds(table(false)));
        assertEquals(Set.of("D", "E", "F", "I"), conservative.toStop(table(false), RUNNING));
        Hyperband strict = Hyperband.of(maxIter(81, 3, 3, true), LOSS);
        assertEquals(Set.of("C", "D", "E", "F", "I"), strict.toStop(table(false), RUNNING));
    }

    @Test
    void scriptedTableMaximizeIsTheMirror() {
        // accuracy = -loss, goal maximize: the same runs are worse than the same (negated) thresholds
        Hyperband conservative = Hyperband.of(maxIter(81, 3, 3, false), ACCURACY);
        assertEquals(List.of(-5.0, -4.0, -1.0), conservative.thresholds(table(true)));
        assertEquals(Set.of("D", "E", "F", "I"), conservative.toStop(table(true), RUNNING));
        Hyperband strict = Hyperband.of(maxIter(81, 3, 3, true), ACCURACY);
        assertEquals(Set.of("C", "D", "E", "F", "I"), strict.toStop(table(true), RUNNING));
        // the same numbers minimized are read the other way round: now G (accuracy -1) is the worst at band 3
        assertTrue(Hyperband.of(maxIter(81, 3, 3, false), LOSS).toStop(table(true), RUNNING).contains("G"));
    }

    @Test
    void onlyRunningRunsAreReturned() {
        Hyperband h = Hyperband.of(maxIter(81, 3, 3, false), LOSS);
        assertEquals(Set.of(), h.toStop(table(false), Set.of()));
        // B (best 2 at band 27, threshold 1) is judged like any other once it is running
        assertEquals(Set.of("B", "D"), h.toStop(table(false), Set.of("A", "B", "D")));
        // a running id without a history, or one the sweep never heard of, is not judged
        assertEquals(Set.of("D"), h.toStop(table(false), Set.of("D", "nobody")));
    }

    @Test
    void runsBelowTheFirstBandAreNeverStopped() {
        Hyperband h = Hyperband.of(minIter(5, 2), LOSS);
        Map<String, List<Double>> histories = Map.of(
                "good", List.of(0.1, 0.1, 0.1, 0.1, 0.1, 0.1),
                "awful", List.of(99.0, 99.0, 99.0, 99.0),
                "diverged", List.of(Double.NaN, Double.NaN, Double.NaN, Double.NaN),
                "empty", List.of());
        assertEquals(Set.of(), h.toStop(histories, histories.keySet()));
        // one more value each and all three are at band 5: {0.1, 99, NaN} sorted, index int(3 / 2) = 1 -> 99;
        // awful ties it and stays, NaN is worse
        Map<String, List<Double>> later = Map.of(
                "good", List.of(0.1, 0.1, 0.1, 0.1, 0.1, 0.1),
                "awful", List.of(99.0, 99.0, 99.0, 99.0, 99.0),
                "diverged", List.of(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
        assertEquals(Set.of("diverged"), h.toStop(later, later.keySet()));
    }

    @Test
    void nonFiniteValuesAreTheWorstAndStillCountAsIterations() {
        // strict, band 2 (min_iter 2, eta 2): values 1, 2, NaN, +inf -> index int(4 / 2) = 2 -> the worst (+inf),
        // so nobody is strictly worse; with a fifth finite run the threshold is the third best (3) and both go
        Hyperband h = Hyperband.of(new SweepConfig.EarlyTerminate("hyperband", 2, null, null, 2, true), LOSS);
        Map<String, List<Double>> four = new LinkedHashMap<>();
        four.put("a", List.of(1.0, 1.0));
        four.put("b", List.of(2.0, 2.0));
        four.put("nan", List.of(0.5, Double.NaN));
        four.put("inf", List.of(0.5, Double.POSITIVE_INFINITY));
        assertEquals(Set.of(), h.toStop(four, four.keySet()));
        four.put("c", List.of(3.0, 3.0));
        assertEquals(Set.of("nan", "inf"), h.toStop(four, four.keySet()));
        // maximizing, NaN and an infinite accuracy are the worst too (W&B drops both as invalid)
        Hyperband max = Hyperband.of(new SweepConfig.EarlyTerminate("hyperband", 2, null, null, 2, true), ACCURACY);
        Map<String, List<Double>> acc = Map.of("a", List.of(0.9, 0.9), "b", List.of(0.8, 0.8), "c", List.of(0.7, 0.7),
                "nan", List.of(0.95, Double.NaN), "inf", List.of(0.95, Double.POSITIVE_INFINITY));
        assertEquals(Set.of("nan", "inf"), max.toStop(acc, acc.keySet()));
    }

    @Test
    void deterministicAndOrderIndependent() {
        Hyperband h = Hyperband.of(maxIter(81, 3, 3, true), LOSS);
        Map<String, List<Double>> reversed = new LinkedHashMap<>();
        new ArrayList<>(table(false).keySet()).reversed().forEach(id -> reversed.put(id, table(false).get(id)));
        Set<String> first = h.toStop(table(false), RUNNING);
        assertEquals(first, h.toStop(reversed, RUNNING));
        assertEquals(List.copyOf(first), List.copyOf(h.toStop(reversed, RUNNING)), "same iteration order");
    }

    @Test
    void fromParsedConfigWithWandbDefaults() {
        SweepConfig c = yaml("{type: hyperband, min_iter: 3}");
        Hyperband h = Hyperband.of(c.earlyTerminate(), c.metric());
        assertEquals(List.of(3, 9, 27, 81), h.bands().subList(0, 4));
        assertEquals("hyperband: bands [3, 9, 27, 81, 243, ...], eta 3, minimize loss, runs judged on their best"
                + " value so far", h.describe());
        SweepConfig strict = yaml("{type: hyperband, max_iter: 27, s: 2, eta: 3, strict: true}");
        assertEquals("hyperband: bands [3, 9], eta 3, minimize loss, runs judged on their value at the band (strict)",
                Hyperband.of(strict.earlyTerminate(), strict.metric()).describe());
    }

    static List<String> problems(String earlyTerminate) {
        return assertThrows(SweepConfigException.class, () -> yaml(earlyTerminate)).problems();
    }

    @Test
    void sweepConfigRejectsInvalidEarlyTerminateByPath() {
        assertEquals(List.of("early_terminate.eta: must be at least 2, not 1"), problems("{type: hyperband, min_iter: 3, eta: 1}"));
        assertEquals(List.of("early_terminate.min_iter: must be a positive integer, not 0",
                "early_terminate: needs min_iter, or max_iter with s"), problems("{type: hyperband, min_iter: 0}"));
        assertEquals(List.of("early_terminate: needs min_iter, or max_iter with s"), problems("{type: hyperband, eta: 3}"));
        assertEquals(List.of("early_terminate.s: missing (max_iter needs s)"), problems("{type: hyperband, min_iter: 1, max_iter: 27}"));
        assertEquals(List.of("early_terminate.max_iter: must be at least eta (3) to give a band, not 2"),
                problems("{type: hyperband, max_iter: 2, s: 1}"));
        assertEquals(List.of("early_terminate.max_iter: must be at least eta (4) to give a band, not 3"),
                problems("{type: hyperband, max_iter: 3, s: 1, eta: 4}"));
        assertEquals(List.of("early_terminate.min_iter: must be a positive integer, not 3000000000",
                "early_terminate: needs min_iter, or max_iter with s"), problems("{type: hyperband, min_iter: 3000000000}"));
    }

    @Test
    void invalidEarlyTerminateIsRejectedByOf() {
        assertEquals("hyperband needs an early_terminate config, not null",
                assertThrows(IllegalArgumentException.class, () -> Hyperband.of(null, LOSS)).getMessage());
        assertEquals("early_terminate: needs a metric to compare runs by, not null",
                assertThrows(IllegalArgumentException.class, () -> Hyperband.of(minIter(3, 3), null)).getMessage());
        assertEquals("early_terminate.eta: must be at least 2, not 1",
                assertThrows(IllegalArgumentException.class, () -> Hyperband.of(minIter(3, 1), LOSS)).getMessage());
        assertEquals("early_terminate.min_iter: must be a positive integer, not 0",
                assertThrows(IllegalArgumentException.class, () -> Hyperband.of(minIter(0, 3), LOSS)).getMessage());
        assertEquals("early_terminate: needs min_iter, or max_iter with s", assertThrows(IllegalArgumentException.class,
                () -> Hyperband.of(new SweepConfig.EarlyTerminate("hyperband", null, null, 2, 3, false), LOSS)).getMessage());
        assertEquals("early_terminate.s: missing (max_iter needs s)", assertThrows(IllegalArgumentException.class,
                () -> Hyperband.of(new SweepConfig.EarlyTerminate("hyperband", null, 27, null, 3, false), LOSS)).getMessage());
        assertEquals("early_terminate.max_iter: must be at least eta (3) to give a band, not 2",
                assertThrows(IllegalArgumentException.class, () -> Hyperband.of(maxIter(2, 1, 3, false), LOSS)).getMessage());
        assertEquals("early_terminate.type: must be hyperband, not envelope", assertThrows(IllegalArgumentException.class,
                () -> Hyperband.of(new SweepConfig.EarlyTerminate("envelope", 3, null, null, 3, false), LOSS)).getMessage());
        Hyperband h = Hyperband.of(minIter(1, 2), LOSS);
        assertEquals("run r: value 2 of loss is null", assertThrows(IllegalArgumentException.class,
                () -> h.toStop(Map.of("r", java.util.Arrays.asList(1.0, null)), Set.of("r"))).getMessage());
    }
}
