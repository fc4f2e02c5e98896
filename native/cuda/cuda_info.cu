// CUDA runtime facts for `panoptim info`. The library links cudart statically, so it loads on
// machines with no driver; this file turns "no driver" / "no device" into a status and a reason.
#include <cuda_runtime.h>
#include <dlfcn.h>

#include "api/error.h"

extern "C" int pt_cuda_compiled(void) { return 1; }

// cudart reports a missing driver as "insufficient driver"; probing libcuda tells the two apart.
static bool driver_library_present(void) {
    void *handle = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_NOLOAD);
    if (handle == nullptr) handle = dlopen("libcuda.so.1", RTLD_LAZY);
    if (handle == nullptr) return false;
    dlclose(handle);
    return true;
}

extern "C" int pt_cuda_device_count(int *count) {
    if (count == nullptr) return pt_fail(PT_ERR_INVALID_ARGUMENT, "pt_cuda_device_count: count is NULL");
    *count = 0;
    if (!driver_library_present())
        return pt_fail(PT_ERR_UNSUPPORTED, "CUDA is compiled in but no NVIDIA driver is installed (libcuda.so.1 not found)");
    int n = 0;
    cudaError_t err = cudaGetDeviceCount(&n);
    if (err != cudaSuccess) {
        cudaGetLastError();  // clear it so later calls start clean
        return pt_fail(PT_ERR_UNSUPPORTED, "CUDA is compiled in but unusable: %s (%s)", cudaGetErrorString(err),
                       cudaGetErrorName(err));
    }
    if (n == 0) return pt_fail(PT_ERR_UNSUPPORTED, "CUDA is compiled in but no CUDA device was found");
    *count = n;
    return PT_OK;
}
