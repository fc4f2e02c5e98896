/*
 * The CUDA layer kernels (cuda/batchnorm2d.cu, relu.cu, elementwise.cu, pool2d.cu,
 * cross_entropy.cu) against their CPU twins, through the public API only: the same random inputs
 * (never zeros, unless zeros are the point) go to each call with PT_DEVICE_CPU (host buffers) and
 * PT_DEVICE_CUDA (device buffers from pt_cuda_malloc), and every output is compared, printing the
 * largest difference per family. Runs on the CUDA simulator (in-order and shuffled thread
 * schedules, AddressSanitizer) and on a GPU; exits 77 (skipped) where CUDA is unusable.
 *
 * Covered: batch norm training and eval, forward (y, save_mean, save_invstd, running stats) and
 * backward (dx, dweight, dbias with accumulate 0/1, NULL grads, affine NULL) over N = 1, 3,
 * C = 1, 3, 17, HW = 1, 7, 49, 1029, plus HW % 4 == 0 (float4 path), an unaligned x (scalar path)
 * and channels split over several blocks; the fused batch norm + ReLU against its CPU twin and
 * against the two CUDA ops (N = 1, 5, C = 3, HW = 1, 7, 49, 196, 1029, affine or not); ReLU, add, axpy, fill at 0..4099 elements, aligned and
 * not, in place; max pooling 3x3 stride 2 pad 1 (ResNet's), 2x2 stride 2 and overlapping 3x3
 * stride 1 with many ties, -inf and NaN, more than 32 outputs per row, argmax NULL, hand-made
 * in-range argmax indices, and a bad one (CUDA: that plane's dx is NaN); global average pooling;
 * cross-entropy with label smoothing 0 and 0.1, its backward, argmax_correct with ties and NaN rows, and bad targets
 * (forward and argmax_correct refuse them and write nothing; the backward's row is NaN). On the
 * simulator, host pointers passed as device pointers come back as a status.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "panoptim.h"
#include "test_cuda_support.h"
#include "test_support.h"

#define TRY MUST

enum { CPU = PT_DEVICE_CPU, GPU = PT_DEVICE_CUDA };

/* A tensor on both sides: host copy h (the CPU call's), device copy d (+ offset), scratch r for
 * the device result. `shift` places d one element past an aligned address (scalar paths). */
typedef struct buf {
    int64_t n;
    float *h, *r, *d;
    void *base;
} buf;

static buf make(int64_t n, int shift) {
    buf b = {n, xmalloc((size_t)n * 4), xmalloc((size_t)n * 4), NULL, NULL};
    TRY(pt_cuda_malloc(0, (n + 1) * 4, &b.base));
    b.d = (float *)b.base + shift;
    return b;
}

static void drop(buf *b) {
    free(b->h), free(b->r);
    TRY(pt_cuda_free(0, b->base));
}

static void upload(buf *b) { TRY(pt_cuda_copy(0, b->d, b->h, b->n * 4, PT_COPY_HOST_TO_DEVICE)); }

static float *download(buf *b) {
    TRY(pt_cuda_copy(0, b->r, b->d, b->n * 4, PT_COPY_DEVICE_TO_HOST));
    return b->r;
}

static void randomize(buf *b, float lo, float hi, float offset) {
    for (int64_t i = 0; i < b->n; i++) b->h[i] = rng_signed(lo, hi) + offset;
    upload(b);
}

/* Device result of b against its host (CPU) result: |cuda - cpu| <= atol + rtol * |cpu|; with
 * atol = rtol = 0, equal values (infinities included) or both NaN. */
static void compare(const char *what, buf *b, double atol, double rtol, diff_stats *s) {
    const float *got = download(b);
    if (atol > 0 || rtol > 0) {
        check_close(what, got, b->h, b->n, atol, rtol, s);
        return;
    }
    int64_t bad = 0;
    for (int64_t i = 0; i < b->n; i++) {
        if (got[i] == b->h[i] || (isnan(got[i]) && isnan(b->h[i]))) continue;
        if (bad++ == 0) fprintf(stderr, "FAIL %s[%lld]: got %.9g, reference %.9g (exact)\n", what, (long long)i, got[i], b->h[i]);
        const double d = fabs((double)got[i] - (double)b->h[i]);
        s->max_abs = d > s->max_abs ? d : s->max_abs;
    }
    if (bad) test_failures++;
}

static void report(const char *family, const diff_stats *s) {
    printf("%-28s largest |cuda - cpu| = %.3g (%.2f of the tolerance)\n", family, s->max_abs, s->max_used);
}

/* ---------------------------------------------------------------- batch norm */

/* Both sides compute the statistics and the elementwise maps in double and round once to float;
 * the channel sums are added in different orders (double, relative 1e-16), and a GPU may contract
 * double a*b+c into FMAs, so a float output can round the other way: 1 ulp (rtol 2.5e-7) plus, for
 * dx, cancellation in dy - mean(dy) - (x - mean) * k, which the absolute term covers at the scale
 * of the values (~1). */
#define BN_ATOL 1e-6
#define BN_RTOL 2.5e-7
static diff_stats bn_stats;

static void batchnorm_case(int64_t n, int64_t c, int64_t hw, int affine, int shift) {
    const int64_t all = n * c * hw;
    buf x = make(all, shift), y = make(all, shift), dy = make(all, shift), dx = make(all, shift);
    buf w = make(c, 0), b = make(c, 0), rm = make(c, 0), rv = make(c, 0), sm = make(c, 0), si = make(c, 0);
    buf dw = make(c, 0), db = make(c, 0);
    randomize(&x, 0.1f, 2.0f, 3.0f); /* mean ~3 >> std: the shifted sums matter */
    randomize(&w, 0.5f, 1.5f, 0.0f), randomize(&b, 0.1f, 1.0f, 0.0f);
    for (int64_t i = 0; i < c; i++) rm.h[i] = rng_signed(0.1f, 1.0f), rv.h[i] = rng_uniform(0.5f, 2.0f);
    upload(&rm), upload(&rv);
    const float *wh = affine ? w.h : NULL, *bh = affine ? b.h : NULL, *wd = affine ? w.d : NULL, *bd = affine ? b.d : NULL;

    for (int training = 1; training >= 0; training--) {
        if (training && n * hw < 2) continue; /* torch refuses it */
        TRY(pt_batchnorm2d_forward(CPU, training, n, c, hw, x.h, wh, bh, rm.h, rv.h, 0.1, 1e-5, y.h, sm.h, si.h));
        TRY(pt_batchnorm2d_forward(GPU, training, n, c, hw, x.d, wd, bd, rm.d, rv.d, 0.1, 1e-5, y.d, sm.d, si.d));
        compare("bn y", &y, BN_ATOL, BN_RTOL, &bn_stats);
        compare("bn save_mean", &sm, BN_ATOL, BN_RTOL, &bn_stats);
        compare("bn save_invstd", &si, BN_ATOL, BN_RTOL, &bn_stats);
        compare("bn running_mean", &rm, BN_ATOL, BN_RTOL, &bn_stats);
        compare("bn running_var", &rv, BN_ATOL, BN_RTOL, &bn_stats);
        /* The backward with every grad, accumulating or not, then with some of them NULL. */
        for (int variant = 0; variant < 4; variant++) {
            const int accumulate = variant & 1, with_params = variant < 2, with_dx = variant != 3;
            randomize(&dy, 0.1f, 1.0f, 0.0f);
            randomize(&dw, 0.1f, 1.0f, 0.0f), randomize(&db, 0.1f, 1.0f, 0.0f);
            TRY(pt_batchnorm2d_backward(CPU, training, n, c, hw, x.h, wh, sm.h, si.h, dy.h, with_dx ? dx.h : NULL,
                                        with_params ? dw.h : NULL, with_params ? db.h : NULL, accumulate));
            TRY(pt_batchnorm2d_backward(GPU, training, n, c, hw, x.d, wd, sm.d, si.d, dy.d, with_dx ? dx.d : NULL,
                                        with_params ? dw.d : NULL, with_params ? db.d : NULL, accumulate));
            if (with_dx) compare("bn dx", &dx, BN_ATOL, BN_RTOL, &bn_stats);
            compare("bn dweight", &dw, BN_ATOL, BN_RTOL, &bn_stats); /* unchanged when NULL: still equal */
            compare("bn dbias", &db, BN_ATOL, BN_RTOL, &bn_stats);
        }
    }
    drop(&x), drop(&y), drop(&dy), drop(&dx), drop(&w), drop(&b), drop(&rm), drop(&rv), drop(&sm), drop(&si);
    drop(&dw), drop(&db);
}

static void test_batchnorm(void) {
    static const int64_t ns[] = {1, 3}, cs[] = {1, 3, 17}, hws[] = {1, 7, 49, 1029};
    int affine = 1;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 4; k++) batchnorm_case(ns[i], cs[j], hws[k], affine ^= 1, 0);
    batchnorm_case(2, 3, 196, 1, 0);   /* HW % 4 == 0: float4 loads */
    batchnorm_case(2, 3, 196, 1, 1);   /* the same, x one float past alignment: scalar loads */
    batchnorm_case(3, 1, 1029, 1, 0);  /* 3087 values: two sum blocks for the channel */
    batchnorm_case(1, 2, 12544, 0, 0); /* float4 and two sum blocks per channel */
    report("batchnorm2d", &bn_stats);
}

/* ---------------------------------------------------------------- batch norm + ReLU, fused */

/* The fused pair on CUDA against its CPU twin (BN_ATOL / BN_RTOL: the reasons above), and against
 * the two CUDA ops it replaces. The backward runs on the CPU's statistics and, for the ReLU backward
 * of the two-op path, on the CPU's output, so that all three apply one mask: the fused ones
 * recompute it from x and those statistics (the same double formula, to an FMA contraction: a
 * sign can differ only within ~1e-16 of 0), and a mask that disagreed anywhere would move a
 * channel sum by a whole |dy| >= 0.1. */
static diff_stats bn_relu_stats;

static void batchnorm_relu_case(int64_t n, int64_t c, int64_t hw, int affine, int shift) {
    const int64_t all = n * c * hw;
    buf x = make(all, shift), y = make(all, shift), z = make(all, shift), dy = make(all, shift), dx = make(all, shift),
        g = make(all, shift), dxu = make(all, shift);
    buf w = make(c, 0), b = make(c, 0), rm = make(c, 0), rv = make(c, 0), sm = make(c, 0), si = make(c, 0);
    buf rmu = make(c, 0), rvu = make(c, 0), smu = make(c, 0), siu = make(c, 0);  /* the two ops' statistics */
    buf dw = make(c, 0), db = make(c, 0), dwu = make(c, 0), dbu = make(c, 0);
    randomize(&x, 0.1f, 2.0f, 3.0f); /* mean ~3 >> std: the shifted sums matter */
    randomize(&w, 0.5f, 1.5f, 0.0f), randomize(&b, 0.1f, 1.0f, 0.0f);
    for (int64_t i = 0; i < c; i++) rm.h[i] = rng_uniform(2.0f, 4.0f), rv.h[i] = rng_uniform(0.5f, 2.0f);
    const float *wh = affine ? w.h : NULL, *bh = affine ? b.h : NULL, *wd = affine ? w.d : NULL, *bd = affine ? b.d : NULL;

    for (int training = 1; training >= 0; training--) {
        if (training && n * hw < 2) continue; /* torch refuses it */
        upload(&rm), upload(&rv);
        TRY(pt_cuda_copy(0, rmu.d, rm.h, c * 4, PT_COPY_HOST_TO_DEVICE));
        TRY(pt_cuda_copy(0, rvu.d, rv.h, c * 4, PT_COPY_HOST_TO_DEVICE));
        TRY(pt_batchnorm2d_relu_forward(CPU, training, n, c, hw, x.h, wh, bh, rm.h, rv.h, 0.1, 1e-5, y.h, sm.h, si.h));
        TRY(pt_batchnorm2d_relu_forward(GPU, training, n, c, hw, x.d, wd, bd, rm.d, rv.d, 0.1, 1e-5, y.d, sm.d, si.d));
        compare("bn+relu y", &y, BN_ATOL, BN_RTOL, &bn_relu_stats);
        compare("bn+relu save_mean", &sm, BN_ATOL, BN_RTOL, &bn_relu_stats);
        compare("bn+relu save_invstd", &si, BN_ATOL, BN_RTOL, &bn_relu_stats);
        compare("bn+relu running_mean", &rm, BN_ATOL, BN_RTOL, &bn_relu_stats);
        compare("bn+relu running_var", &rv, BN_ATOL, BN_RTOL, &bn_relu_stats);
        /* The two CUDA ops: y as the CPU test bounds it (the fused op normalizes with the float
         * statistics: 2^-22 * max|invstd * w| * max|x|, then 1 ulp), on the GPU's own statistics. */
        TRY(pt_batchnorm2d_forward(GPU, training, n, c, hw, x.d, wd, bd, rmu.d, rvu.d, 0.1, 1e-5, z.d, smu.d, siu.d));
        TRY(pt_relu_forward(GPU, all, z.d, z.d));
        double scale = 0.0, xmax = 0.0;
        for (int64_t i = 0; i < c; i++) scale = fmax(scale, fabs((double)si.h[i] * (affine ? w.h[i] : 1.0)));
        for (int64_t i = 0; i < all; i++) xmax = fmax(xmax, fabs((double)x.h[i]));
        check_close("bn+relu y (cuda, fused vs two ops)", download(&y), download(&z), all, 0x1p-22 * scale * xmax,
                    0x1p-23, &bn_relu_stats);
        /* The backward on the CPU's statistics and output (see the top of this section). */
        upload(&sm), upload(&si), upload(&y);
        for (int variant = 0; variant < 4; variant++) {
            const int accumulate = variant & 1, with_params = variant != 2, with_dx = variant != 3;
            randomize(&dy, 0.1f, 1.0f, 0.0f);
            randomize(&dw, 0.1f, 1.0f, 0.0f), randomize(&db, 0.1f, 1.0f, 0.0f);
            TRY(pt_cuda_copy(0, dwu.d, dw.h, c * 4, PT_COPY_HOST_TO_DEVICE));
            TRY(pt_cuda_copy(0, dbu.d, db.h, c * 4, PT_COPY_HOST_TO_DEVICE));
            float *dwp = with_params ? dw.h : NULL, *dbp = with_params ? db.h : NULL;
            TRY(pt_batchnorm2d_relu_backward(CPU, training, n, c, hw, x.h, wh, bh, sm.h, si.h, dy.h, with_dx ? dx.h : NULL,
                                             dwp, dbp, accumulate));
            TRY(pt_batchnorm2d_relu_backward(GPU, training, n, c, hw, x.d, wd, bd, sm.d, si.d, dy.d, with_dx ? dx.d : NULL,
                                             with_params ? dw.d : NULL, with_params ? db.d : NULL, accumulate));
            if (with_dx) compare("bn+relu dx", &dx, BN_ATOL, BN_RTOL, &bn_relu_stats);
            compare("bn+relu dweight", &dw, BN_ATOL, BN_RTOL, &bn_relu_stats); /* unchanged when NULL: still equal */
            compare("bn+relu dbias", &db, BN_ATOL, BN_RTOL, &bn_relu_stats);
            /* The two CUDA ops: the same double formula on the same masked dy and statistics; the
             * channel sums come from other kernels (the same order here): 1 ulp, and the
             * cancellation in dy - mean(dy) - (x - mean) * k at the scale of the values (~1). */
            TRY(pt_relu_backward(GPU, all, y.d, dy.d, g.d));
            TRY(pt_batchnorm2d_backward(GPU, training, n, c, hw, x.d, wd, sm.d, si.d, g.d, dxu.d, with_params ? dwu.d : NULL,
                                        with_params ? dbu.d : NULL, accumulate));
            if (with_dx)
                check_close("bn+relu dx (cuda, fused vs two ops)", download(&dx), download(&dxu), all, BN_ATOL, 0x1p-23,
                            &bn_relu_stats);
            check_close("bn+relu dweight (cuda, fused vs two ops)", download(&dw), download(&dwu), c, 1e-12, 0x1p-23,
                        &bn_relu_stats);
            check_close("bn+relu dbias (cuda, fused vs two ops)", download(&db), download(&dbu), c, 1e-12, 0x1p-23,
                        &bn_relu_stats);
        }
    }
    drop(&x), drop(&y), drop(&z), drop(&dy), drop(&dx), drop(&g), drop(&dxu), drop(&w), drop(&b), drop(&rm), drop(&rv);
    drop(&sm), drop(&si), drop(&rmu), drop(&rvu), drop(&smu), drop(&siu), drop(&dw), drop(&db), drop(&dwu), drop(&dbu);
}

static void test_batchnorm_relu(void) {
    static const int64_t ns[] = {1, 5}, hws[] = {1, 7, 49};
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 3; k++)
            for (int affine = 0; affine < 2; affine++) batchnorm_relu_case(ns[i], 3, hws[k], affine, 0);
    batchnorm_relu_case(2, 3, 196, 1, 0);   /* HW % 4 == 0: float4 loads */
    batchnorm_relu_case(2, 3, 196, 0, 1);   /* the same, one float past alignment: scalar loads */
    batchnorm_relu_case(3, 1, 1029, 1, 0);  /* two sum blocks for the channel */
    report("batchnorm2d+relu", &bn_relu_stats);
}

/* ---------------------------------------------------------------- ReLU and elementwise */

/* ReLU, add and fill are exact (one float operation or none). axpy is y + alpha * x: the GPU (and
 * the CPU's AVX2/AVX-512 clones) fuse it into one FMA, the CPU's baseline clone and the simulator
 * may not: 1 ulp of the result, or of alpha * x where y + alpha * x cancels (values ~1: atol). */
static diff_stats flat_stats, axpy_stats;

static void test_flat(void) {
    static const int64_t sizes[] = {0, 1, 3, 4, 1029, 4099};
    for (int s = 0; s < 6; s++)
        for (int shift = 0; shift < 2; shift++) {
            const int64_t n = sizes[s];
            buf x = make(n, shift), g = make(n, shift), y = make(n, shift);
            randomize(&x, 0.1f, 2.0f, 0.0f), randomize(&g, 0.1f, 2.0f, 0.0f);
            if (n > 3) { /* the x <= 0 rule at exact zeros of both signs */
                x.h[1] = 0.0f, x.h[2] = -0.0f;
                upload(&x);
            }
            TRY(pt_relu_forward(CPU, n, x.h, y.h));
            TRY(pt_relu_forward(GPU, n, x.d, y.d));
            compare("relu y", &y, 0, 0, &flat_stats);
            TRY(pt_relu_backward(CPU, n, x.h, g.h, y.h));
            TRY(pt_relu_backward(GPU, n, x.d, g.d, y.d));
            compare("relu dx", &y, 0, 0, &flat_stats);
            TRY(pt_add(CPU, n, x.h, g.h, y.h));
            TRY(pt_add(GPU, n, x.d, g.d, y.d));
            compare("add y", &y, 0, 0, &flat_stats);
            TRY(pt_axpy(CPU, n, -0.7, x.h, y.h));
            TRY(pt_axpy(GPU, n, -0.7, x.d, y.d));
            compare("axpy y", &y, 1e-6, 2.5e-7, &axpy_stats);
            /* In place: y = relu(y), then y = y + g, then the grad through it in place. */
            TRY(pt_relu_forward(CPU, n, y.h, y.h));
            TRY(pt_relu_forward(GPU, n, y.d, y.d));
            TRY(pt_add(CPU, n, y.h, g.h, y.h));
            TRY(pt_add(GPU, n, y.d, g.d, y.d));
            TRY(pt_relu_backward(CPU, n, x.h, g.h, g.h));
            TRY(pt_relu_backward(GPU, n, x.d, g.d, g.d));
            compare("in-place y", &y, 1e-6, 2.5e-7, &axpy_stats);
            compare("in-place dx", &g, 0, 0, &flat_stats);
            TRY(pt_fill(CPU, n, 0.1, y.h));
            TRY(pt_fill(GPU, n, 0.1, y.d));
            compare("fill 0.1", &y, 0, 0, &flat_stats);
            TRY(pt_fill(CPU, n, NAN, y.h));
            TRY(pt_fill(GPU, n, NAN, y.d));
            compare("fill NaN", &y, 0, 0, &flat_stats);
            drop(&x), drop(&g), drop(&y);
        }
    report("relu, add, fill (exact)", &flat_stats);
    report("axpy", &axpy_stats);
}

/* ---------------------------------------------------------------- pooling */

/* Max pooling picks values (exact) and argmax by the same first-maximum rule on both sides; the
 * backward adds the same dy values in the same order: exact. Average pooling sums in double in
 * different orders and rounds once: 1 ulp. */
static diff_stats pool_stats, avg_stats;

static int64_t out_size(int64_t in, int64_t k, int64_t s, int64_t pad) { return (in + 2 * pad - k) / s + 1; }

/* ties: values from {0, 1, 2, 3} (many equal maxima); specials: a -inf plane and NaNs. */
static void maxpool_case(int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t s, int64_t pad, int ties,
                         int specials) {
    const int64_t p = out_size(h, k, s, pad), q = out_size(w, k, s, pad), ins = n * c * h * w, outs = n * c * p * q;
    buf x = make(ins, 0), y = make(outs, 0), am = make(outs, 0), dy = make(outs, 0), dx = make(ins, 0);
    for (int64_t i = 0; i < ins; i++) x.h[i] = ties ? (float)(rng_next() % 4) : rng_signed(0.1f, 2.0f);
    if (specials) {
        for (int64_t i = 0; i < h * w; i++) x.h[i] = -INFINITY; /* plane 0: all -inf */
        x.h[h * w + 1] = NAN, x.h[h * w + w + 2] = NAN;          /* plane 1: two NaNs */
    }
    upload(&x);
    int32_t *am_h = (int32_t *)am.h, *am_r = (int32_t *)am.r, *am_d = (int32_t *)am.d;
    TRY(pt_maxpool2d_forward(CPU, n, c, h, w, k, s, pad, x.h, y.h, am_h));
    TRY(pt_maxpool2d_forward(GPU, n, c, h, w, k, s, pad, x.d, y.d, am_d));
    compare("maxpool y", &y, 0, 0, &pool_stats);
    download(&am);
    int64_t bad = 0;
    for (int64_t i = 0; i < outs; i++) bad += am_r[i] != am_h[i];
    CHECK(bad == 0, "maxpool argmax: %lld of %lld differ (first max must win)", (long long)bad, (long long)outs);
    TRY(pt_maxpool2d_forward(GPU, n, c, h, w, k, s, pad, x.d, y.d, NULL));
    compare("maxpool y (argmax NULL)", &y, 0, 0, &pool_stats);
    randomize(&dy, 0.1f, 1.0f, 0.0f);
    TRY(pt_maxpool2d_backward(CPU, n, c, h, w, p, q, dy.h, am_h, dx.h));
    TRY(pt_maxpool2d_backward(GPU, n, c, h, w, p, q, dy.d, am_d, dx.d));
    compare("maxpool dx", &dx, 0, 0, &pool_stats);
    { /* indices made by hand (any in-range index is allowed): repeats far apart within a row */
        for (int64_t i = 0; i < outs; i++) am_r[i] = (int32_t)(rng_next() % (uint64_t)(h * w < 5 ? h * w : 5));
        MUST(pt_cuda_copy(0, am_d, am_r, outs * 4, PT_COPY_HOST_TO_DEVICE));
        MUST(pt_maxpool2d_backward(CPU, n, c, h, w, p, q, dy.h, am_r, dx.h));
        MUST(pt_maxpool2d_backward(GPU, n, c, h, w, p, q, dy.d, am_d, dx.d));
        compare("maxpool dx (hand-made argmax)", &dx, 0, 0, &pool_stats);
        MUST(pt_cuda_copy(0, am_d, am_h, outs * 4, PT_COPY_HOST_TO_DEVICE));
    }
    if (n * c >= 2) { /* a bad index in plane 1: the CPU refuses; CUDA writes NaN over that plane */
        const int32_t saved = am_h[p * q];
        am_h[p * q] = (int32_t)(h * w);
        TRY(pt_cuda_copy(0, am_d, am_h, outs * 4, PT_COPY_HOST_TO_DEVICE));
        CHECK(pt_maxpool2d_backward(CPU, n, c, h, w, p, q, dy.h, am_h, dx.h) == PT_ERR_INVALID_ARGUMENT,
              "CPU maxpool backward accepted a bad argmax");
        TRY(pt_maxpool2d_backward(GPU, n, c, h, w, p, q, dy.d, am_d, dx.d));
        download(&dx);
        int64_t nan_in = 0, nan_out = 0;
        for (int64_t i = 0; i < ins; i++) *(i >= h * w && i < 2 * h * w ? &nan_in : &nan_out) += isnan(dx.r[i]) != 0;
        CHECK(nan_in == h * w, "bad argmax: %lld of %lld dx of its plane are NaN", (long long)nan_in, (long long)(h * w));
        CHECK(nan_out == 0, "bad argmax: %lld NaN outside its plane", (long long)nan_out);
        am_h[p * q] = saved;
    }
    drop(&x), drop(&y), drop(&am), drop(&dy), drop(&dx);
}

static void avgpool_case(int64_t n, int64_t c, int64_t hw) {
    buf x = make(n * c * hw, 0), y = make(n * c, 0);
    randomize(&x, 0.1f, 2.0f, 1.0f);
    TRY(pt_global_avgpool_forward(CPU, n, c, hw, x.h, y.h));
    TRY(pt_global_avgpool_forward(GPU, n, c, hw, x.d, y.d));
    compare("avgpool y", &y, 1e-7, 2.5e-7, &avg_stats);
    randomize(&y, 0.1f, 1.0f, 0.0f);
    TRY(pt_global_avgpool_backward(CPU, n, c, hw, y.h, x.h));
    TRY(pt_global_avgpool_backward(GPU, n, c, hw, y.d, x.d));
    compare("avgpool dx", &x, 0, 0, &avg_stats); /* the same double division, rounded once: exact */
    drop(&x), drop(&y);
}

static void test_pool(void) {
    maxpool_case(2, 3, 9, 9, 3, 2, 1, 0, 1);   /* ResNet's stem pooling, odd size */
    maxpool_case(2, 3, 9, 9, 3, 2, 1, 1, 0);   /* with ties */
    maxpool_case(1, 3, 14, 14, 3, 2, 1, 1, 0); /* even size */
    maxpool_case(3, 1, 8, 10, 2, 2, 0, 1, 0);  /* 2x2 stride 2 */
    maxpool_case(1, 3, 7, 7, 2, 2, 1, 0, 1);   /* 2x2 stride 2 pad 1 */
    maxpool_case(2, 2, 6, 70, 3, 1, 1, 1, 1);  /* overlap 3x3 stride 1, 70 outputs a row: 3 warp slices */
    maxpool_case(1, 2, 5, 5, 5, 3, 2, 1, 0);   /* big windows, stride 3 */
    report("maxpool2d (exact)", &pool_stats);
    static const int64_t ns[] = {1, 3}, cs[] = {1, 3, 17}, hws[] = {1, 7, 49, 1029};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 4; k++) avgpool_case(ns[i], cs[j], hws[k]);
    avgpool_case(2, 3, 196);
    report("global_avgpool", &avg_stats);
}

/* ---------------------------------------------------------------- cross-entropy */

/* Both sides compute in double with the same two roundings of probs (exp stored as a float, then
 * scaled by 1/s); CUDA's double exp/log are within 1 ulp of glibc's: probs to 1 ulp, the loss to
 * 1e-12 relative (row sums in different orders). The backward is the same double expression: exact
 * on the simulator, 1 ulp on a GPU at most. */
static diff_stats ce_stats;

static void cross_entropy_case(int64_t n, int64_t classes, double smoothing) {
    buf z = make(n * classes, 0), pr = make(n * classes, 0), d = make(n * classes, 0), t = make(n, 0);
    randomize(&z, 0.1f, 4.0f, 0.0f);
    int32_t *th = (int32_t *)t.h;
    for (int64_t i = 0; i < n; i++) th[i] = (int32_t)(rng_next() % (uint64_t)classes);
    upload(&t);
    double loss_cpu = 0, loss_gpu = 0;
    TRY(pt_cross_entropy_forward(CPU, n, classes, z.h, th, smoothing, pr.h, &loss_cpu));
    TRY(pt_cross_entropy_forward(GPU, n, classes, z.d, (int32_t *)t.d, smoothing, pr.d, &loss_gpu));
    compare("ce probs", &pr, 1e-9, 2.5e-7, &ce_stats);
    const double dl = fabs(loss_gpu - loss_cpu);
    CHECK(dl <= 1e-12 * fabs(loss_cpu) + 1e-15, "ce loss: cuda %.17g, cpu %.17g", loss_gpu, loss_cpu);
    /* The _nosync forward leaves the loss as a float in device memory (slot 1 of 3, so that a write
     * past it would show): the same double loss, rounded once on each side. */
    float nosync_cpu = 0;
    TRY(pt_cross_entropy_forward_nosync(CPU, n, classes, z.h, th, smoothing, pr.h, &nosync_cpu));
    CHECK(nosync_cpu == (float)loss_cpu, "ce nosync loss on the cpu: %.9g, the plain call %.9g", nosync_cpu, loss_cpu);
    float *slots = device_floats((const float[]){5.0f, 5.0f, 5.0f}, 3);
    TRY(pt_cross_entropy_forward_nosync(GPU, n, classes, z.d, (int32_t *)t.d, smoothing, pr.d, slots + 1));
    float *got = host_floats(slots, 3);
    CHECK(got[0] == 5.0f && got[2] == 5.0f && fabsf(got[1] - (float)loss_cpu) <= 1e-6f * fabsf((float)loss_cpu),
          "ce nosync loss on cuda: slots %.9g %.9g %.9g, cpu %.9g", got[0], got[1], got[2], loss_cpu);
    free(got);
    ce_stats.max_abs = dl > ce_stats.max_abs ? dl : ce_stats.max_abs;
    for (int g = 0; g < 2; g++) {
        const double scale = g ? 0.5 : 1.0;
        TRY(pt_cross_entropy_backward(CPU, n, classes, pr.h, th, smoothing, scale, d.h));
        TRY(pt_cross_entropy_backward(GPU, n, classes, pr.d, (int32_t *)t.d, smoothing, scale, d.d));
        compare("ce dlogits", &d, 1e-9, 2.5e-7, &ce_stats);
    }
    /* A bad target: forward refuses it and writes nothing; the backward's row is NaN. */
    if (n >= 2) {
        th[n - 1] = (int32_t)classes;
        upload(&t);
        TRY(pt_fill(GPU, n * classes, 7.0, pr.d));
        double loss = 42.0;
        CHECK(pt_cross_entropy_forward(GPU, n, classes, z.d, (int32_t *)t.d, smoothing, pr.d, &loss) ==
                  PT_ERR_INVALID_ARGUMENT && strstr(pt_last_error(), "targets[") != NULL,
              "cuda ce forward: bad target not refused (%s)", pt_last_error());
        CHECK(loss == 42.0, "cuda ce forward wrote the loss of a refused call");
        download(&pr);
        int64_t touched = 0;
        for (int64_t i = 0; i < n * classes; i++) touched += pr.r[i] != 7.0f;
        CHECK(touched == 0, "cuda ce forward wrote %lld probs in a refused call", (long long)touched);
        TRY(pt_cross_entropy_backward(GPU, n, classes, pr.d, (int32_t *)t.d, smoothing, 1.0, d.d));
        download(&d);
        int64_t nan_row = 0, nan_other = 0;
        for (int64_t i = 0; i < n * classes; i++) *(i >= (n - 1) * classes ? &nan_row : &nan_other) += isnan(d.r[i]) != 0;
        CHECK(nan_row == classes && nan_other == 0, "cuda ce backward, bad target: %lld NaN in its row, %lld elsewhere",
              (long long)nan_row, (long long)nan_other);
        int64_t correct = -1;
        CHECK(pt_argmax_correct(GPU, n, classes, z.d, (int32_t *)t.d, &correct) == PT_ERR_INVALID_ARGUMENT &&
                  correct == -1,
              "cuda argmax_correct: bad target not refused");
        /* The _nosync calls cannot report: their result is NaN. */
        TRY(pt_cross_entropy_forward_nosync(GPU, n, classes, z.d, (int32_t *)t.d, smoothing, pr.d, slots));
        TRY(pt_argmax_correct_nosync(GPU, n, classes, z.d, (int32_t *)t.d, slots + 2));
        got = host_floats(slots, 3);
        CHECK(isnan(got[0]) && isnan(got[2]), "cuda nosync calls, bad target: loss %g, correct %g (want NaN)", got[0],
              got[2]);
        free(got);
        CHECK(pt_cross_entropy_forward_nosync(CPU, n, classes, z.h, th, smoothing, pr.h, &nosync_cpu) ==
                  PT_ERR_INVALID_ARGUMENT,
              "cpu ce nosync forward: bad target not refused");
    }
    TRY(pt_cuda_free(0, slots));
    drop(&z), drop(&pr), drop(&d), drop(&t);
}

static void argmax_case(int64_t n, int64_t classes) {
    buf z = make(n * classes, 0), t = make(n, 0);
    for (int64_t i = 0; i < n * classes; i++) z.h[i] = (float)(rng_next() % 3); /* ties everywhere */
    if (n > 2 && classes > 2) z.h[classes + 2] = NAN, z.h[2 * classes] = NAN, z.h[2 * classes + 1] = NAN;
    upload(&z);
    int32_t *th = (int32_t *)t.h;
    for (int64_t i = 0; i < n; i++) th[i] = (int32_t)(rng_next() % (uint64_t)(classes < 3 ? classes : 3));
    upload(&t);
    int64_t cpu = -1, gpu = -1;
    TRY(pt_argmax_correct(CPU, n, classes, z.h, th, &cpu));
    TRY(pt_argmax_correct(GPU, n, classes, z.d, (int32_t *)t.d, &gpu));
    CHECK(cpu == gpu, "argmax_correct n=%lld classes=%lld: cuda %lld, cpu %lld", (long long)n, (long long)classes,
          (long long)gpu, (long long)cpu);
    float *count = device_floats(NULL, 1), nosync_cpu = -1;
    TRY(pt_argmax_correct_nosync(GPU, n, classes, z.d, (int32_t *)t.d, count));
    TRY(pt_argmax_correct_nosync(CPU, n, classes, z.h, th, &nosync_cpu));
    float *got = host_floats(count, 1);
    CHECK(*got == (float)cpu && nosync_cpu == (float)cpu, "argmax_correct_nosync: cuda %g, cpu %g, want %lld", *got,
          nosync_cpu, (long long)cpu);
    free(got);
    TRY(pt_cuda_free(0, count));
    drop(&z), drop(&t);
}

static void test_cross_entropy(void) {
    static const int64_t ns[] = {1, 3, 17, 100}, cls[] = {1, 3, 10, 1000};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            if (ns[i] * cls[j] > 20000) continue;
            cross_entropy_case(ns[i], cls[j], 0.0);
            cross_entropy_case(ns[i], cls[j], 0.1);
        }
    report("cross_entropy", &ce_stats);
    static const int64_t an[] = {1, 5, 33, 100}, ac[] = {1, 3, 37, 64};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) argmax_case(an[i], ac[j]);
}

/* ---------------------------------------------------------------- host pointers (simulator) */

static void test_host_pointers(void) {
    float host[8] = {1, 2, 3, 4, 5, 6, 7, 8}, out[8];
    CHECK(pt_relu_forward(GPU, 8, host, out) == PT_ERR_DEVICE, "relu with host pointers: %s", pt_last_error());
    int32_t t[2] = {0, 1};
    double loss = 0;
    CHECK(pt_cross_entropy_forward(GPU, 2, 4, host, t, 0.0, out, &loss) == PT_ERR_DEVICE,
          "ce forward with host pointers: %s", pt_last_error());
    TRY(pt_cuda_synchronize(0));
}

int main(void) {
    int count = 0;
    if (pt_cuda_device_count(&count) != PT_OK) {
        printf("test_cuda_layers: skipped: %s\n", pt_last_error());
        return 77;
    }
    printf("CUDA devices: %d, simulated: %d\n", count, pt_cuda_simulated());
    test_flat();
    test_pool();
    test_cross_entropy();
    test_batchnorm();
    test_batchnorm_relu();
    if (pt_cuda_simulated()) test_host_pointers();
    TRY(pt_cuda_synchronize(0));
    return test_exit_status("test_cuda_layers");
}
