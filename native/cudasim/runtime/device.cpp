// The simulated devices: PANOPTIM_CUDA_SIM_DEVICES of them (default 1), each with an H100/H200's
// sm_90 limits, so that launch configurations a GPU rejects are rejected here too.
#include <cstdlib>
#include <map>

#include "runtime.h"

namespace pt_sim {
namespace {
thread_local int current = 0;
std::mutex attribute_mutex;
std::map<const void *, size_t> dynamic_shared_limits;  // raised with cudaFuncSetAttribute

int device_count() {
    static const int count = [] {
        const char *env = std::getenv("PANOPTIM_CUDA_SIM_DEVICES");
        int n = env ? std::atoi(env) : 1;
        return n >= 1 && n <= 16 ? n : 1;
    }();
    return count;
}

cudaError_t check_device(const char *call, int device) {
    if (device < 0 || device >= device_count())
        return fail(cudaErrorInvalidDevice, "%s: device %d does not exist (%d simulated device(s))", call, device, device_count());
    return cudaSuccess;
}
}  // namespace

int current_device() { return current; }

size_t dynamic_shared_limit(const void *kernel) {
    std::lock_guard<std::mutex> lock(attribute_mutex);
    auto it = dynamic_shared_limits.find(kernel);
    return it == dynamic_shared_limits.end() ? kDefaultDynamicSharedLimit : it->second;
}
}  // namespace pt_sim

cudaError_t cudaGetDeviceCount(int *count) {
    if (count == nullptr) return pt_sim::fail(cudaErrorInvalidValue, "cudaGetDeviceCount: count is NULL");
    *count = pt_sim::device_count();
    return cudaSuccess;
}

cudaError_t cudaSetDevice(int device) {
    cudaError_t e = pt_sim::check_device("cudaSetDevice", device);
    if (e == cudaSuccess) pt_sim::current = device;
    return e;
}

cudaError_t cudaGetDevice(int *device) {
    if (device == nullptr) return pt_sim::fail(cudaErrorInvalidValue, "cudaGetDevice: device is NULL");
    *device = pt_sim::current;
    return cudaSuccess;
}

cudaError_t cudaGetDeviceProperties(cudaDeviceProp *prop, int device) {
    if (prop == nullptr) return pt_sim::fail(cudaErrorInvalidValue, "cudaGetDeviceProperties: prop is NULL");
    cudaError_t e = pt_sim::check_device("cudaGetDeviceProperties", device);
    if (e != cudaSuccess) return e;
    *prop = cudaDeviceProp{};
    std::strncpy(prop->name, "panoptim CUDA simulator (sm_90 limits, on the CPU)", sizeof prop->name - 1);
    size_t free_bytes = 0;
    cudaMemGetInfo(&free_bytes, &prop->totalGlobalMem);
    prop->sharedMemPerBlock = pt_sim::kDefaultDynamicSharedLimit;
    prop->sharedMemPerBlockOptin = pt_sim::kMaxSharedPerBlock;
    prop->sharedMemPerMultiprocessor = 228 * 1024;
    prop->regsPerBlock = 65536;
    prop->warpSize = pt_sim::kWarpSize;
    prop->maxThreadsPerBlock = (int)pt_sim::kMaxThreadsPerBlock;
    for (int i = 0; i < 3; i++) {
        prop->maxThreadsDim[i] = (int)pt_sim::kMaxBlockDim[i];
        prop->maxGridSize[i] = (int)pt_sim::kMaxGridDim[i];
    }
    prop->major = 9;
    prop->minor = 0;
    prop->multiProcessorCount = 132;
    prop->maxThreadsPerMultiProcessor = 2048;
    prop->l2CacheSize = 50 * 1024 * 1024;
    prop->memoryPoolsSupported = 1;
    return cudaSuccess;
}

cudaError_t cudaDeviceGetAttribute(int *value, cudaDeviceAttr attr, int device) {
    if (value == nullptr) return pt_sim::fail(cudaErrorInvalidValue, "cudaDeviceGetAttribute: value is NULL");
    cudaDeviceProp p;
    cudaError_t e = cudaGetDeviceProperties(&p, device);
    if (e != cudaSuccess) return e;
    switch (attr) {
    case cudaDevAttrMaxThreadsPerBlock: *value = p.maxThreadsPerBlock; break;
    case cudaDevAttrMaxBlockDimX: *value = p.maxThreadsDim[0]; break;
    case cudaDevAttrMaxBlockDimY: *value = p.maxThreadsDim[1]; break;
    case cudaDevAttrMaxBlockDimZ: *value = p.maxThreadsDim[2]; break;
    case cudaDevAttrMaxGridDimX: *value = p.maxGridSize[0]; break;
    case cudaDevAttrMaxGridDimY: *value = p.maxGridSize[1]; break;
    case cudaDevAttrMaxGridDimZ: *value = p.maxGridSize[2]; break;
    case cudaDevAttrMaxSharedMemoryPerBlock: *value = (int)p.sharedMemPerBlock; break;
    case cudaDevAttrWarpSize: *value = p.warpSize; break;
    case cudaDevAttrMultiProcessorCount: *value = p.multiProcessorCount; break;
    case cudaDevAttrL2CacheSize: *value = p.l2CacheSize; break;
    case cudaDevAttrComputeCapabilityMajor: *value = p.major; break;
    case cudaDevAttrComputeCapabilityMinor: *value = p.minor; break;
    case cudaDevAttrMaxSharedMemoryPerBlockOptin: *value = (int)p.sharedMemPerBlockOptin; break;
    case cudaDevAttrMemoryPoolsSupported: *value = 1; break;
    default: return pt_sim::fail(cudaErrorInvalidValue, "cudaDeviceGetAttribute: attribute %d is not simulated", (int)attr);
    }
    return cudaSuccess;
}

cudaError_t cudaDriverGetVersion(int *version) {
    if (version == nullptr) return pt_sim::fail(cudaErrorInvalidValue, "cudaDriverGetVersion: version is NULL");
    *version = CUDART_VERSION;
    return cudaSuccess;
}

cudaError_t cudaRuntimeGetVersion(int *version) { return cudaDriverGetVersion(version); }

cudaError_t cudaFuncSetAttribute(const void *func, cudaFuncAttribute attr, int value) {
    if (func == nullptr) return pt_sim::fail(cudaErrorInvalidDeviceFunction, "cudaFuncSetAttribute: NULL kernel");
    if (attr != cudaFuncAttributeMaxDynamicSharedMemorySize) return cudaSuccess;  // carveout: a hint
    if (value < 0 || (size_t)value + pt_sim::static_shared_bytes() > pt_sim::kMaxSharedPerBlock)
        return pt_sim::fail(cudaErrorInvalidValue,
                            "cudaFuncSetAttribute: %d bytes of dynamic shared memory (plus %zu static) exceed sm_90's %zu per block",
                            value, pt_sim::static_shared_bytes(), pt_sim::kMaxSharedPerBlock);
    std::lock_guard<std::mutex> lock(pt_sim::attribute_mutex);
    pt_sim::dynamic_shared_limits[func] = (size_t)value;
    return cudaSuccess;
}
