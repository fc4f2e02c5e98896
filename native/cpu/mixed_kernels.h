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

#endif
