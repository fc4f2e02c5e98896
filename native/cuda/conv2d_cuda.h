/*
 * Internal: the CUDA conv2d behind pt_conv2d_forward / _backward with PT_DEVICE_CUDA (cuda/conv2d.cu;
 * cuda/absent/conv2d_absent.c where the library is built without nvcc). Same names and arguments
 * as the CPU twins in cpu/dense_kernels.h: api/dense_api.c has validated the shape (*sh, with P and
 * Q worked out) and the required pointers; the pointers are device addresses of the current
 * device. The work is queued on panoptim's stream of that device and the call returns without
 * waiting; a bad pointer or launch comes back as a status (the simulator refuses host pointers at
 * launch).
 */
#ifndef PT_CONV2D_CUDA_H
#define PT_CONV2D_CUDA_H

#include "cpu/dense_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* y (N, K, P, Q) = conv(x (N, C, H, W), weight (K, C, R, S)) + bias (K, or NULL). weight is
 * weight_dtype; x and weight elements are rounded to compute_dtype (pt_cpu_conv2d_forward_ex). */
int pt_cuda_conv2d_forward(const pt_conv2d_shape *sh, const float *x, const void *weight, int weight_dtype,
                           const float *bias, float *y, int compute_dtype);
/* dx (N, C, H, W) = ;  dweight (K, C, R, S) (+)= ;  dbias (K) (+)= ;  from dy (N, K, P, Q). NULL skips.
 * Operands of the products rounded to compute_dtype; dbias from dy unrounded (pt_cpu_conv2d_backward_ex). */
int pt_cuda_conv2d_backward(const pt_conv2d_shape *sh, const float *x, const void *weight, int weight_dtype,
                            const float *dy, float *dx, float *dweight, float *dbias, int accumulate,
                            int compute_dtype);

#ifdef __cplusplus
}
#endif

#endif
