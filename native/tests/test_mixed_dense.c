/*
 * The mixed-precision dense calls on the CPU (pt_matmul_ex, pt_linear_*_ex, pt_conv2d_*_ex) against
 * the double-precision references (pt_reference_*) run on the rounded operands, for every weight
 * (or a / b) dtype and every compute dtype, on random inputs (never zero) of odd sizes:
 *  - each output within the summation-error bound of test_mixed_support.h;
 *  - with compute bf16 / fp16 the result must differ from the reference on unrounded operands
 *    somewhere (the rounding happens), and with compute float32 and float32 operands it must be the
 *    plain call's, bit for bit;
 *  - dbias sums dy unrounded: it matches the float32 reference whatever the compute dtype;
 *  - backward outputs prefilled with NaN (overwrite) or random values (accumulate), NULL outputs;
 *  - bad dtypes are refused naming them.
 */
#include <string.h>

#include "cpu/dense_kernels.h"
#include "panoptim.h"
#include "test_expect_error.h"
#include "test_mixed_support.h"

#define F32 PT_DTYPE_FLOAT32

/* Whether rounding values of dtype d to compute can change them: not when they are already of
 * that dtype, nor bf16 to fp16 (8 significant bits fit in 11, and these values are in range). */
static int loses_bits(int d, int compute) { return d != compute && !(d == PT_DTYPE_BFLOAT16 && compute == PT_DTYPE_FLOAT16); }

static void matmul_case(int ta, int tb, int64_t m, int64_t n, int64_t k, int a_dtype, int b_dtype, int compute) {
    char what[128];
    snprintf(what, sizeof what, "matmul ta=%d tb=%d %lldx%lldx%lld a %s b %s compute %s", ta, tb, (long long)m,
             (long long)n, (long long)k, dtype_names[a_dtype], dtype_names[b_dtype], dtype_names[compute]);
    float *af = mixed_random(m * k), *bf = mixed_random(k * n), *c0 = mixed_random(m * n);
    void *a = mixed_store(af, m * k, a_dtype), *b = mixed_store(bf, k * n, b_dtype);
    float *ar = mixed_operand(a, m * k, a_dtype, compute), *br = mixed_operand(b, k * n, b_dtype, compute);
    const double alpha = 0.75, beta = -0.5;
    float *c = mixed_copy(c0, m * n), *ref = mixed_copy(c0, m * n), *S = mixed_abs(c0, m * n);
    float *aa = mixed_abs(ar, m * k), *ba = mixed_abs(br, k * n);
    CHECK(pt_matmul_ex(CPU, ta, tb, m, n, k, alpha, a, a_dtype, b, b_dtype, beta, c, compute) == PT_OK, "%s: %s", what,
          pt_last_error());
    pt_reference_matmul(ta, tb, m, n, k, alpha, ar, br, beta, ref);
    pt_reference_matmul(ta, tb, m, n, k, fabs(alpha), aa, ba, fabs(beta), S);
    mixed_check(what, c, ref, S, m * n, k);
    if (compute != F32) { /* unrounded operands: the float32 values of a and b as stored */
        float *a32 = mixed_operand(a, m * k, a_dtype, F32), *b32 = mixed_operand(b, k * n, b_dtype, F32);
        float *plain = mixed_copy(c0, m * n);
        pt_reference_matmul(ta, tb, m, n, k, alpha, a32, b32, beta, plain);
        if (loses_bits(a_dtype, compute) || loses_bits(b_dtype, compute))
            CHECK(mixed_differs(c, plain, S, m * n, k), "%s: no element shows the rounding to %s", what,
                  dtype_names[compute]);
        free(a32), free(b32), free(plain);
    } else if (a_dtype == F32 && b_dtype == F32) {
        float *plain = mixed_copy(c0, m * n);
        CHECK(pt_matmul(CPU, ta, tb, m, n, k, alpha, af, bf, beta, plain) == PT_OK, "plain");
        CHECK(memcmp(plain, c, sizeof(float) * (size_t)(m * n)) == 0, "%s: not the plain call's bits", what);
        free(plain);
    }
    free(af), free(bf), free(c0), free(a), free(b), free(ar), free(br), free(c), free(ref), free(S), free(aa), free(ba);
}

static void linear_case(int64_t n, int64_t in, int64_t out, int wd, int compute, int accumulate) {
    char what[128];
    snprintf(what, sizeof what, "linear %lldx%lld->%lld weight %s compute %s acc %d", (long long)n, (long long)in,
             (long long)out, dtype_names[wd], dtype_names[compute], accumulate);
    float *x = mixed_random(n * in), *wf = mixed_random(out * in), *bias = mixed_random(out), *dy = mixed_random(n * out);
    void *w = mixed_store(wf, out * in, wd);
    float *xr = mixed_operand(x, n * in, F32, compute), *wr = mixed_operand(w, out * in, wd, compute);
    float *dyr = mixed_operand(dy, n * out, F32, compute);
    float *xa = mixed_abs(xr, n * in), *wa = mixed_abs(wr, out * in), *dya = mixed_abs(dyr, n * out);
    float *ba = mixed_abs(bias, out);

    float *y = mixed_random(n * out), *yref = mixed_random(n * out), *S = mixed_random(n * out);
    CHECK(pt_linear_forward_ex(CPU, n, in, out, x, w, wd, bias, y, compute) == PT_OK, "%s: %s", what, pt_last_error());
    pt_reference_linear_forward(n, in, out, xr, wr, bias, yref);
    pt_reference_linear_forward(n, in, out, xa, wa, ba, S);
    mixed_check(what, y, yref, S, n * out, in);

    float *init_w = mixed_random(out * in), *init_b = mixed_random(out);
    float *dx = mixed_random(n * in), *dw = mixed_copy(init_w, out * in), *db = mixed_copy(init_b, out);
    for (int64_t i = 0; i < n * in; i++) dx[i] = NAN;
    if (!accumulate)
        for (int64_t i = 0; i < out * in; i++) dw[i] = NAN;
    float *dxr = mixed_random(n * in), *dwr = mixed_copy(init_w, out * in), *dbr = mixed_copy(init_b, out);
    float *Sx = mixed_random(n * in), *Sw = mixed_abs(init_w, out * in), *Sb = mixed_abs(init_b, out);
    CHECK(pt_linear_backward_ex(CPU, n, in, out, x, w, wd, dy, dx, dw, db, accumulate, compute) == PT_OK, "%s: %s", what,
          pt_last_error());
    pt_reference_linear_backward(n, in, out, xr, wr, dyr, dxr, dwr, NULL, accumulate);
    pt_reference_linear_backward(n, in, out, x, wr, dy, NULL, NULL, dbr, accumulate); /* dbias: dy unrounded */
    pt_reference_linear_backward(n, in, out, xa, wa, dya, Sx, Sw, NULL, accumulate);
    float *dy_abs = mixed_abs(dy, n * out);
    pt_reference_linear_backward(n, in, out, xa, wa, dy_abs, NULL, NULL, Sb, accumulate);
    mixed_check(what, dx, dxr, Sx, n * in, out);
    mixed_check(what, dw, dwr, Sw, out * in, n);
    mixed_check(what, db, dbr, Sb, out, n);
    if (compute != F32) {
        float *plain = mixed_random(n * out), *w32 = mixed_operand(w, out * in, wd, F32);
        pt_reference_linear_forward(n, in, out, x, w32, bias, plain);
        CHECK(mixed_differs(y, plain, S, n * out, in), "%s: no element shows the rounding", what);
        free(plain), free(w32);
    } else if (wd == F32) {
        float *y2 = mixed_random(n * out), *dx2 = mixed_random(n * in), *dw2 = mixed_copy(init_w, out * in);
        float *db2 = mixed_copy(init_b, out);
        pt_linear_forward(CPU, n, in, out, x, wf, bias, y2);
        pt_linear_backward(CPU, n, in, out, x, wf, dy, dx2, dw2, db2, accumulate);
        CHECK(memcmp(y, y2, sizeof(float) * (size_t)(n * out)) == 0 && memcmp(dx, dx2, sizeof(float) * (size_t)(n * in)) == 0 &&
                  memcmp(dw, dw2, sizeof(float) * (size_t)(out * in)) == 0 && memcmp(db, db2, sizeof(float) * (size_t)out) == 0,
              "%s: not the plain calls' bits", what);
        free(y2), free(dx2), free(dw2), free(db2);
    }
    /* NULL outputs: only dweight. */
    float *dw_only = mixed_copy(init_w, out * in);
    CHECK(pt_linear_backward_ex(CPU, n, in, out, x, w, wd, dy, NULL, dw_only, NULL, 1, compute) == PT_OK, "dw only");
    float *dw_acc = mixed_copy(init_w, out * in);
    pt_reference_linear_backward(n, in, out, xr, wr, dyr, NULL, dw_acc, NULL, 1);
    mixed_check(what, dw_only, dw_acc, Sw, out * in, n + 1);
    free(x), free(wf), free(bias), free(dy), free(w), free(xr), free(wr), free(dyr), free(xa), free(wa), free(dya);
    free(ba), free(y), free(yref), free(S), free(init_w), free(init_b), free(dx), free(dw), free(db), free(dxr);
    free(dwr), free(dbr), free(Sx), free(Sw), free(Sb), free(dy_abs), free(dw_only), free(dw_acc);
}

static void conv_case(pt_conv2d_shape sh, int wd, int compute, int accumulate) {
    sh.p = (sh.h + 2 * sh.pad_h - sh.r) / sh.stride_h + 1;
    sh.q = (sh.w + 2 * sh.pad_w - sh.s) / sh.stride_w + 1;
    char what[160];
    snprintf(what, sizeof what, "conv n%lld c%lld %lldx%lld k%lld %lldx%lld s%lld p%lld weight %s compute %s acc %d",
             (long long)sh.n, (long long)sh.c, (long long)sh.h, (long long)sh.w, (long long)sh.k, (long long)sh.r,
             (long long)sh.s, (long long)sh.stride_h, (long long)sh.pad_h, dtype_names[wd], dtype_names[compute],
             accumulate);
    const int64_t nx = sh.n * sh.c * sh.h * sh.w, nw = sh.k * sh.c * sh.r * sh.s, ny = sh.n * sh.k * sh.p * sh.q;
    const int64_t crs = sh.c * sh.r * sh.s, krs = sh.k * sh.r * sh.s, npq = sh.n * sh.p * sh.q;
    float *x = mixed_random(nx), *wf = mixed_random(nw), *bias = mixed_random(sh.k), *dy = mixed_random(ny);
    void *w = mixed_store(wf, nw, wd);
    float *xr = mixed_operand(x, nx, F32, compute), *wr = mixed_operand(w, nw, wd, compute);
    float *dyr = mixed_operand(dy, ny, F32, compute);
    float *xa = mixed_abs(xr, nx), *wa = mixed_abs(wr, nw), *dya = mixed_abs(dyr, ny), *ba = mixed_abs(bias, sh.k);
    float *y = mixed_random(ny), *yref = mixed_random(ny), *S = mixed_random(ny);
    CHECK(pt_conv2d_forward_ex(CPU, sh.n, sh.c, sh.h, sh.w, sh.k, sh.r, sh.s, sh.stride_h, sh.stride_w, sh.pad_h,
                               sh.pad_w, x, w, wd, bias, y, compute) == PT_OK,
          "%s: %s", what, pt_last_error());
    pt_reference_conv2d_forward(&sh, xr, wr, bias, yref);
    pt_reference_conv2d_forward(&sh, xa, wa, ba, S);
    mixed_check(what, y, yref, S, ny, crs);

    float *init_w = mixed_random(nw), *init_b = mixed_random(sh.k);
    float *dx = mixed_random(nx), *dw = mixed_copy(init_w, nw), *db = mixed_copy(init_b, sh.k);
    for (int64_t i = 0; i < nx; i++) dx[i] = NAN;
    if (!accumulate)
        for (int64_t i = 0; i < nw; i++) dw[i] = NAN;
    float *dxr = mixed_random(nx), *dwr = mixed_copy(init_w, nw), *dbr = mixed_copy(init_b, sh.k);
    float *Sx = mixed_random(nx), *Sw = mixed_abs(init_w, nw), *Sb = mixed_abs(init_b, sh.k), *dy_abs = mixed_abs(dy, ny);
    CHECK(pt_conv2d_backward_ex(CPU, sh.n, sh.c, sh.h, sh.w, sh.k, sh.r, sh.s, sh.stride_h, sh.stride_w, sh.pad_h,
                                sh.pad_w, x, w, wd, dy, dx, dw, db, accumulate, compute) == PT_OK,
          "%s: %s", what, pt_last_error());
    pt_reference_conv2d_backward(&sh, xr, wr, dyr, dxr, dwr, NULL, accumulate);
    pt_reference_conv2d_backward(&sh, x, wr, dy, NULL, NULL, dbr, accumulate);
    pt_reference_conv2d_backward(&sh, xa, wa, dya, Sx, Sw, NULL, accumulate);
    pt_reference_conv2d_backward(&sh, xa, wa, dy_abs, NULL, NULL, Sb, accumulate);
    mixed_check(what, dx, dxr, Sx, nx, krs);
    mixed_check(what, dw, dwr, Sw, nw, npq);
    mixed_check(what, db, dbr, Sb, sh.k, npq);
    if (compute != F32) {
        float *plain = mixed_random(ny), *w32 = mixed_operand(w, nw, wd, F32);
        pt_reference_conv2d_forward(&sh, x, w32, bias, plain);
        CHECK(mixed_differs(y, plain, S, ny, crs), "%s: no element shows the rounding", what);
        free(plain), free(w32);
    } else if (wd == F32) {
        float *y2 = mixed_random(ny);
        pt_conv2d_forward(CPU, sh.n, sh.c, sh.h, sh.w, sh.k, sh.r, sh.s, sh.stride_h, sh.stride_w, sh.pad_h, sh.pad_w, x,
                          wf, bias, y2);
        CHECK(memcmp(y, y2, sizeof(float) * (size_t)ny) == 0, "%s: not the plain call's bits", what);
        free(y2);
    }
    /* dweight alone, of a bf16 / fp16 weight (the float32 kernel still packs a trimmed weight). */
    float *dw_only = mixed_copy(init_w, nw), *dw_acc = mixed_copy(init_w, nw);
    CHECK(pt_conv2d_backward_ex(CPU, sh.n, sh.c, sh.h, sh.w, sh.k, sh.r, sh.s, sh.stride_h, sh.stride_w, sh.pad_h,
                                sh.pad_w, x, w, wd, dy, NULL, dw_only, NULL, 1, compute) == PT_OK,
          "%s dw only: %s", what, pt_last_error());
    pt_reference_conv2d_backward(&sh, xr, wr, dyr, NULL, dw_acc, NULL, 1);
    mixed_check(what, dw_only, dw_acc, Sw, nw, npq + 1);
    free(x), free(wf), free(bias), free(dy), free(w), free(xr), free(wr), free(dyr), free(xa), free(wa), free(dya);
    free(ba), free(y), free(yref), free(S), free(init_w), free(init_b), free(dx), free(dw), free(db), free(dxr);
    free(dwr), free(dbr), free(Sx), free(Sw), free(Sb), free(dy_abs), free(dw_only), free(dw_acc);
}

static void invalid_args(void) {
    float a[6] = {1, 2, 3, 4, 5, 6}, c[4];
    EXPECT(INVALID, "a_dtype 3", pt_matmul_ex(CPU, 0, 0, 2, 2, 3, 1.0, a, 3, a, F32, 0.0, c, F32));
    EXPECT(INVALID, "b_dtype -1", pt_matmul_ex(CPU, 0, 0, 2, 2, 3, 1.0, a, F32, a, -1, 0.0, c, F32));
    EXPECT(INVALID, "compute_dtype 4", pt_matmul_ex(CPU, 0, 0, 2, 2, 3, 1.0, a, F32, a, F32, 0.0, c, 4));
    EXPECT(INVALID, "pt_linear_forward_ex: unknown weight_dtype 9",
           pt_linear_forward_ex(CPU, 2, 3, 2, a, a, 9, NULL, c, F32));
    EXPECT(INVALID, "compute_dtype 5", pt_linear_backward_ex(CPU, 2, 3, 2, a, a, F32, c, NULL, NULL, NULL, 0, 5));
    EXPECT(INVALID, "weight_dtype 3", pt_conv2d_forward_ex(CPU, 1, 1, 2, 2, 1, 1, 1, 1, 1, 0, 0, a, a, 3, NULL, c, F32));
    EXPECT(INVALID, "compute_dtype -2",
           pt_conv2d_backward_ex(CPU, 1, 1, 2, 2, 1, 1, 1, 1, 1, 0, 0, a, a, F32, c, NULL, NULL, NULL, 0, -2));
    EXPECT(INVALID, "pt_matmul: m must be", pt_matmul(CPU, 0, 0, 0, 2, 3, 1.0, a, a, 0.0, c)); /* plain names kept */
}

int main(void) {
    for (int compute = 0; compute < 3; compute++)
        for (int wd = 0; wd < 3; wd++) {
            matmul_case(compute & 1, wd & 1, 17, 13, 29, wd, (wd + compute) % 3, compute);
            matmul_case(1 - (compute & 1), 1 - (wd & 1), 5, 33, 70, (wd + 1) % 3, wd, compute);
            linear_case(7, 37, 19, wd, compute, (wd + compute) & 1);
            /* On both CPU conv backends: oneDNN rounds the operands itself (float32 and bfloat16
             * compute; float16 runs the own kernels whatever the backend). */
            for (int b = 0; b < 2; b++) {
                if (pt_cpu_set_conv_backend(b ? PT_CPU_CONV_ONEDNN : PT_CPU_CONV_OWN) != PT_OK) continue;
                conv_case((pt_conv2d_shape){2, 3, 9, 8, 5, 3, 3, 2, 2, 1, 1, 0, 0}, wd, compute, (wd + compute) & 1);
                /* 16 channels, 3x3 on 6x5 (a ResNet-like shape oneDNN blocks) */
                conv_case((pt_conv2d_shape){3, 16, 6, 5, 17, 3, 3, 1, 1, 1, 1, 0, 0}, wd, compute, b);
                /* 1x1 input, 3x3 filter, pad 1: 8 of 9 taps dead, the trimmed (packed weight) path */
                conv_case((pt_conv2d_shape){3, 6, 1, 1, 4, 3, 3, 1, 1, 1, 1, 0, 0}, wd, compute, 1);
            }
            pt_cpu_set_conv_backend(PT_CPU_CONV_AUTO);
        }
    invalid_args();
    printf("test_mixed_dense: largest fraction of a tolerance used %.3g\n", mixed_worst);
    return test_exit_status("test_mixed_dense");
}
