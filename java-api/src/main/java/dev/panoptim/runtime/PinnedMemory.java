package dev.panoptim.runtime;

import dev.panoptim.bindings.c.panoptim_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Page-locked host memory (torch's {@code pin_memory}): the source of {@link Cuda#upload} copies that
 * run on the copy stream while the GPU computes. Freed by {@link #close()}, never by a finalizer; the
 * segment must not be used after that.
 *
 * <pre>{@code
 * try (PinnedMemory staging = PinnedMemory.allocate(bytes)) {
 *     MemorySegment.copy(images.segment(), 0, staging.segment(), 0, bytes);
 *     long ticket = Cuda.upload(0, deviceAddress, staging.segment(), bytes);
 * }
 * }</pre>
 */
public final class PinnedMemory implements AutoCloseable {
    private final MemorySegment segment;
    private boolean closed;

    private PinnedMemory(MemorySegment segment) {
        this.segment = segment;
    }

    /** {@code bytes} (at least 1) of pinned host memory; needs CUDA (the real library or the simulator). */
    public static PinnedMemory allocate(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("pinned memory size must be >= 0, got " + bytes);
        long size = Math.max(1, bytes);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            NativeStatus.check(panoptim_h.pt_cuda_host_alloc(size, out), "pt_cuda_host_alloc(" + size + " bytes)");
            return new PinnedMemory(out.get(ValueLayout.ADDRESS, 0).reinterpret(size));
        }
    }

    /** The memory, readable and writable from Java. */
    public MemorySegment segment() {
        if (closed) throw new IllegalStateException("PinnedMemory is closed");
        return segment;
    }

    /** Frees the memory. Idempotent. The caller makes sure no upload still reads it ({@link Cuda#awaitUpload}). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        NativeStatus.check(panoptim_h.pt_cuda_host_free(segment), "pt_cuda_host_free");
    }
}
