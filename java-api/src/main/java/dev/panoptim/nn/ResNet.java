package dev.panoptim.nn;

import dev.panoptim.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * torchvision's ResNet with BasicBlocks (resnet18, resnet34): the stem conv1 (7x7, stride 2) - bn1 -
 * relu - maxpool (3, stride 2), four stages layer1..layer4 of 64, 128, 256, 512 channels (stages 2-4
 * halve the resolution), avgpool (to 1x1), flatten and fc. Parameter names and initialisation are
 * torchvision's (convs kaiming_normal_(mode = fan_out, nonlinearity = relu), BatchNorm weight 1 and
 * bias 0, fc torch's Linear default), so a torchvision checkpoint converted to safetensors loads
 * with {@link Safetensors#load(java.nio.file.Path, Module)}. With 3 input channels and 1000 classes,
 * resnet18 has 11,689,512 parameters and resnet34 21,797,672. Each BatchNorm2d followed by a ReLU
 * (the stem's bn1 - relu, every block's bn1 - relu) runs as one fused native op (see {@code Chain}).
 *
 * <pre>{@code
 * ResNet model = ResNet.resnet34(3, 10);
 * Tensor logits = model.forward(images);          // images (N, 3, H, W) -> logits (N, 10)
 * model.freeze();                                 // feature extraction: train only a new head
 * model.replaceFc(new Linear(512, 10));
 * }</pre>
 */
public final class ResNet extends Module {
    private final int inChannels;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final MaxPool2d maxpool;
    private final Sequential layer1, layer2, layer3, layer4;
    private final AdaptiveAvgPool2d avgpool;
    private final Flatten flatten = new Flatten();
    private Module fc;
    private List<Module> chain;

    /** resnet18: [2, 2, 2, 2] BasicBlocks. */
    public static ResNet resnet18(int inChannels, int numClasses) {
        return new ResNet(new int[] {2, 2, 2, 2}, inChannels, numClasses);
    }

    /** resnet34: [3, 4, 6, 3] BasicBlocks. */
    public static ResNet resnet34(int inChannels, int numClasses) {
        return new ResNet(new int[] {3, 4, 6, 3}, inChannels, numClasses);
    }

    /** A BasicBlock ResNet with {@code layers[i]} blocks in stage i (torchvision's ResNet(BasicBlock, layers)). */
    public ResNet(int[] layers, int inChannels, int numClasses) {
        if (layers == null || layers.length != 4 || Arrays.stream(layers).anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("ResNet needs 4 stage sizes >= 1, got " + Arrays.toString(layers));
        }
        if (inChannels < 1 || numClasses < 1) {
            throw new IllegalArgumentException("ResNet needs inChannels >= 1 and numClasses >= 1, got " + inChannels + ", "
                    + numClasses);
        }
        this.inChannels = inChannels;
        this.conv1 = registerModule("conv1", new Conv2d(inChannels, 64, 7, 2, 3, false));
        this.bn1 = registerModule("bn1", new BatchNorm2d(64));
        this.relu = registerModule("relu", new ReLU());
        this.maxpool = registerModule("maxpool", new MaxPool2d(3, 2, 1));
        this.layer1 = registerModule("layer1", makeLayer(64, 64, layers[0], 1));
        this.layer2 = registerModule("layer2", makeLayer(64, 128, layers[1], 2));
        this.layer3 = registerModule("layer3", makeLayer(128, 256, layers[2], 2));
        this.layer4 = registerModule("layer4", makeLayer(256, 512, layers[3], 2));
        this.avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
        this.fc = registerModule("fc", new Linear(512 * BasicBlock.EXPANSION, numClasses));
        for (Module m : modules()) {
            if (m instanceof Conv2d c) Init.kaimingNormal(c.weight(), 0, Init.FanMode.FAN_OUT, "relu");
        }
        rebuildChain();
    }

    private static Sequential makeLayer(int inplanes, int planes, int blocks, int stride) {
        Sequential layer = new Sequential();
        Sequential down = stride != 1 || inplanes != planes * BasicBlock.EXPANSION
                ? BasicBlock.downsample(inplanes, planes * BasicBlock.EXPANSION, stride) : null;
        layer.add(new BasicBlock(inplanes, planes, stride, down));
        for (int i = 1; i < blocks; i++) layer.add(new BasicBlock(planes * BasicBlock.EXPANSION, planes));
        return layer;
    }

    private void rebuildChain() {
        chain = new ArrayList<>(List.of(conv1, bn1, relu, maxpool, layer1, layer2, layer3, layer4, avgpool, flatten, fc));
    }

    /** The modules in the order forward applies them (for {@link Flops}). */
    List<Module> forwardChain() {
        return List.copyOf(chain);
    }

    /** The final layer (a Linear(512, numClasses) unless replaced). */
    public Module fc() {
        ensureOpen();
        return fc;
    }

    /**
     * Replaces the final layer (torch's {@code model.fc = nn.Linear(512, 10)}), closing the old one;
     * the new one takes (N, 512) and keeps its own {@code requiresGrad} flags, so after
     * {@link #freeze()} only its parameters are trainable. Returns {@code newFc}.
     */
    public <M extends Module> M replaceFc(M newFc) {
        replaceModule("fc", newFc);
        fc = newFc;
        rebuildChain();
        return newFc;
    }

    /** Input channels (3 for RGB). */
    public int inChannels() {
        return inChannels;
    }

    /** Logits (N, numClasses) for images (N, inChannels, H, W). */
    @Override
    public Tensor forward(Tensor x) {
        int[] s = inputShape(x);
        if (s.length != 4 || s[1] != inChannels) {
            throw new IllegalArgumentException("ResNet expects input (N, " + inChannels + ", H, W), got " + Arrays.toString(s));
        }
        return Chain.forward(chain, x);
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return backward(gradOutput, true);
    }

    /** Pass {@code inputGrad} false in training loops: the images need no gradient (saves conv1's). */
    @Override
    public Tensor backward(Tensor gradOutput, boolean inputGrad) {
        ensureOpen();
        return Chain.backward(chain, gradOutput, inputGrad);
    }

    @Override
    protected void moved() {
        flatten.to(device());   // not a registered child (torchvision's ResNet has none), so moved by hand
    }

    @Override
    protected void releaseActivations() {
        flatten.close();
    }
}
