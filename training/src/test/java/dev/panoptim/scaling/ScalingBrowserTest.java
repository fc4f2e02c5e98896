package dev.panoptim.scaling;

import dev.panoptim.report.HeadlessChromium;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalingBrowserTest {
    @Test
    void pageDrawsEveryPlotWithoutScriptErrors(@TempDir Path dir) throws Exception {
        Optional<HeadlessChromium> chromium = HeadlessChromium.find();
        Assumptions.assumeTrue(chromium.isPresent(), "no chromium, chromium-browser or google-chrome on the PATH (nor $PANOPTIM_CHROMIUM): "
                + "the scaling page was NOT checked in a browser; install chromium (bin/test does: apt-get install chromium)");
        List<ScalingRow> rows = new ArrayList<>(SyntheticStudy.powerLaw(0.15, 0, 3, 0.02, 1));
        rows.addAll(SyntheticStudy.powerLaw(0.10, 0.2, 3, 0.02, 2));
        Path page = ScalingReport.write(ScalingAnalysis.of(rows, 1, 50), dir.resolve("out")).get(1);
        HeadlessChromium.Output dom = chromium.get().dumpDom(page, dir);
        Matcher root = Pattern.compile("<html[^>]*>").matcher(dom.stdout());
        assertTrue(root.find(), "a DOM came back");
        assertFalse(root.group().contains("data-errors"), "script errors on the page: " + root.group());
        assertTrue(root.group().contains("data-rendered=\"true\""), "every Plotly.newPlot finished: " + root.group());
        // the comparison plot, then loss, accuracy and N_opt for each of the 2 dropout values
        Matcher plots = Pattern.compile("class=\"js-plotly-plot\"").matcher(dom.stdout());
        int n = 0;
        while (plots.find()) n++;
        assertEquals(7, n);
    }
}
