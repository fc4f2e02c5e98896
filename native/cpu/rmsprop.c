/*
 * Fast fused RMSprop step: pt_cpu_rmsprop_step, the twin of reference/rmsprop_reference.c.
 *   https://pytorch.org/docs/stable/generated/torch.optim.RMSprop.html
 *
 * Per element, g = grad (negated if maximize):
 *   g += weight_decay * p                                 (if weight_decay != 0)
 *   sq = alpha * sq + (1 - alpha) * g * g
 *   if centered: ga = ga + (1 - alpha) * (g - ga);  avg = sqrt(sq - ga * ga) + eps
 *   else:        avg = sqrt(sq) + eps
 *   if momentum > 0: buf = momentum * buf + g / avg;  p -= lr * buf
 *   else:            p -= lr * g / avg
 * eps is added after the square root, as torch does (unlike Adam's placement inside the step).
 *
 * Invariants: params and state are updated in place; grads are never written; each array is
 * read once and written once (one pass over memory); momentum_buffers are not touched when
 * momentum == 0, grad_avgs not unless centered.
 */
#include <math.h>
#include <stddef.h>

#include "cpu/optim_kernels.h"
#include "cpu/simd.h"

typedef struct rmsprop_scalars {
    float sign;     /* -1 if maximize: g = sign * grad is exact */
    float wd;       /* g += wd * p */
    float alpha, w; /* sq = alpha * sq + w * g * g, with w = 1 - alpha; ga moves w of the way to g */
    float eps;
    float momentum;
    float lr;
} rmsprop_scalars;

PT_KERNEL_BEGIN

static PT_ALWAYS_INLINE void rmsprop_body(int64_t n, float *restrict p, const float *restrict g,
                                          float *restrict sq, float *restrict buf, float *restrict ga,
                                          const rmsprop_scalars s, const int l2, const int centered,
                                          const int momentum) {
#pragma omp simd
    for (int64_t j = 0; j < n; j++) {
        float gj = s.sign * g[j];
        if (l2) gj = gj + s.wd * p[j];
        const float sqj = s.alpha * sq[j] + s.w * gj * gj;
        sq[j] = sqj;
        float avg;
        if (centered) {
            const float gaj = ga[j] + s.w * (gj - ga[j]);
            ga[j] = gaj;
            avg = sqrtf(sqj - gaj * gaj) + s.eps;
        } else {
            avg = sqrtf(sqj) + s.eps;
        }
        if (momentum) {
            const float bj = s.momentum * buf[j] + gj / avg;
            buf[j] = bj;
            p[j] = p[j] - s.lr * bj;
        } else {
            p[j] = p[j] - s.lr * (gj / avg);
        }
    }
}

PT_SIMD_CLONES
static void rmsprop_loop(int64_t n, float *restrict p, const float *restrict g, float *restrict sq,
                         float *restrict buf, float *restrict ga, const rmsprop_scalars s, int l2,
                         int centered, int momentum) {
#define RMSPROP_CASE(l2, cen, mom) \
    case (l2) | (cen) << 1 | (mom) << 2: rmsprop_body(n, p, g, sq, buf, ga, s, l2, cen, mom); break
    switch (l2 | centered << 1 | momentum << 2) {
        RMSPROP_CASE(0, 0, 0);
        RMSPROP_CASE(1, 0, 0);
        RMSPROP_CASE(0, 1, 0);
        RMSPROP_CASE(1, 1, 0);
        RMSPROP_CASE(0, 0, 1);
        RMSPROP_CASE(1, 0, 1);
        RMSPROP_CASE(0, 1, 1);
        RMSPROP_CASE(1, 1, 1);
    }
#undef RMSPROP_CASE
}

PT_KERNEL_END

typedef struct rmsprop_call {
    float *const *params;
    const float *const *grads;
    float *const *square_avgs, *const *momentum_buffers, *const *grad_avgs;
    const pt_rmsprop_options *o;
} rmsprop_call;

static void rmsprop_piece(const void *ctx, int64_t i, int64_t begin, int64_t end) {
    const rmsprop_call *c = ctx;
    const pt_rmsprop_options *o = c->o;
    const rmsprop_scalars s = {
        .sign = o->maximize ? -1.0f : 1.0f,
        .wd = (float)o->weight_decay,
        .alpha = (float)o->alpha,
        .w = (float)(1.0 - o->alpha),
        .eps = (float)o->eps,
        .momentum = (float)o->momentum,
        .lr = (float)o->lr,
    };
    const int momentum = o->momentum > 0.0;
    float *buf = momentum ? c->momentum_buffers[i] + begin : NULL;
    float *ga = o->centered ? c->grad_avgs[i] + begin : NULL;
    rmsprop_loop(end - begin, c->params[i] + begin, c->grads[i] + begin, c->square_avgs[i] + begin, buf,
                 ga, s, o->weight_decay != 0.0, o->centered != 0, momentum);
}

void pt_cpu_rmsprop_step(int64_t num_tensors, const int64_t *numels, float *const *params,
                         const float *const *grads, float *const *square_avgs,
                         float *const *momentum_buffers, float *const *grad_avgs,
                         const pt_rmsprop_options *o) {
    const rmsprop_call c = {params, grads, square_avgs, momentum_buffers, grad_avgs, o};
    pt_for_each_chunk(num_tensors, numels, rmsprop_piece, &c);
}
