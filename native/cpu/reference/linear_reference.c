/*
 * Reference fully connected layer: pt_reference_linear_forward / _backward, the readable
 * specification of cpu/linear.c. https://pytorch.org/docs/stable/generated/torch.nn.Linear.html
 *
 *   forward:  y[i][o] = bias[o] + sum_j x[i][j] * weight[o][j]
 *   backward: dx[i][j] = sum_o dy[i][o] * weight[o][j]
 *             dweight[o][j] (+)= sum_i dy[i][o] * x[i][j]
 *             dbias[o] (+)= sum_i dy[i][o]
 * x (N, IN), weight (OUT, IN), bias and dbias (OUT), y and dy (N, OUT). Every sum is accumulated
 * in double (with the old value when accumulating) and rounded to float once. bias may be NULL;
 * a NULL dx, dweight or dbias is skipped.
 */
#include <stddef.h>

#include "cpu/dense_kernels.h"

void pt_reference_linear_forward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                                 const float *weight, const float *bias, float *y) {
    for (int64_t i = 0; i < n; i++)
        for (int64_t o = 0; o < out_features; o++) {
            double acc = bias ? (double)bias[o] : 0.0;
            for (int64_t j = 0; j < in_features; j++)
                acc += (double)x[i * in_features + j] * (double)weight[o * in_features + j];
            y[i * out_features + o] = (float)acc;
        }
}

void pt_reference_linear_backward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                                  const float *weight, const float *dy, float *dx, float *dweight,
                                  float *dbias, int accumulate) {
    if (dx)
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < in_features; j++) {
                double acc = 0.0;
                for (int64_t o = 0; o < out_features; o++)
                    acc += (double)dy[i * out_features + o] * (double)weight[o * in_features + j];
                dx[i * in_features + j] = (float)acc;
            }
    if (dweight)
        for (int64_t o = 0; o < out_features; o++)
            for (int64_t j = 0; j < in_features; j++) {
                double acc = accumulate ? (double)dweight[o * in_features + j] : 0.0;
                for (int64_t i = 0; i < n; i++)
                    acc += (double)dy[i * out_features + o] * (double)x[i * in_features + j];
                dweight[o * in_features + j] = (float)acc;
            }
    if (dbias)
        for (int64_t o = 0; o < out_features; o++) {
            double acc = accumulate ? (double)dbias[o] : 0.0;
            for (int64_t i = 0; i < n; i++) acc += (double)dy[i * out_features + o];
            dbias[o] = (float)acc;
        }
}
