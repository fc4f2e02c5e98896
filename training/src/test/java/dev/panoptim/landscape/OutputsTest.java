package dev.panoptim.landscape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panoptim.report.PlotlyBundle;
import dev.panoptim.report.Ticks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CSV, HTML (its structure; the browser test draws it) and PNG writers. */
class OutputsTest {
    static List<Trajectory> comparison;
    static LossSurface rosenbrock = LossSurface.rosenbrock();

    @BeforeAll
    static void run() {
        comparison = new ArrayList<>();
        for (OptimizerSpec spec : OptimizerSpec.defaultComparison()) {
            comparison.add(Landscapes.optimize(rosenbrock, rosenbrock.defaultStart(), spec.factory(), 60).withLabel(spec.label()));
        }
    }

    @Test
    void csvHasOneRowPerPositionAndQuotesLabels() {
        String csv = TrajectoryCsv.toCsv(comparison);
        String[] lines = csv.split("\n");
        assertEquals("optimizer,step,x,y,loss", lines[0]);
        assertEquals(1 + 4 * 61, lines.length);
        assertEquals("\"SGD(lr=0.03, momentum=0.99)\",0,-1.5,2.0," + rosenbrock.value(-1.5, 2), lines[1]);
        assertTrue(lines[61].startsWith("\"SGD(lr=0.03, momentum=0.99)\",60,NaN,NaN,NaN"), lines[61]);   // diverged
        assertTrue(lines[62].startsWith("\"RMSprop(lr=0.02, alpha=0.99, momentum=0.8)\",0,"), lines[62]);
        assertEquals("plain", TrajectoryCsv.quote("plain"));
        assertEquals("\"say \"\"hi\"\", twice\"", TrajectoryCsv.quote("say \"hi\", twice"));
    }

    @Test
    void pngDecodesAndIsAPicture(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("landscape.png");
        LandscapePng.write(file, rosenbrock, comparison, Landscapes.plotWindow(rosenbrock, comparison));
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, "the PNG decodes");
        assertEquals(LandscapePng.WIDTH, img.getWidth());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) for (int x = 0; x < img.getWidth(); x += 3) colours.add(img.getRGB(x, y) & 0xFFFFFF);
        assertTrue(colours.size() > 200, "only " + colours.size() + " distinct colours");
        for (String c : new String[] {Palette.VIRIDIS[0], Palette.VIRIDIS[16], Palette.trajectory(1), Palette.trajectory(2)}) {
            assertTrue(hasColourNear(img, Integer.parseInt(c.substring(1), 16), 12), "the picture shows " + c);
        }
    }

    private static boolean hasColourNear(BufferedImage img, int rgb, int tolerance) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (Math.abs(((p >> 16) & 255) - ((rgb >> 16) & 255)) <= tolerance && Math.abs(((p >> 8) & 255) - ((rgb >> 8) & 255)) <= tolerance
                        && Math.abs((p & 255) - (rgb & 255)) <= tolerance) return true;
            }
        }
        return false;
    }

    @Test
    void htmlIsSelfContainedWithTheDataToDraw() throws Exception {
        LossSurface.Window w = Landscapes.plotWindow(rosenbrock, comparison);
        String html = LandscapeHtml.render(rosenbrock, comparison, w);
        assertTrue(html.contains("plotly.js v" + PlotlyBundle.load().version()), "plotly.js is inlined");
        assertTrue(html.contains("MIT License"), "with its license");
        assertFalse(Pattern.compile("<script[^>]*\\bsrc=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "no external script");
        assertFalse(Pattern.compile("<link\\b", Pattern.CASE_INSENSITIVE).matcher(html).find(), "no external stylesheet");
        Matcher m = Pattern.compile("<script id=\"landscape-data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find());
        JsonNode d = new ObjectMapper().readTree(m.group(1));
        assertEquals(4, d.get("trajectories").size());
        JsonNode sgd = d.get("trajectories").get(0);
        assertEquals("SGD(lr=0.03, momentum=0.99)", sgd.get("label").asText());
        assertEquals(61, sgd.get("x").size());
        assertTrue(sgd.get("x").get(60).isNull(), "a diverged point is a gap");
        assertTrue(sgd.get("end").isNull());
        JsonNode g = d.get("grid");
        assertEquals(LandscapeHtml.GRID, g.get("c").size());
        assertEquals("f (log scale)", g.get("colourTitle").asText());
        assertTrue(g.get("tickText").toString().contains("\"100\""), g.get("tickText").toString());
        assertFalse(g.get("f").isNull(), "log scale hovers show f itself");
        JsonNode min = d.get("minima").get(0);
        assertEquals(1.0, min.get("x").asDouble());
        assertEquals("star", min.get("symbol").asText());
        assertTrue(html.contains("(diverged)"), "the finals table says which diverged");
    }

    @Test
    void infiniteMinimumSitsOnTheEdge() {
        LossSurface p = LossSurface.pathological();
        List<java.util.Map<String, Object>> minima = LandscapeHtml.minima(p, p.window());
        assertEquals(-5.0, minima.getFirst().get("y"));
        assertEquals("triangle-down", minima.getFirst().get("symbol"));
    }

    @Test
    void userTextCannotBreakOutOfThePage() throws Exception {
        LossSurface s = LossSurface.numeric("</script><script>alert(1)</script>", (x, y) -> x * x + y * y);
        Trajectory t = Landscapes.optimize(s, new double[] {1, 1},
                params -> dev.panoptim.optim.SGD.builder(params).lr(0.1).build(), 5).withLabel("<b>\"x\"</b>");
        String html = LandscapeHtml.render(s, List.of(t), s.window());
        assertFalse(html.contains("<script>alert(1)"), "labels are escaped");
        Matcher m = Pattern.compile("<script id=\"landscape-data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find());
        assertEquals("<b>\"x\"</b>", new ObjectMapper().readTree(m.group(1)).get("trajectories").get(0).get("label").asText());
    }

    @Test
    void writeReplacesOnlyItsOwnFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Files.writeString(dir.resolve("landscape.png"), "old");
        Landscapes.Outputs out = Landscapes.write(dir, rosenbrock, comparison);
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
        assertNotNull(ImageIO.read(out.png().toFile()));
        try (var files = Files.list(dir)) {
            assertEquals(Set.of("notes.txt", "landscape.png", "landscape.html", "trajectories.csv"),
                    new HashSet<>(files.map(p -> p.getFileName().toString()).toList()), "no temporary files left");
        }
        Files.delete(dir.resolve("landscape.html"));
        Files.createDirectory(dir.resolve("landscape.html"));
        var e = assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> Landscapes.write(dir, rosenbrock, comparison));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        Path file = dir.resolve("notes.txt");
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> Landscapes.write(file, rosenbrock, comparison));
    }

    @Test
    void ticks() {
        assertEquals(List.of(-2.0, -1.0, 0.0, 1.0, 2.0), Ticks.nice(-2, 2, 4));
        assertEquals("1e5", Ticks.format(1e5));
        assertEquals("2.5e-4", Ticks.format(2.5e-4));
        assertEquals("0.25", Ticks.format(0.25));
        assertEquals("-3.979", Ticks.format(-3.97887));
        assertEquals("0.0000", Ticks.fixed(-0.0));
        assertEquals("-3.700e-12", Ticks.fixed(-3.7e-12));
    }
}
