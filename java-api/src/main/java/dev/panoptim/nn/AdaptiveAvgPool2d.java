package dev.panoptim.nn;

import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.runtime.NativeStatus;
import dev.panoptim.tensor.Tensor;

import java.util.Arrays;

/**
 * Adaptive average pooling to a 1x1 output (torch.nn.AdaptiveAvgPool2d(1)): x (N, C, H, W) to
 * (N, C, 1, 1), the mean of each plane. Only output size 1 is supported. Runs
 * {@code pt_global_avgpool_forward/backward}.
 *
 * <pre>{@code Tensor pooled = new AdaptiveAvgPool2d(1).forward(features);   // (N, C, 1, 1)}</pre>
 */
public final class AdaptiveAvgPool2d extends Module {
    private int[] inShape;
    private int[] outShape;
    private Tensor output;
    private Tensor gradInput;

    /** {@code outputSize} must be 1 (global average pooling); anything else is an IllegalArgumentException. */
    public AdaptiveAvgPool2d(int outputSize) {
        if (outputSize != 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: only output size 1 is supported, got " + outputSize);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = inputShape(x);
        if (s.length != 4 || s[2] < 1 || s[3] < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d expects input (N, C, H, W) with H, W >= 1, got "
                    + Arrays.toString(s));
        }
        int[] o = {s[0], s[1], 1, 1};
        output = reuse(output, device(), o);
        NativeStatus.check(panoptim_h.pt_global_avgpool_forward(deviceCode(), s[0], s[1], (long) s[2] * s[3],
                x.nativeSegment(), output.nativeSegment()), "AdaptiveAvgPool2d forward " + Arrays.toString(s));
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
        NativeStatus.check(panoptim_h.pt_global_avgpool_backward(deviceCode(), inShape[0], inShape[1],
                (long) inShape[2] * inShape[3], gradOutput.nativeSegment(), gradInput.nativeSegment()), "AdaptiveAvgPool2d backward");
        return gradInput;
    }

    @Override
    protected void releaseActivations() {
        output = free(output);
        gradInput = free(gradInput);
        outShape = null;
    }

    @Override
    protected String extraRepr() {
        return "output_size=(1, 1)";
    }
}
