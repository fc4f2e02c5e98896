package dev.panoptim.djl;

import ai.djl.ndarray.types.Shape;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optimizer state of one parameter on one device, off heap: named float32 buffers of the
 * parameter's size (torch's names: exp_avg, exp_avg_sq, max_exp_avg_sq, momentum_buffer,
 * square_avg, grad_avg) and torch's per-parameter step count. Buffers are made on first use, zeroed,
 * as torch makes them lazily; {@link #has} tells a step whether one is new (SGD's first momentum).
 */
final class ParamSlot implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final Shape shape;
    private final long numel;
    private final Map<String, MemorySegment> buffers = new LinkedHashMap<>();
    /** Steps taken (torch's state["step"]). */
    long step;

    ParamSlot(Shape shape) {
        this.shape = shape;
        this.numel = shape.size();
    }

    Shape shape() {
        return shape;
    }

    long numel() {
        return numel;
    }

    boolean has(String name) {
        return buffers.containsKey(name);
    }

    /** The named buffer, made (zeroed) on first use. */
    MemorySegment buffer(String name) {
        return buffers.computeIfAbsent(name, k -> arena.allocate(Math.max(1, numel) * Float.BYTES, Float.BYTES)
                .asSlice(0, numel * Float.BYTES));
    }

    Map<String, MemorySegment> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /** A slot with the same values in new memory (the state of another device's copy of the parameter). */
    ParamSlot copy() {
        ParamSlot c = new ParamSlot(shape);
        c.step = step;
        buffers.forEach((name, b) -> c.buffer(name).copyFrom(b));
        return c;
    }

    @Override
    public void close() {
        arena.close();
    }
}
