package dev.panoptim.bench;

import dev.panoptim.bindings.NativeLibrary;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code pt_roofline_step} for the benchmarks: the memory roofline of a fused AdamW step (per element
 * {@code m += g; v += g; p += m - v}: read p, g, m, v and write p, m, v, 28 bytes, on all of the
 * library's OpenMP threads in the fused steps' own chunks). A fused step that moves the same bytes on
 * the same machine cannot be faster, so fused GB/s over roofline GB/s says how close to memory speed
 * a step runs.
 *
 * <p>The downcall handle is made here from {@link NativeLibrary#lookup()} rather than taken from the
 * generated bindings, so that the benchmark depends only on the C header's declaration.
 */
public final class Roofline {
    private static final MethodHandle STEP = Linker.nativeLinker().downcallHandle(
            NativeLibrary.lookup().find("pt_roofline_step")
                    .orElseThrow(() -> new IllegalStateException("pt_roofline_step not in " + NativeLibrary.path())),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle LAST_ERROR = Linker.nativeLinker().downcallHandle(
            NativeLibrary.lookup().find("pt_last_error").orElseThrow(), FunctionDescriptor.of(ADDRESS));

    private Roofline() {}

    /** One roofline step over {@code n} floats of each segment on the CPU (device 0); throws on a failed status. */
    public static void step(long n, MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v) {
        int status;
        try {
            status = (int) STEP.invokeExact(0, n, p, g, m, v);
        } catch (Throwable t) {
            throw new IllegalStateException("pt_roofline_step downcall failed", t);
        }
        if (status != 0) {
            String message;
            try {
                message = ((MemorySegment) LAST_ERROR.invokeExact()).reinterpret(4096).getString(0);
            } catch (Throwable t) {
                message = "(no message: " + t + ")";
            }
            throw new IllegalStateException("pt_roofline_step failed with status " + status + ": " + message);
        }
    }
}
