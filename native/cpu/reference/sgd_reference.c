/*
 * Reference SGD step: pt_reference_sgd_step, the readable specification that the fast kernel
 * (cpu/sgd.c) is tested against. One plain scalar loop per tensor, in the order of
 * torch.optim.SGD's single-tensor implementation:
 *   https://pytorch.org/docs/stable/generated/torch.optim.SGD.html
 *
 * Per element, g = grad (negated if maximize):
 *   g += weight_decay * p                                 (if weight_decay != 0)
 *   if momentum != 0:
 *     buf = g                                             (if momentum_buffer_is_new[i]:
 *                                                          torch clones the grad, no dampening)
 *     buf = momentum * buf + (1 - dampening) * g          (otherwise)
 *     g = nesterov ? g + momentum * buf : buf
 *   p -= lr * g
 * Elementwise math is float32, one rounding per operation.
 *
 * Invariants: params and momentum buffers are updated in place; grads are never written; a new
 * momentum buffer is only written; momentum buffers are not touched when momentum == 0.
 */
#include <stddef.h>

#include "cpu/optim_kernels.h"

void pt_reference_sgd_step(int64_t num_tensors, const int64_t *numels, float *const *params,
                           const float *const *grads, float *const *momentum_buffers,
                           const uint8_t *momentum_buffer_is_new, const pt_sgd_options *o) {
    const float wd = (float)o->weight_decay;
    const float momentum = (float)o->momentum;
    const float w = (float)(1.0 - o->dampening);
    const float lr = (float)o->lr;
    for (int64_t i = 0; i < num_tensors; i++) {
        const int is_new = momentum_buffer_is_new != NULL && momentum_buffer_is_new[i] != 0;
        float *p = params[i];
        const float *grad = grads[i];

        for (int64_t j = 0; j < numels[i]; j++) {
            float g = o->maximize ? -grad[j] : grad[j];
            if (o->weight_decay != 0.0) g = g + wd * p[j];
            if (o->momentum != 0.0) {
                float *buf = momentum_buffers[i];
                buf[j] = is_new ? g : momentum * buf[j] + w * g;
                g = o->nesterov ? g + momentum * buf[j] : buf[j];
            }
            p[j] = p[j] - lr * g;
        }
    }
}
