/*
 * Fast ReLU, forward and backward: pt_cpu_relu_*, the twins of reference/relu_reference.c.
 *   https://pytorch.org/docs/stable/generated/torch.nn.ReLU.html
 *
 *   forward:  y = x < 0 ? 0 : x            (NaN passes through, as torch.relu)
 *   backward: dx = x <= 0 ? 0 : dy         (torch's threshold_backward)
 *
 * Invariants: y may alias x and dx may alias dy (each element is read, then written at the same
 * index, so there is no loop-carried dependence and the loops vectorize -- hence no restrict);
 * x and dy are otherwise never written. Big calls are cut into chunks spread over the OpenMP team
 * (pt_for_each_chunk, cpu/simd.h); the results are exact, so they never depend on the cut.
 */
#include <stddef.h>

#include "cpu/layer_kernels.h"
#include "cpu/simd.h"

PT_SIMD_CLONES
static void relu_forward_loop(int64_t n, const float *x, float *y) {
#pragma omp simd
    for (int64_t j = 0; j < n; j++) y[j] = x[j] < 0.0f ? 0.0f : x[j];
}

PT_SIMD_CLONES
static void relu_backward_loop(int64_t n, const float *x, const float *dy, float *dx) {
#pragma omp simd
    for (int64_t j = 0; j < n; j++) dx[j] = x[j] <= 0.0f ? 0.0f : dy[j];
}

typedef struct relu_call {
    const float *x, *dy;
    float *out;
} relu_call;

static void forward_piece(const void *ctx, int64_t i, int64_t begin, int64_t end) {
    const relu_call *r = ctx;
    relu_forward_loop(end - begin, r->x + begin, r->out + begin);
}

static void backward_piece(const void *ctx, int64_t i, int64_t begin, int64_t end) {
    const relu_call *r = ctx;
    relu_backward_loop(end - begin, r->x + begin, r->dy + begin, r->out + begin);
}

void pt_cpu_relu_forward(int64_t numel, const float *x, float *y) {
    const relu_call r = {x, NULL, y};
    pt_for_each_chunk(1, &numel, forward_piece, &r);
}

void pt_cpu_relu_backward(int64_t numel, const float *x, const float *dy, float *dx) {
    const relu_call r = {x, dy, dx};
    pt_for_each_chunk(1, &numel, backward_piece, &r);
}
