package dev.panoptim.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportTest {
    @Test
    void bytesPerParamFollowTheArraysEachStepTouches() {
        assertEquals(28, BenchReport.bytesPerParam("adam", "fusedStep"));
        assertEquals(28, BenchReport.bytesPerParam("adamw", "javaLoopStep"));
        assertEquals(20, BenchReport.bytesPerParam("sgd", "fusedStep"));
        assertEquals(20, BenchReport.bytesPerParam("rmsprop", "javaLoopStep"));
        assertEquals(8, BenchReport.bytesPerParam("adamw", "copyBaseline"));
        assertEquals(8, BenchReport.bytesPerParam("sgd", "copyBaseline"));
        assertEquals(28, BenchReport.bytesPerParam("sgd", "rooflineStep"));
        assertThrows(IllegalArgumentException.class, () -> BenchReport.bytesPerParam("lion", "fusedStep"));
        assertThrows(IllegalArgumentException.class, () -> BenchReport.bytesPerParam("adam", "other"));
    }

    @Test
    void secondsPerOpReadsAverageTimeAndThroughputUnits() {
        assertEquals(0.012, BenchReport.secondsPerOp(12.0, "ms/op"), 1e-15);
        assertEquals(12e-6, BenchReport.secondsPerOp(12.0, "us/op"), 1e-18);
        assertEquals(5e-9, BenchReport.secondsPerOp(5.0, "ns/op"), 1e-21);
        assertEquals(2.0, BenchReport.secondsPerOp(2.0, "s/op"), 0);
        assertEquals(0.002, BenchReport.secondsPerOp(500.0, "ops/s"), 1e-15);
        assertEquals(0.004, BenchReport.secondsPerOp(0.25, "ops/ms"), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> BenchReport.secondsPerOp(1, "bytes"));
    }

    @Test
    void gbPerSecondIsBytesOverSecondsInDecimalGigabytes() {
        // AdamW over 2^24 params in 14 ms: 28 * 16777216 B / 0.014 s = 33.554432 GB/s.
        assertEquals(33.554432, BenchReport.gbPerSecond(28, 1L << 24, 0.014), 1e-9);
        // Copy of 2^20 floats in 0.25 ms: 8 * 1048576 B / 0.00025 s = 33.554432 GB/s.
        assertEquals(33.554432, BenchReport.gbPerSecond(8, 1L << 20, 0.00025), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> BenchReport.gbPerSecond(8, 1, 0));
    }

    @Test
    void parsesJmhJsonIntoRowsWithRatios() throws Exception {
        String json = """
                [
                  {"benchmark": "dev.panoptim.bench.OptimizerStepBench.copyBaseline", "mode": "avgt",
                   "params": {"numel": "16777216", "optimizer": "adamw"},
                   "primaryMetric": {"score": 4.0, "scoreError": 0.2, "scoreUnit": "ms/op"}},
                  {"benchmark": "dev.panoptim.bench.OptimizerStepBench.rooflineStep", "mode": "avgt",
                   "params": {"numel": "16777216", "optimizer": "adamw"},
                   "primaryMetric": {"score": 14.0, "scoreError": 0.3, "scoreUnit": "ms/op"}},
                  {"benchmark": "dev.panoptim.bench.OptimizerStepBench.fusedStep", "mode": "avgt",
                   "params": {"numel": "16777216", "optimizer": "adamw"},
                   "primaryMetric": {"score": 16.0, "scoreError": 0.5, "scoreUnit": "ms/op"}},
                  {"benchmark": "dev.panoptim.bench.OptimizerStepBench.javaLoopStep", "mode": "avgt",
                   "params": {"numel": "16777216", "optimizer": "adamw"},
                   "primaryMetric": {"score": 40.0, "scoreError": 1.0, "scoreUnit": "ms/op"}},
                  {"benchmark": "dev.panoptim.bench.OptimizerStepBench.fusedStep", "mode": "thrpt",
                   "params": {"numel": "1048576", "optimizer": "sgd"},
                   "primaryMetric": {"score": 2.0, "scoreError": 0.1, "scoreUnit": "ops/ms"}},
                  {"benchmark": "dev.panoptim.bench.OtherBench.fusedStep", "mode": "avgt",
                   "params": {"numel": "1", "optimizer": "sgd"},
                   "primaryMetric": {"score": 1.0, "scoreError": 0.1, "scoreUnit": "ms/op"}}
                ]""";
        List<BenchReport.Result> results = BenchReport.parse(json);
        assertEquals(5, results.size());
        List<BenchReport.Row> rows = BenchReport.rows(results);
        assertEquals(2, rows.size());

        BenchReport.Row adamw = rows.get(0);
        assertEquals("adamw", adamw.optimizer());
        assertEquals(1L << 24, adamw.numel());
        // fused: 28 * 2^24 B / 16 ms = 29.36 GB/s; copy: 8 * 2^24 B / 4 ms = 33.55 GB/s.
        assertEquals(28.0 * (1 << 24) / 0.016 / 1e9, adamw.fused().gbPerSecond(), 1e-9);
        assertEquals(8.0 * (1 << 24) / 0.004 / 1e9, adamw.copy().gbPerSecond(), 1e-9);
        assertEquals(0.875, adamw.fusedToCopy(), 1e-12);          // (28 / 16) / (8 / 4)
        assertEquals(0.875, adamw.fusedToRoofline(), 1e-12);      // (28 / 16) / (28 / 14)
        assertEquals(2.5, adamw.speedUpOverJavaLoop(), 1e-12);    // 40 / 16
        assertEquals(0.0005, adamw.fused().errorSeconds(), 1e-15);

        BenchReport.Row sgd = rows.get(1);
        assertEquals(0.0005, sgd.fused().seconds(), 1e-15);        // 2 ops/ms
        assertEquals(20.0 * (1 << 20) / 0.0005 / 1e9, sgd.fused().gbPerSecond(), 1e-9);
        assertNull(sgd.copy());
        assertNull(sgd.roofline());
        assertTrue(Double.isNaN(sgd.fusedToCopy()));
        assertTrue(Double.isNaN(sgd.fusedToRoofline()));

        // Old copy results add the copy columns after the roofline's.
        String table = BenchReport.markdown(rows);
        assertTrue(table.contains("| adamw | 2^24 (16,777,216) | 28 | 16.000 ± 0.500 | 40.000 ± 1.000 | 14.000 ± 0.300"
                + " | 29.4 | 11.7 | 33.6 | 0.88 | 2.5x | 4.000 ± 0.200 | 33.6 | 0.88 |"), table);
        String withoutCopy = BenchReport.markdown(List.of(rows.get(1)));
        assertTrue(withoutCopy.startsWith("| optimizer |") && !withoutCopy.contains("copy"), withoutCopy);
    }

    @Test
    void sortedOrdersByNumelThenOptimizer() {
        List<BenchReport.Result> in = List.of(
                new BenchReport.Result("fusedStep", "adamw", 1 << 24, 1, 0),
                new BenchReport.Result("fusedStep", "sgd", 1 << 24, 1, 0),
                new BenchReport.Result("copyBaseline", "adam", 1 << 20, 1, 0),
                new BenchReport.Result("fusedStep", "rmsprop", 1 << 20, 1, 0));
        List<BenchReport.Row> rows = BenchReport.rows(BenchReport.sorted(in));
        assertEquals(List.of("rmsprop@1048576", "adam@1048576", "sgd@16777216", "adamw@16777216"),
                rows.stream().map(r -> r.optimizer() + "@" + r.numel()).toList());
    }
}
