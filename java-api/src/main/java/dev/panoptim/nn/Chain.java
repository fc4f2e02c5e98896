package dev.panoptim.nn;

import dev.panoptim.tensor.Tensor;

import java.util.List;

/**
 * Forward and backward through modules applied one after the other (Sequential, the paths of a
 * BasicBlock, ResNet). Backward stops as soon as nothing earlier needs a gradient: a module whose
 * input gradient is not needed (no earlier module is trainable, and the caller does not want the
 * chain's input gradient) is asked only for its parameter gradients, and a frozen one not at all.
 *
 * <p>A {@link BatchNorm2d} directly followed by a {@link ReLU} runs as one fused native op
 * (issue 17: one pass over the activations fewer each way, and no intermediate tensor): forward
 * asks the batch norm for relu(bn(x)) and skips the ReLU; backward hands the ReLU's output grad to
 * the batch norm, which masks it itself. The pair is found here, where the order of application is
 * known, rather than by a mode set on the modules by their parents: the module tree, names, state
 * dicts and {@link Flops} stay as they are, each module used on its own still computes exactly its
 * own op, and no flag can go stale when a chain is rebuilt (ResNet.replaceFc).
 */
final class Chain {
    /** Fuse BatchNorm2d + ReLU pairs; tests turn it off to compare against the unfused modules. */
    static volatile boolean fuseBatchNormRelu = true;

    private Chain() {}

    static Tensor forward(List<? extends Module> chain, Tensor input) {
        Tensor x = input;
        for (int i = 0; i < chain.size(); i++) {
            Module m = chain.get(i);
            if (fuseBatchNormRelu && m instanceof BatchNorm2d bn && i + 1 < chain.size() && chain.get(i + 1) instanceof ReLU) {
                x = bn.forwardRelu(x);
                i++; // the ReLU was applied by the batch norm
            } else {
                x = m.forward(x);
            }
        }
        return x;
    }

    /** Returns the gradient of the chain's input, or null when {@code inputGrad} is false. */
    static Tensor backward(List<? extends Module> chain, Tensor gradOutput, boolean inputGrad) {
        int n = chain.size();
        if (n == 0) return inputGrad ? gradOutput : null;
        // upstream[i]: does a module before i have a trainable parameter?
        boolean[] upstream = new boolean[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            upstream[i] = any;
            any |= chain.get(i).hasTrainableParameters();
        }
        Tensor g = gradOutput;
        for (int i = n - 1; i >= 0; i--) {
            Module m = chain.get(i);
            // A ReLU that the batch norm before it applied in its forward: the batch norm's backward takes its grad.
            if (m instanceof ReLU && i > 0 && chain.get(i - 1) instanceof BatchNorm2d bn && bn.forwardFusedRelu()) {
                m = bn;
                i--;
            }
            boolean needInput = inputGrad || upstream[i];
            if (!needInput && !m.hasTrainableParameters()) return null;
            g = m.backward(g, needInput);
            if (!needInput) return null;
            if (g == null) {
                throw new IllegalStateException(m.getClass().getSimpleName() + ".backward returned null where the input"
                        + " gradient is needed");
            }
        }
        return g;
    }
}
