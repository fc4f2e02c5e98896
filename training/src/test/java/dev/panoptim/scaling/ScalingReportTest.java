package dev.panoptim.scaling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalingReportTest {
    private static ScalingAnalysis study() {
        List<ScalingRow> rows = new ArrayList<>(SyntheticStudy.powerLaw(0.15, 0, 3, 0.02, 1));
        rows.addAll(SyntheticStudy.powerLaw(0.10, 0.2, 3, 0.02, 2));
        return ScalingAnalysis.of(rows, 1, 100);
    }

    @Test
    void writesTheThreeFiles(@TempDir Path dir) throws Exception {
        ScalingAnalysis a = study();
        Path out = dir.resolve("study");
        List<Path> files = ScalingReport.write(a, out);
        assertEquals(List.of(out.resolve("scaling.csv"), out.resolve("scaling.html"), out.resolve("scaling.png")), files);

        List<String> csv = Files.readAllLines(files.get(0));
        assertEquals("run_id,width_exponent,params,data_fraction,seed,dropout,train_flops,val_loss,val_accuracy,on_frontier,on_accuracy_frontier",
                csv.getFirst());
        assertEquals(61, csv.size());
        ScalingRow first = a.rows().getFirst();
        assertEquals("d0.0-k0-s1,0,1000,1.0,1,0.0,3.0E8," + first.valLoss() + "," + first.valAccuracy() + "," + a.onLossFrontier(first) + ","
                + a.onAccuracyFrontier(first), csv.get(1));
        assertEquals(a.group(0).lossFrontier().size() + a.group(0.2).lossFrontier().size(),
                csv.stream().skip(1).filter(l -> l.split(",")[9].equals("true")).count());

        String html = Files.readString(files.get(1));
        assertTrue(html.contains("\"id\":[\"d0.0-k0-s1\""), "the runs are in the page's data");
        assertTrue(html.contains(a.group(0).lossFit().chosen().equation("L", "C")), "the fitted law's equation");
        assertTrue(html.contains(a.group(0.2).optimalParamsFit().equation("N_opt", "C")));
        assertTrue(html.contains("loss exponent b = " + a.group(0).lossExponent().interval()), "the header's exponents");
        assertTrue(html.contains("Plotly.newPlot"));
        assertFalse(Pattern.compile("<script[^>]*\\bsrc\\s*=\\s*[\"']?(https?:)?//", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "no script loaded from the network");

        BufferedImage png = ImageIO.read(files.get(2).toFile());
        assertEquals(ScalingPng.WIDTH, png.getWidth());
        assertEquals(ScalingPng.HEIGHT, png.getHeight());
        assertEquals(1400, png.getWidth());
        assertEquals(760, png.getHeight());
        boolean fitDrawn = false;
        for (int y = 0; y < png.getHeight() && !fitDrawn; y++) {
            for (int x = 0; x < png.getWidth(); x++) if (png.getRGB(x, y) == 0xFFD62728) fitDrawn = true;
        }
        assertTrue(fitDrawn, "the fitted law is drawn in its colour");
    }

    @Test
    void refusesAFileWhereTheDirectoryGoes(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        org.junit.jupiter.api.Assertions.assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> ScalingReport.write(study(), file));
    }
}
