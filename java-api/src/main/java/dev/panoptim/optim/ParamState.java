package dev.panoptim.optim;

import dev.panoptim.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optimizer state of one param: its step count and named buffers (torch's
 * {@code optimizer.state[p]}), each buffer a tensor of the param's shape, on the param's device,
 * owned by the optimizer.
 */
final class ParamState implements AutoCloseable {
    long step;
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();

    Tensor buffer(String name) {
        return buffers.get(name);
    }

    /** The named buffer, created zero-filled in the shape and on the device of {@code param} if missing. */
    Tensor bufferOrZeros(String name, Tensor param) {
        return buffers.computeIfAbsent(name, k -> Tensor.zerosLike(param));
    }

    void put(String name, Tensor buffer) {
        Tensor old = buffers.put(name, buffer);
        if (old != null && old != buffer) old.close();
    }

    Map<String, Tensor> buffers() {
        return buffers;
    }

    @Override
    public void close() {
        buffers.values().forEach(Tensor::close);
        buffers.clear();
    }
}
