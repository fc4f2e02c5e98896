package dev.panoptim.cli;

import dev.panoptim.landscape.Landscapes;
import dev.panoptim.landscape.LossSurface;
import dev.panoptim.landscape.OptimizerSpec;
import dev.panoptim.landscape.Trajectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code panoptim landscape}: runs optimizers on a 2-D loss surface and writes
 * {@code trajectories.csv}, {@code landscape.html} (interactive, offline) and {@code landscape.png}.
 *
 * <pre>{@code
 * bin/panoptim landscape --function pathological --optimizer sgd --lr 0.02 --momentum 0.99 --steps 100 --start 2.5,2.5 --out out
 * bin/panoptim landscape --function rosenbrock --optimizer 'adam:lr=0.1' --optimizer 'sgd:lr=0.001,momentum=0.9' --out out
 * }</pre>
 */
@Command(name = "landscape", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run optimizers on a 2-D loss surface. Writes into DIR: trajectories.csv",
            "(optimizer,step,x,y,loss), landscape.html (interactive contour plot, opens",
            "offline) and landscape.png; prints each optimizer's final point and loss.",
            "Other files in DIR are left alone; those three are replaced.",
            "",
            "Compare several optimizers by repeating --optimizer NAME:KEY=VALUE,... with",
            "torch's option names, e.g.",
            "  -o 'sgd:lr=0.03,momentum=0.99' -o 'adam:lr=0.2,betas=(0.99,0.99)'",
            "Flags such as --lr and --momentum apply to every --optimizer that does not",
            "set that key itself. With no --optimizer, the course's comparison runs:",
            "  SGD lr 0.03 momentum 0.99; RMSprop lr 0.02 alpha 0.99 momentum 0.8;",
            "  Adam lr 0.2 betas (0.99, 0.99) weight_decay 0.005; AdamW the same.",
            ""},
        footer = {"",
            "Functions: pathological   tanh(x)^2 + 0.01|x| + sigmoid(y)",
            "           rosenbrock[:a=1,b=100]   (a - x)^2 + b (y - x^2)^2 + 1",
            "           trimodal   minus three Gaussians (sigma 0.2)",
            "           gaussian[:x_mean=0,y_mean=0,x_sig=1,y_sig=1]   minus one Gaussian",
            "Optimizers: sgd, rmsprop, adam, adamw"})
final class LandscapeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--function"}, paramLabel = "SPEC", defaultValue = "pathological",
            description = "Surface: pathological, rosenbrock, trimodal or gaussian, with parameters as NAME:KEY=VALUE,... (default ${DEFAULT-VALUE}).")
    String function;

    @Option(names = {"-o", "--optimizer"}, paramLabel = "SPEC",
            description = "Optimizer: sgd, rmsprop, adam or adamw, optionally NAME:KEY=VALUE,...; repeat to compare.")
    List<String> optimizers = new ArrayList<>();

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate.")
    Double lr;
    @Option(names = "--momentum", paramLabel = "X", description = "Momentum (sgd, rmsprop).")
    Double momentum;
    @Option(names = "--dampening", paramLabel = "X", description = "Dampening (sgd).")
    Double dampening;
    @Option(names = "--nesterov", description = "Nesterov momentum (sgd).")
    Boolean nesterov;
    @Option(names = "--alpha", paramLabel = "X", description = "Smoothing constant (rmsprop).")
    Double alpha;
    @Option(names = "--centered", description = "Centered RMSprop.")
    Boolean centered;
    @Option(names = "--betas", paramLabel = "B1,B2", description = "Betas (adam, adamw), e.g. 0.9,0.999.")
    String betas;
    @Option(names = "--eps", paramLabel = "X", description = "Epsilon (rmsprop, adam, adamw).")
    Double eps;
    @Option(names = "--weight-decay", paramLabel = "X", description = "Weight decay (all; decoupled for adamw).")
    Double weightDecay;
    @Option(names = "--amsgrad", description = "AMSGrad (adam, adamw).")
    Boolean amsgrad;

    @Option(names = {"-n", "--steps"}, paramLabel = "N", defaultValue = "100", description = "Optimizer steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--start", paramLabel = "X,Y", description = "Start point (default: the surface's, 2.5,2.5 for pathological).")
    String start;

    @Option(names = "--xrange", paramLabel = "MIN,MAX", description = "Plot window in x (default: the surface's, grown to hold the paths).")
    String xRange;

    @Option(names = "--yrange", paramLabel = "MIN,MAX", description = "Plot window in y (default: the surface's, grown to hold the paths).")
    String yRange;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory (created if missing).")
    Path out;

    static final int MAX_STEPS = 1_000_000;

    @Override
    public Integer call() throws IOException {
        if (steps < 1 || steps > MAX_STEPS) throw new IllegalArgumentException("--steps must be in [1, " + MAX_STEPS + "], got " + steps);
        LossSurface surface = LossSurface.builtIn(function);
        double[] xy = start == null ? surface.defaultStart() : pair("--start", start, "X,Y", "2.5,2.5");
        List<OptimizerSpec> specs = specs();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " exists and is not a directory");
        }

        List<Trajectory> trajectories = new ArrayList<>();
        for (OptimizerSpec spec : specs) {
            trajectories.add(Landscapes.optimize(surface, xy, spec.factory(), steps).withLabel(spec.label()));
        }
        LossSurface.Window window = window(surface, trajectories);

        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "%s: f(x, y) = %s; %d steps from (%s, %s)%n", surface.name(), surface.formula(), steps,
                num(xy[0]), num(xy[1]));
        int width = trajectories.stream().mapToInt(t -> t.label().length()).max().orElse(0);
        for (Trajectory t : trajectories) {
            stdout.printf(Locale.ROOT, "  %-" + width + "s  %s%n", t.label(), t.summary());
        }
        List<String> replaced = new ArrayList<>();
        for (String name : List.of("trajectories.csv", "landscape.html", "landscape.png")) {
            if (Files.exists(out.resolve(name))) replaced.add(name);
        }
        Landscapes.Outputs files;
        try {
            files = Landscapes.write(out, surface, trajectories, window);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("--out: " + e.getFile() + " " + e.getReason());
        }
        stdout.printf(Locale.ROOT, "wrote %s (%d rows per optimizer), %s, %s%s%n", files.csv(), steps + 1, files.html(), files.png(),
                replaced.isEmpty() ? "" : " (replaced the previous " + String.join(", ", replaced) + ")");
        stdout.flush();
        return 0;
    }

    /** The optimizers: each --optimizer with the flags as defaults, or the course's comparison. */
    private List<OptimizerSpec> specs() {
        Map<String, Object> flags = new LinkedHashMap<>();
        if (lr != null) flags.put("lr", lr);
        if (momentum != null) flags.put("momentum", momentum);
        if (dampening != null) flags.put("dampening", dampening);
        if (nesterov != null) flags.put("nesterov", nesterov);
        if (alpha != null) flags.put("alpha", alpha);
        if (centered != null) flags.put("centered", centered);
        if (betas != null) flags.put("betas", pair("--betas", betas, "B1,B2", "0.9,0.999"));
        if (eps != null) flags.put("eps", eps);
        if (weightDecay != null) flags.put("weight_decay", weightDecay);
        if (amsgrad != null) flags.put("amsgrad", amsgrad);
        if (optimizers.isEmpty()) {
            if (!flags.isEmpty()) {
                throw new IllegalArgumentException("--" + flags.keySet().iterator().next().replace('_', '-')
                        + " needs an --optimizer to apply to (without one, the course's comparison runs with its own settings;"
                        + " e.g. --optimizer sgd --lr 0.02 --momentum 0.99)");
            }
            return OptimizerSpec.defaultComparison();
        }
        List<OptimizerSpec> specs = new ArrayList<>();
        for (String o : optimizers) specs.add(OptimizerSpec.parse(o, flags));
        return specs;
    }

    private LossSurface.Window window(LossSurface surface, List<Trajectory> trajectories) {
        LossSurface.Window auto = Landscapes.plotWindow(surface, trajectories);
        double[] x = xRange == null ? new double[] {auto.xMin(), auto.xMax()} : pair("--xrange", xRange, "MIN,MAX", "-3,3");
        double[] y = yRange == null ? new double[] {auto.yMin(), auto.yMax()} : pair("--yrange", yRange, "MIN,MAX", "-3,3");
        if (!(x[0] < x[1])) throw new IllegalArgumentException("--xrange needs MIN < MAX, got " + xRange);
        if (!(y[0] < y[1])) throw new IllegalArgumentException("--yrange needs MIN < MAX, got " + yRange);
        return new LossSurface.Window(x[0], x[1], y[0], y[1]);
    }

    /** Two finite numbers "a,b", or an error naming the option and showing the expected form. */
    static double[] pair(String option, String text, String form, String example) {
        String[] parts = text.split(",", -1);
        if (parts.length == 2) {
            try {
                double a = Double.parseDouble(parts[0].strip()), b = Double.parseDouble(parts[1].strip());
                if (Double.isFinite(a) && Double.isFinite(b)) return new double[] {a, b};
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new IllegalArgumentException("malformed " + option + " '" + text + "' (expected " + form + ": two finite numbers,"
                + " e.g. " + option + " " + example + ")");
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%s", (float) v).replaceAll("\\.0$", "");
    }

}
