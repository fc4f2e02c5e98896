package dev.panoptim.bench.djl;

import dev.panoptim.nn.AdaptiveAvgPool2d;
import dev.panoptim.nn.BasicBlock;
import dev.panoptim.nn.BatchNorm2d;
import dev.panoptim.nn.Conv2d;
import dev.panoptim.nn.CrossEntropyLoss;
import dev.panoptim.nn.Flatten;
import dev.panoptim.nn.Linear;
import dev.panoptim.nn.MaxPool2d;
import dev.panoptim.nn.Module;
import dev.panoptim.nn.ReLU;
import dev.panoptim.nn.ResNet;
import dev.panoptim.nn.Sequential;
import dev.panoptim.optim.AdamW;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.tensor.Tensor;

/**
 * panoptim's side of {@link TrainingRace}: its ResNet-18 with CrossEntropyLoss and its fused AdamW
 * (lr 1e-3, weight decay 0.01), stepped as the trainer's trainingStep and validationStep do.
 *
 * <pre>{@code
 * try (var c = new PanoptimContender(64, 3, 32, images, labels)) { float loss = c.train(); }
 * }</pre>
 */
final class PanoptimContender implements TrainingRace.Contender {
    private final Module model;
    private final CrossEntropyLoss criterion = new CrossEntropyLoss();
    private final Optimizer optimizer;
    private final Tensor images;
    private final int[] labels;

    /** Width 64 is torchvision's resnet18 ({@link ResNet#resnet18}); other widths scale every stage the same way. */
    PanoptimContender(int width, int channels, int size, float[] x, int[] y) {
        model = width == 64 ? ResNet.resnet18(channels, 10) : resnet18(width, channels, 10);
        optimizer = AdamW.builder(model.parameters()).lr(1e-3).weightDecay(0.01).build();
        images = Tensor.of(x, y.length, channels, size, size);
        labels = y.clone();
    }

    /** torchvision's resnet18 layout with stage widths w, 2w, 4w, 8w (for quick runs and tests at small widths). */
    private static Module resnet18(int w, int channels, int classes) {
        Sequential net = new Sequential(new Conv2d(channels, w, 7, 2, 3, false), new BatchNorm2d(w), new ReLU(), new MaxPool2d(3, 2, 1));
        int in = w;
        for (int stage = 0; stage < 4; stage++) {
            int out = w << stage, stride = stage == 0 ? 1 : 2;
            net.add(new BasicBlock(in, out, stride, stride != 1 || in != out ? BasicBlock.downsample(in, out, stride) : null));
            net.add(new BasicBlock(out, out));
            in = out;
        }
        return net.add(new AdaptiveAvgPool2d(1)).add(new Flatten()).add(new Linear(8 * w, classes));
    }

    @Override
    public String name() {
        return "panoptim";
    }

    @Override
    public long parameters() {
        return model.trainableParameterCount();
    }

    @Override
    public float train() {
        if (!model.isTraining()) model.train();
        optimizer.zeroGrad();
        float loss = criterion.forward(model.forward(images), labels);
        model.backward(criterion.backward(), false);
        optimizer.step();
        return loss;
    }

    @Override
    public float evaluate() {
        if (model.isTraining()) model.eval();
        return criterion.forward(model.forward(images), labels);
    }

    @Override
    public void close() {
        images.close();
        optimizer.close();
        criterion.close();
        model.close();
    }
}
