/*
 * Every error path of api/dense_api.c (pt_matmul, pt_linear_*, pt_conv2d_*): the documented
 * status, and a pt_last_error() that names the problem. Also: the NULLs the header allows are
 * accepted, and a rejected call writes nothing.
 *
 * Shapes too large for memory are rejected before any pointer is read, so small buffers stand in
 * for them; the out-of-memory cases ask for a workspace beyond the address space.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "panoptim.h"
#include "test_expect_error.h"

#define BIG ((int64_t)1 << 40)       /* a dimension whose products overflow the element limit */
#define OVER_INT ((int64_t)1 << 31)  /* INT_MAX + 1: a valid size, beyond OpenBLAS's int */

/* Buffers for every tensor of the calls below (the valid shapes are at most 64 elements). */
static float A[64], B[64], C[64], D[64], E[64], F[64];

/* Every float of C still the sentinel: a rejected call wrote nothing. */
static void expect_c_untouched(const char *what) {
    for (int i = 0; i < 64; i++)
        if (!(C[i] == 42.0f)) {
            CHECK(0, "%s: output written by a rejected call (C[%d] = %g)", what, i, C[i]);
            return;
        }
}

static void matmul_errors(void) {
    for (int i = 0; i < 64; i++) C[i] = 42.0f;
    EXPECT(INVALID, "unknown device", pt_matmul(2, 0, 0, 2, 3, 4, 1.0, A, B, 0.0, C));
    EXPECT(INVALID, "unknown device", pt_matmul(-1, 0, 0, 2, 3, 4, 1.0, A, B, 0.0, C));
    EXPECT(INVALID, "m must be >= 1, got 0", pt_matmul(CPU, 0, 0, 0, 3, 4, 1.0, A, B, 0.0, C));
    EXPECT(INVALID, "n must be >= 1, got -3", pt_matmul(CPU, 0, 0, 2, -3, 4, 1.0, A, B, 0.0, C));
    EXPECT(INVALID, "k must be >= 1, got 0", pt_matmul(CPU, 0, 0, 2, 3, 0, 1.0, A, B, 0.0, C));
    EXPECT(INVALID, "a (M, K)", pt_matmul(CPU, 0, 0, BIG, 1, BIG, 1.0, A, B, 0.0, C));
    EXPECT(INVALID, "a (K, M)", pt_matmul(CPU, 1, 0, BIG, 1, BIG, 1.0, A, B, 0.0, C));
    EXPECT(INVALID, "b (K, N)", pt_matmul(CPU, 0, 0, 1, BIG, BIG, 1.0, A, B, 0.0, C));
    EXPECT(INVALID, "b (N, K)", pt_matmul(CPU, 0, 1, 1, BIG, BIG, 1.0, A, B, 0.0, C));
    EXPECT(INVALID, "c (M, N)", pt_matmul(CPU, 0, 0, BIG, BIG, 1, 1.0, A, B, 0.0, C));
    EXPECT(INVALID, "too many elements", pt_matmul(CPU, 0, 0, INT64_MAX, 2, 2, 1.0, A, B, 0.0, C));
    EXPECT(INVALID, "alpha", pt_matmul(CPU, 0, 0, 2, 3, 4, NAN, A, B, 0.0, C));
    EXPECT(INVALID, "alpha", pt_matmul(CPU, 0, 0, 2, 3, 4, INFINITY, A, B, 0.0, C));
    EXPECT(INVALID, "alpha", pt_matmul(CPU, 0, 0, 2, 3, 4, 1e300, A, B, 0.0, C)); /* inf as a float */
    EXPECT(INVALID, "beta", pt_matmul(CPU, 0, 0, 2, 3, 4, 1.0, A, B, NAN, C));
    EXPECT(INVALID, "beta", pt_matmul(CPU, 0, 0, 2, 3, 4, 1.0, A, B, -INFINITY, C));
    EXPECT(INVALID, "a is NULL", pt_matmul(CPU, 0, 0, 2, 3, 4, 1.0, NULL, B, 0.0, C));
    EXPECT(INVALID, "b is NULL", pt_matmul(CPU, 0, 0, 2, 3, 4, 1.0, A, NULL, 0.0, C));
    EXPECT(INVALID, "c is NULL", pt_matmul(CPU, 0, 0, 2, 3, 4, 1.0, A, B, 0.0, NULL));
    EXPECT(UNSUPPORTED, "m = 2147483648", pt_matmul(CPU, 0, 0, OVER_INT, 1, 1, 1.0, A, B, 0.0, C));
    EXPECT(UNSUPPORTED, "n = 2147483648", pt_matmul(CPU, 0, 0, 1, OVER_INT, 1, 1.0, A, B, 0.0, C));
    EXPECT(UNSUPPORTED, "k = 2147483648", pt_matmul(CPU, 0, 0, 1, 1, OVER_INT, 1.0, A, B, 0.0, C));
    /* CUDA: a valid shape beyond the CUDA GEMM's int dimensions, refused before any pointer is used
     * on every build (and "built without CUDA" where there is none). */
    EXPECT(UNSUPPORTED, "CUDA", pt_matmul(CUDA, 0, 0, OVER_INT, 1, 1, 1.0, A, B, 0.0, C));
    expect_c_untouched("pt_matmul");
    EXPECT(PT_OK, "", pt_matmul(CPU, 1, 1, 2, 3, 4, 1.0, A, B, 0.0, C));
}

static void linear_errors(void) {
    for (int i = 0; i < 64; i++) C[i] = 42.0f;
    /* forward: x A (2, 4), weight B (3, 4), bias D (3), y C (2, 3) */
    EXPECT(INVALID, "unknown device", pt_linear_forward(5, 2, 4, 3, A, B, D, C));
    EXPECT(INVALID, "n must be >= 1, got 0", pt_linear_forward(CPU, 0, 4, 3, A, B, D, C));
    EXPECT(INVALID, "in_features must be >= 1, got -4", pt_linear_forward(CPU, 2, -4, 3, A, B, D, C));
    EXPECT(INVALID, "out_features must be >= 1, got 0", pt_linear_forward(CPU, 2, 4, 0, A, B, D, C));
    EXPECT(INVALID, "x (N, IN)", pt_linear_forward(CPU, BIG, BIG, 1, A, B, D, C));
    EXPECT(INVALID, "weight (OUT, IN)", pt_linear_forward(CPU, 1, BIG, BIG, A, B, D, C));
    EXPECT(INVALID, "y (N, OUT)", pt_linear_forward(CPU, BIG, 1, BIG, A, B, D, C));
    EXPECT(INVALID, "x is NULL", pt_linear_forward(CPU, 2, 4, 3, NULL, B, D, C));
    EXPECT(INVALID, "weight is NULL", pt_linear_forward(CPU, 2, 4, 3, A, NULL, D, C));
    EXPECT(INVALID, "y is NULL", pt_linear_forward(CPU, 2, 4, 3, A, B, D, NULL));
    EXPECT(UNSUPPORTED, "n = 2147483648", pt_linear_forward(CPU, OVER_INT, 1, 1, A, B, D, C));
    EXPECT(UNSUPPORTED, "in_features = 2147483648", pt_linear_forward(CPU, 1, OVER_INT, 1, A, B, D, C));
    EXPECT(UNSUPPORTED, "out_features = 2147483648", pt_linear_forward(CPU, 1, 1, OVER_INT, A, B, D, C));
    EXPECT(UNSUPPORTED, "CUDA", pt_linear_forward(CUDA, OVER_INT, 1, 1, A, B, D, C));
    expect_c_untouched("pt_linear_forward");
    EXPECT(PT_OK, "", pt_linear_forward(CPU, 2, 4, 3, A, B, NULL, C)); /* no bias */

    /* backward: dy E (2, 3), dx F (2, 4), dweight C (3, 4), dbias D (3) */
    for (int i = 0; i < 64; i++) C[i] = 42.0f;
    EXPECT(INVALID, "unknown device", pt_linear_backward(-2, 2, 4, 3, A, B, E, F, C, D, 0));
    EXPECT(INVALID, "n must be >= 1, got -1", pt_linear_backward(CPU, -1, 4, 3, A, B, E, F, C, D, 0));
    EXPECT(INVALID, "in_features must be >= 1", pt_linear_backward(CPU, 2, 0, 3, A, B, E, F, C, D, 0));
    EXPECT(INVALID, "out_features must be >= 1", pt_linear_backward(CPU, 2, 4, -3, A, B, E, F, C, D, 0));
    EXPECT(INVALID, "weight (OUT, IN)", pt_linear_backward(CPU, 1, BIG, BIG, A, B, E, F, C, D, 0));
    EXPECT(INVALID, "x is NULL", pt_linear_backward(CPU, 2, 4, 3, NULL, B, E, F, C, D, 0));
    EXPECT(INVALID, "weight is NULL", pt_linear_backward(CPU, 2, 4, 3, A, NULL, E, F, C, D, 0));
    EXPECT(INVALID, "dy is NULL", pt_linear_backward(CPU, 2, 4, 3, A, B, NULL, F, C, D, 0));
    EXPECT(UNSUPPORTED, "n = 2147483648", pt_linear_backward(CPU, OVER_INT, 1, 1, A, B, E, F, C, D, 0));
    EXPECT(UNSUPPORTED, "CUDA", pt_linear_backward(CUDA, OVER_INT, 1, 1, A, B, E, F, C, D, 1));
    expect_c_untouched("pt_linear_backward");
    /* Every output skipped: nothing to do, and fine. */
    EXPECT(PT_OK, "", pt_linear_backward(CPU, 2, 4, 3, A, B, E, NULL, NULL, NULL, 0));
    expect_c_untouched("pt_linear_backward with no outputs");
    EXPECT(PT_OK, "", pt_linear_backward(CPU, 2, 4, 3, A, B, E, F, NULL, D, 1));
    expect_c_untouched("pt_linear_backward with a NULL dweight");
}

/* A valid conv: x A (1, 2, 3, 3), weight B (2, 2, 2, 2), y C (1, 2, 2, 2); the macros replace
 * one argument at a time. */
#define FWD(dev, n, c, h, w, k, r, s, sh, sw, ph, pw, x, wt, b, y) \
    pt_conv2d_forward(dev, n, c, h, w, k, r, s, sh, sw, ph, pw, x, wt, b, y)
#define BWD(dev, n, c, h, w, k, r, s, sh, sw, ph, pw, x, wt, dy, dx, dw, db) \
    pt_conv2d_backward(dev, n, c, h, w, k, r, s, sh, sw, ph, pw, x, wt, dy, dx, dw, db, 0)

static void conv_errors(void) {
    for (int i = 0; i < 64; i++) C[i] = 42.0f;
    EXPECT(INVALID, "unknown device", FWD(3, 1, 2, 3, 3, 2, 2, 2, 1, 1, 0, 0, A, B, D, C));
    EXPECT(INVALID, "n must be >= 1, got 0", FWD(CPU, 0, 2, 3, 3, 2, 2, 2, 1, 1, 0, 0, A, B, D, C));
    EXPECT(INVALID, "c must be >= 1, got -2", FWD(CPU, 1, -2, 3, 3, 2, 2, 2, 1, 1, 0, 0, A, B, D, C));
    EXPECT(INVALID, "h must be >= 1, got 0", FWD(CPU, 1, 2, 0, 3, 2, 2, 2, 1, 1, 0, 0, A, B, D, C));
    EXPECT(INVALID, "w must be >= 1, got 0", FWD(CPU, 1, 2, 3, 0, 2, 2, 2, 1, 1, 0, 0, A, B, D, C));
    EXPECT(INVALID, "k must be >= 1, got 0", FWD(CPU, 1, 2, 3, 3, 0, 2, 2, 1, 1, 0, 0, A, B, D, C));
    EXPECT(INVALID, "r must be >= 1, got 0", FWD(CPU, 1, 2, 3, 3, 2, 0, 2, 1, 1, 0, 0, A, B, D, C));
    EXPECT(INVALID, "s must be >= 1, got -1", FWD(CPU, 1, 2, 3, 3, 2, 2, -1, 1, 1, 0, 0, A, B, D, C));
    EXPECT(INVALID, "stride_h must be >= 1, got 0", FWD(CPU, 1, 2, 3, 3, 2, 2, 2, 0, 1, 0, 0, A, B, D, C));
    EXPECT(INVALID, "stride_w must be >= 1, got -2", FWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, -2, 0, 0, A, B, D, C));
    EXPECT(INVALID, "pad_h must be >= 0, got -1", FWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 1, -1, 0, A, B, D, C));
    EXPECT(INVALID, "pad_w must be >= 0, got -1", FWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 1, 0, -1, A, B, D, C));
    /* Output size: a filter larger than the padded input (P or Q would be < 1). */
    EXPECT(INVALID, "output height P", FWD(CPU, 1, 2, 3, 3, 2, 4, 2, 1, 1, 0, 0, A, B, D, C));
    EXPECT(INVALID, "r = 6", FWD(CPU, 1, 2, 3, 3, 2, 6, 2, 2, 1, 1, 0, A, B, D, C));
    EXPECT(INVALID, "output width Q", FWD(CPU, 1, 2, 3, 3, 2, 2, 5, 1, 1, 0, 0, A, B, D, C));
    EXPECT(INVALID, "pad_h = ", FWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 1, INT64_MAX / 2, 0, A, B, D, C));
    EXPECT(INVALID, "pad_w = ", FWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 1, 0, INT64_MAX - 1, A, B, D, C));
    /* Element counts: x, weight and y each too large for memory. */
    EXPECT(INVALID, "x (N, C, H, W)", FWD(CPU, BIG, 2, BIG, 3, 2, 2, 2, 1, 1, 0, 0, A, B, D, C));
    EXPECT(INVALID, "weight (K, C, R, S)", FWD(CPU, 1, BIG, 3, 3, BIG, 2, 2, 1, 1, 0, 0, A, B, D, C));
    EXPECT(INVALID, "y (N, K, P, Q)", FWD(CPU, 1, 1, 2048, 2048, BIG, 1, 1, 1, 1, 0, 0, A, B, D, C));
    EXPECT(INVALID, "x is NULL", FWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 1, 0, 0, NULL, B, D, C));
    EXPECT(INVALID, "weight is NULL", FWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 1, 0, 0, A, NULL, D, C));
    EXPECT(INVALID, "y is NULL", FWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 1, 0, 0, A, B, D, NULL));
    /* Valid sizes the OpenBLAS-based CPU kernels cannot take. */
    EXPECT(UNSUPPORTED, "k = 2147483648", FWD(CPU, 1, 1, 1, 1, OVER_INT, 1, 1, 1, 1, 0, 0, A, B, D, C));
    EXPECT(UNSUPPORTED, "c*r*s = 2147483648", FWD(CPU, 1, OVER_INT, 1, 1, 1, 1, 1, 1, 1, 0, 0, A, B, D, C));
    EXPECT(UNSUPPORTED, "p*q = 4294967296", FWD(CPU, 1, 1, 65536, 65536, 1, 1, 1, 1, 1, 0, 0, A, B, D, C));
    /* A workspace beyond the address space: (C*R*S) * (P*Q) = 2^20 * 2^30 floats. */
    EXPECT(OOM, "im2col workspace", FWD(CPU, 1, 1 << 20, 1 << 15, 1 << 15, 1, 1, 1, 1, 1, 0, 0, A, B, D, C));
    /* A valid 3x3 output whose zero-bordered input plane ((2^41 + 1)^2 floats) cannot be had. */
    EXPECT(OOM, "im2col workspace", FWD(CPU, 1, 1, 1, 1, 1, 1, 1, BIG, BIG, BIG, BIG, A, B, D, C));
    /* CUDA: a valid shape beyond the CUDA kernels' 32-bit indices (x has 2^32 elements), refused
     * before any pointer is used on every build (and "built without CUDA" where there is none). */
    EXPECT(UNSUPPORTED, "CUDA", FWD(CUDA, 1, 1, 65536, 65536, 1, 1, 1, 1, 1, 0, 0, A, B, D, C));
    expect_c_untouched("pt_conv2d_forward");
    EXPECT(PT_OK, "", FWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 1, 0, 0, A, B, NULL, C)); /* no bias */

    /* backward: dy E (1, 2, 2, 2), dx F, dweight C, dbias D */
    for (int i = 0; i < 64; i++) C[i] = 42.0f;
    EXPECT(INVALID, "unknown device", BWD(9, 1, 2, 3, 3, 2, 2, 2, 1, 1, 0, 0, A, B, E, F, C, D));
    EXPECT(INVALID, "n must be >= 1", BWD(CPU, -1, 2, 3, 3, 2, 2, 2, 1, 1, 0, 0, A, B, E, F, C, D));
    EXPECT(INVALID, "c must be >= 1", BWD(CPU, 1, 0, 3, 3, 2, 2, 2, 1, 1, 0, 0, A, B, E, F, C, D));
    EXPECT(INVALID, "h must be >= 1", BWD(CPU, 1, 2, -3, 3, 2, 2, 2, 1, 1, 0, 0, A, B, E, F, C, D));
    EXPECT(INVALID, "w must be >= 1", BWD(CPU, 1, 2, 3, -3, 2, 2, 2, 1, 1, 0, 0, A, B, E, F, C, D));
    EXPECT(INVALID, "k must be >= 1", BWD(CPU, 1, 2, 3, 3, -2, 2, 2, 1, 1, 0, 0, A, B, E, F, C, D));
    EXPECT(INVALID, "r must be >= 1", BWD(CPU, 1, 2, 3, 3, 2, -2, 2, 1, 1, 0, 0, A, B, E, F, C, D));
    EXPECT(INVALID, "s must be >= 1", BWD(CPU, 1, 2, 3, 3, 2, 2, 0, 1, 1, 0, 0, A, B, E, F, C, D));
    EXPECT(INVALID, "stride_h must be >= 1", BWD(CPU, 1, 2, 3, 3, 2, 2, 2, -1, 1, 0, 0, A, B, E, F, C, D));
    EXPECT(INVALID, "stride_w must be >= 1", BWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 0, 0, 0, A, B, E, F, C, D));
    EXPECT(INVALID, "pad_h must be >= 0", BWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 1, -5, 0, A, B, E, F, C, D));
    EXPECT(INVALID, "pad_w must be >= 0", BWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 1, 0, -5, A, B, E, F, C, D));
    EXPECT(INVALID, "output height P", BWD(CPU, 1, 2, 3, 3, 2, 9, 2, 1, 1, 1, 0, A, B, E, F, C, D));
    EXPECT(INVALID, "output width Q", BWD(CPU, 1, 2, 3, 3, 2, 2, 9, 1, 1, 0, 1, A, B, E, F, C, D));
    EXPECT(INVALID, "x (N, C, H, W)", BWD(CPU, BIG, 2, 3, BIG, 2, 2, 2, 1, 1, 0, 0, A, B, E, F, C, D));
    EXPECT(INVALID, "x is NULL", BWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 1, 0, 0, NULL, B, E, F, C, D));
    EXPECT(INVALID, "weight is NULL", BWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 1, 0, 0, A, NULL, E, F, C, D));
    EXPECT(INVALID, "dy is NULL", BWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 1, 0, 0, A, B, NULL, F, C, D));
    EXPECT(UNSUPPORTED, "k = 2147483648", BWD(CPU, 1, 1, 1, 1, OVER_INT, 1, 1, 1, 1, 0, 0, A, B, E, F, C, D));
    EXPECT(OOM, "im2col workspace", BWD(CPU, 1, 1 << 20, 1 << 15, 1 << 15, 1, 1, 1, 1, 1, 0, 0, A, B, E, F, C, D));
    EXPECT(UNSUPPORTED, "CUDA", BWD(CUDA, 1, 1, 65536, 65536, 1, 1, 1, 1, 1, 0, 0, A, B, E, F, C, D));
    expect_c_untouched("pt_conv2d_backward");
    /* Out of memory writes nothing either, dbias included. */
    for (int i = 0; i < 64; i++) D[i] = 42.0f;
    EXPECT(OOM, "im2col workspace", BWD(CPU, 1, 1 << 20, 1 << 15, 1 << 15, 1, 1, 1, 1, 1, 0, 0, A, B, E, NULL, C, D));
    CHECK(D[0] == 42.0f, "pt_conv2d_backward wrote dbias before running out of memory");
    /* Skipped outputs: all NULL, or the weight grads only (a frozen layer). */
    EXPECT(PT_OK, "", BWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 1, 0, 0, A, B, E, NULL, NULL, NULL));
    EXPECT(PT_OK, "", BWD(CPU, 1, 2, 3, 3, 2, 2, 2, 1, 1, 0, 0, A, B, E, F, NULL, NULL));
    expect_c_untouched("pt_conv2d_backward with a NULL dweight");
}

int main(void) {
    for (int i = 0; i < 64; i++) A[i] = B[i] = D[i] = E[i] = F[i] = 0.5f;
    matmul_errors();
    linear_errors();
    conv_errors();
    return test_exit_status("test_dense_invalid");
}
