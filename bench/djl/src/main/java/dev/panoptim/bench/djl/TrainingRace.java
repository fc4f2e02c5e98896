package dev.panoptim.bench.djl;

import dev.panoptim.runtime.Panoptim;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Whole training and evaluation steps, panoptim's own ResNet-18 ({@code dev.panoptim.nn}, its fused
 * AdamW) against the same torchvision ResNet-18 on DJL's PyTorch engine (DJL's AdamW in a DJL
 * Trainer), interleaved in one JVM on the same synthetic batch (issue 17's measurement). Each round
 * times one training step of each (zeroGrad, forward, loss, backward, optimizer step; the order
 * alternating), then one evaluation step of each (forward and loss in evaluation mode), and reports
 * images/s at the median and the fastest step. Both run on the same intra-op thread count (the
 * {@code ai.djl.pytorch.num_threads} property, 2 unless set). {@code --only panoptim|djl} runs one
 * framework alone, so the peak resident memory printed at the end (VmHWM) is that framework's:
 * bench/djl/training-race.sh runs the race and then each alone.
 *
 * <pre>{@code
 * bench/djl/training-race.sh --image 32 --rounds 5   # java ... dev.panoptim.bench.djl.TrainingRace --image 32
 * }</pre>
 */
public final class TrainingRace {
    private TrainingRace() {}

    /** The frameworks' names as {@code --only} takes them. */
    static final List<String> FRAMEWORKS = List.of("panoptim", "djl");

    record Options(int image, int batch, int rounds, int warmup, int width, String only) {
        static final String USAGE = "options: --image 28|32 (28: 1 x 28 x 28, 32: 3 x 32 x 32), --batch N (128), --rounds R (5), "
                + "--warmup K (3), --width W (64), --only panoptim|djl (both, interleaved)";

        static Options parse(String[] args) {
            int image = 28, batch = 128, rounds = 5, warmup = 3, width = 64;
            String only = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) throw new IllegalArgumentException("option " + a + " needs a value");
                String value = args[++i];
                if (a.equals("--only")) {
                    if (!FRAMEWORKS.contains(value)) throw new IllegalArgumentException("--only takes panoptim or djl, got '" + value + "'");
                    only = value;
                    continue;
                }
                int v;
                try {
                    v = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(a + " takes a whole number, got '" + value + "'");
                }
                if (v < (a.equals("--warmup") ? 0 : 1)) throw new IllegalArgumentException(a + " must be positive, got " + v);
                switch (a) {
                    case "--image" -> {
                        if (v != 28 && v != 32) throw new IllegalArgumentException("--image takes 28 or 32, got " + v);
                        image = v;
                    }
                    case "--batch" -> batch = v;
                    case "--rounds" -> rounds = v;
                    case "--warmup" -> warmup = v;
                    case "--width" -> width = v;
                    default -> throw new IllegalArgumentException("unknown option " + a + " (" + USAGE + ")");
                }
            }
            return new Options(image, batch, rounds, warmup, width, only);
        }

        /** 1 channel at 28 x 28 (MNIST's shape), 3 at 32 x 32 (CIFAR's). */
        int channels() {
            return image == 28 ? 1 : 3;
        }

        boolean runs(String framework) {
            return only == null || only.equals(framework);
        }
    }

    /** One framework's model on the race's batch: a training step and an evaluation step, each returning the loss. */
    interface Contender extends AutoCloseable {
        String name();

        long parameters();

        float train();

        float evaluate();

        @Override
        void close();
    }

    /** A contender with the step times of each round. */
    private static final class Lane {
        final Contender contender;
        final List<Long> train = new ArrayList<>(), evaluate = new ArrayList<>();
        float trainLoss = Float.NaN, evalLoss = Float.NaN;

        Lane(Contender contender) {
            this.contender = contender;
        }

        void train(boolean record) {
            long t0 = System.nanoTime();
            trainLoss = contender.train();
            if (record) train.add(System.nanoTime() - t0);
        }

        void evaluate(boolean record) {
            long t0 = System.nanoTime();
            evalLoss = contender.evaluate();
            if (record) evaluate.add(System.nanoTime() - t0);
        }
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("TrainingRace: " + e.getMessage());
            System.exit(2);
            return;
        }
        run(o, System.out);
    }

    /** Runs the race (or one framework alone) and prints its setting, table and peak resident memory to {@code out}. */
    static void run(Options o, PrintStream out) {
        // Neither framework's native library loads unless it runs: each would count in the other's peak memory.
        if (o.runs("panoptim")) Panoptim.setNumThreads(Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads", "2")));
        DjlStepRace.printMachine(out, o.runs("djl"));
        out.printf(Locale.ROOT, "threads: panoptim %s, libtorch %s; %s; rounds %d after %d warm-up rounds%n",
                o.runs("panoptim") ? Panoptim.numThreads() + " (pt_num_threads)" : "(not loaded)", o.runs("djl") ? System.getProperty("ai.djl.pytorch.num_threads", "(default)") : "(not loaded)",
                o.only() == null ? "interleaved (order alternating)" : "only " + o.only(), o.rounds(), o.warmup());

        int c = o.channels(), s = o.image();
        Random r = new Random(1);
        float[] x = new float[o.batch() * c * s * s];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        int[] y = new int[o.batch()];
        for (int i = 0; i < y.length; i++) y[i] = r.nextInt(10);

        List<Lane> lanes = new ArrayList<>();
        try {
            if (o.runs("panoptim")) lanes.add(new Lane(new PanoptimContender(o.width(), c, s, x, y)));
            if (o.runs("djl")) lanes.add(new Lane(new DjlContender(o.width(), c, s, x, y)));
            for (Lane l : lanes) {
                out.printf(Locale.ROOT, "%s: ResNet-18 width %d, %,d parameters, batch %d x %d x %d x %d%n", l.contender.name(),
                        o.width(), l.contender.parameters(), o.batch(), c, s, s);
            }
            for (int round = 0; round < o.warmup() + o.rounds(); round++) {
                boolean record = round >= o.warmup();
                List<Lane> order = new ArrayList<>(lanes);
                if (round % 2 == 1) Collections.reverse(order);
                for (Lane l : order) l.train(record);
                for (Lane l : order) l.evaluate(record);
            }
            report(lanes, o.batch(), out);
            StringBuilder losses = new StringBuilder("loss on the (fixed) batch at the last step, training / evaluation:");
            for (Lane l : lanes) {
                losses.append(String.format(Locale.ROOT, " %s %.3g / %.3g;", l.contender.name(), l.trainLoss, l.evalLoss));
            }
            out.println(losses);
        } finally {
            for (Lane l : lanes) l.contender.close();
        }
        out.printf(Locale.ROOT, "peak resident memory of this JVM (VmHWM)%s: %s%n",
                o.only() == null ? ", both frameworks" : ", " + o.only() + " alone", peakResident());
    }

    private static void report(List<Lane> lanes, int batch, PrintStream out) {
        boolean both = lanes.size() == 2;
        StringBuilder head = new StringBuilder("| images/s (at the median step; at the fastest in brackets) |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Lane l : lanes) {
            head.append(' ').append(l.contender.name()).append(" |");
            rule.append("---|");
        }
        if (both) {
            head.append(" panoptim / DJL |");
            rule.append("---|");
        }
        out.println();
        out.println(head);
        out.println(rule);
        row(out, "training (forward, loss, backward, AdamW step)", lanes.stream().map(l -> l.train).toList(), batch);
        row(out, "evaluation (forward and loss, evaluation mode)", lanes.stream().map(l -> l.evaluate).toList(), batch);
        out.println();
        if (both) out.println("issue 17's targets: training >= 1.3x DJL, evaluation >= 1.0x, less peak memory (see the --only runs)");
    }

    private static void row(PrintStream out, String what, List<List<Long>> times, int batch) {
        StringBuilder line = new StringBuilder("| ").append(what).append(" |");
        for (List<Long> t : times) {
            line.append(String.format(Locale.ROOT, " %.0f (%.0f) |", batch * 1e9 / DjlStepRace.median(t),
                    batch * 1e9 / DjlStepRace.min(t)));
        }
        if (times.size() == 2) {
            line.append(String.format(Locale.ROOT, " %.2fx |", DjlStepRace.median(times.get(1)) / DjlStepRace.median(times.get(0))));
        }
        out.println(line);
    }

    /** VmHWM from /proc/self/status ("n/a" where there is none, as off Linux). */
    static String peakResident() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%,d MiB", kib / 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "n/a (" + e.getMessage() + ")";
        }
        return "n/a (no VmHWM in /proc/self/status)";
    }
}
