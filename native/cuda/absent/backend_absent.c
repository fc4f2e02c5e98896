/* Built instead of native/cuda/backend.cu without nvcc: the backend switch exists, but no CUDA backend
 * can run, so only "own" (which then fails like every CUDA call) can be chosen. */
#include <stdio.h>

#include "api/error.h"

int pt_cuda_set_backend(int backend) {
    if (backend == PT_CUDA_BACKEND_OWN) return PT_OK;
    if (backend == PT_CUDA_BACKEND_VENDOR)
        return pt_fail(PT_ERR_UNSUPPORTED,
                       "pt_cuda_set_backend: cannot choose vendor: this libpanoptim was built without CUDA (nvcc was "
                       "not found at build time)");
    return pt_fail(PT_ERR_INVALID_ARGUMENT, "pt_cuda_set_backend: unknown backend %d (0 = own, 1 = vendor)", backend);
}

int pt_cuda_get_backend(void) { return PT_CUDA_BACKEND_OWN; }

int pt_cuda_vendor_info(char *buf, int64_t capacity) {
    if (buf == NULL) return pt_fail(PT_ERR_INVALID_ARGUMENT, "pt_cuda_vendor_info: buf is NULL");
    if (capacity < 1)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "pt_cuda_vendor_info: capacity must be >= 1, got %lld",
                       (long long)capacity);
    snprintf(buf, (size_t)capacity,
             "backend: own\nvendor: unavailable: this libpanoptim was built without CUDA (nvcc was not found at build "
             "time)\n");
    return PT_OK;
}
