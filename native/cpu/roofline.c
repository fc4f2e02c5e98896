/*
 * pt_cpu_roofline_step: the CPU memory roofline of a fused AdamW step (see cpu/roofline_kernels.h).
 *
 * It walks memory exactly as the fused steps do -- the same multiversioned inner loop, the same
 * OpenMP chunks (pt_for_each_chunk) on the same number of threads -- so that "fused step GB/s over
 * roofline GB/s" compares like with like: the only difference left is the arithmetic. A plain
 * memcpy was the reference before; being single-threaded and 8 bytes per element it made the fused
 * steps look twice as fast as memory can go (docs/BENCHMARKS.md).
 */
#include "cpu/roofline_kernels.h"
#include "cpu/simd.h"

PT_SIMD_CLONES
static void roofline_loop(int64_t n, float *restrict p, const float *restrict g, float *restrict m,
                          float *restrict v) {
#pragma omp simd
    for (int64_t j = 0; j < n; j++) {
        const float mj = m[j] + g[j], vj = v[j] + g[j];
        m[j] = mj;
        v[j] = vj;
        p[j] = p[j] + (mj - vj);
    }
}

typedef struct roofline_call {
    float *p, *m, *v;
    const float *g;
} roofline_call;

static void roofline_piece(const void *ctx, int64_t i, int64_t begin, int64_t end) {
    const roofline_call *c = ctx;
    (void)i;
    roofline_loop(end - begin, c->p + begin, c->g + begin, c->m + begin, c->v + begin);
}

void pt_cpu_roofline_step(int64_t n, float *p, const float *g, float *m, float *v) {
    const roofline_call c = {p, m, v, g};
    pt_for_each_chunk(1, &n, roofline_piece, &c);
}
