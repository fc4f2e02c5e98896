package dev.panoptim.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The course's defaults, validation that names every bad value, JSON round trip, the resume rule. */
class TrainingArgsTest {
    @Test
    void defaultsAreTheCourses() {
        TrainingArgs a = TrainingArgs.defaults();
        assertEquals(64, a.batchSize());
        assertEquals(5, a.epochs());
        assertEquals(1e-3, a.learningRate());
        assertEquals(10, a.numClasses());
        assertEquals(10, a.subset());
        assertEquals("adamw", a.optimizer());
        assertEquals(0.01, a.weightDecay(), "torch's AdamW default");
        assertEquals("fashion-mnist", a.dataset());
        assertEquals("resnet18", a.model());
        assertEquals("cpu", a.device());
        assertEquals("constant", a.schedule());
        assertTrue(a.checkpoints());
        assertNull(a.resume());
        assertEquals(0.0, TrainingArgs.builder().optimizer("sgd").build().weightDecay(), "torch's SGD default");
        assertEquals(0.05, TrainingArgs.builder().optimizer("sgd").weightDecay(0.05).build().weightDecay());
    }

    @Test
    void choicesAreCaseInsensitive() {
        TrainingArgs a = TrainingArgs.builder().optimizer(" SGD ").model("ResNet34").schedule("OneCycle").dataset("Fashion-MNIST").build();
        assertEquals("sgd", a.optimizer());
        assertEquals("resnet34", a.model());
        assertEquals("onecycle", a.schedule());
        assertTrue(a.schedulePerBatch());
        assertFalse(TrainingArgs.builder().schedule("step").build().schedulePerBatch());
    }

    @Test
    void everyBadValueIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingArgs.builder().batchSize(0)
                .epochs(-1).learningRate(Double.NaN).optimizer("lion").schedule("linear").beta1(1.0).labelSmoothing(1.5)
                .subset(0).device("tpu").build());
        String m = e.getMessage();
        for (String s : List.of("batchSize must be >= 1, got 0", "epochs must be >= 1, got -1", "learningRate must be a finite number > 0, got NaN",
                "optimizer must be one of sgd, rmsprop, adam, adamw, got lion", "schedule must be one of constant, step, cosine, onecycle, warmup, got linear",
                "beta1 must be in [0, 1), got 1.0", "labelSmoothing must be in [0, 1], got 1.5", "subset must be >= 1, got 0",
                "device must be cpu, cuda or cuda:N, got tpu")) {
            assertTrue(m.contains(s), "missing '" + s + "' in: " + m);
        }
    }

    @Test
    void crossFieldRules() {
        assertMessage("nesterov needs momentum > 0 and dampening 0", TrainingArgs.builder().optimizer("sgd").nesterov(true));
        assertMessage("precision fp16 needs device cuda", TrainingArgs.builder().precision("fp16"));
        TrainingArgs.builder().precision("bf16").build();   // bf16 runs on the CPU too (oneDNN's bf16 kernels)
        assertMessage("featureExtract needs pretrained weights", TrainingArgs.builder().featureExtract(true));
        assertMessage("dataset cifar10 needs data", TrainingArgs.builder().dataset("cifar10"));
        assertMessage("project must not be empty", TrainingArgs.builder().project(" "));
        TrainingArgs.builder().optimizer("sgd").momentum(0.9).nesterov(true).build();
        TrainingArgs.builder().dataset("cifar10").data(Path.of("data")).build();
    }

    @Test
    void scalingStudyRules() {
        assertMessage("dropout 0.3 cannot run under cudaGraphs", TrainingArgs.builder().model("smallcnn").dropout(0.3)
                .device("cuda").cudaGraphs(true));
        assertMessage("pretrained and featureExtract are for resnet18 and resnet34", TrainingArgs.builder().model("smallcnn")
                .pretrained(Path.of("w.safetensors")));
        TrainingArgs a = TrainingArgs.builder().model("smallcnn").width(-6).dropout(0.5).dataFraction(1.0 / 64).lrRule("fan-in")
                .build();
        assertEquals(List.of("width: -6 vs 0", "dropout: 0.5 vs 0.0", "lrRule: fan-in vs fixed", "dataFraction: 0.015625 vs 1.0"),
                a.resultDifferences(a.toBuilder().width(0).dropout(0).lrRule("fixed").dataFraction(1).build()),
                "a resumed run must agree on them");
    }

    @Test
    void argumentsSavedBeforeTheScalingFieldsReadWithTheirDefaults() throws Exception {
        ObjectMapper json = new ObjectMapper();
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> old = json.readValue(json.writeValueAsString(TrainingArgs.defaults()), java.util.Map.class);
        for (String k : List.of("width", "dropout", "dataFraction", "lrRule")) assertTrue(old.remove(k) != null, k);
        assertEquals(TrainingArgs.defaults(), json.readValue(json.writeValueAsString(old), TrainingArgs.class));
    }

    @Test
    void cudaThatCannotBeUsedFailsWithTheReason() {
        // cuda:7 exists neither on a GPU machine of this project's kind nor on the simulator (one device).
        TrainingArgs a = TrainingArgs.builder().device("cuda:7").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.checkDevice(a));
        assertTrue(e.getMessage().startsWith("device cuda:7: CUDA cannot be used here: "), e.getMessage());
        assertTrue(e.getMessage().contains("train with --device cpu, or set PANOPTIM_CUDA_SIM=1"), e.getMessage());
        assertMessage("device must be cpu, cuda or cuda:N, got gpu", TrainingArgs.builder().device("gpu"));
        assertEquals(dev.panoptim.tensor.Device.CPU, Trainer.checkDevice(TrainingArgs.defaults()));
    }

    @Test
    void jsonRoundTrip() throws Exception {
        TrainingArgs a = TrainingArgs.builder().data(Path.of("/tmp/fm")).checkpointDir(Path.of("ck")).optimizer("rmsprop")
                .centered(true).learningRate(0.1 + 0.2).seed(-7).runName("r").build();
        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(a);
        assertTrue(text.contains("\"data\":\"/tmp/fm\""), text);
        assertEquals(a, json.readValue(text, TrainingArgs.class));
    }

    @Test
    void resultDifferencesIgnoreWhereThingsGo() {
        TrainingArgs a = TrainingArgs.defaults();
        TrainingArgs moved = a.toBuilder().data(Path.of("x")).checkpointDir(Path.of("y")).project("p").runName("n").watchEvery(5)
                .evalBatchSize(17).valSubset(3).build();
        assertEquals(List.of(), a.resultDifferences(moved));
        assertEquals(List.of("learningRate: 0.001 vs 0.002", "seed: 42 vs 1"),
                a.resultDifferences(a.toBuilder().learningRate(0.002).seed(1).build()));
    }

    private static void assertMessage(String expected, TrainingArgs.Builder b) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
