/*
 * Internal: the CPU kernels of mixed precision behind pt_cast and the AMP helpers (cpu/cast.c,
 * cpu/amp.c). Arguments are already validated by api/mixed_api.c (dtypes known, counts >= 0,
 * pointers non-null where elements exist), so kernels only compute. Twins of cuda/mixed_cuda.h.
 */
#ifndef PT_MIXED_KERNELS_H
#define PT_MIXED_KERNELS_H

#include <stdint.h>

/* dst[i] = src[i] converted from src_dtype to dst_dtype (common/dtypes.h), i < numel. */
void pt_cpu_cast(int64_t numel, const void *src, int src_dtype, void *dst, int dst_dtype);

/* AMP (cpu/amp.c), torch.amp.GradScaler's device-side helpers:
 * *found_inf = 1 if any of the elements of tensors[i] (numels[i] of dtype) is inf or NaN (never 0'd); */
void pt_cpu_amp_check_finite(int64_t num_tensors, const int64_t *numels, const void *const *tensors, int dtype,
                             float *found_inf);
/* torch's _amp_update_scale_ (see panoptim.h); */
void pt_cpu_amp_update_scale(float *scale, int32_t *growth_tracker, const float *found_inf, double growth_factor,
                             double backoff_factor, int64_t growth_interval);
/* y[i] *= *scale. */
void pt_cpu_scale_by(int64_t numel, float *y, const float *scale);

#endif
