package dev.panoptim.report;

import dev.panoptim.sweep.SweepConfig;
import dev.panoptim.sweep.Sweeps;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SweepInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep's page, one self-contained HTML file (plotly.js inlined, opens offline): a parallel-coordinates
 * plot of its runs (an axis per swept parameter, then the metric; lines coloured by the metric), the
 * parameters' importance and correlation with the metric, and the metric of every run over its steps.
 *
 * <pre>{@code Path page = SweepReport.write(store, "k3j2x9a0", Path.of("sweep-k3j2x9a0.html"));}</pre>
 */
public final class SweepReport {
    private SweepReport() {}

    /** The file name {@code panoptim sweep report} writes by default. */
    public static String defaultFileName(String sweepId) {
        return "sweep-" + sweepId + ".html";
    }

    /** Writes the page of sweep {@code sweepId} to {@code file} (its folder created when missing); an unknown id is an IllegalArgumentException. */
    public static Path write(RunStore store, String sweepId, Path file) throws IOException {
        String html = html(store, sweepId);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, html, StandardCharsets.UTF_8);
        return file;
    }

    /** The page of sweep {@code sweepId} as HTML, as {@link #write} writes it; an unknown id is an IllegalArgumentException. */
    public static String html(RunStore store, String sweepId) {
        SweepInfo sweep = store.sweep(sweepId).orElseThrow(() -> new IllegalArgumentException("unknown sweep id '" + sweepId + "' in "
                + store.location() + " (panoptim sweep list shows the sweeps)"));
        SweepConfig config = Sweeps.config(sweep);
        List<RunInfo> runs = store.sweepRuns(sweepId);
        Map<String, List<RunStore.MetricPoint>> history = new LinkedHashMap<>();
        if (config.metric() != null) {
            for (RunInfo r : runs) {
                List<RunStore.MetricPoint> points = new ArrayList<>();
                for (RunStore.MetricPoint p : store.history(r.id())) if (p.key().equals(config.metric().name())) points.add(p);
                history.put(r.id(), points);
            }
        }
        return SweepReportHtml.render(sweep, config, runs, history);
    }
}
