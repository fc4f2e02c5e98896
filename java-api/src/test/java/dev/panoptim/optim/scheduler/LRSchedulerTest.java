package dev.panoptim.optim.scheduler;

import dev.panoptim.optim.Adam;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.optim.ParamGroup;
import dev.panoptim.optim.SGD;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scheduler values against figures worked out from torch's documented formulas. */
class LRSchedulerTest {
    private static final double TOL = 1e-12;
    private final List<AutoCloseable> owned = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : owned) c.close();
    }

    private Optimizer sgd(double lr, double momentum) {
        Tensor t = Tensor.zeros(3);
        owned.add(t);
        Optimizer o = SGD.builder(List.of(t)).lr(lr).momentum(momentum).build();
        owned.add(o);
        return o;
    }

    private static List<Double> trace(LRScheduler s, Optimizer o, int steps) {
        List<Double> lrs = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            lrs.add(o.paramGroups().get(0).lr());
            s.step();
        }
        return lrs;
    }

    private static void assertClose(List<Double> expected, List<Double> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), TOL * Math.max(1, Math.abs(expected.get(i))), "epoch " + i);
        }
    }

    @Test
    void stepLr() {
        Optimizer o = sgd(1.0, 0);
        assertClose(List.of(1.0, 1.0, 0.1, 0.1, 0.01, 0.01), trace(new StepLR(o, 2, 0.1), o, 6));
    }

    @Test
    void cosineAnnealing() {
        Optimizer o = sgd(1.0, 0);
        List<Double> lrs = trace(new CosineAnnealingLR(o, 10, 0.0), o, 11);
        assertEquals(1.0, lrs.get(0), TOL);
        assertEquals(0.5, lrs.get(5), TOL);
        assertEquals(0.0, lrs.get(10), TOL);
        assertEquals((1 + Math.cos(Math.PI * 0.3)) / 2, lrs.get(3), TOL);
    }

    @Test
    void linearWarmupAndConstant() {
        Optimizer o = sgd(0.3, 0);
        assertClose(List.of(0.1, 0.15, 0.2, 0.25, 0.3, 0.3), trace(new LinearLR(o, 1.0 / 3, 1.0, 4), o, 6));
        Optimizer c = sgd(0.3, 0);
        assertClose(List.of(0.1, 0.1, 0.3, 0.3), trace(new ConstantLR(c, 1.0 / 3, 2), c, 4));
    }

    @Test
    void oneCycleMatchesTorchsPhases() {
        // max_lr 0.1 over 10 steps, torch defaults: starts at 0.1/25, peaks at step 0.3*10-1 = 2,
        // ends at 0.1/25/1e4 on step 9; momentum goes 0.95 -> 0.85 -> 0.95.
        Optimizer o = sgd(123.0, 0.9);
        OneCycleLR s = new OneCycleLR(o, 0.1, 10);
        List<Double> lrs = new ArrayList<>();
        List<Double> momenta = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lrs.add(o.paramGroups().get(0).lr());
            momenta.add(o.paramGroups().get(0).getDouble("momentum"));
            if (i < 9) s.step();
        }
        assertEquals(0.004, lrs.get(0), TOL);
        assertEquals(0.004 + (0.1 - 0.004) / 2, lrs.get(1), TOL);
        assertEquals(0.1, lrs.get(2), TOL);
        assertEquals(4e-7, lrs.get(9), TOL);
        double pct = (5 - 2) / 7.0;
        assertEquals(4e-7 + (0.1 - 4e-7) / 2 * (Math.cos(Math.PI * pct) + 1), lrs.get(5), TOL);
        assertEquals(0.95, momenta.get(0), TOL);
        assertEquals(0.85, momenta.get(2), TOL);
        assertEquals(0.95, momenta.get(9), TOL);
        s.step();
        IllegalStateException e = assertThrows(IllegalStateException.class, s::step);
        assertTrue(e.getMessage().contains("Tried to step 11 times"), e.getMessage());
    }

    @Test
    void oneCycleCyclesAdamsBeta1() {
        Tensor t = Tensor.zeros(2);
        owned.add(t);
        Optimizer o = Adam.builder(List.of(t)).betas(0.9, 0.98).build();
        owned.add(o);
        new OneCycleLR(o, 0.01, 100);
        double[] betas = (double[]) o.paramGroups().get(0).get("betas");
        assertEquals(0.95, betas[0], TOL);
        assertEquals(0.98, betas[1], TOL);
    }

    @Test
    void eachGroupScalesItsOwnBaseLr() {
        Tensor a = Tensor.zeros(1), b = Tensor.zeros(1);
        owned.add(a);
        owned.add(b);
        Optimizer o = SGD.builder(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b)).with("lr", 0.5))).lr(1.0).build();
        owned.add(o);
        StepLR s = new StepLR(o, 1, 0.5);
        s.step();
        assertClose(List.of(0.5, 0.25), s.getLastLr());
    }

    @Test
    void stateDictResumesTheSchedule() {
        Optimizer a = sgd(1.0, 0);
        CosineAnnealingLR s = new CosineAnnealingLR(a, 10, 0.01);
        for (int i = 0; i < 4; i++) s.step();
        Map<String, Object> state = s.stateDict();
        Optimizer b = sgd(1.0, 0);
        CosineAnnealingLR resumed = new CosineAnnealingLR(b, 10, 0.01);
        resumed.loadStateDict(state);
        assertEquals(4, resumed.lastEpoch());
        s.step();
        resumed.step();
        assertEquals(a.paramGroups().get(0).lr(), b.paramGroups().get(0).lr(), 0.0);
    }

    @Test
    void badArgumentsNameTheValue() {
        Optimizer o = sgd(1.0, 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StepLR(o, 0, 0.1)).getMessage().contains("got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(o, 10, -1)).getMessage()
                .contains("-1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(o, -0.1, 10)).getMessage()
                .contains("maxLr"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LinearLR(o, 0, 1, 5)).getMessage()
                .contains("startFactor"));
        assertThrows(IllegalArgumentException.class, () -> new StepLR(null, 1, 0.1));
    }
}
