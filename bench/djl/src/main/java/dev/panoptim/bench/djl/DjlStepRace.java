package dev.panoptim.bench.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.djl.PanoptimOptimizer;
import dev.panoptim.djl.PanoptimOptimizers;
import dev.panoptim.runtime.NativeStatus;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * DJL's AdamW against panoptim's AdamW inside DJL, interleaved in one JVM on one model shape: a
 * torchvision ResNet-18 on (batch, 1, 28, 28) inputs, each contender its own model and Trainer from
 * the same seed. Each round runs one training step of each (the order alternating), timing the
 * forward and backward pass and {@code trainer.step()} (the optimizer step as DJL runs it: per
 * parameter getGradient, a copy of the gradient, the optimizer's update). A third Trainer with an
 * optimizer that does nothing times that per-parameter plumbing alone, and {@code pt_roofline_step}
 * over the same number of elements times memory speed for a step's bytes, in the same run. The
 * warm-up is long (30 steps) because each optimizer's Java side runs 62 times a step: the first few
 * hundred calls of panoptim's update (FFM downcalls, per-array probes) run interpreted, 10 to 30 us
 * each, until the JIT compiles them (about 1 us), as any long training run has them.
 *
 * <pre>{@code
 * bench/djl/race.sh --rounds 15          # java ... dev.panoptim.bench.djl.DjlStepRace --rounds 15
 * }</pre>
 */
public final class DjlStepRace {
    private DjlStepRace() {}

    record Options(int width, int batch, int rounds, int warmup) {
        static Options parse(String[] args) {
            int width = 64, batch = 128, rounds = 10, warmup = 30;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) throw new IllegalArgumentException("option " + a + " needs a value");
                int v;
                try {
                    v = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(a + " takes a whole number, got '" + args[i] + "'");
                }
                if (v < (a.equals("--warmup") ? 0 : 1)) throw new IllegalArgumentException(a + " must be positive, got " + v);
                switch (a) {
                    case "--width" -> width = v;
                    case "--batch" -> batch = v;
                    case "--rounds" -> rounds = v;
                    case "--warmup" -> warmup = v;
                    default -> throw new IllegalArgumentException("unknown option " + a
                            + " (options: --width W (64), --batch N (128), --rounds R (10), --warmup K (30))");
                }
            }
            return new Options(width, batch, rounds, warmup);
        }
    }

    /** One model and Trainer under one optimizer, with the step times of each round. */
    static final class Contender implements AutoCloseable {
        final String name;
        final Optimizer optimizer;
        final Model model;
        final Trainer trainer;
        final List<Long> forwardBackward = new ArrayList<>(), step = new ArrayList<>();
        float lastLoss = Float.NaN;

        Contender(String name, Optimizer optimizer, Options o) {
            this.name = name;
            this.optimizer = optimizer;
            model = Model.newInstance(name);
            model.setBlock(TorchvisionResNet18.build(o.width(), 10));
            trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer));
            Engine.getInstance().setRandomSeed(7);
            trainer.initialize(new Shape(o.batch(), 1, 28, 28));
        }

        long parameters() {
            return model.getBlock().getParameters().values().stream()
                    .filter(p -> p.requiresGradient()).mapToLong(p -> p.getArray().size()).sum();
        }

        void step(float[] x, int[] y, int batch, boolean record) {
            try (NDManager sub = trainer.getManager().newSubManager()) {
                NDArray input = sub.create(x, new Shape(batch, 1, 28, 28));
                NDArray label = sub.create(y, new Shape(batch));
                long t0 = System.nanoTime();
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray pred = trainer.forward(new NDList(input)).singletonOrThrow();
                    NDArray loss = trainer.getLoss().evaluate(new NDList(label), new NDList(pred));
                    collector.backward(loss);
                    lastLoss = loss.getFloat();
                }
                long t1 = System.nanoTime();
                trainer.step();
                long t2 = System.nanoTime();
                if (record) {
                    forwardBackward.add(t1 - t0);
                    step.add(t2 - t1);
                }
            }
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
            if (optimizer instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** An optimizer that changes nothing: trainer.step() with it is DJL's per-parameter plumbing alone. */
    static final class NoOp extends Optimizer {
        NoOp() {
            super(new OptimizerBuilder<>() {
                @Override
                protected OptimizerBuilder<?> self() {
                    return this;
                }
            });
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad) {}
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("DjlStepRace: " + e.getMessage());
            System.exit(2);
            return;
        }
        run(o, System.out);
    }

    /** Runs the race and prints its setting, table and notes to {@code out}. */
    static void run(Options o, java.io.PrintStream out) {
        printSetting(o, out);
        Random r = new Random(1);
        float[] x = new float[o.batch() * 28 * 28];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        int[] y = new int[o.batch()];
        for (int i = 0; i < y.length; i++) y[i] = r.nextInt(10);

        PanoptimOptimizer panoptim = PanoptimOptimizers.adamW().optLearningRate(1e-3f).optWeightDecays(0.01f).build();
        try (Contender djl = new Contender("DJL AdamW", Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-3f))
                     .optWeightDecays(0.01f).build(), o);
             Contender ours = new Contender("panoptim AdamW", panoptim, o);
             Contender none = new Contender("no-op optimizer", new NoOp(), o)) {
            List<Contender> all = List.of(djl, ours, none);
            long n = djl.parameters();
            out.printf(Locale.ROOT, "model: torchvision ResNet-18 width %d, %,d trainable parameters in %d tensors, batch %d x 1 x 28 x 28%n",
                    o.width(), n, djl.model.getBlock().getParameters().values().stream().filter(p -> p.requiresGradient()).count(),
                    o.batch());
            for (int w = 0; w < o.warmup(); w++) for (Contender c : all) c.step(x, y, o.batch(), false);
            for (int round = 0; round < o.rounds(); round++) {
                List<Contender> order = new ArrayList<>(all);
                if (round % 2 == 1) java.util.Collections.reverse(order);
                for (Contender c : order) c.step(x, y, o.batch(), true);
            }
            long[] roofline = roofline(n, o.rounds());
            report(djl, ours, none, roofline, n, out);
            out.printf(Locale.ROOT, "loss on the (fixed) batch after %d steps: DJL %.3g, panoptim %.3g; panoptim updates %s%n",
                    o.warmup() + o.rounds(), djl.lastLoss, ours.lastLoss, panoptim.updateCounts());
        }
    }

    private static void printSetting(Options o, java.io.PrintStream out) {
        printMachine(out, true);
        out.printf(Locale.ROOT, "rounds %d after %d warm-up steps, interleaved (order alternating)%n", o.rounds(), o.warmup());
    }

    /**
     * The JDK, CPUs, (with {@code djl}) DJL's engine, version and intra-op threads, and the environment
     * that moves CPU timings: glibc malloc's tunables, OpenBLAS's kernel choice and OpenMP's threads.
     * Without {@code djl} the engine is not touched (loading libtorch would count in the resident memory).
     */
    static void printMachine(java.io.PrintStream out, boolean djl) {
        // The engine loads (and logs) before the line starts, so its log lines do not split it.
        String engine = !djl ? "" : String.format(Locale.ROOT, "; DJL %s with %s %s, intra-op threads %s", Engine.getDjlVersion(),
                Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(),
                System.getProperty("ai.djl.pytorch.num_threads", "(libtorch default)"));
        out.printf(Locale.ROOT, "JDK %s, %d CPUs%s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), engine);
        StringBuilder env = new StringBuilder("allocator and threads:");
        for (String k : new String[] {"MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_",
                "LD_PRELOAD", "OPENBLAS_CORETYPE", "OMP_NUM_THREADS", "OMP_WAIT_POLICY"}) {
            env.append(' ').append(k).append('=').append(System.getenv().getOrDefault(k, "(unset)"));
        }
        out.println(env);
    }

    /** pt_roofline_step over n elements (p, g, m, v), rounds times, each timed. */
    private static long[] roofline(long n, int rounds) {
        long[] t = new long[rounds];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(4 * n, 64), g = arena.allocate(4 * n, 64),
                    m = arena.allocate(4 * n, 64), v = arena.allocate(4 * n, 64);
            NativeStatus.check(panoptim_h.pt_roofline_step(0, n, p, g, m, v), "roofline");
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                NativeStatus.check(panoptim_h.pt_roofline_step(0, n, p, g, m, v), "roofline");
                t[i] = System.nanoTime() - t0;
            }
        }
        return t;
    }

    private static void report(Contender djl, Contender ours, Contender none, long[] roofline, long n, java.io.PrintStream out) {
        out.println();
        out.println("| what (median of rounds, min in brackets) | DJL AdamW | panoptim AdamW | DJL / panoptim |");
        out.println("|---|---|---|---|");
        row(out, "optimizer step (`trainer.step()`)", djl.step, ours.step);
        List<Long> djlWhole = sum(djl.forwardBackward, djl.step), oursWhole = sum(ours.forwardBackward, ours.step);
        row(out, "forward + backward", djl.forwardBackward, ours.forwardBackward);
        row(out, "whole training step", djlWhole, oursWhole);
        out.println();
        double plumbing = median(none.step), rf = median(Arrays.stream(roofline).boxed().toList());
        out.printf(Locale.ROOT, "DJL's per-parameter plumbing (trainer.step() with a no-op optimizer): %.1f ms%n", plumbing / 1e6);
        out.printf(Locale.ROOT, "memory roofline of one fused AdamW step over %,d elements (pt_roofline_step, 28 B/element): %.1f ms = %.1f GB/s%n",
                n, rf / 1e6, 28.0 * n / rf);
        out.printf(Locale.ROOT, "optimizer step less plumbing: DJL %.1f ms, panoptim %.1f ms (%.2fx the roofline), ratio %.1fx%n",
                (median(djl.step) - plumbing) / 1e6, (median(ours.step) - plumbing) / 1e6,
                (median(ours.step) - plumbing) / rf, (median(djl.step) - plumbing) / (median(ours.step) - plumbing));
    }

    private static void row(java.io.PrintStream out, String what, List<Long> a, List<Long> b) {
        out.printf(Locale.ROOT, "| %s | %.1f ms (%.1f) | %.1f ms (%.1f) | %.2fx |%n", what, median(a) / 1e6,
                min(a) / 1e6, median(b) / 1e6, min(b) / 1e6, median(a) / median(b));
    }

    private static List<Long> sum(List<Long> a, List<Long> b) {
        List<Long> s = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) s.add(a.get(i) + b.get(i));
        return s;
    }

    static double median(List<Long> values) {
        long[] s = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    static double min(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).min().orElse(0);
    }
}
