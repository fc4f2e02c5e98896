/*
 * Reference elementwise helpers: the readable specification (in double) of cpu/elementwise.c.
 *   add:  y = a + b          (residual connection; y may alias a or b)
 *   axpy: y = y + alpha * x  (gradient accumulation)
 *   fill: y = value
 */
#include "cpu/layer_kernels.h"

void pt_reference_add(int64_t numel, const double *a, const double *b, double *y) {
    for (int64_t j = 0; j < numel; j++) y[j] = a[j] + b[j];
}

void pt_reference_axpy(int64_t numel, double alpha, const double *x, double *y) {
    for (int64_t j = 0; j < numel; j++) y[j] = y[j] + alpha * x[j];
}

void pt_reference_fill(int64_t numel, double value, double *y) {
    for (int64_t j = 0; j < numel; j++) y[j] = value;
}
