package dev.panoptim.scaling;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FrontierTest {
    private static ScalingRow run(String id, double c, double loss, double acc) {
        return new ScalingRow(id, 0, 100, 1, 1, 0, c, loss, acc);
    }

    // A hand-made table, in shuffled order: a, b, c, ... with (compute, loss, accuracy).
    private static final List<ScalingRow> TABLE = List.of(
            run("g", 16, 1.6, 0.50),
            run("b", 2, 2.5, 0.35),
            run("e", 8, 1.5, 0.38),
            run("a", 1, 2.0, 0.30),
            run("d", 4, 1.9, 0.40),
            run("f", 8, 1.5, 0.20),   // ties e on loss at the same compute: e wins by run id
            run("c", 2, 1.8, 0.32));

    private static List<String> ids(List<ScalingRow> rows) {
        return rows.stream().map(ScalingRow::runId).toList();
    }

    @Test
    void lossFrontierIsTheRunsThatLowerTheBestLossSoFar() {
        // a (2.0 at C=1), then c (1.8 at C=2; b at the same compute is worse), d (1.9) does not improve,
        // e (1.5 at C=8), g (1.6) does not.
        assertEquals(List.of("a", "c", "e"), ids(Frontier.lowestLoss(TABLE)));
    }

    @Test
    void accuracyFrontierIsTheRunsThatRaiseTheBestAccuracySoFar() {
        // a 0.30, b 0.35 (c at the same compute is lower), d 0.40, e 0.38 and f 0.20 do not improve, g 0.50.
        assertEquals(List.of("a", "b", "d", "g"), ids(Frontier.highestAccuracy(TABLE)));
    }

    @Test
    void analysisMarksTheFrontierRuns() {
        ScalingAnalysis a = ScalingAnalysis.of(TABLE, 1, 0);
        assertEquals(List.of("a", "c", "e"), TABLE.stream().filter(a::onLossFrontier).map(ScalingRow::runId).sorted().toList());
        assertEquals(List.of("a", "b", "d", "g"), TABLE.stream().filter(a::onAccuracyFrontier).map(ScalingRow::runId).sorted().toList());
    }
}
