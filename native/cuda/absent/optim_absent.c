/* Built instead of cuda/{sgd,rmsprop,adam}.cu when the library is compiled without nvcc: the same
 * entry points (cuda/optim_cuda.h), failing with the reason. */
#include "api/error.h"
#include "cuda/optim_cuda.h"

static int no_cuda(const char *op) {
    return pt_fail(PT_ERR_UNSUPPORTED, "%s: this libpanoptim was built without CUDA (nvcc was not found at build time)",
                   op);
}

int pt_cuda_sgd_step(const char *op, int64_t num_tensors, const int64_t *numels, float *const *params,
                     const void *const *grads, float *const *momentum_buffers,
                     const uint8_t *momentum_buffer_is_new, const pt_sgd_options *o, const pt_step_extras *x) {
    return no_cuda(op);
}

int pt_cuda_rmsprop_step(const char *op, int64_t num_tensors, const int64_t *numels, float *const *params,
                         const void *const *grads, float *const *square_avgs, float *const *momentum_buffers,
                         float *const *grad_avgs, const pt_rmsprop_options *o, const pt_step_extras *x) {
    return no_cuda(op);
}

int pt_cuda_adam_step(const char *op, int64_t num_tensors, const int64_t *numels, float *const *params,
                      const void *const *grads, float *const *exp_avgs, float *const *exp_avg_sqs,
                      float *const *max_exp_avg_sqs, const int64_t *steps, const pt_adam_options *o,
                      const pt_step_extras *x) {
    return no_cuda(op);
}
