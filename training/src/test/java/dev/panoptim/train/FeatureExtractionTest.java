package dev.panoptim.train;

import dev.panoptim.nn.Init;
import dev.panoptim.nn.ResNet;
import dev.panoptim.nn.Safetensors;
import dev.panoptim.tensor.Tensor;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SqliteRunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pretrained weights with torch's names (a 3-channel, 7-class resnet18 standing in for torchvision's
 * ImageNet one): loaded into a 1-channel, 10-class network, then feature extraction trains only the new
 * final layer.
 */
class FeatureExtractionTest {
    @TempDir
    Path dir;

    private Path pretrained() throws Exception {
        Path file = dir.resolve("resnet18.safetensors");
        Init.manualSeed(123);
        try (ResNet source = ResNet.resnet18(3, 7)) {
            Safetensors.save(file, source);
        }
        return file;
    }

    @Test
    void pretrainedWeightsLoadWithANewHead() throws Exception {
        Path file = pretrained();
        Map<String, Tensor> saved = Safetensors.load(file);
        TrainingArgs args = TrainingArgs.builder().pretrained(file).build();
        try (ResNet model = (ResNet) Models.build(args, 1, 28, 28)) {
            Map<String, Tensor> own = model.stateDict();
            assertArrayEquals(saved.get("layer3.1.conv2.weight").toFloatArray(), own.get("layer3.1.conv2.weight").toFloatArray());
            assertArrayEquals(saved.get("layer2.0.bn1.running_var").toFloatArray(), own.get("layer2.0.bn1.running_var").toFloatArray());
            float[] rgb = saved.get("conv1.weight").toFloatArray(), grey = own.get("conv1.weight").toFloatArray();
            assertEquals(64 * 49, grey.length);
            assertEquals(rgb[0] + rgb[49] + rgb[98], grey[0], 1e-6, "conv1 summed over the input channels");
            assertEquals(10, own.get("fc.weight").shape()[0], "a new 10-class head");
            assertEquals(model.parameterCount(), model.trainableParameterCount(), "fine-tuning: everything trains");
        } finally {
            saved.values().forEach(Tensor::close);
        }
    }

    @Test
    void featureExtractionTrainsOnlyTheNewFinalLayer() throws Exception {
        Path file = pretrained();
        TrainingArgs args = TrainingArgs.builder().pretrained(file).featureExtract(true).subset(1).batchSize(16).epochs(1)
                .learningRate(1e-2).project("fx").checkpoints(false).watchEvery(2).build();
        try (RunStore store = SqliteRunStore.inDirectory(dir);
             Trainer t = Trainer.builder(args).data(TinyData.data(64, 32)).store(store)
                     .out(new PrintStream(PrintStream.nullOutputStream())).progressBar(false).build()) {
            assertEquals(512 * 10 + 10, t.model().trainableParameterCount());
            float[] convBefore = t.model().namedParameters().get("layer4.1.conv2.weight").toFloatArray();
            float[] fcBefore = t.model().namedParameters().get("fc.weight").toFloatArray();
            TrainingResult r = t.train();
            assertFalse(r.stopped());
            assertArrayEquals(convBefore, t.model().namedParameters().get("layer4.1.conv2.weight").toFloatArray(), "frozen");
            assertFalse(java.util.Arrays.equals(fcBefore, t.model().namedParameters().get("fc.weight").toFloatArray()), "trained");
            var keys = store.histograms(r.runId()).stream().map(h -> h.step() + " " + h.key()).toList();
            assertTrue(keys.contains("2 gradients/fc.weight") && keys.contains("4 parameters/layer1.0.conv1.weight"), keys.toString());
            assertFalse(keys.contains("2 gradients/layer1.0.conv1.weight"), "frozen layers have no gradients");
        }
    }

    @Test
    void badWeightsAreNamed() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Models.build(TrainingArgs.builder().pretrained(dir.resolve("none.safetensors")).build(), 1, 28, 28));
        assertTrue(missing.getMessage().startsWith("pretrained weights " + dir.resolve("none.safetensors") + ": not found"),
                missing.getMessage());
        Path other = dir.resolve("other.safetensors");
        try (Tensor t = Tensor.zeros(3)) {
            Safetensors.save(other, Map.of("encoder.weight", t));
        }
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> Models.build(TrainingArgs.builder().pretrained(other).build(), 1, 28, 28));
        assertTrue(foreign.getMessage().contains("tensor 'encoder.weight' is not in ResNet"), foreign.getMessage());
        assertTrue(Files.exists(other));
    }
}
