/*
 * Reference ReLU, forward and backward: the readable specification (in double) of cpu/relu.c.
 *   https://pytorch.org/docs/stable/generated/torch.nn.ReLU.html
 *
 *   forward:  y = x < 0 ? 0 : x            (NaN passes through, as torch.relu)
 *   backward: dx = x <= 0 ? 0 : dy         (torch's threshold_backward: a NaN x lets dy through)
 * y may alias x and dx may alias dy: element j is read before it is written.
 */
#include "cpu/layer_kernels.h"

void pt_reference_relu_forward(int64_t numel, const double *x, double *y) {
    for (int64_t j = 0; j < numel; j++) y[j] = x[j] < 0.0 ? 0.0 : x[j];
}

void pt_reference_relu_backward(int64_t numel, const double *x, const double *dy, double *dx) {
    for (int64_t j = 0; j < numel; j++) dx[j] = x[j] <= 0.0 ? 0.0 : dy[j];
}
