package dev.panoptim.cli;

import dev.panoptim.report.RunReport;
import dev.panoptim.track.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code panoptim report ID [--out DIR]}: writes DIR/report.html (interactive, offline: loss curves,
 * accuracy on a second y-axis, config, summary) and DIR/report.png (the same curves).
 *
 * <pre>{@code bin/panoptim report 3k2j9x0a --out report}</pre>
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write a run's report: report.html (Plotly, opens offline: the loss curves with",
            "the accuracy on a second y-axis, a plot per other metric, config, summary) and",
            "report.png (the same curves). Other files in DIR are left alone."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Parameters(paramLabel = "ID", description = "The run's id (as runs list shows it).")
    String id;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Where to write (default: reports/ID in the panoptim directory).")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        try (RunStore s = store.open(spec.commandLine().getErr())) {
            Path dir = out != null ? out : store.directory().resolve("reports").resolve(id);
            RunReport.Outputs files = RunReport.write(s, id, dir);
            w.println("wrote " + files.html());
            w.println("wrote " + files.png());
        }
        return 0;
    }
}
