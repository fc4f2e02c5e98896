package dev.panoptim.train;

import dev.panoptim.nn.SmallCnn;
import dev.panoptim.optim.ParamGroup;
import dev.panoptim.runtime.Panoptim;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SqliteRunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scaling study's run through the Trainer: smallcnn with dropout on a seeded half of a tiny training
 * set, the fan-in learning rates, and the compute and last validation numbers in the run's summary.
 */
class SmallCnnTrainingTest {
    @TempDir
    Path dir;

    @Test
    void smallcnnTrainsAndItsSummaryHoldsTheCompute() {
        double lr = 3e-3;
        TrainingArgs args = TrainingArgs.builder().model("smallcnn").width(0).dropout(0.2).dataFraction(0.5).subset(1)
                .batchSize(20).evalBatchSize(50).epochs(2).learningRate(lr).lrRule("fan-in").examples(0).project("scaling")
                .checkpointDir(dir.resolve("ckpt")).build();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (RunStore store = SqliteRunStore.inDirectory(dir);
             Trainer t = Trainer.builder(args).data(TinyData.data(200, 50)).store(store).out(new PrintStream(text, true))
                     .progressBar(false).build()) {
            assertTrue(t.model() instanceof SmallCnn s && s.channels() == 8 && s.dropout() == 0.2, t.model().toString());
            assertEquals(100, t.trainLoader().dataset().size(), "half of the 200 training images");

            // fan-in: conv1 1*3*3 = 9, conv2 8*3*3 = 72, fc 16*7*7 = 784; each layer's weight and bias in its group.
            List<ParamGroup> groups = t.optimizer().paramGroups();
            assertEquals(3, groups.size());
            Map<String, dev.panoptim.tensor.Tensor> p = t.model().namedParameters();
            assertEquals(List.of(p.get("conv1.weight"), p.get("conv1.bias")), groups.get(0).params());
            assertEquals(List.of(p.get("fc.weight"), p.get("fc.bias")), groups.get(2).params());
            assertEquals(lr / 3, groups.get(0).lr(), 1e-15);
            assertEquals(lr / Math.sqrt(72), groups.get(1).lr(), 1e-15);
            assertEquals(lr / 28, groups.get(2).lr(), 1e-15);

            TrainingResult r = t.train();
            assertFalse(r.stopped());
            String out = text.toString(StandardCharsets.UTF_8);
            assertTrue(out.contains("model: 9,098 parameters, 580,160 forward FLOPs per example"), out);
            assertTrue(out.contains("training compute: 3.481e+08 FLOPs (3 x 580160 forward FLOPs x 200 examples seen)"), out);

            RunInfo info = store.run(r.runId()).orElseThrow();
            Map<String, Object> s = info.summary();
            // SmallCnnTest/FlopsTest count these by hand: 9098 parameters, 290,080 MACs at k = 0 on 1x28x28.
            assertEquals(9098, ((Number) s.get("params")).longValue());
            assertEquals(580_160, ((Number) s.get("forward_flops")).longValue());
            assertEquals(200, ((Number) s.get("examples_seen")).longValue(), "2 epochs of 100");
            assertEquals(3.0 * 580_160 * 200, ((Number) s.get("train_flops")).doubleValue());
            RunStore.MetricPoint lastVal = store.history(r.runId()).stream().filter(m -> m.key().equals("val_loss"))
                    .reduce((a, b) -> b).orElseThrow();
            assertEquals(10, lastVal.step(), "the last epoch's, logged at its last step");
            assertEquals(lastVal.value(), ((Number) s.get("val_loss")).doubleValue());
            assertTrue(((Number) s.get("val_accuracy")).doubleValue() >= 0, s.toString());
            assertTrue(Double.isFinite(((Number) s.get("val_loss")).doubleValue()), s.toString());
        }
    }

    /**
     * On CUDA (the simulator in CI) the same run as on the CPU: the same dropout masks (drawn on the host from
     * the seed and the step), so the steps' losses agree up to float32 summation order. Relative 1e-5: the CPU
     * and CUDA convolutions sum in other orders, a few ulps per layer over 3 layers and 2 steps of SGD.
     */
    @Test
    void smallcnnWithDropoutOnCudaMatchesTheCpu() {
        assumeTrue(Panoptim.cuda().available(), "no CUDA device or simulator (PANOPTIM_CUDA_SIM=1): " + Panoptim.cuda().reason());
        Map<String, Map<Long, Double>> losses = new java.util.LinkedHashMap<>();
        for (String device : List.of("cpu", "cuda")) {
            TrainingArgs args = TrainingArgs.builder().model("smallcnn").width(-2).dropout(0.5).lrRule("fan-in").optimizer("sgd")
                    .momentum(0.9).learningRate(0.05).subset(1).batchSize(16).evalBatchSize(16).epochs(1).seed(3).examples(0)
                    .device(device).project("scaling-device").checkpoints(false).build();
            try (RunStore store = SqliteRunStore.inDirectory(dir.resolve(device));
                 Trainer t = Trainer.builder(args).data(TinyData.data(32, 16)).store(store)
                         .out(new PrintStream(java.io.OutputStream.nullOutputStream())).progressBar(false).build()) {
                TrainingResult r = t.train();
                Map<Long, Double> l = new java.util.TreeMap<>();
                for (RunStore.MetricPoint p : store.history(r.runId())) if (p.key().equals("loss")) l.put(p.step(), p.value());
                losses.put(device, l);
                assertEquals(4 * 1 * 9 + 4 + 8 * 4 * 9 + 8 + 8 * 7 * 7 * 10 + 10,   // c = 4: conv1, conv2, fc
                        ((Number) store.run(r.runId()).orElseThrow().summary().get("params")).longValue());
            }
        }
        assertEquals(2, losses.get("cpu").size());
        for (var e : losses.get("cpu").entrySet()) {
            double cuda = losses.get("cuda").get(e.getKey());
            assertEquals(e.getValue(), cuda, 1e-5 * Math.abs(e.getValue()), "step " + e.getKey() + ": " + losses);
        }
    }
}
