/*
 * The public entry points of mixed precision that are not layers: pt_cast and the AMP helpers
 * (pt_amp_check_finite, pt_amp_update_scale, pt_scale_by).
 * Each validates every argument (device, dtypes, counts, pointers; messages name the op, the
 * argument and the bad value), then dispatches to the CPU kernel (cpu/mixed_kernels.h) or its
 * CUDA twin (cuda/mixed_cuda.h). A rejected call writes nothing.
 */
#include <math.h>
#include <stddef.h>

#include "api/error.h"
#include "api/dtype_check.h"
#include "common/dtypes.h"
#include "cpu/mixed_kernels.h"
#include "cuda/mixed_cuda.h"

/* A tensor's byte size (2 or 4 bytes per element) must fit in a ptrdiff_t. */
#define MAX_ELEMENTS ((int64_t)(PTRDIFF_MAX / 4))

static int check_device(const char *op, int device) {
    if (device != PT_DEVICE_CPU && device != PT_DEVICE_CUDA)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: unknown device %d (0 = CPU, 1 = CUDA)", op, device);
    return PT_OK;
}

static int check_numel(const char *op, const char *name, int64_t numel) {
    if (numel < 0 || numel > MAX_ELEMENTS)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s = %lld is outside [0, %lld]", op, name, (long long)numel,
                       (long long)MAX_ELEMENTS);
    return PT_OK;
}

static int check_ptr(const char *op, const char *name, const void *p) {
    if (p == NULL) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s is NULL", op, name);
    return PT_OK;
}

int pt_cast(int device, int64_t numel, const void *src, int src_dtype, void *dst, int dst_dtype) {
    static const char op[] = "pt_cast";
    PT_TRY(check_device(op, device));
    PT_TRY(check_numel(op, "numel", numel));
    PT_TRY(pt_check_dtype(op, "src_dtype", src_dtype));
    PT_TRY(pt_check_dtype(op, "dst_dtype", dst_dtype));
    if (numel == 0) return PT_OK;
    PT_TRY(check_ptr(op, "src", src));
    PT_TRY(check_ptr(op, "dst", dst));
    if (device == PT_DEVICE_CUDA) return pt_cuda_cast(numel, src, src_dtype, dst, dst_dtype);
    pt_cpu_cast(numel, src, src_dtype, dst, dst_dtype);
    return PT_OK;
}

/* ---------------------------------------------------------------- AMP */

int pt_amp_check_finite(int device, int64_t num_tensors, const int64_t *numels, const void *const *tensors, int dtype,
                        float *found_inf) {
    static const char op[] = "pt_amp_check_finite";
    PT_TRY(check_device(op, device));
    PT_TRY(check_numel(op, "num_tensors", num_tensors));
    PT_TRY(pt_check_dtype(op, "dtype", dtype));
    if (num_tensors == 0) return PT_OK;
    PT_TRY(check_ptr(op, "numels", numels));
    PT_TRY(check_ptr(op, "tensors", tensors));
    PT_TRY(check_ptr(op, "found_inf", found_inf));
    for (int64_t i = 0; i < num_tensors; i++) {
        if (numels[i] < 0 || numels[i] > MAX_ELEMENTS)
            return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: numels[%lld] = %lld is outside [0, %lld]", op, (long long)i,
                           (long long)numels[i], (long long)MAX_ELEMENTS);
        if (numels[i] > 0 && tensors[i] == NULL)
            return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: tensors[%lld] is NULL (numels[%lld] = %lld)", op, (long long)i,
                           (long long)i, (long long)numels[i]);
    }
    if (device == PT_DEVICE_CUDA) return pt_cuda_amp_check_finite(num_tensors, numels, tensors, dtype, found_inf);
    pt_cpu_amp_check_finite(num_tensors, numels, tensors, dtype, found_inf);
    return PT_OK;
}

int pt_amp_update_scale(int device, float *scale, int32_t *growth_tracker, const float *found_inf, double growth_factor,
                        double backoff_factor, int64_t growth_interval) {
    static const char op[] = "pt_amp_update_scale";
    PT_TRY(check_device(op, device));
    PT_TRY(check_ptr(op, "scale", scale));
    PT_TRY(check_ptr(op, "growth_tracker", growth_tracker));
    PT_TRY(check_ptr(op, "found_inf", found_inf));
    /* GradScaler's own checks: growth must grow, backoff must shrink (and keep the scale positive). */
    if (!(growth_factor > 1.0) || !isfinite(growth_factor))
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: growth_factor must be finite and > 1, got %g", op, growth_factor);
    if (!(backoff_factor > 0.0 && backoff_factor < 1.0))
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: backoff_factor must be in (0, 1), got %g", op, backoff_factor);
    if (growth_interval < 1 || growth_interval > INT32_MAX)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: growth_interval must be in [1, %d], got %lld", op, INT32_MAX,
                       (long long)growth_interval);
    if (device == PT_DEVICE_CUDA)
        return pt_cuda_amp_update_scale(scale, growth_tracker, found_inf, growth_factor, backoff_factor, growth_interval);
    pt_cpu_amp_update_scale(scale, growth_tracker, found_inf, growth_factor, backoff_factor, growth_interval);
    return PT_OK;
}

int pt_scale_by(int device, int64_t numel, float *y, const float *scale) {
    static const char op[] = "pt_scale_by";
    PT_TRY(check_device(op, device));
    PT_TRY(check_numel(op, "numel", numel));
    if (numel == 0) return PT_OK;
    PT_TRY(check_ptr(op, "y", y));
    PT_TRY(check_ptr(op, "scale", scale));
    if (device == PT_DEVICE_CUDA) return pt_cuda_scale_by(numel, y, scale);
    pt_cpu_scale_by(numel, y, scale);
    return PT_OK;
}
