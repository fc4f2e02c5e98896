/*
 * Internal: the CPU kernels behind the non-dense layer ops of panoptim.h (batch norm, ReLU,
 * elementwise helpers, pooling, cross-entropy). Arguments are already validated by
 * api/layers_api.c (non-null where required, dims > 0, hyperparameters in range, targets and
 * argmax indices in range), so kernels only compute.
 *
 * Two twins per op, same names and argument order:
 *  - pt_cpu_<op>        (cpu/<file>.c): float32 tensors; vectorized where it pays (multiversioned,
 *                        cpu/simd.h) and OpenMP-parallel over channels / planes / rows / chunks
 *                        when the call is big enough; reductions accumulated in double;
 *  - pt_reference_<op>  (cpu/reference/<file>_reference.c): plain loops over double tensors, the
 *                        readable specification. Being in double, the references are also what the
 *                        tests differentiate numerically (central differences) to check each backward
 *                        against its forward.
 * Shapes follow the public header: x is (N, C, HW) or (N, C, H, W), logits are (N, CLASSES).
 *
 * One extension of the public contract, shared by both twins: pt_*_batchnorm2d_forward with
 * training == 0 writes save_mean = running_mean and save_invstd = 1/sqrt(running_var + eps) when
 * those pointers are not NULL -- exactly what the eval-mode backward wants.
 */
#ifndef PT_LAYER_KERNELS_H
#define PT_LAYER_KERNELS_H

#include <stdint.h>

#include "cpu/simd.h"

/* ------------------------------------------------------------ parallel blocks */

/* Updates items [lo, hi) of the call described by ctx (planes, channels, rows...). */
typedef void (*pt_block_fn)(const void *ctx, int64_t lo, int64_t hi);

/* Item range [*lo, *hi) of block b of num: contiguous, sizes differing by at most one. */
static inline void pt_block_range(int64_t items, int64_t b, int64_t num, int64_t *lo, int64_t *hi) {
    const int64_t base = items / num, extra = items % num;
    *lo = b * base + (b < extra ? b : extra);
    *hi = *lo + base + (b < extra);
}

/*
 * Calls body over [0, items) once: on the calling thread when the call moves fewer than
 * PT_PARALLEL_MIN_ELEMENTS floats (`elements`) or one thread is configured, else as one contiguous
 * block per thread of the OpenMP team. Kernels that use it keep each item's result independent of
 * the cut, so the outputs do not depend on the thread count.
 */
static inline void pt_for_each_block(int64_t items, int64_t elements, pt_block_fn body, const void *ctx) {
    const int threads = pt_num_threads();
    if (threads == 1 || items < 2 || elements < PT_PARALLEL_MIN_ELEMENTS) {
        if (items > 0) body(ctx, 0, items);
        return;
    }
#pragma omp parallel num_threads(threads)
    {
        int64_t lo, hi;
        pt_block_range(items, omp_get_thread_num(), omp_get_num_threads(), &lo, &hi);
        if (lo < hi) body(ctx, lo, hi);
    }
}

/* ------------------------------------------------------------ batch norm (cpu/batchnorm2d.c) */

void pt_cpu_batchnorm2d_forward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                const float *weight, const float *bias, float *running_mean,
                                float *running_var, double momentum, double eps, float *y,
                                float *save_mean, float *save_invstd);
void pt_reference_batchnorm2d_forward(int training, int64_t n, int64_t c, int64_t hw, const double *x,
                                      const double *weight, const double *bias, double *running_mean,
                                      double *running_var, double momentum, double eps, double *y,
                                      double *save_mean, double *save_invstd);

void pt_cpu_batchnorm2d_backward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                 const float *weight, const float *save_mean, const float *save_invstd,
                                 const float *dy, float *dx, float *dweight, float *dbias, int accumulate);
void pt_reference_batchnorm2d_backward(int training, int64_t n, int64_t c, int64_t hw, const double *x,
                                       const double *weight, const double *save_mean,
                                       const double *save_invstd, const double *dy, double *dx,
                                       double *dweight, double *dbias, int accumulate);

/* BatchNorm2d then ReLU in one op (cpu/batchnorm2d.c; no reference of its own: the tests check it
 * against the plain batch norm and ReLU kernels). */
void pt_cpu_batchnorm2d_relu_forward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                     const float *weight, const float *bias, float *running_mean,
                                     float *running_var, double momentum, double eps, float *y,
                                     float *save_mean, float *save_invstd);
void pt_cpu_batchnorm2d_relu_backward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                      const float *weight, const float *bias, const float *save_mean,
                                      const float *save_invstd, const float *dy, float *dx, float *dweight,
                                      float *dbias, int accumulate);

/* ------------------------------------------------------------ ReLU (cpu/relu.c) */

void pt_cpu_relu_forward(int64_t numel, const float *x, float *y);
void pt_reference_relu_forward(int64_t numel, const double *x, double *y);
void pt_cpu_relu_backward(int64_t numel, const float *x, const float *dy, float *dx);
void pt_reference_relu_backward(int64_t numel, const double *x, const double *dy, double *dx);

/* ------------------------------------------------------------ elementwise (cpu/elementwise.c) */

void pt_cpu_add(int64_t numel, const float *a, const float *b, float *y);
void pt_reference_add(int64_t numel, const double *a, const double *b, double *y);
void pt_cpu_axpy(int64_t numel, double alpha, const float *x, float *y);
void pt_reference_axpy(int64_t numel, double alpha, const double *x, double *y);
void pt_cpu_fill(int64_t numel, double value, float *y);
void pt_reference_fill(int64_t numel, double value, double *y);

/* ------------------------------------------------------------ pooling (cpu/pool2d.c) */

void pt_cpu_maxpool2d_forward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t kernel, int64_t stride,
                              int64_t padding, const float *x, float *y, int32_t *argmax);
void pt_reference_maxpool2d_forward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t kernel,
                                    int64_t stride, int64_t padding, const double *x, double *y,
                                    int32_t *argmax);
void pt_cpu_maxpool2d_backward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t p, int64_t q,
                               const float *dy, const int32_t *argmax, float *dx);
void pt_reference_maxpool2d_backward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t p, int64_t q,
                                     const double *dy, const int32_t *argmax, double *dx);

void pt_cpu_global_avgpool_forward(int64_t n, int64_t c, int64_t hw, const float *x, float *y);
void pt_reference_global_avgpool_forward(int64_t n, int64_t c, int64_t hw, const double *x, double *y);
void pt_cpu_global_avgpool_backward(int64_t n, int64_t c, int64_t hw, const float *dy, float *dx);
void pt_reference_global_avgpool_backward(int64_t n, int64_t c, int64_t hw, const double *dy, double *dx);

/* ------------------------------------------------------------ cross-entropy (cpu/cross_entropy.c) */

void pt_cpu_cross_entropy_forward(int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                                  double label_smoothing, float *probs, double *loss);
void pt_reference_cross_entropy_forward(int64_t n, int64_t classes, const double *logits,
                                        const int32_t *targets, double label_smoothing, double *probs,
                                        double *loss);
void pt_cpu_cross_entropy_backward(int64_t n, int64_t classes, const float *probs, const int32_t *targets,
                                   double label_smoothing, double grad_scale, float *dlogits);
void pt_reference_cross_entropy_backward(int64_t n, int64_t classes, const double *probs,
                                         const int32_t *targets, double label_smoothing, double grad_scale,
                                         double *dlogits);
void pt_cpu_argmax_correct(int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                           int64_t *correct);
void pt_reference_argmax_correct(int64_t n, int64_t classes, const double *logits, const int32_t *targets,
                                 int64_t *correct);

#endif
