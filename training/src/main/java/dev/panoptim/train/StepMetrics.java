package dev.panoptim.train;

import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;

/**
 * The per-step loss and correct count of the training steps since the last read, kept where the
 * steps ran: the loss kernels write them into a tensor on the device without waiting, and
 * {@link #drain()} copies them all back at once, so the GPU never waits on the host for a loss that
 * nobody reads yet. Slot i holds a step's loss at [i] and its correct count at [capacity + i].
 *
 * <pre>{@code
 * int slot = metrics.add(step, lr, batchSize);  // then criterion.forward(logits, targets, metrics.values(), slot)
 * if (metrics.full()) for (StepMetrics.Step s : metrics.drain()) log(s);
 * }</pre>
 */
final class StepMetrics implements AutoCloseable {
    /** One step's values once read back. */
    record Step(long step, double lr, int size, double loss, long correct) {
        double accuracy() {
            return size == 0 ? 0 : (double) correct / size;
        }
    }

    private final int capacity;
    private final Tensor values;
    private final long[] steps;
    private final double[] lrs;
    private final int[] sizes;
    private int pending;

    StepMetrics(Device device, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        this.capacity = capacity;
        this.values = Tensor.zeros(device, 2 * capacity);
        this.steps = new long[capacity];
        this.lrs = new double[capacity];
        this.sizes = new int[capacity];
    }

    /** Reserves the next slot for a step; returns the index its loss goes to (its correct count goes to {@link #correctIndex}). */
    int add(long step, double lr, int size) {
        if (pending == capacity) throw new IllegalStateException("StepMetrics is full: drain() first");
        steps[pending] = step;
        lrs[pending] = lr;
        sizes[pending] = size;
        return pending++;
    }

    int correctIndex(int slot) {
        return capacity + slot;
    }

    Tensor values() {
        return values;
    }

    boolean full() {
        return pending == capacity;
    }

    boolean isEmpty() {
        return pending == 0;
    }

    /** The pending steps' values, in step order, read back with one copy (waiting for the device); empties the buffer. */
    Step[] drain() {
        Step[] out = new Step[pending];
        if (pending == 0) return out;
        float[] v = values.toFloatArray();
        for (int i = 0; i < pending; i++) {
            float correct = v[capacity + i];
            // NaN marks a bad label the device could not report (pt_argmax_correct_nosync): fail loudly, not log garbage.
            if (Float.isNaN(correct)) {
                throw new IllegalStateException("step " + steps[i] + ": a label of its batch is outside the model's classes");
            }
            out[i] = new Step(steps[i], lrs[i], sizes[i], v[i], (long) correct);
        }
        pending = 0;
        return out;
    }

    @Override
    public void close() {
        values.close();
    }
}
