/* panoptim's vendor backend (PT_CUDA_BACKEND_VENDOR): the same calls as the pt_cuda_* kernels of the
 * C API (the public call's arguments after `device`, already validated by native/api), run by cuBLAS
 * and cuDNN. Defined in the .cu files of native/cuda/vendor/ (nvcc builds); the simulator
 * (native/cuda/vendor_simulated.cu) and builds without CUDA (native/cuda/absent/vendor_absent.c)
 * answer PT_ERR_UNSUPPORTED with the reason. Every call works on the calling thread's current device
 * and queues its work on panoptim's stream there. */
#ifndef PT_CUDA_VENDOR_H
#define PT_CUDA_VENDOR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Appends to buf (capacity bytes, NUL-terminated) one line per library: the file loaded and its
 * version, or why it cannot be used. Loads the libraries; needs no GPU. */
void pt_vendor_describe(char *buf, int64_t capacity);

int pt_vendor_matmul(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const float *a,
                     const float *b, double beta, float *c);
int pt_vendor_linear_forward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                             const float *weight, const float *bias, float *y);
int pt_vendor_linear_backward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                              const float *weight, const float *dy, float *dx, float *dweight, float *dbias,
                              int accumulate);
int pt_vendor_conv2d_forward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s,
                             int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float *x,
                             const float *weight, const float *bias, float *y);
int pt_vendor_conv2d_backward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s,
                              int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float *x,
                              const float *weight, const float *dy, float *dx, float *dweight, float *dbias,
                              int accumulate);
int pt_vendor_batchnorm2d_forward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                  const float *weight, const float *bias, float *running_mean, float *running_var,
                                  double momentum, double eps, float *y, float *save_mean, float *save_invstd);
int pt_vendor_batchnorm2d_backward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                   const float *weight, const float *save_mean, const float *save_invstd,
                                   const float *dy, float *dx, float *dweight, float *dbias, int accumulate);

#ifdef __cplusplus
}
#endif

#endif
