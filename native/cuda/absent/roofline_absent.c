/* Built instead of cuda/roofline.cu when the library is compiled without nvcc. */
#include "api/error.h"
#include "cpu/roofline_kernels.h"

int pt_cuda_roofline_step(int64_t n, float *p, const float *g, float *m, float *v) {
    return pt_fail(PT_ERR_UNSUPPORTED,
                   "pt_roofline_step: this libpanoptim was built without CUDA (nvcc was not found at build time)");
}
