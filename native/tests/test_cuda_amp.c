/*
 * AMP's loss-scaling helpers on CUDA (cuda/amp.cu) against the CPU twins (cpu/amp.c, checked
 * against GradScaler's rules by test_amp.c), exactly (flags, scales and trackers are exact):
 *  - pt_amp_check_finite over 5 tensors in one launch, for each dtype: all finite (flag stays 0,
 *    and a preset 1 stays 1), an inf in the middle of the 3rd tensor (65536 + 5 elements: two
 *    chunks, the inf in the second), a NaN in the scalar tail of the 5th (odd size), the same NaN
 *    in a tensor starting one element past alignment (the scalar path), an empty NULL tensor;
 *    the largest finite values are not flagged;
 *  - pt_amp_update_scale through a sequence of flags (growth, backoff, NaN flag, overflow kept);
 *  - pt_scale_by on an odd count, aligned and misaligned.
 * Host pointers are refused naming them. Simulator (two schedules) and GPU; exits 77 without CUDA.
 */
#include <float.h>
#include <string.h>

#include "common/dtypes.h"
#include "panoptim.h"
#include "test_cuda_support.h"
#include "test_expect_error.h"
#include "test_support.h"

#define T 5

static float *device_flag(float value) { return device_floats(&value, 1); }

static float read_flag(const float *d) {
    float *h = host_floats(d, 1);
    const float v = *h;
    free(h);
    return v;
}

/* The flag after check_finite on both devices, from `preset`; the two must agree. */
static float both(int dtype, const int64_t *numels, void *const *host, void *const *dev, float preset, const char *what) {
    float cpu = preset;
    float *dflag = device_flag(preset);
    MUST(pt_amp_check_finite(CPU, T, numels, (const void *const *)host, dtype, &cpu));
    MUST(pt_amp_check_finite(CUDA, T, numels, (const void *const *)dev, dtype, dflag));
    const float gpu = read_flag(dflag);
    CHECK(cpu == gpu, "dtype %d %s: CPU flag %g, CUDA flag %g", dtype, what, cpu, gpu);
    MUST(pt_cuda_free(0, dflag));
    return gpu;
}

static void check_finite_cases(int dtype) {
    const int64_t numels[T] = {33, 0, 65536 + 5, 4, 77};
    const int size = pt_dtype_size(dtype);
    void *host[T], *dev[T], *alloc[T];
    for (int i = 0; i < T; i++) {
        host[i] = numels[i] ? xmalloc((size_t)numels[i] * 4) : NULL;
        for (int64_t j = 0; j < numels[i]; j++) pt_store_dtype(host[i], j, dtype, rng_signed(0.1f, 100.0f));
        alloc[i] = dev[i] = NULL;
        if (numels[i]) MUST(pt_cuda_malloc(0, (numels[i] + 1) * size, &alloc[i]));
        dev[i] = alloc[i];
    }
    if (dtype == PT_DTYPE_FLOAT16) ((uint16_t *)host[3])[1] = 0x7bff;
    if (dtype == PT_DTYPE_BFLOAT16) ((uint16_t *)host[3])[1] = 0xfc00; /* finite in bf16, -inf in fp16 */
    if (dtype == PT_DTYPE_FLOAT32) ((float *)host[3])[1] = FLT_MAX;
#define UPLOAD()                                                                                          \
    for (int i = 0; i < T; i++)                                                                         \
        if (numels[i]) MUST(pt_cuda_copy(0, dev[i], host[i], numels[i] * size, PT_COPY_HOST_TO_DEVICE))
    UPLOAD();
    CHECK(both(dtype, numels, host, dev, 0.0f, "all finite") == 0.0f, "dtype %d: finite tensors flagged", dtype);
    CHECK(both(dtype, numels, host, dev, 1.0f, "preset") == 1.0f, "dtype %d: the set flag was cleared", dtype);
    pt_store_dtype(host[2], 65536 + 2, dtype, INFINITY); /* in the 2nd chunk of the 3rd tensor */
    UPLOAD();
    CHECK(both(dtype, numels, host, dev, 0.0f, "inf in tensor 2") == 1.0f, "dtype %d: inf missed", dtype);
    pt_store_dtype(host[2], 65536 + 2, dtype, 2.0f);
    pt_store_dtype(host[4], 76, dtype, NAN); /* the scalar tail: 77 = 19 * 4 + 1 */
    UPLOAD();
    CHECK(both(dtype, numels, host, dev, 0.0f, "NaN in the tail") == 1.0f, "dtype %d: NaN missed", dtype);
    dev[4] = (char *)alloc[4] + size; /* one element past alignment: the scalar path */
    UPLOAD();
    CHECK(both(dtype, numels, host, dev, 0.0f, "NaN, misaligned") == 1.0f, "dtype %d: misaligned NaN missed", dtype);
#undef UPLOAD
    for (int i = 0; i < T; i++) {
        free(host[i]);
        if (alloc[i]) MUST(pt_cuda_free(0, alloc[i]));
    }
}

static void update_sequence(void) {
    const float flags[] = {0, 0, 0, 1, 0, NAN, 0, 0, 0, 0, 1};
    float scale = 65536.0f, *dscale = device_floats(&scale, 1);
    int32_t tracker = 0, *dtracker = NULL;
    MUST(pt_cuda_malloc(0, 4, (void **)&dtracker));
    MUST(pt_cuda_copy(0, dtracker, &tracker, 4, PT_COPY_HOST_TO_DEVICE));
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        float *dflag = device_flag(flags[i]);
        MUST(pt_amp_update_scale(CPU, &scale, &tracker, &flags[i], 2.0, 0.25, 3));
        MUST(pt_amp_update_scale(CUDA, dscale, dtracker, dflag, 2.0, 0.25, 3));
        int32_t gpu_tracker = -1;
        const float gpu_scale = read_flag(dscale);
        MUST(pt_cuda_copy(0, &gpu_tracker, dtracker, 4, PT_COPY_DEVICE_TO_HOST));
        CHECK(gpu_scale == scale && gpu_tracker == tracker, "step %zu: CUDA %g / %d, CPU %g / %d", i, gpu_scale,
              gpu_tracker, scale, tracker);
        MUST(pt_cuda_free(0, dflag));
    }
    /* overflowing growth keeps the scale */
    const float big = 3e38f, clean = 0.0f;
    float *dclean = device_flag(clean);
    MUST(pt_cuda_copy(0, dscale, &big, 4, PT_COPY_HOST_TO_DEVICE));
    MUST(pt_amp_update_scale(CUDA, dscale, dtracker, dclean, 2.0, 0.5, 1));
    CHECK(read_flag(dscale) == 3e38f, "overflowing growth changed the scale to %g", read_flag(dscale));
    EXPECT(INVALID, "scale", pt_amp_update_scale(CUDA, &scale, dtracker, dclean, 2.0, 0.5, 1));
    MUST(pt_cuda_free(0, dscale));
    MUST(pt_cuda_free(0, dtracker));
    MUST(pt_cuda_free(0, dclean));
}

static void scale_by(void) {
    const int64_t n = 1001;
    float *y = xmalloc(4 * (n + 1)), s = 0.375f;
    for (int64_t i = 0; i < n + 1; i++) y[i] = rng_signed(0.1f, 1.0f);
    float *dy = device_floats(y, n + 1), *ds = device_floats(&s, 1);
    for (int shift = 0; shift < 2; shift++) {
        MUST(pt_scale_by(CUDA, n, dy + shift, ds));
        MUST(pt_scale_by(CPU, n, y + shift, &s));
    }
    float *got = host_floats(dy, n + 1);
    CHECK(memcmp(got, y, 4 * (size_t)(n + 1)) == 0, "scale_by: CUDA and CPU differ");
    EXPECT(INVALID, "y", pt_scale_by(CUDA, n, y, ds));
    MUST(pt_cuda_free(0, dy));
    MUST(pt_cuda_free(0, ds));
    free(y), free(got);
}

int main(void) {
    int count = 0;
    if (pt_cuda_device_count(&count) != PT_OK || count < 1) {
        printf("test_cuda_amp: skipped (%s)\n", pt_last_error());
        return 77;
    }
    for (int d = 0; d < 3; d++) check_finite_cases(d);
    update_sequence();
    scale_by();
    return test_exit_status("test_cuda_amp");
}
