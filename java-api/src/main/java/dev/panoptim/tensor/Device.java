package dev.panoptim.tensor;

import dev.panoptim.bindings.c.panoptim_h;

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

    /** Parses "cpu" or "cuda" (any case), naming the valid choices when the name is unknown. */
    public static Device parse(String name) {
        for (Device d : values()) if (d.name().equalsIgnoreCase(name)) return d;
        throw new IllegalArgumentException("unknown device '" + name + "' (valid: cpu, cuda)");
    }
}
