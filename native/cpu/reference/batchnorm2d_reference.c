/*
 * Reference BatchNorm2d, forward and backward: the readable specification (in double) that the fast
 * kernels of cpu/batchnorm2d.c are tested against, and that the tests differentiate numerically.
 *   https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html
 *
 * x is (N, C, HW); channel ch holds the M = N*HW values x[i][ch][j]. weight, bias are (C) or NULL
 * (weight 1, bias 0).
 * Forward, training:
 *   mean = sum(x) / M,  var = sum((x - mean)^2) / M       (biased: what normalizes)
 *   invstd = 1 / sqrt(var + eps)
 *   y = (x - mean) * invstd * weight + bias
 *   save_mean = mean, save_invstd = invstd
 *   running_mean = (1 - momentum) * running_mean + momentum * mean
 *   running_var  = (1 - momentum) * running_var  + momentum * var * M / (M - 1)   (unbiased)
 * Forward, eval: mean = running_mean, invstd = 1 / sqrt(running_var + eps), same y; the statistics
 *   are copied to save_mean / save_invstd when those are not NULL.
 * Backward, with xhat = (x - mean) * invstd (mean, invstd from save_*):
 *   dbias   (+)= sum(dy)
 *   dweight (+)= sum(dy * xhat)
 *   training: dx = weight * invstd * (dy - sum(dy) / M - xhat * sum(dy * xhat) / M)
 *             (the batch statistics depend on x: d mean / dx = 1/M, d invstd / dx = -invstd^3 (x - mean) / M)
 *   eval:     dx = weight * invstd * dy
 * Invariants: x, dy, weight and the saved statistics are never written.
 */
#include <math.h>
#include <stddef.h>

#include "cpu/layer_kernels.h"

/* Element j of channel ch in image i. */
#define AT(t, i, ch, j) (t)[((i) * c + (ch)) * hw + (j)]

void pt_reference_batchnorm2d_forward(int training, int64_t n, int64_t c, int64_t hw, const double *x,
                                      const double *weight, const double *bias, double *running_mean,
                                      double *running_var, double momentum, double eps, double *y,
                                      double *save_mean, double *save_invstd) {
    const double m = (double)(n * hw);
    for (int64_t ch = 0; ch < c; ch++) {
        double mean, invstd;
        if (training) {
            double sum = 0.0;
            for (int64_t i = 0; i < n; i++)
                for (int64_t j = 0; j < hw; j++) sum += AT(x, i, ch, j);
            mean = sum / m;
            double sq = 0.0;
            for (int64_t i = 0; i < n; i++)
                for (int64_t j = 0; j < hw; j++) sq += (AT(x, i, ch, j) - mean) * (AT(x, i, ch, j) - mean);
            const double var = sq / m;
            invstd = 1.0 / sqrt(var + eps);
            save_mean[ch] = mean;
            save_invstd[ch] = invstd;
            if (running_mean != NULL) {
                running_mean[ch] = (1.0 - momentum) * running_mean[ch] + momentum * mean;
                running_var[ch] = (1.0 - momentum) * running_var[ch] + momentum * var * m / (m - 1.0);
            }
        } else {
            mean = running_mean[ch];
            invstd = 1.0 / sqrt(running_var[ch] + eps);
            if (save_mean != NULL) save_mean[ch] = mean;
            if (save_invstd != NULL) save_invstd[ch] = invstd;
        }
        const double w = weight != NULL ? weight[ch] : 1.0, b = bias != NULL ? bias[ch] : 0.0;
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < hw; j++) AT(y, i, ch, j) = (AT(x, i, ch, j) - mean) * invstd * w + b;
    }
}

void pt_reference_batchnorm2d_backward(int training, int64_t n, int64_t c, int64_t hw, const double *x,
                                       const double *weight, const double *save_mean,
                                       const double *save_invstd, const double *dy, double *dx,
                                       double *dweight, double *dbias, int accumulate) {
    const double m = (double)(n * hw);
    for (int64_t ch = 0; ch < c; ch++) {
        const double mean = save_mean[ch], invstd = save_invstd[ch];
        const double w = weight != NULL ? weight[ch] : 1.0;
        double sum_dy = 0.0, sum_dy_xhat = 0.0;
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < hw; j++) {
                sum_dy += AT(dy, i, ch, j);
                sum_dy_xhat += AT(dy, i, ch, j) * (AT(x, i, ch, j) - mean) * invstd;
            }
        if (dbias != NULL) dbias[ch] = (accumulate ? dbias[ch] : 0.0) + sum_dy;
        if (dweight != NULL) dweight[ch] = (accumulate ? dweight[ch] : 0.0) + sum_dy_xhat;
        if (dx == NULL) continue;
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < hw; j++) {
                const double xhat = (AT(x, i, ch, j) - mean) * invstd;
                AT(dx, i, ch, j) = training
                    ? w * invstd * (AT(dy, i, ch, j) - sum_dy / m - xhat * sum_dy_xhat / m)
                    : w * invstd * AT(dy, i, ch, j);
            }
    }
}
