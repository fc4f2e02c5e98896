package dev.panoptim.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A float32, row-major, contiguous tensor in CPU memory owned by its own {@link Arena}.
 *
 * <p>Ownership: a tensor owns its memory and its gradient. {@link #setGrad} hands the gradient to
 * the tensor: it is closed when replaced, cleared ({@code setGrad(null)}, {@code zeroGrad()}) or when
 * this tensor is closed. Any use after {@link #close()} throws {@link IllegalStateException}.
 * Not thread-safe for concurrent mutation.
 *
 * <pre>{@code
 * try (Tensor w = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3)) {
 *     w.setGrad(Tensor.zeros(2, 3));
 * }
 * }</pre>
 */
public final class Tensor implements AutoCloseable {
    /** Memory is 64-byte aligned so the kernels' vector loads never split a cache line at the start. */
    private static final long ALIGNMENT = 64;

    private final Arena arena;
    private final MemorySegment data;
    private final int[] shape;
    private final long numel;
    private Tensor grad;
    private boolean closed;

    private Tensor(int[] shape) {
        this.shape = shape.clone();
        this.numel = numelOf(this.shape);
        this.arena = Arena.ofShared();
        // allocate() zero-fills; at least one byte so that every tensor has a real address.
        this.data = arena.allocate(Math.max(1, numel) * Float.BYTES, ALIGNMENT).asSlice(0, numel * Float.BYTES);
    }

    /** A tensor holding {@code values} with the given shape (1-D of {@code values.length} if no shape). */
    public static Tensor of(float[] values, int... shape) {
        if (values == null) throw new IllegalArgumentException("values must not be null");
        int[] s = shape == null || shape.length == 0 ? new int[] {values.length} : shape;
        long n = numelOf(s);
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " holds " + n + " elements but "
                    + values.length + " values were given");
        }
        Tensor t = new Tensor(s);
        MemorySegment.copy(values, 0, t.data, ValueLayout.JAVA_FLOAT, 0, values.length);
        return t;
    }

    /** A zero-filled tensor of the given shape (a scalar-like 1-element tensor if no shape). */
    public static Tensor zeros(int... shape) {
        int[] s = shape == null || shape.length == 0 ? new int[] {1} : shape;
        return new Tensor(s);
    }

    /** A zero-filled tensor with the same shape as {@code other}. */
    public static Tensor zerosLike(Tensor other) {
        return new Tensor(other.shape());
    }

    /** Element count of a shape, refusing negative dimensions and counts whose bytes overflow a long. */
    private static long numelOf(int[] shape) {
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
        }
        try {
            long n = 1;
            for (int d : shape) n = Math.multiplyExact(n, d);
            Math.multiplyExact(n, Float.BYTES);
            return n;
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large: its size in bytes"
                    + " overflows a long");
        }
    }

    /** The shape, a copy. */
    public int[] shape() {
        ensureOpen();
        return shape.clone();
    }

    /** Number of elements. */
    public long numel() {
        ensureOpen();
        return numel;
    }

    /** Always {@link Device#CPU} for now. */
    public Device device() {
        ensureOpen();
        return Device.CPU;
    }

    /** The gradient, or null (torch's {@code .grad}). */
    public Tensor grad() {
        ensureOpen();
        return grad;
    }

    /**
     * Sets the gradient (null clears it). The tensor takes ownership: the previous gradient is
     * closed. A gradient of another shape, a closed gradient or the tensor itself is rejected.
     */
    public void setGrad(Tensor g) {
        ensureOpen();
        if (g != null) {
            if (g == this) throw new IllegalArgumentException("a tensor cannot be its own gradient");
            g.ensureOpen();
            if (!Arrays.equals(g.shape, shape)) {
                throw new IllegalArgumentException("gradient shape " + Arrays.toString(g.shape)
                        + " does not match tensor shape " + Arrays.toString(shape));
            }
        }
        if (grad != null && grad != g) grad.close();
        grad = g;
    }

    /** Copies the values out into a new array (row-major). */
    public float[] toFloatArray() {
        ensureOpen();
        if (numel > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor of " + numel + " elements does not fit in a Java array");
        }
        return data.toArray(ValueLayout.JAVA_FLOAT);
    }

    /** Overwrites the values from {@code values}, which must hold exactly {@link #numel()} floats. */
    public Tensor copyFrom(float[] values) {
        ensureOpen();
        if (values == null || values.length != numel) {
            throw new IllegalArgumentException("copyFrom needs " + numel + " values, got "
                    + (values == null ? "null" : values.length));
        }
        MemorySegment.copy(values, 0, data, ValueLayout.JAVA_FLOAT, 0, values.length);
        return this;
    }

    /** Overwrites the values from another tensor of the same number of elements. */
    public Tensor copyFrom(Tensor other) {
        ensureOpen();
        other.ensureOpen();
        if (other.numel != numel) {
            throw new IllegalArgumentException("copyFrom needs a tensor of " + numel + " elements, got " + other.numel);
        }
        MemorySegment.copy(other.data, 0, data, 0, numel * Float.BYTES);
        return this;
    }

    /** Element at a flat (row-major) index. */
    public float get(long index) {
        ensureOpen();
        return data.getAtIndex(ValueLayout.JAVA_FLOAT, index);
    }

    /** Sets the element at a flat (row-major) index. */
    public void set(long index, float value) {
        ensureOpen();
        data.setAtIndex(ValueLayout.JAVA_FLOAT, index, value);
    }

    /**
     * The off-heap memory of this tensor, {@code numel() * 4} bytes, valid until {@link #close()}:
     * for handing to native code (e.g. {@code FusedSteps}).
     */
    public MemorySegment segment() {
        ensureOpen();
        return data;
    }

    /** True once {@link #close()} has run. */
    public boolean isClosed() {
        return closed;
    }

    /** Frees the memory of this tensor and of its gradient. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (grad != null) {
            grad.close();
            grad = null;
        }
        arena.close();
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("tensor of shape " + Arrays.toString(shape) + " is closed");
    }

    @Override
    public String toString() {
        if (closed) return "Tensor(closed, shape=" + Arrays.toString(shape) + ")";
        StringBuilder sb = new StringBuilder("Tensor(shape=").append(Arrays.toString(shape)).append(", [");
        long shown = Math.min(numel, 8);
        for (long i = 0; i < shown; i++) sb.append(i == 0 ? "" : ", ").append(get(i));
        if (numel > shown) sb.append(", ...");
        return sb.append("])").toString();
    }
}
