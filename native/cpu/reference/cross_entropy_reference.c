/*
 * Reference softmax cross-entropy: the readable specification (in double) of cpu/cross_entropy.c.
 *   https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html (mean reduction)
 *
 * logits (N, C), targets (N) in [0, C), label smoothing e in [0, 1]. Per row i, stably:
 *   m = max_c logits[i][c],  lse = m + log(sum_c exp(logits[i][c] - m))
 *   log p_c = logits[i][c] - lse,  probs[i][c] = exp(log p_c)
 *   q_c = (1 - e) * [c == targets[i]] + e / C          (the target distribution)
 *   loss_i = -sum_c q_c * log p_c
 *   *loss = sum_i loss_i / N
 * Backward: dlogits[i][c] = grad_scale * (probs[i][c] - q_c) / N.
 * argmax_correct: rows whose first maximum (a NaN counts as the maximum, as torch.argmax) is the target.
 */
#include <math.h>

#include "cpu/layer_kernels.h"

void pt_reference_cross_entropy_forward(int64_t n, int64_t classes, const double *logits,
                                        const int32_t *targets, double label_smoothing, double *probs,
                                        double *loss) {
    double total = 0.0;
    for (int64_t i = 0; i < n; i++) {
        const double *z = logits + i * classes;
        double m = z[0];
        for (int64_t k = 1; k < classes; k++) m = z[k] > m ? z[k] : m;
        double sum = 0.0;
        for (int64_t k = 0; k < classes; k++) sum += exp(z[k] - m);
        const double lse = m + log(sum);
        double loss_i = 0.0;
        for (int64_t k = 0; k < classes; k++) {
            const double log_p = z[k] - lse;
            const double q = (1.0 - label_smoothing) * (k == targets[i]) + label_smoothing / (double)classes;
            probs[i * classes + k] = exp(log_p);
            loss_i -= q * log_p;
        }
        total += loss_i;
    }
    *loss = total / (double)n;
}

void pt_reference_cross_entropy_backward(int64_t n, int64_t classes, const double *probs,
                                         const int32_t *targets, double label_smoothing, double grad_scale,
                                         double *dlogits) {
    for (int64_t i = 0; i < n; i++)
        for (int64_t k = 0; k < classes; k++) {
            const double q = (1.0 - label_smoothing) * (k == targets[i]) + label_smoothing / (double)classes;
            dlogits[i * classes + k] = grad_scale * (probs[i * classes + k] - q) / (double)n;
        }
}

void pt_reference_argmax_correct(int64_t n, int64_t classes, const double *logits, const int32_t *targets,
                                 int64_t *correct) {
    int64_t count = 0;
    for (int64_t i = 0; i < n; i++) {
        const double *z = logits + i * classes;
        int64_t best = 0;
        for (int64_t k = 1; k < classes; k++)
            if (z[k] > z[best] || (isnan(z[k]) && !isnan(z[best]))) best = k;
        count += best == targets[i];
    }
    *correct = count;
}
