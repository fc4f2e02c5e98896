/*
 * Fast BatchNorm2d, forward and backward: pt_cpu_batchnorm2d_*, the twins of
 * reference/batchnorm2d_reference.c (the formulas are written there).
 *   https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html
 *
 * x, y, dy, dx are (N, C, HW): channel ch is N rows of HW contiguous floats, C*HW apart.
 *
 * How. Channels are independent, so OpenMP hands out whole channels (as torch's CPU kernel does);
 * every per-channel sum is then computed by one thread in one fixed order, and the results do not
 * depend on the thread count. Each channel costs two passes over its data:
 *  - forward: one pass for the statistics, one to normalize. The statistics are accumulated in
 *    double as shifted sums S1 = sum(x - K), S2 = sum((x - K)^2) with K = the channel's first value:
 *    mean = K + S1/M, var = (S2 - S1^2/M) / M. The shift keeps the sums of the size of the spread
 *    (no catastrophic cancellation when |mean| >> std, unlike a plain sum of squares) while reading
 *    x once, where a two-pass mean-then-variance would read it twice;
 *  - backward: one pass for sum(dy) and sum(dy * (x - mean)) (double), one to write dx.
 * The elementwise maps (normalize, dx) are evaluated in double and rounded once to float: the
 * kernels are memory-bound, so the wider arithmetic is free and the outputs are within an ulp or so
 * of the double reference, even where a float alpha*x + beta form would cancel.
 * Inner loops run over the contiguous HW rows and are vectorized (PT_SIMD_CLONES).
 *
 * Invariants: x, dy, weight, bias and the saved statistics are never written; running stats are
 * updated (training, not NULL) with momentum and the unbiased variance M/(M-1), computed in double.
 */
#include <math.h>
#include <stddef.h>

#include "cpu/layer_kernels.h"
#include "cpu/simd.h"

PT_KERNEL_BEGIN

/* *s1 = sum(x - k), *s2 = sum((x - k)^2) over the n rows of hw floats (row i at x + i*stride). */
PT_SIMD_CLONES
static void shifted_sums(int64_t n, int64_t hw, int64_t stride, const float *restrict x, double k, double *s1,
                         double *s2) {
    double a = 0.0, b = 0.0;
    for (int64_t i = 0; i < n; i++) {
        const float *restrict row = x + i * stride;
#pragma omp simd reduction(+ : a, b)
        for (int64_t j = 0; j < hw; j++) {
            const double d = (double)row[j] - k;
            a += d;
            b += d * d;
        }
    }
    *s1 = a;
    *s2 = b;
}

/* y = (x - mean) * scale + shift over n rows, in double, rounded once. */
PT_SIMD_CLONES
static void normalize_rows(int64_t n, int64_t hw, int64_t stride, const float *restrict x, float *restrict y,
                           double mean, double scale, double shift) {
    for (int64_t i = 0; i < n; i++) {
        const float *restrict xr = x + i * stride;
        float *restrict yr = y + i * stride;
#pragma omp simd
        for (int64_t j = 0; j < hw; j++) yr[j] = (float)(((double)xr[j] - mean) * scale + shift);
    }
}

/* *s1 = sum(dy), *s2 = sum(dy * (x - mean)) over n rows. */
PT_SIMD_CLONES
static void backward_sums(int64_t n, int64_t hw, int64_t stride, const float *restrict x,
                          const float *restrict dy, double mean, double *s1, double *s2) {
    double a = 0.0, b = 0.0;
    for (int64_t i = 0; i < n; i++) {
        const float *restrict xr = x + i * stride;
        const float *restrict dr = dy + i * stride;
#pragma omp simd reduction(+ : a, b)
        for (int64_t j = 0; j < hw; j++) {
            const double g = dr[j];
            a += g;
            b += g * ((double)xr[j] - mean);
        }
    }
    *s1 = a;
    *s2 = b;
}

/* Training: dx = (dy - mean_dy - (x - mean) * k) * scale;  eval (k = mean_dy = 0): dx = dy * scale. */
PT_SIMD_CLONES
static void backward_rows(int64_t n, int64_t hw, int64_t stride, const float *restrict x,
                          const float *restrict dy, float *restrict dx, double mean, double mean_dy, double k,
                          double scale, int training) {
    for (int64_t i = 0; i < n; i++) {
        const float *restrict xr = x + i * stride;
        const float *restrict dr = dy + i * stride;
        float *restrict out = dx + i * stride;
        if (training) {
#pragma omp simd
            for (int64_t j = 0; j < hw; j++)
                out[j] = (float)(((double)dr[j] - mean_dy - ((double)xr[j] - mean) * k) * scale);
        } else {
#pragma omp simd
            for (int64_t j = 0; j < hw; j++) out[j] = (float)((double)dr[j] * scale);
        }
    }
}

PT_KERNEL_END

/* Whether a call over `elements` floats is worth waking the OpenMP team for. */
static int go_parallel(int64_t elements, int threads) {
    return threads > 1 && elements >= PT_PARALLEL_MIN_ELEMENTS;
}

void pt_cpu_batchnorm2d_forward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                const float *weight, const float *bias, float *running_mean,
                                float *running_var, double momentum, double eps, float *y,
                                float *save_mean, float *save_invstd) {
    const double m = (double)(n * hw);
    const int64_t stride = c * hw;
    const int threads = pt_num_threads();
#pragma omp parallel for schedule(static) num_threads(threads) if (go_parallel(n * c * hw, threads))
    for (int64_t ch = 0; ch < c; ch++) {
        const float *xc = x + ch * hw;
        double mean, invstd;
        if (training) {
            const double k = xc[0];
            double s1, s2;
            shifted_sums(n, hw, stride, xc, k, &s1, &s2);
            mean = k + s1 / m;
            double var = (s2 - s1 * (s1 / m)) / m;
            var = var < 0.0 ? 0.0 : var; /* below 0 by rounding only; NaN stays NaN */
            invstd = 1.0 / sqrt(var + eps);
            save_mean[ch] = (float)mean;
            save_invstd[ch] = (float)invstd;
            if (running_mean != NULL) {
                running_mean[ch] = (float)((1.0 - momentum) * running_mean[ch] + momentum * mean);
                running_var[ch] = (float)((1.0 - momentum) * running_var[ch] + momentum * var * m / (m - 1.0));
            }
        } else {
            mean = running_mean[ch];
            invstd = 1.0 / sqrt((double)running_var[ch] + eps);
            if (save_mean != NULL) save_mean[ch] = running_mean[ch];
            if (save_invstd != NULL) save_invstd[ch] = (float)invstd;
        }
        const double w = weight != NULL ? weight[ch] : 1.0, b = bias != NULL ? bias[ch] : 0.0;
        normalize_rows(n, hw, stride, xc, y + ch * hw, mean, invstd * w, b);
    }
}

void pt_cpu_batchnorm2d_backward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                 const float *weight, const float *save_mean, const float *save_invstd,
                                 const float *dy, float *dx, float *dweight, float *dbias, int accumulate) {
    /* Eval mode with only dx wanted needs no reduction at all. */
    const int need_sums = training || dweight != NULL || dbias != NULL;
    if (!need_sums && dx == NULL) return;
    const double m = (double)(n * hw);
    const int64_t stride = c * hw;
    const int threads = pt_num_threads();
#pragma omp parallel for schedule(static) num_threads(threads) if (go_parallel(n * c * hw, threads))
    for (int64_t ch = 0; ch < c; ch++) {
        const float *xc = x + ch * hw, *dyc = dy + ch * hw;
        const double mean = save_mean[ch], invstd = save_invstd[ch];
        double sum_dy = 0.0, sum_dy_xmu = 0.0;
        if (need_sums) backward_sums(n, hw, stride, xc, dyc, mean, &sum_dy, &sum_dy_xmu);
        if (dbias != NULL) dbias[ch] = (float)((accumulate ? (double)dbias[ch] : 0.0) + sum_dy);
        if (dweight != NULL) dweight[ch] = (float)((accumulate ? (double)dweight[ch] : 0.0) + sum_dy_xmu * invstd);
        if (dx == NULL) continue;
        const double scale = invstd * (weight != NULL ? weight[ch] : 1.0);
        /* d/dx through mean and invstd: dy - mean(dy) - (x - mean) * invstd^2 * mean(dy * (x - mean)). */
        const double mean_dy = sum_dy / m, k = invstd * invstd * sum_dy_xmu / m;
        backward_rows(n, hw, stride, xc, dyc, dx + ch * hw, mean, mean_dy, k, scale, training != 0);
    }
}
