/* Built instead of cuda/{batchnorm2d,relu,elementwise,pool2d,cross_entropy}.cu when the library is
 * compiled without nvcc: the same entry points (cuda/layers_cuda.h), failing with the reason. */
#include "api/error.h"
#include "cuda/layers_cuda.h"

static int no_cuda(const char *op) {
    return pt_fail(PT_ERR_UNSUPPORTED, "%s: this libpanoptim was built without CUDA (nvcc was not found at build time)",
                   op);
}

int pt_cuda_batchnorm2d_forward(int training, int64_t n, int64_t c, int64_t hw, const float *x, const float *weight,
                                const float *bias, float *running_mean, float *running_var, double momentum,
                                double eps, float *y, float *save_mean, float *save_invstd) {
    return no_cuda("pt_batchnorm2d_forward");
}

int pt_cuda_batchnorm2d_backward(int training, int64_t n, int64_t c, int64_t hw, const float *x, const float *weight,
                                 const float *save_mean, const float *save_invstd, const float *dy, float *dx,
                                 float *dweight, float *dbias, int accumulate) {
    return no_cuda("pt_batchnorm2d_backward");
}

int pt_cuda_batchnorm2d_relu_forward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                     const float *weight, const float *bias, float *running_mean, float *running_var,
                                     double momentum, double eps, float *y, float *save_mean, float *save_invstd) {
    return no_cuda("pt_batchnorm2d_relu_forward");
}

int pt_cuda_batchnorm2d_relu_backward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                      const float *weight, const float *bias, const float *save_mean,
                                      const float *save_invstd, const float *dy, float *dx, float *dweight,
                                      float *dbias, int accumulate) {
    return no_cuda("pt_batchnorm2d_relu_backward");
}

int pt_cuda_relu_forward(int64_t numel, const float *x, float *y) { return no_cuda("pt_relu_forward"); }

int pt_cuda_relu_backward(int64_t numel, const float *x, const float *dy, float *dx) {
    return no_cuda("pt_relu_backward");
}

int pt_cuda_add(int64_t numel, const float *a, const float *b, float *y) { return no_cuda("pt_add"); }

int pt_cuda_axpy(int64_t numel, double alpha, const float *x, float *y) { return no_cuda("pt_axpy"); }

int pt_cuda_fill(int64_t numel, double value, float *y) { return no_cuda("pt_fill"); }

int pt_cuda_maxpool2d_forward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t kernel, int64_t stride,
                              int64_t padding, const float *x, float *y, int32_t *argmax) {
    return no_cuda("pt_maxpool2d_forward");
}

int pt_cuda_maxpool2d_backward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t p, int64_t q, const float *dy,
                               const int32_t *argmax, float *dx) {
    return no_cuda("pt_maxpool2d_backward");
}

int pt_cuda_global_avgpool_forward(int64_t n, int64_t c, int64_t hw, const float *x, float *y) {
    return no_cuda("pt_global_avgpool_forward");
}

int pt_cuda_global_avgpool_backward(int64_t n, int64_t c, int64_t hw, const float *dy, float *dx) {
    return no_cuda("pt_global_avgpool_backward");
}

int pt_cuda_cross_entropy_forward(int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                                  double label_smoothing, float *probs, double *loss) {
    return no_cuda("pt_cross_entropy_forward");
}

int pt_cuda_cross_entropy_backward(int64_t n, int64_t classes, const float *probs, const int32_t *targets,
                                   double label_smoothing, double grad_scale, float *dlogits) {
    return no_cuda("pt_cross_entropy_backward");
}

int pt_cuda_argmax_correct(int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                           int64_t *correct) {
    return no_cuda("pt_argmax_correct");
}

int pt_cuda_cross_entropy_forward_nosync(int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                                         double label_smoothing, float *probs, float *loss) {
    return no_cuda("pt_cross_entropy_forward_nosync");
}

int pt_cuda_argmax_correct_nosync(int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                                  float *correct) {
    return no_cuda("pt_argmax_correct_nosync");
}
