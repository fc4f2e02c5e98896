/* Built instead of the CUDA sources when the library is compiled without nvcc. */
#include "api/error.h"

int pt_cuda_compiled(void) { return 0; }

int pt_cuda_device_count(int *count) {
    if (count) *count = 0;
    return pt_fail(PT_ERR_UNSUPPORTED,
                   "this libpanoptim was built without CUDA (nvcc was not found at build time)");
}
