package dev.panoptim.track;

import dev.panoptim.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** What {@link Run#watch} set up: the tensors, what to record, how often; and the histograms at one step. */
record Watch(Supplier<Map<String, Tensor>> tensors, What what, long every) {
    Watch {
        if (tensors == null || what == null) throw new IllegalArgumentException("watch needs the tensors and what to record of them");
        if (every < 1) throw new IllegalArgumentException("watch every must be >= 1 step, got " + every);
    }

    boolean due(long step) {
        return step % every == 0;
    }

    List<RunStore.HistogramPoint> capture(long step) {
        Map<String, Tensor> named = tensors.get();
        List<RunStore.HistogramPoint> out = new ArrayList<>();
        if (named == null) return out;
        for (Map.Entry<String, Tensor> e : named.entrySet()) {
            Tensor t = e.getValue();
            if (t == null) continue;
            if (what.parameters()) {
                out.add(new RunStore.HistogramPoint(step, "parameters/" + e.getKey(), Histogram.of(t.toFloatArray(), Histogram.DEFAULT_BINS)));
            }
            Tensor g = what.gradients() ? t.grad() : null;
            if (g != null) {
                out.add(new RunStore.HistogramPoint(step, "gradients/" + e.getKey(), Histogram.of(g.toFloatArray(), Histogram.DEFAULT_BINS)));
            }
        }
        return out;
    }
}
