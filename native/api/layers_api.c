/*
 * The public entry points of the non-dense layer ops (batch norm, ReLU, elementwise helpers,
 * pooling, cross-entropy): validate every argument (the library never trusts its caller and never
 * aborts), then dispatch on the device to the CPU kernel (cpu/layer_kernels.h) or its CUDA twin
 * (cuda/layers_cuda.h; cuda/absent/layers_absent.c without nvcc). With PT_DEVICE_CUDA the tensors
 * are device memory, which the host cannot read without synchronizing: class targets and max-pool
 * argmax indices are then checked by the CUDA kernels themselves (see cuda/layers_cuda.h), and
 * *loss / *correct stay host pointers, filled after the stream is synchronized.
 *
 * What is checked, in this order: the device; the dims (> 0, their product small enough to index);
 * the hyperparameters (NaN is always rejected); the pointers (the NULL-able ones are those the
 * header says may be NULL); then data that would otherwise make a kernel write out of bounds or read
 * garbage (class targets, max-pool argmax indices). Every message names the op, the argument and
 * the value, and a rejected call writes nothing.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>

#include "api/error.h"
#include "cpu/layer_kernels.h"
#include "cuda/layers_cuda.h"
#include "api/vendor_dispatch.h"

/* Tensors are indexed with int64_t element offsets: the element count of one tensor must keep
 * its byte size in range too. */
#define MAX_ELEMENTS (INT64_MAX / 8)

static int check_device(const char *op, int device) {
    if (device != PT_DEVICE_CPU && device != PT_DEVICE_CUDA)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: unknown device %d (0 = CPU, 1 = CUDA)", op, device);
    return PT_OK;
}

/* Each of the `count` dims must be >= 1 and their product <= MAX_ELEMENTS. */
static int check_dims(const char *op, int count, const char *const *names, const int64_t *dims) {
    int64_t product = 1;
    for (int i = 0; i < count; i++) {
        if (dims[i] < 1)
            return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s must be >= 1, got %lld", op, names[i], (long long)dims[i]);
        if (product > MAX_ELEMENTS / dims[i])
            return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: the tensor is too large (%s = %lld makes more than %lld elements)",
                           op, names[i], (long long)dims[i], (long long)MAX_ELEMENTS);
        product *= dims[i];
    }
    return PT_OK;
}

/* A flat count: 0 is an empty call (its pointers may be NULL), negative is an error. */
static int check_numel(const char *op, int64_t numel) {
    if (numel < 0) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: numel must be >= 0, got %lld", op, (long long)numel);
    if (numel > MAX_ELEMENTS)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: numel %lld is too large (at most %lld)", op, (long long)numel,
                       (long long)MAX_ELEMENTS);
    return PT_OK;
}

#define DIMS(op, ...)                                                                        \
    do {                                                                                     \
        const int64_t v_[] = {__VA_ARGS__};                                                  \
        PT_TRY(check_dims(op, (int)(sizeof v_ / sizeof v_[0]), dim_names_, v_));                \
    } while (0)
#define REQUIRE(op, ptr)                                                                     \
    do {                                                                                     \
        if ((ptr) == NULL) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s is NULL", op, #ptr); \
    } while (0)
/* After validation: DISPATCH(device, relu_forward, args...) calls the CUDA twin
 * pt_cuda_relu_forward(args...) (which returns its status) or the CPU kernel pt_cpu_relu_forward. */
#define DISPATCH(device, kernel, ...)                                        \
    do {                                                                     \
        if ((device) == PT_DEVICE_CUDA) return pt_cuda_##kernel(__VA_ARGS__); \
        pt_cpu_##kernel(__VA_ARGS__);                                        \
        return PT_OK;                                                        \
    } while (0)

/* Every targets[i] must be a class index: a wrong one would read or write outside the row. */
static int check_targets(const char *op, int64_t n, int64_t classes, const int32_t *targets) {
    int64_t bad = 0;
#pragma omp simd reduction(+ : bad)
    for (int64_t i = 0; i < n; i++) bad += targets[i] < 0 || targets[i] >= classes;
    if (bad == 0) return PT_OK;
    for (int64_t i = 0; i < n; i++)
        if (targets[i] < 0 || targets[i] >= classes)
            return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: targets[%lld] is %d, outside [0, %lld) (%lld bad targets)", op,
                           (long long)i, (int)targets[i], (long long)classes, (long long)bad);
    return PT_ERR_INTERNAL; /* unreachable */
}

/* ---------------------------------------------------------------- batch norm */

/* The checks of pt_batchnorm2d_forward, shared with the fused pt_batchnorm2d_relu_forward. */
static int check_batchnorm_forward(const char *op, int device, int training, int64_t n, int64_t c, int64_t hw,
                                   const float *x, const float *running_mean, const float *running_var,
                                   double momentum, double eps, const float *y, const float *save_mean,
                                   const float *save_invstd) {
    static const char *const dim_names_[] = {"n", "c", "hw"};
    PT_TRY(check_device(op, device));
    DIMS(op, n, c, hw);
    if (training && n * hw < 2)
        return pt_fail(PT_ERR_INVALID_ARGUMENT,
                       "%s: training needs more than 1 value per channel (n * hw = %lld), as torch requires", op,
                       (long long)(n * hw));
    if (!(momentum >= 0.0 && momentum <= 1.0))
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: invalid momentum %g (must be in [0, 1])", op, momentum);
    if (!(eps > 0.0) || isinf(eps))
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: invalid eps %g (must be > 0 and finite)", op, eps);
    REQUIRE(op, x);
    REQUIRE(op, y);
    if ((running_mean == NULL) != (running_var == NULL))
        return pt_fail(PT_ERR_INVALID_ARGUMENT,
                       "%s: running_mean is %s but running_var is %s (pass both, or neither when not tracking)", op,
                       running_mean ? "set" : "NULL", running_var ? "set" : "NULL");
    if (training) {
        REQUIRE(op, save_mean);
        REQUIRE(op, save_invstd);
    } else if (running_mean == NULL) {
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: eval mode (training = 0) needs running_mean and running_var, got NULL",
                       op);
    }
    return PT_OK;
}

/* The checks of pt_batchnorm2d_backward, shared with the fused pt_batchnorm2d_relu_backward. */
static int check_batchnorm_backward(const char *op, int device, int training, int64_t n, int64_t c, int64_t hw,
                                    const float *x, const float *save_mean, const float *save_invstd,
                                    const float *dy) {
    static const char *const dim_names_[] = {"n", "c", "hw"};
    PT_TRY(check_device(op, device));
    DIMS(op, n, c, hw);
    if (training && n * hw < 2)
        return pt_fail(PT_ERR_INVALID_ARGUMENT,
                       "%s: training needs more than 1 value per channel (n * hw = %lld), as torch requires", op,
                       (long long)(n * hw));
    REQUIRE(op, x);
    REQUIRE(op, save_mean);
    REQUIRE(op, save_invstd);
    REQUIRE(op, dy);
    return PT_OK;
}

int pt_batchnorm2d_forward(int device, int training, int64_t n, int64_t c, int64_t hw, const float *x,
                           const float *weight, const float *bias, float *running_mean, float *running_var,
                           double momentum, double eps, float *y, float *save_mean, float *save_invstd) {
    PT_TRY(check_batchnorm_forward("pt_batchnorm2d_forward", device, training, n, c, hw, x, running_mean, running_var,
                                   momentum, eps, y, save_mean, save_invstd));
    if (pt_use_vendor(device))
        return pt_vendor_batchnorm2d_forward(training, n, c, hw, x, weight, bias, running_mean, running_var, momentum, eps,
                                             y, save_mean, save_invstd);
    DISPATCH(device, batchnorm2d_forward, training != 0, n, c, hw, x, weight, bias, running_mean, running_var, momentum,
             eps, y, save_mean, save_invstd);
}

int pt_batchnorm2d_backward(int device, int training, int64_t n, int64_t c, int64_t hw, const float *x,
                            const float *weight, const float *save_mean, const float *save_invstd, const float *dy,
                            float *dx, float *dweight, float *dbias, int accumulate) {
    PT_TRY(check_batchnorm_backward("pt_batchnorm2d_backward", device, training, n, c, hw, x, save_mean, save_invstd,
                                    dy));
    if (pt_use_vendor(device))
        return pt_vendor_batchnorm2d_backward(training, n, c, hw, x, weight, save_mean, save_invstd, dy, dx, dweight,
                                              dbias, accumulate);
    DISPATCH(device, batchnorm2d_backward, training != 0, n, c, hw, x, weight, save_mean, save_invstd, dy, dx, dweight,
             dbias, accumulate != 0);
}

/* The fused pair runs panoptim's own kernels on CUDA under either backend: the vendor loader
 * binds cuDNN's plain batch norm only (cuda/vendor/batchnorm.cu), and that followed by a ReLU
 * kernel would be the two passes the fusion removes. */
int pt_batchnorm2d_relu_forward(int device, int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                const float *weight, const float *bias, float *running_mean, float *running_var,
                                double momentum, double eps, float *y, float *save_mean, float *save_invstd) {
    PT_TRY(check_batchnorm_forward("pt_batchnorm2d_relu_forward", device, training, n, c, hw, x, running_mean,
                                   running_var, momentum, eps, y, save_mean, save_invstd));
    DISPATCH(device, batchnorm2d_relu_forward, training != 0, n, c, hw, x, weight, bias, running_mean, running_var,
             momentum, eps, y, save_mean, save_invstd);
}

int pt_batchnorm2d_relu_backward(int device, int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                 const float *weight, const float *bias, const float *save_mean,
                                 const float *save_invstd, const float *dy, float *dx, float *dweight, float *dbias,
                                 int accumulate) {
    PT_TRY(check_batchnorm_backward("pt_batchnorm2d_relu_backward", device, training, n, c, hw, x, save_mean,
                                    save_invstd, dy));
    DISPATCH(device, batchnorm2d_relu_backward, training != 0, n, c, hw, x, weight, bias, save_mean, save_invstd, dy,
             dx, dweight, dbias, accumulate != 0);
}

/* ---------------------------------------------------------------- ReLU and elementwise helpers */

int pt_relu_forward(int device, int64_t numel, const float *x, float *y) {
    static const char op[] = "pt_relu_forward";
    PT_TRY(check_device(op, device));
    PT_TRY(check_numel(op, numel));
    if (numel > 0) {
        REQUIRE(op, x);
        REQUIRE(op, y);
    }
    DISPATCH(device, relu_forward, numel, x, y);
}

int pt_relu_backward(int device, int64_t numel, const float *x, const float *dy, float *dx) {
    static const char op[] = "pt_relu_backward";
    PT_TRY(check_device(op, device));
    PT_TRY(check_numel(op, numel));
    if (numel > 0) {
        REQUIRE(op, x);
        REQUIRE(op, dy);
        REQUIRE(op, dx);
    }
    DISPATCH(device, relu_backward, numel, x, dy, dx);
}

int pt_add(int device, int64_t numel, const float *a, const float *b, float *y) {
    static const char op[] = "pt_add";
    PT_TRY(check_device(op, device));
    PT_TRY(check_numel(op, numel));
    if (numel > 0) {
        REQUIRE(op, a);
        REQUIRE(op, b);
        REQUIRE(op, y);
    }
    DISPATCH(device, add, numel, a, b, y);
}

int pt_axpy(int device, int64_t numel, double alpha, const float *x, float *y) {
    static const char op[] = "pt_axpy";
    PT_TRY(check_device(op, device));
    PT_TRY(check_numel(op, numel));
    /* A NaN or infinite alpha would only ever poison y; a finite one past float range would
     * silently become one. */
    if (!(fabs(alpha) <= FLT_MAX))
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: invalid alpha %g (must be finite and within float32 range)", op,
                       alpha);
    if (numel > 0) {
        REQUIRE(op, x);
        REQUIRE(op, y);
    }
    DISPATCH(device, axpy, numel, alpha, x, y);
}

int pt_fill(int device, int64_t numel, double value, float *y) {
    static const char op[] = "pt_fill";
    PT_TRY(check_device(op, device));
    PT_TRY(check_numel(op, numel));
    /* +-inf and NaN are legitimate fills; a finite value past float range would silently become inf. */
    if (isfinite(value) && fabs(value) > FLT_MAX)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: value %g is outside the float32 range (|value| <= %g)", op, value,
                       (double)FLT_MAX);
    if (numel > 0) REQUIRE(op, y);
    DISPATCH(device, fill, numel, value, y);
}

/* ---------------------------------------------------------------- pooling */

int pt_maxpool2d_forward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t kernel, int64_t stride,
                         int64_t padding, const float *x, float *y, int32_t *argmax) {
    static const char op[] = "pt_maxpool2d_forward";
    static const char *const dim_names_[] = {"n", "c", "h", "w"};
    PT_TRY(check_device(op, device));
    DIMS(op, n, c, h, w);
    if (h * w > INT32_MAX)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: a plane of h * w = %lld elements is too large for int32 argmax indices",
                       op, (long long)(h * w));
    if (kernel < 1) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: kernel must be >= 1, got %lld", op, (long long)kernel);
    if (stride < 1) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: stride must be >= 1, got %lld", op, (long long)stride);
    if (padding < 0)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: padding must be >= 0, got %lld", op, (long long)padding);
    if (padding > kernel / 2)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: padding %lld is more than half the kernel %lld (pad <= kernel / 2, as torch)",
                       op, (long long)padding, (long long)kernel);
    /* kernel - 2 * padding >= 0 here, so none of this overflows. */
    const int64_t span = kernel - 2 * padding;
    if (span > h || span > w)
        return pt_fail(PT_ERR_INVALID_ARGUMENT,
                       "%s: output would be empty: kernel %lld with padding %lld does not fit the %lld x %lld input", op,
                       (long long)kernel, (long long)padding, (long long)h, (long long)w);
    REQUIRE(op, x);
    REQUIRE(op, y);
    DISPATCH(device, maxpool2d_forward, n, c, h, w, kernel, stride, padding, x, y, argmax);
}

int pt_maxpool2d_backward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t p, int64_t q,
                          const float *dy, const int32_t *argmax, float *dx) {
    static const char op[] = "pt_maxpool2d_backward";
    static const char *const dim_names_[] = {"n", "c", "h", "w"};
    static const char *const out_names[] = {"n", "c", "p", "q"};
    PT_TRY(check_device(op, device));
    DIMS(op, n, c, h, w);
    {
        const int64_t v[] = {n, c, p, q};
        PT_TRY(check_dims(op, 4, out_names, v));
    }
    if (h * w > INT32_MAX)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: a plane of h * w = %lld elements is too large for int32 argmax indices",
                       op, (long long)(h * w));
    REQUIRE(op, dy);
    REQUIRE(op, argmax);
    REQUIRE(op, dx);
    /* The scatter writes dx[plane][argmax]: every index must lie in the plane (on CUDA the kernel
     * checks them, cuda/pool2d.cu). */
    const int64_t count = device == PT_DEVICE_CPU ? n * c * p * q : 0, plane = h * w;
    int64_t bad = 0;
#pragma omp simd reduction(+ : bad)
    for (int64_t i = 0; i < count; i++) bad += argmax[i] < 0 || argmax[i] >= plane;
    if (bad != 0)
        for (int64_t i = 0; i < count; i++)
            if (argmax[i] < 0 || argmax[i] >= plane)
                return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: argmax[%lld] is %d, outside the h * w = %lld plane", op,
                               (long long)i, (int)argmax[i], (long long)plane);
    DISPATCH(device, maxpool2d_backward, n, c, h, w, p, q, dy, argmax, dx);
}

int pt_global_avgpool_forward(int device, int64_t n, int64_t c, int64_t hw, const float *x, float *y) {
    static const char op[] = "pt_global_avgpool_forward";
    static const char *const dim_names_[] = {"n", "c", "hw"};
    PT_TRY(check_device(op, device));
    DIMS(op, n, c, hw);
    REQUIRE(op, x);
    REQUIRE(op, y);
    DISPATCH(device, global_avgpool_forward, n, c, hw, x, y);
}

int pt_global_avgpool_backward(int device, int64_t n, int64_t c, int64_t hw, const float *dy, float *dx) {
    static const char op[] = "pt_global_avgpool_backward";
    static const char *const dim_names_[] = {"n", "c", "hw"};
    PT_TRY(check_device(op, device));
    DIMS(op, n, c, hw);
    REQUIRE(op, dy);
    REQUIRE(op, dx);
    DISPATCH(device, global_avgpool_backward, n, c, hw, dy, dx);
}

/* ---------------------------------------------------------------- cross-entropy */

static int check_label_smoothing(const char *op, double label_smoothing) {
    if (!(label_smoothing >= 0.0 && label_smoothing <= 1.0))
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: invalid label_smoothing %g (must be in [0, 1])", op,
                       label_smoothing);
    return PT_OK;
}

/* The forward's checks, shared by the plain and the _nosync call (`result` is *loss of either). */
static int check_cross_entropy_forward(const char *op, int device, int64_t n, int64_t classes, const float *logits,
                                       const int32_t *targets, double label_smoothing, const float *probs,
                                       const void *result) {
    static const char *const dim_names_[] = {"n", "classes"};
    PT_TRY(check_device(op, device));
    DIMS(op, n, classes);
    PT_TRY(check_label_smoothing(op, label_smoothing));
    REQUIRE(op, logits);
    REQUIRE(op, targets);
    REQUIRE(op, probs);
    if (result == NULL) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: loss is NULL", op);
    if (device == PT_DEVICE_CPU) PT_TRY(check_targets(op, n, classes, targets));
    return PT_OK;
}

int pt_cross_entropy_forward(int device, int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                             double label_smoothing, float *probs, double *loss) {
    PT_TRY(check_cross_entropy_forward("pt_cross_entropy_forward", device, n, classes, logits, targets, label_smoothing,
                                       probs, loss));
    DISPATCH(device, cross_entropy_forward, n, classes, logits, targets, label_smoothing, probs, loss);
}

int pt_cross_entropy_backward(int device, int64_t n, int64_t classes, const float *probs, const int32_t *targets,
                              double label_smoothing, double grad_scale, float *dlogits) {
    static const char op[] = "pt_cross_entropy_backward";
    static const char *const dim_names_[] = {"n", "classes"};
    PT_TRY(check_device(op, device));
    DIMS(op, n, classes);
    PT_TRY(check_label_smoothing(op, label_smoothing));
    if (!isfinite(grad_scale))
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: invalid grad_scale %g (must be finite)", op, grad_scale);
    REQUIRE(op, probs);
    REQUIRE(op, targets);
    REQUIRE(op, dlogits);
    if (device == PT_DEVICE_CPU) PT_TRY(check_targets(op, n, classes, targets));
    DISPATCH(device, cross_entropy_backward, n, classes, probs, targets, label_smoothing, grad_scale, dlogits);
}

/* argmax_correct's checks, shared by the plain and the _nosync call. */
static int check_argmax_correct(const char *op, int device, int64_t n, int64_t classes, const float *logits,
                                const int32_t *targets, const void *correct) {
    static const char *const dim_names_[] = {"n", "classes"};
    PT_TRY(check_device(op, device));
    DIMS(op, n, classes);
    REQUIRE(op, logits);
    REQUIRE(op, targets);
    REQUIRE(op, correct);
    if (device == PT_DEVICE_CPU) PT_TRY(check_targets(op, n, classes, targets));
    return PT_OK;
}

int pt_argmax_correct(int device, int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                      int64_t *correct) {
    PT_TRY(check_argmax_correct("pt_argmax_correct", device, n, classes, logits, targets, correct));
    DISPATCH(device, argmax_correct, n, classes, logits, targets, correct);
}

/* The _nosync twins: the result goes to one float in the call's device memory. On the CPU they are
 * the plain calls with the result narrowed (the loss is summed in double there as well). */
int pt_cross_entropy_forward_nosync(int device, int64_t n, int64_t classes, const float *logits,
                                    const int32_t *targets, double label_smoothing, float *probs, float *loss) {
    PT_TRY(check_cross_entropy_forward("pt_cross_entropy_forward_nosync", device, n, classes, logits, targets,
                                       label_smoothing, probs, loss));
    if (device == PT_DEVICE_CUDA)
        return pt_cuda_cross_entropy_forward_nosync(n, classes, logits, targets, label_smoothing, probs, loss);
    double mean = 0.0;
    pt_cpu_cross_entropy_forward(n, classes, logits, targets, label_smoothing, probs, &mean);
    *loss = (float)mean;
    return PT_OK;
}

int pt_argmax_correct_nosync(int device, int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                             float *correct) {
    PT_TRY(check_argmax_correct("pt_argmax_correct_nosync", device, n, classes, logits, targets, correct));
    if (device == PT_DEVICE_CUDA) return pt_cuda_argmax_correct_nosync(n, classes, logits, targets, correct);
    int64_t count = 0;
    pt_cpu_argmax_correct(n, classes, logits, targets, &count);
    *correct = (float)count;
    return PT_OK;
}
