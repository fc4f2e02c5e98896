package dev.panoptim.nn;

import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.runtime.NativeStatus;
import dev.panoptim.tensor.DType;
import dev.panoptim.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Fully connected layer (torch.nn.Linear): y = x @ weight^T + bias for x (*, in) and y (*, out),
 * weight (out, in), bias (out). torch's default initialisation: weight kaiming_uniform_(a = sqrt(5)),
 * i.e. U(-1/sqrt(in), 1/sqrt(in)), bias U(-1/sqrt(in), 1/sqrt(in)). Runs
 * {@code pt_linear_forward/backward} (OpenBLAS sgemm on the CPU); under a bfloat16 or float16
 * {@link #computeDType()} {@code pt_linear_forward_ex/backward_ex}, with its bfloat16 weight copy as
 * the weight operand under bfloat16 (see {@link Module#setComputeDType}).
 *
 * <pre>{@code Linear fc = new Linear(512, 10);}</pre>
 */
public final class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private Tensor weight;   // not final: to(device) replaces it
    private Tensor bias;

    private Tensor input;
    private int[] outShape;
    private Tensor output;
    private Tensor gradInput;

    /** With bias. */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    /** torch's argument order: in_features, out_features, bias. */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("Linear: features must be >= 1, got in=" + inFeatures + ", out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
        keepBf16Copy("weight");
        resetParameters();
    }

    /** Re-draws weight and bias with torch's default initialisation from {@link Init}'s generator. */
    public void resetParameters() {
        Init.kaimingUniform(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu");
        if (bias != null) {
            double bound = 1 / Math.sqrt(inFeatures);
            Init.uniform(bias, -bound, bound);
        }
        refreshBf16Copies();
    }

    /** The weight (out, in). */
    public Tensor weight() {
        ensureOpen();
        return weight;
    }

    /** The bias (out), or null when built without one. */
    public Tensor bias() {
        ensureOpen();
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = inputShape(x);
        if (s.length < 1 || s[s.length - 1] != inFeatures) {
            throw new IllegalArgumentException("Linear(" + inFeatures + ", " + outFeatures + ") expects input (*, " + inFeatures
                    + "), got " + Arrays.toString(s));
        }
        int[] o = s.clone();
        o[o.length - 1] = outFeatures;
        long n = x.numel() / inFeatures;
        output = reuse(output, device(), o);
        DType compute = computeDType();
        int code;
        if (compute == DType.FLOAT32) {
            code = panoptim_h.pt_linear_forward(deviceCode(), n, inFeatures, outFeatures, x.nativeSegment(),
                    weight.nativeSegment(), seg(bias), output.nativeSegment());
        } else {
            Tensor w = computeOperand("weight");
            code = panoptim_h.pt_linear_forward_ex(deviceCode(), n, inFeatures, outFeatures, x.nativeSegment(),
                    w.nativeSegment(), w.dtype().code(), seg(bias), output.nativeSegment(), compute.code());
        }
        NativeStatus.check(code, "Linear forward " + Arrays.toString(s) + " (compute " + compute + ")");
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
        MemorySegment dx = MemorySegment.NULL;
        if (inputGrad) {
            gradInput = reuse(gradInput, device(), input.shape());
            dx = gradInput.nativeSegment();
        }
        int accumulate = accumulateFlag(weight, bias);
        MemorySegment dw = gradSegment(weight);
        MemorySegment db = gradSegment(bias);
        if (dx.equals(MemorySegment.NULL) && dw.equals(MemorySegment.NULL) && db.equals(MemorySegment.NULL)) return null;
        long n = input.numel() / inFeatures;
        DType compute = computeDType();
        int code;
        if (compute == DType.FLOAT32) {
            code = panoptim_h.pt_linear_backward(deviceCode(), n, inFeatures, outFeatures, input.nativeSegment(),
                    weight.nativeSegment(), gradOutput.nativeSegment(), dx, dw, db, accumulate);
        } else {
            Tensor w = computeOperand("weight");
            code = panoptim_h.pt_linear_backward_ex(deviceCode(), n, inFeatures, outFeatures, input.nativeSegment(),
                    w.nativeSegment(), w.dtype().code(), gradOutput.nativeSegment(), dx, dw, db, accumulate, compute.code());
        }
        NativeStatus.check(code, "Linear backward " + Arrays.toString(outShape) + " (compute " + compute + ")");
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
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias == null ? "False" : "True");
    }
}
