// Device memory of the simulator: host memory registered as device allocations, so that every
// pointer handed to a copy or a kernel can be checked against what a GPU would accept. New device
// allocations are filled with the poison byte (a float NaN), so a kernel reading memory that
// nothing wrote shows NaN instead of the zeros a fresh host page would give.
#include <cstdlib>
#include <map>
#include <unistd.h>

#include "runtime.h"

namespace pt_sim {
namespace {
constexpr size_t kAlignment = 256;  // cudaMalloc's guarantee

std::mutex registry_mutex;
std::map<uintptr_t, Allocation> registry;  // by base address
size_t used_bytes = 0, used_high = 0;

struct MemPool {
    size_t release_threshold = 0;
};
MemPool default_pool;

[[maybe_unused]] size_t round_up(size_t n) { return (n + kAlignment - 1) / kAlignment * kAlignment; }

cudaError_t allocate(void **ptr, size_t bytes, AllocKind kind, const char *call) {
    if (ptr == nullptr) return fail(cudaErrorInvalidValue, "%s: the output pointer is NULL", call);
    *ptr = nullptr;
    if (bytes == 0) return cudaSuccess;
#if defined(PT_SIM_ASAN)
    // Exactly `bytes`: AddressSanitizer reports any access past them as a heap-buffer-overflow, as
    // compute-sanitizer would, even inside the padding a GPU allocation would have.
    size_t padded = bytes;
#else
    size_t padded = round_up(bytes);
#endif
    void *p = nullptr;
    if (posix_memalign(&p, kAlignment, padded) != 0) p = nullptr;
    if (p == nullptr) return fail(cudaErrorMemoryAllocation, "%s: cannot allocate %zu bytes", call, bytes);
    std::memset(p, kPoisonByte, padded);
    std::lock_guard<std::mutex> lock(registry_mutex);
    registry[reinterpret_cast<uintptr_t>(p)] = Allocation{reinterpret_cast<uintptr_t>(p), bytes, kind, current_device()};
    if (kind == AllocKind::kDevice) {
        used_bytes += bytes;
        if (used_bytes > used_high) used_high = used_bytes;
    }
    *ptr = p;
    return cudaSuccess;
}

cudaError_t release(void *ptr, AllocKind kind, const char *call) {
    if (ptr == nullptr) return cudaSuccess;
    size_t bytes;
    {
        std::lock_guard<std::mutex> lock(registry_mutex);
        auto it = registry.find(reinterpret_cast<uintptr_t>(ptr));
        if (it == registry.end() || it->second.kind != kind)
            return fail(cudaErrorInvalidValue, "%s(%p): not the start of a live %s allocation", call, ptr,
                        kind == AllocKind::kDevice ? "device" : "pinned host");
        bytes = it->second.bytes;
        if (kind == AllocKind::kDevice) used_bytes -= bytes;
        registry.erase(it);
    }
    std::free(ptr);
    return cudaSuccess;
}

const char *kind_name(cudaMemcpyKind kind) {
    switch (kind) {
    case cudaMemcpyHostToHost: return "cudaMemcpyHostToHost";
    case cudaMemcpyHostToDevice: return "cudaMemcpyHostToDevice";
    case cudaMemcpyDeviceToHost: return "cudaMemcpyDeviceToHost";
    case cudaMemcpyDeviceToDevice: return "cudaMemcpyDeviceToDevice";
    default: return "cudaMemcpyDefault";
    }
}

// A side of a copy: device memory must lie inside one device allocation; host memory must not be
// device memory (pinned host memory is host memory).
cudaError_t check_side(const char *call, const char *side, const void *p, size_t bytes, bool device, cudaMemcpyKind kind) {
    Allocation a;
    bool found = find_allocation(p, 0, &a);
    bool is_device = found && a.kind == AllocKind::kDevice;
    if (device) {
        if (!is_device)
            return fail(cudaErrorInvalidValue, "%s(%s): the %s %p is not device memory%s", call, kind_name(kind), side, p,
                        found ? " (it is pinned host memory)" : " (a host pointer?)");
        if (!find_allocation(p, bytes, &a))
            return fail(cudaErrorInvalidValue,
                        "%s(%s): %zu bytes at the %s %p run past the end of its allocation (%zu bytes at %p)", call,
                        kind_name(kind), bytes, side, p, a.bytes, reinterpret_cast<void *>(a.base));
    } else if (is_device) {
        return fail(cudaErrorInvalidValue, "%s(%s): the %s %p is device memory, not host memory", call, kind_name(kind), side, p);
    }
    return cudaSuccess;
}

cudaError_t check_copy(const char *call, void *dst, const void *src, size_t bytes, cudaMemcpyKind kind) {
    if (bytes == 0) return cudaSuccess;
    if (dst == nullptr || src == nullptr) return fail(cudaErrorInvalidValue, "%s: a NULL pointer for %zu bytes", call, bytes);
    if (kind == cudaMemcpyDefault) return cudaSuccess;  // any memory the runtime knows, as with UVA
    if (kind < cudaMemcpyHostToHost || kind > cudaMemcpyDefault)
        return fail(cudaErrorInvalidMemcpyDirection, "%s: unknown copy kind %d", call, (int)kind);
    bool dst_device = kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice;
    bool src_device = kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice;
    cudaError_t e = check_side(call, "destination", dst, bytes, dst_device, kind);
    if (e != cudaSuccess) return e;
    return check_side(call, "source", src, bytes, src_device, kind);
}
}  // namespace

// On a capturing stream both sides must be memory a replay can read then: device or pinned host.
cudaError_t check_capturable_copy(void *dst, const void *src, cudaStream_t stream) {
    for (const void *p : {static_cast<const void *>(dst), src}) {
        Allocation a;
        if (!find_allocation(p, 0, &a)) {
            std::lock_guard<std::recursive_mutex> lock(queue_mutex());
            return refuse_in_capture(resolve_stream(stream), "cudaMemcpyAsync",
                                     "a copy from or to pageable host memory cannot be captured (a graph reads its "
                                     "memory at each replay): use device memory or pinned memory (cudaMallocHost)");
        }
    }
    return cudaSuccess;
}

// `op` of a copy or memset, for a graph: at each replay the memory must still be allocated.
Operation checked_at_replay(const char *call, const void *a, const void *b, size_t bytes, Operation op) {
    return [=]() {
        for (const void *p : {a, b})
            if (p != nullptr && !find_allocation(p, bytes, nullptr))
                return fail(cudaErrorIllegalAddress,
                            "%s at a CUDA graph replay: %zu bytes at %p are no longer allocated (freed since the capture)",
                            call, bytes, p);
        return op();
    };
}

cudaError_t allocate_device(void **ptr, size_t bytes, const char *call) { return allocate(ptr, bytes, AllocKind::kDevice, call); }
cudaError_t release_device(void *ptr, const char *call) { return release(ptr, AllocKind::kDevice, call); }

bool find_allocation(const void *p, size_t bytes, Allocation *out) {
    uintptr_t a = reinterpret_cast<uintptr_t>(p);
    std::lock_guard<std::mutex> lock(registry_mutex);
    auto it = registry.upper_bound(a);
    if (it == registry.begin()) return false;
    --it;
    const Allocation &al = it->second;
    if (a > al.base + al.bytes) return false;
    if (out) *out = al;
    return a + bytes <= al.base + al.bytes && (bytes == 0 || a < al.base + al.bytes);
}
}  // namespace pt_sim

using pt_sim::AllocKind;

cudaError_t cudaMalloc(void **ptr, size_t bytes) {
    cudaError_t e = pt_sim::check_unsafe_call("cudaMalloc");
    return e != cudaSuccess ? e : pt_sim::allocate(ptr, bytes, AllocKind::kDevice, "cudaMalloc");
}

cudaError_t cudaFree(void *ptr) {
    if (cudaError_t e = pt_sim::check_unsafe_call("cudaFree"); e != cudaSuccess) return e;
    // cudaFree waits for the device, as on a GPU: queued work may still use the memory.
    cudaError_t e = pt_sim::synchronize_all();
    cudaError_t r = pt_sim::release(ptr, AllocKind::kDevice, "cudaFree");
    return e != cudaSuccess ? e : r;
}

cudaError_t cudaMallocAsync(void **ptr, size_t bytes, cudaStream_t stream) {
    if (pt_sim::is_capturing(stream)) return pt_sim::capture_malloc(ptr, bytes, stream);
    return pt_sim::allocate(ptr, bytes, AllocKind::kDevice, "cudaMallocAsync");
}

cudaError_t cudaFreeAsync(void *ptr, cudaStream_t stream) {
    if (ptr == nullptr) return cudaSuccess;
    if (pt_sim::is_capturing(stream)) return pt_sim::capture_free(ptr, stream);
    pt_sim::Allocation a;
    if (!pt_sim::find_allocation(ptr, 0, &a) || a.base != reinterpret_cast<uintptr_t>(ptr) || a.kind != AllocKind::kDevice)
        return pt_sim::fail(cudaErrorInvalidValue, "cudaFreeAsync(%p): not the start of a live device allocation", ptr);
    return pt_sim::enqueue(stream, "cudaFreeAsync", [ptr]() { return pt_sim::release(ptr, AllocKind::kDevice, "cudaFreeAsync"); });
}

cudaError_t cudaMallocHost(void **ptr, size_t bytes) {
    if (cudaError_t e = pt_sim::check_unsafe_call("cudaMallocHost"); e != cudaSuccess) return e;
    return pt_sim::allocate(ptr, bytes, AllocKind::kPinnedHost, "cudaMallocHost");
}

cudaError_t cudaFreeHost(void *ptr) {
    if (cudaError_t e = pt_sim::check_unsafe_call("cudaFreeHost"); e != cudaSuccess) return e;
    cudaError_t e = pt_sim::synchronize_all();
    cudaError_t r = pt_sim::release(ptr, AllocKind::kPinnedHost, "cudaFreeHost");
    return e != cudaSuccess ? e : r;
}

cudaError_t cudaMemGetInfo(size_t *free_bytes, size_t *total_bytes) {
    size_t total = (size_t)sysconf(_SC_PHYS_PAGES) * (size_t)sysconf(_SC_PAGE_SIZE);
    size_t avail = (size_t)sysconf(_SC_AVPHYS_PAGES) * (size_t)sysconf(_SC_PAGE_SIZE);
    if (free_bytes) *free_bytes = avail;
    if (total_bytes) *total_bytes = total;
    return cudaSuccess;
}

cudaError_t cudaPointerGetAttributes(cudaPointerAttributes *attributes, const void *ptr) {
    if (attributes == nullptr) return pt_sim::fail(cudaErrorInvalidValue, "cudaPointerGetAttributes: attributes is NULL");
    pt_sim::Allocation a;
    *attributes = cudaPointerAttributes{cudaMemoryTypeUnregistered, -2, nullptr, const_cast<void *>(ptr)};
    if (ptr != nullptr && pt_sim::find_allocation(ptr, 0, &a) && reinterpret_cast<uintptr_t>(ptr) < a.base + a.bytes) {
        bool device = a.kind == AllocKind::kDevice;
        attributes->type = device ? cudaMemoryTypeDevice : cudaMemoryTypeHost;
        attributes->device = a.device;
        attributes->devicePointer = const_cast<void *>(ptr);
        attributes->hostPointer = device ? nullptr : const_cast<void *>(ptr);
    }
    return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t bytes, cudaMemcpyKind kind, cudaStream_t stream) {
    cudaError_t e = pt_sim::check_copy("cudaMemcpyAsync", dst, src, bytes, kind);
    if (e != cudaSuccess || bytes == 0) return e;
    if (pt_sim::is_capturing(stream)) {
        // A graph copies at each replay from the memory as it is then; pageable host memory
        // cannot be read by a replay (nor staged at capture, which would bake in its contents).
        e = pt_sim::check_capturable_copy(dst, src, stream);
        if (e != cudaSuccess) return e;
    } else if (kind == cudaMemcpyHostToDevice) {
        // CUDA stages pageable host memory at the call: the source may be reused on return.
        auto staged = std::make_shared<std::string>(static_cast<const char *>(src), bytes);
        return pt_sim::enqueue(stream, "cudaMemcpyAsync", [dst, staged]() {
            std::memcpy(dst, staged->data(), staged->size());
            return cudaSuccess;
        });
    }
    pt_sim::Operation copy = [dst, src, bytes]() {
        std::memmove(dst, src, bytes);
        return cudaSuccess;
    };
    return pt_sim::enqueue(stream, "cudaMemcpyAsync", copy, pt_sim::checked_at_replay("cudaMemcpyAsync", dst, src, bytes, copy));
}

cudaError_t cudaMemcpy(void *dst, const void *src, size_t bytes, cudaMemcpyKind kind) {
    if (cudaError_t e = pt_sim::check_unsafe_call("cudaMemcpy"); e != cudaSuccess) return e;
    cudaError_t e = pt_sim::check_copy("cudaMemcpy", dst, src, bytes, kind);
    if (e != cudaSuccess) return e;
    // Synchronous: on the legacy default stream, after all queued work.
    e = pt_sim::synchronize_all();
    if (e != cudaSuccess) return e;
    if (bytes) std::memmove(dst, src, bytes);
    return cudaSuccess;
}

cudaError_t cudaMemsetAsync(void *ptr, int value, size_t bytes, cudaStream_t stream) {
    if (bytes == 0) return cudaSuccess;
    pt_sim::Allocation a;
    if (!pt_sim::find_allocation(ptr, bytes, &a) || a.kind != AllocKind::kDevice)
        return pt_sim::fail(cudaErrorInvalidValue, "cudaMemsetAsync: %zu bytes at %p are not inside one device allocation",
                            bytes, ptr);
    pt_sim::Operation set = [ptr, value, bytes]() {
        std::memset(ptr, value, bytes);
        return cudaSuccess;
    };
    return pt_sim::enqueue(stream, "cudaMemsetAsync", set, pt_sim::checked_at_replay("cudaMemsetAsync", ptr, nullptr, bytes, set));
}

cudaError_t cudaMemset(void *ptr, int value, size_t bytes) { return cudaMemsetAsync(ptr, value, bytes, 0); }

cudaError_t cudaDeviceGetDefaultMemPool(cudaMemPool_t *pool, int device) {
    int count = 0;
    cudaGetDeviceCount(&count);
    if (pool == nullptr || device < 0 || device >= count)
        return pt_sim::fail(cudaErrorInvalidValue, "cudaDeviceGetDefaultMemPool: bad pool pointer or device %d", device);
    *pool = reinterpret_cast<cudaMemPool_t>(&pt_sim::default_pool);
    return cudaSuccess;
}

// The simulator's pool holds nothing back: reserved memory is the memory in use.
cudaError_t cudaMemPoolSetAttribute(cudaMemPool_t pool, cudaMemPoolAttr attr, void *value) {
    if (pool != reinterpret_cast<cudaMemPool_t>(&pt_sim::default_pool) || value == nullptr)
        return pt_sim::fail(cudaErrorInvalidValue, "cudaMemPoolSetAttribute: unknown pool or NULL value");
    if (attr == cudaMemPoolAttrReleaseThreshold) pt_sim::default_pool.release_threshold = *static_cast<uint64_t *>(value);
    return cudaSuccess;
}

cudaError_t cudaMemPoolGetAttribute(cudaMemPool_t pool, cudaMemPoolAttr attr, void *value) {
    if (pool != reinterpret_cast<cudaMemPool_t>(&pt_sim::default_pool) || value == nullptr)
        return pt_sim::fail(cudaErrorInvalidValue, "cudaMemPoolGetAttribute: unknown pool or NULL value");
    std::lock_guard<std::mutex> lock(pt_sim::registry_mutex);
    uint64_t v = 0;
    switch (attr) {
    case cudaMemPoolAttrReleaseThreshold: v = pt_sim::default_pool.release_threshold; break;
    case cudaMemPoolAttrReservedMemCurrent:
    case cudaMemPoolAttrUsedMemCurrent: v = pt_sim::used_bytes; break;
    case cudaMemPoolAttrReservedMemHigh:
    case cudaMemPoolAttrUsedMemHigh: v = pt_sim::used_high; break;
    default: *static_cast<int *>(value) = 1; return cudaSuccess;
    }
    *static_cast<uint64_t *>(value) = v;
    return cudaSuccess;
}

cudaError_t cudaMemPoolTrimTo(cudaMemPool_t pool, size_t) {
    if (pool != reinterpret_cast<cudaMemPool_t>(&pt_sim::default_pool))
        return pt_sim::fail(cudaErrorInvalidValue, "cudaMemPoolTrimTo: unknown pool");
    return cudaSuccess;
}
