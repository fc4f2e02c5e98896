package dev.panoptim.nn;

import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.runtime.NativeStatus;
import dev.panoptim.tensor.DType;
import dev.panoptim.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * 2-D convolution (torch.nn.Conv2d with groups = 1, dilation = 1, zero padding): x (N, C, H, W) to
 * y (N, K, P, Q) with P = (H + 2 * padH - R) / strideH + 1, Q likewise; weight (K, C, R, S), bias (K).
 * torch's default initialisation: weight kaiming_uniform_(a = sqrt(5)), i.e. U(-1/sqrt(fan_in),
 * 1/sqrt(fan_in)) with fan_in = C * R * S, and bias from the same range. Runs
 * {@code pt_conv2d_forward/backward} (im2col + OpenBLAS sgemm on the CPU); under a bfloat16 or
 * float16 {@link #computeDType()} {@code pt_conv2d_forward_ex/backward_ex}, with its bfloat16 weight
 * copy as the weight operand under bfloat16 (see {@link Module#setComputeDType}).
 *
 * <pre>{@code Conv2d conv = new Conv2d(3, 64, 7, 2, 3, false);   // in, out, kernel, stride, padding, bias}</pre>
 */
public final class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernelH, kernelW, strideH, strideW, padH, padW;
    private Tensor weight;   // not final: to(device) replaces it
    private Tensor bias;

    private Tensor input;
    private int[] outShape;
    private Tensor output;
    private Tensor gradInput;

    /** A square {@code kernel}, stride 1, no padding, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, 1, 0, true);
    }

    /** Square kernel, stride and padding, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, kernel, stride, padding, true);
    }

    /** torch's argument order: in, out, kernel_size, stride, padding, bias (all square). */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias) {
        this(inChannels, outChannels, new int[] {kernel, kernel}, new int[] {stride, stride},
                new int[] {padding, padding}, bias);
    }

    /** Rectangular kernel, stride and padding, each {@code {height, width}} (torch's tuples). */
    public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, boolean bias) {
        check(inChannels >= 1 && outChannels >= 1, "channels must be >= 1, got in=" + inChannels + ", out=" + outChannels);
        check(pair(kernel) && kernel[0] >= 1 && kernel[1] >= 1, "kernel size must be 2 values >= 1, got " + Arrays.toString(kernel));
        check(pair(stride) && stride[0] >= 1 && stride[1] >= 1, "stride must be 2 values >= 1, got " + Arrays.toString(stride));
        check(pair(padding) && padding[0] >= 0 && padding[1] >= 0, "padding must be 2 values >= 0, got " + Arrays.toString(padding));
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelH = kernel[0];
        this.kernelW = kernel[1];
        this.strideH = stride[0];
        this.strideW = stride[1];
        this.padH = padding[0];
        this.padW = padding[1];
        this.weight = registerParameter("weight", Tensor.zeros(outChannels, inChannels, kernelH, kernelW));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
        keepBf16Copy("weight");
        resetParameters();
    }

    private static boolean pair(int[] v) {
        return v != null && v.length == 2;
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException("Conv2d: " + message);
    }

    /** Re-draws weight and bias with torch's default initialisation from {@link Init}'s generator. */
    public void resetParameters() {
        Init.kaimingUniform(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu");
        if (bias != null) {
            double bound = 1 / Math.sqrt(Init.fanIn(weight));
            Init.uniform(bias, -bound, bound);
        }
        refreshBf16Copies();
    }

    /** The weight (K, C, R, S). */
    public Tensor weight() {
        ensureOpen();
        return weight;
    }

    /** The bias (K), or null when built without one. */
    public Tensor bias() {
        ensureOpen();
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** The output shape for an input shape (N, C, H, W), checking both. */
    public int[] outputShape(int[] x) {
        if (x.length != 4 || x[1] != inChannels) {
            throw new IllegalArgumentException("Conv2d(" + inChannels + ", " + outChannels + ") expects input (N, " + inChannels
                    + ", H, W), got " + Arrays.toString(x));
        }
        int p = (x[2] + 2 * padH - kernelH) / strideH + 1;
        int q = (x[3] + 2 * padW - kernelW) / strideW + 1;
        if (x[2] + 2 * padH < kernelH || x[3] + 2 * padW < kernelW) {
            throw new IllegalArgumentException("Conv2d: input " + Arrays.toString(x) + " with padding (" + padH + ", " + padW
                    + ") is smaller than the kernel (" + kernelH + ", " + kernelW + ")");
        }
        return new int[] {x[0], outChannels, p, q};
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = inputShape(x);
        int[] o = outputShape(s);
        output = reuse(output, device(), o);
        DType compute = computeDType();
        int code;
        if (compute == DType.FLOAT32) {
            code = panoptim_h.pt_conv2d_forward(deviceCode(), s[0], s[1], s[2], s[3], outChannels, kernelH, kernelW, strideH,
                    strideW, padH, padW, x.nativeSegment(), weight.nativeSegment(), seg(bias), output.nativeSegment());
        } else {
            Tensor w = computeOperand("weight");
            code = panoptim_h.pt_conv2d_forward_ex(deviceCode(), s[0], s[1], s[2], s[3], outChannels, kernelH, kernelW,
                    strideH, strideW, padH, padW, x.nativeSegment(), w.nativeSegment(), w.dtype().code(), seg(bias),
                    output.nativeSegment(), compute.code());
        }
        NativeStatus.check(code, "Conv2d forward " + Arrays.toString(s) + " -> " + Arrays.toString(o) + " (compute " + compute + ")");
        input = x;
        outShape = o;
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return backward(gradOutput, true);
    }

    @Override
    public Tensor backward(Tensor gradOutput, boolean inputGrad) {
        checkBackward(input, gradOutput, outShape);
        int[] s = input.shape();
        MemorySegment dx = MemorySegment.NULL;
        if (inputGrad) {
            gradInput = reuse(gradInput, device(), s);
            dx = gradInput.nativeSegment();
        }
        int accumulate = accumulateFlag(weight, bias);
        MemorySegment dw = gradSegment(weight);
        MemorySegment db = gradSegment(bias);
        if (dx.equals(MemorySegment.NULL) && dw.equals(MemorySegment.NULL) && db.equals(MemorySegment.NULL)) return null;
        DType compute = computeDType();
        int code;
        if (compute == DType.FLOAT32) {
            code = panoptim_h.pt_conv2d_backward(deviceCode(), s[0], s[1], s[2], s[3], outChannels, kernelH, kernelW, strideH,
                    strideW, padH, padW, input.nativeSegment(), weight.nativeSegment(), gradOutput.nativeSegment(), dx, dw, db,
                    accumulate);
        } else {
            Tensor w = computeOperand("weight");
            code = panoptim_h.pt_conv2d_backward_ex(deviceCode(), s[0], s[1], s[2], s[3], outChannels, kernelH, kernelW,
                    strideH, strideW, padH, padW, input.nativeSegment(), w.nativeSegment(), w.dtype().code(),
                    gradOutput.nativeSegment(), dx, dw, db, accumulate, compute.code());
        }
        NativeStatus.check(code, "Conv2d backward " + Arrays.toString(s) + " <- " + Arrays.toString(outShape) + " (compute "
                + compute + ")");
        return inputGrad ? gradInput : null;
    }

    @Override
    protected void moved() {
        weight = parameter("weight");
        bias = parameter("bias");
        super.moved();
    }

    @Override
    protected void releaseActivations() {
        output = free(output);
        gradInput = free(gradInput);
        input = null;
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=(" + kernelH + ", " + kernelW + "), stride=(" + strideH + ", "
                + strideW + ")" + (padH != 0 || padW != 0 ? ", padding=(" + padH + ", " + padW + ")" : "")
                + (bias == null ? ", bias=False" : "");
    }
}
