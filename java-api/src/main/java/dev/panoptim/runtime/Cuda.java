package dev.panoptim.runtime;

import dev.panoptim.bindings.c.panoptim_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * CUDA devices and memory through panoptim's C API (torch.cuda's names where they exist): whether
 * CUDA is usable, device facts, the stream-ordered caching allocator and its statistics. All work on
 * a device is queued on panoptim's one stream for it; device -> host copies wait for it.
 * Addresses are plain {@code long}s: device memory must never be read from Java.
 *
 * <pre>{@code
 * if (Cuda.isAvailable()) System.out.println(Cuda.deviceInfo(0) + ", " + Cuda.memoryAllocated(0) + " bytes in use");
 * }</pre>
 */
public final class Cuda {
    /** How to get CUDA without a GPU, for messages that say CUDA is unusable. */
    public static final String SIMULATOR_HINT = "set PANOPTIM_CUDA_SIM=1 (or -Dpanoptim.cuda=sim) to run the CUDA"
            + " kernels on the CPU simulator";

    private Cuda() {}

    /** Facts about one device, for {@code panoptim info}. */
    public record DeviceInfo(int index, String name, long totalMemory, int ccMajor, int ccMinor, int multiprocessors) {
        @Override
        public String toString() {
            return String.format("cuda:%d %s, %.1f GiB, compute capability %d.%d, %d SMs", index, name,
                    totalMemory / (double) (1L << 30), ccMajor, ccMinor, multiprocessors);
        }
    }

    /** True when at least one CUDA device (or the simulator) can be used. */
    public static boolean isAvailable() {
        return Panoptim.cuda().available();
    }

    /** Usable CUDA devices (0 when CUDA is unusable). */
    public static int deviceCount() {
        return Panoptim.cuda().deviceCount();
    }

    /** True when the loaded library runs its CUDA kernels on the CPU simulator. */
    public static boolean simulated() {
        return panoptim_h.pt_cuda_simulated() != 0;
    }

    /**
     * Checks that device {@code index} can be used for {@code what}: throws
     * {@link UnsupportedOperationException} saying why CUDA is unusable (built without CUDA, no
     * driver, no device) and how to use the simulator, or {@link IllegalArgumentException} for an
     * index this machine does not have.
     */
    public static void requireDevice(int index, String what) {
        CudaStatus status = Panoptim.cuda();
        if (!status.available()) {
            throw new UnsupportedOperationException("cannot use cuda:" + index + " for " + what + ": CUDA is unusable here: "
                    + status.reason() + ". To run without a GPU, " + SIMULATOR_HINT + ".");
        }
        if (index < 0 || index >= status.deviceCount()) {
            throw new IllegalArgumentException("cannot use cuda:" + index + " for " + what + ": this machine has "
                    + status.deviceCount() + " CUDA device(s) (cuda:0" + (status.deviceCount() > 1
                    ? "..cuda:" + (status.deviceCount() - 1) : "") + ")");
        }
    }

    /** Facts about device {@code index}. */
    public static DeviceInfo deviceInfo(int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(256);
            MemorySegment total = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment ints = arena.allocate(ValueLayout.JAVA_INT, 3);
            NativeStatus.check(panoptim_h.pt_cuda_device_info(index, name, name.byteSize(), total, ints,
                    ints.asSlice(4), ints.asSlice(8)), "pt_cuda_device_info(cuda:" + index + ")");
            return new DeviceInfo(index, name.getString(0), total.get(ValueLayout.JAVA_LONG, 0),
                    ints.getAtIndex(ValueLayout.JAVA_INT, 0), ints.getAtIndex(ValueLayout.JAVA_INT, 1),
                    ints.getAtIndex(ValueLayout.JAVA_INT, 2));
        }
    }

    /** Facts about every usable device (empty when CUDA is unusable). */
    public static List<DeviceInfo> devices() {
        List<DeviceInfo> out = new ArrayList<>();
        for (int i = 0; i < deviceCount(); i++) out.add(deviceInfo(i));
        return out;
    }

    /** Makes device {@code index} the current one of this thread, for the PT_DEVICE_CUDA calls it makes. */
    public static void setDevice(int index) {
        NativeStatus.check(panoptim_h.pt_cuda_set_device(index), "pt_cuda_set_device(cuda:" + index + ")");
    }

    /** panoptim's stream on device {@code index} (a cudaStream_t), to order your own CUDA work with panoptim's. */
    public static long stream(int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            NativeStatus.check(panoptim_h.pt_cuda_stream(index, out), "pt_cuda_stream(cuda:" + index + ")");
            return out.get(ValueLayout.ADDRESS, 0).address();
        }
    }

    /** {@code bytes} of device memory from the caching pool (256-byte aligned; 0 for 0 bytes). Free with {@link #free}. */
    public static long malloc(int index, long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            NativeStatus.check(panoptim_h.pt_cuda_malloc(index, bytes, out), "pt_cuda_malloc(cuda:" + index + ", "
                    + bytes + " bytes)");
            return out.get(ValueLayout.ADDRESS, 0).address();
        }
    }

    /** Returns memory from {@link #malloc} to the pool (after the work queued before it); 0 is ignored. */
    public static void free(int index, long address) {
        NativeStatus.check(panoptim_h.pt_cuda_free(index, MemorySegment.ofAddress(address)), "pt_cuda_free(cuda:"
                + index + ")");
    }

    /** Copies {@code bytes} from host memory to device memory (queued; the host source may be reused at once). */
    public static void copyToDevice(int index, long dst, MemorySegment src, long bytes) {
        copy(index, MemorySegment.ofAddress(dst), src, bytes, panoptim_h.PT_COPY_HOST_TO_DEVICE(), "host to device");
    }

    /** Copies {@code bytes} from device memory to host memory, waiting for the queued work first. */
    public static void copyToHost(int index, MemorySegment dst, long src, long bytes) {
        copy(index, dst, MemorySegment.ofAddress(src), bytes, panoptim_h.PT_COPY_DEVICE_TO_HOST(), "device to host");
    }

    /** Copies {@code bytes} within device {@code index} (queued). */
    public static void copyOnDevice(int index, long dst, long src, long bytes) {
        copy(index, MemorySegment.ofAddress(dst), MemorySegment.ofAddress(src), bytes,
                panoptim_h.PT_COPY_DEVICE_TO_DEVICE(), "device to device");
    }

    private static void copy(int index, MemorySegment dst, MemorySegment src, long bytes, int kind, String what) {
        if (!dst.isNative() || !src.isNative()) {
            throw new IllegalArgumentException("CUDA copies need off-heap host segments (Arena.allocate), not heap arrays");
        }
        NativeStatus.check(panoptim_h.pt_cuda_copy(index, dst, src, bytes, kind), "pt_cuda_copy(cuda:" + index + ", "
                + what + ", " + bytes + " bytes)");
    }

    /**
     * Queues a copy of {@code bytes} from host memory ({@link PinnedMemory} for the copy to overlap compute)
     * to device memory on device {@code index}'s copy stream, after the work queued on panoptim's stream
     * so far, and returns its ticket at once; {@code src} must stay unchanged until
     * {@link #awaitUpload awaitUpload(index, ticket)} returns. See pt_cuda_upload.
     */
    public static long upload(int index, long dst, MemorySegment src, long bytes) {
        if (!src.isNative()) throw new IllegalArgumentException("uploads need off-heap host memory (PinnedMemory), not heap arrays");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ticket = arena.allocate(ValueLayout.JAVA_LONG);
            NativeStatus.check(panoptim_h.pt_cuda_upload(index, MemorySegment.ofAddress(dst), src, bytes, ticket),
                    "pt_cuda_upload(cuda:" + index + ", " + bytes + " bytes)");
            return ticket.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** Makes panoptim's stream on device {@code index} wait (on the device) for upload {@code ticket} and the ones before it. */
    public static void joinUpload(int index, long ticket) {
        NativeStatus.check(panoptim_h.pt_cuda_upload_join(index, ticket), "pt_cuda_upload_join(cuda:" + index + ", " + ticket + ")");
    }

    /** Waits on the host until upload {@code ticket} and the ones before it are done (their sources may then change). */
    public static void awaitUpload(int index, long ticket) {
        NativeStatus.check(panoptim_h.pt_cuda_upload_wait(index, ticket), "pt_cuda_upload_wait(cuda:" + index + ", " + ticket + ")");
    }

    /** Sets {@code bytes} of device memory to the byte {@code value} (queued). */
    public static void memset(int index, long address, int value, long bytes) {
        NativeStatus.check(panoptim_h.pt_cuda_memset(index, MemorySegment.ofAddress(address), value, bytes),
                "pt_cuda_memset(cuda:" + index + ")");
    }

    /** Waits for all work queued on device {@code index} (torch.cuda.synchronize). */
    public static void synchronize(int index) {
        NativeStatus.check(panoptim_h.pt_cuda_synchronize(index), "pt_cuda_synchronize(cuda:" + index + ")");
    }

    /** Bytes in live allocations on device {@code index} (torch.cuda.memory_allocated). */
    public static long memoryAllocated(int index) {
        return memoryStats(index)[0];
    }

    /** Bytes the caching pool holds from device {@code index} (torch.cuda.memory_reserved). */
    public static long memoryReserved(int index) {
        return memoryStats(index)[1];
    }

    private static long[] memoryStats(int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG, 2);
            NativeStatus.check(panoptim_h.pt_cuda_memory_stats(index, out, out.asSlice(8)),
                    "pt_cuda_memory_stats(cuda:" + index + ")");
            return out.toArray(ValueLayout.JAVA_LONG);
        }
    }

    /** Gives the pool's unused memory back to device {@code index} (torch.cuda.empty_cache). */
    public static void emptyCache(int index) {
        NativeStatus.check(panoptim_h.pt_cuda_empty_cache(index), "pt_cuda_empty_cache(cuda:" + index + ")");
    }

    /**
     * Chooses the code behind the CUDA matmul, linear, conv2d and batchnorm2d calls, for the whole
     * process (it overrides PANOPTIM_CUDA_BACKEND). {@link CudaBackend#VENDOR} throws a
     * {@link PanoptimException} (UNSUPPORTED) on the simulator and without CUDA; cuBLAS and cuDNN load
     * at their first call, which fails saying where they were looked for when they are missing
     * ({@link #vendorInfo()} tells beforehand).
     */
    public static void setBackend(CudaBackend backend) {
        NativeStatus.check(panoptim_h.pt_cuda_set_backend(backend.code()), "pt_cuda_set_backend(" + backend + ")");
    }

    /** The backend in force: the last {@link #setBackend}, else PANOPTIM_CUDA_BACKEND, else OWN. */
    public static CudaBackend backend() {
        return CudaBackend.of(panoptim_h.pt_cuda_get_backend());
    }

    /**
     * What the vendor backend can use, one line each: "backend: own|vendor", any error in
     * PANOPTIM_CUDA_BACKEND, then cuBLAS and cuDNN with their version and file, or why they are
     * unavailable (not found: where it looked; the simulator; a build without CUDA). Needs no GPU.
     */
    public static String vendorInfo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(8192);
            NativeStatus.check(panoptim_h.pt_cuda_vendor_info(buf, buf.byteSize()), "pt_cuda_vendor_info");
            return buf.getString(0);
        }
    }
}
