package dev.panoptim.runtime;

import dev.panoptim.bindings.c.panoptim_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The CPU conv2d backend for the whole process: panoptim's own kernels or oneDNN (see
 * {@link CpuConvBackend}), and what oneDNN this machine has.
 *
 * <pre>{@code
 * CpuConv.setBackend(CpuConvBackend.ONEDNN);   // throws PanoptimException (UNSUPPORTED) without libdnnl.so.2
 * System.out.println(CpuConv.info());
 * }</pre>
 */
public final class CpuConv {
    private CpuConv() {
    }

    /** Chooses the backend (overrides PANOPTIM_CPU_CONV); ONEDNN loads oneDNN now and throws, changing nothing, when it cannot. */
    public static void setBackend(CpuConvBackend backend) {
        NativeStatus.check(panoptim_h.pt_cpu_set_conv_backend(backend.code()), "pt_cpu_set_conv_backend(" + backend + ")");
    }

    /** The backend in force: the last {@link #setBackend}, else PANOPTIM_CPU_CONV, else AUTO. */
    public static CpuConvBackend backend() {
        return CpuConvBackend.of(panoptim_h.pt_cpu_get_conv_backend());
    }

    /**
     * Why PANOPTIM_CPU_CONV cannot be used (it names the value and the accepted ones), or null when it
     * can: with a bad value every CPU convolution fails until {@link #setBackend} chooses, so commands
     * check this before they start.
     */
    public static String environmentError() {
        for (String line : info().split("\n")) {
            if (line.startsWith("error: ")) return line.substring("error: ".length());
        }
        return null;
    }

    /**
     * One line each: "backend: auto|own|onednn", any error in PANOPTIM_CPU_CONV, then "onednn: " with
     * oneDNN's version and file, or why it is unavailable.
     */
    public static String info() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(2048);
            NativeStatus.check(panoptim_h.pt_cpu_conv_backend_info(buf, buf.byteSize()), "pt_cpu_conv_backend_info");
            return buf.getString(0);
        }
    }
}
