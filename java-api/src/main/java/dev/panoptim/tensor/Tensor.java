package dev.panoptim.tensor;

import dev.panoptim.runtime.Cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A row-major, contiguous tensor of a {@link DType} on a {@link Device}: in CPU memory owned by its
 * own {@link Arena}, or in CUDA device memory owned by the tensor (from panoptim's stream-ordered
 * caching pool, given back on {@link #close()}).
 *
 * <p>Dtypes: tensors are float32 unless made otherwise ({@link #zeros(Device, DType, int...)},
 * {@link #to(DType)}); bfloat16 and float16 tensors take 2 bytes per element. Values go in and out
 * of Java as floats whatever the dtype: {@link #toFloatArray()} and {@link #get} widen exactly,
 * {@link #copyFrom(float[])}, {@link #set} and {@link #fill} round to nearest even, and
 * {@link #copyFrom(Tensor)} converts between dtypes as torch's {@code copy_} does. The layers and
 * optimizers compute in float32 and refuse other dtypes with an {@link IllegalArgumentException}.
 *
 * <p>Devices: {@link #to(Device)} copies a tensor to a device, {@link #zeros(Device, int...)} makes
 * one there. {@link #toFloatArray()}, {@link #toString()} and {@code copyFrom} work on every device
 * (copying through the host); element access ({@link #get}, {@link #set}, {@link #segment()}) is for
 * CPU tensors only, and {@link #dataAddress()} / {@link #nativeSegment()} give any tensor's address for
 * native code. A gradient lives on its tensor's device; ops given tensors of two devices throw an
 * {@link IllegalArgumentException} naming both.
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
 *     try (Tensor half = w.to(DType.BFLOAT16)) { float[] rounded = half.toFloatArray(); }
 * }
 * }</pre>
 */
public final class Tensor implements AutoCloseable {
    /** Memory is 64-byte aligned so the kernels' vector loads never split a cache line at the start. */
    private static final long ALIGNMENT = 64;

    private final Device device;
    private final DType dtype;
    /** The memory's owner for a CPU tensor; null for a view and a CUDA tensor. */
    private final Arena arena;
    /** The memory's owner for a CUDA tensor; null for a view and a CPU tensor. */
    private final CudaMemory cudaMemory;
    /** The tensor whose memory a view shares; null for an owner. */
    private final Tensor base;
    /** CPU: the memory. CUDA: the device address and size, for native calls only (never dereferenced). */
    private final MemorySegment data;
    private final int[] shape;
    private final long numel;
    private Tensor grad;
    private boolean requiresGrad;
    private boolean closed;

    private Tensor(int[] shape) {
        this(Device.CPU, DType.FLOAT32, shape, true);
    }

    /** A new tensor on {@code device}; CPU memory is always zero-filled, CUDA memory when {@code zero}. */
    private Tensor(Device device, DType dtype, int[] shape, boolean zero) {
        this.shape = shape.clone();
        this.numel = numelOf(this.shape);
        this.device = device;
        this.dtype = dtype;
        this.base = null;
        long bytes = numel * dtype.byteSize();
        if (device.isCpu()) {
            this.arena = Arena.ofShared();
            this.cudaMemory = null;
            // allocate() zero-fills; at least one byte so that every tensor has a real address.
            this.data = arena.allocate(Math.max(1, bytes), ALIGNMENT).asSlice(0, bytes);
        } else {
            this.arena = null;
            this.cudaMemory = CudaMemory.allocate(device.index(), bytes, zero,
                    "a " + dtype + " tensor of shape " + Arrays.toString(this.shape));
            this.data = MemorySegment.ofAddress(cudaMemory.address()).reinterpret(bytes);
        }
    }

    /** A view of {@code base}'s memory with another shape of the same element count. */
    private Tensor(Tensor base, int[] shape) {
        this.shape = shape;
        this.numel = base.numel;
        this.device = base.device;
        this.dtype = base.dtype;
        this.arena = null;
        this.cudaMemory = null;
        this.base = base.base != null ? base.base : base;
        this.data = base.data;
    }

    /** A float32 tensor holding {@code values} with the given shape (1-D of {@code values.length} if no shape). */
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

    /** A float32 tensor on {@code device} holding {@code values} with the given shape (1-D if no shape). */
    public static Tensor of(Device device, float[] values, int... shape) {
        requireDevice(device);
        Tensor cpu = of(values, shape);
        if (device.isCpu()) return cpu;
        try (cpu) {
            return cpu.to(device);
        }
    }

    /** A zero-filled float32 CPU tensor of the given shape (a scalar-like 1-element tensor if no shape). */
    public static Tensor zeros(int... shape) {
        return zeros(Device.CPU, shape);
    }

    /**
     * A zero-filled float32 tensor of the given shape on {@code device} (a scalar-like 1-element tensor
     * if no shape). CUDA where it is unusable is an {@link UnsupportedOperationException} saying why.
     */
    public static Tensor zeros(Device device, int... shape) {
        return zeros(device, DType.FLOAT32, shape);
    }

    /** {@link #zeros(Device, int...)} with elements of {@code dtype}. */
    public static Tensor zeros(Device device, DType dtype, int... shape) {
        requireDevice(device);
        requireDType(dtype);
        int[] s = shape == null || shape.length == 0 ? new int[] {1} : shape;
        return new Tensor(device, dtype, s, true);
    }

    private static void requireDevice(Device device) {
        if (device == null) throw new IllegalArgumentException("device must not be null");
    }

    private static void requireDType(DType dtype) {
        if (dtype == null) throw new IllegalArgumentException("dtype must not be null");
    }

    /** A 0-dimensional tensor (shape {@code []}, one element) holding {@code value}, like torch's scalars. */
    public static Tensor scalar(float value) {
        Tensor t = new Tensor(new int[0]);
        t.data.set(ValueLayout.JAVA_FLOAT, 0, value);
        return t;
    }

    /**
     * A zero-filled float32 CPU tensor of exactly this shape: unlike {@link #zeros}, an empty {@code shape} gives a
     * 0-dimensional tensor (shape {@code []}, one element).
     */
    public static Tensor zerosOfShape(int[] shape) {
        return zerosOfShape(DType.FLOAT32, shape);
    }

    /** {@link #zerosOfShape(int[])} with elements of {@code dtype}. */
    public static Tensor zerosOfShape(DType dtype, int[] shape) {
        requireDType(dtype);
        if (shape == null) throw new IllegalArgumentException("shape must not be null");
        return new Tensor(Device.CPU, dtype, shape, true);
    }

    /** A zero-filled tensor with the same shape, device and dtype as {@code other}. */
    public static Tensor zerosLike(Tensor other) {
        return new Tensor(other.device(), other.dtype(), other.shape(), true);
    }

    /** Element count of a shape, refusing negative dimensions and counts whose float32 bytes overflow a long. */
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

    /** The device this tensor's memory is on. */
    public Device device() {
        ensureOpen();
        return device;
    }

    /** The element type. */
    public DType dtype() {
        ensureOpen();
        return dtype;
    }

    /** The size of the memory in bytes: {@code numel() * dtype().byteSize()} (torch's {@code nbytes}). */
    public long byteSize() {
        ensureOpen();
        return numel * dtype.byteSize();
    }

    /**
     * A copy of this tensor on {@code device}, of the same dtype, owned by the caller: always a new
     * tensor, also when this one is already there (torch returns {@code self} then; here ownership
     * must stay unambiguous). The gradient is not copied. CUDA where it is unusable is an
     * {@link UnsupportedOperationException} saying why; an index this machine lacks an
     * {@link IllegalArgumentException}.
     */
    public Tensor to(Device device) {
        ensureOpen();
        return to(device, dtype);
    }

    /**
     * A copy of this tensor converted to {@code dtype}, on the same device, owned by the caller:
     * rounded to nearest even when narrowing, exact when widening; a new tensor (a plain copy) also
     * when the dtype is already {@code dtype}, as {@link #to(Device)} is. The gradient is not copied.
     * CUDA tensors are converted on the device.
     */
    public Tensor to(DType dtype) {
        ensureOpen();
        return to(device, dtype);
    }

    /** {@link #to(Device)} and {@link #to(DType)} in one copy (torch's {@code to(device, dtype)}). */
    public Tensor to(Device device, DType dtype) {
        ensureOpen();
        requireDevice(device);
        requireDType(dtype);
        Tensor copy = new Tensor(device, dtype, shape, false);
        try {
            return copy.copyFrom(this);
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
    }

    /**
     * A tensor of the given shape that shares this tensor's memory (no copy): torch's
     * {@code reshape}/{@code view} of a contiguous tensor. One dimension may be -1 and is then
     * inferred. The view does not own the memory: closing it frees nothing, and it is unusable once
     * this tensor (its base) is closed. It has this tensor's dtype, its own gradient slot and
     * {@code requiresGrad} flag (false).
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

    /** Sets every element to {@code value} (rounded to the dtype); returns this tensor. */
    public Tensor fill(float value) {
        ensureOpen();
        if (device.isCuda()) {
            if (Float.floatToRawIntBits(value) == 0) Cuda.memset(device.index(), data.address(), 0, data.byteSize());
            else throughHost(host -> HostElements.fill(host, dtype, value), false);
            return this;
        }
        HostElements.fill(data, dtype, value);
        return this;
    }

    /** The gradient, or null (torch's {@code .grad}). */
    public Tensor grad() {
        ensureOpen();
        return grad;
    }

    /**
     * Sets the gradient (null clears it). The tensor takes ownership: the previous gradient is
     * closed. A gradient of another shape, device or dtype, a closed gradient or the tensor itself is
     * rejected, with one exception for mixed precision: a float32 tensor (a master weight) may take a
     * bfloat16 gradient, which the optimizers read directly (the layers, which write float32
     * gradients, refuse it).
     */
    public void setGrad(Tensor g) {
        ensureOpen();
        if (g != null) {
            if (g == this) throw new IllegalArgumentException("a tensor cannot be its own gradient");
            g.ensureOpen();
            if (!g.device.equals(device)) {
                throw new IllegalArgumentException("setGrad: the gradient is on " + g.device + " but the tensor is on "
                        + device + " (a gradient must be on its tensor's device)");
            }
            if (!Arrays.equals(g.shape, shape)) {
                throw new IllegalArgumentException("gradient shape " + Arrays.toString(g.shape)
                        + " does not match tensor shape " + Arrays.toString(shape));
            }
            if (g.dtype != dtype && !(dtype == DType.FLOAT32 && g.dtype == DType.BFLOAT16)) {
                throw new IllegalArgumentException("setGrad: the gradient is " + g.dtype + " but the tensor is " + dtype
                        + " (a gradient has its tensor's dtype; only a float32 tensor may also take a bfloat16 gradient)");
            }
        }
        if (grad != null && grad != g) grad.close();
        grad = g;
    }

    /** Copies the values out into a new array (row-major), from any device, widened exactly to float32. */
    public float[] toFloatArray() {
        ensureOpen();
        if (numel > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor of " + numel + " elements does not fit in a Java array");
        }
        if (device.isCpu()) return HostElements.toFloats(data, dtype, (int) numel);
        float[][] out = new float[1][];
        throughHost(host -> out[0] = HostElements.toFloats(host, dtype, (int) numel), true);
        return out[0];
    }

    /**
     * Overwrites the values from {@code values}, which must hold exactly {@link #numel()} floats,
     * rounded to nearest even when the dtype is narrower than float32.
     */
    public Tensor copyFrom(float[] values) {
        ensureOpen();
        if (values == null || values.length != numel) {
            throw new IllegalArgumentException("copyFrom needs " + numel + " values, got "
                    + (values == null ? "null" : values.length));
        }
        if (device.isCpu()) HostElements.fromFloats(values, data, dtype);
        else throughHost(host -> HostElements.fromFloats(values, host, dtype), false);
        return this;
    }

    /**
     * Overwrites the values from another tensor of the same number of elements, on any device and of
     * any dtype (a copy between devices that converts between dtypes, like torch's {@code copy_}:
     * rounded to nearest even when narrowing).
     */
    public Tensor copyFrom(Tensor other) {
        ensureOpen();
        other.ensureOpen();
        if (other.numel != numel) {
            throw new IllegalArgumentException("copyFrom needs a tensor of " + numel + " elements, got " + other.numel);
        }
        if (other.dtype != dtype) {
            castFrom(other);
            return this;
        }
        long bytes = byteSize();
        if (device.isCpu() && other.device.isCpu()) {
            MemorySegment.copy(other.data, 0, data, 0, bytes);
        } else if (device.isCpu()) {
            Cuda.copyToHost(other.device.index(), data, other.data.address(), bytes);
        } else if (other.device.isCpu()) {
            Cuda.copyToDevice(device.index(), data.address(), other.data, bytes);
        } else if (device.equals(other.device)) {
            Cuda.copyOnDevice(device.index(), data.address(), other.data.address(), bytes);
        } else {
            throughHost(host -> Cuda.copyToHost(other.device.index(), host, other.data.address(), bytes), false);
        }
        return this;
    }

    /**
     * {@link #copyFrom(Tensor)} from a tensor of another dtype: converted on the host when either
     * tensor is there (so only the narrower bytes cross to or from the device), on the device with
     * {@link DeviceCast} when both are on the same CUDA device.
     */
    private void castFrom(Tensor other) {
        if (device.isCpu() && other.device.isCpu()) {
            HostElements.cast(other.data, other.dtype, data, dtype, numel);
        } else if (device.isCpu()) {
            try (Tensor host = other.to(Device.CPU)) {
                HostElements.cast(host.data, host.dtype, data, dtype, numel);
            }
        } else if (other.device.isCpu()) {
            throughHost(host -> HostElements.cast(other.data, other.dtype, host, dtype, numel), false);
        } else if (other.device.equals(device)) {
            DeviceCast.cast(device, numel, other.data, other.dtype, data, dtype);
        } else {
            try (Tensor moved = other.to(device)) {
                castFrom(moved);
            }
        }
    }

    /**
     * Runs {@code body} on a host buffer of this CUDA tensor's bytes: filled from the device first
     * when {@code read}, copied to the device after otherwise.
     */
    private void throughHost(Consumer<MemorySegment> body, boolean read) {
        long bytes = byteSize();
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment host = staging.allocate(Math.max(1, bytes), ALIGNMENT).asSlice(0, bytes);
            if (read) Cuda.copyToHost(device.index(), host, data.address(), bytes);
            body.accept(host);
            // The copy is queued; the staging memory may be freed at once (pt_cuda_copy's contract).
            if (!read) Cuda.copyToDevice(device.index(), data.address(), host, bytes);
        }
    }

    /** Element at a flat (row-major) index, widened exactly to float32; CPU tensors only. */
    public float get(long index) {
        ensureOpen();
        requireHost("get()");
        return HostElements.get(data, dtype, index);
    }

    /** Sets the element at a flat (row-major) index, rounded to the dtype; CPU tensors only. */
    public void set(long index, float value) {
        ensureOpen();
        requireHost("set()");
        HostElements.set(data, dtype, index, value);
    }

    /**
     * The off-heap memory of this CPU tensor, {@link #byteSize()} bytes of {@link #dtype()} elements in
     * the platform's byte order, valid until {@link #close()}:
     * for reading and writing from Java and handing to native code (e.g. {@code FusedSteps}). A CUDA
     * tensor has no host memory: use {@link #nativeSegment()} for its device address.
     */
    public MemorySegment segment() {
        ensureOpen();
        requireHost("segment()");
        return data;
    }

    /**
     * This tensor's memory as a segment for native calls, on any device ({@link #byteSize()} bytes):
     * the same as {@link #segment()} on the CPU; on CUDA the device address, which Java code must
     * never read or write (hand it to {@code FusedSteps} or your own CUDA code). Valid until
     * {@link #close()}.
     */
    public MemorySegment nativeSegment() {
        ensureOpen();
        return data;
    }

    /** The address of the first element (torch's {@code data_ptr()}): a host address on the CPU, a device address on CUDA. */
    public long dataAddress() {
        ensureOpen();
        return data.address();
    }

    private void requireHost(String op) {
        if (device.isCuda()) {
            throw new UnsupportedOperationException(op + " reads or writes host memory, but this tensor of shape "
                    + Arrays.toString(shape) + " is on " + device + ": use toFloatArray() / copyFrom(..) or to(Device.CPU) for"
                    + " its values, nativeSegment() / dataAddress() for its device address");
        }
    }

    /** True once {@link #close()} has run (for a view: also once its base is closed). */
    public boolean isClosed() {
        return closed || (base != null && base.closed);
    }

    /**
     * Frees the memory of this tensor and of its gradient (a view frees only its gradient: the
     * memory belongs to its base); CUDA memory goes back to the caching pool. Idempotent.
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
        if (cudaMemory != null) cudaMemory.close();
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("tensor of shape " + Arrays.toString(shape) + " is closed");
        if (base != null && base.closed) {
            throw new IllegalStateException("view of shape " + Arrays.toString(shape) + " is unusable: its base tensor of"
                    + " shape " + Arrays.toString(base.shape) + " is closed");
        }
    }

    /**
     * The shape, the device when not the CPU and the dtype when not float32 (as torch prints them,
     * e.g. {@code dtype=torch.bfloat16}) and the first 8 values, from any device.
     */
    @Override
    public String toString() {
        if (isClosed()) return "Tensor(closed, shape=" + Arrays.toString(shape) + ")";
        StringBuilder sb = new StringBuilder("Tensor(shape=").append(Arrays.toString(shape));
        if (device.isCuda()) sb.append(", device=").append(device);
        if (!dtype.isFloat32()) sb.append(", dtype=").append(dtype.torchName());
        sb.append(", [");
        int shown = (int) Math.min(numel, 8);
        float[] head = new float[0];
        if (device.isCpu()) {
            head = HostElements.toFloats(data, dtype, shown);
        } else if (shown > 0) {
            try (Arena staging = Arena.ofConfined()) {
                long bytes = (long) shown * dtype.byteSize();
                MemorySegment host = staging.allocate(bytes, ALIGNMENT);
                Cuda.copyToHost(device.index(), host, data.address(), bytes);
                head = HostElements.toFloats(host, dtype, shown);
            }
        }
        for (int i = 0; i < shown; i++) sb.append(i == 0 ? "" : ", ").append(head[i]);
        if (numel > shown) sb.append(", ...");
        return sb.append("])").toString();
    }
}
