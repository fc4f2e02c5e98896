package dev.panoptim.scaling;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a scaling study's three files into a directory (created when missing; other files there are left alone,
 * these three replaced): {@value #CSV} (a row per run, with whether it is on the frontier), {@value #HTML} (the
 * interactive page, plotly.js inlined so it opens offline) and {@value #PNG} (the main plot: compute against loss
 * with the frontier and fit, one panel per dropout value).
 *
 * <pre>{@code List<Path> files = ScalingReport.write(ScalingAnalysis.of(rows), Path.of("scaling"));}</pre>
 */
public final class ScalingReport {
    public static final String CSV = "scaling.csv";
    public static final String HTML = "scaling.html";
    public static final String PNG = "scaling.png";

    private ScalingReport() {}

    /** Writes the three files and returns their paths: csv, html, png. */
    public static List<Path> write(ScalingAnalysis analysis, Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new FileAlreadyExistsException(dir.toString(), null, "exists and is not a directory");
        String html = ScalingHtml.render(analysis);   // before touching the directory: a missing plotly.js leaves it as it was
        Files.createDirectories(dir);
        Path csv = dir.resolve(CSV), page = dir.resolve(HTML), png = dir.resolve(PNG);
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            ScalingCsv.write(w, analysis);
        }
        Files.writeString(page, html, StandardCharsets.UTF_8);
        ScalingPng.write(png, analysis);
        return List.of(csv, page, png);
    }

    /** The page {@link #write} writes, as a string. */
    public static String html(ScalingAnalysis analysis) {
        return ScalingHtml.render(analysis);
    }
}
