package dev.panoptim.sweep;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ParameterImportanceTest {
    static final SweepConfig CONFIG = SweepTest.yaml("""
            method: random
            metric: {name: accuracy, goal: maximize}
            parameters:
              lr: {min: 0.0, max: 1.0}
              optimizer: {values: [sgd, adam, rmsprop]}
              opt: {parameters: {beta: {min: 0.8, max: 0.99}, eps: {value: 1.0e-8}}}
              nesterov: {values: [true, false]}
              epochs: {value: 3}
            """);

    /**
     * A scripted sweep: accuracy falls with lr and depends on the optimizer (adam best), barely on beta,
     * not at all on nesterov.
     */
    static List<ParameterImportance.Sample> table(int n) {
        SplittableRandom r = new SplittableRandom(11);
        String[] optimizers = {"adam", "sgd", "rmsprop"};
        List<ParameterImportance.Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double lr = r.nextDouble(), beta = 0.8 + 0.19 * r.nextDouble();
            String opt = optimizers[i % 3];
            boolean nesterov = r.nextBoolean();
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("lr", lr);
            config.put("optimizer", opt);
            config.put("opt", Map.of("beta", beta, "eps", 1e-8));
            config.put("nesterov", nesterov);
            config.put("epochs", 3);
            double acc = 0.9 - 0.5 * lr + (opt.equals("adam") ? 0.3 : opt.equals("sgd") ? 0.0 : 0.1) + 0.02 * beta;
            out.add(new ParameterImportance.Sample(config, acc));
        }
        return out;
    }

    static ParameterImportance.Result compute(List<ParameterImportance.Sample> samples) {
        return ParameterImportance.compute(ParameterImportance.swept(CONFIG.parameters()), "accuracy", samples);
    }

    @Test
    void sweptParametersAreFlattenedWithoutConstants() {
        assertEquals(List.of("lr", "optimizer", "opt.beta", "nesterov"), List.copyOf(ParameterImportance.swept(CONFIG.parameters()).keySet()));
    }

    @Test
    void rankingFollowsTheMetricsDependence() {
        ParameterImportance.Result result = compute(table(90));
        assertNull(result.reason());
        assertEquals(90, result.runs());
        List<String> order = result.parameters().stream().map(ParameterImportance.Importance::parameter).toList();
        assertEquals(List.of("lr", "optimizer", "opt.beta", "nesterov"), order, result.toString());
        assertEquals(1.0, result.parameters().stream().mapToDouble(ParameterImportance.Importance::importance).sum(), 1e-9);
        ParameterImportance.Importance lr = result.parameters().get(0), optimizer = result.parameters().get(1);
        assertTrue(lr.correlation() < -0.7, "accuracy falls with lr: " + lr);
        assertTrue(lr.levels().isEmpty());
        assertTrue(Double.isNaN(optimizer.correlation()), "a categorical parameter has one correlation per value");
        assertEquals(List.of("sgd", "adam", "rmsprop"), List.copyOf(optimizer.levels().keySet()), "in the config's order");
        assertTrue(optimizer.levels().get("adam") > 0.3 && optimizer.levels().get("sgd") < -0.3, optimizer.toString());
        ParameterImportance.Importance nesterov = result.parameters().get(3);
        assertTrue(nesterov.importance() < 0.05, nesterov.toString());
        assertTrue(Math.abs(nesterov.correlation()) < 0.3, "booleans are 0/1 numbers: " + nesterov);
    }

    @Test
    void theSameRunsGiveTheSameImportances() {
        assertEquals(compute(table(30)).toString(), compute(table(30)).toString());
    }

    @Test
    void aParameterThatNeverChangedHasNoCorrelation() {
        List<ParameterImportance.Sample> samples = new ArrayList<>();
        for (ParameterImportance.Sample s : table(12)) {
            Map<String, Object> config = new LinkedHashMap<>(s.config());
            config.put("nesterov", true);
            samples.add(new ParameterImportance.Sample(config, s.metric()));
        }
        ParameterImportance.Importance nesterov = compute(samples).parameters().stream()
                .filter(p -> p.parameter().equals("nesterov")).findFirst().orElseThrow();
        assertEquals(0.0, nesterov.importance());
        assertTrue(Double.isNaN(nesterov.correlation()), nesterov.toString());
    }

    @Test
    void tooFewRunsGiveAReason() {
        ParameterImportance.Result result = compute(table(2));
        assertEquals(List.of(), result.parameters());
        assertEquals("only 2 runs have a numeric accuracy; importance needs at least 3", result.reason());
    }

    @Test
    void categoricalColumnsKeepTheDeclaredOrderOfValuesThatOccur() {
        List<ParameterImportance.Sample> samples = List.of(new ParameterImportance.Sample(Map.of("o", "adam"), 1),
                new ParameterImportance.Sample(Map.of("o", List.of(1, 2)), 2), new ParameterImportance.Sample(Map.of(), 3));
        ParameterImportance.Column c = ParameterImportance.column("o", new Parameter.Categorical(List.of("sgd", "adam"), null), samples);
        assertEquals(List.of("adam", "[1, 2]", "null"), c.levels(), "sgd never ran; a list and a missing value are values too");
        assertArrayEquals(new double[] {0, 1, 2}, c.values());
        ParameterImportance.Column mixed = ParameterImportance.column("o", new Parameter.Constant(0),
                List.of(new ParameterImportance.Sample(Map.of("o", 1), 1), new ParameterImportance.Sample(Map.of("o", true), 2)));
        assertEquals(List.of("1", "true"), mixed.levels(), "a number and a boolean together are categorical");
    }

    @Test
    void pearsonOfALine() {
        assertEquals(-1.0, ParameterImportance.pearson(new double[] {1, 2, 3}, new double[] {6, 4, 2}), 1e-12);
        assertTrue(Double.isNaN(ParameterImportance.pearson(new double[] {0.1, 0.1, 0.1}, new double[] {1, 2, 3})));
    }
}
