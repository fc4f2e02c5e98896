package dev.panoptim.cli;

import dev.panoptim.report.SweepReport;
import dev.panoptim.track.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code panoptim sweep report ID [--out FILE]}: writes the sweep's page (default {@code sweep-ID.html} in the
 * current directory) and prints its path: parallel coordinates of the runs, parameter importance, and the
 * metric of every run over steps, with plotly.js inlined so it opens offline.
 *
 * <pre>{@code bin/panoptim sweep report k3j2x9a0 --out sweep.html}</pre>
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write a sweep's page (one HTML file, opens offline): the runs as parallel coordinates",
            "coloured by the metric, each parameter's importance and correlation, and the metric of",
            "every run over steps."})
final class SweepReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Parameters(paramLabel = "ID", description = "The sweep id (as sweep list shows it).")
    String id;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where to write (default: sweep-ID.html in the current directory).")
    Path out;

    @Override
    public Integer call() throws IOException {
        try (RunStore s = store.open(spec.commandLine().getErr())) {
            Path file = out != null ? out : Path.of(SweepReport.defaultFileName(id));
            SweepReport.write(s, id, file);
            spec.commandLine().getOut().println("wrote " + file.toAbsolutePath().normalize());
        }
        return 0;
    }
}
