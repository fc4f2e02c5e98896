/*
 * AMP's dynamic loss scaling on the CPU (torch.amp.GradScaler,
 * https://pytorch.org/docs/stable/amp.html#gradient-scaling), the twins of cuda/amp.cu:
 *  - pt_cpu_amp_check_finite: *found_inf = 1 when any element of the tensors is inf or NaN (the
 *    scaled grads of a step that overflowed); it is never set back to 0, so several calls (param
 *    groups, dtypes) accumulate into one flag, as torch's _amp_foreach_non_finite_check_and_unscale_;
 *  - pt_cpu_amp_update_scale: torch's _amp_update_scale_, the rule of common/amp_update.h;
 *  - pt_cpu_scale_by: y *= *scale, the loss gradient times the loss scale.
 */
#include "common/amp_update.h"
#include "common/dtypes.h"
#include "cpu/mixed_kernels.h"
#include "cpu/simd.h"

/* Whether element i of p (dtype) is inf or NaN: all exponent bits set. */
static int non_finite(const void *p, int64_t i, int dtype) {
    if (dtype == PT_DTYPE_FLOAT32) return (pt_float_bits(((const float *)p)[i]) & 0x7f800000u) == 0x7f800000u;
    const uint16_t mask = dtype == PT_DTYPE_BFLOAT16 ? 0x7f80u : 0x7c00u;
    return (((const uint16_t *)p)[i] & mask) == mask;
}

void pt_cpu_amp_check_finite(int64_t num_tensors, const int64_t *numels, const void *const *tensors, int dtype,
                             float *found_inf) {
    for (int64_t t = 0; t < num_tensors; t++) {
        int64_t bad = 0;
        const int threads = numels[t] < PT_PARALLEL_MIN_ELEMENTS ? 1 : pt_num_threads();
#pragma omp parallel for schedule(static) reduction(+ : bad) num_threads(threads)
        for (int64_t i = 0; i < numels[t]; i++) bad += non_finite(tensors[t], i, dtype);
        if (bad) {
            *found_inf = 1.0f;
            return;
        }
    }
}

void pt_cpu_amp_update_scale(float *scale, int32_t *growth_tracker, const float *found_inf, double growth_factor,
                             double backoff_factor, int64_t growth_interval) {
    pt_amp_update_scale_rule(scale, growth_tracker, found_inf, growth_factor, backoff_factor, (int32_t)growth_interval);
}

void pt_cpu_scale_by(int64_t numel, float *y, const float *scale) {
    const float s = *scale;
    const int threads = numel < PT_PARALLEL_MIN_ELEMENTS ? 1 : pt_num_threads();
#pragma omp parallel for simd schedule(static) num_threads(threads)
    for (int64_t i = 0; i < numel; i++) y[i] = y[i] * s;
}
