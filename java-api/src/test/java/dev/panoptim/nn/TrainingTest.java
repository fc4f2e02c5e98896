package dev.panoptim.nn;

import dev.panoptim.optim.AdamW;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.optim.SGD;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.function.Function;

import static dev.panoptim.nn.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A few real optimizer steps on a tiny conv net reduce the loss on a fixed batch, on every available device. */
class TrainingTest {
    private static final int[] TARGETS = {0, 1, 2, 0, 1, 2, 0, 1};

    private static Sequential model() {
        return new Sequential(new Conv2d(1, 4, 3, 1, 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(4 * 4 * 4, 3));
    }

    private static float[] train(Device device, Function<Sequential, Optimizer> optimizer, int steps) {
        Init.manualSeed(5);
        float[] losses = new float[steps + 1];
        try (Sequential model = LayerGradientTest.on(device, model()); Tensor x = random(new SplittableRandom(9), device, 8, 1, 8, 8);
             CrossEntropyLoss criterion = new CrossEntropyLoss(); Optimizer opt = optimizer.apply(model)) {
            for (int i = 0; i <= steps; i++) {
                losses[i] = criterion.forward(model.forward(x), TARGETS);
                if (i == steps) break;
                opt.zeroGrad();
                model.backward(criterion.backward(), false);
                opt.step();
            }
        }
        return losses;
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void sgdWithMomentumReducesTheLoss(Device d) {
        float[] l = train(d, m -> SGD.builder(m.parameters()).lr(0.05).momentum(0.9).build(), 15);
        assertTrue(l[15] < 0.5 * l[0], "SGD: loss " + l[0] + " -> " + l[15]);
    }

    @ParameterizedTest
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void adamWReducesTheLoss(Device d) {
        float[] l = train(d, m -> AdamW.builder(m.parameters()).lr(0.02).weightDecay(0.01).build(), 15);
        assertTrue(l[15] < 0.5 * l[0], "AdamW: loss " + l[0] + " -> " + l[15]);
    }
}
