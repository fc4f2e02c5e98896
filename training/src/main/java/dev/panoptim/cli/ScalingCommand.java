package dev.panoptim.cli;

import dev.panoptim.scaling.ScalingAnalysis;
import dev.panoptim.scaling.ScalingReport;
import dev.panoptim.scaling.ScalingStudy;
import dev.panoptim.track.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code panoptim scaling [options]}: a scaling-law study of the small CNN (width x data fraction x
 * seeds x dropout, one epoch each), run as a grid sweep in the run store, then analysed: the
 * compute-efficient frontier, its power law, the compute-optimal model size, written to
 * {@code scaling.csv}, {@code scaling.html}, {@code scaling.png} and {@code summary.txt} in {@code --out}. Run again with the
 * same options and {@code --out} to resume; {@code panoptim agent SWEEP_ID} on other machines shares
 * the work.
 *
 * <pre>{@code bin/panoptim scaling --widths 0,1,2 --fractions 1,0.5 --seeds 1 --out scaling}</pre>
 */
@Command(name = "scaling", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A scaling-law study: train the small CNN at every width, data fraction, seed and dropout of a grid",
            "(a sweep in the run store: resumable, shared with `panoptim agent SWEEP_ID`), then fit compute against loss."})
final class ScalingCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;

    @Option(names = "--widths", split = ",", paramLabel = "K", description = "Width exponents k: channels round(8 * sqrt(2)^k) (default 0,1,2,3,4,5).")
    List<Integer> widths;
    @Option(names = "--fractions", split = ",", paramLabel = "F", description = "Fractions of the training set (default 1,0.5,0.25,0.125).")
    List<Double> fractions;
    @Option(names = "--seeds", paramLabel = "N", description = "Seeds per cell: 1..N (default 2).")
    Integer seeds;
    @Option(names = "--dropout", split = ",", paramLabel = "P", description = "Dropout settings, each a study of its own (default 0,0.2).")
    List<Double> dropouts;
    @Option(names = "--dataset", paramLabel = "NAME", description = "fashion-mnist (default) or cifar10.")
    String dataset;
    @Option(names = "--data", paramLabel = "PATH", description = "The dataset's folder (IDX files for fashion-mnist: MNIST's work too).")
    Path data;
    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per run (default 1).")
    Integer epochs;
    @Option(names = "--batch-size", paramLabel = "N", description = "Training batch size (default 64).")
    Integer batchSize;
    @Option(names = "--val-subset", paramLabel = "K", description = "Validate on every K-th test example (default 1: the full validation set).")
    Integer valSubset;
    @Option(names = "--device", paramLabel = "DEV", description = "cpu (default) or cuda[:N].")
    String device;
    @Option(names = {"--lr", "--learning-rate"}, paramLabel = "LR", description = "Base learning rate of AdamW (default 3e-2, with --lr-rule fan-in).")
    Double lr;
    @Option(names = "--lr-rule", paramLabel = "RULE", description = "fan-in (default: each layer's lr is the base lr / sqrt(its fan-in)) or fixed.")
    String lrRule;
    @Option(names = "--out", paramLabel = "DIR", description = "Where the study and its results go (default ./scaling).")
    Path out = Path.of("scaling");
    @Option(names = "--no-train", description = "Only analyse the runs finished so far (another machine's agents may still be training).")
    boolean noTrain;

    @Override
    public Integer call() {
        ScalingStudy.Options d = ScalingStudy.Options.defaults();
        ScalingStudy.Options options = new ScalingStudy.Options(widths != null ? widths : d.widths(),
                fractions != null ? fractions : d.fractions(), seeds != null ? seeds : d.seeds(),
                dropouts != null ? dropouts : d.dropouts(), dataset != null ? dataset : d.dataset(), data,
                epochs != null ? epochs : d.epochs(), batchSize != null ? batchSize : d.batchSize(),
                valSubset != null ? valSubset : d.valSubset(), device != null ? device : d.device(),
                lr != null ? lr : d.learningRate(), lrRule != null ? lrRule : d.lrRule());
        PrintWriter o = spec.commandLine().getOut();
        try (RunStore s = store.openOrCreate()) {
            ScalingStudy study = ScalingStudy.open(s, out, options);
            o.printf(Locale.ROOT, "scaling study: sweep %s, %d runs (%d widths x %d fractions x %d seeds x %d dropout), results in %s%n",
                    study.sweepId(), options.cells(), options.widths().size(), options.fractions().size(), options.seeds(),
                    options.dropouts().size(), out.toAbsolutePath().normalize());
            o.printf("other machines can share it: panoptim agent %s --store %s%n", study.sweepId(), store.location());
            o.flush();
            if (!noTrain) {
                long t0 = System.nanoTime();
                int ran = study.run(s, store.directory(), System.out);
                o.printf(Locale.ROOT, "ran %d %s in %.1f min%n", ran, ran == 1 ? "run" : "runs", (System.nanoTime() - t0) / 6e10);
                if (study.interrupted()) {
                    o.println("interrupted: run the same command again to resume");
                    return 130;
                }
            }
            int finished = study.finishedCells(s);
            if (finished < options.cells()) {
                o.printf("%d of %d runs finished%s%n", finished, options.cells(),
                        noTrain ? "" : " (the others are running elsewhere or failed: see panoptim sweep show " + study.sweepId() + ")");
            }
            var rows = study.rows(s);
            if (rows.size() < 2) {
                o.println("too few finished runs to analyse (" + rows.size() + ")");
                return noTrain ? 0 : 1;
            }
            ScalingAnalysis analysis = ScalingAnalysis.of(rows);
            String summary = study.describe() + "\n" + analysis.summaryText();
            List<Path> files = new ArrayList<>();
            try {
                files.addAll(ScalingReport.write(analysis, out));
                Path text = out.resolve("summary.txt");
                Files.writeString(text, summary + (summary.endsWith("\n") ? "" : "\n"));
                files.add(text);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the study's results into " + out + ": " + e.getMessage(), e);
            }
            o.println(summary);
            for (Path f : files) o.println("wrote " + f);
        }
        return 0;
    }
}
