/*
 * Fast softmax cross-entropy: pt_cpu_cross_entropy_* and pt_cpu_argmax_correct, the twins of
 * reference/cross_entropy_reference.c (the formulas are written there).
 *   https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html (mean reduction)
 *
 * logits, probs, dlogits are (N, C); targets (N), already checked to lie in [0, C).
 * Per row, stably (log-sum-exp around the row maximum m), everything in double:
 *   e_c = exp(z_c - m),  s = sum_c e_c,  lse = m + log(s),  probs_c = e_c / s
 *   loss_i = -sum_c q_c (z_c - lse) = lse - (1 - eps) * z_t - (eps / C) * sum_c z_c
 * (the second form needs no log p_c per class, and sum_c q_c = 1). The exponentials go through
 * scalar libm exp(): glibc's vector exp is only declared under -ffast-math, and the op is a tiny
 * share of a training step (N x classes values).
 *
 * Parallelism and determinism: rows are cut into a fixed number of blocks (LOSS_BLOCKS, whatever
 * the thread count); each block sums its row losses in double in row order, and the block sums are
 * added in block order. The mean loss is therefore the same bits for 1 or 64 threads. Blocks run
 * on the OpenMP team when the call is big enough.
 * Invariants: logits, probs (in the backward) and targets are never written.
 */
#include <math.h>

#include "cpu/layer_kernels.h"

#define LOSS_BLOCKS 64

PT_KERNEL_BEGIN

/* The row maximum (vectorized; a NaN in the row makes every exp below NaN anyway). */
PT_SIMD_CLONES
static float row_max(int64_t classes, const float *restrict z) {
    float m = z[0];
#pragma omp simd reduction(max : m)
    for (int64_t k = 1; k < classes; k++) m = z[k] > m ? z[k] : m;
    return m;
}

/* sum_c z_c in double (for the label-smoothing term). */
PT_SIMD_CLONES
static double row_sum(int64_t classes, const float *restrict z) {
    double s = 0.0;
#pragma omp simd reduction(+ : s)
    for (int64_t k = 0; k < classes; k++) s += z[k];
    return s;
}

/* p *= scale, through double, rounded once. */
PT_SIMD_CLONES
static void row_scale(int64_t classes, float *restrict p, double scale) {
#pragma omp simd
    for (int64_t k = 0; k < classes; k++) p[k] = (float)((double)p[k] * scale);
}

/* d = (p - off) * scale for every class (the target's extra (1 - eps) is fixed up by the caller). */
PT_SIMD_CLONES
static void row_grad(int64_t classes, const float *restrict p, float *restrict d, double off, double scale) {
#pragma omp simd
    for (int64_t k = 0; k < classes; k++) d[k] = (float)(((double)p[k] - off) * scale);
}

PT_KERNEL_END

typedef struct ce_call {
    int64_t n, classes;
    const float *logits, *probs;
    const int32_t *targets;
    double label_smoothing, grad_scale;
    float *out;
    double *block_loss; /* LOSS_BLOCKS */
    int64_t *block_correct;
} ce_call;

/* Writes probs for rows [lo, hi) and returns the sum of their losses, in row order. */
static double forward_rows(const ce_call *c, int64_t lo, int64_t hi) {
    const int64_t classes = c->classes;
    const double eps = c->label_smoothing;
    double total = 0.0;
    for (int64_t i = lo; i < hi; i++) {
        const float *z = c->logits + i * classes;
        float *p = c->out + i * classes;
        const double m = row_max(classes, z);
        double s = 0.0;
        for (int64_t k = 0; k < classes; k++) {
            const double e = exp((double)z[k] - m);
            p[k] = (float)e;
            s += e;
        }
        row_scale(classes, p, 1.0 / s);
        const double lse = m + log(s);
        double loss = lse - (1.0 - eps) * (double)z[c->targets[i]];
        if (eps != 0.0) loss -= eps / (double)classes * row_sum(classes, z);
        total += loss;
    }
    return total;
}

static void forward_blocks(const void *ctx, int64_t lo, int64_t hi) {
    const ce_call *c = ctx;
    for (int64_t b = lo; b < hi; b++) {
        int64_t r0, r1;
        pt_block_range(c->n, b, LOSS_BLOCKS, &r0, &r1);
        c->block_loss[b] = forward_rows(c, r0, r1);
    }
}

void pt_cpu_cross_entropy_forward(int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                                  double label_smoothing, float *probs, double *loss) {
    double block_loss[LOSS_BLOCKS];
    const ce_call c = {.n = n, .classes = classes, .logits = logits, .targets = targets,
                       .label_smoothing = label_smoothing, .out = probs, .block_loss = block_loss};
    pt_for_each_block(LOSS_BLOCKS, n * classes, forward_blocks, &c);
    double total = 0.0;
    for (int b = 0; b < LOSS_BLOCKS; b++) total += block_loss[b];
    *loss = total / (double)n;
}

static void backward_rows(const void *ctx, int64_t lo, int64_t hi) {
    const ce_call *c = ctx;
    const int64_t classes = c->classes;
    const double eps = c->label_smoothing, off = eps / (double)classes, on = (1.0 - eps) + off;
    const double scale = c->grad_scale / (double)c->n;
    for (int64_t i = lo; i < hi; i++) {
        const float *p = c->probs + i * classes;
        float *d = c->out + i * classes;
        row_grad(classes, p, d, off, scale);
        const int32_t t = c->targets[i];
        d[t] = (float)(((double)p[t] - on) * scale);
    }
}

void pt_cpu_cross_entropy_backward(int64_t n, int64_t classes, const float *probs, const int32_t *targets,
                                   double label_smoothing, double grad_scale, float *dlogits) {
    const ce_call c = {.n = n, .classes = classes, .probs = probs, .targets = targets,
                       .label_smoothing = label_smoothing, .grad_scale = grad_scale, .out = dlogits};
    pt_for_each_block(n, n * classes, backward_rows, &c);
}

static void argmax_blocks(const void *ctx, int64_t lo, int64_t hi) {
    const ce_call *c = ctx;
    for (int64_t b = lo; b < hi; b++) {
        int64_t r0, r1, count = 0;
        pt_block_range(c->n, b, LOSS_BLOCKS, &r0, &r1);
        for (int64_t i = r0; i < r1; i++) {
            const float *z = c->logits + i * c->classes;
            int64_t best = 0;
            for (int64_t k = 1; k < c->classes; k++)
                if (z[k] > z[best] || (isnan(z[k]) && !isnan(z[best]))) best = k;
            count += best == c->targets[i];
        }
        c->block_correct[b] = count;
    }
}

void pt_cpu_argmax_correct(int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                           int64_t *correct) {
    int64_t block_correct[LOSS_BLOCKS];
    const ce_call c = {.n = n, .classes = classes, .logits = logits, .targets = targets,
                       .block_correct = block_correct};
    pt_for_each_block(LOSS_BLOCKS, n * classes, argmax_blocks, &c);
    int64_t total = 0;
    for (int b = 0; b < LOSS_BLOCKS; b++) total += block_correct[b];
    *correct = total;
}
