/*
 * The extended fused steps on the CPU (pt_*_step_ex with pt_step_extras): torch's capturable
 * variant, AMP unscaling and bf16 mixed precision, built on the fast float32 kernels
 * (cpu/sgd.c, rmsprop.c, adam.c). The readable reference of the CUDA kernels' extras.
 *   https://pytorch.org/docs/stable/generated/torch.optim.Adam.html (capturable, fused)
 *   https://pytorch.org/docs/stable/amp.html#torch.amp.GradScaler (grad_scale, found_inf)
 *
 * Per call:
 *   if found_inf && *found_inf != 0: nothing changes (no param, state, bf16 copy or step count);
 *   lr = *x->lr when given (float, widened to double like the plain lr argument);
 *   t  = x->steps[i] + 1 (float, as torch's `step_t += 1`) when given, else steps[i];
 *   per element: g = grad (float32, or bf16 widened exactly), g = g / *grad_scale (when given),
 *   then exactly the plain step with g, then params_bf16[i][j] = bf16_rn(p[j]) (when given);
 *   afterwards x->steps[i] += 1 for every tensor i (empty ones too: the step was taken).
 *
 * How: each slice of SLICE elements is unscaled into a per-thread scratch buffer (on the stack)
 * and handed to the fast kernel as a one-tensor list, which runs it serially (it is below the
 * kernels' parallel threshold); slices are spread over threads by pt_for_each_chunk. Float32
 * grads with no grad_scale are passed straight through.
 *
 * Invariants: as the plain steps (params and state in place, grads never written); the bf16
 * copies are only written; x->lr, grad_scale and found_inf are only read.
 */
#include <stddef.h>

#include "cpu/optim_kernels.h"
#include "cpu/simd.h"

/* Elements converted at a time: 16 KiB of scratch per thread, a few L1-sized passes. */
#define SLICE 4096

/* The grads of elements [begin, begin + n) of one tensor as float32, unscaled: either the
 * caller's own buffer or `scratch` (SLICE floats). */
static const float *grad_slice(const pt_step_extras *x, const void *grad, int64_t begin, int64_t n,
                               float *scratch) {
    if (x->grad_dtype == PT_DTYPE_FLOAT32 && x->grad_scale == NULL) return (const float *)grad + begin;
    if (x->grad_dtype == PT_DTYPE_BFLOAT16) {
        const uint16_t *g = (const uint16_t *)grad + begin;
        for (int64_t j = 0; j < n; j++) scratch[j] = pt_bf16_to_float(g[j]);
    } else {
        const float *g = (const float *)grad + begin;
        for (int64_t j = 0; j < n; j++) scratch[j] = g[j];
    }
    if (x->grad_scale != NULL) {
        const float scale = *x->grad_scale; /* divided, not multiplied by 1/scale, as torch's fused kernels */
        for (int64_t j = 0; j < n; j++) scratch[j] = scratch[j] / scale;
    }
    return scratch;
}

static void write_bf16(const pt_step_extras *x, int64_t i, const float *p, int64_t begin, int64_t n) {
    if (x->params_bf16 == NULL) return;
    uint16_t *out = (uint16_t *)x->params_bf16[i] + begin;
    for (int64_t j = 0; j < n; j++) out[j] = pt_float_to_bf16(p[j]);
}

static int skipped(const pt_step_extras *x) { return x->found_inf != NULL && *x->found_inf != 0.0f; }

static void count_steps(int64_t num_tensors, const pt_step_extras *x) {
    if (x->steps == NULL) return;
    for (int64_t i = 0; i < num_tensors; i++) x->steps[i] = x->steps[i] + 1.0f;
}

/* ------------------------------------------------------------------------------------ SGD */

typedef struct sgd_ex_call {
    float *const *params;
    const void *const *grads;
    float *const *momentum_buffers;
    const uint8_t *momentum_buffer_is_new;
    pt_sgd_options o;
    const pt_step_extras *x;
} sgd_ex_call;

static void sgd_ex_piece(const void *ctx, int64_t i, int64_t begin, int64_t end) {
    const sgd_ex_call *c = ctx;
    float scratch[SLICE];
    const uint8_t is_new = c->momentum_buffer_is_new ? c->momentum_buffer_is_new[i] : 0;
    for (int64_t b = begin; b < end; b += SLICE) {
        const int64_t n = end - b < SLICE ? end - b : SLICE;
        float *p = c->params[i] + b;
        const float *g = grad_slice(c->x, c->grads[i], b, n, scratch);
        float *buf = c->o.momentum != 0.0 ? c->momentum_buffers[i] + b : NULL;
        pt_cpu_sgd_step(1, &n, &p, &g, &buf, &is_new, &c->o);
        write_bf16(c->x, i, p, b, n);
    }
}

void pt_cpu_sgd_step_ex(int64_t num_tensors, const int64_t *numels, float *const *params,
                        const void *const *grads, float *const *momentum_buffers,
                        const uint8_t *momentum_buffer_is_new, const pt_sgd_options *o,
                        const pt_step_extras *x) {
    if (skipped(x)) return;
    sgd_ex_call c = {params, grads, momentum_buffers, momentum_buffer_is_new, *o, x};
    if (x->lr != NULL) c.o.lr = *x->lr;
    pt_for_each_chunk(num_tensors, numels, sgd_ex_piece, &c);
}

/* -------------------------------------------------------------------------------- RMSprop */

typedef struct rmsprop_ex_call {
    float *const *params;
    const void *const *grads;
    float *const *square_avgs, *const *momentum_buffers, *const *grad_avgs;
    pt_rmsprop_options o;
    const pt_step_extras *x;
} rmsprop_ex_call;

static void rmsprop_ex_piece(const void *ctx, int64_t i, int64_t begin, int64_t end) {
    const rmsprop_ex_call *c = ctx;
    float scratch[SLICE];
    for (int64_t b = begin; b < end; b += SLICE) {
        const int64_t n = end - b < SLICE ? end - b : SLICE;
        float *p = c->params[i] + b, *sq = c->square_avgs[i] + b;
        const float *g = grad_slice(c->x, c->grads[i], b, n, scratch);
        float *buf = c->o.momentum > 0.0 ? c->momentum_buffers[i] + b : NULL;
        float *ga = c->o.centered ? c->grad_avgs[i] + b : NULL;
        pt_cpu_rmsprop_step(1, &n, &p, &g, &sq, &buf, &ga, &c->o);
        write_bf16(c->x, i, p, b, n);
    }
}

void pt_cpu_rmsprop_step_ex(int64_t num_tensors, const int64_t *numels, float *const *params,
                            const void *const *grads, float *const *square_avgs,
                            float *const *momentum_buffers, float *const *grad_avgs,
                            const pt_rmsprop_options *o, const pt_step_extras *x) {
    if (skipped(x)) return;
    rmsprop_ex_call c = {params, grads, square_avgs, momentum_buffers, grad_avgs, *o, x};
    if (x->lr != NULL) c.o.lr = *x->lr;
    pt_for_each_chunk(num_tensors, numels, rmsprop_ex_piece, &c);
    count_steps(num_tensors, x);
}

/* ----------------------------------------------------------------------------- Adam/AdamW */

typedef struct adam_ex_call {
    float *const *params;
    const void *const *grads;
    float *const *exp_avgs, *const *exp_avg_sqs, *const *max_exp_avg_sqs;
    const int64_t *steps;
    pt_adam_options o;
    const pt_step_extras *x;
} adam_ex_call;

static void adam_ex_piece(const void *ctx, int64_t i, int64_t begin, int64_t end) {
    const adam_ex_call *c = ctx;
    float scratch[SLICE];
    /* The step being taken: the stored count + 1, added in float as torch's capturable step_t. */
    const int64_t t = c->x->steps ? (int64_t)(c->x->steps[i] + 1.0f) : c->steps[i];
    for (int64_t b = begin; b < end; b += SLICE) {
        const int64_t n = end - b < SLICE ? end - b : SLICE;
        float *p = c->params[i] + b, *m = c->exp_avgs[i] + b, *v = c->exp_avg_sqs[i] + b;
        const float *g = grad_slice(c->x, c->grads[i], b, n, scratch);
        float *vmax = c->o.amsgrad ? c->max_exp_avg_sqs[i] + b : NULL;
        pt_cpu_adam_step(1, &n, &p, &g, &m, &v, &vmax, &t, &c->o);
        write_bf16(c->x, i, p, b, n);
    }
}

void pt_cpu_adam_step_ex(int64_t num_tensors, const int64_t *numels, float *const *params,
                         const void *const *grads, float *const *exp_avgs, float *const *exp_avg_sqs,
                         float *const *max_exp_avg_sqs, const int64_t *steps, const pt_adam_options *o,
                         const pt_step_extras *x) {
    if (skipped(x)) return;
    adam_ex_call c = {params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, *o, x};
    if (x->lr != NULL) c.o.lr = *x->lr;
    pt_for_each_chunk(num_tensors, numels, adam_ex_piece, &c);
    count_steps(num_tensors, x);
}
