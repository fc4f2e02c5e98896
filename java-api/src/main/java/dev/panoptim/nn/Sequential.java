package dev.panoptim.nn;

import dev.panoptim.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied in order (torch.nn.Sequential); the children are named "0", "1", ... so their
 * parameters are {@code 0.weight}, {@code 1.running_mean}, ... Backward goes through them in reverse
 * and stops once no earlier module needs a gradient.
 *
 * <pre>{@code
 * Sequential model = new Sequential(new Conv2d(1, 8, 3, 1, 1), new BatchNorm2d(8), new ReLU(),
 *         new AdaptiveAvgPool2d(1), new Flatten(), new Linear(8, 10));
 * }</pre>
 */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    /** The modules, applied in this order. */
    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends {@code module} under the next index; returns this. */
    public Sequential add(Module module) {
        registerModule(Integer.toString(layers.size()), module);
        layers.add(module);
        return this;
    }

    /** The module at {@code index}. */
    public Module get(int index) {
        ensureOpen();
        if (index < 0 || index >= layers.size()) {
            throw new IndexOutOfBoundsException("Sequential has " + layers.size() + " modules, no index " + index);
        }
        return layers.get(index);
    }

    /** Replaces the module at {@code index} (closing the old one); returns the new one. */
    public <M extends Module> M set(int index, M module) {
        get(index);
        replaceModule(Integer.toString(index), module);
        layers.set(index, module);
        return module;
    }

    /** Number of modules. */
    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor input) {
        inputShape(input);
        return Chain.forward(layers, input);
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return backward(gradOutput, true);
    }

    @Override
    public Tensor backward(Tensor gradOutput, boolean inputGrad) {
        ensureOpen();
        return Chain.backward(layers, gradOutput, inputGrad);
    }
}
