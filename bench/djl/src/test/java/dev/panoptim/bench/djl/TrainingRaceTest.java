package dev.panoptim.bench.djl;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training race runs end to end at a toy size (timings are not checked), and its report has every row. */
class TrainingRaceTest {
    private static final Pattern ROW = Pattern.compile("\\| (training|evaluation) \\([^|]*\\) \\| (\\d+) \\(\\d+\\) \\| (\\d+) \\(\\d+\\) \\| (\\d+\\.\\d+)x \\|");

    private static String race(String... args) {
        var bytes = new ByteArrayOutputStream();
        TrainingRace.run(TrainingRace.Options.parse(args), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void bothImageShapesReportTrainingAndEvaluationForBoth() {
        for (String image : new String[] {"28", "32"}) {
            String out = race("--image", image, "--width", "4", "--batch", "4", "--rounds", "1", "--warmup", "1");
            assertTrue(out.contains("| panoptim | DJL PyTorch | panoptim / DJL |"), out);
            Matcher m = ROW.matcher(out);
            int rows = 0;
            while (m.find()) {
                rows++;
                for (int g = 2; g <= 3; g++) assertTrue(Long.parseLong(m.group(g)) > 0, m.group() + "\n" + out);
                assertTrue(Double.parseDouble(m.group(4)) > 0, out);
            }
            assertEquals(2, rows, out);
            // Same layout in both frameworks: ResNet-18 at width 4 with a 1- or 3-channel 7 x 7 stem.
            int c = image.equals("28") ? 1 : 3;
            long params = 4L * c * 49 + (long) countedAtWidth4();
            assertTrue(out.contains(String.format("panoptim: ResNet-18 width 4, %,d parameters, batch 4 x %d x %s x %s", params, c, image, image)), out);
            assertTrue(out.contains(String.format("DJL PyTorch: ResNet-18 width 4, %,d parameters", params)), out);
            assertTrue(out.contains("OPENBLAS_CORETYPE="), out);
            assertTrue(out.matches("(?s).*peak resident memory of this JVM \\(VmHWM\\), both frameworks: [0-9,]+ MiB.*"), out);
        }
    }

    /** ResNet-18's parameters at width 4 less the stem conv's (which depend on the channels). */
    private static int countedAtWidth4() {
        int total = 2 * 4;                                         // bn1
        int in = 4;
        for (int stage = 0; stage < 4; stage++) {
            int out = 4 << stage;
            total += 9 * in * out + 2 * out + 9 * out * out + 2 * out;                  // first block
            if (in != out) total += in * out + 2 * out;                               // its downsample
            total += 2 * (9 * out * out + 2 * out);                                   // second block
            in = out;
        }
        return total + 32 * 10 + 10;                               // fc
    }

    @Test
    void onlyOneFrameworkRunsAlone() {
        String out = race("--only", "panoptim", "--width", "4", "--batch", "4", "--rounds", "1", "--warmup", "0");
        assertTrue(out.contains("| panoptim |\n"), out);
        assertFalse(out.contains("DJL PyTorch:"), out);
        assertTrue(out.contains("libtorch (not loaded)"), out);
        assertTrue(out.contains("(VmHWM), panoptim alone: "), out);
    }

    @Test
    void badOptionsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> TrainingRace.Options.parse(new String[] {"--image", "64"}));
        assertEquals("--image takes 28 or 32, got 64", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingRace.Options.parse(new String[] {"--only", "tf"}));
        assertEquals("--only takes panoptim or djl, got 'tf'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingRace.Options.parse(new String[] {"--batch", "0"}));
        assertEquals("--batch must be positive, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingRace.Options.parse(new String[] {"--speed", "1"}));
        assertTrue(e.getMessage().startsWith("unknown option --speed"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingRace.Options.parse(new String[] {"--rounds"}));
        assertEquals("option --rounds needs a value", e.getMessage());
    }
}
