package dev.panoptim.nn;

import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.runtime.NativeStatus;
import dev.panoptim.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * torchvision's ResNet BasicBlock: out = relu(bn2(conv2(relu(bn1(conv1(x))))) + identity), where
 * identity is x, or downsample(x) = bn(conv1x1(x)) when the block changes the stride or the width.
 * conv1 is 3x3 with the block's stride, conv2 3x3 with stride 1, both padding 1 and no bias.
 * Children (torchvision's names): conv1, bn1, relu, conv2, bn2 and, when present, downsample
 * (a Sequential: {@code downsample.0} the 1x1 conv, {@code downsample.1} its BatchNorm2d).
 * bn1 and relu run as one fused native op (see {@code Chain}); relu stays a child, so the
 * module tree and the state dict are torchvision's.
 *
 * <pre>{@code BasicBlock block = new BasicBlock(64, 128, 2, BasicBlock.downsample(64, 128, 2));}</pre>
 */
public final class BasicBlock extends Module {
    /** Output channels per {@code planes} (1 for BasicBlock). */
    public static final int EXPANSION = 1;

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Sequential downsample;
    /** torch applies its one relu twice; here the second application has its own instance. */
    private final ReLU reluOut = new ReLU();
    private final List<Module> mainPath;

    private Tensor sum;
    private Tensor gradInput;

    /** Stride 1, no downsample: {@code inplanes} must equal {@code planes}. */
    public BasicBlock(int inplanes, int planes) {
        this(inplanes, planes, 1, null);
    }

    /**
     * torchvision's argument order: inplanes, planes, stride, downsample (null when the shapes of x
     * and the block's output agree).
     */
    public BasicBlock(int inplanes, int planes, int stride, Sequential downsample) {
        if (downsample == null && (stride != 1 || inplanes != planes)) {
            throw new IllegalArgumentException("BasicBlock(" + inplanes + ", " + planes + ", stride " + stride
                    + ") changes the shape and needs a downsample (see BasicBlock.downsample)");
        }
        this.conv1 = registerModule("conv1", new Conv2d(inplanes, planes, 3, stride, 1, false));
        this.bn1 = registerModule("bn1", new BatchNorm2d(planes));
        this.relu = registerModule("relu", new ReLU());
        this.conv2 = registerModule("conv2", new Conv2d(planes, planes, 3, 1, 1, false));
        this.bn2 = registerModule("bn2", new BatchNorm2d(planes));
        this.downsample = downsample == null ? null : registerModule("downsample", downsample);
        this.mainPath = List.of(conv1, bn1, relu, conv2, bn2);
    }

    /** torchvision's downsample: Sequential(Conv2d(in, out, 1, stride, 0, false), BatchNorm2d(out)). */
    public static Sequential downsample(int inplanes, int planes, int stride) {
        return new Sequential(new Conv2d(inplanes, planes, 1, stride, 0, false), new BatchNorm2d(planes));
    }

    /** conv1, bn1, relu, conv2, bn2: the residual branch, in order (for {@link Flops}). */
    List<Module> mainPath() {
        return mainPath;
    }

    /** The downsample, or null. */
    public Sequential downsample() {
        ensureOpen();
        return downsample;
    }

    @Override
    public Tensor forward(Tensor x) {
        inputShape(x);
        Tensor main = Chain.forward(mainPath, x);
        Tensor identity = downsample == null ? x : downsample.forward(x);
        int[] s = main.shape();
        if (!Arrays.equals(s, identity.shape())) {
            throw new IllegalArgumentException("BasicBlock: the residual branch gives " + Arrays.toString(s)
                    + " but the identity branch " + Arrays.toString(identity.shape()) + " for input " + Arrays.toString(x.shape()));
        }
        sum = reuse(sum, device(), s);
        NativeStatus.check(panoptim_h.pt_add(deviceCode(), sum.numel(), main.nativeSegment(), identity.nativeSegment(), sum.nativeSegment()),
                "BasicBlock residual add");
        return reluOut.forward(sum);
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return backward(gradOutput, true);
    }

    @Override
    public Tensor backward(Tensor gradOutput, boolean inputGrad) {
        ensureOpen();
        if (sum == null) throw new IllegalStateException("BasicBlock.backward called before forward");
        if (!inputGrad && !hasTrainableParameters()) return null;
        Tensor gSum = reluOut.backward(gradOutput);
        Tensor gMain = Chain.backward(mainPath, gSum, inputGrad);
        Tensor gIdentity = downsample == null ? gSum : downsample.backward(gSum, inputGrad);
        if (!inputGrad) return null;
        gradInput = reuse(gradInput, device(), gMain.shape());
        NativeStatus.check(panoptim_h.pt_add(deviceCode(), gradInput.numel(), gMain.nativeSegment(), gIdentity.nativeSegment(),
                gradInput.nativeSegment()), "BasicBlock backward add");
        return gradInput;
    }

    @Override
    protected void moved() {
        reluOut.to(device());   // not a registered child (torch has one relu), so moved by hand
        sum = free(sum);
        gradInput = free(gradInput);
    }

    @Override
    protected void releaseActivations() {
        reluOut.close();
        sum = free(sum);
        gradInput = free(gradInput);
    }

    @Override
    protected String extraRepr() {
        return "";
    }
}
