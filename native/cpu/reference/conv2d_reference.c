/*
 * Reference 2-D convolution: pt_reference_conv2d_forward / _backward, the readable specification
 * of cpu/conv2d.c. https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html
 * (groups = 1, dilation = 1, zero padding; strictly a cross-correlation, as in torch).
 *
 * x (N, C, H, W), weight (K, C, R, S), bias (K) or NULL, y and dy (N, K, P, Q), with the input
 * pixel under output (p, q) and filter tap (r, s) at
 *   ih = p*stride_h - pad_h + r,  iw = q*stride_w - pad_w + s     (outside [0,H) x [0,W): zero)
 *
 *   forward:  y[n][k][p][q]  = bias[k] + sum_{c,r,s} weight[k][c][r][s] * x[n][c][ih][iw]
 *   backward: dweight[k][c][r][s] (+)= sum_{n,p,q} dy[n][k][p][q] * x[n][c][ih][iw]
 *             dbias[k]            (+)= sum_{n,p,q} dy[n][k][p][q]
 *             dx[n][c][ih][iw]     = sum of weight[k][c][r][s] * dy[n][k][p][q] over the (k, r, s)
 *                                    and the (p, q) whose window puts tap (r, s) on (ih, iw)
 * Every sum is accumulated in double (with the old value when accumulating) and rounded to float
 * once. A NULL dx, dweight or dbias is skipped. Direct loops, seven deep: no workspace.
 */
#include <stddef.h>

#include "cpu/dense_kernels.h"

/* Element (a, b, c, d) of a contiguous (A, B, C, D) tensor given its B, C, D. */
#define AT4(t, B, C, D, a, b, c, d) (t)[(((a) * (B) + (b)) * (C) + (c)) * (D) + (d)]

void pt_reference_conv2d_forward(const pt_conv2d_shape *sh, const float *x, const float *weight,
                                 const float *bias, float *y) {
    const int64_t N = sh->n, C = sh->c, H = sh->h, W = sh->w, K = sh->k, R = sh->r, S = sh->s;
    const int64_t P = sh->p, Q = sh->q;
    for (int64_t n = 0; n < N; n++)
        for (int64_t k = 0; k < K; k++)
            for (int64_t p = 0; p < P; p++)
                for (int64_t q = 0; q < Q; q++) {
                    double acc = bias ? (double)bias[k] : 0.0;
                    for (int64_t c = 0; c < C; c++)
                        for (int64_t r = 0; r < R; r++)
                            for (int64_t s = 0; s < S; s++) {
                                const int64_t ih = p * sh->stride_h - sh->pad_h + r;
                                const int64_t iw = q * sh->stride_w - sh->pad_w + s;
                                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue; /* padding */
                                acc += (double)AT4(weight, C, R, S, k, c, r, s) * (double)AT4(x, C, H, W, n, c, ih, iw);
                            }
                    AT4(y, K, P, Q, n, k, p, q) = (float)acc;
                }
}

void pt_reference_conv2d_backward(const pt_conv2d_shape *sh, const float *x, const float *weight,
                                  const float *dy, float *dx, float *dweight, float *dbias, int accumulate) {
    const int64_t N = sh->n, C = sh->c, H = sh->h, W = sh->w, K = sh->k, R = sh->r, S = sh->s;
    const int64_t P = sh->p, Q = sh->q;
    if (dweight)
        for (int64_t k = 0; k < K; k++)
            for (int64_t c = 0; c < C; c++)
                for (int64_t r = 0; r < R; r++)
                    for (int64_t s = 0; s < S; s++) {
                        double acc = accumulate ? (double)AT4(dweight, C, R, S, k, c, r, s) : 0.0;
                        for (int64_t n = 0; n < N; n++)
                            for (int64_t p = 0; p < P; p++)
                                for (int64_t q = 0; q < Q; q++) {
                                    const int64_t ih = p * sh->stride_h - sh->pad_h + r;
                                    const int64_t iw = q * sh->stride_w - sh->pad_w + s;
                                    if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                                    acc += (double)AT4(dy, K, P, Q, n, k, p, q) * (double)AT4(x, C, H, W, n, c, ih, iw);
                                }
                        AT4(dweight, C, R, S, k, c, r, s) = (float)acc;
                    }
    if (dbias)
        for (int64_t k = 0; k < K; k++) {
            double acc = accumulate ? (double)dbias[k] : 0.0;
            for (int64_t n = 0; n < N; n++)
                for (int64_t j = 0; j < P * Q; j++) acc += (double)dy[(n * K + k) * P * Q + j];
            dbias[k] = (float)acc;
        }
    if (dx)
        for (int64_t n = 0; n < N; n++)
            for (int64_t c = 0; c < C; c++)
                for (int64_t ih = 0; ih < H; ih++)
                    for (int64_t iw = 0; iw < W; iw++) {
                        double acc = 0.0;
                        for (int64_t k = 0; k < K; k++)
                            for (int64_t r = 0; r < R; r++)
                                for (int64_t s = 0; s < S; s++) {
                                    /* The output (p, q) with p*stride_h - pad_h + r == ih, if any. */
                                    const int64_t ph = ih + sh->pad_h - r, pw = iw + sh->pad_w - s;
                                    if (ph < 0 || pw < 0 || ph % sh->stride_h || pw % sh->stride_w) continue;
                                    const int64_t p = ph / sh->stride_h, q = pw / sh->stride_w;
                                    if (p >= P || q >= Q) continue;
                                    acc += (double)AT4(weight, C, R, S, k, c, r, s) * (double)AT4(dy, K, P, Q, n, k, p, q);
                                }
                        AT4(dx, C, H, W, n, c, ih, iw) = (float)acc;
                    }
}
