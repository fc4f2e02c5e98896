/*
 * Internal: torch's _amp_update_scale_ (aten/src/ATen/native/cuda/AmpKernels.cu), the one rule
 * behind pt_amp_update_scale on the CPU (cpu/amp.c) and in the CUDA kernel (cuda/amp.cu):
 *   if *found_inf (non-zero, NaN too): scale = float(scale * backoff_factor); tracker = 0
 *   else if tracker + 1 == growth_interval: scale = float(scale * growth_factor) when that is
 *        finite (else unchanged); tracker = 0
 *   else: tracker += 1
 * Products in double, rounded to float once, as torch's kernel.
 */
#ifndef PT_COMMON_AMP_UPDATE_H
#define PT_COMMON_AMP_UPDATE_H

#include "common/dtypes.h" /* PT_HOST_DEVICE, pt_float_bits */

PT_HOST_DEVICE void pt_amp_update_scale_rule(float *scale, int32_t *growth_tracker, const float *found_inf,
                                             double growth_factor, double backoff_factor, int32_t growth_interval) {
    if (*found_inf != 0.0f) {
        *scale = (float)((double)*scale * backoff_factor);
        *growth_tracker = 0;
        return;
    }
    const int32_t successful = *growth_tracker + 1;
    if (successful == growth_interval) {
        const float grown = (float)((double)*scale * growth_factor);
        if ((pt_float_bits(grown) & 0x7f800000u) != 0x7f800000u) *scale = grown; /* finite */
        *growth_tracker = 0;
    } else {
        *growth_tracker = successful;
    }
}

#endif
