/*
 * pt_cast on CUDA (cuda/cast.cu) against the CPU twin (cpu/cast.c), for all nine pairs of dtypes:
 * the source is every 16-bit pattern (for bf16 / fp16 sources) or every 16-bit pattern as the top
 * half of a float plus random low bits and random floats (for float32 sources), 65536 + 7 elements
 * (an odd tail past the map kernel's vectors). Both run the same integer conversions
 * (common/dtypes.h), so the bits must be equal (tolerance 0). Also: numel 0, a host pointer is
 * refused naming it. Runs on the simulator (two schedules) and on a GPU; exits 77 without CUDA.
 */
#include <stdlib.h>
#include <string.h>

#include "common/dtypes.h"
#include "panoptim.h"
#include "test_cuda_support.h"
#include "test_expect_error.h"
#include "test_support.h"

#define N (65536 + 7)

int main(void) {
    int count = 0;
    if (pt_cuda_device_count(&count) != PT_OK || count < 1) {
        printf("test_cuda_cast: skipped (%s)\n", pt_last_error());
        return 77;
    }
    uint32_t *src32 = xmalloc(4 * N);
    uint16_t *src16 = xmalloc(2 * N);
    for (int i = 0; i < N; i++) {
        src16[i] = (uint16_t)(i < 65536 ? (uint64_t)i : rng_next());
        src32[i] = i < 65536 ? ((uint32_t)i << 16) | (uint32_t)(rng_next() & 0xffff) : (uint32_t)rng_next();
    }
    src32[5] = 0x477ff000u, src32[6] = 0x33000000u; /* fp16's overflow tie and its 2^-25 tie */
    void *dev_src = NULL, *dev_dst = NULL;
    MUST(pt_cuda_malloc(0, 4 * N, &dev_src));
    MUST(pt_cuda_malloc(0, 4 * N, &dev_dst));
    void *cpu = xmalloc(4 * N), *gpu = xmalloc(4 * N);
    for (int s = 0; s < 3; s++)
        for (int d = 0; d < 3; d++) {
            const void *src = s == PT_DTYPE_FLOAT32 ? (const void *)src32 : (const void *)src16;
            MUST(pt_cuda_copy(0, dev_src, src, (int64_t)pt_dtype_size(s) * N, PT_COPY_HOST_TO_DEVICE));
            MUST(pt_cast(PT_DEVICE_CUDA, N, dev_src, s, dev_dst, d));
            MUST(pt_cast(PT_DEVICE_CPU, N, src, s, cpu, d));
            MUST(pt_cuda_synchronize(0));
            MUST(pt_cuda_copy(0, gpu, dev_dst, (int64_t)pt_dtype_size(d) * N, PT_COPY_DEVICE_TO_HOST));
            CHECK(memcmp(cpu, gpu, (size_t)pt_dtype_size(d) * N) == 0, "cast %d -> %d: CUDA and CPU bits differ", s, d);
        }
    EXPECT(PT_OK, "", pt_cast(CUDA, 0, NULL, PT_DTYPE_FLOAT32, NULL, PT_DTYPE_FLOAT16));
    EXPECT(INVALID, "src", pt_cast(CUDA, 4, src32, PT_DTYPE_FLOAT32, dev_dst, PT_DTYPE_FLOAT16));
    EXPECT(INVALID, "src_dtype 9", pt_cast(CUDA, 4, dev_src, 9, dev_dst, PT_DTYPE_FLOAT16));
    MUST(pt_cuda_free(0, dev_src));
    MUST(pt_cuda_free(0, dev_dst));
    free(src32), free(src16), free(cpu), free(gpu);
    return test_exit_status("test_cuda_cast");
}
