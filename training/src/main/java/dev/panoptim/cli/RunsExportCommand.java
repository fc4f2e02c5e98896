package dev.panoptim.cli;

import dev.panoptim.track.RunExport;
import dev.panoptim.track.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code panoptim runs export ID --format csv|json [--out FILE]}: the metric history as CSV (step, then a
 * column per key) or the whole run as JSON (fields, config, summary, history, histograms), to FILE or
 * standard output.
 *
 * <pre>{@code bin/panoptim runs export 3k2j9x0a --format csv --out history.csv}</pre>
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a run: csv, the metric history (columns step, then one per metric key);",
            "json, the whole run (config, summary, history, histograms)."})
final class RunsExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Parameters(paramLabel = "ID", description = "The run's id (as runs list shows it).")
    String id;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "csv", description = "csv or json (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write to FILE (replaced) instead of standard output.")
    Path out;

    @Override
    public Integer call() throws IOException {
        RunExport.Format f = RunExport.Format.parse(format);
        try (RunStore s = store.open(spec.commandLine().getErr())) {
            if (out == null) {
                Writer w = spec.commandLine().getOut();
                RunExport.write(s, id, f, w);
                w.flush();
                return 0;
            }
            if (s.run(id).isEmpty()) RunExport.write(s, id, f, Writer.nullWriter());   // the unknown-id error, before touching FILE
            if (Files.isDirectory(out)) throw new IllegalArgumentException("--out " + out + " is a directory; give a file name");
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                RunExport.write(s, id, f, w);
            }
            spec.commandLine().getOut().println("wrote " + out);
        }
        return 0;
    }
}
