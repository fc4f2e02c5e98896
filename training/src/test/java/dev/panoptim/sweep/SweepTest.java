package dev.panoptim.sweep;

import dev.panoptim.track.Run;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunState;
import dev.panoptim.track.SqliteRunStore;
import dev.panoptim.track.SweepInfo;
import dev.panoptim.track.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class SweepTest {
    static SweepConfig yaml(String text) {
        return SweepConfig.parse(text, false, "test");
    }

    @Test
    void courseExampleIsValid() {
        SweepConfig c = SweepConfig.read(Path.of("../examples/sweeps/course.yaml"));
        assertEquals(SweepConfig.Method.RANDOM, c.method());
        assertTrue(c.metric().maximize());
        Parameter.Numeric lr = (Parameter.Numeric) c.parameters().get("learning_rate");
        assertEquals(Distribution.LOG_UNIFORM_VALUES, lr.distribution());
        assertEquals(List.of(32, 64, 128, 256), ((Parameter.Categorical) c.parameters().get("batch_size")).values());
        assertTrue(((Parameter.Numeric) c.parameters().get("epochs")).integer());
    }

    @Test
    void everyProblemIsListedByPath() {
        SweepConfigException e = assertThrows(SweepConfigException.class, () -> yaml("""
                method: grid
                metric: {goal: up}
                parameters:
                  learning_rate: {distribution: loguniform, min: 1, max: 2}
                  b: {min: 5, max: 1}
                  c: {values: [1, 2], probabilities: [0.5, 0.6]}
                  d: {min: 0.1, max: 1.0}
                  e: {distribution: uniform, min: 1}
                  f: {}
                bogus: 1
                """));
        List<String> p = e.problems();
        assertTrue(p.contains("parameters.learning_rate.distribution: unknown value 'loguniform' (valid: " + Distribution.names() + ")"), p.toString());
        assertTrue(p.contains("parameters.b: min 5 is greater than max 1"), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("parameters.c.probabilities: must sum to 1")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("parameters.d: grid search needs discrete values")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("parameters.e.max: missing")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("parameters.f: missing keys")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("bogus: unknown key")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("metric.goal: unknown value 'up'")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("metric.name: missing")), p.toString());
        assertThrows(SweepConfigException.class, () -> yaml("method: annealing\nparameters: {a: {value: 1}}"));
    }

    @Test
    void intOrFloatFromTheLiterals() {
        SweepConfig c = yaml("method: random\nparameters:\n  i: {min: 1, max: 5}\n  f: {min: 1, max: 5.0}\n");
        assertEquals(Distribution.INT_UNIFORM, ((Parameter.Numeric) c.parameters().get("i")).distribution());
        assertEquals(Distribution.UNIFORM, ((Parameter.Numeric) c.parameters().get("f")).distribution());
        Map<String, Object> v = Sweeps.trialValues(c, 7, 0, List.of());
        assertInstanceOf(Long.class, v.get("i"));
        assertInstanceOf(Double.class, v.get("f"));
    }

    /**
     * Each continuous distribution by a Kolmogorov-Smirnov test of 2000 draws against its CDF (critical value
     * 1.95 / sqrt(n), alpha 0.001); the q_ and int ones by their ranges and steps.
     */
    @Test
    void drawsFollowTheirDistributions() {
        SweepConfig c = yaml("""
                method: random
                parameters:
                  u: {distribution: uniform, min: -1, max: 1}
                  qu: {distribution: q_uniform, min: 0, max: 10, q: 2.5}
                  lu: {distribution: log_uniform, min: -3, max: 0}
                  luv: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
                  qluv: {distribution: q_log_uniform_values, min: 1, max: 1000, q: 1}
                  ilu: {distribution: inv_log_uniform, min: 0, max: 2}
                  iluv: {distribution: inv_log_uniform_values, min: 0.01, max: 1.0}
                  n: {distribution: normal, mu: 3, sigma: 0.5}
                  ln: {distribution: log_normal, mu: 0, sigma: 1}
                  qn: {distribution: q_normal, mu: 0, sigma: 10, q: 5}
                  be: {distribution: beta, a: 2, b: 5}
                  i: {distribution: int_uniform, min: 1, max: 3}
                  cat: {values: [a, b], probabilities: [0.9, 0.1]}
                """);
        int n = 2000;
        Map<String, double[]> draws = new java.util.LinkedHashMap<>();
        for (String k : List.of("u", "lu", "luv", "ilu", "iluv", "n", "ln", "be")) draws.put(k, new double[n]);
        double catA = 0;
        HashSet<Long> ints = new HashSet<>();
        for (int k = 0; k < n; k++) {
            Map<String, Object> v = Sweeps.trialValues(c, 42, k, List.of());
            for (Map.Entry<String, double[]> e : draws.entrySet()) e.getValue()[k] = (Double) v.get(e.getKey());
            double qu = (Double) v.get("qu");
            assertTrue(qu >= 0 && qu <= 10 && Math.abs(qu % 2.5) < 1e-12, "qu " + qu);
            long qluv = (Long) v.get("qluv");
            assertTrue(qluv >= 1 && qluv <= 1000);
            assertEquals(0, ((Long) v.get("qn")) % 5);
            long i = (Long) v.get("i");
            assertTrue(i >= 1 && i <= 3);
            ints.add(i);
            if (v.get("cat").equals("a")) catA++;
        }
        assertEquals(java.util.Set.of(1L, 2L, 3L), ints);
        assertEquals(0.9, catA / n, 0.02);
        assertFollows(draws.get("u"), x -> (x + 1) / 2, "uniform");
        assertFollows(draws.get("lu"), x -> (Math.log(x) + 3) / 3, "log_uniform");
        assertFollows(draws.get("luv"), x -> (Math.log(x) - Math.log(1e-4)) / (Math.log(0.1) - Math.log(1e-4)), "log_uniform_values");
        assertFollows(draws.get("ilu"), x -> 1 - (-Math.log(x)) / 2, "inv_log_uniform");   // ln(1/x) ~ U(0, 2)
        assertFollows(draws.get("iluv"), x -> 1 - Math.log(1 / x) / Math.log(100), "inv_log_uniform_values");
        assertFollows(draws.get("n"), x -> Probability.normalCdf((x - 3) / 0.5), "normal");
        assertFollows(draws.get("ln"), x -> Probability.normalCdf(Math.log(x)), "log_normal");
        assertFollows(draws.get("be"), x -> Probability.betaCdf(x, 2, 5), "beta");
    }

    /** Kolmogorov-Smirnov at alpha 0.001: sup |F_n - F| below 1.95 / sqrt(n); every draw inside F's support. */
    static void assertFollows(double[] draws, java.util.function.DoubleUnaryOperator cdf, String what) {
        double[] x = draws.clone();
        java.util.Arrays.sort(x);
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            double f = cdf.applyAsDouble(x[i]);
            assertTrue(f >= -1e-12 && f <= 1 + 1e-12, what + ": " + x[i] + " outside the support");
            d = Math.max(d, Math.max((i + 1.0) / x.length - f, f - (double) i / x.length));
        }
        assertTrue(d < 1.95 / Math.sqrt(x.length), what + ": KS distance " + d);
    }

    @Test
    void gridEnumeratesEveryCombinationOnce() {
        SweepConfig c = yaml("""
                method: grid
                parameters:
                  a: {values: [1, 2, 3]}
                  opt: {parameters: {name: {values: [adam, sgd]}, beta: {value: 0.9}}}
                  e: {distribution: int_uniform, min: 1, max: 2}
                """);
        assertEquals(12L, c.maxRuns());
        HashSet<String> seen = new HashSet<>();
        for (int k = 0; k < 12; k++) seen.add(Sweeps.trialValues(c, 0, k, List.of()).toString());
        assertEquals(12, seen.size());
        assertEquals(Map.of("a", 1, "opt", Map.of("name", "adam", "beta", 0.9), "e", 1L), Sweeps.trialValues(c, 0, 0, List.of()));
        assertEquals(Map.of("a", 1, "opt", Map.of("name", "adam", "beta", 0.9), "e", 2L), Sweeps.trialValues(c, 0, 1, List.of()));
        assertNull(Sweeps.trialValues(c, 0, 12, List.of()));
    }

    @Test
    void seededSweepsReplay() {
        SweepConfig c = SweepConfig.read(Path.of("../examples/sweeps/course.yaml"));
        for (int k = 0; k < 5; k++) assertEquals(Sweeps.trialValues(c, 9, k, List.of()), Sweeps.trialValues(c, 9, k, List.of()));
        assertNotEquals(Sweeps.trialValues(c, 9, 0, List.of()), Sweeps.trialValues(c, 10, 0, List.of()));
    }

    @Test
    void concurrentAgentsKeepRunCapAndTrialsReadTheirConfig(@TempDir Path dir) throws Exception {
        SweepConfig c = yaml("method: random\nmetric: {name: acc, goal: maximize}\nrun_cap: 25\nparameters:\n  lr: {min: 0.0, max: 1.0}\n");
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            SweepInfo sweep = Sweeps.create(store, c, 3L);
            AtomicInteger ran = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> ran.addAndGet(Sweeps.agent(store, sweep.id(), null, () -> {
                    try (Run run = Tracking.init(store, "ignored", null, Map.of("lr", -1.0, "other", 5))) {
                        double lr = ((Number) run.config().get("lr")).doubleValue();
                        assertTrue(lr >= 0 && lr <= 1, "the sweep's value wins");
                        assertEquals(5, run.config().get("other"));
                        run.log(Map.of("acc", lr));
                    }
                }))));
            }
            for (Thread t : threads) t.join();
            assertEquals(25, ran.get());
            List<RunInfo> runs = store.sweepRuns(sweep.id());
            assertEquals(25, runs.size());
            assertTrue(runs.stream().allMatch(r -> r.state() == RunState.FINISHED));
            assertEquals("finished", store.sweep(sweep.id()).orElseThrow().state());
            assertEquals(0, Sweeps.agent(store, sweep.id(), 3, () -> fail("no trial left")));
        }
    }

    @Test
    void aThrowingTrialFails(@TempDir Path dir) {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            SweepInfo sweep = Sweeps.create(store, yaml("method: grid\nparameters: {a: {values: [1, 2]}}\n"), 1L);
            assertEquals(2, Sweeps.agent(store, sweep.id(), 5, () -> { throw new IllegalStateException("boom"); }));
            assertTrue(store.sweepRuns(sweep.id()).stream().allMatch(r -> r.state() == RunState.FAILED));
        }
    }

    @Test
    void bayesAndTpeSweepsRunThroughAnAgent(@TempDir Path dir) {
        for (String method : List.of("bayes", "tpe")) {
            SweepConfig c = yaml("method: " + method + "\nmetric: {name: loss}\nrun_cap: 4\nparameters: {lr: {min: 0.1, max: 1.0}}\n");
            try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
                SweepInfo sweep = Sweeps.create(store, c, 1L);
                assertEquals(method, sweep.method());
                assertEquals(4, Sweeps.agent(store, sweep.id(), null, () -> {
                    try (Run run = Tracking.init(store, "ignored", null, Map.of())) {
                        double lr = ((Number) run.config().get("lr")).doubleValue();
                        assertTrue(lr >= 0.1 && lr <= 1);
                        run.log(Map.of("loss", lr * lr));
                    }
                }));
                assertTrue(store.sweepRuns(sweep.id()).stream().allMatch(r -> r.state() == RunState.FINISHED));
            }
        }
    }

    @Test
    void tpeIsAMethodThatNeedsAMetric() {
        assertEquals(SweepConfig.Method.TPE, yaml("method: tpe\nmetric: {name: loss}\nparameters: {lr: {min: 0.1, max: 1.0}}\n").method());
        SweepConfigException e = assertThrows(SweepConfigException.class, () -> yaml("method: tpe\nparameters: {lr: {min: 0.1, max: 1.0}}\n"));
        assertEquals(List.of("metric: missing (tpe needs a metric to optimize)"), e.problems());
        e = assertThrows(SweepConfigException.class, () -> yaml("method: hyperopt\nparameters: {lr: {min: 0.1, max: 1.0}}\n"));
        assertEquals(List.of("method: unknown value 'hyperopt' (valid: grid, random, bayes, tpe)"), e.problems());
    }
}
