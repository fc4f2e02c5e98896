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
        int n = 20000;
        double luvLow = 0, nSum = 0, beSum = 0, catA = 0;
        for (int k = 0; k < n; k++) {
            Map<String, Object> v = Sweeps.trialValues(c, 42, k, List.of());
            double u = (Double) v.get("u");
            assertTrue(u >= -1 && u <= 1);
            double qu = (Double) v.get("qu");
            assertEquals(0, qu % 2.5, 1e-12);
            double lu = (Double) v.get("lu");
            assertTrue(lu >= Math.exp(-3) && lu <= 1);
            double luv = (Double) v.get("luv");
            assertTrue(luv >= 1e-4 && luv <= 0.1);
            if (luv < 1e-3) luvLow++;   // log-spaced: 1/3 of the draws in the first decade
            long qluv = (Long) v.get("qluv");
            assertTrue(qluv >= 1 && qluv <= 1000);
            double ilu = (Double) v.get("ilu");
            assertTrue(ilu >= Math.exp(-2) && ilu <= 1);
            double iluv = (Double) v.get("iluv");
            assertTrue(iluv >= 0.01 && iluv <= 1.0);
            nSum += (Double) v.get("n");
            assertTrue((Double) v.get("ln") > 0);
            assertEquals(0, ((Long) v.get("qn")) % 5);
            double be = (Double) v.get("be");
            assertTrue(be >= 0 && be <= 1);
            beSum += be;
            long i = (Long) v.get("i");
            assertTrue(i >= 1 && i <= 3);
            if (v.get("cat").equals("a")) catA++;
        }
        assertEquals(1.0 / 3, luvLow / n, 0.02);
        assertEquals(3, nSum / n, 0.02);
        assertEquals(2.0 / 7, beSum / n, 0.01);
        assertEquals(0.9, catA / n, 0.01);
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
    void bayesIsValidatedButNotRunYet(@TempDir Path dir) {
        SweepConfig c = yaml("method: bayes\nmetric: {name: loss}\nparameters: {lr: {min: 0.1, max: 1.0}}\n");
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            SweepInfo sweep = Sweeps.create(store, c, 1L);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sweeps.agent(store, sweep.id(), 1, () -> { }));
            assertTrue(e.getMessage().contains("bayes is not supported"), e.getMessage());
        }
    }
}
