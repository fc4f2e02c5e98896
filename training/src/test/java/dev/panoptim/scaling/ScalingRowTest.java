package dev.panoptim.scaling;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalingRowTest {
    private static void rejected(String field, Runnable make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::run);
        assertTrue(e.getMessage().contains("run r7") && e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void badRowsAreRejectedNamingRunAndField() {
        rejected("params", () -> new ScalingRow("r7", 0, 0, 1, 1, 0, 1e9, 1, 0.5));
        rejected("trainFlops", () -> new ScalingRow("r7", 0, 10, 1, 1, 0, 0, 1, 0.5));
        rejected("trainFlops", () -> new ScalingRow("r7", 0, 10, 1, 1, 0, Double.NaN, 1, 0.5));
        rejected("valLoss", () -> new ScalingRow("r7", 0, 10, 1, 1, 0, 1e9, Double.NaN, 0.5));
        rejected("valLoss", () -> new ScalingRow("r7", 0, 10, 1, 1, 0, 1e9, Double.POSITIVE_INFINITY, 0.5));
        rejected("valAccuracy", () -> new ScalingRow("r7", 0, 10, 1, 1, 0, 1e9, 1, 1.5));
        rejected("dataFraction", () -> new ScalingRow("r7", 0, 10, 0, 1, 0, 1e9, 1, 0.5));
        rejected("dropout", () -> new ScalingRow("r7", 0, 10, 1, 1, 1, 1e9, 1, 0.5));
    }

    @Test
    void duplicateRunsAndEmptyStudiesAreRejected() {
        ScalingRow r = new ScalingRow("r7", 0, 10, 1, 1, 0, 1e9, 1, 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScalingAnalysis.of(List.of(r, r)));
        assertTrue(e.getMessage().contains("r7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScalingAnalysis.of(List.of()));
    }
}
