package dev.panoptim.nn;

import dev.panoptim.runtime.Cuda;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A reusable int32 buffer for native calls (argmax indices, class targets) on a device: off-heap host
 * memory on the CPU, device memory on CUDA. Reallocated only when it must grow or change device.
 * Closed with its owner.
 *
 * <pre>{@code MemorySegment t = targets.load(Device.CUDA, labels);   // a device address, for native calls only}</pre>
 */
final class NativeInts implements AutoCloseable {
    private Device device = Device.CPU;
    private Arena arena;
    /** CUDA storage: int32 and float32 are both 4 bytes, so a tensor's device memory holds the ints. */
    private Tensor onDevice;
    private MemorySegment data = MemorySegment.NULL;
    private long capacity;

    /** A segment of exactly {@code count} ints on {@code device} (contents unspecified). */
    MemorySegment ensure(Device device, long count) {
        if (count > capacity || !device.equals(this.device) || (arena == null && onDevice == null)) {
            close();
            this.device = device;
            capacity = Math.max(1, count);
            if (device.isCpu()) {
                arena = Arena.ofShared();
                data = arena.allocate(ValueLayout.JAVA_INT, capacity);
            } else {
                onDevice = Tensor.zeros(device, Math.toIntExact(capacity));
                data = onDevice.nativeSegment();
            }
        }
        return data.asSlice(0, count * Integer.BYTES);
    }

    /** A segment on {@code device} holding a copy of {@code values}. */
    MemorySegment load(Device device, int[] values) {
        MemorySegment s = ensure(device, values.length);
        if (device.isCpu()) {
            MemorySegment.copy(values, 0, s, ValueLayout.JAVA_INT, 0, values.length);
        } else if (values.length > 0) {
            try (Arena staging = Arena.ofConfined()) {
                MemorySegment host = staging.allocateFrom(ValueLayout.JAVA_INT, values);
                // Queued; the staging memory may be freed at once (pt_cuda_copy's contract).
                Cuda.copyToDevice(device.index(), s.address(), host, host.byteSize());
            }
        }
        return s;
    }

    @Override
    public void close() {
        if (arena != null) arena.close();
        if (onDevice != null) onDevice.close();
        arena = null;
        onDevice = null;
        data = MemorySegment.NULL;
        capacity = 0;
    }
}
