package dev.panoptim.bench;

import dev.panoptim.optim.FusedSteps;
import dev.panoptim.optim.FusedSteps.AdamOptions;
import dev.panoptim.optim.FusedSteps.RmspropOptions;
import dev.panoptim.optim.FusedSteps.SgdOptions;
import dev.panoptim.tensor.Device;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Java loops of the benchmark compute what the fused kernels compute: same options, same float32
 * operations. They are not bit-identical: the kernels' AVX2/AVX-512 clones fuse a*b+c into FMAs
 * (native/cpu/simd.h) while Java rounds every operation, like the C scalar references. So the
 * comparison uses the tolerance of the C parity tests (native/tests/test_optim_parity.c):
 * |fused - java| <= 1e-6 + 1e-5 * |fused|.
 */
class JavaLoopOptimizersTest {
    static final int N = 1000 + 13;   // not a multiple of any vector width
    static final int STEPS = 10;
    static final double ATOL = 1e-6, RTOL = 1e-5;

    private static MemorySegment[] randomPair(Arena arena, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        MemorySegment p = arena.allocate(JAVA_FLOAT, N), g = arena.allocate(JAVA_FLOAT, N);
        for (int j = 0; j < N; j++) {
            p.setAtIndex(JAVA_FLOAT, j, (float) rnd.nextDouble(-1, 1));
            g.setAtIndex(JAVA_FLOAT, j, (float) rnd.nextDouble(-1, 1));
        }
        return new MemorySegment[] {p, g};
    }

    private static MemorySegment copy(Arena arena, MemorySegment s) {
        return arena.allocate(s.byteSize(), 4).copyFrom(s);
    }

    private static void assertSame(String what, MemorySegment expected, MemorySegment actual) {
        for (int j = 0; j < N; j++) {
            float e = expected.getAtIndex(JAVA_FLOAT, j), a = actual.getAtIndex(JAVA_FLOAT, j);
            assertEquals(e, a, ATOL + RTOL * Math.abs(e), what + "[" + j + "]");
        }
    }

    @Test
    void sgdMatchesTheFusedKernel() {
        for (SgdOptions o : List.of(OptimizerStepBench.SGD, new SgdOptions(0.05, 0.9, 0.1, 0.01, false, true),
                new SgdOptions(0.05, 0.8, 0.0, 0.0, true, false), new SgdOptions(0.1, 0.0, 0.0, 0.02, false, false))) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment[] pg = randomPair(arena, 1);
                MemorySegment p1 = pg[0], g = pg[1], p2 = copy(arena, p1);
                MemorySegment b1 = arena.allocate(JAVA_FLOAT, N), b2 = arena.allocate(JAVA_FLOAT, N);
                for (int t = 1; t <= STEPS; t++) {
                    boolean isNew = t == 1;
                    FusedSteps.sgd(Device.CPU, List.of(p1), List.of(g), List.of(b1), new boolean[] {isNew}, o);
                    JavaLoopOptimizers.sgd(p2, g, b2, isNew, N, o);
                }
                assertSame("p " + o, p1, p2);
                assertSame("buf " + o, b1, b2);
            }
        }
    }

    @Test
    void rmspropMatchesTheFusedKernel() {
        for (RmspropOptions o : List.of(OptimizerStepBench.RMSPROP,
                new RmspropOptions(0.01, 0.9, 1e-6, 0.01, 0.5, true, true))) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment[] pg = randomPair(arena, 2);
                MemorySegment p1 = pg[0], g = pg[1], p2 = copy(arena, p1);
                MemorySegment sq1 = arena.allocate(JAVA_FLOAT, N), sq2 = arena.allocate(JAVA_FLOAT, N);
                MemorySegment b1 = arena.allocate(JAVA_FLOAT, N), b2 = arena.allocate(JAVA_FLOAT, N);
                MemorySegment ga1 = arena.allocate(JAVA_FLOAT, N), ga2 = arena.allocate(JAVA_FLOAT, N);
                for (int t = 1; t <= STEPS; t++) {
                    FusedSteps.rmsprop(Device.CPU, List.of(p1), List.of(g), List.of(sq1), List.of(b1), List.of(ga1), o);
                    JavaLoopOptimizers.rmsprop(p2, g, sq2, b2, ga2, N, o);
                }
                assertSame("p " + o, p1, p2);
                assertSame("square_avg " + o, sq1, sq2);
                assertSame("momentum_buffer " + o, b1, b2);
                assertSame("grad_avg " + o, ga1, ga2);
            }
        }
    }

    @Test
    void adamAndAdamwMatchTheFusedKernel() {
        for (boolean decoupled : new boolean[] {false, true}) {
            for (AdamOptions o : List.of(decoupled ? OptimizerStepBench.ADAMW : OptimizerStepBench.ADAM,
                    new AdamOptions(1e-2, 0.8, 0.99, 1e-6, 0.1, true, true))) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment[] pg = randomPair(arena, 3);
                    MemorySegment p1 = pg[0], g = pg[1], p2 = copy(arena, p1);
                    MemorySegment m1 = arena.allocate(JAVA_FLOAT, N), m2 = arena.allocate(JAVA_FLOAT, N);
                    MemorySegment v1 = arena.allocate(JAVA_FLOAT, N), v2 = arena.allocate(JAVA_FLOAT, N);
                    MemorySegment x1 = arena.allocate(JAVA_FLOAT, N), x2 = arena.allocate(JAVA_FLOAT, N);
                    for (long t = 1; t <= STEPS; t++) {
                        if (decoupled) {
                            FusedSteps.adamw(Device.CPU, List.of(p1), List.of(g), List.of(m1), List.of(v1), List.of(x1),
                                    new long[] {t}, o);
                            JavaLoopOptimizers.adamw(p2, g, m2, v2, x2, t, N, o);
                        } else {
                            FusedSteps.adam(Device.CPU, List.of(p1), List.of(g), List.of(m1), List.of(v1), List.of(x1),
                                    new long[] {t}, o);
                            JavaLoopOptimizers.adam(p2, g, m2, v2, x2, t, N, o);
                        }
                    }
                    String what = (decoupled ? "adamw " : "adam ") + o;
                    assertSame("p " + what, p1, p2);
                    assertSame("exp_avg " + what, m1, m2);
                    assertSame("exp_avg_sq " + what, v1, v2);
                    assertSame("max_exp_avg_sq " + what, x1, x2);
                }
            }
        }
    }
}
