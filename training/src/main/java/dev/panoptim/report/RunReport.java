package dev.panoptim.report;

import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run's report: {@code report.html} (Plotly, offline: the loss curves with the accuracy on a second
 * y-axis, like the course's plot, a plot per other metric, the config and the summary) and
 * {@code report.png} (the same main plot, drawn with Java2D) in one directory. Other files there
 * are left alone; those two are replaced.
 *
 * <pre>{@code RunReport.Outputs files = RunReport.write(store, "3k2j9x0a", Path.of("report"));}</pre>
 */
public final class RunReport {
    public static final String HTML = "report.html";
    public static final String PNG = "report.png";

    /** The files written. */
    public record Outputs(Path html, Path png) {}

    private RunReport() {}

    /** The report page of run {@code runId} as HTML (plotly inlined), as {@link #write} writes it; an unknown id is an IllegalArgumentException. */
    public static String html(RunStore store, String runId) {
        return RunReportHtml.render(ReportData.of(store, find(store, runId)));
    }

    private static RunInfo find(RunStore store, String runId) {
        return store.run(runId).orElseThrow(() -> new IllegalArgumentException("unknown run id '" + runId + "' in "
                + store.location() + " (panoptim runs list shows the runs)"));
    }

    /** Writes the report of run {@code runId} into {@code dir} (created when missing); an unknown id is an IllegalArgumentException. */
    public static Outputs write(RunStore store, String runId, Path dir) throws IOException {
        RunInfo run = find(store, runId);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new FileAlreadyExistsException(dir.toString(), null, "exists and is not a directory");
        }
        ReportData data = ReportData.of(store, run);
        String html = RunReportHtml.render(data);
        Files.createDirectories(dir);
        Path htmlFile = dir.resolve(HTML), pngFile = dir.resolve(PNG);
        Files.writeString(htmlFile, html, StandardCharsets.UTF_8);
        RunReportPng.write(pngFile, data);
        return new Outputs(htmlFile, pngFile);
    }
}
