package dev.panoptim.nn;

import dev.panoptim.optim.Optimizer;
import dev.panoptim.optim.SGD;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.panoptim.nn.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ResNet-18/34: torchvision's parameter counts and names, shapes, a full backward, feature extraction, bad input. */
class ResNetTest {

    @Test
    void parameterCountsAreTorchvisions() {
        try (ResNet r18 = ResNet.resnet18(3, 1000)) {
            assertEquals(11_689_512L, r18.parameterCount());
            assertEquals(62, r18.namedParameters().size());
            assertEquals(122, r18.stateDict().size(), "torchvision's resnet18 state_dict has 122 entries");
        }
        try (ResNet r34 = ResNet.resnet34(3, 1000)) {
            assertEquals(21_797_672L, r34.parameterCount());
            assertEquals(r34.parameterCount(), r34.trainableParameterCount());
            assertEquals(218, r34.stateDict().size(), "torchvision's resnet34 state_dict has 218 entries");
        }
    }

    @Test
    void stateDictNamesAreTorchvisions() {
        try (ResNet model = ResNet.resnet18(3, 10)) {
            List<String> keys = List.copyOf(model.stateDict().keySet());
            assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                    "bn1.num_batches_tracked", "layer1.0.conv1.weight", "layer1.0.bn1.weight"), keys.subList(0, 8));
            assertEquals(List.of("layer4.1.bn2.num_batches_tracked", "fc.weight", "fc.bias"), keys.subList(keys.size() - 3, keys.size()));
            for (String k : List.of("layer2.0.downsample.0.weight", "layer2.0.downsample.1.running_var", "layer3.1.conv2.weight",
                    "layer4.0.downsample.1.num_batches_tracked")) {
                assertTrue(keys.contains(k), k);
            }
            assertFalse(keys.contains("layer1.0.downsample.0.weight"), "layer1 keeps the shape: no downsample");
            Map<String, Tensor> sd = model.stateDict();
            assertArrayEquals(new int[] {64, 3, 7, 7}, sd.get("conv1.weight").shape());
            assertArrayEquals(new int[] {128, 64, 1, 1}, sd.get("layer2.0.downsample.0.weight").shape());
            assertArrayEquals(new int[] {10, 512}, sd.get("fc.weight").shape());
            assertArrayEquals(new int[0], sd.get("bn1.num_batches_tracked").shape());
        }
    }

    @Test
    void printsLikeTorch() {
        try (ResNet model = ResNet.resnet18(3, 10)) {
            String s = model.toString();
            assertTrue(s.startsWith("ResNet(\n  (conv1): Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False)\n"), s);
            assertTrue(s.contains("(downsample): Sequential(\n"), s);
            assertTrue(s.contains("(fc): Linear(in_features=512, out_features=10, bias=True)"), s);
        }
    }

    @Test
    void torchvisionInitialisation() {
        Init.manualSeed(3);
        try (ResNet model = ResNet.resnet18(3, 10)) {
            // kaiming_normal_(fan_out, relu): std = sqrt(2 / (64 * 3 * 3)) for layer1's convs.
            float[] w = model.stateDict().get("layer1.0.conv1.weight").toFloatArray();
            double ss = 0;
            for (float v : w) ss += v * v;
            assertEquals(Math.sqrt(2.0 / (64 * 9)), Math.sqrt(ss / w.length), 0.002);
            float[] fc = model.stateDict().get("fc.weight").toFloatArray();
            for (float v : fc) assertTrue(Math.abs(v) <= 1 / Math.sqrt(512), "fc keeps torch's Linear default");
            assertArrayEquals(new float[64], model.stateDict().get("bn1.bias").toFloatArray());
        }
    }

    @Test
    void outputShapes() {
        SplittableRandom rng = new SplittableRandom(1);
        try (ResNet model = ResNet.resnet18(1, 7); Tensor x = random(rng, 2, 1, 37, 29)) {
            assertArrayEquals(new int[] {2, 7}, model.forward(x).shape());
        }
        try (ResNet model = ResNet.resnet34(3, 10); Tensor x = random(rng, 3, 3, 32, 32)) {
            model.eval();
            Tensor y = model.forward(x);
            assertArrayEquals(new int[] {3, 10}, y.shape());
            assertSame(y, model.forward(x), "activations are preallocated buffers, reused while the shape holds");
        }
    }

    @Test
    void resnet34ForwardBackwardGivesFiniteGradsForEveryParameter() {
        SplittableRandom rng = new SplittableRandom(2);
        try (ResNet model = ResNet.resnet34(3, 10); Tensor x = random(rng, 2, 3, 32, 32);
             CrossEntropyLoss criterion = new CrossEntropyLoss()) {
            float loss = criterion.forward(model.forward(x), new int[] {3, 7});
            assertTrue(Float.isFinite(loss) && loss > 0, "loss " + loss);
            Tensor dx = model.backward(criterion.backward());
            assertArrayEquals(x.shape(), dx.shape());
            for (float v : dx.toFloatArray()) assertTrue(Float.isFinite(v));
            int nonZero = 0;
            for (var e : model.namedParameters().entrySet()) {
                Tensor g = e.getValue().grad();
                assertNotNull(g, e.getKey() + " has no grad");
                double norm = 0;
                for (float v : g.toFloatArray()) {
                    assertTrue(Float.isFinite(v), e.getKey() + " has a non-finite grad");
                    norm += v * v;
                }
                if (norm > 0) nonZero++;
            }
            assertEquals(model.namedParameters().size(), nonZero, "every parameter gets a non-zero gradient");
            assertNull(model.backward(criterion.backward(), false), "no input grad asked, none returned");
        }
    }

    /**
     * The composed backward (chains, blocks, residual adds, flatten) against a directional finite
     * difference of the float32 forward: (L(w + h d) - L(w - h d)) / 2h = grad . d for a random d.
     */
    @Test
    void smallResNetDirectionalDerivative() {
        SplittableRandom rng = new SplittableRandom(3);
        Init.manualSeed(11);
        try (ResNet model = new ResNet(new int[] {1, 1, 1, 1}, 2, 4); Tensor x = random(rng, 4, 2, 16, 16);
             CrossEntropyLoss criterion = new CrossEntropyLoss()) {
            int[] y = {0, 1, 2, 3};
            model.eval();   // fixed statistics keep the loss smooth in the weights
            for (Tensor bn : List.of(model.stateDict().get("bn1.running_var"))) bn.fill(2f);
            criterion.forward(model.forward(x), y);
            model.backward(criterion.backward(), false);
            double h = 1e-3, directional = 0;   // larger steps cross ReLU and max-pool kinks
            Map<String, Tensor> params = model.namedParameters();
            Map<String, float[]> dirs = new java.util.HashMap<>(), saved = new java.util.HashMap<>();
            for (var e : params.entrySet()) {
                float[] d = new float[(int) e.getValue().numel()];
                float[] g = e.getValue().grad().toFloatArray();
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (rng.nextDouble() * 2 - 1);
                    directional += (double) d[i] * g[i];
                }
                dirs.put(e.getKey(), d);
                saved.put(e.getKey(), e.getValue().toFloatArray());
            }
            double[] losses = new double[2];
            for (int sign = 0; sign < 2; sign++) {
                for (var e : params.entrySet()) {
                    float[] w = saved.get(e.getKey()).clone(), d = dirs.get(e.getKey());
                    double scale = (sign == 0 ? h : -h) * Math.max(1e-3, rms(w));
                    for (int i = 0; i < w.length; i++) w[i] += (float) (scale * d[i]);
                    e.getValue().copyFrom(w);
                }
                losses[sign] = criterion.forward(model.forward(x), y);
            }
            // Each tensor moved by h * rms(w) * d: the expected change is sum over tensors of rms * grad . d.
            double expected = 0;
            for (var e : params.entrySet()) {
                float[] g = e.getValue().grad().toFloatArray(), d = dirs.get(e.getKey());
                double dot = 0;
                for (int i = 0; i < g.length; i++) dot += (double) d[i] * g[i];
                expected += Math.max(1e-3, rms(saved.get(e.getKey()))) * dot;
            }
            double numeric = (losses[0] - losses[1]) / (2 * h);
            assertTrue(Math.abs(numeric - expected) <= 0.02 * Math.abs(expected) + 2e-4,
                    "directional derivative: finite difference " + numeric + ", backward " + expected);
            assertTrue(Math.abs(directional) > 0);
        }
    }

    private static double rms(float[] w) {
        double s = 0;
        for (float v : w) s += v * v;
        return Math.sqrt(s / w.length);
    }

    @Test
    void featureExtractionTrainsOnlyTheNewHead() {
        SplittableRandom rng = new SplittableRandom(4);
        try (ResNet model = ResNet.resnet18(3, 1000); Tensor x = random(rng, 2, 3, 32, 32);
             CrossEntropyLoss criterion = new CrossEntropyLoss()) {
            model.freeze();
            assertTrue(model.parameters().isEmpty());
            Module oldFc = model.fc();
            Linear head = model.replaceFc(new Linear(512, 10));
            assertTrue(oldFc.isClosed(), "the replaced layer is freed");
            assertSame(head, model.fc());
            assertEquals(List.of(head.weight(), head.bias()), model.parameters());
            assertEquals(512 * 10 + 10, model.trainableParameterCount());
            assertEquals(11_689_512L - 513_000 + 5_130, model.parameterCount());

            Tensor conv1 = model.stateDict().get("conv1.weight");
            float[] conv1Before = conv1.toFloatArray(), headBefore = head.weight().toFloatArray();
            try (Optimizer opt = SGD.builder(model.parameters()).lr(0.1).build()) {
                criterion.forward(model.forward(x), new int[] {1, 2});
                assertNull(model.backward(criterion.backward(), false));
                for (var e : model.namedParameters().entrySet()) {
                    boolean trainable = e.getKey().startsWith("fc.");
                    assertEquals(trainable, e.getValue().grad() != null, e.getKey() + (trainable ? " needs" : " must not get") + " a grad");
                }
                opt.step();
            }
            assertArrayEquals(conv1Before, conv1.toFloatArray(), "frozen weights do not move");
            assertFalse(java.util.Arrays.equals(headBefore, head.weight().toFloatArray()), "the head moves");
        }
    }

    @Test
    void badInputIsRejectedWithTheShapes() {
        try (ResNet model = ResNet.resnet18(3, 10); Tensor rank3 = Tensor.zeros(3, 32, 32); Tensor gray = Tensor.zeros(2, 1, 32, 32)) {
            var e = assertThrows(IllegalArgumentException.class, () -> model.forward(rank3));
            assertTrue(e.getMessage().contains("expects input (N, 3, H, W), got [3, 32, 32]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> model.forward(gray));
            assertTrue(e.getMessage().contains("got [2, 1, 32, 32]"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> model.backward(Tensor.zeros(2, 10)), "backward before forward");
            assertSame(model, model.to(Device.CPU));
        }
    }
}
