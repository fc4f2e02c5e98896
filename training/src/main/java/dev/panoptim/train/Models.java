package dev.panoptim.train;

import dev.panoptim.nn.Init;
import dev.panoptim.nn.Linear;
import dev.panoptim.nn.Module;
import dev.panoptim.nn.ResNet;
import dev.panoptim.nn.SmallCnn;
import dev.panoptim.nn.Safetensors;
import dev.panoptim.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the network of a {@link TrainingArgs}: torchvision's resnet18 or resnet34 for the dataset's
 * channels and {@code numClasses}, or the scaling study's {@link SmallCnn} for the dataset's image size
 * (width exponent {@code width}, {@code dropout} before its final layer), its initialisation seeded by
 * {@code seed} (and a SmallCnn's dropout masks too), trained from scratch or
 * from {@code pretrained} weights (ResNets only) (a safetensors file with torch's names, e.g. torchvision's ImageNet
 * weights saved with {@code safetensors.torch.save_file(model.state_dict(), path)}).
 *
 * <p>Pretrained weights: every tensor is loaded except a final layer of another size (an ImageNet
 * {@code fc} of 1000 classes), which keeps its fresh initialisation. A 3-channel {@code conv1} loads
 * into a 1-channel network summed over its input channels (what timm does for grey images). With
 * {@code featureExtract}, the whole network is frozen and its final layer replaced by a new
 * {@code Linear(512, numClasses)}, the only trainable layer (the course's feature extraction).
 *
 * <pre>{@code Module model = Models.build(args, 1, 28, 28);   // Fashion-MNIST: 1 channel of 28x28}</pre>
 */
public final class Models {
    private Models() {}

    /** The network for {@code channels}-channel images of {@code height} x {@code width}, ready to train. */
    public static Module build(TrainingArgs args, int channels, int height, int width) {
        return build(args, channels, height, width, true);
    }

    /**
     * The network; {@code loadWeights} false skips reading the pretrained file (a resumed run takes every
     * tensor from its checkpoint) but keeps the architecture and the frozen layers.
     */
    public static Module build(TrainingArgs args, int channels, int height, int width, boolean loadWeights) {
        Init.manualSeed(args.seed());
        if (args.model().equals("smallcnn")) {
            return SmallCnn.builder().inChannels(channels).imageSize(height, width).classes(args.numClasses())
                    .widthExponent(args.width()).baseChannels(SmallCnn.DEFAULT_BASE_CHANNELS).dropout(args.dropout()).build();
        }
        ResNet model = args.model().equals("resnet34") ? ResNet.resnet34(channels, args.numClasses())
                : ResNet.resnet18(channels, args.numClasses());
        try {
            if (loadWeights && args.pretrained() != null) loadPretrained(model, args.pretrained());
            if (args.featureExtract()) {
                model.freeze();
                model.replaceFc(new Linear(512, args.numClasses()));
            }
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Loads {@code file} into {@code model} as the class comment says; problems are IllegalArgumentExceptions naming the file. */
    static void loadPretrained(ResNet model, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("pretrained weights " + file + ": not found (a safetensors file with torchvision's"
                    + " parameter names, e.g. conv1.weight, layer1.0.bn1.running_mean, fc.weight)");
        }
        Map<String, Tensor> loaded;
        try {
            loaded = Safetensors.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("pretrained weights " + file + ": " + e.getMessage(), e);
        }
        try {
            Map<String, Tensor> own = model.stateDict();
            Map<String, Tensor> use = new LinkedHashMap<>();
            for (var e : loaded.entrySet()) {
                String key = e.getKey();
                Tensor t = e.getValue();
                Tensor target = own.get(key);
                if (target == null) continue;   // reported below as unexpected, by loadStateDict's rules
                if (key.startsWith("fc.") && !Arrays.equals(t.shape(), target.shape())) continue;   // a new head
                if (key.equals("conv1.weight") && t.shape().length == 4 && target.shape().length == 4
                        && t.shape()[1] != target.shape()[1] && target.shape()[1] == 1) {
                    Tensor summed = sumInputChannels(t);
                    t.close();
                    t = summed;
                    e.setValue(summed);
                }
                use.put(key, t);
            }
            for (String key : loaded.keySet()) {
                if (!own.containsKey(key)) {
                    throw new IllegalArgumentException("pretrained weights " + file + ": tensor '" + key + "' is not in "
                            + model.getClass().getSimpleName() + " (expected torchvision's names, e.g. conv1.weight)");
                }
            }
            for (String key : own.keySet()) {
                if (!use.containsKey(key) && !key.startsWith("fc.")) {
                    throw new IllegalArgumentException("pretrained weights " + file + ": tensor '" + key + "' is missing");
                }
            }
            model.loadStateDict(use, false);   // shapes are checked, and named, there
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("pretrained weights")) throw e;
            throw new IllegalArgumentException("pretrained weights " + file + ": " + e.getMessage(), e);
        } finally {
            loaded.values().forEach(Tensor::close);
        }
    }

    /** (K, C, R, S) to (K, 1, R, S), summing over C. */
    private static Tensor sumInputChannels(Tensor w) {
        int[] s = w.shape();
        float[] in = w.toFloatArray();
        int rs = s[2] * s[3];
        float[] out = new float[s[0] * rs];
        for (int k = 0; k < s[0]; k++) {
            for (int c = 0; c < s[1]; c++) {
                for (int i = 0; i < rs; i++) out[k * rs + i] += in[(k * s[1] + c) * rs + i];
            }
        }
        return Tensor.of(out, s[0], 1, s[2], s[3]);
    }
}
