package dev.panoptim.tensor;

import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.runtime.Panoptim;

/**
 * Where a tensor's memory lives, and so which kernels run on it (pt_device in panoptim.h).
 *
 * <pre>{@code Device d = Device.parse("cpu");}</pre>
 */
public enum Device {
    CPU(panoptim_h.PT_DEVICE_CPU()),
    CUDA(panoptim_h.PT_DEVICE_CUDA());

    private final int code;

    Device(int code) {
        this.code = code;
    }

    /** The pt_device value passed to native calls. */
    public int code() {
        return code;
    }

    /**
     * Checks that tensors and modules can be placed on this device. {@link #CPU} always can; CUDA
     * tensors are not available in this build yet (the CUDA kernels exist for the optimizers' raw
     * segments only), so {@link #CUDA} throws an {@link UnsupportedOperationException} naming
     * {@code what} and the CUDA status of this machine.
     */
    public void requireAvailable(String what) {
        if (this == CPU) return;
        String cuda;
        try {
            cuda = Panoptim.cuda().reason();
        } catch (RuntimeException | LinkageError e) {
            cuda = "unknown (" + e + ")";
        }
        throw new UnsupportedOperationException("cannot move " + what + " to " + name() + ": CUDA tensors are not"
                + " available in this build yet (tensors and nn modules live on the CPU only; CUDA status of this"
                + " machine: " + cuda + ")");
    }

    /** Parses "cpu" or "cuda" (any case), naming the valid choices when the name is unknown. */
    public static Device parse(String name) {
        for (Device d : values()) if (d.name().equalsIgnoreCase(name)) return d;
        throw new IllegalArgumentException("unknown device '" + name + "' (valid: cpu, cuda)");
    }
}
