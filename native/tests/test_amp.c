/*
 * AMP's loss-scaling helpers on the CPU (cpu/amp.c) against torch.amp.GradScaler's rules:
 *  - pt_amp_check_finite over 5 tensors (one empty, NULL) for each dtype: all finite leaves the
 *    flag 0; a preset flag is never cleared; an inf in the middle of the 3rd tensor and a NaN in
 *    the last element of the 5th are found; the largest finite values (fp16 0x7bff, and in a bf16
 *    tensor the pattern 0x7c00, which only fp16 would read as inf) are not;
 *  - pt_amp_update_scale through a hand-computed sequence (growth every 3 clean steps, backoff on
 *    inf and on a NaN flag), a growth that would overflow (kept), products rounded from double;
 *  - pt_scale_by: exact power-of-two scaling;
 *  - bad arguments are refused naming them.
 */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "common/dtypes.h"
#include "panoptim.h"
#include "test_expect_error.h"
#include "test_support.h"

#define T 5

static float found_after(int dtype, const int64_t *numels, void *const *tensors, float preset) {
    float flag = preset;
    CHECK(pt_amp_check_finite(CPU, T, numels, (const void *const *)tensors, dtype, &flag) == PT_OK, "%s",
          pt_last_error());
    return flag;
}

static void check_finite_cases(int dtype) {
    const int64_t numels[T] = {33, 0, 1001, 4, 77};
    void *tensors[T];
    for (int i = 0; i < T; i++) {
        tensors[i] = numels[i] ? malloc((size_t)numels[i] * 4) : NULL;
        for (int64_t j = 0; j < numels[i]; j++) pt_store_dtype(tensors[i], j, dtype, rng_signed(0.1f, 100.0f));
    }
    /* The largest finite values must not count. */
    if (dtype == PT_DTYPE_FLOAT16) ((uint16_t *)tensors[3])[1] = 0xfbff;
    if (dtype == PT_DTYPE_BFLOAT16) ((uint16_t *)tensors[3])[1] = 0x7c00;
    if (dtype == PT_DTYPE_FLOAT32) ((float *)tensors[3])[1] = -FLT_MAX;
    CHECK(found_after(dtype, numels, tensors, 0.0f) == 0.0f, "dtype %d: finite tensors flagged", dtype);
    CHECK(found_after(dtype, numels, tensors, 1.0f) == 1.0f, "dtype %d: a set flag was cleared", dtype);
    pt_store_dtype(tensors[2], 500, dtype, -INFINITY);
    CHECK(found_after(dtype, numels, tensors, 0.0f) == 1.0f, "dtype %d: -inf in tensor 2 missed", dtype);
    pt_store_dtype(tensors[2], 500, dtype, 1.0f);
    pt_store_dtype(tensors[4], 76, dtype, NAN);
    CHECK(found_after(dtype, numels, tensors, 0.0f) == 1.0f, "dtype %d: NaN in the last element missed", dtype);
    for (int i = 0; i < T; i++) free(tensors[i]);
}

static void update_sequence(void) {
    /* growth 2, backoff 0.5, interval 3, from 65536. */
    const float flags[] = {0, 0, 0, 1, 0, NAN, 0, 0, 0, 0};
    const float want_scale[] = {65536, 65536, 131072, 65536, 65536, 32768, 32768, 32768, 65536, 65536};
    const int32_t want_tracker[] = {1, 2, 0, 0, 1, 0, 1, 2, 0, 1};
    float scale = 65536.0f;
    int32_t tracker = 0;
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        CHECK(pt_amp_update_scale(CPU, &scale, &tracker, &flags[i], 2.0, 0.5, 3) == PT_OK, "%s", pt_last_error());
        CHECK(scale == want_scale[i] && tracker == want_tracker[i], "step %zu: scale %g tracker %d, want %g %d", i,
              scale, tracker, want_scale[i], want_tracker[i]);
    }
    /* A growth past FLT_MAX keeps the scale (and resets the tracker). */
    scale = 3e38f, tracker = 0;
    const float clean = 0.0f, inf_found = 1.0f;
    CHECK(pt_amp_update_scale(CPU, &scale, &tracker, &clean, 2.0, 0.5, 1) == PT_OK && scale == 3e38f && tracker == 0,
          "overflowing growth: scale %g tracker %d", scale, tracker);
    /* Products in double, rounded once: 3 * 0.1 is 0.30000000000000004, whose float is 0.3f. */
    scale = 3.0f, tracker = 5;
    CHECK(pt_amp_update_scale(CPU, &scale, &tracker, &inf_found, 2.0, 0.1, 7) == PT_OK && scale == 0.3f && tracker == 0,
          "backoff 0.1: scale %.9g tracker %d", scale, tracker);
}

static void scale_by(void) {
    float y[7] = {1.5f, -2.0f, 0.1f, 3.0f, -0.25f, 1e-3f, 7.0f}, s = 1024.0f;
    CHECK(pt_scale_by(CPU, 7, y, &s) == PT_OK, "%s", pt_last_error());
    CHECK(y[0] == 1536.0f && y[2] == 0.1f * 1024.0f && y[6] == 7168.0f, "scale_by: %g %g %g", y[0], y[2], y[6]);
}

static void invalid(void) {
    float flag = 0, scale = 1, x[2] = {1, 2};
    int32_t tracker = 0;
    const int64_t numels[2] = {2, -1};
    const void *tensors[2] = {x, x};
    EXPECT(INVALID, "dtype 3", pt_amp_check_finite(CPU, 1, numels, tensors, 3, &flag));
    EXPECT(INVALID, "numels[1] = -1", pt_amp_check_finite(CPU, 2, numels, tensors, PT_DTYPE_FLOAT32, &flag));
    EXPECT(INVALID, "found_inf is NULL", pt_amp_check_finite(CPU, 1, numels, tensors, PT_DTYPE_FLOAT32, NULL));
    EXPECT(INVALID, "num_tensors = -2", pt_amp_check_finite(CPU, -2, numels, tensors, PT_DTYPE_FLOAT32, &flag));
    const void *null_tensor[1] = {NULL};
    EXPECT(INVALID, "tensors[0] is NULL", pt_amp_check_finite(CPU, 1, numels, null_tensor, PT_DTYPE_FLOAT32, &flag));
    EXPECT(INVALID, "growth_factor", pt_amp_update_scale(CPU, &scale, &tracker, &flag, 1.0, 0.5, 10));
    EXPECT(INVALID, "backoff_factor", pt_amp_update_scale(CPU, &scale, &tracker, &flag, 2.0, 1.5, 10));
    EXPECT(INVALID, "growth_interval", pt_amp_update_scale(CPU, &scale, &tracker, &flag, 2.0, 0.5, 0));
    EXPECT(INVALID, "growth_tracker is NULL", pt_amp_update_scale(CPU, &scale, NULL, &flag, 2.0, 0.5, 10));
    EXPECT(INVALID, "scale is NULL", pt_scale_by(CPU, 2, x, NULL));
    EXPECT(INVALID, "device 7", pt_scale_by(7, 2, x, &scale));
    EXPECT(PT_OK, "", pt_scale_by(CPU, 0, NULL, NULL));
}

int main(void) {
    for (int d = 0; d < 3; d++) check_finite_cases(d);
    update_sequence();
    scale_by();
    invalid();
    return test_exit_status("test_amp");
}
