/*
 * Fast fused SGD step: pt_cpu_sgd_step, the twin of reference/sgd_reference.c.
 *   https://pytorch.org/docs/stable/generated/torch.optim.SGD.html
 *
 * Per element, g = grad (negated if maximize):
 *   g += weight_decay * p                                 (if weight_decay != 0)
 *   if momentum != 0:
 *     buf = g                                             (if momentum_buffer_is_new[i])
 *     buf = momentum * buf + (1 - dampening) * g          (otherwise)
 *     g = nesterov ? g + momentum * buf : buf
 *   p -= lr * g
 *
 * Invariants: params and momentum buffers are updated in place; grads are never written; each
 * array is read once and written once (one pass over memory); a new momentum buffer is only
 * written, never read (its old contents may be garbage); momentum buffers are not touched when
 * momentum == 0.
 */
#include <stddef.h>

#include "cpu/optim_kernels.h"
#include "cpu/simd.h"

typedef struct sgd_scalars {
    float sign;     /* -1 if maximize: g = sign * grad is exact */
    float wd;       /* g += wd * p */
    float momentum; /* buf = momentum * buf + w * g */
    float w;        /* 1 - dampening */
    float lr;
} sgd_scalars;

PT_KERNEL_BEGIN

static PT_ALWAYS_INLINE void sgd_body(int64_t n, float *restrict p, const float *restrict g,
                                      float *restrict buf, const sgd_scalars s, const int l2,
                                      const int momentum, const int is_new, const int nesterov) {
#pragma omp simd
    for (int64_t j = 0; j < n; j++) {
        float gj = s.sign * g[j];
        if (l2) gj = gj + s.wd * p[j];
        if (momentum) {
            const float bj = is_new ? gj : s.momentum * buf[j] + s.w * gj;
            buf[j] = bj;
            gj = nesterov ? gj + s.momentum * bj : bj;
        }
        p[j] = p[j] - s.lr * gj;
    }
}

PT_SIMD_CLONES
static void sgd_loop(int64_t n, float *restrict p, const float *restrict g, float *restrict buf,
                     const sgd_scalars s, int l2, int momentum, int is_new, int nesterov) {
#define SGD_CASE(l2, mom, isnew, nest) \
    case (l2) | (mom) << 1 | (isnew) << 2 | (nest) << 3: sgd_body(n, p, g, buf, s, l2, mom, isnew, nest); break
    switch (l2 | momentum << 1 | is_new << 2 | nesterov << 3) {
        SGD_CASE(0, 0, 0, 0);
        SGD_CASE(1, 0, 0, 0);
        SGD_CASE(0, 1, 0, 0);
        SGD_CASE(1, 1, 0, 0);
        SGD_CASE(0, 1, 1, 0);
        SGD_CASE(1, 1, 1, 0);
        SGD_CASE(0, 1, 0, 1);
        SGD_CASE(1, 1, 0, 1);
        SGD_CASE(0, 1, 1, 1);
        SGD_CASE(1, 1, 1, 1);
    }
#undef SGD_CASE
}

PT_KERNEL_END

typedef struct sgd_call {
    float *const *params;
    const float *const *grads;
    float *const *momentum_buffers;
    const uint8_t *momentum_buffer_is_new;
    const pt_sgd_options *o;
} sgd_call;

static void sgd_piece(const void *ctx, int64_t i, int64_t begin, int64_t end) {
    const sgd_call *c = ctx;
    const pt_sgd_options *o = c->o;
    const sgd_scalars s = {
        .sign = o->maximize ? -1.0f : 1.0f,
        .wd = (float)o->weight_decay,
        .momentum = (float)o->momentum,
        .w = (float)(1.0 - o->dampening),
        .lr = (float)o->lr,
    };
    const int momentum = o->momentum != 0.0;
    /* Flags that do not apply are zeroed so that only the ten valid loops exist. */
    const int is_new = momentum && c->momentum_buffer_is_new && c->momentum_buffer_is_new[i];
    float *buf = momentum ? c->momentum_buffers[i] + begin : NULL;
    sgd_loop(end - begin, c->params[i] + begin, c->grads[i] + begin, buf, s, o->weight_decay != 0.0,
             momentum, is_new, momentum && o->nesterov);
}

void pt_cpu_sgd_step(int64_t num_tensors, const int64_t *numels, float *const *params,
                     const float *const *grads, float *const *momentum_buffers,
                     const uint8_t *momentum_buffer_is_new, const pt_sgd_options *o) {
    const sgd_call c = {params, grads, momentum_buffers, momentum_buffer_is_new, o};
    pt_for_each_chunk(num_tensors, numels, sgd_piece, &c);
}
