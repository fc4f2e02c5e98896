// CUDA runtime facts for `panoptim info`. The library links cudart statically, so it loads on
// machines with no driver; this file turns "no driver" / "no device" into a status and a reason.
#include <cuda_runtime.h>

#include "api/error.h"

extern "C" int pt_cuda_compiled(void) { return 1; }

extern "C" int pt_cuda_device_count(int *count) {
    if (count == nullptr) return pt_fail(PT_ERR_INVALID_ARGUMENT, "count must not be NULL");
    *count = 0;
    int n = 0;
    cudaError_t err = cudaGetDeviceCount(&n);
    if (err != cudaSuccess) {
        cudaGetLastError();  // clear the sticky-free error so later calls start clean
        return pt_fail(PT_ERR_UNSUPPORTED, "CUDA is compiled in but unusable: %s (%s)",
                       cudaGetErrorString(err), cudaGetErrorName(err));
    }
    if (n == 0) return pt_fail(PT_ERR_UNSUPPORTED, "CUDA is compiled in but no CUDA device was found");
    *count = n;
    return PT_OK;
}
