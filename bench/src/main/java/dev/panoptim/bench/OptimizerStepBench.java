package dev.panoptim.bench;

import dev.panoptim.optim.FusedSteps;
import dev.panoptim.optim.FusedSteps.AdamOptions;
import dev.panoptim.optim.FusedSteps.RmspropOptions;
import dev.panoptim.optim.FusedSteps.SgdOptions;
import dev.panoptim.tensor.Device;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

/**
 * One optimizer step over {@code numel} float32 params, three ways:
 * <ul>
 *   <li>{@code fusedStep}: panoptim's fused CPU kernel through FFM ({@link FusedSteps}, one downcall,
 *       OpenMP threads as {@code bin/panoptim info} reports them);</li>
 *   <li>{@code javaLoopStep}: the same algorithm as a plain single-threaded Java loop over the same
 *       kind of segments ({@link JavaLoopOptimizers});</li>
 *   <li>{@code rooflineStep}: {@code pt_roofline_step} ({@link Roofline}) over the same p, g, m, v:
 *       the 28-byte memory traffic of a fused AdamW step with trivial arithmetic, on the same threads
 *       and chunks, the bandwidth reference measured in the same run. (It replaced a single-threaded
 *       {@code MemorySegment.copy}, which made the two-threaded fused steps look twice as fast as
 *       memory can go.)</li>
 * </ul>
 * Options: SGD lr 0.01 with momentum 0.9 (no dampening, no weight decay, not nesterov); RMSprop with
 * torch's defaults (lr 0.01, alpha 0.99, eps 1e-8, no momentum, not centered); Adam and AdamW with
 * torch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8; weight decay 0 for Adam, 0.01 for AdamW;
 * no amsgrad). Params are uniform in [-1, 1), grads uniform in +-[0.1, 1) (never zero), state starts
 * at zero as in torch; the step counter of Adam/AdamW goes up by one per invocation. State carries
 * over from one invocation to the next, as in training.
 *
 * <p>Bytes moved per param (read + written, each array once): Adam/AdamW 28 (p, g, m, v read;
 * p, m, v written), SGD with momentum 20, RMSprop 20, roofline 28. {@link BenchReport} turns the JSON
 * results ({@code -rf json -rff results.json}) into GB/s and ratios.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar OptimizerStepBench -rf json -rff results.json
 * java -cp bench/target/benchmarks.jar dev.panoptim.bench.BenchReport results.json
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OptimizerStepBench {
    static final SgdOptions SGD = new SgdOptions(0.01, 0.9, 0.0, 0.0, false, false);
    static final RmspropOptions RMSPROP = new RmspropOptions(0.01, 0.99, 1e-8, 0.0, 0.0, false, false);
    static final AdamOptions ADAM = new AdamOptions(1e-3, 0.9, 0.999, 1e-8, 0.0, false, false);
    static final AdamOptions ADAMW = new AdamOptions(1e-3, 0.9, 0.999, 1e-8, 0.01, false, false);

    @Param({"sgd", "rmsprop", "adam", "adamw"})
    public String optimizer;

    @Param({"1048576", "16777216"})
    public int numel;

    private Arena arena;
    private int kind;
    /** params, grads, first and second state buffers (null where the optimizer has no such state). */
    private MemorySegment p, g, s1, s2;
    /** The roofline's p, g, m, v: its own, so that it never disturbs the optimizers' state. */
    private MemorySegment rp, rg, rm, rv;
    private List<MemorySegment> ps, gs, s1s, s2s;
    private final long[] steps = {0};

    @Setup(Level.Trial)
    public void setup() {
        kind = switch (optimizer) {
            case "sgd" -> 0;
            case "rmsprop" -> 1;
            case "adam" -> 2;
            case "adamw" -> 3;
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
        arena = Arena.ofShared();
        long bytes = (long) numel * Float.BYTES;
        p = arena.allocate(bytes, 64);
        g = arena.allocate(bytes, 64);
        s1 = arena.allocate(bytes, 64);                     // SGD momentum buffer, RMSprop square_avg, Adam exp_avg
        s2 = kind >= 2 ? arena.allocate(bytes, 64) : null;  // Adam exp_avg_sq
        rp = arena.allocate(bytes, 64);
        rg = arena.allocate(bytes, 64);
        rm = arena.allocate(bytes, 64);
        rv = arena.allocate(bytes, 64);
        SplittableRandom rnd = new SplittableRandom(42);
        for (int j = 0; j < numel; j++) {
            p.setAtIndex(JAVA_FLOAT, j, (float) rnd.nextDouble(-1.0, 1.0));
            float mag = (float) rnd.nextDouble(0.1, 1.0);
            g.setAtIndex(JAVA_FLOAT, j, rnd.nextBoolean() ? mag : -mag);
        }
        ps = List.of(p);
        gs = List.of(g);
        s1s = List.of(s1);
        s2s = s2 == null ? null : List.of(s2);
        steps[0] = 0;
        MemorySegment.copy(p, 0, rp, 0, bytes);
        MemorySegment.copy(g, 0, rg, 0, bytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public void fusedStep() {
        switch (kind) {
            case 0 -> FusedSteps.sgd(Device.CPU, ps, gs, s1s, null, SGD);
            case 1 -> FusedSteps.rmsprop(Device.CPU, ps, gs, s1s, null, null, RMSPROP);
            case 2 -> {
                steps[0]++;
                FusedSteps.adam(Device.CPU, ps, gs, s1s, s2s, null, steps, ADAM);
            }
            default -> {
                steps[0]++;
                FusedSteps.adamw(Device.CPU, ps, gs, s1s, s2s, null, steps, ADAMW);
            }
        }
    }

    @Benchmark
    public void javaLoopStep() {
        switch (kind) {
            case 0 -> JavaLoopOptimizers.sgd(p, g, s1, false, numel, SGD);
            case 1 -> JavaLoopOptimizers.rmsprop(p, g, s1, null, null, numel, RMSPROP);
            case 2 -> JavaLoopOptimizers.adam(p, g, s1, s2, null, ++steps[0], numel, ADAM);
            default -> JavaLoopOptimizers.adamw(p, g, s1, s2, null, ++steps[0], numel, ADAMW);
        }
    }

    @Benchmark
    public void rooflineStep() {
        Roofline.step(numel, rp, rg, rm, rv);
    }
}
