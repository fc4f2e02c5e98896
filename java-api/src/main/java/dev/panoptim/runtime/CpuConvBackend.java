package dev.panoptim.runtime;

/**
 * Which code runs the CPU conv2d calls (panoptim.h, "CPU conv2d backend"): panoptim's own im2col +
 * OpenBLAS kernels, or oneDNN (the library libtorch's CPU convolutions use), loaded at run time
 * from libdnnl.so.2 when it is installed. Results agree within float32 rounding. Chosen with
 * {@link CpuConv#setBackend}, or at start with {@code PANOPTIM_CPU_CONV=auto|own|onednn}.
 *
 * <pre>{@code CpuConv.setBackend(CpuConvBackend.OWN);}</pre>
 */
public enum CpuConvBackend {
    /** oneDNN for the calls it runs faster (filters larger than 1x1 with more than one output pixel, every bf16 forward), the own kernels elsewhere; the default. */
    AUTO(0),
    /** panoptim's own kernels only. */
    OWN(1),
    /** oneDNN wherever it has a fast kernel; choosing it fails when oneDNN cannot be loaded. */
    ONEDNN(2);

    private final int code;

    CpuConvBackend(int code) {
        this.code = code;
    }

    /** The pt_cpu_conv_backend value of the C API. */
    public int code() {
        return code;
    }

    /** The backend of a pt_cpu_conv_backend value. */
    public static CpuConvBackend of(int code) {
        for (CpuConvBackend b : values()) {
            if (b.code == code) return b;
        }
        throw new IllegalArgumentException("unknown pt_cpu_conv_backend " + code + " (0 = auto, 1 = own, 2 = onednn)");
    }
}
