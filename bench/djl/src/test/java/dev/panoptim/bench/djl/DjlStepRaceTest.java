package dev.panoptim.bench.djl;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The race runs end to end at a toy size (timings are not checked), and its report has every row. */
class DjlStepRaceTest {
    @Test
    void aToyRaceReportsEveryRowAndStepsInPlace() {
        var bytes = new ByteArrayOutputStream();
        DjlStepRace.run(new DjlStepRace.Options(4, 4, 2, 1), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        for (String row : new String[] {"| optimizer step (`trainer.step()`) |", "| forward + backward |", "| whole training step |",
                "plumbing", "memory roofline", "UpdateCounts[zeroCopy=" + 3 * 62 + ", copied=0]"}) {
            assertTrue(out.contains(row), "missing '" + row + "' in:\n" + out);
        }
        // ResNet-18 at width 4: the stem 4x1x7x7 ... the classifier 10x32 + 10.
        assertTrue(out.contains("in 62 tensors"), out);
    }

    @Test
    void torchvisionsResNet18HasItsParameterCount() {
        var bytes = new ByteArrayOutputStream();
        DjlStepRace.run(new DjlStepRace.Options(64, 2, 1, 0), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        // torchvision.models.resnet18(num_classes=10) with a 1-channel 7x7 stem: 11,175,370 (its
        // 3-channel stem has 6,272 more weights: 11,181,642).
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("11,175,370 trainable parameters"), bytes.toString());
    }

    @Test
    void badOptionsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> DjlStepRace.Options.parse(new String[] {"--rounds", "x"}));
        assertEquals("--rounds takes a whole number, got 'x'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DjlStepRace.Options.parse(new String[] {"--speed", "1"}));
        assertTrue(e.getMessage().startsWith("unknown option --speed"), e.getMessage());
    }
}
