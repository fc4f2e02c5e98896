// Kernel launches on the simulator: what a GPU rejects at launch is rejected here (sm_90's limits),
// what a GPU would fault on later is caught here first (pointer arguments that are not device
// memory, or whose extent runs past their allocation); the grid itself is queued on its stream.
#include <atomic>
#include <set>

#include "runtime.h"

namespace pt_sim {
namespace {
std::atomic<uint64_t> launches{0};
std::mutex names_mutex;
std::set<std::string> names;

bool valid_dims(dim3 d, const unsigned limit[3]) {
    return d.x >= 1 && d.y >= 1 && d.z >= 1 && d.x <= limit[0] && d.y <= limit[1] && d.z <= limit[2];
}
}  // namespace

const char *intern_kernel_name(const char *pretty) {
    std::string s = pretty;
    size_t at = s.find("Kernel = ");
    std::string name = at == std::string::npos ? s : s.substr(at + 9);
    size_t end = name.find_first_of(";]");
    if (end != std::string::npos) name = name.substr(0, end);
    if (name.rfind("(& ", 0) == 0) name = name.substr(3, name.size() - 4);
    if (name.rfind("& ", 0) == 0) name = name.substr(2);
    std::lock_guard<std::mutex> lock(names_mutex);
    return names.insert(name).first->c_str();
}

cudaError_t check_kernel_pointer(const char *kernel, int argument, const void *p, size_t bytes) {
    if (p == nullptr) return cudaSuccess;
    Allocation a;
    if (find_allocation(p, bytes, &a)) return cudaSuccess;
    if (find_allocation(p, 0, &a))
        return fail(cudaErrorIllegalAddress,
                    "kernel %s, argument %d: %zu bytes at %p run past the end of their allocation (%zu bytes at %p)",
                    kernel, argument, bytes, p, a.bytes, reinterpret_cast<void *>(a.base));
    return fail(cudaErrorIllegalAddress,
                "kernel %s, argument %d: %p is not device memory (a host pointer?); kernels can only use memory "
                "from cudaMalloc, cudaMallocAsync or cudaMallocHost",
                kernel, argument, p);
}

cudaError_t enqueue_launch(KernelLaunch &&l, cudaStream_t stream) {
    const char *k = l.name;
    unsigned threads = l.block.x * l.block.y * l.block.z;
    if (!valid_dims(l.block, kMaxBlockDim) || threads > kMaxThreadsPerBlock)
        return fail(cudaErrorInvalidConfiguration,
                    "kernel %s: block (%u,%u,%u) is not a valid sm_90 block (at most 1024 threads, dimensions <= (1024,1024,64))",
                    k, l.block.x, l.block.y, l.block.z);
    if (!valid_dims(l.grid, kMaxGridDim))
        return fail(cudaErrorInvalidConfiguration, "kernel %s: grid (%u,%u,%u) is not a valid sm_90 grid", k, l.grid.x, l.grid.y,
                    l.grid.z);
    size_t limit = dynamic_shared_limit(l.kernel);
    if (l.dynamic_shared > limit)
        return fail(cudaErrorInvalidValue,
                    "kernel %s: %zu bytes of dynamic shared memory exceed the %zu allowed (above 48 KB, raise it with "
                    "cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes))",
                    k, l.dynamic_shared, limit);
    if (l.dynamic_shared + static_shared_bytes() > kMaxSharedPerBlock)
        return fail(cudaErrorInvalidValue, "kernel %s: %zu bytes of dynamic plus %zu of static shared memory exceed sm_90's %zu",
                    k, l.dynamic_shared, static_shared_bytes(), kMaxSharedPerBlock);
    if (l.param_bytes > kMaxKernelParamBytes)
        return fail(cudaErrorInvalidValue, "kernel %s: %zu bytes of kernel arguments exceed sm_90's %zu", k, l.param_bytes,
                    kMaxKernelParamBytes);
    auto launch = std::make_shared<KernelLaunch>(std::move(l));
    uint64_t index = launches++;
    Operation replay = [launch, index]() {
        cudaError_t e = launch->recheck_pointers();
        if (e != cudaSuccess)
            return fail(e, "%s (at a CUDA graph replay: memory the kernel was captured with has been freed since)",
                        cudaGetErrorString(e));
        return run_grid(*launch, index);
    };
    return enqueue(stream, "kernel launch", [launch, index]() { return run_grid(*launch, index); }, std::move(replay));
}
}  // namespace pt_sim
