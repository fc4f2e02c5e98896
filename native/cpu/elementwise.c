/*
 * Fast elementwise helpers: pt_cpu_add / pt_cpu_axpy / pt_cpu_fill, the twins of
 * reference/elementwise_reference.c.
 *   add:  y = a + b          (residual connection; y may alias a or b)
 *   axpy: y = y + alpha * x  (gradient accumulation; alpha rounded to float once, one FMA per
 *                             element in the AVX2/AVX-512 clones, as torch's add_(x, alpha=...))
 *   fill: y = value          (value rounded to float once)
 *
 * Invariants: inputs other than y are never written; aliasing is only ever at the same index, so
 * the loops have no loop-carried dependence and vectorize (hence no restrict). Big calls are cut
 * into chunks spread over the OpenMP team (pt_for_each_chunk, cpu/simd.h); every element is
 * computed the same way whatever the cut, so results do not depend on the thread count.
 */
#include <stddef.h>

#include "cpu/layer_kernels.h"
#include "cpu/simd.h"

PT_KERNEL_BEGIN

PT_SIMD_CLONES
static void add_loop(int64_t n, const float *a, const float *b, float *y) {
#pragma omp simd
    for (int64_t j = 0; j < n; j++) y[j] = a[j] + b[j];
}

PT_SIMD_CLONES
static void axpy_loop(int64_t n, float alpha, const float *x, float *y) {
#pragma omp simd
    for (int64_t j = 0; j < n; j++) y[j] = y[j] + alpha * x[j];
}

PT_SIMD_CLONES
static void fill_loop(int64_t n, float value, float *y) {
#pragma omp simd
    for (int64_t j = 0; j < n; j++) y[j] = value;
}

PT_KERNEL_END

typedef struct elementwise_call {
    const float *a, *b;
    float *y;
    float scalar;
} elementwise_call;

static void add_piece(const void *ctx, int64_t i, int64_t begin, int64_t end) {
    const elementwise_call *e = ctx;
    add_loop(end - begin, e->a + begin, e->b + begin, e->y + begin);
}

static void axpy_piece(const void *ctx, int64_t i, int64_t begin, int64_t end) {
    const elementwise_call *e = ctx;
    axpy_loop(end - begin, e->scalar, e->a + begin, e->y + begin);
}

static void fill_piece(const void *ctx, int64_t i, int64_t begin, int64_t end) {
    const elementwise_call *e = ctx;
    fill_loop(end - begin, e->scalar, e->y + begin);
}

void pt_cpu_add(int64_t numel, const float *a, const float *b, float *y) {
    const elementwise_call e = {a, b, y, 0.0f};
    pt_for_each_chunk(1, &numel, add_piece, &e);
}

void pt_cpu_axpy(int64_t numel, double alpha, const float *x, float *y) {
    const elementwise_call e = {x, NULL, y, (float)alpha};
    pt_for_each_chunk(1, &numel, axpy_piece, &e);
}

void pt_cpu_fill(int64_t numel, double value, float *y) {
    const elementwise_call e = {NULL, NULL, y, (float)value};
    pt_for_each_chunk(1, &numel, fill_piece, &e);
}
