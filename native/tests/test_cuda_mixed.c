/*
 * The mixed-precision dense calls on CUDA (cuda/matmul.cu, linear.cu, conv2d.cu with bf16 / fp16
 * operands and compute dtypes) against their CPU twins (cpu/mixed_dense.c) through the public API,
 * on the same random inputs (never zero), odd sizes, every weight (a / b) dtype and every compute
 * dtype: pt_matmul_ex (4 transposes; both tiles and split-K forced, so that 16-bit operands go
 * through every addressing path), pt_linear_forward_ex / _backward_ex, pt_conv2d_forward_ex /
 * _backward_ex (a strided padded case and a trimmed 1x1-input case, whose weight is packed).
 * Tolerance: both sides sum the same exact products (operands rounded identically, bf16 / fp16
 * products exact in float32) in different orders: test_mixed_support.h's bound 2 (L + 4) u S.
 * Backward outputs start as NaN (overwritten) or random (accumulate). Runs on the simulator and on
 * a GPU; exits 77 without CUDA.
 */
#include <string.h>

#include "cpu/dense_kernels.h"
#include "cuda/matmul_cuda.h"
#include "panoptim.h"
#include "test_cuda_support.h"
#include "test_mixed_support.h"

#define CPU PT_DEVICE_CPU
#define CUDA PT_DEVICE_CUDA
#define F32 PT_DTYPE_FLOAT32

static void matmul_case(int ta, int tb, int64_t m, int64_t n, int64_t k, int ad, int bd, int compute) {
    char what[128];
    snprintf(what, sizeof what, "matmul ta=%d tb=%d %lldx%lldx%lld %s x %s compute %s", ta, tb, (long long)m,
             (long long)n, (long long)k, dtype_names[ad], dtype_names[bd], dtype_names[compute]);
    float *af = mixed_random(m * k), *bf = mixed_random(k * n), *c = mixed_random(m * n);
    void *a = mixed_store(af, m * k, ad), *b = mixed_store(bf, k * n, bd);
    float *ar = mixed_operand(a, m * k, ad, compute), *br = mixed_operand(b, k * n, bd, compute);
    float *aa = mixed_abs(ar, m * k), *ba = mixed_abs(br, k * n), *S = mixed_abs(c, m * n);
    pt_reference_matmul(ta, tb, m, n, k, 1.25, aa, ba, 0.5, S);
    void *da = device_bytes(a, (size_t)pt_dtype_size(ad) * m * k), *db = device_bytes(b, (size_t)pt_dtype_size(bd) * k * n);
    float *dc = device_bytes(c, sizeof(float) * m * n);
    MUST(pt_matmul_ex(CUDA, ta, tb, m, n, k, 1.25, da, ad, db, bd, -0.5, dc, compute));
    MUST(pt_matmul_ex(CPU, ta, tb, m, n, k, 1.25, a, ad, b, bd, -0.5, c, compute));
    float *got = host_floats(dc, m * n);
    mixed_check(what, got, c, S, m * n, k);
    MUST(pt_cuda_free(0, da));
    MUST(pt_cuda_free(0, db));
    MUST(pt_cuda_free(0, dc));
    free(af), free(bf), free(c), free(a), free(b), free(ar), free(br), free(aa), free(ba), free(S), free(got);
}

static void linear_case(int64_t n, int64_t in, int64_t out, int wd, int compute, int accumulate) {
    char what[128];
    snprintf(what, sizeof what, "linear %lldx%lld->%lld weight %s compute %s acc %d", (long long)n, (long long)in,
             (long long)out, dtype_names[wd], dtype_names[compute], accumulate);
    float *x = mixed_random(n * in), *wf = mixed_random(out * in), *bias = mixed_random(out), *dy = mixed_random(n * out);
    void *w = mixed_store(wf, out * in, wd);
    float *xa = mixed_abs_operand(x, n * in, F32, compute), *wa = mixed_abs_operand(w, out * in, wd, compute);
    float *dya = mixed_abs_operand(dy, n * out, F32, compute), *ba = mixed_abs(bias, out), *dy_abs = mixed_abs(dy, n * out);
    float *dw0 = mixed_random(out * in), *db0 = mixed_random(out);
    float *Sy = mixed_random(n * out), *Sx = mixed_random(n * in), *Sw = mixed_abs(dw0, out * in), *Sb = mixed_abs(db0, out);
    pt_reference_linear_forward(n, in, out, xa, wa, ba, Sy);
    pt_reference_linear_backward(n, in, out, xa, wa, dya, Sx, Sw, NULL, accumulate);
    pt_reference_linear_backward(n, in, out, xa, wa, dy_abs, NULL, NULL, Sb, accumulate); /* dbias: dy unrounded */
    if (!accumulate)
        for (int64_t i = 0; i < out * in; i++) dw0[i] = NAN;
    float *nan_dx = mixed_random(n * in);
    for (int64_t i = 0; i < n * in; i++) nan_dx[i] = NAN;

    float *dx_ = device_bytes(x, 4 * n * in), *dbias = device_bytes(bias, 4 * out), *ddy = device_bytes(dy, 4 * n * out);
    void *dw = device_bytes(w, (size_t)pt_dtype_size(wd) * out * in);
    float *dyo = device_floats(NULL, n * out), *ddx = device_bytes(nan_dx, 4 * n * in), *ddw = device_bytes(dw0, 4 * out * in);
    float *ddb = device_bytes(db0, 4 * out);
    MUST(pt_linear_forward_ex(CUDA, n, in, out, dx_, dw, wd, dbias, dyo, compute));
    MUST(pt_linear_backward_ex(CUDA, n, in, out, dx_, dw, wd, ddy, ddx, ddw, ddb, accumulate, compute));
    float *y = mixed_random(n * out);
    float *cx = mixed_copy(nan_dx, n * in), *cw = mixed_copy(dw0, out * in), *cb = mixed_copy(db0, out);
    MUST(pt_linear_forward_ex(CPU, n, in, out, x, w, wd, bias, y, compute));
    MUST(pt_linear_backward_ex(CPU, n, in, out, x, w, wd, dy, cx, cw, cb, accumulate, compute));
    float *hy = host_floats(dyo, n * out), *hx = host_floats(ddx, n * in), *hw = host_floats(ddw, out * in);
    float *hb = host_floats(ddb, out);
    mixed_check(what, hy, y, Sy, n * out, in);
    mixed_check(what, hx, cx, Sx, n * in, out);
    mixed_check(what, hw, cw, Sw, out * in, n);
    mixed_check(what, hb, cb, Sb, out, n);
    void *ptrs[] = {dx_, dbias, ddy, dw, dyo, ddx, ddw, ddb};
    for (int i = 0; i < 8; i++) MUST(pt_cuda_free(0, ptrs[i]));
    free(x), free(wf), free(bias), free(dy), free(w), free(xa), free(wa), free(dya), free(ba), free(dw0), free(db0);
    free(Sy), free(Sx), free(Sw), free(Sb), free(nan_dx), free(y), free(cx), free(cw), free(cb), free(hy), free(hx);
    free(hw), free(hb), free(dy_abs);
}

static void conv_case(pt_conv2d_shape sh, int wd, int compute, int accumulate) {
    sh.p = (sh.h + 2 * sh.pad_h - sh.r) / sh.stride_h + 1;
    sh.q = (sh.w + 2 * sh.pad_w - sh.s) / sh.stride_w + 1;
    char what[160];
    snprintf(what, sizeof what, "conv n%lld c%lld %lldx%lld k%lld %lldx%lld stride %lld weight %s compute %s acc %d",
             (long long)sh.n, (long long)sh.c, (long long)sh.h, (long long)sh.w, (long long)sh.k, (long long)sh.r,
             (long long)sh.s, (long long)sh.stride_h, dtype_names[wd], dtype_names[compute], accumulate);
    const int64_t nx = sh.n * sh.c * sh.h * sh.w, nw = sh.k * sh.c * sh.r * sh.s, ny = sh.n * sh.k * sh.p * sh.q;
    float *x = mixed_random(nx), *wf = mixed_random(nw), *bias = mixed_random(sh.k), *dy = mixed_random(ny);
    void *w = mixed_store(wf, nw, wd);
    float *xa = mixed_abs_operand(x, nx, F32, compute), *wa = mixed_abs_operand(w, nw, wd, compute);
    float *dya = mixed_abs_operand(dy, ny, F32, compute), *ba = mixed_abs(bias, sh.k), *dy_abs = mixed_abs(dy, ny);
    float *dw0 = mixed_random(nw), *db0 = mixed_random(sh.k);
    float *Sy = mixed_random(ny), *Sx = mixed_random(nx), *Sw = mixed_abs(dw0, nw), *Sb = mixed_abs(db0, sh.k);
    pt_reference_conv2d_forward(&sh, xa, wa, ba, Sy);
    pt_reference_conv2d_backward(&sh, xa, wa, dya, Sx, Sw, NULL, accumulate);
    pt_reference_conv2d_backward(&sh, xa, wa, dy_abs, NULL, NULL, Sb, accumulate); /* dbias: dy unrounded */
    if (!accumulate)
        for (int64_t i = 0; i < nw; i++) dw0[i] = NAN;
    float *nan_dx = mixed_random(nx);
    for (int64_t i = 0; i < nx; i++) nan_dx[i] = NAN;
    float *dxin = device_bytes(x, 4 * nx), *dbias = device_bytes(bias, 4 * sh.k), *ddy = device_bytes(dy, 4 * ny);
    void *dwt = device_bytes(w, (size_t)pt_dtype_size(wd) * nw);
    float *dyo = device_floats(NULL, ny), *ddx = device_bytes(nan_dx, 4 * nx), *ddw = device_bytes(dw0, 4 * nw);
    float *ddb = device_bytes(db0, 4 * sh.k);
#define SHAPE sh.n, sh.c, sh.h, sh.w, sh.k, sh.r, sh.s, sh.stride_h, sh.stride_w, sh.pad_h, sh.pad_w
    MUST(pt_conv2d_forward_ex(CUDA, SHAPE, dxin, dwt, wd, dbias, dyo, compute));
    MUST(pt_conv2d_backward_ex(CUDA, SHAPE, dxin, dwt, wd, ddy, ddx, ddw, ddb, accumulate, compute));
    float *y = mixed_random(ny), *cx = mixed_copy(nan_dx, nx), *cw = mixed_copy(dw0, nw), *cb = mixed_copy(db0, sh.k);
    MUST(pt_conv2d_forward_ex(CPU, SHAPE, x, w, wd, bias, y, compute));
    MUST(pt_conv2d_backward_ex(CPU, SHAPE, x, w, wd, dy, cx, cw, cb, accumulate, compute));
#undef SHAPE
    float *hy = host_floats(dyo, ny), *hx = host_floats(ddx, nx), *hw = host_floats(ddw, nw), *hb = host_floats(ddb, sh.k);
    mixed_check(what, hy, y, Sy, ny, sh.c * sh.r * sh.s);
    mixed_check(what, hx, cx, Sx, nx, sh.k * sh.r * sh.s);
    mixed_check(what, hw, cw, Sw, nw, sh.n * sh.p * sh.q);
    mixed_check(what, hb, cb, Sb, sh.k, sh.n * sh.p * sh.q);
    void *ptrs[] = {dxin, dbias, ddy, dwt, dyo, ddx, ddw, ddb};
    for (int i = 0; i < 8; i++) MUST(pt_cuda_free(0, ptrs[i]));
    free(x), free(wf), free(bias), free(dy), free(w), free(xa), free(wa), free(dya), free(ba), free(dw0), free(db0);
    free(Sy), free(Sx), free(Sw), free(Sb), free(nan_dx), free(y), free(cx), free(cw), free(cb), free(hy), free(hx);
    free(hw), free(hb), free(dy_abs);
}

int main(void) {
    int count = 0;
    if (pt_cuda_device_count(&count) != PT_OK || count < 1) {
        printf("test_cuda_mixed: skipped (%s)\n", pt_last_error());
        return 77;
    }
    for (int compute = 0; compute < 3; compute++)
        for (int wd = 0; wd < 3; wd++) {
            const int t = (compute + wd) % 4;
            matmul_case(t & 1, t >> 1, 17, 13, 29, wd, (wd + compute) % 3, compute);
            linear_case(5, 37, 19, wd, compute, (wd + compute) & 1);
            conv_case((pt_conv2d_shape){2, 3, 7, 6, 5, 3, 3, 2, 2, 1, 1, 0, 0}, wd, compute, (wd + compute) & 1);
        }
    /* 16-bit operands through the other GEMM paths: 128 x 128 tiles, split-K (stride by K slices). */
    pt_cuda_gemm_force(128, 0);
    matmul_case(1, 0, 9, 7, 21, PT_DTYPE_FLOAT16, PT_DTYPE_BFLOAT16, PT_DTYPE_FLOAT16);
    pt_cuda_gemm_force(64, 3);
    matmul_case(0, 1, 9, 7, 70, PT_DTYPE_BFLOAT16, F32, PT_DTYPE_BFLOAT16);
    matmul_case(1, 1, 9, 7, 70, PT_DTYPE_FLOAT16, PT_DTYPE_FLOAT16, PT_DTYPE_BFLOAT16);
    pt_cuda_gemm_force(0, 0);
    /* 1x1 input, 3x3 filter, pad 1: the trimmed path packs a bf16 / fp16 weight. */
    conv_case((pt_conv2d_shape){2, 4, 1, 1, 3, 3, 3, 1, 1, 1, 1, 0, 0}, PT_DTYPE_BFLOAT16, PT_DTYPE_BFLOAT16, 1);
    conv_case((pt_conv2d_shape){2, 4, 1, 1, 3, 3, 3, 1, 1, 1, 1, 0, 0}, PT_DTYPE_FLOAT16, F32, 0);
    printf("test_cuda_mixed: largest fraction of a tolerance used %.3g\n", mixed_worst);
    return test_exit_status("test_cuda_mixed");
}
