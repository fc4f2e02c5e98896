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
 *
 * BatchNorm2d + ReLU fused (pt_cpu_batchnorm2d_relu_*): y = max(bn(x), 0) in the normalize pass, and
 * the backward applies ReLU's mask (torch's threshold_backward: the grad passes where the output is
 * > 0) to dy inside both of its passes, so the pair costs the passes of the batch norm alone
 * (forward 3 tensor sweeps instead of 5, backward 5 instead of 8). The mask is recomputed from x
 * and the saved statistics rather than read from the output: x is read by both backward passes
 * anyway, so the recomputation costs a few flops where reading y would cost one more tensor sweep
 * per pass, and the forward's output need not be kept. To make the recomputation give the
 * forward's bits, the fused forward normalizes with the statistics it saves (mean and invstd
 * rounded to float) where the plain one uses their double values: the outputs differ from
 * bn-then-relu by float rounding of the statistics (~1e-7 relative), and the mask is exactly
 * where the fused output is > 0. Both passes compute the pre-activation with one function.
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

/* The batch norm's output (x - mean) * scale + shift, in double, rounded once: the one expression
 * of the forward and of the fused backward's recomputation, so both round the same bits. */
static PT_ALWAYS_INLINE float preact(float x, double mean, double scale, double shift) {
    return (float)(((double)x - mean) * scale + shift);
}

/* The gradient reaching the batch norm's output: dy, or with the ReLU fused (relu a constant
 * after inlining) 0 where the output is <= 0 (NaN passes, as in cpu/relu.c). */
static PT_ALWAYS_INLINE double masked(int relu, float x, float dy, double mean, double scale, double shift) {
    return relu && preact(x, mean, scale, shift) <= 0.0f ? 0.0 : (double)dy;
}

/* y = preact(x) over n rows, then max(y, 0) when relu (NaN passes, as torch.relu). */
static PT_ALWAYS_INLINE void normalize_body(int relu, int64_t n, int64_t hw, int64_t stride, const float *restrict x,
                                            float *restrict y, double mean, double scale, double shift) {
    for (int64_t i = 0; i < n; i++) {
        const float *restrict xr = x + i * stride;
        float *restrict yr = y + i * stride;
#pragma omp simd
        for (int64_t j = 0; j < hw; j++) {
            const float z = preact(xr[j], mean, scale, shift);
            yr[j] = relu && z < 0.0f ? 0.0f : z;
        }
    }
}

PT_SIMD_CLONES
static void normalize_rows(int relu, int64_t n, int64_t hw, int64_t stride, const float *restrict x,
                           float *restrict y, double mean, double scale, double shift) {
    if (relu) normalize_body(1, n, hw, stride, x, y, mean, scale, shift);
    else normalize_body(0, n, hw, stride, x, y, mean, scale, shift);
}

/* *s1 = sum(g), *s2 = sum(g * (x - mean)) over n rows, g = masked(dy) (scale, shift: the forward's). */
static PT_ALWAYS_INLINE void backward_sums_body(int relu, int64_t n, int64_t hw, int64_t stride,
                                                const float *restrict x, const float *restrict dy, double mean,
                                                double scale, double shift, double *s1, double *s2) {
    double a = 0.0, b = 0.0;
    for (int64_t i = 0; i < n; i++) {
        const float *restrict xr = x + i * stride;
        const float *restrict dr = dy + i * stride;
#pragma omp simd reduction(+ : a, b)
        for (int64_t j = 0; j < hw; j++) {
            const double g = masked(relu, xr[j], dr[j], mean, scale, shift);
            a += g;
            b += g * ((double)xr[j] - mean);
        }
    }
    *s1 = a;
    *s2 = b;
}

PT_SIMD_CLONES
static void backward_sums(int relu, int64_t n, int64_t hw, int64_t stride, const float *restrict x,
                          const float *restrict dy, double mean, double scale, double shift, double *s1, double *s2) {
    if (relu) backward_sums_body(1, n, hw, stride, x, dy, mean, scale, shift, s1, s2);
    else backward_sums_body(0, n, hw, stride, x, dy, mean, scale, shift, s1, s2);
}

/* With g = masked(dy): training, dx = (g - mean_dy - (x - mean) * k) * scale; eval (k = mean_dy = 0),
 * dx = g * scale. scale = invstd * weight is also the forward's scale, shift its bias. */
static PT_ALWAYS_INLINE void backward_rows_body(int relu, int training, int64_t n, int64_t hw, int64_t stride,
                                                const float *restrict x, const float *restrict dy,
                                                float *restrict dx, double mean, double mean_dy, double k,
                                                double scale, double shift) {
    for (int64_t i = 0; i < n; i++) {
        const float *restrict xr = x + i * stride;
        const float *restrict dr = dy + i * stride;
        float *restrict out = dx + i * stride;
        if (training) {
#pragma omp simd
            for (int64_t j = 0; j < hw; j++) {
                const double g = masked(relu, xr[j], dr[j], mean, scale, shift);
                out[j] = (float)((g - mean_dy - ((double)xr[j] - mean) * k) * scale);
            }
        } else {
#pragma omp simd
            for (int64_t j = 0; j < hw; j++) out[j] = (float)(masked(relu, xr[j], dr[j], mean, scale, shift) * scale);
        }
    }
}

PT_SIMD_CLONES
static void backward_rows(int relu, int training, int64_t n, int64_t hw, int64_t stride, const float *restrict x,
                          const float *restrict dy, float *restrict dx, double mean, double mean_dy, double k,
                          double scale, double shift) {
    if (relu) backward_rows_body(1, training, n, hw, stride, x, dy, dx, mean, mean_dy, k, scale, shift);
    else backward_rows_body(0, training, n, hw, stride, x, dy, dx, mean, mean_dy, k, scale, shift);
}

PT_KERNEL_END

/* Whether a call over `elements` floats is worth waking the OpenMP team for. */
static int go_parallel(int64_t elements, int threads) {
    return threads > 1 && elements >= PT_PARALLEL_MIN_ELEMENTS;
}

/* The forward of both ops: relu != 0 fuses the ReLU (and normalizes with the float statistics). */
static void forward(int relu, int training, int64_t n, int64_t c, int64_t hw, const float *x, const float *weight,
                    const float *bias, float *running_mean, float *running_var, double momentum, double eps, float *y,
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
        if (relu) { /* what the backward reads back from save_mean / save_invstd (see the top) */
            mean = (float)mean;
            invstd = (float)invstd;
        }
        const double w = weight != NULL ? weight[ch] : 1.0, b = bias != NULL ? bias[ch] : 0.0;
        normalize_rows(relu, n, hw, stride, xc, y + ch * hw, mean, invstd * w, b);
    }
}

/* The backward of both ops: relu != 0 masks dy by the recomputed output (bias is then needed). */
static void backward(int relu, int training, int64_t n, int64_t c, int64_t hw, const float *x, const float *weight,
                     const float *bias, const float *save_mean, const float *save_invstd, const float *dy, float *dx,
                     float *dweight, float *dbias, int accumulate) {
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
        const double scale = invstd * (weight != NULL ? weight[ch] : 1.0), shift = bias != NULL ? bias[ch] : 0.0;
        double sum_dy = 0.0, sum_dy_xmu = 0.0;
        if (need_sums) backward_sums(relu, n, hw, stride, xc, dyc, mean, scale, shift, &sum_dy, &sum_dy_xmu);
        if (dbias != NULL) dbias[ch] = (float)((accumulate ? (double)dbias[ch] : 0.0) + sum_dy);
        if (dweight != NULL) dweight[ch] = (float)((accumulate ? (double)dweight[ch] : 0.0) + sum_dy_xmu * invstd);
        if (dx == NULL) continue;
        /* d/dx through mean and invstd: dy - mean(dy) - (x - mean) * invstd^2 * mean(dy * (x - mean)). */
        const double mean_dy = sum_dy / m, k = invstd * invstd * sum_dy_xmu / m;
        backward_rows(relu, training != 0, n, hw, stride, xc, dyc, dx + ch * hw, mean, mean_dy, k, scale, shift);
    }
}

void pt_cpu_batchnorm2d_forward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                const float *weight, const float *bias, float *running_mean,
                                float *running_var, double momentum, double eps, float *y,
                                float *save_mean, float *save_invstd) {
    forward(0, training, n, c, hw, x, weight, bias, running_mean, running_var, momentum, eps, y, save_mean,
            save_invstd);
}

void pt_cpu_batchnorm2d_backward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                 const float *weight, const float *save_mean, const float *save_invstd,
                                 const float *dy, float *dx, float *dweight, float *dbias, int accumulate) {
    backward(0, training, n, c, hw, x, weight, NULL, save_mean, save_invstd, dy, dx, dweight, dbias, accumulate);
}

void pt_cpu_batchnorm2d_relu_forward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                     const float *weight, const float *bias, float *running_mean,
                                     float *running_var, double momentum, double eps, float *y,
                                     float *save_mean, float *save_invstd) {
    forward(1, training, n, c, hw, x, weight, bias, running_mean, running_var, momentum, eps, y, save_mean,
            save_invstd);
}

void pt_cpu_batchnorm2d_relu_backward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                      const float *weight, const float *bias, const float *save_mean,
                                      const float *save_invstd, const float *dy, float *dx, float *dweight,
                                      float *dbias, int accumulate) {
    backward(1, training, n, c, hw, x, weight, bias, save_mean, save_invstd, dy, dx, dweight, dbias, accumulate);
}
