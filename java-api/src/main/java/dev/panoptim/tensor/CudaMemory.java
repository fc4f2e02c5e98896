package dev.panoptim.tensor;

import dev.panoptim.runtime.Cuda;

/**
 * The device memory of one CUDA tensor: taken from panoptim's stream-ordered caching pool
 * (pt_cuda_malloc) and given back by {@link #close()} (pt_cuda_free), never by a finalizer.
 *
 * <pre>{@code try (CudaMemory m = CudaMemory.allocate(0, 4096, true)) { long address = m.address(); }}</pre>
 */
final class CudaMemory implements AutoCloseable {
    private final int index;
    private final long address;
    private boolean closed;

    private CudaMemory(int index, long address) {
        this.index = index;
        this.address = address;
    }

    /** At least one float of memory on cuda:{@code index}, so every tensor has a real address; zeroed if asked. */
    static CudaMemory allocate(int index, long bytes, boolean zero, String what) {
        Cuda.requireDevice(index, what);
        long size = Math.max(Float.BYTES, bytes);
        long address = Cuda.malloc(index, size);
        if (zero) {
            try {
                Cuda.memset(index, address, 0, size);
            } catch (RuntimeException e) {
                Cuda.free(index, address);
                throw e;
            }
        }
        return new CudaMemory(index, address);
    }

    long address() {
        return address;
    }

    /** Returns the memory to the pool, after the work already queued on the device's stream. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Cuda.free(index, address);
    }
}
