/*
 * Mixed-precision dense layers on the CPU: the pt_cpu_*_ex twins of cpu/dense_kernels.h behind
 * pt_matmul_ex, pt_linear_*_ex and pt_conv2d_*_ex, and the readable reference of their CUDA twins.
 *
 * Numerics (torch.autocast's with fp32 accumulation): every operand element of a product -- a, b;
 * x, weight, dy -- is read from its storage dtype (exact widening) and rounded to compute_dtype
 * (common/dtypes.h pt_round_to_dtype), then the products are summed in float32. A bf16 * bf16 or
 * fp16 * fp16 product is exact in float32 (8 + 8 and 11 + 11 significant bits <= 24), so rounding
 * the operands into float32 scratch and calling the float32 kernels (OpenBLAS sgemm, im2col) is
 * exactly that computation. Biases and dbias are not products: bias is added in float32 and dbias
 * sums dy as given (unrounded), as the float32 kernels do.
 *
 * When every operand is float32 and compute_dtype is float32 nothing is copied: the call is the
 * plain kernel's, bit for bit. Scratch is malloc'ed per call and freed before returning; without
 * memory the call fails with PT_ERR_OUT_OF_MEMORY having written nothing.
 */
#include <stdlib.h>

#include "api/error.h"
#include "common/dtypes.h"
#include "cpu/conv2d_onednn.h"
#include "cpu/dense_kernels.h"
#include "cpu/simd.h"

/* The operand `src` (numel elements of dtype) as float32 rounded to `compute`: src itself when
 * that changes nothing, else a new buffer (freed with release). *out NULL: out of memory. */
static int rounded(const char *op, const char *name, const void *src, int dtype, int compute, int64_t numel,
                   const float **out) {
    if (src == NULL || (dtype == PT_DTYPE_FLOAT32 && compute == PT_DTYPE_FLOAT32)) {
        *out = src;
        return PT_OK;
    }
    float *dst = malloc((size_t)numel * sizeof(float));
    if (dst == NULL) {
        *out = NULL;
        return pt_fail(PT_ERR_OUT_OF_MEMORY, "%s: cannot allocate %lld floats for the rounded %s", op, (long long)numel,
                       name);
    }
    const int threads = numel < PT_PARALLEL_MIN_ELEMENTS ? 1 : pt_num_threads();
#pragma omp parallel for schedule(static) num_threads(threads)
    for (int64_t i = 0; i < numel; i++) dst[i] = pt_round_to_dtype(pt_load_dtype(src, i, dtype), compute);
    *out = dst;
    return PT_OK;
}

static void release(const float *copy, const void *src) {
    if (copy != src) free((void *)copy);
}

/* Rounds the operands that are used (others NULL) and frees them on any failure. */
typedef struct operands {
    const void *src[3];
    const float *f[3];
} operands;

static int round_all(const char *op, operands *o, const char *const names[3], const int dtypes[3], int compute,
                     const int64_t numels[3]) {
    for (int i = 0; i < 3; i++) o->f[i] = NULL;
    for (int i = 0; i < 3; i++) {
        const int s = rounded(op, names[i], o->src[i], dtypes[i], compute, numels[i], &o->f[i]);
        if (s != PT_OK) {
            for (int j = 0; j < i; j++) release(o->f[j], o->src[j]);
            return s;
        }
    }
    return PT_OK;
}

static void release_all(const operands *o) {
    for (int i = 0; i < 3; i++) release(o->f[i], o->src[i]);
}

int pt_cpu_matmul_ex(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const void *a,
                     int a_dtype, const void *b, int b_dtype, double beta, float *c, int compute_dtype) {
    static const char *const names[3] = {"a", "b", ""};
    operands o = {{a, b, NULL}, {NULL}};
    const int dtypes[3] = {a_dtype, b_dtype, PT_DTYPE_FLOAT32};
    const int64_t numels[3] = {m * k, k * n, 0};
    PT_TRY(round_all("pt_matmul_ex", &o, names, dtypes, compute_dtype, numels));
    pt_cpu_matmul(trans_a, trans_b, m, n, k, alpha, o.f[0], o.f[1], beta, c);
    release_all(&o);
    return PT_OK;
}

int pt_cpu_linear_forward_ex(int64_t n, int64_t in_features, int64_t out_features, const float *x, const void *weight,
                             int weight_dtype, const float *bias, float *y, int compute_dtype) {
    static const char *const names[3] = {"x", "weight", ""};
    operands o = {{x, weight, NULL}, {NULL}};
    const int dtypes[3] = {PT_DTYPE_FLOAT32, weight_dtype, PT_DTYPE_FLOAT32};
    const int64_t numels[3] = {n * in_features, out_features * in_features, 0};
    PT_TRY(round_all("pt_linear_forward_ex", &o, names, dtypes, compute_dtype, numels));
    pt_cpu_linear_forward(n, in_features, out_features, o.f[0], o.f[1], bias, y);
    release_all(&o);
    return PT_OK;
}

int pt_cpu_linear_backward_ex(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                              const void *weight, int weight_dtype, const float *dy, float *dx, float *dweight,
                              float *dbias, int accumulate, int compute_dtype) {
    static const char *const names[3] = {"x", "weight", "dy"};
    /* x only feeds dweight and weight only dx: the other is not rounded when skipped. */
    operands o = {{dweight ? x : NULL, dx ? weight : NULL, dx || dweight ? dy : NULL}, {NULL}};
    const int dtypes[3] = {PT_DTYPE_FLOAT32, weight_dtype, PT_DTYPE_FLOAT32};
    const int64_t numels[3] = {n * in_features, out_features * in_features, n * out_features};
    PT_TRY(round_all("pt_linear_backward_ex", &o, names, dtypes, compute_dtype, numels));
    if (dx || dweight)
        pt_cpu_linear_backward(n, in_features, out_features, o.f[0], o.f[1], o.f[2], dx, dweight, NULL, accumulate);
    if (dbias) pt_cpu_linear_backward(n, in_features, out_features, x, NULL, dy, NULL, NULL, dbias, accumulate);
    release_all(&o);
    return PT_OK;
}

int pt_cpu_conv2d_forward_ex(const pt_conv2d_shape *sh, const float *x, const void *weight, int weight_dtype,
                             const float *bias, float *y, int compute_dtype) {
    int status;
    if (pt_cpu_conv2d_forward_on_backend(sh, x, weight, weight_dtype, bias, y, compute_dtype, &status)) return status;
    static const char *const names[3] = {"x", "weight", ""};
    operands o = {{x, weight, NULL}, {NULL}};
    const int dtypes[3] = {PT_DTYPE_FLOAT32, weight_dtype, PT_DTYPE_FLOAT32};
    const int64_t numels[3] = {sh->n * sh->c * sh->h * sh->w, sh->k * sh->c * sh->r * sh->s, 0};
    PT_TRY(round_all("pt_conv2d_forward_ex", &o, names, dtypes, compute_dtype, numels));
    const int s = pt_cpu_conv2d_forward(sh, o.f[0], o.f[1], bias, y);
    release_all(&o);
    return s;
}

int pt_cpu_conv2d_backward_ex(const pt_conv2d_shape *sh, const float *x, const void *weight, int weight_dtype,
                              const float *dy, float *dx, float *dweight, float *dbias, int accumulate,
                              int compute_dtype) {
    int status;
    if (pt_cpu_conv2d_backward_on_backend(sh, x, weight, weight_dtype, dy, dx, dweight, accumulate, compute_dtype,
                                          &status)) {
        if (status == PT_OK && dbias) status = pt_cpu_conv2d_backward(sh, x, NULL, dy, NULL, NULL, dbias, accumulate);
        return status;
    }
    static const char *const names[3] = {"x", "weight", "dy"};
    /* The float32 kernel packs the weight of a trimmed filter even for dweight alone: it is
     * rounded whenever a product runs. */
    operands o = {{dweight ? x : NULL, dx || dweight ? weight : NULL, dx || dweight ? dy : NULL}, {NULL}};
    const int dtypes[3] = {PT_DTYPE_FLOAT32, weight_dtype, PT_DTYPE_FLOAT32};
    const int64_t numels[3] = {sh->n * sh->c * sh->h * sh->w, sh->k * sh->c * sh->r * sh->s,
                               sh->n * sh->k * sh->p * sh->q};
    PT_TRY(round_all("pt_conv2d_backward_ex", &o, names, dtypes, compute_dtype, numels));
    int s = PT_OK;
    if (dx || dweight) s = pt_cpu_conv2d_backward(sh, o.f[0], o.f[1], o.f[2], dx, dweight, NULL, accumulate);
    if (s == PT_OK && dbias) s = pt_cpu_conv2d_backward(sh, x, NULL, dy, NULL, NULL, dbias, accumulate);
    release_all(&o);
    return s;
}
