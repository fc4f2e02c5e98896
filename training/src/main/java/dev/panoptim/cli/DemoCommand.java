package dev.panoptim.cli;

import dev.panoptim.landscape.Landscapes;
import dev.panoptim.landscape.LossSurface;
import dev.panoptim.landscape.Trajectory;
import dev.panoptim.optim.AdamW;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.optim.SGD;
import dev.panoptim.runtime.Panoptim;
import dev.panoptim.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code panoptim demo}: the main job until the trainer exists. Runs the course's seed check (SGD on
 * tanh(x)^2 + 0.01|x| + sigmoid(y)) through the fused kernels, then times a fused AdamW step against
 * a plain memory copy of the same size, in this process.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Seed check of the fused SGD, and fused AdamW throughput against a memory copy.")
final class DemoCommand implements Callable<Integer> {
    static final double[] SEED_EXPECTED = {0.8110, -6.3344};

    @Option(names = "--numel", description = "Params in the throughput run (default ${DEFAULT-VALUE}).", defaultValue = "16777216")
    long numel;

    @Option(names = "--steps", description = "Timed AdamW steps (default ${DEFAULT-VALUE}).", defaultValue = "20")
    int steps;

    @Override
    public Integer call() {
        if (numel < 1 || numel > (1L << 30)) throw new IllegalArgumentException("--numel must be in [1, 2^30], got " + numel);
        if (steps < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        System.out.println("panoptim " + Panoptim.version() + " on " + Panoptim.simdLevel() + ", "
                + Panoptim.numThreads() + " thread(s)");
        boolean seedOk = seedCheck();
        throughput();
        return seedOk ? 0 : 1;
    }

    /**
     * The point before the 100th step of SGD(lr 0.02, momentum 0.99) from (2.5, 2.5) on
     * {@link LossSurface#pathological()}, through {@link Landscapes#optimize} (the course's opt_fn).
     */
    static float[] seedTrajectoryPoint() {
        Trajectory t = Landscapes.optimize(LossSurface.pathological(), new double[] {2.5, 2.5},
                params -> SGD.builder(params).lr(0.02).momentum(0.99).build(), 100);
        Trajectory.Point p = t.points().get(99);
        return new float[] {(float) p.x(), (float) p.y()};
    }

    private static boolean seedCheck() {
        float[] p = seedTrajectoryPoint();
        boolean ok = Math.abs(p[0] - SEED_EXPECTED[0]) <= 1e-3 && Math.abs(p[1] - SEED_EXPECTED[1]) <= 1e-3;
        System.out.printf(Locale.ROOT, "seed check: SGD(lr=0.02, momentum=0.99) on tanh(x)^2+0.01|x|+sigmoid(y) from (2.5, 2.5):"
                + " before step 100 at (%.4f, %.4f), expected (%.4f, %.4f): %s%n", p[0], p[1], SEED_EXPECTED[0],
                SEED_EXPECTED[1], ok ? "OK" : "MISMATCH");
        return ok;
    }

    private void throughput() {
        int shape = Math.toIntExact(numel);
        try (Tensor w = Tensor.zeros(shape); Optimizer opt = AdamW.builder(List.of(w)).lr(1e-3).build();
             Arena arena = Arena.ofConfined()) {
            float[] init = new float[shape];
            for (int i = 0; i < shape; i++) init[i] = (float) Math.sin(i * 0.001);
            w.copyFrom(init);
            Tensor g = Tensor.of(init);
            w.setGrad(g);
            for (int i = 0; i < 3; i++) opt.step(); // warm-up: state allocation, page faults, thread pool
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) opt.step();
            double adamSeconds = (System.nanoTime() - t0) / 1e9;

            MemorySegment src = arena.allocate(numel * Float.BYTES, 64), dst = arena.allocate(numel * Float.BYTES, 64);
            for (int i = 0; i < 3; i++) MemorySegment.copy(src, 0, dst, 0, src.byteSize());
            long t1 = System.nanoTime();
            for (int i = 0; i < steps; i++) MemorySegment.copy(src, 0, dst, 0, src.byteSize());
            double copySeconds = (System.nanoTime() - t1) / 1e9;

            double adamGbs = 28.0 * numel * steps / adamSeconds / 1e9;
            double copyGbs = 8.0 * numel * steps / copySeconds / 1e9;
            System.out.printf(Locale.ROOT, "throughput: fused AdamW over %,d params: %.2f ms/step, %.1f GB/s"
                    + " (28 B/param); memory copy %.1f GB/s (read+write); ratio %.2f%n", numel,
                    adamSeconds * 1e3 / steps, adamGbs, copyGbs, adamGbs / copyGbs);
        }
    }
}
