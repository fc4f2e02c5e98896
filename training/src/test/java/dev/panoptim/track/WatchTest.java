package dev.panoptim.track;

import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** run.watch: histograms at the logged steps that are multiples of every, of values and/or grads. */
class WatchTest {
    @Test
    void histogramsAtMultiplesOfEvery(@TempDir Path dir) {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir);
             Tensor w = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
             Tensor b = Tensor.of(new float[] {0.5f, -0.5f}, 2)) {
            w.setGrad(Tensor.of(new float[] {-1, 0, 0, 0, 0, 1}, 2, 3));   // b has no grad
            Map<String, Tensor> named = new LinkedHashMap<>();
            named.put("fc.weight", w);
            named.put("fc.bias", b);
            Run run = Tracking.init(store, "p", "watched", null);
            run.watch(() -> named, What.ALL, 3);
            for (long step : new long[] {0, 1, 2, 3, 3, 4, 7, 8, 9, 10}) run.log(Map.of("loss", 1.0 / (step + 1)), step);
            run.finish();

            Map<Long, TreeSet<String>> keysByStep = new TreeMap<>();
            for (RunStore.HistogramPoint h : store.histograms(run.id())) keysByStep.computeIfAbsent(h.step(), s -> new TreeSet<>()).add(h.key());
            TreeSet<String> expected = new TreeSet<>(List.of("parameters/fc.weight", "parameters/fc.bias", "gradients/fc.weight"));
            assertEquals(Map.of(0L, expected, 3L, expected, 9L, expected), keysByStep,
                    "steps 0, 3 and 9 (6 was never logged; 3 logged twice is recorded once); no grad histogram for fc.bias");

            Histogram p = store.histograms(run.id()).stream().filter(h -> h.step() == 9 && h.key().equals("parameters/fc.weight"))
                    .findFirst().orElseThrow().histogram();
            assertEquals(1.0, p.min());
            assertEquals(6.0, p.max());
            assertEquals(Histogram.DEFAULT_BINS, p.counts().length);
            assertEquals(6, p.total());
            assertEquals(1, p.counts()[0]);
            assertEquals(1, p.counts()[63], "the max lands in the last bin");
            Histogram g = store.histograms(run.id()).stream().filter(h -> h.step() == 0 && h.key().equals("gradients/fc.weight"))
                    .findFirst().orElseThrow().histogram();
            assertEquals(-1.0, g.min());
            assertEquals(1.0, g.max());
            assertEquals(4, g.counts()[32], "the four zeros in the middle bin");
        }
    }

    @Test
    void gradientsOnlyOrParametersOnly(@TempDir Path dir) {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir); Tensor w = Tensor.of(new float[] {1, 2}, 2)) {
            w.setGrad(Tensor.of(new float[] {3, 4}, 2));
            Run grads = Tracking.init(store, "p", "grads", null);
            grads.watch(() -> Map.of("w", w), What.GRADIENTS, 1);
            grads.log(Map.of());
            assertEquals(List.of("gradients/w"), store.histograms(grads.id()).stream().map(RunStore.HistogramPoint::key).toList());
            Run params = Tracking.init(store, "p", "params", null);
            params.watch(() -> Map.of("w", w), What.PARAMETERS, 1);
            params.log(Map.of());
            params.unwatch();
            params.log(Map.of());
            assertEquals(List.of("parameters/w"), store.histograms(params.id()).stream().map(RunStore.HistogramPoint::key).toList());
            assertThrows(IllegalArgumentException.class, () -> params.watch(() -> Map.of("w", w), What.ALL, 0));
            grads.finish();
            params.finish();
        }
    }

    @Test
    void histogramBins() {
        Histogram h = Histogram.of(new float[] {0, 1, 2, 3, Float.NaN, Float.POSITIVE_INFINITY}, 4);
        assertEquals(0.0, h.min());
        assertEquals(3.0, h.max());
        assertArrayEquals(new long[] {1, 1, 1, 1}, h.counts());
        assertEquals(2, h.nonFinite());
        Histogram constant = Histogram.of(new float[] {2, 2, 2}, 5);
        assertEquals(1.5, constant.min(), "numpy's range for a constant: v - 0.5 .. v + 0.5");
        assertEquals(2.5, constant.max());
        assertArrayEquals(new long[] {0, 0, 3, 0, 0}, constant.counts());
        Histogram empty = Histogram.of(new float[0], 3);
        assertEquals(0, empty.total());
        assertEquals(h, Json.readHistogram(Json.histogram(h)), "JSON round trip");
    }
}
