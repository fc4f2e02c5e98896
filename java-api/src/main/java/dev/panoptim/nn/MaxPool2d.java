package dev.panoptim.nn;

import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.runtime.NativeStatus;
import dev.panoptim.tensor.Tensor;

import java.util.Arrays;

/**
 * Max pooling over square windows (torch.nn.MaxPool2d, dilation 1, floor mode): x (N, C, H, W) to
 * (N, C, P, Q) with P = (H + 2 * padding - kernel) / stride + 1; padding counts as -infinity and may
 * be at most kernel / 2. The position of each maximum is kept for the backward pass, which routes
 * each gradient to it. Runs {@code pt_maxpool2d_forward/backward}.
 *
 * <pre>{@code MaxPool2d pool = new MaxPool2d(3, 2, 1);   // kernel, stride, padding (ResNet's stem)}</pre>
 */
public final class MaxPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final NativeInts argmax = new NativeInts();

    private int[] inShape;
    private int[] outShape;
    private Tensor output;
    private Tensor gradInput;

    /** Stride = kernel, no padding (torch's default). */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    /** torch's argument order: kernel_size, stride, padding. */
    public MaxPool2d(int kernel, int stride, int padding) {
        if (kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("MaxPool2d: needs kernel >= 1, stride >= 1, padding >= 0, got kernel=" + kernel
                    + ", stride=" + stride + ", padding=" + padding);
        }
        if (padding > kernel / 2) {
            throw new IllegalArgumentException("MaxPool2d: padding " + padding + " must be at most half the kernel size "
                    + kernel);
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    /** The output shape for an input shape (N, C, H, W), checking it. */
    public int[] outputShape(int[] s) {
        if (s.length != 4) throw new IllegalArgumentException("MaxPool2d expects input (N, C, H, W), got " + Arrays.toString(s));
        if (s[2] + 2 * padding < kernel || s[3] + 2 * padding < kernel) {
            throw new IllegalArgumentException("MaxPool2d: input " + Arrays.toString(s) + " with padding " + padding
                    + " is smaller than the kernel " + kernel);
        }
        return new int[] {s[0], s[1], (s[2] + 2 * padding - kernel) / stride + 1, (s[3] + 2 * padding - kernel) / stride + 1};
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = inputShape(x);
        int[] o = outputShape(s);
        output = reuse(output, device(), o);
        long count = (long) o[0] * o[1] * o[2] * o[3];
        NativeStatus.check(panoptim_h.pt_maxpool2d_forward(deviceCode(), s[0], s[1], s[2], s[3], kernel, stride, padding,
                x.nativeSegment(), output.nativeSegment(), argmax.ensure(device(), count)), "MaxPool2d forward " + Arrays.toString(s));
        inShape = s;
        outShape = o;
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return backward(gradOutput, true);
    }

    @Override
    public Tensor backward(Tensor gradOutput, boolean inputGrad) {
        checkBackward(output, gradOutput, outShape);
        if (!inputGrad) return null;
        gradInput = reuse(gradInput, device(), inShape);
        long count = (long) outShape[0] * outShape[1] * outShape[2] * outShape[3];
        NativeStatus.check(panoptim_h.pt_maxpool2d_backward(deviceCode(), inShape[0], inShape[1], inShape[2], inShape[3],
                outShape[2], outShape[3], gradOutput.nativeSegment(), argmax.ensure(device(), count), gradInput.nativeSegment()),
                "MaxPool2d backward " + Arrays.toString(outShape));
        return gradInput;
    }

    @Override
    protected void releaseActivations() {
        output = free(output);
        gradInput = free(gradInput);
        argmax.close();
        outShape = null;
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding + ", dilation=1, ceil_mode=False";
    }
}
