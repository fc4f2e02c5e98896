// CUDA devices, memory and streams: the "CUDA devices, memory and streams" section of panoptim.h,
// plus pt_cuda_current for the kernels' launchers. Host runtime calls only, so the file compiles
// with nvcc (libpanoptim) and against the simulator's cuda_runtime.h (libpanoptim_cudasim).
//
// Design (torch's CUDACachingAllocator, done by CUDA's own stream-ordered pool):
//  - one non-blocking stream per device, created on first use; all panoptim work on a device is
//    queued on it, so allocation, copies and kernels are ordered without any other sync. It is a
//    created stream, not the legacy default one, so it can be captured into a CUDA graph
//    (cuda_graph.cu), and non-blocking, so work of other code on the legacy stream neither waits
//    for it nor breaks its capture;
//  - memory comes from the device's default pool with cudaMallocAsync / cudaFreeAsync on that
//    stream; the pool's release threshold is UINT64_MAX, so freed memory stays cached for the next
//    allocation until pt_cuda_empty_cache trims it;
//  - a map of live allocations (ptr -> bytes) gives torch's memory_allocated, lets pt_cuda_free
//    refuse a pointer it never gave out, and bounds-checks copies inside panoptim allocations.
// Every call restores the caller's current device (a device guard), and all state sits behind one
// mutex per device, so any host thread may call any function.
#include "pt_cuda.cuh"

#if !defined(PANOPTIM_CUDASIM)
#include <dlfcn.h>
#endif
#include <stdint.h>

#include "cuda/backend.h"
#include "cuda/capture.h"
#include "cuda/device_guard.cuh"

#include <atomic>
#include <map>
#include <mutex>

extern "C" int pt_cuda_compiled(void) { return 1; }

extern "C" int pt_cuda_simulated(void) {
#if defined(PANOPTIM_CUDASIM)
    return 1;
#else
    return 0;
#endif
}

// ------------------------------------------------------------------ which devices exist

#if !defined(PANOPTIM_CUDASIM)
// cudart reports a missing driver as "insufficient driver"; probing libcuda tells the two apart.
static bool driver_library_present(void) {
    void *handle = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_NOLOAD);
    if (handle == nullptr) handle = dlopen("libcuda.so.1", RTLD_LAZY);
    if (handle == nullptr) return false;
    dlclose(handle);
    return true;
}
#endif

// The device count once found (devices do not come and go under a process); every call checks it,
// so the probe below runs only until it has succeeded.
static std::atomic<int> g_device_count{0};

extern "C" int pt_cuda_device_count(int *count) {
    if (count == nullptr) return pt_fail(PT_ERR_INVALID_ARGUMENT, "pt_cuda_device_count: count is NULL");
    *count = g_device_count.load(std::memory_order_acquire);
    if (*count > 0) return PT_OK;
#if !defined(PANOPTIM_CUDASIM)
    if (!driver_library_present())
        return pt_fail(PT_ERR_UNSUPPORTED, "CUDA is compiled in but no NVIDIA driver is installed (libcuda.so.1 not found)");
#endif
    int n = 0;
    cudaError_t err = cudaGetDeviceCount(&n);
    if (err != cudaSuccess) {
        cudaGetLastError();  // clear it so later calls start clean
        return pt_fail(PT_ERR_UNSUPPORTED, "CUDA is compiled in but unusable: %s (%s)", cudaGetErrorString(err),
                       cudaGetErrorName(err));
    }
    if (n == 0) return pt_fail(PT_ERR_UNSUPPORTED, "CUDA is compiled in but no CUDA device was found");
    g_device_count.store(n, std::memory_order_release);
    *count = n;
    return PT_OK;
}

// ------------------------------------------------------------------ per-device state

namespace {

constexpr int kMaxDevices = 64;

struct DeviceState {
    std::mutex mutex;
    bool ready = false;  // stream and pool set up
    cudaStream_t stream = nullptr;
    cudaMemPool_t pool = nullptr;
    std::map<uintptr_t, int64_t> live;  // base address -> bytes, ordered for range lookups
    int64_t allocated = 0;
    int64_t total_memory = 0;  // the device's, to refuse an allocation no pool could serve
};

DeviceState g_devices[kMaxDevices];

// PT_OK when `index` names a usable device; otherwise the status and message of why not.
int check_index(const char *op, int index) {
    int count = 0;
    if (pt_cuda_device_count(&count) != PT_OK) return pt_fail(PT_ERR_UNSUPPORTED, "%s: %s", op, pt_last_error());
    if (index < 0 || index >= count || index >= kMaxDevices)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: no CUDA device cuda:%d (this machine has %d: cuda:0..cuda:%d)", op,
                       index, count, count - 1);
    return PT_OK;
}

// Creates the device's stream and configures its pool once; called with d.mutex held and the device current.
int ensure_ready(const char *op, int index, DeviceState &d) {
    if (d.ready) return PT_OK;
    cudaStream_t stream = nullptr;
    PT_CUDA_TRY(op, cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    cudaMemPool_t pool = nullptr;
    cudaError_t err = cudaDeviceGetDefaultMemPool(&pool, index);
    // Cache everything freed: the pool keeps it until pt_cuda_empty_cache (torch's caching allocator).
    uint64_t threshold = UINT64_MAX;
    if (err == cudaSuccess) err = cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &threshold);
    size_t free_bytes = 0, total_bytes = 0;
    if (err == cudaSuccess) err = cudaMemGetInfo(&free_bytes, &total_bytes);
    if (err != cudaSuccess) {
        cudaStreamDestroy(stream);
        return pt_cuda_fail(err, op, "setting up the memory pool");
    }
    d.stream = stream;
    d.pool = pool;
    d.total_memory = (int64_t)total_bytes;
    d.ready = true;
    return PT_OK;
}

// The allocation holding [address, address + bytes), or live.end(); caller holds d.mutex.
std::map<uintptr_t, int64_t>::const_iterator containing(const DeviceState &d, uintptr_t address) {
    auto it = d.live.upper_bound(address);
    if (it == d.live.begin()) return d.live.end();
    --it;
    return address < it->first + (uintptr_t)it->second ? it : d.live.end();
}

// Checks that [ptr, ptr + bytes) is memory of device `index`: a panoptim allocation (then within
// its bounds), or other device memory of that device that CUDA knows (the caller's own cudaMalloc).
int check_device_range(const char *op, const char *what, int index, DeviceState &d, const void *ptr, int64_t bytes) {
    if (ptr == nullptr) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s is NULL", op, what);
    uintptr_t address = (uintptr_t)ptr;
    auto it = containing(d, address);
    if (it != d.live.end()) {
        if (address + (uintptr_t)bytes > it->first + (uintptr_t)it->second)
            return pt_fail(PT_ERR_INVALID_ARGUMENT,
                           "%s: %s %p + %lld bytes runs past the end of its allocation (%lld bytes at %p)", op, what, ptr,
                           (long long)bytes, (long long)it->second, (void *)it->first);
        return PT_OK;
    }
    cudaPointerAttributes attr;
    cudaError_t err = cudaPointerGetAttributes(&attr, ptr);
    if (err != cudaSuccess) {
        cudaGetLastError();
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s %p is not CUDA device memory (%s)", op, what, ptr,
                       cudaGetErrorString(err));
    }
    if (attr.type != cudaMemoryTypeDevice && attr.type != cudaMemoryTypeManaged)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s %p is host memory, but device memory of cuda:%d is expected", op,
                       what, ptr, index);
    if (attr.device != index)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s %p is memory of cuda:%d, not of cuda:%d", op, what, ptr,
                       attr.device, index);
    return PT_OK;
}

// Checks that `ptr` is host memory (pageable or pinned), not device memory.
int check_host(const char *op, const char *what, const void *ptr) {
    if (ptr == nullptr) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s is NULL", op, what);
    cudaPointerAttributes attr;
    if (cudaPointerGetAttributes(&attr, ptr) != cudaSuccess) {
        cudaGetLastError();  // unknown to CUDA: ordinary host memory
        return PT_OK;
    }
    if (attr.type == cudaMemoryTypeDevice)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s %p is device memory of cuda:%d, but host memory is expected", op,
                       what, ptr, attr.device);
    return PT_OK;
}

// Runs `body(d)` for device `index` with its stream and pool ready, its mutex held and the device
// current. Returns the first failing status.
template <class Body>
int with_device(const char *op, int index, Body body) {
    // A bad PANOPTIM_CUDA_BACKEND is reported by the first CUDA call that reaches a device (backend.cu).
    int s = pt_cuda_backend_check(op);
    if (s != PT_OK) return s;
    s = check_index(op, index);
    if (s != PT_OK) return s;
    DeviceState &d = g_devices[index];
    std::lock_guard<std::mutex> lock(d.mutex);
    DeviceGuard guard(index);
    if (guard.status() != cudaSuccess) return pt_cuda_fail(guard.status(), op, "cudaSetDevice");
    s = ensure_ready(op, index, d);
    if (s != PT_OK) return s;
    return body(d);
}

}  // namespace

// ------------------------------------------------------------------ devices and streams

extern "C" int pt_cuda_current(int *index, cudaStream_t *stream) {
    const char *op = "pt_cuda_current";
    int count = 0;
    if (pt_cuda_device_count(&count) != PT_OK) return pt_fail(PT_ERR_UNSUPPORTED, "%s", pt_last_error());
    int current = 0;
    PT_CUDA_TRY(op, cudaGetDevice(&current));
    return with_device(op, current, [&](DeviceState &d) {
        if (index != nullptr) *index = current;
        if (stream != nullptr) *stream = d.stream;
        return (int)PT_OK;
    });
}

extern "C" int pt_cuda_device_info(int index, char *name, int64_t name_capacity, int64_t *total_memory, int *cc_major,
                                   int *cc_minor, int *multiprocessors) {
    const char *op = "pt_cuda_device_info";
    if (name != nullptr && name_capacity < 1)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: name_capacity must be >= 1, got %lld", op, (long long)name_capacity);
    int s = check_index(op, index);
    if (s != PT_OK) return s;
    cudaDeviceProp prop;
    PT_CUDA_TRY(op, cudaGetDeviceProperties(&prop, index));
    if (name != nullptr) {
        int64_t i = 0;
        for (; i < name_capacity - 1 && i < (int64_t)sizeof prop.name && prop.name[i] != '\0'; i++) name[i] = prop.name[i];
        name[i] = '\0';
    }
    if (total_memory != nullptr) *total_memory = (int64_t)prop.totalGlobalMem;
    if (cc_major != nullptr) *cc_major = prop.major;
    if (cc_minor != nullptr) *cc_minor = prop.minor;
    if (multiprocessors != nullptr) *multiprocessors = prop.multiProcessorCount;
    return PT_OK;
}

extern "C" int pt_cuda_set_device(int index) {
    const char *op = "pt_cuda_set_device";
    int s = check_index(op, index);
    if (s != PT_OK) return s;
    PT_CUDA_TRY(op, cudaSetDevice(index));
    return PT_OK;
}

extern "C" int pt_cuda_stream(int index, void **stream) {
    const char *op = "pt_cuda_stream";
    if (stream == nullptr) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: stream is NULL", op);
    return with_device(op, index, [&](DeviceState &d) {
        *stream = (void *)d.stream;
        return (int)PT_OK;
    });
}

// ------------------------------------------------------------------ memory

extern "C" int pt_cuda_malloc(int index, int64_t bytes, void **ptr) {
    const char *op = "pt_cuda_malloc";
    if (ptr == nullptr) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: ptr is NULL", op);
    *ptr = nullptr;
    if (bytes < 0) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: bytes must be >= 0, got %lld", op, (long long)bytes);
    return with_device(op, index, [&](DeviceState &d) {
        if (bytes == 0) return (int)PT_OK;
        PT_TRY(pt_cuda_capture_refuse(op, index, PT_CAPTURE_ALLOCATION));
        if (bytes > d.total_memory)
            return pt_fail(PT_ERR_OUT_OF_MEMORY, "%s: out of memory: %lld bytes asked of cuda:%d, which has %lld in all", op,
                           (long long)bytes, index, (long long)d.total_memory);
        void *p = nullptr;
        cudaError_t err = cudaMallocAsync(&p, (size_t)bytes, d.stream);
        if (err == cudaErrorMemoryAllocation) {
            // As torch does on OOM: give the cached memory back to the device and try once more.
            cudaGetLastError();
            cudaStreamSynchronize(d.stream);
            cudaMemPoolTrimTo(d.pool, 0);
            err = cudaMallocAsync(&p, (size_t)bytes, d.stream);
        }
        if (err != cudaSuccess) {
            cudaGetLastError();
            if (err == cudaErrorMemoryAllocation)
                return pt_fail(PT_ERR_OUT_OF_MEMORY,
                               "%s: out of memory on cuda:%d allocating %lld bytes (%lld bytes allocated by panoptim)", op,
                               index, (long long)bytes, (long long)d.allocated);
            return pt_cuda_fail(err, op, "cudaMallocAsync");
        }
        d.live[(uintptr_t)p] = bytes;
        d.allocated += bytes;
        *ptr = p;
        return (int)PT_OK;
    });
}

extern "C" int pt_cuda_free(int index, void *ptr) {
    const char *op = "pt_cuda_free";
    if (ptr == nullptr) return check_index(op, index);
    return with_device(op, index, [&](DeviceState &d) {
        PT_TRY(pt_cuda_capture_refuse(op, index, PT_CAPTURE_ALLOCATION));
        auto it = d.live.find((uintptr_t)ptr);
        if (it == d.live.end())
            return pt_fail(PT_ERR_INVALID_ARGUMENT,
                           "%s: %p was not allocated by pt_cuda_malloc on cuda:%d, or was already freed", op, ptr, index);
        PT_CUDA_TRY(op, cudaFreeAsync(ptr, d.stream));
        d.allocated -= it->second;
        d.live.erase(it);
        return (int)PT_OK;
    });
}

extern "C" int pt_cuda_copy(int index, void *dst, const void *src, int64_t bytes, int kind) {
    const char *op = "pt_cuda_copy";
    if (bytes < 0) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: bytes must be >= 0, got %lld", op, (long long)bytes);
    if (kind != PT_COPY_HOST_TO_DEVICE && kind != PT_COPY_DEVICE_TO_HOST && kind != PT_COPY_DEVICE_TO_DEVICE)
        return pt_fail(PT_ERR_INVALID_ARGUMENT,
                       "%s: unknown copy kind %d (1 = host to device, 2 = device to host, 3 = device to device)", op, kind);
    return with_device(op, index, [&](DeviceState &d) {
        if (bytes == 0) return (int)PT_OK;
        const bool dst_device = kind != PT_COPY_DEVICE_TO_HOST, src_device = kind != PT_COPY_HOST_TO_DEVICE;
        int s = dst_device ? check_device_range(op, "destination", index, d, dst, bytes) : check_host(op, "destination", dst);
        if (s == PT_OK) s = src_device ? check_device_range(op, "source", index, d, src, bytes) : check_host(op, "source", src);
        if (s != PT_OK) return s;
        if (kind == PT_COPY_HOST_TO_DEVICE)
            PT_TRY(pt_cuda_capture_refuse(op, index,
                                          "host -> device copy during CUDA graph capture: the graph would keep reading "
                                          "the host source at every replay, after the caller freed or changed it (copy "
                                          "before capturing, or keep the values in device memory)"));
        if (kind == PT_COPY_DEVICE_TO_HOST)
            PT_TRY(pt_cuda_capture_refuse(op, index, "device -> host copy during CUDA graph capture: " PT_CAPTURE_SYNC));
        const cudaMemcpyKind k = kind == PT_COPY_HOST_TO_DEVICE   ? cudaMemcpyHostToDevice
                                 : kind == PT_COPY_DEVICE_TO_HOST ? cudaMemcpyDeviceToHost
                                                                  : cudaMemcpyDeviceToDevice;
        PT_CUDA_TRY(op, cudaMemcpyAsync(dst, src, (size_t)bytes, k, d.stream));
        // The host reads the result on return: wait for the queued work and the copy.
        if (kind == PT_COPY_DEVICE_TO_HOST) PT_CUDA_TRY(op, cudaStreamSynchronize(d.stream));
        return (int)PT_OK;
    });
}

extern "C" int pt_cuda_memset(int index, void *ptr, int value, int64_t bytes) {
    const char *op = "pt_cuda_memset";
    if (bytes < 0) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: bytes must be >= 0, got %lld", op, (long long)bytes);
    return with_device(op, index, [&](DeviceState &d) {
        if (bytes == 0) return (int)PT_OK;
        int s = check_device_range(op, "ptr", index, d, ptr, bytes);
        if (s != PT_OK) return s;
        PT_CUDA_TRY(op, cudaMemsetAsync(ptr, value, (size_t)bytes, d.stream));
        return (int)PT_OK;
    });
}

extern "C" int pt_cuda_synchronize(int index) {
    const char *op = "pt_cuda_synchronize";
    return with_device(op, index, [&](DeviceState &d) {
        PT_TRY(pt_cuda_capture_refuse(op, index, "synchronization during CUDA graph capture: " PT_CAPTURE_SYNC));
        PT_CUDA_TRY(op, cudaStreamSynchronize(d.stream));
        return (int)PT_OK;
    });
}

extern "C" int pt_cuda_memory_stats(int index, int64_t *allocated, int64_t *reserved) {
    const char *op = "pt_cuda_memory_stats";
    return with_device(op, index, [&](DeviceState &d) {
        if (reserved != nullptr) {
            uint64_t bytes = 0;
            PT_CUDA_TRY(op, cudaMemPoolGetAttribute(d.pool, cudaMemPoolAttrReservedMemCurrent, &bytes));
            *reserved = (int64_t)bytes;
        }
        if (allocated != nullptr) *allocated = d.allocated;
        return (int)PT_OK;
    });
}

extern "C" int pt_cuda_empty_cache(int index) {
    const char *op = "pt_cuda_empty_cache";
    return with_device(op, index, [&](DeviceState &d) {
        PT_TRY(pt_cuda_capture_refuse(op, index, "emptying the cache during CUDA graph capture: " PT_CAPTURE_SYNC));
        // Frees queued on the stream return their blocks to the pool only once the stream reaches them.
        PT_CUDA_TRY(op, cudaStreamSynchronize(d.stream));
        PT_CUDA_TRY(op, cudaMemPoolTrimTo(d.pool, 0));
        return (int)PT_OK;
    });
}

// ------------------------------------------------------------------ pinned host memory and uploads
//
// torch's pin_memory + non_blocking copy on a side stream: each device gets a second stream, the
// copy stream, on which uploads run while panoptim's stream computes. An upload first makes the copy
// stream wait for the work queued on panoptim's stream before it (an event), so it may overwrite a
// buffer that earlier kernels still read; then it records its own event, which a join makes
// panoptim's stream wait for (on the device) and a wait makes the host wait for. Events sit in a
// ring indexed by ticket: a ticket whose event was reused by a later upload waits for that later
// one instead, which is also done after it (one stream, in order).

namespace {

constexpr int kUploadEvents = 32;

struct UploadState {
    std::mutex mutex;
    bool ready = false;
    cudaStream_t stream = nullptr;
    cudaEvent_t compute_done = nullptr;  // recorded on panoptim's stream before each upload
    cudaEvent_t done[kUploadEvents] = {};
    int64_t next_ticket = 1;  // tickets start at 1 so that 0 can mean "none"
};

UploadState g_uploads[kMaxDevices];

int ensure_uploads(const char *op, UploadState &u) {
    if (u.ready) return PT_OK;
    PT_CUDA_TRY(op, cudaStreamCreateWithFlags(&u.stream, cudaStreamNonBlocking));
    PT_CUDA_TRY(op, cudaEventCreateWithFlags(&u.compute_done, cudaEventDisableTiming));
    for (cudaEvent_t &e : u.done) PT_CUDA_TRY(op, cudaEventCreateWithFlags(&e, cudaEventDisableTiming));
    u.ready = true;
    return PT_OK;
}

// The event of `ticket` (an issued one) or an error naming it.
int upload_event(const char *op, int index, const UploadState &u, int64_t ticket, cudaEvent_t *event) {
    if (ticket < 1 || ticket >= u.next_ticket)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: no upload %lld on cuda:%d (tickets issued: 1..%lld)", op,
                       (long long)ticket, index, (long long)(u.next_ticket - 1));
    *event = u.done[ticket % kUploadEvents];
    return PT_OK;
}

}  // namespace

extern "C" int pt_cuda_host_alloc(int64_t bytes, void **ptr) {
    const char *op = "pt_cuda_host_alloc";
    if (ptr == nullptr) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: ptr is NULL", op);
    *ptr = nullptr;
    if (bytes < 0) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: bytes must be >= 0, got %lld", op, (long long)bytes);
    if (bytes == 0) return PT_OK;
    int count = 0;
    PT_TRY(pt_cuda_device_count(&count));
    const cudaError_t err = cudaMallocHost(ptr, (size_t)bytes);
    if (err == cudaErrorMemoryAllocation) {
        cudaGetLastError();
        return pt_fail(PT_ERR_OUT_OF_MEMORY, "%s: cannot pin %lld bytes of host memory", op, (long long)bytes);
    }
    PT_CUDA_TRY(op, err);
    return PT_OK;
}

extern "C" int pt_cuda_host_free(void *ptr) {
    const char *op = "pt_cuda_host_free";
    if (ptr == nullptr) return PT_OK;
    cudaPointerAttributes attr;
    if (cudaPointerGetAttributes(&attr, ptr) != cudaSuccess || attr.type != cudaMemoryTypeHost) {
        cudaGetLastError();
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %p is not pinned memory from pt_cuda_host_alloc", op, ptr);
    }
    PT_CUDA_TRY(op, cudaFreeHost(ptr));
    return PT_OK;
}

extern "C" int pt_cuda_upload(int index, void *dst, const void *src, int64_t bytes, int64_t *ticket) {
    const char *op = "pt_cuda_upload";
    if (ticket == nullptr) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: ticket is NULL", op);
    if (bytes < 0) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: bytes must be >= 0, got %lld", op, (long long)bytes);
    return with_device(op, index, [&](DeviceState &d) {
        int s = bytes == 0 ? (int)PT_OK : check_device_range(op, "destination", index, d, dst, bytes);
        if (s == PT_OK && bytes != 0) s = check_host(op, "source", src);
        if (s != PT_OK) return s;
        UploadState &u = g_uploads[index];
        std::lock_guard<std::mutex> lock(u.mutex);
        PT_TRY(ensure_uploads(op, u));
        PT_CUDA_TRY(op, cudaEventRecord(u.compute_done, d.stream));
        PT_CUDA_TRY(op, cudaStreamWaitEvent(u.stream, u.compute_done, 0));
        if (bytes != 0) PT_CUDA_TRY(op, cudaMemcpyAsync(dst, src, (size_t)bytes, cudaMemcpyHostToDevice, u.stream));
        const int64_t t = u.next_ticket;
        PT_CUDA_TRY(op, cudaEventRecord(u.done[t % kUploadEvents], u.stream));
        u.next_ticket = t + 1;
        *ticket = t;
        return (int)PT_OK;
    });
}

extern "C" int pt_cuda_upload_join(int index, int64_t ticket) {
    const char *op = "pt_cuda_upload_join";
    return with_device(op, index, [&](DeviceState &d) {
        UploadState &u = g_uploads[index];
        std::lock_guard<std::mutex> lock(u.mutex);
        cudaEvent_t event = nullptr;
        PT_TRY(upload_event(op, index, u, ticket, &event));
        PT_CUDA_TRY(op, cudaStreamWaitEvent(d.stream, event, 0));
        return (int)PT_OK;
    });
}

extern "C" int pt_cuda_upload_wait(int index, int64_t ticket) {
    const char *op = "pt_cuda_upload_wait";
    cudaEvent_t event = nullptr;
    int s = with_device(op, index, [&](DeviceState &) {
        UploadState &u = g_uploads[index];
        std::lock_guard<std::mutex> lock(u.mutex);
        return upload_event(op, index, u, ticket, &event);
    });
    if (s != PT_OK) return s;
    // Outside the device's lock: other threads keep queueing work while this one waits.
    PT_CUDA_TRY(op, cudaEventSynchronize(event));
    return PT_OK;
}
