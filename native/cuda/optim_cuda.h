/*
 * Internal: the CUDA fused steps behind pt_*_step(_ex) with PT_DEVICE_CUDA (cuda/sgd.cu,
 * rmsprop.cu, adam.cu; cuda/absent/optim_absent.c where the library is built without nvcc).
 * api/optim_api.c has validated everything that can be checked on the host (counts, hyperparameters,
 * non-null pointers, the extras' fields); these check that the pointers are device memory of the
 * current device, queue the step on panoptim's stream of that device and return without waiting.
 *
 * Arguments as the CPU twins (cpu/optim_kernels.h): pointer arrays, numels, is_new flags and
 * steps are host arrays; the pointers they hold, and those of x, are device addresses. `op` names
 * the public call in error messages. x == NULL is the plain step.
 */
#ifndef PT_OPTIM_CUDA_H
#define PT_OPTIM_CUDA_H

#include <stdint.h>

#include "cpu/optim_kernels.h"
#include "panoptim.h"

#ifdef __cplusplus
extern "C" {
#endif

int pt_cuda_sgd_step(const char *op, int64_t num_tensors, const int64_t *numels, float *const *params,
                     const void *const *grads, float *const *momentum_buffers,
                     const uint8_t *momentum_buffer_is_new, const pt_sgd_options *o, const pt_step_extras *x);

int pt_cuda_rmsprop_step(const char *op, int64_t num_tensors, const int64_t *numels, float *const *params,
                         const void *const *grads, float *const *square_avgs, float *const *momentum_buffers,
                         float *const *grad_avgs, const pt_rmsprop_options *o, const pt_step_extras *x);

/* Adam and AdamW (o->decoupled_weight_decay); steps is NULL when x->steps holds the counts. */
int pt_cuda_adam_step(const char *op, int64_t num_tensors, const int64_t *numels, float *const *params,
                      const void *const *grads, float *const *exp_avgs, float *const *exp_avg_sqs,
                      float *const *max_exp_avg_sqs, const int64_t *steps, const pt_adam_options *o,
                      const pt_step_extras *x);

#ifdef __cplusplus
}
#endif

#endif
