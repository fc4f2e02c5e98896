package dev.panoptim.sweep;

import dev.panoptim.track.RunState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.panoptim.sweep.SweepSimulation.branin;
import static dev.panoptim.sweep.SweepSimulation.meanTrialsToReach;
import static dev.panoptim.sweep.SweepSimulation.number;
import static org.junit.jupiter.api.Assertions.*;

/** bayes and tpe against random search on known functions, and how they read a sweep's history. */
class SearchMethodsTest {
    static final String LINE = "  x: {distribution: uniform, min: -2.0, max: 3.0}\n";
    static final String BOX = "  x1: {distribution: uniform, min: -5.0, max: 10.0}\n  x2: {distribution: uniform, min: 0.0, max: 15.0}\n";
    static final String MIXED = """
              lr: {distribution: log_uniform_values, min: 0.00001, max: 0.1}
              layers: {min: 1, max: 12}
              act: {values: [tanh, relu, gelu]}
              fixed: {value: 3}
            """;

    static SweepConfig config(String method, String goal, String parameters) {
        return SweepTest.yaml("method: " + method + "\nmetric: {name: y, goal: " + goal + "}\nparameters:\n" + parameters);
    }

    static double parabola(Map<String, Object> v) {
        return Math.pow(number(v, "x") - 1.3, 2);
    }

    static double mixed(Map<String, Object> v) {
        double lr = Math.log10(number(v, "lr")) + 3;
        assertInstanceOf(Long.class, v.get("layers"));
        assertEquals(3, v.get("fixed"));
        return lr * lr + Math.pow(number(v, "layers") - 6, 2) / 4 + (v.get("act").equals("relu") ? 0 : 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bayes", "tpe"})
    void findsTheMinimumOfAParabolaSoonerThanRandomSearch(String method) {
        double random = meanTrialsToReach(config("random", "minimize", LINE), 20, 40, SearchMethodsTest::parabola, 1e-3);
        double learned = meanTrialsToReach(config(method, "minimize", LINE), 20, 40, SearchMethodsTest::parabola, 1e-3);
        assertTrue(learned < random, method + " took " + learned + " trials on average, random search " + random);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bayes", "tpe"})
    void findsAMinimumOfBraninSoonerThanRandomSearchMinimizingAndMaximizing(String method) {
        double random = meanTrialsToReach(config("random", "minimize", BOX), 20, 80, v -> branin(number(v, "x1"), number(v, "x2")), 1.0);
        double min = meanTrialsToReach(config(method, "minimize", BOX), 20, 80, v -> branin(number(v, "x1"), number(v, "x2")), 1.0);
        double max = meanTrialsToReach(config(method, "maximize", BOX), 20, 80, v -> -branin(number(v, "x1"), number(v, "x2")), -1.0);
        assertTrue(min < random, method + " took " + min + " trials on average, random search " + random);
        assertEquals(min, max, "maximizing -f is minimizing f: the same trials");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bayes", "tpe"})
    void searchesIntsCategoricalsAndLogScales(String method) {
        double random = meanTrialsToReach(config("random", "minimize", MIXED), 10, 60, SearchMethodsTest::mixed, 0.3);
        double learned = meanTrialsToReach(config(method, "minimize", MIXED), 10, 60, SearchMethodsTest::mixed, 0.3);
        assertTrue(learned < random, method + " took " + learned + " trials on average, random search " + random);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bayes", "tpe"})
    void avoidsWhereTrialsFail(String method) {
        SweepConfig c = config(method, "minimize", LINE);
        int failing = 0, proposals = 0;
        for (long seed = 1; seed <= 10; seed++) {
            List<Observation> history = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Map<String, Object> v = Sweeps.trialValues(c, seed, i, List.copyOf(history));
                boolean fails = number(v, "x") < 0;   // 40% of the range
                if (i >= 15) {
                    proposals++;
                    if (fails) failing++;
                }
                history.add(fails ? new Observation(v, i % 2 == 0 ? RunState.FAILED : RunState.CRASHED, Double.NaN)
                        : new Observation(v, RunState.FINISHED, parabola(v)));
            }
        }
        assertTrue(failing < 0.3 * proposals, method + " proposed " + failing + " of " + proposals + " late trials where runs fail");
    }

    /** n finished trials of random search on the parabola. */
    static List<Observation> finished(SweepConfig c, int n) {
        List<Observation> history = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> v = RandomSearch.trial(c.parameters(), 99, i);
            history.add(new Observation(v, RunState.FINISHED, parabola(v)));
        }
        return history;
    }

    @ParameterizedTest
    @ValueSource(strings = {"bayes", "tpe"})
    void replaysGivenTheSameSeedAndHistory(String method) {
        SweepConfig c = config(method, "minimize", LINE);
        List<Observation> h = finished(c, 12);
        assertEquals(Sweeps.trialValues(c, 4, 12, h), Sweeps.trialValues(c, 4, 12, h));
        assertNotEquals(Sweeps.trialValues(c, 4, 12, h), Sweeps.trialValues(c, 5, 12, h));
    }

    /** Agents that start trials at once: the first proposal is running when the second is made. */
    @ParameterizedTest
    @ValueSource(strings = {"bayes", "tpe"})
    void runningTrialsSteerTheNextProposalAway(String method) {
        SweepConfig c = config(method, "minimize", LINE);
        int scored = method.equals("bayes") ? 3 : Tpe.STARTUP;   // bayes: still exploring, where running trials matter most
        List<Observation> h = finished(c, scored);
        Map<String, Object> first = Sweeps.trialValues(c, 4, scored, h);
        List<Observation> withRunning = new ArrayList<>(h);
        for (int agent = 0; agent < 5; agent++) withRunning.add(new Observation(first, RunState.RUNNING, Double.NaN));
        Map<String, Object> second = Sweeps.trialValues(c, 4, scored, withRunning);   // the same index: the same draws
        assertTrue(Math.abs(number(first, "x") - number(second, "x")) > 0.05, first + " then " + second);
    }

    @Test
    void bayesDrawsAtRandomUntilTwoTrialsHaveAValue() {
        SweepConfig c = config("bayes", "maximize", BOX);
        List<Observation> h = new ArrayList<>(List.of(
                new Observation(Map.of("x1", 1.0, "x2", 2.0), RunState.FINISHED, 3.0),
                new Observation(Map.of("x1", 2.0, "x2", 2.0), RunState.FAILED, Double.NaN),
                new Observation(Map.of("x1", 3.0, "x2", 2.0), RunState.RUNNING, Double.NaN)));
        assertEquals(RandomSearch.trial(c.parameters(), 8, 3), Sweeps.trialValues(c, 8, 3, h));
        h.add(new Observation(Map.of("x1", 4.0, "x2", 2.0), RunState.FINISHED, 1.0));
        assertNotEquals(RandomSearch.trial(c.parameters(), 8, 4), Sweeps.trialValues(c, 8, 4, h));
    }

    @Test
    void tpeDrawsAtRandomForItsFirstTenTrials() {
        SweepConfig c = config("tpe", "minimize", LINE);
        assertEquals(RandomSearch.trial(c.parameters(), 8, 9), Sweeps.trialValues(c, 8, 9, finished(c, 9)));
        assertNotEquals(RandomSearch.trial(c.parameters(), 8, 10), Sweeps.trialValues(c, 8, 10, finished(c, 10)));
    }

    @Test
    void historyIsScoredTheWayWandbDoes() {
        SweepConfig c = config("bayes", "maximize", LINE);
        SearchSpace space = new SearchSpace(c.parameters());
        ScoredHistory h = ScoredHistory.of(space, c.metric(), List.of(
                new Observation(Map.of("x", 0.5), RunState.FINISHED, 0.9),
                new Observation(Map.of("x", 1.0), RunState.CRASHED, 0.95),     // crashed: its value does not count
                new Observation(Map.of("x", 1.5), RunState.STOPPED, 0.7),
                new Observation(Map.of("x", 2.0), RunState.FINISHED, Double.NaN),
                new Observation(Map.of("x", 2.5), RunState.RUNNING, Double.NaN),
                new Observation(Map.of("y", 2.5), RunState.FINISHED, 5.0)));   // not this sweep's parameters
        assertEquals(List.of(-0.9, -0.7, -0.7, -0.7), h.losses(), "negated; failures imputed as the worst");
        assertEquals(2, h.measured());
        assertEquals(1, h.pending().size());
        assertEquals(0.9, h.pending().getFirst()[0], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ScoredHistory.of(space, null, List.of()));
    }
}
