package dev.panoptim.nn;

import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.panoptim.nn.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dropout: the statistics of its masks, the exact scale of what it keeps, evaluation's identity, the
 * same mask in backward, reproducible seeds, bad probabilities, and (where CUDA or its simulator is
 * present) the same masks and values on CUDA as on the CPU.
 */
class DropoutTest {
    /** Large enough that the dropped fraction's standard deviation sqrt(p(1-p)/n) is ~0.0006 at p = 0.2. */
    private static final int N = 400_000;

    @Test
    void dropsAboutPAndScalesTheRestByExactlyOneOverOneMinusP() {
        double p = 0.2;
        SplittableRandom rng = new SplittableRandom(3);
        float[] x = new float[N];
        for (int i = 0; i < N; i++) x[i] = 0.5f + (float) rng.nextDouble();   // in [0.5, 1.5): never 0
        try (Dropout d = new Dropout(p, 17); Tensor in = Tensor.of(x, 400, 1000)) {
            float[] y = d.forward(in).toFloatArray();
            float scale = (float) (1 / (1 - p));
            int zeros = 0;
            double sumX = 0, sumY = 0;
            for (int i = 0; i < N; i++) {
                if (y[i] == 0) zeros++;
                else assertEquals(x[i] * scale, y[i], 0f, "a kept value is x / (1 - p) exactly, at " + i);
                sumX += x[i];
                sumY += y[i];
            }
            // 5 standard deviations of a binomial fraction: sqrt(0.2 * 0.8 / 4e5) = 6.3e-4.
            assertEquals(p, (double) zeros / N, 5 * Math.sqrt(p * (1 - p) / N), "the dropped fraction");
            // The mean is kept: E[y] = E[x]; the sum's relative spread is ~sqrt(p / (1-p) / n) * (std/mean) < 1e-3.
            assertEquals(1.0, sumY / sumX, 5e-3, "the mean is preserved");
        }
    }

    @Test
    void evalAndPZeroAreTheIdentityAndPOneGivesZeros() {
        try (Tensor x = random(new SplittableRandom(5), 3, 7)) {
            try (Dropout d = new Dropout(0.5, 1)) {
                d.eval();
                assertSame(x, d.forward(x), "eval: the input itself, as torch");
                assertSame(x, d.backward(x));
                d.train();
                assertFalse(Arrays.equals(x.toFloatArray(), d.forward(x).toFloatArray()), "training mode drops");
            }
            try (Dropout d = new Dropout(0, 1)) {
                assertSame(x, d.forward(x), "p = 0 keeps everything");
            }
            try (Dropout d = new Dropout(1, 1)) {
                assertArrayEquals(new float[21], d.forward(x).toFloatArray(), "p = 1 drops everything (no NaN from 0 * inf)");
                assertArrayEquals(new float[21], d.backward(x).toFloatArray());
            }
        }
    }

    @Test
    void backwardAppliesTheForwardsMask() {
        double p = 0.3;
        try (Dropout d = new Dropout(p, 9); Tensor x = random(new SplittableRandom(6), 5, 11);
             Tensor g = random(new SplittableRandom(8), 5, 11)) {
            float[] y = d.forward(x).toFloatArray();
            float[] gx = d.backward(g).toFloatArray();
            float[] gv = g.toFloatArray();
            float scale = (float) (1 / (1 - p));
            int dropped = 0;
            for (int i = 0; i < y.length; i++) {
                if (y[i] == 0) {
                    dropped++;
                    assertEquals(0f, gx[i], "dropped in forward, no gradient, at " + i);
                } else {
                    assertEquals(gv[i] * scale, gx[i], 0f, "kept in forward, gradient scaled, at " + i);
                }
            }
            assertTrue(dropped > 0 && dropped < y.length, "some dropped, some kept: " + dropped);
            assertNull(d.backward(g, false), "no input gradient asked, none computed");
        }
    }

    @Test
    void aSeedGivesTheSameMasksAndAnotherSeedOthers() {
        try (Tensor x = Tensor.of(filled(10_000, 1f), 100, 100);
             Dropout a = new Dropout(0.5, 42); Dropout b = new Dropout(0.5, 42); Dropout c = new Dropout(0.5, 43)) {
            float[] first = a.forward(x).toFloatArray();
            assertArrayEquals(first, b.forward(x).toFloatArray(), "same seed, same mask");
            assertFalse(Arrays.equals(first, c.forward(x).toFloatArray()), "another seed, another mask");
            assertFalse(Arrays.equals(first, a.forward(x).toFloatArray()), "each forward draws a new mask");
            a.manualSeed(42);
            assertArrayEquals(first, a.forward(x).toFloatArray(), "reseeding restarts the masks");
        }
        // Without a seed of their own, masks follow Init.manualSeed, as the weights do.
        try (Tensor x = Tensor.of(filled(1000, 1f), 1000)) {
            Init.manualSeed(5);
            float[] first;
            try (Dropout d = new Dropout(0.5)) {
                first = d.forward(x).toFloatArray();
            }
            Init.manualSeed(5);
            try (Dropout d = new Dropout(0.5)) {
                assertArrayEquals(first, d.forward(x).toFloatArray());
            }
        }
    }

    @Test
    void pOutsideZeroOneIsRefusedNamingIt() {
        for (double p : new double[] {-0.1, 1.5, Double.NaN}) {
            var e = assertThrows(IllegalArgumentException.class, () -> new Dropout(p));
            assertTrue(e.getMessage().contains("p=" + p), e.getMessage());
        }
    }

    @Test
    void backwardBeforeForwardIsAnError() {
        try (Dropout d = new Dropout(0.5, 1); Tensor g = Tensor.zeros(2, 2)) {
            assertThrows(IllegalStateException.class, () -> d.backward(g));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void cudaDrawsTheCpusMasksAndValues(Device device) {
        // On the CPU this checks the CPU against itself; the CUDA run (simulator in CI) is the real check.
        int[] shape = {3, 37};   // an odd size: a tail in every CUDA chunk
        try (Dropout cpu = new Dropout(0.25, 77); Dropout dev = new Dropout(0.25, 77);
             Tensor x = random(new SplittableRandom(12), shape); Tensor g = random(new SplittableRandom(13), shape)) {
            dev.to(device);
            try (Tensor xd = x.to(device); Tensor gd = g.to(device)) {
                Tensor yd = dev.forward(xd);
                assertEquals(device, yd.device());
                // Masking and scaling are exact float operations on both devices: equal bit for bit.
                assertArrayEquals(cpu.forward(x).toFloatArray(), yd.toFloatArray());
                assertArrayEquals(cpu.backward(g).toFloatArray(), dev.backward(gd).toFloatArray());
            }
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
