package dev.panoptim.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * One NDArray's values as float32 host memory for a fused step: the array's own memory where it can
 * be reached (a PyTorch-engine tensor on the CPU, float32, contiguous: zero copy, written in place),
 * else a float32 copy whose changes are written back by {@link #writeBack()}.
 *
 * <p>The write-back adds the change ({@code updated - original}, computed in float32) to the array
 * in place, in its own dtype and on its own device: a view writes through to its base, and a float64
 * weight keeps its own precision (only the step is float32, as panoptim's kernels compute).
 */
final class ArrayMemory implements AutoCloseable {
    /** The dtypes a step accepts; the kernels compute in float32, the others go through a copy. */
    static final Set<DataType> FLOATING = Set.of(DataType.FLOAT32, DataType.FLOAT64, DataType.FLOAT16, DataType.BFLOAT16);

    private final NDArray array;
    private final MemorySegment values;
    /** The copy's values before the step, for the write-back; null for a direct array. */
    private final MemorySegment original;
    private final Arena copyArena;
    private final String copyReason;

    private ArrayMemory(NDArray array, MemorySegment values, MemorySegment original, Arena copyArena, String copyReason) {
        this.array = array;
        this.values = values;
        this.original = original;
        this.copyArena = copyArena;
        this.copyReason = copyReason;
    }

    /**
     * The values of {@code array}; {@code writable} keeps the copy's original values for
     * {@link #writeBack()}. {@code role} names the array in errors ("weight", "gradient").
     */
    static ArrayMemory of(NDArray array, String role, boolean writable) {
        DataType type = array.getDataType();
        if (!FLOATING.contains(type)) {
            throw new IllegalArgumentException("panoptim's optimizers step floating-point parameters; the " + role
                    + " is " + type + " (shape " + array.getShape() + ")");
        }
        String reason = whyNotDirect(array);
        if (reason == null) {
            ByteBuffer buffer = array.toByteBuffer(true);
            long bytes = array.size() * Float.BYTES;
            if (buffer.isDirect() && buffer.capacity() == bytes) {
                return new ArrayMemory(array, MemorySegment.ofBuffer(buffer), null, null, null);
            }
            reason = "the engine gave no direct buffer of its memory";
        }
        Arena arena = Arena.ofConfined();
        try {
            float[] host = hostFloats(array);
            MemorySegment copy = arena.allocate((long) host.length * Float.BYTES, Float.BYTES);
            MemorySegment.copy(host, 0, copy, ValueLayout.JAVA_FLOAT, 0, host.length);
            MemorySegment original = null;
            if (writable) {
                original = arena.allocate(copy.byteSize(), Float.BYTES);
                original.copyFrom(copy);
            }
            return new ArrayMemory(array, copy, original, arena, reason);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Null when the array's own memory can be stepped in place, else the reason it cannot. */
    static String whyNotDirect(NDArray array) {
        if (!(array instanceof PtNDArray pt)) {
            return "an NDArray of the " + array.getManager().getEngine().getEngineName() + " engine";
        }
        if (!array.getDevice().equals(Device.cpu())) return "an NDArray on " + array.getDevice();
        if (array.getDataType() != DataType.FLOAT32) return "a " + array.getDataType() + " NDArray";
        String check = PyTorchTensors.contiguityCheck();
        if (check != null) return check;
        if (!PyTorchTensors.isContiguous(pt)) return "a non-contiguous NDArray (a view)";
        return null;
    }

    MemorySegment segment() {
        return values;
    }

    boolean isCopy() {
        return copyArena != null;
    }

    /** Why the values are a copy, or null when they are the array's own memory. */
    String copyReason() {
        return copyReason;
    }

    /**
     * A copy of these values times {@code scale}, each clipped to {@code [-clip, clip]} (DJL's
     * {@code clipGrad}), in {@code arena}.
     */
    MemorySegment scaledAndClipped(Arena arena, float scale, float clip) {
        long n = values.byteSize() / Float.BYTES;
        MemorySegment out = arena.allocate(values.byteSize(), Float.BYTES);
        for (long i = 0; i < n; i++) {
            float x = values.getAtIndex(ValueLayout.JAVA_FLOAT, i) * scale;
            out.setAtIndex(ValueLayout.JAVA_FLOAT, i, Math.max(-clip, Math.min(clip, x)));
        }
        return out;
    }

    /** For a copied weight: adds what the step changed to the array itself. Nothing to do for a direct one. */
    void writeBack() {
        if (original == null) return;
        long n = values.byteSize() / Float.BYTES;
        float[] delta = new float[Math.toIntExact(n)];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = values.getAtIndex(ValueLayout.JAVA_FLOAT, i) - original.getAtIndex(ValueLayout.JAVA_FLOAT, i);
        }
        try (NDManager scratch = array.getManager().newSubManager(Device.cpu())) {
            NDArray change = scratch.create(delta, array.getShape());
            if (array.getDataType() != DataType.FLOAT32) change = change.toType(array.getDataType(), false);
            if (!array.getDevice().equals(Device.cpu())) change = change.toDevice(array.getDevice(), false);
            NDArray update = change;
            PyTorchTensors.withoutGrad(array, () -> array.addi(update));
        }
    }

    @Override
    public void close() {
        if (copyArena != null) copyArena.close();
    }

    /**
     * The array's values as float32 in logical order, through a scratch manager so that the
     * intermediate arrays (converted, moved, made contiguous) are freed here, not when the
     * parameter's manager closes.
     */
    private static float[] hostFloats(NDArray array) {
        try (NDManager scratch = array.getManager().newSubManager(Device.cpu())) {
            NDArray x = array.toType(DataType.FLOAT32, true);
            x.attach(scratch);
            if (!x.getDevice().equals(Device.cpu())) {
                x = x.toDevice(Device.cpu(), false);
                x.attach(scratch);
            }
            return x.toFloatArray();
        }
    }
}
