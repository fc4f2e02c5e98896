package dev.panoptim.landscape;

import dev.panoptim.report.HeadlessChromium;
import dev.panoptim.report.Html;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens landscape.html in headless Chromium (offline) and checks from the page that the plot was
 * drawn without script errors; leaves a screenshot for a person in training/target/landscape-browser/.
 * Skipped, with the reason, where no Chromium is installed (bin/test installs Debian's chromium).
 */
class LandscapeBrowserTest {
    static HeadlessChromium chromium;
    static String skipReason;
    static Path work;

    @BeforeAll
    static void findChromium() throws Exception {
        var found = HeadlessChromium.find();
        if (found.isEmpty()) {
            String env = System.getenv("PANOPTIM_CHROMIUM");
            String reason = (env != null && !env.isBlank() ? "PANOPTIM_CHROMIUM=" + env + " is not an executable"
                    : "no chromium, chromium-browser or google-chrome on the PATH")
                    + ": the HTML landscape was NOT checked in a browser; install chromium (bin/test does: apt-get install chromium)";
            System.err.println("SKIPPED LandscapeBrowserTest: " + reason);
            skipReason = reason;
            return;
        }
        chromium = found.get();
        work = Path.of("target", "landscape-browser").toAbsolutePath();
        Files.createDirectories(work);
    }

    /** Each test reports itself skipped, with the reason, where there is no browser (never a silent pass). */
    @BeforeEach
    void needsChromium() {
        Assumptions.assumeTrue(chromium != null, skipReason);
    }

    /** The course's comparison: a diverged SGD (gaps in its line), a log colour scale, a star minimum. */
    @Test
    void rosenbrockComparisonDraws() throws Exception {
        check("rosenbrock", LossSurface.rosenbrock(), 100);
    }

    /** The infimum at y = -infinity, as a triangle on the bottom edge. */
    @Test
    void pathologicalComparisonDraws() throws Exception {
        check("pathological", LossSurface.pathological(), 100);
    }

    private void check(String name, LossSurface surface, int steps) throws Exception {
        List<Trajectory> paths = new ArrayList<>();
        for (OptimizerSpec spec : OptimizerSpec.defaultComparison()) {
            paths.add(Landscapes.optimize(surface, surface.defaultStart(), spec.factory(), steps).withLabel(spec.label()));
        }
        Path dir = work.resolve(name);
        Landscapes.Outputs files = Landscapes.write(dir, surface, paths);

        HeadlessChromium.Output dom = chromium.dumpDom(files.html(), work);
        String html = dom.stdout();
        Matcher root = Pattern.compile("<html[^>]*>").matcher(html);
        assertTrue(root.find(), "a DOM came back");
        String rootTag = root.group();
        assertFalse(rootTag.contains("data-errors"), "script errors on the page: " + rootTag);
        List<String> consoleErrors = dom.stderr().lines()
                .filter(l -> l.contains("CONSOLE") && (l.contains("Uncaught") || l.contains("Error"))).toList();
        assertEquals(List.of(), consoleErrors, "browser console errors");
        assertTrue(rootTag.contains("data-rendered=\"true\""), "Plotly.newPlot finished: " + rootTag);

        String plot = html.substring(html.indexOf("<div id=\"plot\""));
        assertTrue(plot.contains("class=\"main-svg\""), "the plot div holds Plotly's SVG");
        assertTrue(count(plot, "class=\"contourlayer") >= 1, "a contour layer");
        assertTrue(count(plot, "class=\"contourlevel\"") >= 10, "contour lines: " + count(plot, "class=\"contourlevel\""));
        long ends = paths.stream().filter(t -> !t.diverged()).count();
        assertEquals(paths.size() + ends + 2, count(plot, "class=\"trace scatter"), "paths, end markers, start, minima");
        for (Trajectory t : paths) {
            assertTrue(plot.contains(">" + Html.escape(t.label()).replace("&#39;", "'") + "</text>"),
                    "legend entry for " + t.label());
        }
        assertTrue(plot.contains(">known minimum</text>") && plot.contains(">start</text>"), "legend: minimum, start");

        Path shot = dir.resolve("screenshot.png");
        Files.deleteIfExists(shot);
        chromium.screenshot(files.html(), shot, 1280, 1100, work);
        BufferedImage img = ImageIO.read(shot.toFile());
        assertNotNull(img, "the screenshot decodes");
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) for (int x = 0; x < img.getWidth(); x += 2) colours.add(img.getRGB(x, y) & 0xFFFFFF);
        assertTrue(colours.size() > 500, "the screenshot shows a picture, " + colours.size() + " colours");
        System.out.println("browser check of " + name + ": drawn without script errors; screenshot " + shot);
    }

    private static long count(String s, String needle) {
        long n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }
}
