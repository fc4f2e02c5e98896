package dev.panoptim.optim;

import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The course's seed check through the public API: SGD(lr 0.02, momentum 0.99) on
 * f(x, y) = tanh(x)^2 + 0.01|x| + sigmoid(y) from (2.5, 2.5). The point before the 100th step,
 * i.e. after 99 steps, is (0.8110, -6.3344).
 */
class SeedCheckTest {
    /** The gradient of f, written out here (not shared with the CLI). */
    private static float[] grad(float xf, float yf) {
        double x = xf, y = yf;
        double t = Math.tanh(x);
        double sig = 1 / (1 + Math.exp(-y));
        double dx = 2 * t * (1 - t * t) + 0.01 * Math.signum(x); // d/dx tanh^2 = 2 tanh sech^2
        double dy = sig * (1 - sig);                              // d/dy sigmoid = s (1 - s)
        return new float[] {(float) dx, (float) dy};
    }

    private static float[] pointAfter(int steps) {
        try (Tensor xy = Tensor.of(new float[] {2.5f, 2.5f});
             Optimizer opt = SGD.builder(List.of(xy)).lr(0.02).momentum(0.99).build()) {
            for (int i = 0; i < steps; i++) {
                float[] p = xy.toFloatArray();
                xy.setGrad(Tensor.of(grad(p[0], p[1])));
                opt.step();
                opt.zeroGrad();
            }
            return xy.toFloatArray();
        }
    }

    @Test
    void pointBeforeTheHundredthStep() {
        float[] p = pointAfter(99);
        assertEquals(0.8110, p[0], 1e-3, "x after 99 steps");
        assertEquals(-6.3344, p[1], 1e-3, "y after 99 steps");
    }

    @Test
    void offByOneStepIsCaught() {
        // The check discriminates: one step more or less lands elsewhere.
        float[] p98 = pointAfter(98), p100 = pointAfter(100);
        boolean p98Matches = Math.abs(p98[0] - 0.8110) <= 1e-3 && Math.abs(p98[1] + 6.3344) <= 1e-3;
        boolean p100Matches = Math.abs(p100[0] - 0.8110) <= 1e-3 && Math.abs(p100[1] + 6.3344) <= 1e-3;
        assertEquals(false, p98Matches, "98 steps: " + p98[0] + ", " + p98[1]);
        assertEquals(false, p100Matches, "100 steps: " + p100[0] + ", " + p100[1]);
    }

    @Test
    void firstStepIsPlainGradientDescent() {
        // The momentum buffer starts as the first grad, so step 1 is p - lr * g.
        float[] g = grad(2.5f, 2.5f);
        float[] p = pointAfter(1);
        assertEquals(2.5f - 0.02f * g[0], p[0], 1e-6);
        assertEquals(2.5f - 0.02f * g[1], p[1], 1e-6);
    }
}
