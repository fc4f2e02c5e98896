package dev.panoptim.landscape;

import dev.panoptim.optim.Adam;
import dev.panoptim.optim.SGD;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LandscapesTest {
    @Test
    void coursesSeedCheckThroughOptimize() {
        Trajectory t = Landscapes.optimize(LossSurface.pathological(), new double[] {2.5, 2.5},
                params -> SGD.builder(params).lr(0.02).momentum(0.99).build(), 100);
        Trajectory.Point p = t.points().get(99);   // the point before the 100th step
        System.out.printf("seed check: before step 100 at (%.5f, %.5f), expected (0.8110, -6.3344)%n", p.x(), p.y());
        assertEquals(0.8110, p.x(), 1e-3);
        assertEquals(-6.3344, p.y(), 1e-3);
    }

    @Test
    void pointsAreThePositionsBeforeEachStepLikeOptFn() {
        LossSurface s = LossSurface.rosenbrock();
        Trajectory t = Landscapes.optimize(s, new double[] {-1.5, 2}, params -> SGD.builder(params).lr(1e-4).build(), 5);
        assertEquals(5, t.points().size());
        assertEquals(6, t.allPoints().size());
        assertEquals(-1.5, t.points().getFirst().x());
        assertEquals(2.0, t.points().getFirst().y());
        assertEquals(s.value(-1.5, 2), t.points().getFirst().loss(), 1e-12);
        // Plain SGD: each point is the previous one minus lr * grad, in float32.
        for (int k = 0; k < 5; k++) {
            Trajectory.Point a = t.points().get(k), b = t.allPoints().get(k + 1);
            double[] g = s.gradient(a.x(), a.y());
            assertEquals((float) (a.x() - 1e-4 * (float) g[0]), (float) b.x(), 1e-6);
            assertEquals((float) (a.y() - 1e-4 * (float) g[1]), (float) b.y(), 1e-6);
            assertEquals(s.value(b.x(), b.y()), b.loss(), 1e-12);
        }
        assertEquals("SGD", t.label());
        assertFalse(t.diverged());
    }

    @Test
    void adamReachesTheGaussianMinimum() {
        LossSurface s = LossSurface.gaussian(0.5, -0.5, 0.6, 0.4);
        Trajectory t = Landscapes.optimize(s, new double[] {1.2, 0}, params -> Adam.builder(params).lr(0.02).build(), 400);
        assertEquals(0.5, t.end().x(), 0.02);
        assertEquals(-0.5, t.end().y(), 0.02);
    }

    @Test
    void divergenceIsRecordedNotThrown() {
        Trajectory t = Landscapes.optimize(LossSurface.rosenbrock(), new double[] {-1.5, 2},
                params -> SGD.builder(params).lr(0.03).momentum(0.99).build(), 100);
        assertTrue(t.diverged());
        assertTrue(t.summary().endsWith("(diverged)"), t.summary());
    }

    @Test
    void rejectsBadArguments() {
        LossSurface s = LossSurface.pathological();
        var sgd = (java.util.function.Function<List<Tensor>, SGD>) params -> SGD.builder(params).lr(0.1).build();
        assertThrows(IllegalArgumentException.class, () -> Landscapes.optimize(s, new double[] {1}, sgd, 10));
        assertThrows(IllegalArgumentException.class, () -> Landscapes.optimize(s, new double[] {Double.NaN, 0}, sgd, 10));
        assertThrows(IllegalArgumentException.class, () -> Landscapes.optimize(s, new double[] {0, 0}, sgd, 0));
        try (Tensor other = Tensor.zeros(2)) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> Landscapes.optimize(s, new double[] {0, 0}, params -> SGD.builder(List.of(other)).lr(0.1).build(), 3));
            assertTrue(e.getMessage().contains("params it is given"), e.getMessage());
        }
    }

    @Test
    void plotWindowFollowsPathsButNotDivergedOnes() {
        LossSurface s = LossSurface.pathological();   // window [-5, 5]^2
        Trajectory far = Landscapes.optimize(s, new double[] {2.5, 2.5},
                params -> SGD.builder(params).lr(0.03).momentum(0.99).build(), 100);
        LossSurface.Window w = Landscapes.plotWindow(s, List.of(far));
        assertTrue(w.yMin() < far.end().y() && w.yMin() >= -25, w.toString());
        Trajectory diverged = Landscapes.optimize(LossSurface.rosenbrock(), new double[] {-1.5, 2},
                params -> SGD.builder(params).lr(0.03).momentum(0.99).build(), 100);
        assertEquals(LossSurface.rosenbrock().window(), Landscapes.plotWindow(LossSurface.rosenbrock(), List.of(diverged)));
    }
}
