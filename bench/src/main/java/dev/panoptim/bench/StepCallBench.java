package dev.panoptim.bench;

import dev.panoptim.optim.FusedSteps;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

/**
 * The fixed cost of one fused step call from Java: {@link FusedSteps} over {@code tensors} tensors of
 * {@code numel} floats each (default 4), so small that the kernel's work is negligible and what is
 * timed is the Java side (lists to pointer arrays, the options), the FFM downcall and the C argument
 * checks. 161 tensors is ResNet-50's parameter list. Target: under 5 µs per call. Same options as
 * {@link OptimizerStepBench}; tiny calls stay on the calling thread (no OpenMP wake-up).
 *
 * <pre>java -jar bench/target/benchmarks.jar StepCallBench</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StepCallBench {
    @Param({"sgd", "rmsprop", "adam", "adamw"})
    public String optimizer;

    @Param({"1", "161"})
    public int tensors;

    @Param({"4"})
    public int numel;

    private Arena arena;
    private List<MemorySegment> ps, gs, s1s, s2s;
    private final long[] steps = {0};
    private long[] stepsPerTensor;

    @Setup(Level.Trial)
    public void setup() {
        arena = Arena.ofShared();
        ps = new ArrayList<>();
        gs = new ArrayList<>();
        s1s = new ArrayList<>();
        s2s = new ArrayList<>();
        for (int i = 0; i < tensors; i++) {
            MemorySegment g = arena.allocate((long) numel * Float.BYTES, 64);
            for (int j = 0; j < numel; j++) g.setAtIndex(JAVA_FLOAT, j, 0.5f - j);
            gs.add(g);
            ps.add(arena.allocate((long) numel * Float.BYTES, 64));
            s1s.add(arena.allocate((long) numel * Float.BYTES, 64));
            s2s.add(arena.allocate((long) numel * Float.BYTES, 64));
        }
        ps = List.copyOf(ps);
        gs = List.copyOf(gs);
        s1s = List.copyOf(s1s);
        s2s = List.copyOf(s2s);
        stepsPerTensor = new long[tensors];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public void step() {
        switch (optimizer) {
            case "sgd" -> FusedSteps.sgd(Device.CPU, ps, gs, s1s, null, OptimizerStepBench.SGD);
            case "rmsprop" -> FusedSteps.rmsprop(Device.CPU, ps, gs, s1s, null, null, OptimizerStepBench.RMSPROP);
            case "adam" -> FusedSteps.adam(Device.CPU, ps, gs, s1s, s2s, null, nextSteps(), OptimizerStepBench.ADAM);
            default -> FusedSteps.adamw(Device.CPU, ps, gs, s1s, s2s, null, nextSteps(), OptimizerStepBench.ADAMW);
        }
    }

    private long[] nextSteps() {
        steps[0]++;
        Arrays.fill(stepsPerTensor, steps[0]);
        return stepsPerTensor;
    }
}
