package dev.panoptim.track;

import dev.panoptim.report.HeadlessChromium;
import dev.panoptim.report.PlotlyBundle;
import dev.panoptim.report.RunReport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * panoptim report: report.html (offline Plotly; checked in headless Chromium where installed, as
 * LandscapeBrowserTest does) and report.png (decodes, shows curves in their colours).
 */
class ReportTest {
    /** A course-like run: loss falling, accuracy rising, a learning rate on the side. */
    static Run courseRun(RunStore store) {
        Run run = Tracking.init(store, "fashion", "resnet <adamw>", Map.of("batch_size", 64, "lr", 1e-3));
        for (int epoch = 0; epoch <= 20; epoch++) {
            run.log(Map.of("loss", 2.3 * Math.exp(-epoch / 6.0) + 0.1, "accuracy", 0.95 - 0.85 * Math.exp(-epoch / 5.0),
                    "lr", 1e-3 * Math.cos(epoch / 20.0 * Math.PI / 2)), epoch);
        }
        run.summary().put("test_accuracy", 0.9123);
        run.finish();
        return run;
    }

    @Test
    void writesHtmlAndPng(@TempDir Path dir) throws Exception {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            Run run = courseRun(store);
            Path out = dir.resolve("report");
            Files.createDirectories(out);
            Files.writeString(out.resolve("notes.txt"), "mine");
            RunReport.Outputs files = RunReport.write(store, run.id(), out);
            assertEquals(out.resolve("report.html"), files.html());
            assertEquals("mine", Files.readString(out.resolve("notes.txt")), "other files are left alone");

            String html = Files.readString(files.html());
            assertTrue(html.contains("<title>run resnet &lt;adamw&gt; (" + run.id() + ")</title>"), "escaped title with name and id");
            assertTrue(html.contains("plotly.js v" + PlotlyBundle.load().version()), "plotly.js is inlined");
            assertFalse(Pattern.compile("<script[^>]+src=").matcher(html).find(), "no external script: opens offline");
            assertTrue(html.contains("<tr><th>batch_size</th><td>64</td></tr>"), "config table");
            assertTrue(html.contains("<tr><th>test_accuracy</th><td>0.9123</td></tr>"), "summary table");
            String data = html.substring(html.indexOf("<script id=\"report-data\""));
            assertTrue(data.contains("\"left\":[{\"key\":\"loss\""), "loss on the left axis");
            assertTrue(data.contains("\"right\":[{\"key\":\"accuracy\""), "accuracy on the right axis");
            assertTrue(data.contains("\"others\":[{\"key\":\"lr\""), "lr in its own plot");

            BufferedImage png = ImageIO.read(files.png().toFile());
            assertNotNull(png, "report.png decodes");
            assertEquals(1200, png.getWidth());
            Set<Integer> colours = new HashSet<>();
            int blue = 0, orange = 0;
            for (int y = 0; y < png.getHeight(); y++) {
                for (int x = 0; x < png.getWidth(); x++) {
                    int rgb = png.getRGB(x, y) & 0xFFFFFF;
                    colours.add(rgb);
                    if (rgb == 0x1f77b4) blue++;
                    if (rgb == 0xff7f0e) orange++;
                }
            }
            assertTrue(colours.size() > 50, "not blank: " + colours.size() + " colours");
            assertTrue(blue > 300 && orange > 300, "the loss (blue) and accuracy (orange) curves are drawn: " + blue + ", " + orange + " pixels");
        }
    }

    @Test
    void aRunWithoutMetricsStillGetsAReport(@TempDir Path dir) throws Exception {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            Run run = Tracking.init(store, "p", "empty", null);
            RunReport.Outputs files = RunReport.write(store, run.id(), dir.resolve("r"));
            assertTrue(Files.readString(files.html()).contains("\"left\":[]"));
            assertNotNull(ImageIO.read(files.png().toFile()));
            var e = assertThrows(IllegalArgumentException.class, () -> RunReport.write(store, "nope", dir.resolve("x")));
            assertTrue(e.getMessage().startsWith("unknown run id 'nope' in "), e.getMessage());
            assertFalse(Files.exists(dir.resolve("x")), "nothing written for an unknown id");
            run.finish();
        }
    }

    /** The page draws both traces of the main plot and the lr plot in Chromium without a script error. */
    @Test
    void htmlDrawsInHeadlessChromium(@TempDir Path dir) throws Exception {
        Optional<HeadlessChromium> found = HeadlessChromium.find();
        if (found.isEmpty()) {
            String reason = "no chromium, chromium-browser or google-chrome on the PATH (or PANOPTIM_CHROMIUM is not executable): "
                    + "report.html was NOT checked in a browser; install chromium (bin/test does: apt-get install chromium)";
            System.err.println("SKIPPED ReportTest.htmlDrawsInHeadlessChromium: " + reason);
            Assumptions.assumeTrue(false, reason);
        }
        HeadlessChromium chromium = found.get();
        Path work = Path.of("target", "report-browser").toAbsolutePath();
        Files.createDirectories(work);
        RunReport.Outputs files;
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            files = RunReport.write(store, courseRun(store).id(), work);
        }
        HeadlessChromium.Output dom = chromium.dumpDom(files.html(), work);
        String html = dom.stdout();
        Matcher root = Pattern.compile("<html[^>]*>").matcher(html);
        assertTrue(root.find(), "a DOM came back");
        String rootTag = root.group();
        assertFalse(rootTag.contains("data-errors"), "script errors on the page: " + rootTag);
        List<String> consoleErrors = dom.stderr().lines()
                .filter(l -> l.contains("CONSOLE") && (l.contains("Uncaught") || l.contains("Error"))).toList();
        assertEquals(List.of(), consoleErrors, "browser console errors");
        assertTrue(rootTag.contains("data-rendered=\"true\""), "every Plotly.newPlot finished: " + rootTag);

        String plot = html.substring(html.indexOf("<div id=\"plot\""), html.indexOf("<div id=\"others\""));
        assertEquals(2, count(plot, "class=\"trace scatter"), "loss and accuracy traces");
        assertTrue(plot.contains(">loss</text>") && plot.contains(">accuracy</text>"), "legend and axis titles");
        assertTrue(plot.contains("class=\"y2tick\""), "a second y-axis");
        String others = html.substring(html.indexOf("<div id=\"others\""));
        assertEquals(1, count(others, "class=\"trace scatter"), "the lr plot");

        Path shot = work.resolve("screenshot.png");
        Files.deleteIfExists(shot);
        chromium.screenshot(files.html(), shot, 1280, 1000, work);
        BufferedImage img = ImageIO.read(shot.toFile());
        assertNotNull(img, "the screenshot decodes");
        System.out.println("browser check of report.html: drawn without script errors; screenshot " + shot);
    }

    private static long count(String s, String needle) {
        long n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }
}
