/* Built instead of cuda/cast.cu and cuda/amp.cu when the library is compiled without nvcc: the same
 * entry points (cuda/mixed_cuda.h), failing with the reason. */
#include "api/error.h"
#include "cuda/mixed_cuda.h"

static int no_cuda(const char *op) {
    return pt_fail(PT_ERR_UNSUPPORTED, "%s: this libpanoptim was built without CUDA (nvcc was not found at build time)",
                   op);
}

int pt_cuda_cast(int64_t numel, const void *src, int src_dtype, void *dst, int dst_dtype) { return no_cuda("pt_cast"); }

int pt_cuda_amp_check_finite(int64_t num_tensors, const int64_t *numels, const void *const *tensors, int dtype,
                             float *found_inf) {
    return no_cuda("pt_amp_check_finite");
}

int pt_cuda_amp_update_scale(float *scale, int32_t *growth_tracker, const float *found_inf, double growth_factor,
                             double backoff_factor, int64_t growth_interval) {
    return no_cuda("pt_amp_update_scale");
}

int pt_cuda_scale_by(int64_t numel, float *y, const float *scale) { return no_cuda("pt_scale_by"); }
