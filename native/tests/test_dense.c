/*
 * Parity of the fast dense kernels (through the public API, device CPU: OpenBLAS sgemm, im2col,
 * col2im) with the direct-loop references (pt_reference_*), and a gradient check of the reference
 * backwards against central differences of the reference forwards.
 *
 * Inputs are random and never zero (rng_signed(0.1, 1)), shapes are odd on purpose. Backward
 * outputs are prefilled with NaN where they must be overwritten (dx always; dweight and dbias
 * when !accumulate), and with random values where they are added to, so that "overwrite" and
 * "accumulate" cannot pass by accident. Every combination of NULL dx / dweight / dbias is run,
 * and the inputs must come back bit for bit unchanged.
 *
 * Tolerances: the references accumulate in double and round once; sgemm accumulates in float
 * (with FMA, blocked), so a sum of L products of magnitude < 1 carries an error of a few ulps of
 * its partial sums, growing like sqrt(L). Each check uses |fast - ref| <= atol + rtol * |ref| with
 * atol = SUM_ATOL * sqrt(L) and rtol = SUM_RTOL, L written at the check; the run prints the largest
 * fraction of the tolerance used (a wrong tap or index gives errors of O(0.1), far above it).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/dense_kernels.h"
#include "panoptim.h"
#include "test_support.h"

#define CPU PT_DEVICE_CPU
#define SUM_ATOL 2e-6
#define SUM_RTOL 1e-5

static double worst_used; /* largest fraction of a tolerance used by any check, and which */
static char worst_what[160];

static float *alloc_floats(int64_t n) {
    float *p = malloc((size_t)n * sizeof(float));
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

static float *random_floats(int64_t n) {
    float *p = alloc_floats(n);
    for (int64_t i = 0; i < n; i++) p[i] = rng_signed(0.1f, 1.0f);
    return p;
}

static float *copy_floats(const float *src, int64_t n) {
    float *p = alloc_floats(n);
    memcpy(p, src, (size_t)n * sizeof(float));
    return p;
}

static void fill(float *p, int64_t n, float value) {
    for (int64_t i = 0; i < n; i++) p[i] = value;
}

/* |got - ref| <= SUM_ATOL * sqrt(terms) + SUM_RTOL * |ref|, element by element: the tolerance of
 * a float sum of `terms` products of magnitude < 1 against its double-accumulated reference. */
static void expect_sum_close(const char *what, const float *got, const float *ref, int64_t n, int64_t terms) {
    diff_stats st = {0, 0};
    check_close(what, got, ref, n, SUM_ATOL * sqrt((double)terms), SUM_RTOL, &st);
    if (st.max_used > worst_used) {
        worst_used = st.max_used;
        snprintf(worst_what, sizeof worst_what, "%s", what);
    }
}

static void expect_unchanged(const char *what, const float *now, const float *before, int64_t n) {
    CHECK(memcmp(now, before, (size_t)n * sizeof(float)) == 0, "%s was written", what);
}

/* The weight grad on oneDNN: its JIT kernels sum the N*P*Q products of a dweight element in one
 * float32 register in long runs, so the rounding error grows with the number of terms (about
 * 2^-24 * terms * |partial sum|, the partial sums of these products staying below ~0.5 on
 * average), not with its square root as in OpenBLAS's blocked sums; measured: 0.0047 at 180,000
 * terms. libtorch's CPU convolutions sum the same way. */
static int conv_on_onednn;
static void expect_weight_grad_close(const char *what, const float *got, const float *ref, int64_t n, int64_t terms) {
    if (!conv_on_onednn) {
        expect_sum_close(what, got, ref, n, terms);
        return;
    }
    diff_stats st = {0, 0};
    check_close(what, got, ref, n, SUM_ATOL * sqrt((double)terms) + 0x1p-24 * 0.5 * (double)terms, SUM_RTOL, &st);
    if (st.max_used > worst_used) {
        worst_used = st.max_used;
        snprintf(worst_what, sizeof worst_what, "%.140s (oneDNN)", what);
    }
}

/* ---------------------------------------------------------------- matmul */

static void matmul_case(int64_t m, int64_t n, int64_t k) {
    static const double scalars[][2] = {{1.0, 0.0}, {0.75, -0.5}, {-1.25, 1.0}}; /* (alpha, beta) */
    float *a = random_floats(m * k), *b = random_floats(k * n), *c0 = random_floats(m * n);
    float *a0 = copy_floats(a, m * k), *b0 = copy_floats(b, k * n);
    float *c = alloc_floats(m * n), *ref = alloc_floats(m * n);
    char what[128];
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++)
            for (size_t sc = 0; sc < sizeof scalars / sizeof scalars[0]; sc++) {
                const double alpha = scalars[sc][0], beta = scalars[sc][1];
                /* beta == 0: c is only written, so a NaN in it must not leak (BLAS's rule). */
                if (beta == 0.0) fill(c, m * n, NAN), fill(ref, m * n, NAN);
                else memcpy(c, c0, (size_t)(m * n) * sizeof(float)), memcpy(ref, c0, (size_t)(m * n) * sizeof(float));
                const int status = pt_matmul(CPU, ta, tb, m, n, k, alpha, a, b, beta, c);
                CHECK(status == PT_OK, "pt_matmul: status %d (%s)", status, pt_last_error());
                pt_reference_matmul(ta, tb, m, n, k, alpha, a, b, beta, ref);
                snprintf(what, sizeof what, "matmul m%lld n%lld k%lld ta%d tb%d alpha %g beta %g", (long long)m,
                         (long long)n, (long long)k, ta, tb, alpha, beta);
                /* k products, scaled by |alpha| <= 1.25, plus beta*c: L = k + 1 */
                expect_sum_close(what, c, ref, m * n, k + 1);
                expect_unchanged("matmul a", a, a0, m * k);
                expect_unchanged("matmul b", b, b0, k * n);
            }
    free(a), free(b), free(c0), free(a0), free(b0), free(c), free(ref);
}

/* ---------------------------------------------------------------- linear */

static void linear_case(int64_t n, int64_t in, int64_t out) {
    float *x = random_floats(n * in), *w = random_floats(out * in), *b = random_floats(out);
    float *dy = random_floats(n * out);
    float *x0 = copy_floats(x, n * in), *w0 = copy_floats(w, out * in), *b0 = copy_floats(b, out);
    float *dy0 = copy_floats(dy, n * out);
    float *y = alloc_floats(n * out), *y_ref = alloc_floats(n * out);
    char what[128];

    for (int with_bias = 0; with_bias < 2; with_bias++) {
        const float *bias = with_bias ? b : NULL;
        fill(y, n * out, NAN);
        const int status = pt_linear_forward(CPU, n, in, out, x, w, bias, y);
        CHECK(status == PT_OK, "pt_linear_forward: status %d (%s)", status, pt_last_error());
        pt_reference_linear_forward(n, in, out, x, w, bias, y_ref);
        snprintf(what, sizeof what, "linear n%lld in%lld out%lld bias%d: y", (long long)n, (long long)in,
                 (long long)out, with_bias);
        expect_sum_close(what, y, y_ref, n * out, in + 1); /* IN products + bias */
    }

    /* Backward: the reference computes every output once per accumulate mode; the fast kernel runs
     * with each subset of the outputs (the others NULL). */
    float *dw_start = random_floats(out * in), *db_start = random_floats(out);
    float *dx = alloc_floats(n * in), *dw = alloc_floats(out * in), *db = alloc_floats(out);
    float *dx_ref = alloc_floats(n * in), *dw_ref = alloc_floats(out * in), *db_ref = alloc_floats(out);
    for (int accumulate = 0; accumulate < 2; accumulate++) {
        memcpy(dw_ref, dw_start, (size_t)(out * in) * sizeof(float));
        memcpy(db_ref, db_start, (size_t)out * sizeof(float));
        pt_reference_linear_backward(n, in, out, x, w, dy, dx_ref, dw_ref, db_ref, accumulate);
        for (int mask = 0; mask < 8; mask++) {
            fill(dx, n * in, NAN);
            if (accumulate) {
                memcpy(dw, dw_start, (size_t)(out * in) * sizeof(float));
                memcpy(db, db_start, (size_t)out * sizeof(float));
            } else {
                fill(dw, out * in, NAN), fill(db, out, NAN);
            }
            const int status = pt_linear_backward(CPU, n, in, out, x, w, dy, mask & 1 ? dx : NULL,
                                                  mask & 2 ? dw : NULL, mask & 4 ? db : NULL, accumulate);
            CHECK(status == PT_OK, "pt_linear_backward: status %d (%s)", status, pt_last_error());
            snprintf(what, sizeof what, "linear n%lld in%lld out%lld acc%d outputs%d", (long long)n, (long long)in,
                     (long long)out, accumulate, mask);
            if (mask & 1) expect_sum_close(what, dx, dx_ref, n * in, out);    /* OUT products */
            if (mask & 2) expect_sum_close(what, dw, dw_ref, out * in, n + 1); /* N products + old */
            if (mask & 4) expect_sum_close(what, db, db_ref, out, n + 1);      /* N terms + old */
        }
    }
    expect_unchanged("linear x", x, x0, n * in);
    expect_unchanged("linear weight", w, w0, out * in);
    expect_unchanged("linear bias", b, b0, out);
    expect_unchanged("linear dy", dy, dy0, n * out);
    free(x), free(w), free(b), free(dy), free(x0), free(w0), free(b0), free(dy0), free(y), free(y_ref);
    free(dw_start), free(db_start), free(dx), free(dw), free(db), free(dx_ref), free(dw_ref), free(db_ref);
}

/* ---------------------------------------------------------------- conv2d */

typedef struct conv_case {
    const char *name;
    int64_t n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w;
} conv_case;

static pt_conv2d_shape conv_shape(const conv_case *cc) {
    return (pt_conv2d_shape){cc->n, cc->c, cc->h, cc->w, cc->k, cc->r, cc->s, cc->stride_h, cc->stride_w, cc->pad_h,
                             cc->pad_w, (cc->h + 2 * cc->pad_h - cc->r) / cc->stride_h + 1,
                             (cc->w + 2 * cc->pad_w - cc->s) / cc->stride_w + 1};
}

static int conv_forward(const pt_conv2d_shape *sh, const float *x, const float *w, const float *b, float *y) {
    return pt_conv2d_forward(CPU, sh->n, sh->c, sh->h, sh->w, sh->k, sh->r, sh->s, sh->stride_h, sh->stride_w,
                             sh->pad_h, sh->pad_w, x, w, b, y);
}

static int conv_backward(const pt_conv2d_shape *sh, const float *x, const float *w, const float *dy, float *dx,
                         float *dw, float *db, int accumulate) {
    return pt_conv2d_backward(CPU, sh->n, sh->c, sh->h, sh->w, sh->k, sh->r, sh->s, sh->stride_h, sh->stride_w,
                              sh->pad_h, sh->pad_w, x, w, dy, dx, dw, db, accumulate);
}

static void conv_case_run(const conv_case *cc) {
    const pt_conv2d_shape sh = conv_shape(cc);
    const int64_t nx = sh.n * sh.c * sh.h * sh.w, nw = sh.k * sh.c * sh.r * sh.s, ny = sh.n * sh.k * sh.p * sh.q;
    const int64_t crs = sh.c * sh.r * sh.s, npq = sh.n * sh.p * sh.q;
    /* Terms of each dx sum: at most K * ceil(R / stride_h) * ceil(S / stride_w) taps reach a pixel. */
    const int64_t dx_terms = sh.k * ((sh.r + sh.stride_h - 1) / sh.stride_h) * ((sh.s + sh.stride_w - 1) / sh.stride_w);
    float *x = random_floats(nx), *w = random_floats(nw), *b = random_floats(sh.k), *dy = random_floats(ny);
    float *x0 = copy_floats(x, nx), *w0 = copy_floats(w, nw), *b0 = copy_floats(b, sh.k), *dy0 = copy_floats(dy, ny);
    float *y = alloc_floats(ny), *y_ref = alloc_floats(ny);
    char what[160];

    for (int with_bias = 0; with_bias < 2; with_bias++) {
        const float *bias = with_bias ? b : NULL;
        fill(y, ny, NAN);
        const int status = conv_forward(&sh, x, w, bias, y);
        CHECK(status == PT_OK, "%s: pt_conv2d_forward status %d (%s)", cc->name, status, pt_last_error());
        pt_reference_conv2d_forward(&sh, x, w, bias, y_ref);
        snprintf(what, sizeof what, "%s bias%d: y", cc->name, with_bias);
        expect_sum_close(what, y, y_ref, ny, crs + 1); /* C*R*S products + bias */
    }

    float *dw_start = random_floats(nw), *db_start = random_floats(sh.k);
    float *dx = alloc_floats(nx), *dw = alloc_floats(nw), *db = alloc_floats(sh.k);
    float *dx_ref = alloc_floats(nx), *dw_ref = alloc_floats(nw), *db_ref = alloc_floats(sh.k);
    for (int accumulate = 0; accumulate < 2; accumulate++) {
        memcpy(dw_ref, dw_start, (size_t)nw * sizeof(float));
        memcpy(db_ref, db_start, (size_t)sh.k * sizeof(float));
        pt_reference_conv2d_backward(&sh, x, w, dy, dx_ref, dw_ref, db_ref, accumulate);
        for (int mask = 0; mask < 8; mask++) {
            fill(dx, nx, NAN);
            if (accumulate) {
                memcpy(dw, dw_start, (size_t)nw * sizeof(float));
                memcpy(db, db_start, (size_t)sh.k * sizeof(float));
            } else {
                fill(dw, nw, NAN), fill(db, sh.k, NAN);
            }
            const int status =
                conv_backward(&sh, x, w, dy, mask & 1 ? dx : NULL, mask & 2 ? dw : NULL, mask & 4 ? db : NULL, accumulate);
            CHECK(status == PT_OK, "%s: pt_conv2d_backward status %d (%s)", cc->name, status, pt_last_error());
            snprintf(what, sizeof what, "%s acc%d outputs%d", cc->name, accumulate, mask);
            if (mask & 1) expect_sum_close(what, dx, dx_ref, nx, dx_terms);
            if (mask & 2) expect_weight_grad_close(what, dw, dw_ref, nw, npq + 1); /* N*P*Q products + old */
            if (mask & 4) expect_sum_close(what, db, db_ref, sh.k, npq + 1);
        }
    }
    expect_unchanged("conv x", x, x0, nx);
    expect_unchanged("conv weight", w, w0, nw);
    expect_unchanged("conv bias", b, b0, sh.k);
    expect_unchanged("conv dy", dy, dy0, ny);
    free(x), free(w), free(b), free(dy), free(x0), free(w0), free(b0), free(dy0), free(y), free(y_ref);
    free(dw_start), free(db_start), free(dx), free(dw), free(db), free(dx_ref), free(dw_ref), free(db_ref);
}

/* Cases marked below are there for a path of cpu/conv2d.c; check_conv_paths makes sure they still
 * take it (COL_BUDGET = 2^19 floats of col per group). */
static const conv_case conv_cases[] = {
    /* name                            n   c    h    w   k  r  s  sh  sw  ph  pw */
    {"odd 3x2 s2x1 p1x0",              2,  3,   7,   5,  4, 3, 2,  2,  1,  1,  0},
    {"resnet 3x3 s1 p1",               3, 32,   8,   8, 32, 3, 3,  1,  1,  1,  1},
    {"resnet 3x3 s2 p1",               2, 16,   9,   8, 24, 3, 3,  2,  2,  1,  1},
    {"downsample 1x1 s2",              3, 16,   8,   8, 32, 1, 1,  2,  2,  0,  0},
    {"stem 7x7 s2 p3",                 2,  3,  32,  32, 16, 7, 7,  2,  2,  3,  3},
    {"1x1 s3",                         2,  4,  10,  11,  3, 1, 1,  3,  3,  0,  0},
    {"1x1 s1 p1",                      2,  5,   4,   3,  3, 1, 1,  1,  1,  1,  1},
    {"pad > kernel, stride > kernel",  2,  3,   3,   4,  5, 2, 3,  3,  2,  3,  2},
    {"batch 64 of 2x2 (parallel)",    64, 32,   2,   2, 64, 3, 3,  1,  1,  1,  1},
    /* dead taps: the filter is trimmed to its live taps */
    {"3x3 p1 on 1x1 (layer4)",         5,  8,   1,   1,  6, 3, 3,  1,  1,  1,  1},
    {"3x3 s2 p1 on 2x2 (layer4.0)",    4,  8,   2,   2,  6, 3, 3,  2,  2,  1,  1},
    {"5x5 p2 s3x1 on 2x3 (rows 2, 3)", 3,  2,   2,   3,  3, 5, 5,  3,  1,  2,  2},
    {"4x4 p1 s9 on 2x2 (taps 1, 2)",   2,  3,   2,   2,  4, 4, 4,  9,  9,  1,  1},
    /* no live tap at all: every window lies in the padding (y = bias, no grad to x or weight) */
    {"windows in the padding only",    2,  3,   1,   4,  2, 2, 2, 20,  1,  5,  0},
    /* groups: 3 images per thread on 2 threads, 2 per group, then a 1-image group */
    {"groups of 2 + 1-image tail",     6,  2, 110, 110,  3, 3, 3,  1,  1,  1,  1},
    /* 1-image groups: col of one image is over the budget */
    {"1-image groups",                 3,  1, 250, 240,  2, 3, 3,  1,  1,  1,  1},
};
#define CASE_TAIL 14
#define CASE_SINGLE 15

/* The path each marked case takes at `threads` threads. */
static void check_conv_paths(int threads) {
    const pt_conv2d_shape tail = conv_shape(&conv_cases[CASE_TAIL]), single = conv_shape(&conv_cases[CASE_SINGLE]);
    if (threads == 2) {
        const int64_t g = pt_cpu_conv2d_group_images(&tail, threads, 1);
        CHECK(pt_cpu_conv2d_splits_batch(&tail, threads, 1) && g == 2 && (tail.n / threads) % g == 1,
              "case \"%s\": %lld images per group on %d threads, want 2 per group and a 1-image tail",
              conv_cases[CASE_TAIL].name, (long long)g, threads);
    }
    CHECK(pt_cpu_conv2d_group_images(&single, threads, 1) == 1, "case \"%s\": want 1-image groups",
          conv_cases[CASE_SINGLE].name);
    /* fewer images than threads: the threads share each sgemm */
    const pt_conv2d_shape few = conv_shape(&conv_cases[0]);
    if (threads > few.n)
        CHECK(!pt_cpu_conv2d_splits_batch(&few, threads, 1), "case \"%s\" on %d threads: want shared sgemms",
              conv_cases[0].name, threads);
}

/* ---------------------------------------------------------------- gradient check of the references */

/* L = sum y * g, in double, with y = the reference forward. */
static double conv_loss(const pt_conv2d_shape *sh, const float *x, const float *w, const float *b, const float *g,
                        float *y) {
    pt_reference_conv2d_forward(sh, x, w, b, y);
    double loss = 0.0;
    for (int64_t i = 0; i < sh->n * sh->k * sh->p * sh->q; i++) loss += (double)y[i] * (double)g[i];
    return loss;
}

static double linear_loss(int64_t n, int64_t in, int64_t out, const float *x, const float *w, const float *b,
                          const float *g, float *y) {
    pt_reference_linear_forward(n, in, out, x, w, b, y);
    double loss = 0.0;
    for (int64_t i = 0; i < n * out; i++) loss += (double)y[i] * (double)g[i];
    return loss;
}

/* Central difference of the loss in each element of t against grad. The layers are linear in each
 * input, so the difference quotient is exact but for the float rounding of y: with a step of 0.5
 * (the true step taken, in double, is used) its error is ~ (#y) * |y| * 2^-24, below 1e-4. */
#define GRAD_STEP 0.5f
#define GRAD_ATOL 1e-4
#define GRAD_RTOL 1e-4

typedef double (*loss_fn)(const void *ctx);

static void grad_check(const char *what, float *t, int64_t count, const float *grad, loss_fn loss, const void *ctx) {
    for (int64_t i = 0; i < count; i++) {
        const float saved = t[i];
        const float up = saved + GRAD_STEP, down = saved - GRAD_STEP;
        t[i] = up;
        const double l_up = loss(ctx);
        t[i] = down;
        const double l_down = loss(ctx);
        t[i] = saved;
        const double numeric = (l_up - l_down) / ((double)up - (double)down);
        const double d = fabs(numeric - (double)grad[i]);
        if (!(d <= GRAD_ATOL + GRAD_RTOL * fabs(numeric))) {
            CHECK(0, "%s[%lld]: backward %.9g, central difference %.9g", what, (long long)i, grad[i], numeric);
            return;
        }
    }
}

typedef struct conv_ctx {
    pt_conv2d_shape sh;
    const float *x, *w, *b, *g;
    float *y;
} conv_ctx;

static double conv_ctx_loss(const void *p) {
    const conv_ctx *c = p;
    return conv_loss(&c->sh, c->x, c->w, c->b, c->g, c->y);
}

static void conv_grad_check(const conv_case *cc) {
    const pt_conv2d_shape sh = conv_shape(cc);
    const int64_t nx = sh.n * sh.c * sh.h * sh.w, nw = sh.k * sh.c * sh.r * sh.s, ny = sh.n * sh.k * sh.p * sh.q;
    float *x = random_floats(nx), *w = random_floats(nw), *b = random_floats(sh.k), *g = random_floats(ny);
    float *y = alloc_floats(ny), *dx = alloc_floats(nx), *dw = alloc_floats(nw), *db = alloc_floats(sh.k);
    pt_reference_conv2d_backward(&sh, x, w, g, dx, dw, db, 0);
    const conv_ctx ctx = {sh, x, w, b, g, y};
    char what[160];
    snprintf(what, sizeof what, "grad check %s: dx", cc->name);
    grad_check(what, x, nx, dx, conv_ctx_loss, &ctx);
    snprintf(what, sizeof what, "grad check %s: dweight", cc->name);
    grad_check(what, w, nw, dw, conv_ctx_loss, &ctx);
    snprintf(what, sizeof what, "grad check %s: dbias", cc->name);
    grad_check(what, b, sh.k, db, conv_ctx_loss, &ctx);
    free(x), free(w), free(b), free(g), free(y), free(dx), free(dw), free(db);
}

typedef struct linear_ctx {
    int64_t n, in, out;
    const float *x, *w, *b, *g;
    float *y;
} linear_ctx;

static double linear_ctx_loss(const void *p) {
    const linear_ctx *c = p;
    return linear_loss(c->n, c->in, c->out, c->x, c->w, c->b, c->g, c->y);
}

static void linear_grad_check(int64_t n, int64_t in, int64_t out) {
    float *x = random_floats(n * in), *w = random_floats(out * in), *b = random_floats(out), *g = random_floats(n * out);
    float *y = alloc_floats(n * out), *dx = alloc_floats(n * in), *dw = alloc_floats(out * in), *db = alloc_floats(out);
    pt_reference_linear_backward(n, in, out, x, w, g, dx, dw, db, 0);
    const linear_ctx ctx = {n, in, out, x, w, b, g, y};
    grad_check("grad check linear: dx", x, n * in, dx, linear_ctx_loss, &ctx);
    grad_check("grad check linear: dweight", w, out * in, dw, linear_ctx_loss, &ctx);
    grad_check("grad check linear: dbias", b, out, db, linear_ctx_loss, &ctx);
    free(x), free(w), free(b), free(g), free(y), free(dx), free(dw), free(db);
}

int main(void) {
    const int default_threads = pt_num_threads();
    printf("pt_simd_level %s, %d threads\n", pt_simd_level(), default_threads);

    matmul_case(37, 29, 53);
    matmul_case(1, 1, 1);
    matmul_case(1, 17, 300);
    matmul_case(64, 130, 257);

    /* The CPU kernels split their work by thread count: 1 (everything serial), 2 (this box), 3
     * (more threads than some batches: conv then shares each sgemm), and the default. */
    const int thread_counts[] = {1, 2, 3, default_threads};
    for (size_t t = 0; t < sizeof thread_counts / sizeof thread_counts[0]; t++) {
        if (t == 3 && default_threads <= 3) break; /* the default was among them */
        pt_set_num_threads(thread_counts[t]);
        printf("%d threads\n", thread_counts[t]);
        linear_case(5, 37, 11);
        linear_case(1, 1, 1);
        linear_case(64, 512, 10);  /* resnet's fc */
        linear_case(33, 300, 257); /* dbias over more than one column block */
        linear_case(300, 70, 300); /* N*OUT > the parallel threshold */
        check_conv_paths(thread_counts[t]);
        /* Every case on each CPU conv backend: the own kernels, then oneDNN wherever it has a fast
         * kernel (auto mixes the two per shape). test_conv2d_backend fails if oneDNN should load
         * and does not; here it is run when it loads. */
        for (int b = 0; b < 2; b++) {
            const int backend = b ? PT_CPU_CONV_ONEDNN : PT_CPU_CONV_OWN;
            if (pt_cpu_set_conv_backend(backend) != PT_OK) {
                printf("conv cases not run on oneDNN: %s\n", pt_last_error());
                continue;
            }
            conv_on_onednn = b;
            for (size_t i = 0; i < sizeof conv_cases / sizeof conv_cases[0]; i++) conv_case_run(&conv_cases[i]);
        }
        conv_on_onednn = 0;
        pt_cpu_set_conv_backend(PT_CPU_CONV_AUTO);
    }
    pt_set_num_threads(default_threads);

    static const conv_case grad_cases[] = {
        {"odd 3x2 s2x1 p1x0", 2, 3, 7, 5, 4, 3, 2, 2, 1, 1, 0},
        {"7x7 s2 p3", 1, 2, 9, 9, 3, 7, 7, 2, 2, 3, 3},
        {"pad > kernel, stride > kernel", 2, 3, 3, 4, 5, 2, 3, 3, 2, 3, 2},
    };
    for (size_t i = 0; i < sizeof grad_cases / sizeof grad_cases[0]; i++) conv_grad_check(&grad_cases[i]);
    linear_grad_check(3, 7, 5);

    printf("largest fraction of a tolerance used: %.3f (%s)\n", worst_used, worst_what);
    return test_exit_status("test_dense");
}
