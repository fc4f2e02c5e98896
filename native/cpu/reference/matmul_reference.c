/*
 * Reference matrix product: pt_reference_matmul, the readable specification of pt_cpu_matmul
 * (cpu/matmul.c, OpenBLAS sgemm). Row-major, BLAS semantics:
 *   c (M, N) = alpha * op(a) @ op(b) + beta * c
 * op(a) (M, K) is a, or the transpose of a stored (K, M) when trans_a; op(b) (K, N) is b, or the
 * transpose of b stored (N, K) when trans_b. Each dot product is accumulated in double and the
 * result rounded to float once. beta == 0 means c is only written: its old contents, even NaN,
 * do not matter (BLAS's rule).
 */
#include "cpu/dense_kernels.h"

void pt_reference_matmul(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha,
                         const float *a, const float *b, double beta, float *c) {
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            double dot = 0.0;
            for (int64_t l = 0; l < k; l++) {
                const double a_il = trans_a ? a[l * m + i] : a[i * k + l]; /* op(a)[i][l] */
                const double b_lj = trans_b ? b[j * k + l] : b[l * n + j]; /* op(b)[l][j] */
                dot += a_il * b_lj;
            }
            const double old = beta == 0.0 ? 0.0 : beta * (double)c[i * n + j];
            c[i * n + j] = (float)(alpha * dot + old);
        }
}
