/*
 * Fast fused Adam / AdamW step: pt_cpu_adam_step, the twin of reference/adam_reference.c.
 *   https://pytorch.org/docs/stable/generated/torch.optim.Adam.html
 *   https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
 *
 * Per element, g = grad (negated if maximize), t = steps[i]:
 *   Adam:  g += weight_decay * p          AdamW: p *= 1 - lr * weight_decay
 *   m = m + (1 - beta1) * (g - m)
 *   v = beta2 * v + (1 - beta2) * g * g
 *   if amsgrad: vmax = max(vmax, v), and vmax replaces v below
 *   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 *
 * Invariants: params and state are updated in place; grads are never written; each array is
 * read once and written once (one pass over memory); max_exp_avg_sqs is not touched unless
 * amsgrad. Adam and AdamW are one implementation told apart by decoupled_weight_decay, as in
 * PyTorch's FusedAdamMathFunctor.
 */
#include <math.h>
#include <stdatomic.h>
#include <stddef.h>

#include "cpu/optim_kernels.h"
#include "cpu/simd.h"

enum { WD_NONE, WD_L2, WD_DECOUPLED };

/* The per-tensor scalars, computed in double and rounded to float once. */
typedef struct adam_scalars {
    float sign;       /* -1 if maximize: g = sign * grad is exact */
    float wd;         /* Adam: g += wd * p */
    float decay;      /* AdamW: p *= decay */
    float w1;         /* 1 - beta1: m moves this fraction of the way to g (torch's lerp) */
    float beta2, w2;  /* v = beta2 * v + w2 * g * g */
    float step_size;  /* lr / (1 - beta1^t) */
    float bc2_sqrt;   /* sqrt(1 - beta2^t) */
    float eps;
} adam_scalars;

PT_KERNEL_BEGIN

static PT_ALWAYS_INLINE void adam_body(int64_t n, float *restrict p, const float *restrict g,
                                       float *restrict m, float *restrict v, float *restrict vmax,
                                       const adam_scalars s, const int wd_mode, const int amsgrad) {
#pragma omp simd
    for (int64_t j = 0; j < n; j++) {
        float pj = p[j];
        float gj = s.sign * g[j];
        if (wd_mode == WD_L2) gj = gj + s.wd * pj;
        if (wd_mode == WD_DECOUPLED) pj = pj * s.decay;
        const float mj = m[j] + s.w1 * (gj - m[j]);
        float vj = s.beta2 * v[j] + s.w2 * gj * gj;
        m[j] = mj;
        v[j] = vj;
        if (amsgrad) {
            vj = vmax[j] > vj ? vmax[j] : vj;
            vmax[j] = vj;
        }
        const float denom = sqrtf(vj) / s.bc2_sqrt + s.eps;
        p[j] = pj - s.step_size * (mj / denom);
    }
}

PT_SIMD_CLONES
static void adam_loop(int64_t n, float *restrict p, const float *restrict g, float *restrict m,
                      float *restrict v, float *restrict vmax, const adam_scalars s, int wd_mode,
                      int amsgrad) {
#define ADAM_CASE(wd, ams) \
    case (wd) * 2 + (ams): adam_body(n, p, g, m, v, vmax, s, wd, ams); break
    switch (wd_mode * 2 + amsgrad) {
        ADAM_CASE(WD_NONE, 0);
        ADAM_CASE(WD_NONE, 1);
        ADAM_CASE(WD_L2, 0);
        ADAM_CASE(WD_L2, 1);
        ADAM_CASE(WD_DECOUPLED, 0);
        ADAM_CASE(WD_DECOUPLED, 1);
    }
#undef ADAM_CASE
}

PT_KERNEL_END

typedef struct adam_call {
    float *const *params;
    const float *const *grads;
    float *const *exp_avgs, *const *exp_avg_sqs, *const *max_exp_avg_sqs;
    const int64_t *steps;
    const pt_adam_options *o;
    uint_fast64_t serial; /* this call, for adam_memo (never 0) */
} adam_call;

/* The scalars of one step count: a pure function of (options, t), so every chunk of every tensor
 * with that count gets the same floats. */
static adam_scalars adam_scalars_of(const pt_adam_options *o, double t) {
    const adam_scalars s = {
        .sign = o->maximize ? -1.0f : 1.0f,
        .wd = (float)o->weight_decay,
        .decay = (float)(1.0 - o->lr * o->weight_decay),
        .w1 = (float)(1.0 - o->beta1),
        .beta2 = (float)o->beta2,
        .w2 = (float)(1.0 - o->beta2),
        .step_size = (float)(o->lr / (1.0 - pow(o->beta1, t))),
        .bc2_sqrt = (float)sqrt(1.0 - pow(o->beta2, t)),
        .eps = (float)o->eps,
    };
    return s;
}

/* The tensors of a call nearly always take the same step, and two pow() per tensor cost more than
 * the update of a small tensor (161 tensors: 11 of 13 us per call). So each OS thread keeps the
 * scalars of the last (call, step) it computed; `serial` tells calls apart. */
static atomic_uint_fast64_t adam_calls;
static _Thread_local struct {
    uint_fast64_t serial;
    int64_t step;
    adam_scalars s;
} adam_memo;

static void adam_piece(const void *ctx, int64_t i, int64_t begin, int64_t end) {
    const adam_call *c = ctx;
    const pt_adam_options *o = c->o;
    if (adam_memo.serial != c->serial || adam_memo.step != c->steps[i]) {
        adam_memo.s = adam_scalars_of(o, (double)c->steps[i]);
        adam_memo.serial = c->serial;
        adam_memo.step = c->steps[i];
    }
    const adam_scalars s = adam_memo.s;
    /* Zero decay is skipped, as torch does, so that an inf/NaN param cannot leak into g. */
    const int wd_mode = o->weight_decay == 0.0 ? WD_NONE : o->decoupled_weight_decay ? WD_DECOUPLED : WD_L2;
    float *vmax = o->amsgrad ? c->max_exp_avg_sqs[i] + begin : NULL;
    adam_loop(end - begin, c->params[i] + begin, c->grads[i] + begin, c->exp_avgs[i] + begin,
              c->exp_avg_sqs[i] + begin, vmax, s, wd_mode, o->amsgrad != 0);
}

void pt_cpu_adam_step(int64_t num_tensors, const int64_t *numels, float *const *params,
                      const float *const *grads, float *const *exp_avgs, float *const *exp_avg_sqs,
                      float *const *max_exp_avg_sqs, const int64_t *steps, const pt_adam_options *o) {
    const adam_call c = {params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, o, atomic_fetch_add(&adam_calls, 1) + 1};
    pt_for_each_chunk(num_tensors, numels, adam_piece, &c);
}
