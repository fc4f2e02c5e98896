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
 * <p>Views: {@link #reshape} returns a tensor that shares this tensor's memory without owning it
 * (closing a view frees nothing; a view is unusable once its base is closed). A tensor's
 * {@link #requiresGrad()} flag says whether layers compute its gradient (torch's
 * {@code requires_grad}); it is false for plain tensors and true for the parameters of
 * {@code dev.panoptim.nn} modules until they are frozen.
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

    /** The memory's owner; null for a view. */
    private final Arena arena;
    /** The tensor whose memory a view shares; null for an owner. */
    private final Tensor base;
    private final MemorySegment data;
    private final int[] shape;
    private final long numel;
    private Tensor grad;
    private boolean requiresGrad;
    private boolean closed;

    private Tensor(int[] shape) {
        this.shape = shape.clone();
        this.numel = numelOf(this.shape);
        this.arena = Arena.ofShared();
        this.base = null;
        // allocate() zero-fills; at least one byte so that every tensor has a real address.
        this.data = arena.allocate(Math.max(1, numel) * Float.BYTES, ALIGNMENT).asSlice(0, numel * Float.BYTES);
    }

    /** A view of {@code base}'s memory with another shape of the same element count. */
    private Tensor(Tensor base, int[] shape) {
        this.shape = shape;
        this.numel = base.numel;
        this.arena = null;
        this.base = base.base != null ? base.base : base;
        this.data = base.data;
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

    /** A 0-dimensional tensor (shape {@code []}, one element) holding {@code value}, like torch's scalars. */
    public static Tensor scalar(float value) {
        Tensor t = new Tensor(new int[0]);
        t.data.set(ValueLayout.JAVA_FLOAT, 0, value);
        return t;
    }

    /**
     * A zero-filled tensor of exactly this shape: unlike {@link #zeros}, an empty {@code shape} gives a
     * 0-dimensional tensor (shape {@code []}, one element).
     */
    public static Tensor zerosOfShape(int[] shape) {
        if (shape == null) throw new IllegalArgumentException("shape must not be null");
        return new Tensor(shape);
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

    /**
     * This tensor on {@code device}: itself for {@link Device#CPU}. CUDA tensors are not available
     * yet, so {@link Device#CUDA} throws an {@link UnsupportedOperationException} that says so.
     */
    public Tensor to(Device device) {
        ensureOpen();
        if (device == null) throw new IllegalArgumentException("device must not be null");
        device.requireAvailable("a tensor of shape " + Arrays.toString(shape));
        return this;
    }

    /**
     * A tensor of the given shape that shares this tensor's memory (no copy): torch's
     * {@code reshape}/{@code view} of a contiguous tensor. One dimension may be -1 and is then
     * inferred. The view does not own the memory: closing it frees nothing, and it is unusable once
     * this tensor (its base) is closed. It has its own gradient slot and {@code requiresGrad} flag
     * (false).
     */
    public Tensor reshape(int... newShape) {
        ensureOpen();
        if (newShape == null) throw new IllegalArgumentException("shape must not be null");
        int[] s = newShape.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("only one dimension can be -1 in " + Arrays.toString(newShape));
                }
                inferred = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(newShape));
            } else {
                known *= s[i];
            }
        }
        if (inferred >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " (" + numel
                        + " elements) to " + Arrays.toString(newShape));
            }
            s[inferred] = Math.toIntExact(numel / known);
        }
        if (numelOf(s) != numel) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " (" + numel
                    + " elements) to " + Arrays.toString(newShape) + " (" + numelOf(s) + " elements)");
        }
        return new Tensor(this, s);
    }

    /** True when this tensor shares another tensor's memory (made by {@link #reshape}). */
    public boolean isView() {
        return base != null;
    }

    /** Whether layers compute and accumulate this tensor's gradient (torch's {@code requires_grad}). */
    public boolean requiresGrad() {
        ensureOpen();
        return requiresGrad;
    }

    /** Sets {@link #requiresGrad()} (torch's {@code requires_grad_}); returns this tensor. */
    public Tensor requiresGrad(boolean value) {
        ensureOpen();
        requiresGrad = value;
        return this;
    }

    /** Sets every element to {@code value}; returns this tensor. */
    public Tensor fill(float value) {
        ensureOpen();
        if (Float.floatToRawIntBits(value) == 0) {
            data.fill((byte) 0);
        } else {
            for (long i = 0; i < numel; i++) data.setAtIndex(ValueLayout.JAVA_FLOAT, i, value);
        }
        return this;
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

    /** True once {@link #close()} has run (for a view: also once its base is closed). */
    public boolean isClosed() {
        return closed || (base != null && base.closed);
    }

    /**
     * Frees the memory of this tensor and of its gradient (a view frees only its gradient: the
     * memory belongs to its base). Idempotent.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (grad != null) {
            grad.close();
            grad = null;
        }
        if (arena != null) arena.close();
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("tensor of shape " + Arrays.toString(shape) + " is closed");
        if (base != null && base.closed) {
            throw new IllegalStateException("view of shape " + Arrays.toString(shape) + " is unusable: its base tensor of"
                    + " shape " + Arrays.toString(base.shape) + " is closed");
        }
    }

    @Override
    public String toString() {
        if (isClosed()) return "Tensor(closed, shape=" + Arrays.toString(shape) + ")";
        StringBuilder sb = new StringBuilder("Tensor(shape=").append(Arrays.toString(shape)).append(", [");
        long shown = Math.min(numel, 8);
        for (long i = 0; i < shown; i++) sb.append(i == 0 ? "" : ", ").append(get(i));
        if (numel > shown) sb.append(", ...");
        return sb.append("])").toString();
    }
}
