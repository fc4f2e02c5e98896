/*
 * Fast fully connected layer: pt_cpu_linear_forward / _backward, the twins of
 * reference/linear_reference.c. https://pytorch.org/docs/stable/generated/torch.nn.Linear.html
 *
 *   forward:  y (N, OUT) = x (N, IN) @ weight (OUT, IN)^T + bias (OUT)
 *   backward: dx (N, IN) = dy (N, OUT) @ weight
 *             dweight (OUT, IN) (+)= dy^T @ x          (one sgemm, beta = accumulate)
 *             dbias (OUT) (+)= sum over the N rows of dy
 *
 * Invariants: x, weight and dy are never written; a NULL dx, dweight or dbias is skipped.
 * Every product is one OpenBLAS sgemm (cpu/matmul.c); the bias is written into y first and the
 * sgemm adds to it (beta = 1), so y is swept once more rather than twice.
 */
#include "cpu/dense_kernels.h"
#include "cpu/simd.h"

/* Rows of y or dy per parallel task; below PT_PARALLEL_MIN_ELEMENTS the loops stay serial. */
#define ROWS_PER_TASK 64
/* dbias columns summed together: their double accumulators live on the stack. */
#define BIAS_BLOCK 256

PT_KERNEL_BEGIN

void pt_cpu_linear_forward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                           const float *weight, const float *bias, float *y) {
    if (bias) {
        const int threads = n * out_features < PT_PARALLEL_MIN_ELEMENTS ? 1 : pt_num_threads();
#pragma omp parallel for schedule(static) num_threads(threads)
        for (int64_t i = 0; i < n; i++)
            for (int64_t o = 0; o < out_features; o++) y[i * out_features + o] = bias[o];
    }
    pt_cpu_sgemm(0, 1, n, out_features, in_features, 1.0f, x, in_features, weight, in_features,
                 bias ? 1.0f : 0.0f, y, out_features);
}

/* dbias[o] (+)= sum_i dy[i][o]: row by row (contiguous reads) into double sums, BIAS_BLOCK columns
 * at a time; blocks run in parallel when dy is large. */
static void bias_grad(int64_t n, int64_t out_features, const float *dy, float *dbias, int accumulate) {
    const int64_t blocks = (out_features + BIAS_BLOCK - 1) / BIAS_BLOCK;
    const int threads = n * out_features < PT_PARALLEL_MIN_ELEMENTS ? 1 : pt_num_threads();
#pragma omp parallel for schedule(static) num_threads(threads)
    for (int64_t blk = 0; blk < blocks; blk++) {
        const int64_t o0 = blk * BIAS_BLOCK;
        const int64_t width = out_features - o0 < BIAS_BLOCK ? out_features - o0 : BIAS_BLOCK;
        double sum[BIAS_BLOCK];
        for (int64_t o = 0; o < width; o++) sum[o] = 0.0;
        for (int64_t i = 0; i < n; i++) {
            const float *row = dy + i * out_features + o0;
#pragma omp simd
            for (int64_t o = 0; o < width; o++) sum[o] += (double)row[o];
        }
        for (int64_t o = 0; o < width; o++)
            dbias[o0 + o] = accumulate ? (float)((double)dbias[o0 + o] + sum[o]) : (float)sum[o];
    }
}

void pt_cpu_linear_backward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                            const float *weight, const float *dy, float *dx, float *dweight, float *dbias,
                            int accumulate) {
    if (dx) /* (N, OUT) @ (OUT, IN) */
        pt_cpu_sgemm(0, 0, n, in_features, out_features, 1.0f, dy, out_features, weight, in_features, 0.0f, dx,
                     in_features);
    if (dweight) /* dy^T (OUT, N) @ x (N, IN) */
        pt_cpu_sgemm(1, 0, out_features, in_features, n, 1.0f, dy, out_features, x, in_features,
                     accumulate ? 1.0f : 0.0f, dweight, in_features);
    if (dbias) bias_grad(n, out_features, dy, dbias, accumulate);
}

PT_KERNEL_END
