package dev.panoptim.nn;

import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.runtime.NativeStatus;
import dev.panoptim.tensor.Tensor;

/**
 * y = max(x, 0) (torch.nn.ReLU); backward passes the gradient where the output is positive (so it
 * needs its output, not its input). Runs {@code pt_relu_forward/backward}; right after a
 * BatchNorm2d in a chain it does not run at all, the batch norm applying it (see {@code Chain}).
 *
 * <pre>{@code Tensor y = new ReLU().forward(x);}</pre>
 */
public final class ReLU extends Module {
    private int[] shape;
    private Tensor output;
    private Tensor gradInput;

    @Override
    public Tensor forward(Tensor x) {
        int[] s = inputShape(x);
        output = reuse(output, device(), s);
        NativeStatus.check(panoptim_h.pt_relu_forward(deviceCode(), x.numel(), x.nativeSegment(), output.nativeSegment()), "ReLU forward");
        shape = s;
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return backward(gradOutput, true);
    }

    @Override
    public Tensor backward(Tensor gradOutput, boolean inputGrad) {
        checkBackward(output, gradOutput, shape);
        if (!inputGrad) return null;
        gradInput = reuse(gradInput, device(), shape);
        // output > 0 exactly where input > 0.
        NativeStatus.check(panoptim_h.pt_relu_backward(deviceCode(), output.numel(), output.nativeSegment(),
                gradOutput.nativeSegment(), gradInput.nativeSegment()), "ReLU backward");
        return gradInput;
    }

    @Override
    protected void releaseActivations() {
        output = free(output);
        gradInput = free(gradInput);
        shape = null;
    }
}
