/*
 * pt_cast on the CPU: dst = src converted between float32, bfloat16 and float16 with the shared
 * conversions of common/dtypes.h (round to nearest even, NaN kept, fp16 overflow to inf). The same
 * dtype is a memcpy. Large casts are split over the OpenMP team in fixed chunks; every element is
 * converted the same way whatever the split.
 */
#include <string.h>

#include "common/dtypes.h"
#include "cpu/mixed_kernels.h"
#include "cpu/simd.h"

void pt_cpu_cast(int64_t numel, const void *src, int src_dtype, void *dst, int dst_dtype) {
    if (src_dtype == dst_dtype) {
        if (dst != src) memcpy(dst, src, (size_t)numel * (size_t)pt_dtype_size(src_dtype));
        return;
    }
    const int64_t chunks = (numel + PT_CHUNK_ELEMENTS - 1) / PT_CHUNK_ELEMENTS;
    const int threads = numel < PT_PARALLEL_MIN_ELEMENTS ? 1 : pt_num_threads();
#pragma omp parallel for schedule(static) num_threads(threads)
    for (int64_t c = 0; c < chunks; c++) {
        const int64_t end = (c + 1) * PT_CHUNK_ELEMENTS < numel ? (c + 1) * PT_CHUNK_ELEMENTS : numel;
        for (int64_t i = c * PT_CHUNK_ELEMENTS; i < end; i++)
            pt_store_dtype(dst, i, dst_dtype, pt_load_dtype(src, i, src_dtype));
    }
}
