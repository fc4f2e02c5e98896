package dev.panoptim.nn;

import dev.panoptim.tensor.Tensor;

import java.util.Arrays;

/**
 * Flattens dimensions {@code startDim..endDim} into one (torch.nn.Flatten, default 1..-1: (N, C, H, W)
 * to (N, C*H*W)). No copy: the output is a view of the input (valid while the input is) and the
 * input gradient a view of the output gradient.
 *
 * <pre>{@code Tensor flat = new Flatten().forward(pooled);   // (N, C, 1, 1) -> (N, C)}</pre>
 */
public final class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    private int[] inShape;
    private int[] outShape;
    private Tensor lastInput;
    private Tensor output;
    private Tensor lastGradOutput;
    private Tensor gradInput;

    /** Flattens all dimensions but the first (torch's default start_dim = 1, end_dim = -1). */
    public Flatten() {
        this(1, -1);
    }

    /** Flattens {@code startDim..endDim} (inclusive; negative values count from the end). */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    /** The output shape for an input shape, checking that the dimensions to flatten exist. */
    public int[] outputShape(int[] s) {
        int start = startDim < 0 ? startDim + s.length : startDim;
        int end = endDim < 0 ? endDim + s.length : endDim;
        if (start < 0 || end >= s.length || start > end) {
            throw new IllegalArgumentException("Flatten(" + startDim + ", " + endDim + ") does not fit an input of shape "
                    + Arrays.toString(s));
        }
        int[] o = new int[s.length - (end - start)];
        int j = 0;
        for (int i = 0; i < start; i++) o[j++] = s[i];
        long merged = 1;
        for (int i = start; i <= end; i++) merged *= s[i];
        o[j++] = Math.toIntExact(merged);
        for (int i = end + 1; i < s.length; i++) o[j++] = s[i];
        return o;
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = inputShape(x);
        int[] o = outputShape(s);
        if (x != lastInput || output == null || output.isClosed() || !Arrays.equals(o, outShape)) {
            output = free(output);
            output = x.reshape(o);
            lastInput = x;
        }
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
        checkBackward(lastInput, gradOutput, outShape);
        if (!inputGrad) return null;
        if (gradOutput != lastGradOutput || gradInput == null || gradInput.isClosed()
                || !Arrays.equals(gradInput.shape(), inShape)) {
            gradInput = free(gradInput);
            gradInput = gradOutput.reshape(inShape);
            lastGradOutput = gradOutput;
        }
        return gradInput;
    }

    @Override
    protected void releaseActivations() {
        output = free(output);
        gradInput = free(gradInput);
        lastInput = null;
        lastGradOutput = null;
        inShape = null;
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
