/*
 * Internal: the CUDA twins of cpu/mixed_kernels.h (cuda/cast.cu, cuda/amp.cu;
 * cuda/absent/mixed_absent.c where the library is built without nvcc). Same names (pt_cuda_ for
 * pt_cpu_) and argument order. api/mixed_api.c has validated the arguments; these check that the
 * pointers are memory of the current device (PT_ERR_INVALID_ARGUMENT naming them otherwise), queue
 * the work on panoptim's stream and return without waiting.
 */
#ifndef PT_MIXED_CUDA_H
#define PT_MIXED_CUDA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

int pt_cuda_cast(int64_t numel, const void *src, int src_dtype, void *dst, int dst_dtype);

/* AMP (cuda/amp.cu). numels and tensors are host arrays; tensors[i] and every other pointer are
 * device memory. check_finite is one multi-tensor launch for all tensors. */
int pt_cuda_amp_check_finite(int64_t num_tensors, const int64_t *numels, const void *const *tensors, int dtype,
                             float *found_inf);
int pt_cuda_amp_update_scale(float *scale, int32_t *growth_tracker, const float *found_inf, double growth_factor,
                             double backoff_factor, int64_t growth_interval);
int pt_cuda_scale_by(int64_t numel, float *y, const float *scale);

#ifdef __cplusplus
}
#endif

#endif
