/* Built instead of cuda/conv2d.cu when the library is compiled without nvcc: the same entry points
 * (cuda/conv2d_cuda.h), failing with the reason. */
#include "api/error.h"
#include "cuda/conv2d_cuda.h"

int pt_cuda_conv2d_forward(const pt_conv2d_shape *sh, const float *x, const void *weight, int weight_dtype,
                           const float *bias, float *y, int compute_dtype) {
    return pt_fail(PT_ERR_UNSUPPORTED,
                   "pt_conv2d_forward: this libpanoptim was built without CUDA (nvcc was not found at build time)");
}

int pt_cuda_conv2d_backward(const pt_conv2d_shape *sh, const float *x, const void *weight, int weight_dtype,
                            const float *dy, float *dx, float *dweight, float *dbias, int accumulate,
                            int compute_dtype) {
    return pt_fail(PT_ERR_UNSUPPORTED,
                   "pt_conv2d_backward: this libpanoptim was built without CUDA (nvcc was not found at build time)");
}
