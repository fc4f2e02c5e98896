/*
 * Internal: the CUDA layer kernels behind the non-dense layer ops of panoptim.h with
 * PT_DEVICE_CUDA (cuda/batchnorm2d.cu, relu.cu, elementwise.cu, pool2d.cu, cross_entropy.cu;
 * cuda/absent/layers_absent.c where the library is built without nvcc). Twins of the pt_cpu_*
 * kernels of cpu/layer_kernels.h: same names (pt_cuda_ for pt_cpu_) and argument order.
 *
 * api/layers_api.c has validated what the host can see (dims, hyperparameters, non-null pointers);
 * tensors are device addresses of the current device and every call queues its kernels on
 * panoptim's stream of that device and returns without waiting -- except the two with a host
 * output: cross_entropy_forward (*loss) and argmax_correct (*correct) copy one small result back
 * and so synchronize the stream. Class targets and max-pool argmax indices live on the device, so
 * they are checked there: the two synchronizing calls refuse bad targets with a status and write
 * nothing; the two that cannot report without a sync (cross_entropy_backward, maxpool2d_backward)
 * never touch memory outside their tensors and write NaN where a bad index would have pointed
 * (the dlogits row, the dx plane), so the error shows instead of a silently wrong grad.
 * Each returns PT_OK or a status with pt_last_error() naming the call and the kernel.
 */
#ifndef PT_LAYERS_CUDA_H
#define PT_LAYERS_CUDA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

int pt_cuda_batchnorm2d_forward(int training, int64_t n, int64_t c, int64_t hw, const float *x, const float *weight,
                                const float *bias, float *running_mean, float *running_var, double momentum,
                                double eps, float *y, float *save_mean, float *save_invstd);
int pt_cuda_batchnorm2d_backward(int training, int64_t n, int64_t c, int64_t hw, const float *x, const float *weight,
                                 const float *save_mean, const float *save_invstd, const float *dy, float *dx,
                                 float *dweight, float *dbias, int accumulate);
int pt_cuda_batchnorm2d_relu_forward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                     const float *weight, const float *bias, float *running_mean, float *running_var,
                                     double momentum, double eps, float *y, float *save_mean, float *save_invstd);
int pt_cuda_batchnorm2d_relu_backward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                      const float *weight, const float *bias, const float *save_mean,
                                      const float *save_invstd, const float *dy, float *dx, float *dweight,
                                      float *dbias, int accumulate);

int pt_cuda_relu_forward(int64_t numel, const float *x, float *y);
int pt_cuda_relu_backward(int64_t numel, const float *x, const float *dy, float *dx);

int pt_cuda_add(int64_t numel, const float *a, const float *b, float *y);
int pt_cuda_axpy(int64_t numel, double alpha, const float *x, float *y);
int pt_cuda_fill(int64_t numel, double value, float *y);

int pt_cuda_maxpool2d_forward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t kernel, int64_t stride,
                              int64_t padding, const float *x, float *y, int32_t *argmax);
int pt_cuda_maxpool2d_backward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t p, int64_t q, const float *dy,
                               const int32_t *argmax, float *dx);
int pt_cuda_global_avgpool_forward(int64_t n, int64_t c, int64_t hw, const float *x, float *y);
int pt_cuda_global_avgpool_backward(int64_t n, int64_t c, int64_t hw, const float *dy, float *dx);

/* loss and correct are host pointers, never NULL (the API requires them): the value is copied back,
 * so these two synchronize the stream. */
int pt_cuda_cross_entropy_forward(int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                                  double label_smoothing, float *probs, double *loss);
int pt_cuda_cross_entropy_backward(int64_t n, int64_t classes, const float *probs, const int32_t *targets,
                                   double label_smoothing, double grad_scale, float *dlogits);
int pt_cuda_argmax_correct(int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                           int64_t *correct);
/* The same two with the result left in device memory (one float each): queued, no sync. */
int pt_cuda_cross_entropy_forward_nosync(int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                                         double label_smoothing, float *probs, float *loss);
int pt_cuda_argmax_correct_nosync(int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                                  float *correct);

#ifdef __cplusplus
}
#endif

#endif
