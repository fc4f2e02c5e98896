package dev.panoptim.scaling;

import dev.panoptim.landscape.TrajectoryCsv;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * The study's runs as CSV (RFC 4180), one row per run in the order given: its fields, then whether it is a point of
 * its dropout's loss frontier ({@code on_frontier}) and of its accuracy frontier. Numbers are written so that they
 * read back exactly.
 *
 * <pre>{@code try (Writer w = Files.newBufferedWriter(path)) { ScalingCsv.write(w, analysis); }}</pre>
 */
public final class ScalingCsv {
    /** The header row's columns. */
    public static final List<String> COLUMNS = List.of("run_id", "width_exponent", "params", "data_fraction", "seed", "dropout",
            "train_flops", "val_loss", "val_accuracy", "on_frontier", "on_accuracy_frontier");

    private ScalingCsv() {}

    /** Writes the header and a row per run. */
    public static void write(Writer out, ScalingAnalysis analysis) throws IOException {
        out.write(String.join(",", COLUMNS));
        out.write('\n');
        for (ScalingRow r : analysis.rows()) {
            out.write(TrajectoryCsv.quote(r.runId()) + "," + r.widthExponent() + "," + r.params() + "," + r.dataFraction() + "," + r.seed()
                    + "," + r.dropout() + "," + r.trainFlops() + "," + r.valLoss() + "," + r.valAccuracy() + "," + analysis.onLossFrontier(r)
                    + "," + analysis.onAccuracyFrontier(r) + "\n");
        }
    }

    /** The CSV as a string. */
    public static String toCsv(ScalingAnalysis analysis) {
        StringWriter w = new StringWriter();
        try {
            write(w, analysis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
