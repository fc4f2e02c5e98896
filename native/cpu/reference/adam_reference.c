/*
 * Reference Adam / AdamW step: pt_reference_adam_step, the readable specification that the fast
 * kernel (cpu/adam.c) is tested against. One plain scalar loop per tensor, in the order of
 * torch.optim.Adam's single-tensor implementation:
 *   https://pytorch.org/docs/stable/generated/torch.optim.Adam.html
 *   https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
 *
 * Per element, g = grad (negated if maximize), t = steps[i]:
 *   Adam:  g += weight_decay * p          AdamW: p *= 1 - lr * weight_decay
 *   m = m + (1 - beta1) * (g - m)                         (torch: exp_avg.lerp_(g, 1 - beta1))
 *   v = beta2 * v + (1 - beta2) * g * g
 *   if amsgrad: vmax = max(vmax, v), and vmax replaces v below
 *   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * The per-tensor scalars are computed in double and rounded to float; the elementwise math is
 * float32, one rounding per operation.
 *
 * Invariants: params and state are updated in place; grads are never written;
 * max_exp_avg_sqs is not touched unless amsgrad.
 */
#include <math.h>

#include "cpu/optim_kernels.h"

void pt_reference_adam_step(int64_t num_tensors, const int64_t *numels, float *const *params,
                            const float *const *grads, float *const *exp_avgs,
                            float *const *exp_avg_sqs, float *const *max_exp_avg_sqs,
                            const int64_t *steps, const pt_adam_options *o) {
    for (int64_t i = 0; i < num_tensors; i++) {
        const double t = (double)steps[i];
        const float step_size = (float)(o->lr / (1.0 - pow(o->beta1, t)));
        const float bc2_sqrt = (float)sqrt(1.0 - pow(o->beta2, t));
        const float wd = (float)o->weight_decay;
        const float decay = (float)(1.0 - o->lr * o->weight_decay);
        const float w1 = (float)(1.0 - o->beta1);
        const float beta2 = (float)o->beta2, w2 = (float)(1.0 - o->beta2);
        const float eps = (float)o->eps;
        float *p = params[i], *m = exp_avgs[i], *v = exp_avg_sqs[i];
        const float *grad = grads[i];

        for (int64_t j = 0; j < numels[i]; j++) {
            float g = o->maximize ? -grad[j] : grad[j];
            if (o->weight_decay != 0.0) {
                if (o->decoupled_weight_decay)
                    p[j] = p[j] * decay;
                else
                    g = g + wd * p[j];
            }
            m[j] = m[j] + w1 * (g - m[j]);
            v[j] = beta2 * v[j] + w2 * g * g;
            float v_used = v[j];
            if (o->amsgrad) {
                float *vmax = max_exp_avg_sqs[i];
                vmax[j] = vmax[j] > v[j] ? vmax[j] : v[j];
                v_used = vmax[j];
            }
            const float denom = sqrtf(v_used) / bc2_sqrt + eps;
            p[j] = p[j] - step_size * (m[j] / denom);
        }
    }
}
