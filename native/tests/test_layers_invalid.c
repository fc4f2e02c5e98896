/*
 * Every error path of api/layers_api.c (the non-dense layer ops, the fused batch norm + ReLU too): the documented status, and a
 * pt_last_error() that names the op, the argument and its value. Also: NULL is accepted exactly
 * where the header allows it, empty elementwise calls succeed, and a rejected call writes nothing.
 */
#include <math.h>
#include <string.h>

#include "panoptim.h"
#include "test_expect_error.h"

/* Valid buffers: x (2, 3, 4) for batch norm and the flat ops, a (1, 2, 4, 4) plane pair for pooling. */
#define NUMEL 24
static float x[NUMEL], y[NUMEL], dy[NUMEL], dx[NUMEL];
static float w[3], b[3], rm[3], rv[3], sm[3], si[3], dw[3], db[3];
static int32_t am[NUMEL];

/* A CUDA call over these host arrays, once its arguments passed the checks: without a usable CUDA
 * device it says why CUDA is unavailable. With one it is not made: host arrays are not device
 * memory (test_cuda_layers covers the CUDA calls, and their refusal of host pointers on the
 * simulator). */
#define EXPECT_NO_CUDA(call)                                             \
    do {                                                                 \
        int count_;                                                      \
        if (pt_cuda_device_count(&count_) != PT_OK) EXPECT(UNSUPPORTED, "CUDA", call); \
    } while (0)

/* Every element of y still holds the sentinel: a rejected call must not write. */
static void expect_untouched(const char *what, const float *buf, int64_t n) {
    for (int64_t j = 0; j < n; j++)
        if (buf[j] != 12345.0f) {
            CHECK(0, "%s: a rejected call wrote element %lld (%g)", what, (long long)j, buf[j]);
            return;
        }
}

static void sentinel(float *buf, int64_t n) {
    for (int64_t j = 0; j < n; j++) buf[j] = 12345.0f;
}

static void batchnorm_errors(void) {
    EXPECT(INVALID, "unknown device", pt_batchnorm2d_forward(2, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "n must be >= 1, got 0", pt_batchnorm2d_forward(CPU, 1, 0, 3, 4, x, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "c must be >= 1, got -3", pt_batchnorm2d_forward(CPU, 1, 2, -3, 4, x, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "hw must be >= 1, got 0", pt_batchnorm2d_forward(CPU, 1, 2, 3, 0, x, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "too large",
           pt_batchnorm2d_forward(CPU, 1, INT64_MAX / 2, 3, 4, x, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "more than 1 value per channel (n * hw = 1)",
           pt_batchnorm2d_forward(CPU, 1, 1, 3, 1, x, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "momentum -0.1", pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, -0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "momentum 1.5", pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 1.5, 1e-5, y, sm, si));
    EXPECT(INVALID, "momentum nan", pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, NAN, 1e-5, y, sm, si));
    EXPECT(INVALID, "eps 0", pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, 0.0, y, sm, si));
    EXPECT(INVALID, "eps -1e-05", pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, -1e-5, y, sm, si));
    EXPECT(INVALID, "eps nan", pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, NAN, y, sm, si));
    EXPECT(INVALID, "eps inf", pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, INFINITY, y, sm, si));
    EXPECT(INVALID, "x is NULL", pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, NULL, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "y is NULL", pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, 1e-5, NULL, sm, si));
    EXPECT(INVALID, "running_mean is set but running_var is NULL",
           pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, x, w, b, rm, NULL, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "running_mean is NULL but running_var is set",
           pt_batchnorm2d_forward(CPU, 0, 2, 3, 4, x, w, b, NULL, rv, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "save_mean is NULL", pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, 1e-5, y, NULL, si));
    EXPECT(INVALID, "save_invstd is NULL", pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, 1e-5, y, sm, NULL));
    EXPECT(INVALID, "eval mode (training = 0) needs running_mean and running_var",
           pt_batchnorm2d_forward(CPU, 0, 2, 3, 4, x, w, b, NULL, NULL, 0.1, 1e-5, y, NULL, NULL));
    EXPECT_NO_CUDA(pt_batchnorm2d_forward(CUDA, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    /* Rejected calls wrote nothing (y, the running stats and the saved stats hold the sentinel). */
    sentinel(y, NUMEL), sentinel(rm, 3), sentinel(rv, 3), sentinel(sm, 3), sentinel(si, 3);
    EXPECT(INVALID, "momentum", pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 2.0, 1e-5, y, sm, si));
    EXPECT_NO_CUDA(pt_batchnorm2d_forward(CUDA, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    expect_untouched("batchnorm y", y, NUMEL);
    expect_untouched("batchnorm running_mean", rm, 3);
    expect_untouched("batchnorm running_var", rv, 3);
    expect_untouched("batchnorm save_mean", sm, 3);
    for (int i = 0; i < 3; i++) rm[i] = 0.0f, rv[i] = 1.0f;
    /* Allowed: no affine params, no running stats (track_running_stats=False), momentum 0 and 1,
     * eval without save_*, eval with a single value per channel. */
    EXPECT(PT_OK, "", pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, x, NULL, NULL, NULL, NULL, 0.1, 1e-5, y, sm, si));
    EXPECT(PT_OK, "", pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 0.0, 1e-5, y, sm, si));
    EXPECT(PT_OK, "", pt_batchnorm2d_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 1.0, 1e-5, y, sm, si));
    EXPECT(PT_OK, "", pt_batchnorm2d_forward(CPU, 0, 2, 3, 4, x, w, NULL, rm, rv, 0.1, 1e-5, y, NULL, NULL));
    EXPECT(PT_OK, "", pt_batchnorm2d_forward(CPU, 0, 1, 3, 1, x, w, b, rm, rv, 0.1, 1e-5, y, NULL, NULL));

    EXPECT(INVALID, "unknown device", pt_batchnorm2d_backward(-1, 1, 2, 3, 4, x, w, sm, si, dy, dx, dw, db, 0));
    EXPECT(INVALID, "n must be >= 1, got -2", pt_batchnorm2d_backward(CPU, 1, -2, 3, 4, x, w, sm, si, dy, dx, dw, db, 0));
    EXPECT(INVALID, "c must be >= 1, got 0", pt_batchnorm2d_backward(CPU, 1, 2, 0, 4, x, w, sm, si, dy, dx, dw, db, 0));
    EXPECT(INVALID, "hw must be >= 1, got -4", pt_batchnorm2d_backward(CPU, 1, 2, 3, -4, x, w, sm, si, dy, dx, dw, db, 0));
    EXPECT(INVALID, "more than 1 value per channel",
           pt_batchnorm2d_backward(CPU, 1, 1, 3, 1, x, w, sm, si, dy, dx, dw, db, 0));
    EXPECT(INVALID, "x is NULL", pt_batchnorm2d_backward(CPU, 1, 2, 3, 4, NULL, w, sm, si, dy, dx, dw, db, 0));
    EXPECT(INVALID, "save_mean is NULL", pt_batchnorm2d_backward(CPU, 1, 2, 3, 4, x, w, NULL, si, dy, dx, dw, db, 0));
    EXPECT(INVALID, "save_invstd is NULL", pt_batchnorm2d_backward(CPU, 1, 2, 3, 4, x, w, sm, NULL, dy, dx, dw, db, 0));
    EXPECT(INVALID, "dy is NULL", pt_batchnorm2d_backward(CPU, 1, 2, 3, 4, x, w, sm, si, NULL, dx, dw, db, 0));
    sentinel(dx, NUMEL), sentinel(dw, 3), sentinel(db, 3);
    EXPECT_NO_CUDA(pt_batchnorm2d_backward(CUDA, 1, 2, 3, 4, x, w, sm, si, dy, dx, dw, db, 1));
    expect_untouched("batchnorm dx", dx, NUMEL);
    expect_untouched("batchnorm dweight", dw, 3);
    /* Allowed: every output NULL (nothing to do), no weight, eval with one value per channel. */
    EXPECT(PT_OK, "", pt_batchnorm2d_backward(CPU, 1, 2, 3, 4, x, w, sm, si, dy, NULL, NULL, NULL, 0));
    EXPECT(PT_OK, "", pt_batchnorm2d_backward(CPU, 1, 2, 3, 4, x, NULL, sm, si, dy, dx, NULL, db, 1));
    EXPECT(PT_OK, "", pt_batchnorm2d_backward(CPU, 0, 1, 3, 1, x, w, sm, si, dy, dx, dw, db, 0));
}

/* The fused pair shares the batch norm's checks (api/layers_api.c); its messages name the fused op. */
static void batchnorm_relu_errors(void) {
    EXPECT(INVALID, "pt_batchnorm2d_relu_forward: unknown device 2",
           pt_batchnorm2d_relu_forward(2, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "pt_batchnorm2d_relu_forward: n must be >= 1, got 0",
           pt_batchnorm2d_relu_forward(CPU, 1, 0, 3, 4, x, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "c must be >= 1, got -3", pt_batchnorm2d_relu_forward(CPU, 1, 2, -3, 4, x, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "hw must be >= 1, got 0", pt_batchnorm2d_relu_forward(CPU, 1, 2, 3, 0, x, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "too large",
           pt_batchnorm2d_relu_forward(CPU, 1, INT64_MAX / 2, 3, 4, x, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "more than 1 value per channel (n * hw = 1)",
           pt_batchnorm2d_relu_forward(CPU, 1, 1, 3, 1, x, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "momentum 1.5", pt_batchnorm2d_relu_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 1.5, 1e-5, y, sm, si));
    EXPECT(INVALID, "eps nan", pt_batchnorm2d_relu_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, NAN, y, sm, si));
    EXPECT(INVALID, "x is NULL", pt_batchnorm2d_relu_forward(CPU, 1, 2, 3, 4, NULL, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "y is NULL", pt_batchnorm2d_relu_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, 1e-5, NULL, sm, si));
    EXPECT(INVALID, "running_mean is set but running_var is NULL",
           pt_batchnorm2d_relu_forward(CPU, 1, 2, 3, 4, x, w, b, rm, NULL, 0.1, 1e-5, y, sm, si));
    EXPECT(INVALID, "save_invstd is NULL",
           pt_batchnorm2d_relu_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, 1e-5, y, sm, NULL));
    EXPECT(INVALID, "eval mode (training = 0) needs running_mean and running_var",
           pt_batchnorm2d_relu_forward(CPU, 0, 2, 3, 4, x, w, b, NULL, NULL, 0.1, 1e-5, y, NULL, NULL));
    sentinel(y, NUMEL), sentinel(rm, 3), sentinel(rv, 3), sentinel(sm, 3), sentinel(si, 3);
    EXPECT(INVALID, "eps -1", pt_batchnorm2d_relu_forward(CPU, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, -1.0, y, sm, si));
    EXPECT_NO_CUDA(pt_batchnorm2d_relu_forward(CUDA, 1, 2, 3, 4, x, w, b, rm, rv, 0.1, 1e-5, y, sm, si));
    expect_untouched("batchnorm+relu y", y, NUMEL);
    expect_untouched("batchnorm+relu running_var", rv, 3);
    expect_untouched("batchnorm+relu save_invstd", si, 3);
    for (int i = 0; i < 3; i++) rm[i] = 0.0f, rv[i] = 1.0f;
    /* Allowed: affine = False (weight and bias NULL), no running stats, eval without save_*. */
    EXPECT(PT_OK, "", pt_batchnorm2d_relu_forward(CPU, 1, 2, 3, 4, x, NULL, NULL, NULL, NULL, 0.1, 1e-5, y, sm, si));
    EXPECT(PT_OK, "", pt_batchnorm2d_relu_forward(CPU, 0, 2, 3, 4, x, w, NULL, rm, rv, 0.1, 1e-5, y, NULL, NULL));
    EXPECT(PT_OK, "", pt_batchnorm2d_relu_forward(CPU, 0, 1, 3, 1, x, w, b, rm, rv, 0.1, 1e-5, y, NULL, NULL));

    EXPECT(INVALID, "pt_batchnorm2d_relu_backward: unknown device -1",
           pt_batchnorm2d_relu_backward(-1, 1, 2, 3, 4, x, w, b, sm, si, dy, dx, dw, db, 0));
    EXPECT(INVALID, "n must be >= 1, got -2", pt_batchnorm2d_relu_backward(CPU, 1, -2, 3, 4, x, w, b, sm, si, dy, dx, dw, db, 0));
    EXPECT(INVALID, "c must be >= 1, got 0", pt_batchnorm2d_relu_backward(CPU, 1, 2, 0, 4, x, w, b, sm, si, dy, dx, dw, db, 0));
    EXPECT(INVALID, "hw must be >= 1, got -4", pt_batchnorm2d_relu_backward(CPU, 1, 2, 3, -4, x, w, b, sm, si, dy, dx, dw, db, 0));
    EXPECT(INVALID, "more than 1 value per channel",
           pt_batchnorm2d_relu_backward(CPU, 1, 1, 3, 1, x, w, b, sm, si, dy, dx, dw, db, 0));
    EXPECT(INVALID, "x is NULL", pt_batchnorm2d_relu_backward(CPU, 1, 2, 3, 4, NULL, w, b, sm, si, dy, dx, dw, db, 0));
    EXPECT(INVALID, "save_mean is NULL", pt_batchnorm2d_relu_backward(CPU, 1, 2, 3, 4, x, w, b, NULL, si, dy, dx, dw, db, 0));
    EXPECT(INVALID, "save_invstd is NULL", pt_batchnorm2d_relu_backward(CPU, 1, 2, 3, 4, x, w, b, sm, NULL, dy, dx, dw, db, 0));
    EXPECT(INVALID, "dy is NULL", pt_batchnorm2d_relu_backward(CPU, 1, 2, 3, 4, x, w, b, sm, si, NULL, dx, dw, db, 0));
    sentinel(dx, NUMEL), sentinel(dw, 3), sentinel(db, 3);
    EXPECT(INVALID, "hw must be >= 1, got 0", pt_batchnorm2d_relu_backward(CPU, 1, 2, 3, 0, x, w, b, sm, si, dy, dx, dw, db, 1));
    EXPECT_NO_CUDA(pt_batchnorm2d_relu_backward(CUDA, 1, 2, 3, 4, x, w, b, sm, si, dy, dx, dw, db, 1));
    expect_untouched("batchnorm+relu dx", dx, NUMEL);
    expect_untouched("batchnorm+relu dweight", dw, 3);
    expect_untouched("batchnorm+relu dbias", db, 3);
    /* Allowed: every output NULL, weight and bias NULL (affine = False), eval with one value per channel. */
    EXPECT(PT_OK, "", pt_batchnorm2d_relu_backward(CPU, 1, 2, 3, 4, x, w, b, sm, si, dy, NULL, NULL, NULL, 0));
    EXPECT(PT_OK, "", pt_batchnorm2d_relu_backward(CPU, 1, 2, 3, 4, x, NULL, NULL, sm, si, dy, dx, NULL, NULL, 1));
    EXPECT(PT_OK, "", pt_batchnorm2d_relu_backward(CPU, 0, 1, 3, 1, x, w, b, sm, si, dy, dx, dw, db, 0));
}

static void flat_errors(void) {
    EXPECT(INVALID, "unknown device", pt_relu_forward(3, NUMEL, x, y));
    EXPECT(INVALID, "numel must be >= 0, got -1", pt_relu_forward(CPU, -1, x, y));
    EXPECT(INVALID, "too large", pt_relu_forward(CPU, INT64_MAX, x, y));
    EXPECT(INVALID, "x is NULL", pt_relu_forward(CPU, NUMEL, NULL, y));
    EXPECT(INVALID, "y is NULL", pt_relu_forward(CPU, NUMEL, x, NULL));
    EXPECT_NO_CUDA(pt_relu_forward(CUDA, NUMEL, x, y));
    EXPECT(PT_OK, "", pt_relu_forward(CPU, 0, NULL, NULL));
    EXPECT(INVALID, "unknown device", pt_relu_backward(9, NUMEL, x, dy, dx));
    EXPECT(INVALID, "numel must be >= 0, got -5", pt_relu_backward(CPU, -5, x, dy, dx));
    EXPECT(INVALID, "x is NULL", pt_relu_backward(CPU, NUMEL, NULL, dy, dx));
    EXPECT(INVALID, "dy is NULL", pt_relu_backward(CPU, NUMEL, x, NULL, dx));
    EXPECT(INVALID, "dx is NULL", pt_relu_backward(CPU, NUMEL, x, dy, NULL));
    EXPECT_NO_CUDA(pt_relu_backward(CUDA, NUMEL, x, dy, dx));
    EXPECT(PT_OK, "", pt_relu_backward(CPU, 0, NULL, NULL, NULL));

    EXPECT(INVALID, "unknown device", pt_add(-7, NUMEL, x, dy, y));
    EXPECT(INVALID, "numel must be >= 0, got -2", pt_add(CPU, -2, x, dy, y));
    EXPECT(INVALID, "a is NULL", pt_add(CPU, NUMEL, NULL, dy, y));
    EXPECT(INVALID, "b is NULL", pt_add(CPU, NUMEL, x, NULL, y));
    EXPECT(INVALID, "y is NULL", pt_add(CPU, NUMEL, x, dy, NULL));
    EXPECT_NO_CUDA(pt_add(CUDA, NUMEL, x, dy, y));
    EXPECT(PT_OK, "", pt_add(CPU, 0, NULL, NULL, NULL));

    EXPECT(INVALID, "unknown device", pt_axpy(4, NUMEL, 1.0, x, y));
    EXPECT(INVALID, "numel must be >= 0, got -3", pt_axpy(CPU, -3, 1.0, x, y));
    EXPECT(INVALID, "alpha nan", pt_axpy(CPU, NUMEL, NAN, x, y));
    EXPECT(INVALID, "alpha inf", pt_axpy(CPU, NUMEL, INFINITY, x, y));
    EXPECT(INVALID, "alpha 1e+39", pt_axpy(CPU, NUMEL, 1e39, x, y));
    EXPECT(INVALID, "x is NULL", pt_axpy(CPU, NUMEL, 1.0, NULL, y));
    EXPECT(INVALID, "y is NULL", pt_axpy(CPU, NUMEL, 1.0, x, NULL));
    EXPECT_NO_CUDA(pt_axpy(CUDA, NUMEL, 1.0, x, y));
    EXPECT(PT_OK, "", pt_axpy(CPU, 0, 0.5, NULL, NULL));

    EXPECT(INVALID, "unknown device", pt_fill(5, NUMEL, 1.0, y));
    EXPECT(INVALID, "numel must be >= 0, got -1", pt_fill(CPU, -1, 1.0, y));
    EXPECT(INVALID, "value -1e+39 is outside the float32 range", pt_fill(CPU, NUMEL, -1e39, y));
    EXPECT(INVALID, "y is NULL", pt_fill(CPU, NUMEL, 1.0, NULL));
    sentinel(y, NUMEL);
    EXPECT_NO_CUDA(pt_fill(CUDA, NUMEL, 1.0, y));
    expect_untouched("fill y", y, NUMEL);
    /* +-inf and NaN are fills, not errors. */
    EXPECT(PT_OK, "", pt_fill(CPU, NUMEL, -INFINITY, y));
    EXPECT(PT_OK, "", pt_fill(CPU, NUMEL, NAN, y));
    EXPECT(PT_OK, "", pt_fill(CPU, 0, 1.0, NULL));
}

static void pool_errors(void) {
    /* (1, 2, 4, 3) planes of 12, 3x3 s2 p1 -> 2 x 2 outputs */
    EXPECT(INVALID, "unknown device", pt_maxpool2d_forward(2, 1, 2, 4, 3, 3, 2, 1, x, y, am));
    EXPECT(INVALID, "n must be >= 1, got 0", pt_maxpool2d_forward(CPU, 0, 2, 4, 3, 3, 2, 1, x, y, am));
    EXPECT(INVALID, "c must be >= 1, got -1", pt_maxpool2d_forward(CPU, 1, -1, 4, 3, 3, 2, 1, x, y, am));
    EXPECT(INVALID, "h must be >= 1, got 0", pt_maxpool2d_forward(CPU, 1, 2, 0, 3, 3, 2, 1, x, y, am));
    EXPECT(INVALID, "w must be >= 1, got 0", pt_maxpool2d_forward(CPU, 1, 2, 4, 0, 3, 2, 1, x, y, am));
    EXPECT(INVALID, "too large for int32 argmax", pt_maxpool2d_forward(CPU, 1, 1, 65536, 65536, 3, 2, 1, x, y, am));
    EXPECT(INVALID, "kernel must be >= 1, got 0", pt_maxpool2d_forward(CPU, 1, 2, 4, 3, 0, 2, 0, x, y, am));
    EXPECT(INVALID, "stride must be >= 1, got 0", pt_maxpool2d_forward(CPU, 1, 2, 4, 3, 3, 0, 1, x, y, am));
    EXPECT(INVALID, "padding must be >= 0, got -1", pt_maxpool2d_forward(CPU, 1, 2, 4, 3, 3, 2, -1, x, y, am));
    EXPECT(INVALID, "padding 2 is more than half the kernel 3", pt_maxpool2d_forward(CPU, 1, 2, 4, 3, 3, 2, 2, x, y, am));
    EXPECT(INVALID, "output would be empty", pt_maxpool2d_forward(CPU, 1, 2, 4, 3, 5, 1, 0, x, y, am));
    EXPECT(INVALID, "output would be empty", pt_maxpool2d_forward(CPU, 1, 2, 4, 3, INT64_MAX, 1, 0, x, y, am));
    EXPECT(INVALID, "padding", pt_maxpool2d_forward(CPU, 1, 2, 4, 3, 3, 1, INT64_MAX, x, y, am));
    EXPECT(INVALID, "x is NULL", pt_maxpool2d_forward(CPU, 1, 2, 4, 3, 3, 2, 1, NULL, y, am));
    EXPECT(INVALID, "y is NULL", pt_maxpool2d_forward(CPU, 1, 2, 4, 3, 3, 2, 1, x, NULL, am));
    sentinel(y, NUMEL);
    EXPECT_NO_CUDA(pt_maxpool2d_forward(CUDA, 1, 2, 4, 3, 3, 2, 1, x, y, am));
    expect_untouched("maxpool y", y, NUMEL);
    for (int j = 0; j < NUMEL; j++) x[j] = (float)((j * 7) % 5);
    EXPECT(PT_OK, "", pt_maxpool2d_forward(CPU, 1, 2, 4, 3, 3, 2, 1, x, y, NULL)); /* argmax not saved */
    EXPECT(PT_OK, "", pt_maxpool2d_forward(CPU, 1, 1, 4, 3, 2, 1, 1, x, y, am));   /* pad = kernel / 2: 5 x 4 */
    EXPECT(PT_OK, "", pt_maxpool2d_forward(CPU, 1, 2, 4, 3, 3, 2, 1, x, y, am));   /* 2 x 2 */

    EXPECT(INVALID, "unknown device", pt_maxpool2d_backward(8, 1, 2, 4, 3, 2, 2, dy, am, dx));
    EXPECT(INVALID, "n must be >= 1, got 0", pt_maxpool2d_backward(CPU, 0, 2, 4, 3, 2, 2, dy, am, dx));
    EXPECT(INVALID, "w must be >= 1, got -3", pt_maxpool2d_backward(CPU, 1, 2, 4, -3, 2, 2, dy, am, dx));
    EXPECT(INVALID, "p must be >= 1, got 0", pt_maxpool2d_backward(CPU, 1, 2, 4, 3, 0, 2, dy, am, dx));
    EXPECT(INVALID, "q must be >= 1, got -1", pt_maxpool2d_backward(CPU, 1, 2, 4, 3, 2, -1, dy, am, dx));
    EXPECT(INVALID, "too large for int32 argmax", pt_maxpool2d_backward(CPU, 1, 1, 65536, 65536, 2, 2, dy, am, dx));
    EXPECT(INVALID, "dy is NULL", pt_maxpool2d_backward(CPU, 1, 2, 4, 3, 2, 2, NULL, am, dx));
    EXPECT(INVALID, "argmax is NULL", pt_maxpool2d_backward(CPU, 1, 2, 4, 3, 2, 2, dy, NULL, dx));
    EXPECT(INVALID, "dx is NULL", pt_maxpool2d_backward(CPU, 1, 2, 4, 3, 2, 2, dy, am, NULL));
    /* Indices from elsewhere must stay inside their plane of h * w = 12. */
    const int32_t keep = am[5];
    am[5] = 12;
    sentinel(dx, NUMEL);
    EXPECT(INVALID, "argmax[5] is 12, outside the h * w = 12 plane", pt_maxpool2d_backward(CPU, 1, 2, 4, 3, 2, 2, dy, am, dx));
    am[5] = -1;
    EXPECT(INVALID, "argmax[5] is -1", pt_maxpool2d_backward(CPU, 1, 2, 4, 3, 2, 2, dy, am, dx));
    expect_untouched("maxpool dx", dx, NUMEL);
    am[5] = keep;
    EXPECT_NO_CUDA(pt_maxpool2d_backward(CUDA, 1, 2, 4, 3, 2, 2, dy, am, dx));
    EXPECT(PT_OK, "", pt_maxpool2d_backward(CPU, 1, 2, 4, 3, 2, 2, dy, am, dx));

    EXPECT(INVALID, "unknown device", pt_global_avgpool_forward(2, 2, 3, 4, x, y));
    EXPECT(INVALID, "n must be >= 1, got 0", pt_global_avgpool_forward(CPU, 0, 3, 4, x, y));
    EXPECT(INVALID, "c must be >= 1, got 0", pt_global_avgpool_forward(CPU, 2, 0, 4, x, y));
    EXPECT(INVALID, "hw must be >= 1, got -1", pt_global_avgpool_forward(CPU, 2, 3, -1, x, y));
    EXPECT(INVALID, "too large", pt_global_avgpool_forward(CPU, INT64_MAX, 3, 4, x, y));
    EXPECT(INVALID, "x is NULL", pt_global_avgpool_forward(CPU, 2, 3, 4, NULL, y));
    EXPECT(INVALID, "y is NULL", pt_global_avgpool_forward(CPU, 2, 3, 4, x, NULL));
    EXPECT_NO_CUDA(pt_global_avgpool_forward(CUDA, 2, 3, 4, x, y));
    EXPECT(INVALID, "unknown device", pt_global_avgpool_backward(-2, 2, 3, 4, dy, dx));
    EXPECT(INVALID, "hw must be >= 1, got 0", pt_global_avgpool_backward(CPU, 2, 3, 0, dy, dx));
    EXPECT(INVALID, "dy is NULL", pt_global_avgpool_backward(CPU, 2, 3, 4, NULL, dx));
    EXPECT(INVALID, "dx is NULL", pt_global_avgpool_backward(CPU, 2, 3, 4, dy, NULL));
    EXPECT_NO_CUDA(pt_global_avgpool_backward(CUDA, 2, 3, 4, dy, dx));
    EXPECT(PT_OK, "", pt_global_avgpool_forward(CPU, 2, 3, 4, x, y));
    EXPECT(PT_OK, "", pt_global_avgpool_backward(CPU, 2, 3, 4, dy, dx));
}

static void cross_entropy_errors(void) {
    /* (4, 6) logits */
    int32_t t[4] = {0, 5, 2, 3}, bad_low[4] = {0, 1, -1, 2}, bad_high[4] = {0, 6, 2, 9};
    float p[24], d[24];
    double loss = -1.0;
    int64_t correct = -1;
    EXPECT(INVALID, "unknown device", pt_cross_entropy_forward(2, 4, 6, x, t, 0.0, p, &loss));
    EXPECT(INVALID, "n must be >= 1, got 0", pt_cross_entropy_forward(CPU, 0, 6, x, t, 0.0, p, &loss));
    EXPECT(INVALID, "classes must be >= 1, got 0", pt_cross_entropy_forward(CPU, 4, 0, x, t, 0.0, p, &loss));
    EXPECT(INVALID, "too large", pt_cross_entropy_forward(CPU, INT64_MAX / 4, 6, x, t, 0.0, p, &loss));
    EXPECT(INVALID, "label_smoothing -0.1", pt_cross_entropy_forward(CPU, 4, 6, x, t, -0.1, p, &loss));
    EXPECT(INVALID, "label_smoothing 1.5", pt_cross_entropy_forward(CPU, 4, 6, x, t, 1.5, p, &loss));
    EXPECT(INVALID, "label_smoothing nan", pt_cross_entropy_forward(CPU, 4, 6, x, t, NAN, p, &loss));
    EXPECT(INVALID, "logits is NULL", pt_cross_entropy_forward(CPU, 4, 6, NULL, t, 0.0, p, &loss));
    EXPECT(INVALID, "targets is NULL", pt_cross_entropy_forward(CPU, 4, 6, x, NULL, 0.0, p, &loss));
    EXPECT(INVALID, "probs is NULL", pt_cross_entropy_forward(CPU, 4, 6, x, t, 0.0, NULL, &loss));
    EXPECT(INVALID, "loss is NULL", pt_cross_entropy_forward(CPU, 4, 6, x, t, 0.0, p, NULL));
    EXPECT(INVALID, "targets[2] is -1, outside [0, 6)", pt_cross_entropy_forward(CPU, 4, 6, x, bad_low, 0.0, p, &loss));
    EXPECT(INVALID, "targets[1] is 6, outside [0, 6) (2 bad targets)",
           pt_cross_entropy_forward(CPU, 4, 6, x, bad_high, 0.0, p, &loss));
    CHECK(loss == -1.0, "a rejected cross-entropy wrote the loss (%g)", loss);
    EXPECT_NO_CUDA(pt_cross_entropy_forward(CUDA, 4, 6, x, t, 0.0, p, &loss));
    CHECK(loss == -1.0, "a rejected cross-entropy wrote the loss (%g)", loss);
    EXPECT(PT_OK, "", pt_cross_entropy_forward(CPU, 4, 6, x, t, 1.0, p, &loss)); /* the bounds are allowed */
    EXPECT(PT_OK, "", pt_cross_entropy_forward(CPU, 4, 6, x, t, 0.0, p, &loss));

    EXPECT(INVALID, "unknown device", pt_cross_entropy_backward(6, 4, 6, p, t, 0.0, 1.0, d));
    EXPECT(INVALID, "n must be >= 1, got -4", pt_cross_entropy_backward(CPU, -4, 6, p, t, 0.0, 1.0, d));
    EXPECT(INVALID, "classes must be >= 1, got -6", pt_cross_entropy_backward(CPU, 4, -6, p, t, 0.0, 1.0, d));
    EXPECT(INVALID, "label_smoothing 2", pt_cross_entropy_backward(CPU, 4, 6, p, t, 2.0, 1.0, d));
    EXPECT(INVALID, "grad_scale nan", pt_cross_entropy_backward(CPU, 4, 6, p, t, 0.0, NAN, d));
    EXPECT(INVALID, "grad_scale -inf", pt_cross_entropy_backward(CPU, 4, 6, p, t, 0.0, -INFINITY, d));
    EXPECT(INVALID, "probs is NULL", pt_cross_entropy_backward(CPU, 4, 6, NULL, t, 0.0, 1.0, d));
    EXPECT(INVALID, "targets is NULL", pt_cross_entropy_backward(CPU, 4, 6, p, NULL, 0.0, 1.0, d));
    EXPECT(INVALID, "dlogits is NULL", pt_cross_entropy_backward(CPU, 4, 6, p, t, 0.0, 1.0, NULL));
    EXPECT(INVALID, "targets[2] is -1", pt_cross_entropy_backward(CPU, 4, 6, p, bad_low, 0.0, 1.0, d));
    EXPECT_NO_CUDA(pt_cross_entropy_backward(CUDA, 4, 6, p, t, 0.0, 1.0, d));
    EXPECT(PT_OK, "", pt_cross_entropy_backward(CPU, 4, 6, p, t, 0.1, -2.0, d));

    EXPECT(INVALID, "unknown device", pt_argmax_correct(3, 4, 6, x, t, &correct));
    EXPECT(INVALID, "n must be >= 1, got 0", pt_argmax_correct(CPU, 0, 6, x, t, &correct));
    EXPECT(INVALID, "classes must be >= 1, got 0", pt_argmax_correct(CPU, 4, 0, x, t, &correct));
    EXPECT(INVALID, "logits is NULL", pt_argmax_correct(CPU, 4, 6, NULL, t, &correct));
    EXPECT(INVALID, "targets is NULL", pt_argmax_correct(CPU, 4, 6, x, NULL, &correct));
    EXPECT(INVALID, "correct is NULL", pt_argmax_correct(CPU, 4, 6, x, t, NULL));
    EXPECT(INVALID, "targets[3] is 9", pt_argmax_correct(CPU, 4, 6, x, (int32_t[4]){0, 1, 2, 9}, &correct));
    CHECK(correct == -1, "a rejected argmax_correct wrote %lld", (long long)correct);
    EXPECT_NO_CUDA(pt_argmax_correct(CUDA, 4, 6, x, t, &correct));
    EXPECT(PT_OK, "", pt_argmax_correct(CPU, 4, 6, x, t, &correct));
    CHECK(correct >= 0 && correct <= 4, "argmax_correct = %lld", (long long)correct);
}

int main(void) {
    for (int j = 0; j < NUMEL; j++) x[j] = (float)(j % 7) - 3.0f, dy[j] = 0.25f * (float)(j % 5) - 0.5f;
    for (int i = 0; i < 3; i++) w[i] = 1.0f, b[i] = 0.0f, rm[i] = 0.0f, rv[i] = 1.0f, sm[i] = 0.0f, si[i] = 1.0f;
    batchnorm_errors();
    batchnorm_relu_errors();
    flat_errors();
    pool_errors();
    cross_entropy_errors();
    return test_exit_status("test_layers_invalid");
}
