package dev.panoptim.nn;

import dev.panoptim.tensor.Tensor;

import java.util.List;

/**
 * Forward and backward through modules applied one after the other (Sequential, the paths of a
 * BasicBlock, ResNet). Backward stops as soon as nothing earlier needs a gradient: a module whose
 * input gradient is not needed (no earlier module is trainable, and the caller does not want the
 * chain's input gradient) is asked only for its parameter gradients, and a frozen one not at all.
 */
final class Chain {
    private Chain() {}

    static Tensor forward(List<? extends Module> chain, Tensor input) {
        Tensor x = input;
        for (Module m : chain) x = m.forward(x);
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
