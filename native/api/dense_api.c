/*
 * The public dense-layer entry points: pt_matmul, pt_linear_forward / _backward and
 * pt_conv2d_forward / _backward. Each validates every argument (the library never trusts its
 * caller and never aborts), in this order: the device, each dimension (>= 1; strides >= 1,
 * pads >= 0), the output size of a convolution, the element count of each tensor (its byte size
 * must fit in a ptrdiff_t), the pointers (the outputs of a backward may be NULL: skipped), then
 * dispatches on the device. The CPU kernels are OpenBLAS sgemm based, whose 32-bit interface
 * bounds each matrix dimension by INT_MAX (PT_ERR_UNSUPPORTED beyond). PT_DEVICE_CUDA goes to panoptim's
 * CUDA kernels (cuda/matmul.cu, linear.cu, conv2d.cu) or, with the vendor backend, to cuBLAS / cuDNN.
 *
 * The mixed-precision *_ex calls are the general form: operands stored as float32, bfloat16 or
 * float16 and rounded to compute_dtype before the products (cpu/mixed_dense.c says how). The plain
 * calls are the *_ex ones with every dtype float32, under their own names in messages. The vendor
 * backend runs the all-float32 calls only; any other dtype runs panoptim's own CUDA kernels.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "api/error.h"
#include "api/dtype_check.h"
#include "common/dtypes.h"
#include "cpu/dense_kernels.h"
#include "cuda/conv2d_cuda.h"
#include "cuda/matmul_cuda.h"
#include "api/vendor_dispatch.h"

/* Largest element count of one tensor: its byte size must fit in a ptrdiff_t. */
#define PT_MAX_NUMEL ((int64_t)(PTRDIFF_MAX / (ptrdiff_t)sizeof(float)))

static int check_device(const char *op, int device) {
    if (device != PT_DEVICE_CPU && device != PT_DEVICE_CUDA)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: unknown device %d (0 = CPU, 1 = CUDA)", op, device);
    return PT_OK;
}

/* A count (a dimension, a stride) that must be >= lo. */
static int check_min(const char *op, const char *name, int64_t value, int64_t lo) {
    if (value < lo)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s must be >= %lld, got %lld", op, name, (long long)lo,
                       (long long)value);
    return PT_OK;
}

static int check_ptr(const char *op, const char *name, const void *p) {
    if (p == NULL) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s is NULL", op, name);
    return PT_OK;
}

/* The element count of a tensor of 2 or 4 dimensions (each already >= 1), named in errors as
 * `name` with its shape letters, e.g. ("x", "(N, C, H, W)"). */
static int check_numel(const char *op, const char *name, const char *letters, int ndims, const int64_t *dims) {
    int64_t total = 1;
    int overflow = 0;
    for (int i = 0; i < ndims; i++) overflow |= __builtin_mul_overflow(total, dims[i], &total);
    if (overflow || total > PT_MAX_NUMEL) {
        if (ndims == 2)
            return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s %s = (%lld, %lld) has too many elements (at most %lld)",
                           op, name, letters, (long long)dims[0], (long long)dims[1], (long long)PT_MAX_NUMEL);
        return pt_fail(PT_ERR_INVALID_ARGUMENT,
                       "%s: %s %s = (%lld, %lld, %lld, %lld) has too many elements (at most %lld)", op, name,
                       letters, (long long)dims[0], (long long)dims[1], (long long)dims[2], (long long)dims[3],
                       (long long)PT_MAX_NUMEL);
    }
    return PT_OK;
}

/* A matrix dimension handed to OpenBLAS's (32-bit int) sgemm. */
static int check_blas_dim(const char *op, const char *name, int64_t value) {
    if (value > INT_MAX)
        return pt_fail(PT_ERR_UNSUPPORTED,
                       "%s: %s = %lld exceeds %d, the largest matrix dimension of the CPU kernels (OpenBLAS's 32-bit interface)",
                       op, name, (long long)value, INT_MAX);
    return PT_OK;
}

/* `!isfinite` of the float the kernel will use, so NaN, inf and doubles beyond FLT_MAX are rejected. */
static int check_finite_float(const char *op, const char *name, double value) {
    if (!isfinite((float)value))
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s is %g, not a finite float", op, name, value);
    return PT_OK;
}

/* The vendor libraries run the all-float32 products; mixed ones stay on panoptim's kernels. */
static int use_vendor(int device, int operand_dtype, int compute_dtype) {
    return pt_use_vendor(device) && operand_dtype == PT_DTYPE_FLOAT32 && compute_dtype == PT_DTYPE_FLOAT32;
}

/* ---------------------------------------------------------------- matmul */

static int matmul(const char *op, int device, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                  double alpha, const void *a, int a_dtype, const void *b, int b_dtype, double beta, float *c,
                  int compute_dtype) {
    PT_TRY(check_device(op, device));
    PT_TRY(check_min(op, "m", m, 1));
    PT_TRY(check_min(op, "n", n, 1));
    PT_TRY(check_min(op, "k", k, 1));
    const int64_t a_dims[2] = {trans_a ? k : m, trans_a ? m : k}, b_dims[2] = {trans_b ? n : k, trans_b ? k : n};
    const int64_t c_dims[2] = {m, n};
    PT_TRY(check_numel(op, "a", trans_a ? "(K, M)" : "(M, K)", 2, a_dims));
    PT_TRY(check_numel(op, "b", trans_b ? "(N, K)" : "(K, N)", 2, b_dims));
    PT_TRY(check_numel(op, "c", "(M, N)", 2, c_dims));
    PT_TRY(check_finite_float(op, "alpha", alpha));
    PT_TRY(check_finite_float(op, "beta", beta));
    PT_TRY(pt_check_dtype(op, "a_dtype", a_dtype));
    PT_TRY(pt_check_dtype(op, "b_dtype", b_dtype));
    PT_TRY(pt_check_dtype(op, "compute_dtype", compute_dtype));
    PT_TRY(check_ptr(op, "a", a));
    PT_TRY(check_ptr(op, "b", b));
    PT_TRY(check_ptr(op, "c", c));
    if (use_vendor(device, a_dtype | b_dtype, compute_dtype))
        return pt_vendor_matmul(trans_a, trans_b, m, n, k, alpha, a, b, beta, c);
    if (device == PT_DEVICE_CUDA)
        return pt_cuda_matmul(trans_a != 0, trans_b != 0, m, n, k, alpha, a, a_dtype, b, b_dtype, beta, c, compute_dtype);
    PT_TRY(check_blas_dim(op, "m", m));
    PT_TRY(check_blas_dim(op, "n", n));
    PT_TRY(check_blas_dim(op, "k", k));
    return pt_cpu_matmul_ex(trans_a != 0, trans_b != 0, m, n, k, alpha, a, a_dtype, b, b_dtype, beta, c, compute_dtype);
}

int pt_matmul(int device, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const float *a,
              const float *b, double beta, float *c) {
    return matmul("pt_matmul", device, trans_a, trans_b, m, n, k, alpha, a, PT_DTYPE_FLOAT32, b, PT_DTYPE_FLOAT32, beta, c,
                  PT_DTYPE_FLOAT32);
}

int pt_matmul_ex(int device, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const void *a,
                 int a_dtype, const void *b, int b_dtype, double beta, float *c, int compute_dtype) {
    return matmul("pt_matmul_ex", device, trans_a, trans_b, m, n, k, alpha, a, a_dtype, b, b_dtype, beta, c,
                  compute_dtype);
}

/* ---------------------------------------------------------------- linear */

/* Dimensions and sizes shared by forward and backward. */
static int check_linear(const char *op, int device, int64_t n, int64_t in_features, int64_t out_features) {
    PT_TRY(check_device(op, device));
    PT_TRY(check_min(op, "n", n, 1));
    PT_TRY(check_min(op, "in_features", in_features, 1));
    PT_TRY(check_min(op, "out_features", out_features, 1));
    const int64_t x_dims[2] = {n, in_features}, w_dims[2] = {out_features, in_features}, y_dims[2] = {n, out_features};
    PT_TRY(check_numel(op, "x", "(N, IN)", 2, x_dims));
    PT_TRY(check_numel(op, "weight", "(OUT, IN)", 2, w_dims));
    PT_TRY(check_numel(op, "y", "(N, OUT)", 2, y_dims));
    return PT_OK;
}

static int check_linear_blas(const char *op, int64_t n, int64_t in_features, int64_t out_features) {
    PT_TRY(check_blas_dim(op, "n", n));
    PT_TRY(check_blas_dim(op, "in_features", in_features));
    PT_TRY(check_blas_dim(op, "out_features", out_features));
    return PT_OK;
}

/* The operands every mixed-precision linear and conv call needs: both dtypes known, x, the weight
 * and the third tensor (`third`: y of a forward, dy of a backward) present. */
static int check_mixed_operands(const char *op, int weight_dtype, int compute_dtype, const float *x, const void *weight,
                                const char *third, const float *third_ptr) {
    PT_TRY(pt_check_dtype(op, "weight_dtype", weight_dtype));
    PT_TRY(pt_check_dtype(op, "compute_dtype", compute_dtype));
    PT_TRY(check_ptr(op, "x", x));
    PT_TRY(check_ptr(op, "weight", weight));
    return check_ptr(op, third, third_ptr);
}

static int linear_forward(const char *op, int device, int64_t n, int64_t in_features, int64_t out_features,
                          const float *x, const void *weight, int weight_dtype, const float *bias, float *y,
                          int compute_dtype) {
    PT_TRY(check_linear(op, device, n, in_features, out_features));
    PT_TRY(check_mixed_operands(op, weight_dtype, compute_dtype, x, weight, "y", y)); /* bias may be NULL */
    if (use_vendor(device, weight_dtype, compute_dtype))
        return pt_vendor_linear_forward(n, in_features, out_features, x, weight, bias, y);
    if (device == PT_DEVICE_CUDA)
        return pt_cuda_linear_forward(n, in_features, out_features, x, weight, weight_dtype, bias, y, compute_dtype);
    PT_TRY(check_linear_blas(op, n, in_features, out_features));
    return pt_cpu_linear_forward_ex(n, in_features, out_features, x, weight, weight_dtype, bias, y, compute_dtype);
}

int pt_linear_forward(int device, int64_t n, int64_t in_features, int64_t out_features, const float *x,
                      const float *weight, const float *bias, float *y) {
    return linear_forward("pt_linear_forward", device, n, in_features, out_features, x, weight, PT_DTYPE_FLOAT32, bias,
                          y, PT_DTYPE_FLOAT32);
}

int pt_linear_forward_ex(int device, int64_t n, int64_t in_features, int64_t out_features, const float *x,
                         const void *weight, int weight_dtype, const float *bias, float *y, int compute_dtype) {
    return linear_forward("pt_linear_forward_ex", device, n, in_features, out_features, x, weight, weight_dtype, bias,
                          y, compute_dtype);
}

static int linear_backward(const char *op, int device, int64_t n, int64_t in_features, int64_t out_features,
                           const float *x, const void *weight, int weight_dtype, const float *dy, float *dx,
                           float *dweight, float *dbias, int accumulate, int compute_dtype) {
    PT_TRY(check_linear(op, device, n, in_features, out_features));
    /* dx, dweight, dbias may be NULL: skipped */
    PT_TRY(check_mixed_operands(op, weight_dtype, compute_dtype, x, weight, "dy", dy));
    if (use_vendor(device, weight_dtype, compute_dtype))
        return pt_vendor_linear_backward(n, in_features, out_features, x, weight, dy, dx, dweight, dbias, accumulate);
    if (device == PT_DEVICE_CUDA)
        return pt_cuda_linear_backward(n, in_features, out_features, x, weight, weight_dtype, dy, dx, dweight, dbias,
                                       accumulate != 0, compute_dtype);
    PT_TRY(check_linear_blas(op, n, in_features, out_features));
    return pt_cpu_linear_backward_ex(n, in_features, out_features, x, weight, weight_dtype, dy, dx, dweight, dbias,
                                     accumulate != 0, compute_dtype);
}

int pt_linear_backward(int device, int64_t n, int64_t in_features, int64_t out_features, const float *x,
                       const float *weight, const float *dy, float *dx, float *dweight, float *dbias, int accumulate) {
    return linear_backward("pt_linear_backward", device, n, in_features, out_features, x, weight, PT_DTYPE_FLOAT32, dy,
                           dx, dweight, dbias, accumulate, PT_DTYPE_FLOAT32);
}

int pt_linear_backward_ex(int device, int64_t n, int64_t in_features, int64_t out_features, const float *x,
                          const void *weight, int weight_dtype, const float *dy, float *dx, float *dweight,
                          float *dbias, int accumulate, int compute_dtype) {
    return linear_backward("pt_linear_backward_ex", device, n, in_features, out_features, x, weight, weight_dtype, dy,
                           dx, dweight, dbias, accumulate, compute_dtype);
}

/* ---------------------------------------------------------------- conv2d */

/* One output extent, (size + 2*pad - kernel) / stride + 1, which must be >= 1; `size`, `kernel` and
 * `stride` are >= 1 and `pad` >= 0 already. */
static int conv_output_size(const char *op, const char *out_name, const char *size_name, const char *pad_name,
                            const char *kernel_name, const char *stride_name, int64_t size, int64_t pad,
                            int64_t kernel, int64_t stride, int64_t *out) {
    int64_t padded;
    if (__builtin_mul_overflow(pad, (int64_t)2, &padded) || __builtin_add_overflow(padded, size, &padded))
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s = %lld is too large (%s + 2*%s overflows)", op, pad_name,
                       (long long)pad, size_name, pad_name);
    if (padded < kernel)
        return pt_fail(PT_ERR_INVALID_ARGUMENT,
                       "%s: output %s = (%s + 2*%s - %s) / %s + 1 is < 1: %s = %lld, %s = %lld, %s = %lld (the padded "
                       "input is smaller than the filter)",
                       op, out_name, size_name, pad_name, kernel_name, stride_name, size_name, (long long)size, pad_name,
                       (long long)pad, kernel_name, (long long)kernel);
    *out = (padded - kernel) / stride + 1;
    return PT_OK;
}

/* Dimensions, output size and tensor sizes shared by forward and backward; fills *sh. */
static int check_conv(const char *op, int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r,
                      int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w,
                      pt_conv2d_shape *sh) {
    PT_TRY(check_device(op, device));
    PT_TRY(check_min(op, "n", n, 1));
    PT_TRY(check_min(op, "c", c, 1));
    PT_TRY(check_min(op, "h", h, 1));
    PT_TRY(check_min(op, "w", w, 1));
    PT_TRY(check_min(op, "k", k, 1));
    PT_TRY(check_min(op, "r", r, 1));
    PT_TRY(check_min(op, "s", s, 1));
    PT_TRY(check_min(op, "stride_h", stride_h, 1));
    PT_TRY(check_min(op, "stride_w", stride_w, 1));
    PT_TRY(check_min(op, "pad_h", pad_h, 0));
    PT_TRY(check_min(op, "pad_w", pad_w, 0));
    int64_t p = 0, q = 0;
    PT_TRY(conv_output_size(op, "height P", "h", "pad_h", "r", "stride_h", h, pad_h, r, stride_h, &p));
    PT_TRY(conv_output_size(op, "width Q", "w", "pad_w", "s", "stride_w", w, pad_w, s, stride_w, &q));
    const int64_t x_dims[4] = {n, c, h, w}, w_dims[4] = {k, c, r, s}, y_dims[4] = {n, k, p, q};
    PT_TRY(check_numel(op, "x", "(N, C, H, W)", 4, x_dims));
    PT_TRY(check_numel(op, "weight", "(K, C, R, S)", 4, w_dims));
    PT_TRY(check_numel(op, "y", "(N, K, P, Q)", 4, y_dims));
    *sh = (pt_conv2d_shape){n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, p, q};
    return PT_OK;
}

/* The GEMMs of cpu/conv2d.c are (K, CRS) by (CRS, images * P*Q) with P*Q <= the column count. */
static int check_conv_blas(const char *op, const pt_conv2d_shape *sh) {
    PT_TRY(check_blas_dim(op, "k", sh->k));
    PT_TRY(check_blas_dim(op, "c*r*s", sh->c * sh->r * sh->s)); /* < numel(weight): no overflow */
    PT_TRY(check_blas_dim(op, "p*q", sh->p * sh->q));           /* < numel(y) */
    return PT_OK;
}

static int conv2d_forward(const char *op, int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k,
                          int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w,
                          const float *x, const void *weight, int weight_dtype, const float *bias, float *y,
                          int compute_dtype) {
    pt_conv2d_shape sh;
    PT_TRY(check_conv(op, device, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, &sh));
    PT_TRY(check_mixed_operands(op, weight_dtype, compute_dtype, x, weight, "y", y)); /* bias may be NULL */
    if (use_vendor(device, weight_dtype, compute_dtype))
        return pt_vendor_conv2d_forward(n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, x, weight, bias, y);
    if (device == PT_DEVICE_CUDA) return pt_cuda_conv2d_forward(&sh, x, weight, weight_dtype, bias, y, compute_dtype);
    PT_TRY(check_conv_blas(op, &sh));
    return pt_cpu_conv2d_forward_ex(&sh, x, weight, weight_dtype, bias, y, compute_dtype);
}

int pt_conv2d_forward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s,
                      int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float *x,
                      const float *weight, const float *bias, float *y) {
    return conv2d_forward("pt_conv2d_forward", device, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, x, weight,
                          PT_DTYPE_FLOAT32, bias, y, PT_DTYPE_FLOAT32);
}

int pt_conv2d_forward_ex(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s,
                         int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float *x,
                         const void *weight, int weight_dtype, const float *bias, float *y, int compute_dtype) {
    return conv2d_forward("pt_conv2d_forward_ex", device, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, x,
                          weight, weight_dtype, bias, y, compute_dtype);
}

static int conv2d_backward(const char *op, int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k,
                           int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w,
                           const float *x, const void *weight, int weight_dtype, const float *dy, float *dx,
                           float *dweight, float *dbias, int accumulate, int compute_dtype) {
    pt_conv2d_shape sh;
    PT_TRY(check_conv(op, device, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, &sh));
    /* dx, dweight, dbias may be NULL: skipped */
    PT_TRY(check_mixed_operands(op, weight_dtype, compute_dtype, x, weight, "dy", dy));
    if (use_vendor(device, weight_dtype, compute_dtype))
        return pt_vendor_conv2d_backward(n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, x, weight, dy, dx, dweight,
                                         dbias, accumulate);
    if (device == PT_DEVICE_CUDA)
        return pt_cuda_conv2d_backward(&sh, x, weight, weight_dtype, dy, dx, dweight, dbias, accumulate != 0,
                                       compute_dtype);
    PT_TRY(check_conv_blas(op, &sh));
    return pt_cpu_conv2d_backward_ex(&sh, x, weight, weight_dtype, dy, dx, dweight, dbias, accumulate != 0,
                                     compute_dtype);
}

int pt_conv2d_backward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s,
                       int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float *x,
                       const float *weight, const float *dy, float *dx, float *dweight, float *dbias, int accumulate) {
    return conv2d_backward("pt_conv2d_backward", device, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, x, weight,
                           PT_DTYPE_FLOAT32, dy, dx, dweight, dbias, accumulate, PT_DTYPE_FLOAT32);
}

int pt_conv2d_backward_ex(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s,
                          int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float *x,
                          const void *weight, int weight_dtype, const float *dy, float *dx, float *dweight,
                          float *dbias, int accumulate, int compute_dtype) {
    return conv2d_backward("pt_conv2d_backward_ex", device, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, x,
                           weight, weight_dtype, dy, dx, dweight, dbias, accumulate, compute_dtype);
}
