package dev.panoptim.tensor;

import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.runtime.Cuda;
import dev.panoptim.runtime.NativeStatus;

import java.lang.foreign.MemorySegment;

/**
 * Dtype conversion of CUDA memory on the device ({@code pt_cast}): one kernel, queued on panoptim's
 * stream, rounding to nearest even as {@link HostElements} does on the host.
 *
 * <pre>{@code DeviceCast.cast(Device.CUDA, n, src, DType.FLOAT32, dst, DType.BFLOAT16);}</pre>
 */
final class DeviceCast {
    private DeviceCast() {}

    /** Converts {@code numel} elements at device address {@code src} ({@code from}) to {@code dst} ({@code to}). */
    static void cast(Device device, long numel, MemorySegment src, DType from, MemorySegment dst, DType to) {
        Cuda.setDevice(device.index());
        NativeStatus.check(panoptim_h.pt_cast(device.code(), numel, src, from.code(), dst, to.code()),
                "pt_cast(" + device + ", " + numel + " elements, " + from + " to " + to + ")");
    }
}
