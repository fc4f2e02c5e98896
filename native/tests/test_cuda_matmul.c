/*
 * The CUDA SGEMM and linear layer (cuda/matmul.cu, cuda/linear.cu) against the CPU ones (OpenBLAS)
 * on the same random inputs (never zeros): pt_matmul, pt_linear_forward and pt_linear_backward with
 * PT_DEVICE_CPU on host buffers and PT_DEVICE_CUDA on device buffers, plus the internal
 * pt_cuda_gemm (leading dimensions above the row length, a bias per column or per row, batches,
 * K = 0). Runs on the CUDA simulator (in-order and shuffled thread schedules) and on a GPU; exits
 * 77 (skipped) where CUDA is unusable.
 *
 * Covered: the four transpose combinations; both block tiles (64 x 64 and 128 x 128, forced with
 * pt_cuda_gemm_force, and the size-based choice); split-K (forced, and chosen for a long K); M, N, K of 1, 3, 17, 65, 129, 130 x 67 x 33
 * and others not multiples of any tile, K = 1; alpha / beta pairs including beta = 0 over a c full
 * of NaN (c must not be read) and alpha = 0; operands 16-byte aligned with leading dimensions that
 * are multiples of 4 (the float4 path) and one float past alignment (the scalar path). Every device
 * buffer sits between guard floats that must stay untouched, and the inputs must come back
 * unchanged. A second run of the same product must give the same bits (no split-K, no atomics).
 * Linear: forward with and without bias; backward with and without accumulate, every combination
 * of NULL dx / dweight / dbias; batch 1 and 3 and larger; features not multiples of the tiles.
 * Host pointers given as device pointers are refused with a status naming them.
 *
 * Tolerance of a sum of K products (a dot product, then alpha, beta * c and the bias): each side
 * computes it in float in its own order (blocked, with or without FMA), and the error of any such
 * order is at most gamma_K * sum_k |a_ik| |b_kj| ~ K * u * S (u = 2^-24; Higham, "Accuracy and
 * Stability of Numerical Algorithms", 3.1), plus one rounding of the magnitude for each of
 * alpha *, + beta * c and + bias. Both sides are within that of the exact value, so
 *   |cuda - cpu| <= 2 * (K + 4) * u * (|alpha| * S + |beta * c| + |bias|)
 * with S computed in double on the host. A product that drops or repeats one term is off by about
 * S / K, above this for the K of the simulated cases (K <= 300: 2 * 304 * u < 4e-5 against
 * 1 / K > 3e-3; K = 1100, the split-K cases: 1.3e-4 against 9e-4). The GPU's extra K = 4608 case
 * only catches a lost K slice (256 terms), as the bound grows with K. Observed errors are far below
 * the bound (they grow like sqrt(K)): the run prints the largest fraction of a tolerance used.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/dense_kernels.h"
#include "cuda/matmul_cuda.h"
#include "panoptim.h"
#include "test_support.h"

#define DEV 0
#define GUARD 4               /* floats before (less the misalignment) and after every device buffer */
#define GUARD_VALUE 12345.0f  /* what the guards hold */
#define U 0x1p-24             /* unit roundoff of float */

static double worst_used;
static char worst_what[256];
static void *stream;

#define TRY(call)                                                                                          \
    do {                                                                                                   \
        int s_ = (call);                                                                                   \
        if (s_ != PT_OK) {                                                                                 \
            fprintf(stderr, "FAIL %s:%d: %s: status %d (%s)\n", __FILE__, __LINE__, #call, s_, pt_last_error()); \
            exit(1);                                                                                       \
        }                                                                                                  \
    } while (0)

static float *xmalloc(int64_t count) {
    float *p = malloc((size_t)(count > 0 ? count : 1) * sizeof(float));
    if (!p) exit(2);
    return p;
}

static float *random_floats(int64_t count) {
    float *p = xmalloc(count);
    for (int64_t i = 0; i < count; i++) p[i] = rng_signed(0.1f, 1.0f);
    return p;
}

static float *nan_floats(int64_t count) {
    float *p = xmalloc(count);
    for (int64_t i = 0; i < count; i++) p[i] = NAN;
    return p;
}

/* A device buffer of `count` floats starting `shift` floats (0 or 1) past a 16-byte boundary, with
 * guards on both sides; filled from `host` (or left as the allocator made it when NULL). */
typedef struct dbuf {
    float *base, *p;
    int64_t count, shift;
} dbuf;

static dbuf dev_buffer(const float *host, int64_t count, int shift) {
    dbuf d = {NULL, NULL, count, shift};
    const int64_t total = GUARD + count + GUARD;
    TRY(pt_cuda_malloc(DEV, total * (int64_t)sizeof(float), (void **)&d.base));
    float *guards = xmalloc(total);
    for (int64_t i = 0; i < total; i++) guards[i] = GUARD_VALUE;
    if (host) memcpy(guards + GUARD - shift, host, (size_t)count * sizeof(float));
    else
        for (int64_t i = 0; i < count; i++) guards[GUARD - shift + i] = NAN;
    TRY(pt_cuda_copy(DEV, d.base, guards, total * (int64_t)sizeof(float), PT_COPY_HOST_TO_DEVICE));
    free(guards);
    d.p = d.base + GUARD - shift;
    return d;
}

/* Downloads the buffer into out (count floats) and checks its guards. */
static void dev_download(const char *what, dbuf d, float *out) {
    const int64_t total = GUARD + d.count + GUARD;
    float *all = xmalloc(total);
    TRY(pt_cuda_copy(DEV, all, d.base, total * (int64_t)sizeof(float), PT_COPY_DEVICE_TO_HOST));
    for (int64_t i = 0; i < total; i++) {
        const int64_t at = i - (GUARD - d.shift);
        if (at >= 0 && at < d.count) continue;
        if (!(all[i] == GUARD_VALUE)) {
            CHECK(0, "%s: guard float %lld (%s the buffer) was written: %g", what, (long long)(at < 0 ? -at : at - d.count),
                  at < 0 ? "before" : "after", all[i]);
            break;
        }
    }
    if (out) memcpy(out, all + GUARD - d.shift, (size_t)d.count * sizeof(float));
    free(all);
}

static void dev_free(dbuf d) { TRY(pt_cuda_free(DEV, d.base)); }

static void expect_unchanged(const char *what, dbuf d, const float *host) {
    float *now = xmalloc(d.count);
    dev_download(what, d, now);
    CHECK(memcmp(now, host, (size_t)d.count * sizeof(float)) == 0, "%s: an input was written", what);
    free(now);
}

/* |got - ref| <= 2 (K + 4) u scale[i], element by element (scale as in the header). */
static void expect_close(const char *what, const float *got, const float *ref, const double *scale, int64_t count,
                         int64_t k) {
    const double factor = 2.0 * (double)(k + 4) * U;
    int64_t bad = 0;
    for (int64_t i = 0; i < count; i++) {
        const double tol = factor * scale[i] + 1e-37, d = fabs((double)got[i] - (double)ref[i]);
        if (d / tol > worst_used || d != d) {
            worst_used = d != d ? INFINITY : d / tol;
            snprintf(worst_what, sizeof worst_what, "%s", what);
        }
        if (d <= tol) continue;
        if (bad++ == 0)
            fprintf(stderr, "FAIL %s[%lld]: cuda %.9g, cpu %.9g (|diff| %.3g > tol %.3g)\n", what, (long long)i, got[i],
                    ref[i], d, tol);
    }
    if (bad) test_failures++;
}

/* scale[i][j] = |alpha| * sum_k |op(a)_ik| |op(b)_kj| + |beta * c0_ij| + |bias| (c0 NULL: 0). */
static double *product_scale(int ta, int tb, int64_t m, int64_t n, int64_t k, const float *a, int64_t lda,
                             const float *b, int64_t ldb, double alpha, double beta, const float *c0, int64_t ldc,
                             const float *bias, int bias_kind) {
    double *s = malloc(sizeof(double) * (size_t)(m * n));
    if (!s) exit(2);
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            double t = 0;
            for (int64_t p = 0; p < k; p++)
                t += fabs((double)(ta ? a[p * lda + i] : a[i * lda + p])) * fabs((double)(tb ? b[j * ldb + p] : b[p * ldb + j]));
            t *= fabs(alpha);
            if (c0 && beta != 0) t += fabs(beta * c0[i * ldc + j]);
            if (bias_kind == PT_GEMM_BIAS_COLS) t += fabs(bias[j]);
            if (bias_kind == PT_GEMM_BIAS_ROWS) t += fabs(bias[i]);
            s[i * n + j] = t;
        }
    return s;
}

/* ---------------------------------------------------------------- pt_matmul */

static const double scalars[][2] = {{1.0, 0.0}, {0.75, -0.5}, {-1.25, 1.0}, {0.0, 2.0}}; /* (alpha, beta) */
#define NUM_SCALARS 4

/* One product through the public API on both devices; `shift` moves every device operand. */
static void matmul_case(int ta, int tb, int64_t m, int64_t n, int64_t k, int scalar, int shift, int tile, int splits) {
    const double alpha = scalars[scalar][0], beta = scalars[scalar][1];
    char what[256];
    snprintf(what, sizeof what, "pt_matmul ta=%d tb=%d m=%lld n=%lld k=%lld alpha=%g beta=%g shift=%d tile=%d splits=%d",
             ta, tb, (long long)m, (long long)n, (long long)k, alpha, beta, shift, tile, splits);
    pt_cuda_gemm_force(tile, splits);
    float *a = random_floats(m * k), *b = random_floats(k * n);
    float *c0 = beta == 0 ? nan_floats(m * n) : random_floats(m * n);
    float *cpu = xmalloc(m * n), *got = xmalloc(m * n), *again = xmalloc(m * n);
    memcpy(cpu, c0, (size_t)(m * n) * sizeof(float));
    TRY(pt_matmul(PT_DEVICE_CPU, ta, tb, m, n, k, alpha, a, b, beta, cpu));

    dbuf da = dev_buffer(a, m * k, shift), db = dev_buffer(b, k * n, shift), dc = dev_buffer(c0, m * n, shift);
    TRY(pt_matmul(PT_DEVICE_CUDA, ta, tb, m, n, k, alpha, da.p, db.p, beta, dc.p));
    dev_download(what, dc, got);
    double *scale = product_scale(ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, alpha, beta, c0, n, NULL, 0);
    expect_close(what, got, cpu, scale, m * n, k);
    expect_unchanged(what, da, a);
    expect_unchanged(what, db, b);

    if (scalar == 1) { /* the same call again: the same bits */
        TRY(pt_cuda_copy(DEV, dc.p, c0, m * n * (int64_t)sizeof(float), PT_COPY_HOST_TO_DEVICE));
        TRY(pt_matmul(PT_DEVICE_CUDA, ta, tb, m, n, k, alpha, da.p, db.p, beta, dc.p));
        dev_download(what, dc, again);
        CHECK(memcmp(got, again, (size_t)(m * n) * sizeof(float)) == 0, "%s: a second run gave other bits", what);
    }
    pt_cuda_gemm_force(0, 0);
    dev_free(da), dev_free(db), dev_free(dc);
    free(a), free(b), free(c0), free(cpu), free(got), free(again), free(scale);
}

static void matmul_tests(void) {
    /* (m, n, k): single elements, K = 1, odd sizes on both sides of the tiles, exact tiles with
     * multiples of 4 (the float4 path when aligned), and the 130 x 67 x 33. */
    static const int64_t shapes[][3] = {{1, 1, 1},    {1, 7, 1},     {3, 5, 1},    {1, 1, 300},   {17, 17, 17},
                                        {65, 33, 129}, {130, 67, 33}, {129, 130, 3}, {64, 64, 64}, {128, 132, 36},
                                        {200, 9, 40},  {5, 300, 12},  {3, 17, 65}};
    const int num_shapes = (int)(sizeof shapes / sizeof shapes[0]);
    /* (tile, K slices): each tile alone, the size-based choice, each tile split in 3 (slices of
     * 16 k and more: K = 17 gives 16 + 1, K = 33 16 + 16 + 1, K = 1 stays whole). */
    static const int configs[][2] = {{64, 1}, {128, 1}, {0, 0}, {64, 3}, {128, 3}};
    int count = 0;
    for (int t = 0; t < 5; t++)
        for (int ta = 0; ta < 2; ta++)
            for (int tb = 0; tb < 2; tb++)
                for (int s = 0; s < num_shapes; s++)
                    for (int shift = 0; shift < 2; shift++, count++)
                        matmul_case(ta, tb, shapes[s][0], shapes[s][1], shapes[s][2], count % NUM_SCALARS, shift,
                                    configs[t][0], configs[t][1]);
    /* The 128 x 128 tile by the size-based choice (at least one block per multiprocessor), float4
     * paths, several K steps; a tail in every direction; split-K by the size-based choice (one
     * 64 x 64 block, K = 1100: 5 slices of 224 and a last of 204). A GPU also takes large ones. */
    matmul_case(0, 0, 2048, 1040, 8, 0, 0, 0, 0);
    matmul_case(1, 1, 257, 263, 70, 1, 0, 128, 0);
    matmul_case(0, 0, 60, 50, 1100, 1, 0, 0, 0);
    matmul_case(1, 0, 61, 64, 1100, 2, 1, 0, 0);
    if (!pt_cuda_simulated()) { /* sized for bin/gpu-check's compute-sanitizer runs too */
        matmul_case(0, 1, 777, 555, 333, 2, 0, 0, 0);
        matmul_case(0, 0, 512, 64, 4608, 1, 0, 0, 0); /* ResNet-34's layer4 3x3 as one GEMM: 18 slices */
    }
}

/* ---------------------------------------------------------------- pt_cuda_gemm */

/* Leading dimensions beyond the row length, a bias, batches of strided products. The reference:
 * pt_cpu_sgemm per product, then the bias added on the host. */
static void gemm_case(int ta, int tb, int64_t m, int64_t n, int64_t k, int bias_kind, int64_t batch, int pad,
                      int shift, int tile, int splits, float beta) {
    const float alpha = 0.5f;
    char what[256];
    snprintf(what, sizeof what,
             "pt_cuda_gemm ta=%d tb=%d m=%lld n=%lld k=%lld bias=%d batch=%lld pad=%d shift=%d tile=%d splits=%d beta=%g", ta,
             tb, (long long)m, (long long)n, (long long)k, bias_kind, (long long)batch, pad, shift, tile, splits, beta);
    const int64_t lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
    const int64_t sa = (ta ? k : m) * lda, sb = (tb ? n : k) * ldb, sc = m * ldc + 3; /* +3: unaligned strides */
    const int64_t na = batch * sa, nb = batch * sb, nc = batch * sc;
    float *a = random_floats(na), *b = random_floats(nb), *c0 = beta == 0 ? nan_floats(nc) : random_floats(nc);
    float *bias = random_floats(m > n ? m : n), *cpu = xmalloc(nc), *got = xmalloc(nc);
    memcpy(cpu, c0, (size_t)nc * sizeof(float));
    for (int64_t z = 0; z < batch; z++) {
        float *c = cpu + z * sc;
        pt_cpu_sgemm(ta, tb, m, n, k, alpha, a + z * sa, lda, b + z * sb, ldb, beta, c, ldc);
        for (int64_t i = 0; i < m; i++)
            for (int64_t j = 0; j < n; j++)
                c[i * ldc + j] += bias_kind == PT_GEMM_BIAS_COLS ? bias[j] : bias_kind == PT_GEMM_BIAS_ROWS ? bias[i] : 0.0f;
    }
    dbuf da = dev_buffer(a, na, shift), db = dev_buffer(b, nb, shift), dc = dev_buffer(c0, nc, shift);
    dbuf dbias = dev_buffer(bias, m > n ? m : n, 0);
    const pt_gemm g = {ta, tb, m, n, k, alpha, beta, da.p, lda, db.p, ldb, dc.p, ldc,
                       bias_kind ? dbias.p : NULL, bias_kind, batch, sa, sb, sc,
                       PT_DTYPE_FLOAT32, PT_DTYPE_FLOAT32, PT_DTYPE_FLOAT32};
    pt_cuda_gemm_force(tile, splits);
    TRY(pt_cuda_gemm("test", stream, &g));
    pt_cuda_gemm_force(0, 0);
    dev_download(what, dc, got);
    for (int64_t z = 0; z < batch; z++) {
        double *scale = product_scale(ta, tb, m, n, k, a + z * sa, lda, b + z * sb, ldb, alpha, beta, c0 + z * sc, ldc,
                                      bias, bias_kind);
        for (int64_t i = 0; i < m; i++) {
            /* Row by row: the padding between rows (and after each product) keeps its old contents. */
            expect_close(what, got + z * sc + i * ldc, cpu + z * sc + i * ldc, scale + i * n, n, k);
            const int64_t end = i + 1 < m ? (i + 1) * ldc : sc;
            for (int64_t j = i * ldc + n; j < end && z * sc + j < nc; j++)
                if (memcmp(&got[z * sc + j], &c0[z * sc + j], sizeof(float)) != 0) {
                    CHECK(0, "%s: padding at %lld of product %lld written", what, (long long)j, (long long)z);
                    break;
                }
        }
        free(scale);
    }
    expect_unchanged(what, da, a);
    expect_unchanged(what, db, b);
    dev_free(da), dev_free(db), dev_free(dc), dev_free(dbias);
    free(a), free(b), free(c0), free(bias), free(cpu), free(got);
}

static void gemm_tests(void) {
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            gemm_case(ta, tb, 33, 70, 21, PT_GEMM_BIAS_COLS, 1, 4, 0, 64, 1, 0.0f);   /* padded rows, aligned: float4 */
            gemm_case(ta, tb, 70, 33, 21, PT_GEMM_BIAS_ROWS, 1, 3, 0, 128, 1, 1.0f);  /* padded rows, unaligned */
            gemm_case(ta, tb, 9, 19, 13, PT_GEMM_BIAS_NONE, 3, 0, 1, 64, 1, 1.0f);    /* a batch of 3 */
            gemm_case(ta, tb, 33, 70, 50, PT_GEMM_BIAS_COLS, 1, 4, 0, 64, 3, 1.0f);   /* split-K, aligned */
            gemm_case(ta, tb, 70, 33, 50, PT_GEMM_BIAS_ROWS, 1, 1, 1, 128, 2, 0.0f);  /* split-K, unaligned */
        }
    gemm_case(0, 1, 65, 66, 67, PT_GEMM_BIAS_ROWS, 2, 1, 0, 128, 3, 1.0f); /* a batch is never split */

    /* K = 0: c = beta * c + bias, a and b never read (NULL). */
    float c0[6] = {1, 2, 3, 4, 5, 6}, bias[3] = {0.5f, -1, 2}, got[6];
    dbuf dc = dev_buffer(c0, 6, 0), db = dev_buffer(bias, 3, 0);
    const pt_gemm g = {0, 0, 2, 3, 0, 1.0f, 2.0f, NULL, 1, NULL, 1, dc.p, 3, db.p, PT_GEMM_BIAS_COLS, 1, 0, 0, 0,
                       PT_DTYPE_FLOAT32, PT_DTYPE_FLOAT32, PT_DTYPE_FLOAT32};
    TRY(pt_cuda_gemm("test", stream, &g));
    dev_download("pt_cuda_gemm k=0", dc, got);
    for (int i = 0; i < 6; i++)
        CHECK(got[i] == 2.0f * c0[i] + bias[i % 3], "pt_cuda_gemm k=0: c[%d] = %g, want %g", i, got[i], 2.0f * c0[i] + bias[i % 3]);
    /* alpha = 0: a and b are not read either (BLAS), NaN in them or not. */
    float nans[6] = {NAN, NAN, NAN, NAN, NAN, NAN}, before[6];
    dbuf dn = dev_buffer(nans, 6, 0);
    memcpy(before, got, sizeof got);
    pt_gemm z = g;
    z.k = 2, z.alpha = 0.0f, z.beta = 0.5f, z.a = dn.p, z.lda = 2, z.b = dn.p, z.ldb = 3, z.bias = NULL, z.bias_kind = 0;
    TRY(pt_cuda_gemm("test", stream, &z));
    dev_download("pt_cuda_gemm alpha=0", dc, got);
    for (int i = 0; i < 6; i++)
        CHECK(got[i] == 0.5f * before[i], "pt_cuda_gemm alpha=0: c[%d] = %g, want %g", i, got[i], 0.5f * before[i]);
    dev_free(dn);
    /* Misuse of the internal entry is a status, not a launch. */
    pt_gemm bad = g;
    bad.ldc = 2;
    CHECK(pt_cuda_gemm("test", stream, &bad) == PT_ERR_INVALID_ARGUMENT && strstr(pt_last_error(), "ldc"),
          "ldc < n: %s", pt_last_error());
    bad = g, bad.bias_kind = 7;
    CHECK(pt_cuda_gemm("test", stream, &bad) == PT_ERR_INVALID_ARGUMENT && strstr(pt_last_error(), "bias_kind"),
          "bias_kind 7: %s", pt_last_error());
    bad = g, bad.m = (int64_t)1 << 31;
    CHECK(pt_cuda_gemm("test", stream, &bad) == PT_ERR_UNSUPPORTED && strstr(pt_last_error(), "m = 2147483648"),
          "m = 2^31: %s", pt_last_error());
    bad = g, bad.lda = 0, bad.k = 2;
    CHECK(pt_cuda_gemm("test", stream, &bad) == PT_ERR_INVALID_ARGUMENT && strstr(pt_last_error(), "lda"),
          "lda < k: %s", pt_last_error());
    bad = g, bad.m = 0;
    CHECK(pt_cuda_gemm("test", stream, &bad) == PT_OK, "m = 0 is nothing to do: %s", pt_last_error());
    dev_free(dc), dev_free(db);
}

/* ---------------------------------------------------------------- linear */

static void linear_case(int64_t n, int64_t in, int64_t out, int tile) {
    char what[256];
    float *x = random_floats(n * in), *w = random_floats(out * in), *bias = random_floats(out);
    float *dy = random_floats(n * out), *y_cpu = xmalloc(n * out), *y = xmalloc(n * out);
    dbuf dx_in = dev_buffer(x, n * in, 0), dw = dev_buffer(w, out * in, 0), db = dev_buffer(bias, out, 0);
    dbuf ddy = dev_buffer(dy, n * out, 0), dyb = dev_buffer(NULL, n * out, 0);
    pt_cuda_gemm_force(tile, 0);

    for (int with_bias = 0; with_bias < 2; with_bias++) {
        snprintf(what, sizeof what, "pt_linear_forward n=%lld in=%lld out=%lld bias=%d tile=%d", (long long)n,
                 (long long)in, (long long)out, with_bias, tile);
        TRY(pt_linear_forward(PT_DEVICE_CPU, n, in, out, x, w, with_bias ? bias : NULL, y_cpu));
        TRY(pt_linear_forward(PT_DEVICE_CUDA, n, in, out, dx_in.p, dw.p, with_bias ? db.p : NULL, dyb.p));
        dev_download(what, dyb, y);
        double *scale = product_scale(0, 1, n, out, in, x, in, w, in, 1.0, 0.0, NULL, out, bias,
                                      with_bias ? PT_GEMM_BIAS_COLS : PT_GEMM_BIAS_NONE);
        expect_close(what, y, y_cpu, scale, n * out, in);
        free(scale);
    }

    /* Backward: scales of dx (K = OUT), dweight (K = N, plus the old value when accumulating) and
     * dbias (double sums on both sides: a few roundings of sum |dy|). */
    double *s_dx = product_scale(0, 0, n, in, out, dy, out, w, in, 1.0, 0.0, NULL, in, NULL, 0);
    float *dw_old = random_floats(out * in), *dbias_old = random_floats(out);
    for (int accumulate = 0; accumulate < 2; accumulate++) {
        double *s_dw = product_scale(1, 0, out, in, n, dy, out, x, in, 1.0, accumulate ? 1.0 : 0.0, dw_old, in, NULL, 0);
        double *s_db = malloc(sizeof(double) * (size_t)out);
        for (int64_t o = 0; o < out; o++) {
            double t = accumulate ? fabs(dbias_old[o]) : 0.0;
            for (int64_t i = 0; i < n; i++) t += fabs(dy[i * out + o]);
            s_db[o] = t;
        }
        for (int mask = 0; mask < 8; mask++) {
            const int want_dx = mask & 1, want_dw = mask & 2, want_db = mask & 4;
            snprintf(what, sizeof what, "pt_linear_backward n=%lld in=%lld out=%lld accumulate=%d outputs=%s%s%s tile=%d",
                     (long long)n, (long long)in, (long long)out, accumulate, want_dx ? "dx," : "",
                     want_dw ? "dweight," : "", want_db ? "dbias" : "", tile);
            /* Overwritten outputs start as NaN on the device, added-to ones as dw_old / dbias_old. */
            float *c_dx = xmalloc(n * in), *c_dw = xmalloc(out * in), *c_db = xmalloc(out);
            memcpy(c_dw, dw_old, (size_t)(out * in) * sizeof(float));
            memcpy(c_db, dbias_old, (size_t)out * sizeof(float));
            TRY(pt_linear_backward(PT_DEVICE_CPU, n, in, out, x, w, dy, want_dx ? c_dx : NULL, want_dw ? c_dw : NULL,
                                   want_db ? c_db : NULL, accumulate));
            dbuf gdx = dev_buffer(NULL, n * in, 0);
            dbuf gdw = dev_buffer(accumulate ? dw_old : NULL, out * in, 0);
            dbuf gdb = dev_buffer(accumulate ? dbias_old : NULL, out, 0);
            TRY(pt_linear_backward(PT_DEVICE_CUDA, n, in, out, dx_in.p, dw.p, ddy.p, want_dx ? gdx.p : NULL,
                                   want_dw ? gdw.p : NULL, want_db ? gdb.p : NULL, accumulate));
            float *g_dx = xmalloc(n * in), *g_dw = xmalloc(out * in), *g_db = xmalloc(out);
            dev_download(what, gdx, g_dx);
            dev_download(what, gdw, g_dw);
            dev_download(what, gdb, g_db);
            char part[300];
            if (want_dx) {
                snprintf(part, sizeof part, "%s: dx", what);
                expect_close(part, g_dx, c_dx, s_dx, n * in, out);
            } else {
                CHECK(isnan(g_dx[0]) && isnan(g_dx[n * in - 1]), "%s: dx written though NULL", what);
            }
            if (want_dw) {
                snprintf(part, sizeof part, "%s: dweight", what);
                expect_close(part, g_dw, c_dw, s_dw, out * in, n);
            } else {
                CHECK(accumulate ? memcmp(g_dw, dw_old, (size_t)(out * in) * sizeof(float)) == 0 : isnan(g_dw[0]),
                      "%s: dweight touched though NULL", what);
            }
            if (want_db) {
                snprintf(part, sizeof part, "%s: dbias", what);
                expect_close(part, g_db, c_db, s_db, out, 0); /* (0 + 4) * 2u: a few roundings */
            } else {
                CHECK(accumulate ? memcmp(g_db, dbias_old, (size_t)out * sizeof(float)) == 0 : isnan(g_db[0]),
                      "%s: dbias touched though NULL", what);
            }
            dev_free(gdx), dev_free(gdw), dev_free(gdb);
            free(c_dx), free(c_dw), free(c_db), free(g_dx), free(g_dw), free(g_db);
        }
        free(s_dw), free(s_db);
    }
    snprintf(what, sizeof what, "pt_linear n=%lld in=%lld out=%lld inputs", (long long)n, (long long)in, (long long)out);
    expect_unchanged(what, dx_in, x);
    expect_unchanged(what, dw, w);
    expect_unchanged(what, db, bias);
    expect_unchanged(what, ddy, dy);
    pt_cuda_gemm_force(0, 0);
    dev_free(dx_in), dev_free(dw), dev_free(db), dev_free(ddy), dev_free(dyb);
    free(x), free(w), free(bias), free(dy), free(y_cpu), free(y), free(s_dx), free(dw_old), free(dbias_old);
}

static void linear_tests(void) {
    linear_case(1, 1, 1, 0);
    linear_case(3, 5, 7, 0);
    linear_case(1, 130, 67, 0);
    linear_case(3, 67, 130, 128);
    linear_case(70, 33, 10, 0);
    linear_case(129, 65, 3, 64);
    if (!pt_cuda_simulated()) linear_case(256, 500, 300, 0);
}

/* ---------------------------------------------------------------- host pointers */

static void host_pointer_tests(void) {
    float host[16] = {0};
    dbuf d = dev_buffer(host, 16, 0);
    pt_clear_error();
    int s = pt_matmul(PT_DEVICE_CUDA, 0, 0, 2, 2, 2, 1.0, host, d.p, 0.0, d.p);
    CHECK(s == PT_ERR_INVALID_ARGUMENT && strstr(pt_last_error(), "a = ") && strstr(pt_last_error(), "host memory"),
          "pt_matmul with a host a: status %d, \"%s\"", s, pt_last_error());
    s = pt_matmul(PT_DEVICE_CUDA, 0, 0, 2, 2, 2, 1.0, d.p, d.p, 0.0, host);
    CHECK(s == PT_ERR_INVALID_ARGUMENT && strstr(pt_last_error(), "c = "), "pt_matmul with a host c: %d, \"%s\"", s,
          pt_last_error());
    s = pt_linear_forward(PT_DEVICE_CUDA, 2, 2, 2, d.p, d.p, host, d.p);
    CHECK(s == PT_ERR_INVALID_ARGUMENT && strstr(pt_last_error(), "bias = "), "pt_linear_forward with a host bias: %d, \"%s\"",
          s, pt_last_error());
    s = pt_linear_backward(PT_DEVICE_CUDA, 2, 2, 2, d.p, d.p, d.p, NULL, NULL, host, 0);
    CHECK(s == PT_ERR_INVALID_ARGUMENT && strstr(pt_last_error(), "dbias = "),
          "pt_linear_backward with a host dbias: %d, \"%s\"", s, pt_last_error());
    float back[16];
    dev_download("host pointers", d, back);
    CHECK(memcmp(back, host, sizeof back) == 0, "a refused call wrote device memory");
    dev_free(d);
}

int main(void) {
    int count = 0;
    if (pt_cuda_device_count(&count) != PT_OK) {
        if (!pt_cuda_simulated()) {
            printf("test_cuda_matmul: skipped: %s\n", pt_last_error());
            return 77;
        }
        CHECK(0, "the simulator has no device: %s", pt_last_error());
        return test_exit_status("test_cuda_matmul");
    }
    TRY(pt_cuda_set_device(DEV));
    TRY(pt_cuda_stream(DEV, &stream));
    matmul_tests();
    gemm_tests();
    linear_tests();
    host_pointer_tests();
    TRY(pt_cuda_synchronize(DEV));
    printf("test_cuda_matmul: largest fraction of a tolerance used %.3g (%s)\n", worst_used, worst_what);
    return test_exit_status("test_cuda_matmul");
}
