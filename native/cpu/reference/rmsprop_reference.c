/*
 * Reference RMSprop step: pt_reference_rmsprop_step, the readable specification that the fast
 * kernel (cpu/rmsprop.c) is tested against. One plain scalar loop per tensor, in the order of
 * torch.optim.RMSprop's single-tensor implementation:
 *   https://pytorch.org/docs/stable/generated/torch.optim.RMSprop.html
 *
 * Per element, g = grad (negated if maximize):
 *   g += weight_decay * p                                 (if weight_decay != 0)
 *   sq = alpha * sq + (1 - alpha) * g * g
 *   if centered: ga = ga + (1 - alpha) * (g - ga);  avg = sqrt(sq - ga * ga) + eps
 *   else:        avg = sqrt(sq) + eps                     (eps after the square root)
 *   if momentum > 0: buf = momentum * buf + g / avg;  p -= lr * buf
 *   else:            p -= lr * g / avg
 * Elementwise math is float32, one rounding per operation.
 *
 * Invariants: params and state are updated in place; grads are never written; momentum_buffers
 * are not touched when momentum == 0, grad_avgs not unless centered.
 */
#include <math.h>

#include "cpu/optim_kernels.h"

void pt_reference_rmsprop_step(int64_t num_tensors, const int64_t *numels, float *const *params,
                               const float *const *grads, float *const *square_avgs,
                               float *const *momentum_buffers, float *const *grad_avgs,
                               const pt_rmsprop_options *o) {
    const float wd = (float)o->weight_decay;
    const float alpha = (float)o->alpha, w = (float)(1.0 - o->alpha);
    const float eps = (float)o->eps;
    const float momentum = (float)o->momentum;
    const float lr = (float)o->lr;
    for (int64_t i = 0; i < num_tensors; i++) {
        float *p = params[i], *sq = square_avgs[i];
        const float *grad = grads[i];

        for (int64_t j = 0; j < numels[i]; j++) {
            float g = o->maximize ? -grad[j] : grad[j];
            if (o->weight_decay != 0.0) g = g + wd * p[j];
            sq[j] = alpha * sq[j] + w * g * g;
            float avg;
            if (o->centered) {
                float *ga = grad_avgs[i];
                ga[j] = ga[j] + w * (g - ga[j]);
                avg = sqrtf(sq[j] - ga[j] * ga[j]) + eps;
            } else {
                avg = sqrtf(sq[j]) + eps;
            }
            if (o->momentum > 0.0) {
                float *buf = momentum_buffers[i];
                buf[j] = momentum * buf[j] + g / avg;
                p[j] = p[j] - lr * buf[j];
            } else {
                p[j] = p[j] - lr * (g / avg);
            }
        }
    }
}
