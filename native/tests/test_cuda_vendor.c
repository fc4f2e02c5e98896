/*
 * The vendor CUDA backend (cuBLAS, cuDNN) against panoptim's references, on a GPU: matmul (the four
 * transpose cases, alpha and beta), linear, conv2d (strides, padding, a 1x1) and batchnorm2d
 * (training with running statistics, eval, affine or not), forward and backward, with accumulate
 * and NULL grads, on random odd shapes. Each vendor result is compared with the CPU kernel (the
 * contract's reference) and, where panoptim's own CUDA kernel exists, with it too (a call the own
 * backend answers PT_ERR_UNSUPPORTED is reported and skipped). Exit 77 (skipped) on the simulator,
 * without a GPU, or without cuBLAS/cuDNN, saying why: bin/gpu-check runs it on an H100/H200.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda/vendor/vendor.h"
#include "panoptim.h"
#include "test_support.h"

#define MAX_BUFS 16

/* Device copies of host arrays, freed at the end of each case. */
static void *bufs[MAX_BUFS];
static int nbufs;

static float *upload(const float *host, int64_t n) {
    if (host == NULL) return NULL;
    void *p = NULL;
    if (pt_cuda_malloc(0, n * (int64_t)sizeof(float), &p) != PT_OK ||
        pt_cuda_copy(0, p, host, n * (int64_t)sizeof(float), PT_COPY_HOST_TO_DEVICE) != PT_OK) {
        fprintf(stderr, "upload: %s\n", pt_last_error());
        exit(1);
    }
    bufs[nbufs++] = p;
    return p;
}

static void download(float *host, const float *dev, int64_t n) {
    if (dev == NULL) return;
    if (pt_cuda_copy(0, host, dev, n * (int64_t)sizeof(float), PT_COPY_DEVICE_TO_HOST) != PT_OK) {
        fprintf(stderr, "download: %s\n", pt_last_error());
        exit(1);
    }
}

static void free_all(void) {
    for (int i = 0; i < nbufs; i++) pt_cuda_free(0, bufs[i]);
    nbufs = 0;
}

static float *random_array(int64_t n, float lo, float hi) {
    float *p = malloc((size_t)n * sizeof(float));
    for (int64_t i = 0; i < n; i++) p[i] = rng_signed(lo, hi);
    return p;
}

static float *copy_of(const float *src, int64_t n) {
    if (src == NULL) return NULL;
    float *p = malloc((size_t)n * sizeof(float));
    memcpy(p, src, (size_t)n * sizeof(float));
    return p;
}

/* Compares a device result with the reference; prints the largest difference. */
static void compare(const char *what, const float *dev, const float *ref, int64_t n, double atol, double rtol) {
    if (dev == NULL || ref == NULL) return;
    float *got = malloc((size_t)n * sizeof(float));
    download(got, dev, n);
    diff_stats st = {0, 0};
    check_close(what, got, ref, n, atol, rtol, &st);
    printf("  %-40s max |diff| %.3g (%.2f of the tolerance)\n", what, st.max_abs, st.max_used);
    free(got);
}

/* Runs the own backend's public call (`status`) only to report whether it exists yet. */
static int own_ran(const char *what, int status) {
    if (status == PT_OK) return 1;
    printf("  %-40s own CUDA kernel: %s\n", what, pt_last_error());
    return 0;
}

#define TRY_VENDOR(call)                                                          \
    do {                                                                          \
        int s_ = (call);                                                          \
        CHECK(s_ == PT_OK, "%s: status %d: %s", #call, s_, pt_last_error());      \
    } while (0)

/* fp32 sums of `len` products of values below 1 in magnitude, in different orders (cuBLAS tiles and
 * split-K, OpenBLAS's kernels, cuDNN's implicit GEMM): each order's rounding error is at most about
 * len * 2^-24 * sum |a b| <= len * 6e-8; 2e-6 * len (30x that) leaves room for the worst element. */
static double sum_tol(int64_t len) { return 2e-6 * (double)len; }

static void matmul_case(int ta, int tb, int64_t m, int64_t n, int64_t k) {
    char what[64];
    snprintf(what, sizeof what, "matmul %c%c %lldx%lldx%lld", ta ? 'T' : 'N', tb ? 'T' : 'N', (long long)m,
             (long long)n, (long long)k);
    float *a = random_array(m * k, 0.01f, 1.f), *b = random_array(k * n, 0.01f, 1.f), *c = random_array(m * n, 0.01f, 1.f);
    float *ref = copy_of(c, m * n);
    pt_matmul(PT_DEVICE_CPU, ta, tb, m, n, k, 0.75, a, b, -0.5, ref);
    float *da = upload(a, m * k), *db = upload(b, k * n), *dc = upload(c, m * n);
    TRY_VENDOR(pt_vendor_matmul(ta, tb, m, n, k, 0.75, da, db, -0.5, dc));
    compare(what, dc, ref, m * n, sum_tol(k), 1e-5);
    float *dc_own = upload(c, m * n);
    if (own_ran(what, pt_matmul(PT_DEVICE_CUDA, ta, tb, m, n, k, 0.75, da, db, -0.5, dc_own)))
        compare("  ... own CUDA", dc_own, ref, m * n, sum_tol(k), 1e-5);
    free_all();
    free(a), free(b), free(c), free(ref);
}

static void linear_case(int64_t n, int64_t in, int64_t out, int with_bias, int accumulate) {
    float *x = random_array(n * in, 0.01f, 1.f), *w = random_array(out * in, 0.01f, 1.f);
    float *bias = with_bias ? random_array(out, 0.01f, 1.f) : NULL, *dy = random_array(n * out, 0.01f, 1.f);
    float *y = malloc((size_t)(n * out) * sizeof(float)), *dx = malloc((size_t)(n * in) * sizeof(float));
    float *dw = random_array(out * in, 0.01f, 1.f), *db = random_array(out, 0.01f, 1.f);
    float *dw0 = copy_of(dw, out * in), *db0 = copy_of(db, out);
    pt_linear_forward(PT_DEVICE_CPU, n, in, out, x, w, bias, y);
    pt_linear_backward(PT_DEVICE_CPU, n, in, out, x, w, dy, dx, dw, with_bias ? db : NULL, accumulate);
    float *dx_ = upload(x, n * in), *dw_ = upload(w, out * in), *dbias = upload(bias, out), *ddy = upload(dy, n * out);
    float *dyout = upload(y, n * out), *ddx = upload(dx, n * in), *ddw = upload(dw0, out * in), *ddb = upload(db0, out);
    TRY_VENDOR(pt_vendor_linear_forward(n, in, out, dx_, dw_, dbias, dyout));
    TRY_VENDOR(pt_vendor_linear_backward(n, in, out, dx_, dw_, ddy, ddx, ddw, with_bias ? ddb : NULL, accumulate));
    char what[64];
    snprintf(what, sizeof what, "linear %lldx%lld->%lld bias %d acc %d", (long long)n, (long long)in, (long long)out,
             with_bias, accumulate);
    printf(" %s\n", what);
    compare("y", dyout, y, n * out, sum_tol(in), 1e-5);
    compare("dx", ddx, dx, n * in, sum_tol(out), 1e-5);
    compare("dweight", ddw, dw, out * in, sum_tol(n) + 1e-6, 1e-5);
    if (with_bias) compare("dbias", ddb, db, out, sum_tol(n) + 1e-6, 1e-5);
    /* NULL grads: dx and dweight skipped, dbias alone and overwritten (accumulate 0). */
    if (with_bias) {
        float *db_only = copy_of(db0, out);
        pt_linear_backward(PT_DEVICE_CPU, n, in, out, x, w, dy, NULL, NULL, db_only, 0);
        float *gdb_only = upload(db0, out);
        TRY_VENDOR(pt_vendor_linear_backward(n, in, out, dx_, dw_, ddy, NULL, NULL, gdb_only, 0));
        compare("dbias alone (dx, dweight NULL)", gdb_only, db_only, out, sum_tol(n) + 1e-6, 1e-5);
        free(db_only);
    }
    free_all();
    free(x), free(w), free(bias), free(dy), free(y), free(dx), free(dw), free(db), free(dw0), free(db0);
}

static void conv_case(int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t sh,
                      int64_t sw, int64_t ph, int64_t pw, int accumulate) {
    const int64_t p = (h + 2 * ph - r) / sh + 1, q = (w + 2 * pw - s) / sw + 1;
    const int64_t nx = n * c * h * w, nw = k * c * r * s, ny = n * k * p * q;
    float *x = random_array(nx, 0.01f, 1.f), *wt = random_array(nw, 0.01f, 1.f), *bias = random_array(k, 0.01f, 1.f);
    float *dy = random_array(ny, 0.01f, 1.f), *y = malloc((size_t)ny * sizeof(float));
    float *dx = malloc((size_t)nx * sizeof(float)), *dw = random_array(nw, 0.01f, 1.f), *db = random_array(k, 0.01f, 1.f);
    float *dw0 = copy_of(dw, nw), *db0 = copy_of(db, k);
    pt_conv2d_forward(PT_DEVICE_CPU, n, c, h, w, k, r, s, sh, sw, ph, pw, x, wt, bias, y);
    pt_conv2d_backward(PT_DEVICE_CPU, n, c, h, w, k, r, s, sh, sw, ph, pw, x, wt, dy, dx, dw, db, accumulate);
    float *gx = upload(x, nx), *gw = upload(wt, nw), *gb = upload(bias, k), *gdy = upload(dy, ny), *gy = upload(y, ny);
    float *gdx = upload(dx, nx), *gdw = upload(dw0, nw), *gdb = upload(db0, k);
    TRY_VENDOR(pt_vendor_conv2d_forward(n, c, h, w, k, r, s, sh, sw, ph, pw, gx, gw, gb, gy));
    TRY_VENDOR(pt_vendor_conv2d_backward(n, c, h, w, k, r, s, sh, sw, ph, pw, gx, gw, gdy, gdx, gdw, gdb, accumulate));
    printf(" conv2d x(%lld,%lld,%lld,%lld) w(%lld,%lld,%lld,%lld) stride %lldx%lld pad %lldx%lld acc %d\n", (long long)n,
           (long long)c, (long long)h, (long long)w, (long long)k, (long long)c, (long long)r, (long long)s,
           (long long)sh, (long long)sw, (long long)ph, (long long)pw, accumulate);
    compare("y", gy, y, ny, sum_tol(c * r * s + 1), 1e-5);
    compare("dx", gdx, dx, nx, sum_tol(k * r * s), 1e-5);
    compare("dweight", gdw, dw, nw, sum_tol(n * p * q), 1e-5);
    compare("dbias", gdb, db, k, sum_tol(n * p * q), 1e-5);
    float *gy_own = upload(y, ny);
    if (own_ran("conv2d forward", pt_conv2d_forward(PT_DEVICE_CUDA, n, c, h, w, k, r, s, sh, sw, ph, pw, gx, gw, gb, gy_own)))
        compare("y (own CUDA)", gy_own, y, ny, sum_tol(c * r * s + 1), 1e-5);
    free_all();
    free(x), free(wt), free(bias), free(dy), free(y), free(dx), free(dw), free(db), free(dw0), free(db0);
}

/* Batch statistics: fp32 (cuDNN) against double (CPU) sums over M = N * HW values of about unit
 * size; normalised outputs are O(1), so 1e-4 absolute covers M * 2^-24 accumulated error for
 * M up to ~1e3 with a wide margin. The running variance carries the unbiased M / (M - 1) factor:
 * a wrong convention would miss by var / M (here > 1e-3), far above the tolerance. */
static void batchnorm_case(int training, int affine, int64_t n, int64_t c, int64_t hw, int accumulate) {
    const int64_t nx = n * c * hw;
    float *x = random_array(nx, 0.01f, 2.f), *dy = random_array(nx, 0.01f, 1.f);
    float *wt = affine ? random_array(c, 0.5f, 1.5f) : NULL, *bias = affine ? random_array(c, 0.01f, 1.f) : NULL;
    float *rm = random_array(c, 0.01f, 0.5f), *rv = random_array(c, 0.5f, 1.5f);
    for (int64_t i = 0; i < c; i++) rv[i] = rv[i] < 0 ? -rv[i] : rv[i];
    float *rm0 = copy_of(rm, c), *rv0 = copy_of(rv, c);
    float *y = malloc((size_t)nx * sizeof(float)), *sm = malloc((size_t)c * sizeof(float)), *si = malloc((size_t)c * sizeof(float));
    float *dx = malloc((size_t)nx * sizeof(float));
    float *dw = random_array(c, 0.01f, 1.f), *db = random_array(c, 0.01f, 1.f), *dw0 = copy_of(dw, c), *db0 = copy_of(db, c);
    const double momentum = 0.1, eps = 1e-5;
    pt_batchnorm2d_forward(PT_DEVICE_CPU, training, n, c, hw, x, wt, bias, rm, rv, momentum, eps, y, sm, si);
    pt_batchnorm2d_backward(PT_DEVICE_CPU, training, n, c, hw, x, wt, sm, si, dy, dx, affine ? dw : NULL,
                            affine ? db : NULL, accumulate);
    float *gx = upload(x, nx), *gdy = upload(dy, nx), *gw = upload(wt, c), *gb = upload(bias, c);
    float *grm = upload(rm0, c), *grv = upload(rv0, c), *gy = upload(y, nx), *gsm = upload(sm, c), *gsi = upload(si, c);
    float *gdx = upload(dx, nx), *gdw = upload(dw0, c), *gdb = upload(db0, c);
    TRY_VENDOR(pt_vendor_batchnorm2d_forward(training, n, c, hw, gx, gw, gb, grm, grv, momentum, eps, gy, gsm, gsi));
    printf(" batchnorm2d (%lld,%lld,%lld) training %d affine %d acc %d\n", (long long)n, (long long)c, (long long)hw,
           training, affine, accumulate);
    compare("y", gy, y, nx, 1e-4, 1e-4);
    compare("save_mean", gsm, sm, c, 1e-5, 1e-5);
    compare("save_invstd", gsi, si, c, 1e-5, 1e-4);
    compare("running_mean", grm, rm, c, 1e-6, 1e-5);
    compare("running_var (unbiased)", grv, rv, c, 1e-6, 1e-5);
    /* The backward from the CPU's saved statistics, so that only the backward itself is compared. */
    float *gsm_ref = upload(sm, c), *gsi_ref = upload(si, c);
    TRY_VENDOR(pt_vendor_batchnorm2d_backward(training, n, c, hw, gx, gw, gsm_ref, gsi_ref, gdy, gdx, affine ? gdw : NULL,
                                              affine ? gdb : NULL, accumulate));
    compare("dx", gdx, dx, nx, 1e-4, 1e-4);
    if (affine) {
        compare("dweight", gdw, dw, c, sum_tol(n * hw), 1e-4);
        compare("dbias", gdb, db, c, sum_tol(n * hw), 1e-4);
    }
    free_all();
    free(x), free(dy), free(wt), free(bias), free(rm), free(rv), free(rm0), free(rv0), free(y), free(sm), free(si);
    free(dx), free(dw), free(db), free(dw0), free(db0);
}

int main(void) {
    if (pt_cuda_simulated()) {
        printf("test_cuda_vendor: skipped: the simulator runs panoptim's own kernels only (no cuBLAS/cuDNN)\n");
        return 77;
    }
    int count = 0;
    if (pt_cuda_device_count(&count) != PT_OK) {
        printf("test_cuda_vendor: skipped: %s\n", pt_last_error());
        return 77;
    }
    static char info[8192];
    pt_cuda_vendor_info(info, sizeof info);
    printf("%s", info);
    if (strstr(info, "unavailable") != NULL) {
        printf("test_cuda_vendor: skipped: a vendor library is missing (see above)\n");
        return 77;
    }
    pt_cuda_set_backend(PT_CUDA_BACKEND_OWN);
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) matmul_case(ta, tb, 37, 53, 71);
    matmul_case(0, 0, 1, 1, 1);
    matmul_case(1, 0, 129, 67, 257);
    linear_case(13, 29, 17, 1, 0);
    linear_case(7, 31, 5, 1, 1);
    linear_case(3, 9, 11, 0, 1);
    conv_case(3, 5, 11, 9, 7, 3, 2, 2, 1, 1, 0, 0);
    conv_case(2, 6, 7, 7, 4, 1, 1, 1, 1, 0, 0, 1);
    conv_case(2, 3, 13, 13, 8, 5, 5, 2, 2, 2, 2, 1);
    batchnorm_case(1, 1, 4, 6, 35, 0);
    batchnorm_case(1, 0, 3, 5, 17, 1);
    batchnorm_case(0, 1, 4, 6, 35, 1);
    batchnorm_case(0, 0, 2, 3, 1, 0);
    /* Once native/api dispatches on the backend: the public call with VENDOR must be the vendor call. */
    pt_cuda_set_backend(PT_CUDA_BACKEND_VENDOR);
    {
        float a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {1, -1, 2, -2, 3, -3}, c[4] = {0};
        float *da = upload(a, 6), *db = upload(b, 6), *dc = upload(c, 4);
        const int s = pt_matmul(PT_DEVICE_CUDA, 0, 0, 2, 2, 3, 1.0, da, db, 0.0, dc);
        if (s == PT_OK) {
            const float want[4] = {1 * 1 + 2 * 2 + 3 * 3, 1 * -1 + 2 * -2 + 3 * -3, 4 + 10 + 18, -4 - 10 - 18};
            compare("pt_matmul dispatched to vendor", dc, want, 4, 0, 0);
        } else {
            printf("  pt_matmul(PT_DEVICE_CUDA) under the vendor backend: %s (not wired yet)\n", pt_last_error());
        }
        free_all();
    }
    pt_cuda_set_backend(PT_CUDA_BACKEND_OWN);
    return test_exit_status("test_cuda_vendor");
}
