/*
 * The public entry points of mixed precision that are not layers: pt_cast and the AMP helpers.
 * Each validates every argument (device, dtypes, counts, pointers; messages name the op, the
 * argument and the bad value), then dispatches to the CPU kernel (cpu/mixed_kernels.h) or its
 * CUDA twin (cuda/mixed_cuda.h). A rejected call writes nothing.
 */
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
