package dev.panoptim.nn;

import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.panoptim.nn.GradCheck.check;
import static dev.panoptim.nn.GradCheck.random;
import static dev.panoptim.nn.GradCheck.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every layer's forward against a float64 reference, and its backward (input and parameter grads)
 * against central differences of that reference, on odd shapes (N=2, C=3, H=7, W=5), on every
 * available device (the module moved there with {@code to(device)}, its input made there).
 */
class LayerGradientTest {
    private static final int N = 2, C = 3, H = 7, W = 5;

    /** The same weights on every device and in any test order: each device checks the same case. */
    @BeforeEach
    void seed() {
        Init.manualSeed(12);
    }

    /** {@code module} moved to {@code device}: take its parameters from it after this. */
    static <M extends Module> M on(Device device, M module) {
        module.to(device);
        return module;
    }

    private static void randomize(Tensor t, SplittableRandom rng, double lo, double hi) {
        float[] v = new float[(int) t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        t.copyFrom(v);
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void conv2dStridedPaddedWithBias(Device d) {
        SplittableRandom rng = new SplittableRandom(1);
        try (Conv2d conv = on(d, new Conv2d(C, 4, 3, 2, 1, true)); Tensor x = random(rng, d, N, C, H, W)) {
            assertArrayEquals(new int[] {N, 4, 4, 3}, conv.forward(x).shape());
            check(conv, x, List.of(conv.weight(), conv.bias()),
                    v -> Reference.conv2d(v[0], N, C, H, W, v[1], 4, 3, 3, v[2], 2, 2, 1, 1), true, rng);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void conv2dRectangularWithoutBias(Device d) {
        SplittableRandom rng = new SplittableRandom(2);
        try (Conv2d conv = on(d, new Conv2d(C, 2, new int[] {3, 2}, new int[] {1, 2}, new int[] {1, 0}, false));
             Tensor x = random(rng, d, N, C, H, W)) {
            check(conv, x, List.of(conv.weight()),
                    v -> Reference.conv2d(v[0], N, C, H, W, v[1], 2, 3, 2, null, 1, 2, 1, 0), true, rng);
            assertArrayEquals(new int[] {N, 2, 7, 2}, conv.forward(x).shape());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void conv2dOneByOneStrideTwo(Device d) {
        SplittableRandom rng = new SplittableRandom(3);
        try (Conv2d conv = on(d, new Conv2d(C, 5, 1, 2, 0, false)); Tensor x = random(rng, d, N, C, H, W)) {
            check(conv, x, List.of(conv.weight()),
                    v -> Reference.conv2d(v[0], N, C, H, W, v[1], 5, 1, 1, null, 2, 2, 0, 0), true, rng);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void linearWithAndWithoutBias(Device d) {
        SplittableRandom rng = new SplittableRandom(4);
        try (Linear fc = on(d, new Linear(5, 3)); Tensor x = random(rng, d, 4, 5)) {
            check(fc, x, List.of(fc.weight(), fc.bias()), v -> Reference.linear(v[0], 4, 5, v[1], 3, v[2]), true, rng);
        }
        try (Linear fc = on(d, new Linear(5, 3, false)); Tensor x = random(rng, d, 2, 3, 5)) {
            assertArrayEquals(new int[] {2, 3, 3}, fc.forward(x).shape());
            check(fc, x, List.of(fc.weight()), v -> Reference.linear(v[0], 6, 5, v[1], 3, null), true, rng);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void batchNormTrainMode(Device d) {
        SplittableRandom rng = new SplittableRandom(5);
        try (BatchNorm2d bn = on(d, new BatchNorm2d(C)); Tensor x = random(rng, d, N, C, H, W)) {
            randomize(bn.weight(), rng, 0.5, 1.5);
            randomize(bn.bias(), rng, -0.5, 0.5);
            check(bn, x, List.of(bn.weight(), bn.bias()),
                    v -> Reference.batchnormTrain(v[0], N, C, H * W, v[1], v[2], 1e-5), true, rng);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void batchNormEvalMode(Device d) {
        SplittableRandom rng = new SplittableRandom(6);
        try (BatchNorm2d bn = on(d, new BatchNorm2d(C)); Tensor x = random(rng, d, N, C, H, W)) {
            randomize(bn.weight(), rng, 0.5, 1.5);
            randomize(bn.bias(), rng, -0.5, 0.5);
            randomize(bn.runningMean(), rng, -0.3, 0.3);
            randomize(bn.runningVar(), rng, 0.5, 2);
            double[] rm = toDouble(bn.runningMean()), rv = toDouble(bn.runningVar());
            bn.eval();
            check(bn, x, List.of(bn.weight(), bn.bias()),
                    v -> Reference.batchnormEval(v[0], N, C, H * W, v[1], v[2], rm, rv, 1e-5), true, rng);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void relu(Device d) {
        SplittableRandom rng = new SplittableRandom(7);
        try (ReLU relu = on(d, new ReLU()); Tensor x = random(rng, d, N, C, H, W)) {
            check(relu, x, List.of(), v -> Reference.relu(v[0]), true, rng);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void maxPoolOverlappingPadded(Device d) {
        SplittableRandom rng = new SplittableRandom(8);
        try (MaxPool2d pool = on(d, new MaxPool2d(3, 2, 1)); Tensor x = random(rng, d, N, C, H, W)) {
            assertArrayEquals(new int[] {N, C, 4, 3}, pool.forward(x).shape());
            check(pool, x, List.of(), v -> Reference.maxpool(v[0], N, C, H, W, 3, 2, 1), true, rng);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void maxPoolFloorMode(Device d) {
        SplittableRandom rng = new SplittableRandom(9);
        try (MaxPool2d pool = on(d, new MaxPool2d(2)); Tensor x = random(rng, d, N, C, H, W)) {
            assertArrayEquals(new int[] {N, C, 3, 2}, pool.forward(x).shape());
            check(pool, x, List.of(), v -> Reference.maxpool(v[0], N, C, H, W, 2, 2, 0), true, rng);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void adaptiveAvgPool(Device d) {
        SplittableRandom rng = new SplittableRandom(10);
        try (AdaptiveAvgPool2d pool = on(d, new AdaptiveAvgPool2d(1)); Tensor x = random(rng, d, N, C, H, W)) {
            assertArrayEquals(new int[] {N, C, 1, 1}, pool.forward(x).shape());
            check(pool, x, List.of(), v -> Reference.avgpool(v[0], N, C, H * W), true, rng);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void flattenIsAViewBothWays(Device d) {
        SplittableRandom rng = new SplittableRandom(11);
        try (Flatten flat = on(d, new Flatten()); Tensor x = random(rng, d, N, C, H, W)) {
            Tensor y = flat.forward(x);
            assertArrayEquals(new int[] {N, C * H * W}, y.shape());
            assertEquals(x.dataAddress(), y.dataAddress(), "no copy");
            check(flat, x, List.of(), v -> v[0].clone(), true, rng);
        }
        try (Flatten flat = on(d, new Flatten(0, 1)); Tensor x = random(rng, d, N, C, H, W)) {
            assertArrayEquals(new int[] {N * C, H, W}, flat.forward(x).shape());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void crossEntropyWithAndWithoutLabelSmoothing(Device d) {
        SplittableRandom rng = new SplittableRandom(12);
        int n = 3, classes = 5;
        int[] targets = {4, 0, 2};
        for (double e : new double[] {0.0, 0.1}) {
            try (CrossEntropyLoss loss = new CrossEntropyLoss(e); Tensor logits = random(rng, d, n, classes)) {
                double[] v = toDouble(logits);
                float got = loss.forward(logits, targets);
                GradCheck.assertClose(Reference.crossEntropy(v, n, classes, targets, e), got, 1e-5, 1e-5, "loss e=" + e);
                double[] analytic = toDouble(loss.backward());
                for (int j = 0; j < v.length; j++) {
                    double keep = v[j];
                    v[j] = keep + GradCheck.STEP;
                    double plus = Reference.crossEntropy(v, n, classes, targets, e);
                    v[j] = keep - GradCheck.STEP;
                    double minus = Reference.crossEntropy(v, n, classes, targets, e);
                    v[j] = keep;
                    GradCheck.assertClose((plus - minus) / (2 * GradCheck.STEP), analytic[j], 1e-5, 1e-3, "dlogits[" + j + "]");
                }
                Tensor scaled = loss.backward(2.0);
                assertEquals(2 * analytic[0], scaled.toFloatArray()[0], 1e-6);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void basicBlockWithDownsampleInTrainMode(Device d) {
        SplittableRandom rng = new SplittableRandom(13);
        int in = 4, planes = 6;
        try (BasicBlock block = on(d, new BasicBlock(in, planes, 2, BasicBlock.downsample(in, planes, 2)));
             Tensor x = random(rng, d, N, in, H, W)) {
            List<Tensor> params = new ArrayList<>(block.namedParameters().values());
            for (var e : block.namedParameters().entrySet()) {   // BatchNorm scales and shifts away from 1 and 0
                if (e.getKey().startsWith("bn") && e.getKey().endsWith("weight") || e.getKey().equals("downsample.1.weight")) {
                    randomize(e.getValue(), rng, 0.5, 1.5);
                }
                if (e.getKey().endsWith("bias")) randomize(e.getValue(), rng, -0.5, 0.5);
            }
            assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight", "bn2.bias",
                    "downsample.0.weight", "downsample.1.weight", "downsample.1.bias"), List.copyOf(block.namedParameters().keySet()));
            check(block, x, params, v -> {
                double[] h1 = Reference.conv2d(v[0], N, in, H, W, v[1], planes, 3, 3, null, 2, 2, 1, 1);     // (N, 6, 4, 3)
                h1 = Reference.relu(Reference.batchnormTrain(h1, N, planes, 12, v[2], v[3], 1e-5));
                double[] h2 = Reference.conv2d(h1, N, planes, 4, 3, v[4], planes, 3, 3, null, 1, 1, 1, 1);
                h2 = Reference.batchnormTrain(h2, N, planes, 12, v[5], v[6], 1e-5);
                double[] id = Reference.conv2d(v[0], N, in, H, W, v[7], planes, 1, 1, null, 2, 2, 0, 0);
                id = Reference.batchnormTrain(id, N, planes, 12, v[8], v[9], 1e-5);
                return Reference.relu(Reference.add(h2, id));
            }, true, rng);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void basicBlockIdentity(Device d) {
        SplittableRandom rng = new SplittableRandom(14);
        int planes = 3;
        try (BasicBlock block = on(d, new BasicBlock(planes, planes)); Tensor x = random(rng, d, N, planes, H, W)) {
            List<Tensor> params = new ArrayList<>(block.namedParameters().values());
            check(block, x, params, v -> {
                double[] h1 = Reference.conv2d(v[0], N, planes, H, W, v[1], planes, 3, 3, null, 1, 1, 1, 1);
                h1 = Reference.relu(Reference.batchnormTrain(h1, N, planes, H * W, v[2], v[3], 1e-5));
                double[] h2 = Reference.conv2d(h1, N, planes, H, W, v[4], planes, 3, 3, null, 1, 1, 1, 1);
                h2 = Reference.batchnormTrain(h2, N, planes, H * W, v[5], v[6], 1e-5);
                return Reference.relu(Reference.add(h2, v[0]));
            }, true, rng);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void sequentialComposesEveryLayer(Device d) {
        SplittableRandom rng = new SplittableRandom(15);
        try (Sequential model = on(d, new Sequential(new Conv2d(C, 4, 3, 1, 1), new BatchNorm2d(4), new ReLU(),
                new MaxPool2d(3, 2, 1), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(4, 3)));
             Tensor x = random(rng, d, N, C, H, W)) {
            List<Tensor> params = new ArrayList<>(model.namedParameters().values());
            assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "6.weight", "6.bias"),
                    List.copyOf(model.namedParameters().keySet()));
            check(model, x, params, v -> {
                double[] h = Reference.conv2d(v[0], N, C, H, W, v[1], 4, 3, 3, v[2], 1, 1, 1, 1);
                h = Reference.relu(Reference.batchnormTrain(h, N, 4, H * W, v[3], v[4], 1e-5));
                h = Reference.maxpool(h, N, 4, H, W, 3, 2, 1);                                     // (N, 4, 4, 3)
                h = Reference.avgpool(h, N, 4, 12);
                return Reference.linear(h, N, 4, v[5], 3, v[6]);
            }, true, rng);
        }
    }
}
