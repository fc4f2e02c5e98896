package dev.panoptim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panoptim.sweep.ParameterImportance;
import dev.panoptim.sweep.SweepConfig;
import dev.panoptim.sweep.Sweeps;
import dev.panoptim.track.Run;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.SqliteRunStore;
import dev.panoptim.track.RunsCliTest.Result;
import dev.panoptim.track.Tracking;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.panoptim.track.RunsCliTest.run;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A sweep run in-process into a temporary store, then {@code panoptim sweep show} (importance in both formats)
 * and {@code panoptim sweep report} through the real command line, and the page opened in headless Chromium:
 * no script errors and all three plots drawn. The browser checks are skipped, with the reason, where no
 * Chromium is installed (bin/test installs Debian's chromium).
 */
class SweepReportTest {
    static final String CONFIG = """
            method: random
            metric: {name: acc, goal: maximize}
            run_cap: 8
            parameters:
              lr: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
              optimizer: {values: [adam, sgd]}
              nesterov: {values: [true, false]}
              opt: {parameters: {beta: {min: 0.8, max: 0.99}, eps: {value: 1.0e-8}}}
            """;

    /** Runs the sweep's 8 trials; each logs acc over 5 steps, rising towards a value set mostly by lr. */
    static String sweep(Path dir, String config) {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            String id = Sweeps.create(store, SweepConfig.parse(config, false, "test"), 5L).id();
            Sweeps.agent(store, id, null, () -> {
                try (Run run = Tracking.init(store, "ignored", null, Map.of())) {
                    double lr = ((Number) run.config().get("lr")).doubleValue();
                    double top = 0.6 + 3 * lr + ("adam".equals(run.config().get("optimizer")) ? 0.02 : 0);
                    for (int step = 0; step < 5; step++) run.log(Map.of("acc", top * (step + 1) / 5));
                }
            });
            return id;
        }
    }

    @Test
    void showListsTheImportanceOfEveryParameter(@TempDir Path dir) throws Exception {
        String id = sweep(dir, CONFIG);
        JsonNode json = new ObjectMapper().readTree(run("sweep", "show", id, "--dir", dir.toString(), "--format", "json").expect(0).out());
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("id", "name", "method", "state", "metric", "runs", "best", "importance"), keys);
        assertEquals(8, json.get("runs").size());
        JsonNode importance = json.get("importance");
        assertEquals(4, importance.size(), importance.toString());
        double sum = 0;
        List<String> parameters = new ArrayList<>();
        for (JsonNode p : importance) {
            parameters.add(p.get("parameter").asText());
            sum += p.get("importance").asDouble();
            assertTrue(p.has("correlation"), p.toString());
        }
        assertEquals(List.of("lr", "nesterov", "opt.beta", "optimizer"), parameters.stream().sorted().toList());
        assertEquals(1.0, sum, 1e-9);
        JsonNode lr = importance.get(parameters.indexOf("lr"));
        assertTrue(lr.get("correlation").asDouble() > 0.5, "acc rises with lr: " + lr);
        JsonNode optimizer = importance.get(parameters.indexOf("optimizer"));
        assertTrue(optimizer.get("correlation").isNull(), "categorical: a correlation per value");
        assertEquals(2, optimizer.get("levels").size(), optimizer.toString());
        try (SqliteRunStore store = SqliteRunStore.openExisting(dir.resolve(SqliteRunStore.FILE_NAME))) {
            List<RunInfo> runs = new ArrayList<>(store.sweepRuns(id));
            Collections.reverse(runs);
            ParameterImportance.Result again = ParameterImportance.of(Sweeps.config(store.sweep(id).orElseThrow()), runs);
            for (ParameterImportance.Importance p : again.parameters()) {
                assertEquals(p.importance(), importance.get(parameters.indexOf(p.parameter())).get("importance").asDouble(),
                        "show sorts the runs by the metric; the importance does not depend on their order");
            }
        }

        String table = run("sweep", "show", id, "--dir", dir.toString()).expect(0).out();
        assertTrue(table.matches("(?s).*parameter importance for acc \\(random forest over 8 runs.*\\nPARAMETER +IMPORTANCE +CORRELATION\\n.*"), table);
        assertTrue(table.matches("(?s).*\\noptimizer +\\d\\.\\d{4} +(adam|sgd) -?\\d\\.\\d{4}, (adam|sgd) -?\\d\\.\\d{4}\\n.*"), table);
    }

    @Test
    void reportNeedsAKnownSweep(@TempDir Path dir) {
        sweep(dir, CONFIG);
        Result r = run("sweep", "report", "nosuchid", "--dir", dir.toString(), "--out", dir.resolve("x.html").toString()).expect(2);
        assertTrue(r.err().contains("unknown sweep id 'nosuchid'"), r.err());
        assertFalse(Files.exists(dir.resolve("x.html")));
    }

    @Test
    void thePageDrawsItsThreePlots(@TempDir Path dir) throws Exception {
        String id = sweep(dir, CONFIG);
        Path page = dir.resolve("pages").resolve("sweep.html");
        Result r = run("sweep", "report", id, "--dir", dir.toString(), "--out", page.toString()).expect(0);
        assertEquals("wrote " + page.toAbsolutePath().normalize(), r.out().strip());
        String html = opened(page, dir);
        assertEquals(3, count(html, "class=\"js-plotly-plot\""), "three plots");
        assertTrue(count(html, "class=\"parcoords\"") >= 1, "the parallel coordinates");
        assertEquals(5, count(html, "class=\"axis-title\""), "an axis per swept parameter (4), then the metric");
        assertTrue(html.contains(">lr (log)</text>") && html.contains(">adam</text>"), "log and categorical axes");
        assertEquals(2, count(html, "class=\"trace bars\""), "importance and correlation bars");
        assertEquals(8, count(html, "class=\"trace scatter"), "a line per run");
    }

    @Test
    void aSweepWithoutAMetricStillDraws(@TempDir Path dir) throws Exception {
        String id = sweep(dir, CONFIG.replace("metric: {name: acc, goal: maximize}\n", ""));
        Path page = dir.resolve("sweep.html");
        run("sweep", "report", id, "--dir", dir.toString(), "--out", page.toString()).expect(0);
        String html = opened(page, dir);
        assertEquals(1, count(html, "class=\"js-plotly-plot\""), "only the parallel coordinates");
        assertTrue(html.contains("The sweep names no metric to plot."), "the history says why it is empty");
        assertTrue(html.contains("No parameter importance: the sweep's config names no metric."), "so does importance");
    }

    /** The page's DOM after its scripts ran, once its root says it rendered without script errors. */
    private static String opened(Path page, Path scratch) throws Exception {
        Optional<HeadlessChromium> chromium = HeadlessChromium.find();
        Assumptions.assumeTrue(chromium.isPresent(), "no chromium, chromium-browser or google-chrome on the PATH (nor $PANOPTIM_CHROMIUM): "
                + "the sweep page was NOT checked in a browser; install chromium (bin/test does: apt-get install chromium)");
        HeadlessChromium.Output dom = chromium.get().dumpDom(page, scratch);
        String html = dom.stdout();
        Matcher root = Pattern.compile("<html[^>]*>").matcher(html);
        assertTrue(root.find(), "a DOM came back");
        assertFalse(root.group().contains("data-errors"), "script errors on the page: " + root.group());
        List<String> consoleErrors = dom.stderr().lines()
                .filter(l -> l.contains("CONSOLE") && (l.contains("Uncaught") || l.contains("Error"))).toList();
        assertEquals(List.of(), consoleErrors, "browser console errors");
        assertTrue(root.group().contains("data-rendered=\"true\""), "every Plotly.newPlot finished: " + root.group());
        return html;
    }

    private static long count(String s, String needle) {
        long n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }
}
