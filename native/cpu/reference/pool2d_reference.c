/*
 * Reference pooling, forward and backward: the readable specification (in double) of cpu/pool2d.c.
 *
 * MaxPool2d (https://pytorch.org/docs/stable/generated/torch.nn.MaxPool2d.html), dilation 1,
 * floor mode: x (N, C, H, W), y (N, C, P, Q), P = (H + 2*pad - kernel) / stride + 1, likewise Q.
 *   y[p][q] = max of x over rows p*stride - pad + [0, kernel) and columns q*stride - pad + [0, kernel),
 *   positions outside the plane counting as -inf (so they never win: pad <= kernel/2 keeps every
 *   window overlapping the plane). The window is scanned row by row and the FIRST maximum wins
 *   (a later value must be strictly greater), as torch's CPU kernel; a NaN always takes over, so
 *   NaN propagates. argmax[p][q] = h*W + w of the winner.
 *   backward: dx = 0, then dx[argmax[p][q]] += dy[p][q] (overlapping windows add up).
 *
 * AdaptiveAvgPool2d(1): y (N, C) = sum of the HW plane / HW;  backward: dx = dy / HW everywhere.
 */
#include <math.h>
#include <stddef.h>

#include "cpu/layer_kernels.h"

void pt_reference_maxpool2d_forward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t kernel,
                                    int64_t stride, int64_t padding, const double *x, double *y,
                                    int32_t *argmax) {
    const int64_t p_out = (h + 2 * padding - kernel) / stride + 1;
    const int64_t q_out = (w + 2 * padding - kernel) / stride + 1;
    for (int64_t plane = 0; plane < n * c; plane++) {
        const double *xp = x + plane * h * w;
        for (int64_t p = 0; p < p_out; p++)
            for (int64_t q = 0; q < q_out; q++) {
                const int64_t h0 = p * stride - padding, w0 = q * stride - padding;
                double best = -INFINITY;
                int64_t best_at = -1;
                for (int64_t hh = h0; hh < h0 + kernel; hh++)
                    for (int64_t ww = w0; ww < w0 + kernel; ww++) {
                        if (hh < 0 || hh >= h || ww < 0 || ww >= w) continue; /* padding: -inf */
                        const double v = xp[hh * w + ww];
                        if (best_at < 0 || v > best || isnan(v)) {
                            best = v;
                            best_at = hh * w + ww;
                        }
                    }
                y[(plane * p_out + p) * q_out + q] = best;
                if (argmax != NULL) argmax[(plane * p_out + p) * q_out + q] = (int32_t)best_at;
            }
    }
}

void pt_reference_maxpool2d_backward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t p, int64_t q,
                                     const double *dy, const int32_t *argmax, double *dx) {
    for (int64_t j = 0; j < n * c * h * w; j++) dx[j] = 0.0;
    for (int64_t plane = 0; plane < n * c; plane++)
        for (int64_t o = 0; o < p * q; o++) dx[plane * h * w + argmax[plane * p * q + o]] += dy[plane * p * q + o];
}

void pt_reference_global_avgpool_forward(int64_t n, int64_t c, int64_t hw, const double *x, double *y) {
    for (int64_t plane = 0; plane < n * c; plane++) {
        double sum = 0.0;
        for (int64_t j = 0; j < hw; j++) sum += x[plane * hw + j];
        y[plane] = sum / (double)hw;
    }
}

void pt_reference_global_avgpool_backward(int64_t n, int64_t c, int64_t hw, const double *dy, double *dx) {
    for (int64_t plane = 0; plane < n * c; plane++)
        for (int64_t j = 0; j < hw; j++) dx[plane * hw + j] = dy[plane] / (double)hw;
}
