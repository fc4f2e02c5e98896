/*
 * Internal: the CPU optimizer kernels behind pt_*_step. Arguments are already validated by
 * api/optim_api.c (non-null where numels[i] > 0, hyperparameters in range), so kernels only compute.
 *
 * Two twins per optimizer, same names and argument order:
 *  - pt_cpu_<opt>_step        (cpu/<opt>.c): vectorized (multiversioned, cpu/simd.h) and
 *                              OpenMP-parallel over fixed-size chunks of all tensors;
 *  - pt_reference_<opt>_step  (cpu/reference/<opt>_reference.c): one plain scalar loop, the
 *                              readable specification the fast kernel is tested against.
 * Both compute in float32 with per-tensor scalars (bias corrections) computed in double once.
 */
#ifndef PT_OPTIM_KERNELS_H
#define PT_OPTIM_KERNELS_H

#include <stdint.h>

#include "common/dtypes.h" /* pt_float_to_bf16, pt_bf16_to_float */
#include "panoptim.h"         /* pt_step_extras */

typedef struct pt_sgd_options {
    double lr, momentum, dampening, weight_decay;
    int nesterov, maximize;
} pt_sgd_options;

typedef struct pt_rmsprop_options {
    double lr, alpha, eps, weight_decay, momentum;
    int centered, maximize;
} pt_rmsprop_options;

typedef struct pt_adam_options {
    double lr, beta1, beta2, eps, weight_decay;
    int amsgrad, maximize;
    int decoupled_weight_decay; /* 0: Adam (L2 added to the grad), 1: AdamW (p *= 1 - lr*wd) */
} pt_adam_options;

void pt_cpu_sgd_step(int64_t num_tensors, const int64_t *numels, float *const *params,
                     const float *const *grads, float *const *momentum_buffers,
                     const uint8_t *momentum_buffer_is_new, const pt_sgd_options *o);
void pt_reference_sgd_step(int64_t num_tensors, const int64_t *numels, float *const *params,
                           const float *const *grads, float *const *momentum_buffers,
                           const uint8_t *momentum_buffer_is_new, const pt_sgd_options *o);

void pt_cpu_rmsprop_step(int64_t num_tensors, const int64_t *numels, float *const *params,
                         const float *const *grads, float *const *square_avgs,
                         float *const *momentum_buffers, float *const *grad_avgs,
                         const pt_rmsprop_options *o);
void pt_reference_rmsprop_step(int64_t num_tensors, const int64_t *numels, float *const *params,
                               const float *const *grads, float *const *square_avgs,
                               float *const *momentum_buffers, float *const *grad_avgs,
                               const pt_rmsprop_options *o);

void pt_cpu_adam_step(int64_t num_tensors, const int64_t *numels, float *const *params,
                      const float *const *grads, float *const *exp_avgs,
                      float *const *exp_avg_sqs, float *const *max_exp_avg_sqs,
                      const int64_t *steps, const pt_adam_options *o);
void pt_reference_adam_step(int64_t num_tensors, const int64_t *numels, float *const *params,
                            const float *const *grads, float *const *exp_avgs,
                            float *const *exp_avg_sqs, float *const *max_exp_avg_sqs,
                            const int64_t *steps, const pt_adam_options *o);

/*
 * The *_ex steps on the CPU (cpu/optim_extras.c): the fast kernels above, applied slice by slice
 * to grads converted to float32 (bf16 grads) and unscaled (grad_scale), the bf16 model copy written
 * from each updated slice; lr and step counts read from x. Every pointer of x is host memory.
 * The readable reference of the CUDA *_ex kernels (cuda/sgd.cu, rmsprop.cu, adam.cu).
 * steps is the plain per-tensor list (Adam only), NULL when x->steps holds the counts.
 */
void pt_cpu_sgd_step_ex(int64_t num_tensors, const int64_t *numels, float *const *params,
                        const void *const *grads, float *const *momentum_buffers,
                        const uint8_t *momentum_buffer_is_new, const pt_sgd_options *o,
                        const pt_step_extras *x);
void pt_cpu_rmsprop_step_ex(int64_t num_tensors, const int64_t *numels, float *const *params,
                            const void *const *grads, float *const *square_avgs,
                            float *const *momentum_buffers, float *const *grad_avgs,
                            const pt_rmsprop_options *o, const pt_step_extras *x);
void pt_cpu_adam_step_ex(int64_t num_tensors, const int64_t *numels, float *const *params,
                         const void *const *grads, float *const *exp_avgs, float *const *exp_avg_sqs,
                         float *const *max_exp_avg_sqs, const int64_t *steps, const pt_adam_options *o,
                         const pt_step_extras *x);

#endif
