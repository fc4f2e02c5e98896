package dev.panoptim.landscape;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DualTest {
    /** Every elementary function, on a domain where it is smooth. */
    private static final List<DualFunction> FUNCTIONS = List.of(
            (x, y) -> x.plus(y).times(x.minus(y)).div(y.square().plus(1)),
            (x, y) -> x.tanh().square().plus(x.abs().times(0.01)).plus(y.sigmoid()),   // pathological
            (x, y) -> x.exp().times(y.sin()).minus(y.cos().times(x)),
            (x, y) -> x.square().plus(y.square()).plus(1).log().plus(x.square().plus(2).sqrt()),
            (x, y) -> x.square().plus(1).pow(1.5).minus(y.abs().plus(1).pow(y.sigmoid())),
            (x, y) -> x.plus(3).div(y.square().plus(0.5)).negate().plus(x.pow(3)).minus(2).times(y.tanh()));

    @Test
    void userLambdaGradientMatchesCentralDifferences() {
        Random rnd = new Random(42);
        for (int f = 0; f < FUNCTIONS.size(); f++) {
            LossSurface s = LossSurface.autodiff("f" + f, FUNCTIONS.get(f));
            for (int i = 0; i < 300; i++) {
                double x = rnd.nextDouble() * 4 - 2, y = rnd.nextDouble() * 4 - 2;
                if (Math.abs(x) < 1e-3 || Math.abs(y) < 1e-3) continue;   // kinks of abs
                double[] g = s.gradient(x, y);
                double[] n = LossSurface.centralDifferences(s::value, x, y);
                for (int k = 0; k < 2; k++) {
                    assertEquals(n[k], g[k], 1e-6 + 1e-6 * Math.abs(n[k]), "function " + f + " at (" + x + ", " + y + ") d" + k);
                }
            }
        }
    }

    @Test
    void autodiffAgreesWithTheHandWrittenBuiltIns() {
        LossSurface rosen = LossSurface.autodiff("rosenbrock",
                (x, y) -> Dual.constant(1).minus(x).square().plus(y.minus(x.square()).square().times(100)).plus(1));
        LossSurface path = LossSurface.autodiff("pathological", FUNCTIONS.get(1));
        Random rnd = new Random(7);
        for (int i = 0; i < 200; i++) {
            double x = rnd.nextDouble() * 4 - 2, y = rnd.nextDouble() * 4 - 1;
            assertArrayEquals(LossSurface.rosenbrock().gradient(x, y), rosen.gradient(x, y), 1e-9);
            assertEquals(LossSurface.rosenbrock().value(x, y), rosen.value(x, y), 1e-9);
            assertArrayEquals(LossSurface.pathological().gradient(x, y), path.gradient(x, y), 1e-12);
        }
        assertEquals("forward-mode autodiff", rosen.gradientMethod());
    }

    @Test
    void numericSurfaceUsesCentralDifferences() {
        LossSurface bowl = LossSurface.numeric("bowl", (x, y) -> x * x + 10 * y * y);
        double[] g = bowl.gradient(1, -2);
        assertEquals(2, g[0], 1e-8);
        assertEquals(-40, g[1], 1e-7);
        assertEquals("central differences", bowl.gradientMethod());
    }

    @Test
    void kinksFollowTorch() {
        Dual a = Dual.x(0).abs();
        assertEquals(0, a.dx());   // torch: d|x|/dx at 0 is sgn(0) = 0
        Dual s = Dual.x(0).sigmoid();
        assertEquals(0.25, s.dx(), 1e-15);
        assertEquals(1, Dual.x(-800).sigmoid().value() + 1, 1e-300);   // no overflow
        assertTrue(Double.isInfinite(Dual.x(0).sqrt().dx()));
    }
}
