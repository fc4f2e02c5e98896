package dev.panoptim.runtime;

import dev.panoptim.bindings.NativeLibrary;
import dev.panoptim.bindings.c.panoptim_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Facts about the loaded native library: version, SIMD level, threads, where it was loaded from and
 * whether CUDA is usable. The first call loads libpanoptim.
 *
 * <pre>{@code System.out.println(Panoptim.version() + " " + Panoptim.simdLevel());}</pre>
 */
public final class Panoptim {
    private Panoptim() {}

    /** The native library's version, "MAJOR.MINOR.PATCH". */
    public static String version() {
        return panoptim_h.pt_version().getString(0);
    }

    /** The SIMD level the CPU kernels dispatch to: "avx512", "avx2+fma" or "baseline". */
    public static String simdLevel() {
        return panoptim_h.pt_simd_level().getString(0);
    }

    /** Threads the CPU kernels use. */
    public static int numThreads() {
        return panoptim_h.pt_num_threads();
    }

    /** Sets the threads the CPU kernels use; {@code n} must be >= 1. */
    public static void setNumThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("number of threads must be >= 1, got " + n);
        NativeStatus.check(panoptim_h.pt_set_num_threads(n), "pt_set_num_threads(" + n + ")");
    }

    /** The library file in use. */
    public static Path libraryPath() {
        return NativeLibrary.path();
    }

    /** Where the library file came from (the jar, or -Dpanoptim.library.path). */
    public static String librarySource() {
        return NativeLibrary.source();
    }

    /** Whether CUDA is compiled in and usable here, and why not. A positive answer is kept (devices stay). */
    public static CudaStatus cuda() {
        CudaStatus known = usableCuda;
        if (known != null) return known;
        boolean compiled = panoptim_h.pt_cuda_compiled() != 0;
        boolean simulated = panoptim_h.pt_cuda_simulated() != 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            int code = panoptim_h.pt_cuda_device_count(count);
            if (code == panoptim_h.PT_OK()) {
                int n = count.get(ValueLayout.JAVA_INT, 0);
                String what = simulated ? "simulated on the CPU (" + n + " device(s))" : n + " CUDA device(s)";
                return usableCuda = new CudaStatus(compiled, n, what, simulated);
            }
            return new CudaStatus(compiled, 0, NativeStatus.lastError(), simulated);
        }
    }

    private static volatile CudaStatus usableCuda;
}
