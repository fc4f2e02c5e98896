/*
 * pt_roofline_step: validate the arguments (the library never trusts its caller), then dispatch on
 * the device to the CPU loop or the CUDA kernel (cpu/roofline_kernels.h).
 */
#include <stddef.h>

#include "api/error.h"
#include "cpu/roofline_kernels.h"

int pt_roofline_step(int device, int64_t n, float *p, const float *g, float *m, float *v) {
    static const char op[] = "pt_roofline_step";
    if (device != PT_DEVICE_CPU && device != PT_DEVICE_CUDA)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: unknown device %d (0 = CPU, 1 = CUDA)", op, device);
    if (n < 0) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: n must be >= 0, got %lld", op, (long long)n);
    if (n == 0) return PT_OK; /* pointers may be NULL, as for an empty tensor of a fused step */
    const void *ptrs[4] = {p, g, m, v};
    static const char *const names[4] = {"p", "g", "m", "v"};
    for (int k = 0; k < 4; k++)
        if (ptrs[k] == NULL)
            return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s is NULL for n = %lld", op, names[k], (long long)n);
    if (device == PT_DEVICE_CUDA) return pt_cuda_roofline_step(n, p, g, m, v);
    pt_cpu_roofline_step(n, p, g, m, v);
    return PT_OK;
}
