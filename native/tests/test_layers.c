/*
 * The non-dense layer ops: the fast CPU kernels (through the public pt_* API, device CPU) against
 * the double-precision references (pt_reference_*), and every reference backward against a float64
 * central difference of its reference forward.
 *
 * Inputs are random (fixed seed), never zero, with odd shapes (vector tails, HW = 1, a batch of 1)
 * and shapes big enough for the OpenMP paths. Each fast-vs-reference check passes when, element by
 * element, |fast - ref| <= atol + rtol * |ref|, with the tolerance written at the check; the run
 * prints the largest difference of each family. Also checked by hand: torch's BatchNorm2d running
 * statistics (unbiased variance, momentum), MaxPool2d's padding as -inf and first-maximum ties,
 * CrossEntropyLoss with label smoothing, and that results do not depend on the thread count.
 * The fused batch norm + ReLU is checked against the two ops it replaces.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/layer_kernels.h"
#include "panoptim.h"
#include "test_support.h"

#define CPU PT_DEVICE_CPU

/* ---------------------------------------------------------------- helpers */

static void *xalloc(int64_t count, size_t size) {
    void *p = malloc((size_t)(count > 0 ? count : 1) * size);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}
#define FLOATS(n) ((float *)xalloc((n), sizeof(float)))
#define DOUBLES(n) ((double *)xalloc((n), sizeof(double)))

/* f[j] = |lo..hi| with a random sign, plus offset; d = the same values in double. */
static void fill_signed(float *f, double *d, int64_t n, float lo, float hi, float offset) {
    for (int64_t j = 0; j < n; j++) {
        f[j] = offset + rng_signed(lo, hi);
        if (d) d[j] = f[j];
    }
}

static void to_double(const float *f, double *d, int64_t n) {
    for (int64_t j = 0; j < n; j++) d[j] = f[j];
}

static double max_abs_d(const double *d, int64_t n) {
    double m = 0.0;
    for (int64_t j = 0; j < n; j++) m = fabs(d[j]) > m ? fabs(d[j]) : m;
    return m;
}

/* Largest differences per family, printed at the end. */
enum { F_BN_FWD, F_BN_STATS, F_BN_BWD, F_BN_PGRAD, F_BN_RELU, F_RELU, F_ELEM, F_AXPY, F_MAXPOOL, F_MAXPOOL_BWD, F_AVGPOOL,
       F_CE_PROBS, F_CE_LOSS, F_CE_GRAD, F_GRADCHECK, NUM_FAMILIES };
static const char *const family_names[NUM_FAMILIES] = {
    "batchnorm y", "batchnorm stats", "batchnorm dx", "batchnorm dweight/dbias", "batchnorm+relu vs the two ops", "relu", "add/fill",
    "axpy", "maxpool y", "maxpool dx", "global avgpool", "cross-entropy probs", "cross-entropy loss",
    "cross-entropy dlogits", "float64 gradient checks (reference backward vs central difference)"};
static diff_stats stats[NUM_FAMILIES];

/* |got - ref| <= atol + rtol * |ref| per element, float got against double ref (NaN matches NaN). */
static int64_t close_fd(const char *what, const float *got, const double *ref, int64_t n, double atol, double rtol,
                        int family) {
    int64_t bad = 0;
    diff_stats *s = &stats[family];
    for (int64_t j = 0; j < n; j++) {
        const double a = got[j], b = ref[j], d = fabs(a - b), tol = atol + rtol * fabs(b);
        if (isnan(a) && isnan(b)) continue;
        if (d > s->max_abs) s->max_abs = d;
        if (tol > 0 && d / tol > s->max_used) s->max_used = d / tol;
        if (d <= tol) continue;
        if (bad++ == 0)
            fprintf(stderr, "FAIL %s[%lld]: got %.9g, reference %.12g (|diff| %.3g > %.3g + %.3g * |ref|)\n", what,
                    (long long)j, a, b, d, atol, rtol);
    }
    if (bad) test_failures++;
    return bad;
}

/* Same, double against double (gradient checks). */
static int64_t close_dd(const char *what, const double *got, const double *ref, int64_t n, double atol, double rtol) {
    int64_t bad = 0;
    diff_stats *s = &stats[F_GRADCHECK];
    for (int64_t j = 0; j < n; j++) {
        const double d = fabs(got[j] - ref[j]), tol = atol + rtol * fabs(ref[j]);
        if (d > s->max_abs) s->max_abs = d;
        if (d / tol > s->max_used) s->max_used = d / tol;
        if (d <= tol) continue;
        if (bad++ == 0)
            fprintf(stderr, "FAIL %s[%lld]: analytic %.12g, numeric %.12g (|diff| %.3g > %.3g + %.3g * |num|)\n", what,
                    (long long)j, got[j], ref[j], d, atol, rtol);
    }
    if (bad) test_failures++;
    return bad;
}

static int status_ok(int status, const char *what) {
    CHECK(status == PT_OK, "%s: status %d (%s)", what, status, pt_last_error());
    return status == PT_OK;
}

/* Central-difference gradient checks: the scalar loss of a reference forward as a function of one
 * double array, perturbed in place one element at a time. */
typedef double (*loss_fn)(void *ctx);

static void numeric_grad(loss_fn f, void *ctx, double *v, int64_t n, double h, double *grad) {
    for (int64_t j = 0; j < n; j++) {
        const double keep = v[j];
        v[j] = keep + h;
        const double up = f(ctx);
        v[j] = keep - h;
        const double down = f(ctx);
        v[j] = keep;
        grad[j] = (up - down) / (2.0 * h);
    }
}

static double dot(const double *a, const double *b, int64_t n) {
    double s = 0.0;
    for (int64_t j = 0; j < n; j++) s += a[j] * b[j];
    return s;
}

/* ---------------------------------------------------------------- batch norm: fast vs reference */

typedef struct bn_shape {
    int64_t n, c, hw;
} bn_shape;

/* Shapes: odd dims, a batch of 1, HW = 1 (BatchNorm over a (N, C) input), and big enough for the
 * OpenMP path (8 * 16 * 1089 = 139392 >= 65536 elements). */
static const bn_shape bn_shapes[] = {{3, 5, 63}, {1, 4, 9}, {7, 3, 1}, {2, 1, 2}, {8, 16, 1089}};
#define NUM_BN_SHAPES ((int)(sizeof bn_shapes / sizeof bn_shapes[0]))

/* x per channel: a mean in +-[0.5, 3) and a spread in [0.2, 2), so channels differ. */
static void bn_input(const bn_shape s, float *xf, double *xd) {
    for (int64_t ch = 0; ch < s.c; ch++) {
        const float mean = rng_signed(0.5f, 3.0f), spread = rng_uniform(0.2f, 2.0f);
        for (int64_t i = 0; i < s.n; i++)
            for (int64_t j = 0; j < s.hw; j++) {
                const int64_t at = (i * s.c + ch) * s.hw + j;
                xf[at] = mean + spread * rng_signed(0.01f, 1.0f);
                xd[at] = xf[at];
            }
    }
}

static void test_batchnorm_forward(const bn_shape s, int training, int affine, int track) {
    const int64_t numel = s.n * s.c * s.hw, c = s.c;
    float *x = FLOATS(numel), *y = FLOATS(numel), *w = FLOATS(c), *b = FLOATS(c), *rm = FLOATS(c), *rv = FLOATS(c);
    float *sm = FLOATS(c), *si = FLOATS(c);
    double *xd = DOUBLES(numel), *yd = DOUBLES(numel), *wd = DOUBLES(c), *bd = DOUBLES(c), *rmd = DOUBLES(c),
           *rvd = DOUBLES(c), *smd = DOUBLES(c), *sid = DOUBLES(c);
    bn_input(s, x, xd);
    fill_signed(w, wd, c, 0.5f, 1.5f, 0.0f);
    fill_signed(b, bd, c, 0.1f, 1.0f, 0.0f);
    fill_signed(rm, rmd, c, 0.1f, 2.0f, 0.0f);
    for (int64_t ch = 0; ch < c; ch++) rvd[ch] = rv[ch] = rng_uniform(0.3f, 3.0f);
    const double momentum = 0.1, eps = 1e-5;
    char what[160];
    snprintf(what, sizeof what, "batchnorm forward (%lld, %lld, %lld) training=%d affine=%d running=%d",
             (long long)s.n, (long long)s.c, (long long)s.hw, training, affine, track);

    const int st = pt_batchnorm2d_forward(CPU, training, s.n, s.c, s.hw, x, affine ? w : NULL, affine ? b : NULL,
                                          track ? rm : NULL, track ? rv : NULL, momentum, eps, y, sm, si);
    if (!status_ok(st, what)) return;
    pt_reference_batchnorm2d_forward(training, s.n, s.c, s.hw, xd, affine ? wd : NULL, affine ? bd : NULL,
                                     track ? rmd : NULL, track ? rvd : NULL, momentum, eps, yd, smd, sid);
    /* y: the fast kernel normalizes in double and rounds once, so only the float rounding (half an
     * ulp, 6e-8 relative) and the statistics' summation order (~1e-15) separate it from the reference. */
    close_fd(what, y, yd, numel, 1e-9, 1.5e-7, F_BN_FWD);
    /* Saved and running statistics: float roundings of double values. */
    close_fd("save_mean", sm, smd, c, 1e-12, 1.2e-7, F_BN_STATS);
    close_fd("save_invstd", si, sid, c, 1e-12, 1.2e-7, F_BN_STATS);
    if (track) {
        close_fd("running_mean", rm, rmd, c, 1e-12, 1.2e-7, F_BN_STATS);
        close_fd("running_var", rv, rvd, c, 1e-12, 1.2e-7, F_BN_STATS);
    }
    free(x), free(y), free(w), free(b), free(rm), free(rv), free(sm), free(si);
    free(xd), free(yd), free(wd), free(bd), free(rmd), free(rvd), free(smd), free(sid);
}

static void test_batchnorm_backward(const bn_shape s, int training, int affine, int accumulate, int want_dx,
                                    int want_param_grads) {
    const int64_t numel = s.n * s.c * s.hw, c = s.c;
    float *x = FLOATS(numel), *y = FLOATS(numel), *dy = FLOATS(numel), *dx = FLOATS(numel), *w = FLOATS(c),
          *rm = FLOATS(c), *rv = FLOATS(c), *sm = FLOATS(c), *si = FLOATS(c), *dw = FLOATS(c), *db = FLOATS(c);
    double *xd = DOUBLES(numel), *dyd = DOUBLES(numel), *dxd = DOUBLES(numel), *wd = DOUBLES(c), *smd = DOUBLES(c),
           *sid = DOUBLES(c), *dwd = DOUBLES(c), *dbd = DOUBLES(c);
    bn_input(s, x, xd);
    fill_signed(dy, dyd, numel, 0.01f, 1.0f, 0.0f);
    fill_signed(w, wd, c, 0.5f, 1.5f, 0.0f);
    fill_signed(dw, dwd, c, 0.1f, 1.0f, 0.0f); /* the .grad being accumulated into */
    fill_signed(db, dbd, c, 0.1f, 1.0f, 0.0f);
    fill_signed(rm, NULL, c, 0.1f, 2.0f, 0.0f);
    for (int64_t ch = 0; ch < c; ch++) rv[ch] = rng_uniform(0.3f, 3.0f);
    for (int64_t j = 0; j < numel; j++) dx[j] = NAN; /* must be overwritten */
    char what[200];
    snprintf(what, sizeof what, "batchnorm backward (%lld, %lld, %lld) training=%d affine=%d accumulate=%d",
             (long long)s.n, (long long)s.c, (long long)s.hw, training, affine, accumulate);

    /* The saved statistics come from the fast forward (eval: running_mean and 1/sqrt(running_var + eps)),
     * and both twins get the same ones. */
    if (!status_ok(pt_batchnorm2d_forward(CPU, training, s.n, s.c, s.hw, x, affine ? w : NULL, NULL, training ? NULL : rm,
                                          training ? NULL : rv, 0.1, 1e-5, y, sm, si),
                   what))
        return;
    to_double(sm, smd, c);
    to_double(si, sid, c);
    const float *wp = affine ? w : NULL;
    const double *wdp = affine ? wd : NULL;
    const int st = pt_batchnorm2d_backward(CPU, training, s.n, s.c, s.hw, x, wp, sm, si, dy, want_dx ? dx : NULL,
                                           want_param_grads ? dw : NULL, want_param_grads ? db : NULL, accumulate);
    if (!status_ok(st, what)) return;
    pt_reference_batchnorm2d_backward(training, s.n, s.c, s.hw, xd, wdp, smd, sid, dyd, dxd, dwd, dbd, accumulate);
    if (want_dx) {
        /* dx: double arithmetic rounded once in both; the through-the-statistics terms cancel, so the
         * absolute part is scaled by the largest |dx|. */
        close_fd(what, dx, dxd, numel, 1e-7 * max_abs_d(dxd, numel), 1.5e-7, F_BN_BWD);
    } else {
        for (int64_t j = 0; j < numel; j++)
            if (!isnan(dx[j])) {
                CHECK(0, "%s: dx written although NULL was passed", what);
                break;
            }
    }
    if (want_param_grads) {
        /* Sums of M terms in double, plus the old .grad when accumulating, rounded once. */
        close_fd("dweight", dw, dwd, c, 1e-9, 1.5e-7, F_BN_PGRAD);
        close_fd("dbias", db, dbd, c, 1e-9, 1.5e-7, F_BN_PGRAD);
    }
    free(x), free(y), free(dy), free(dx), free(w), free(rm), free(rv), free(sm), free(si), free(dw), free(db);
    free(xd), free(dyd), free(dxd), free(wd), free(smd), free(sid), free(dwd), free(dbd);
}

/* torch's statistics, computed here from scratch for one channel: the reference must update
 * running_var with the UNBIASED variance and normalize with the biased one. */
static void test_batchnorm_torch_semantics(void) {
    const int64_t n = 4, c = 3, hw = 5, numel = n * c * hw;
    const double m = (double)(n * hw), momentum = 0.1, eps = 1e-5;
    double *x = DOUBLES(numel), *y = DOUBLES(numel), w[3] = {1.5, -0.7, 1.0}, b[3] = {0.25, -1.0, 0.5};
    double rm[3] = {0.3, -0.2, 1.0}, rv[3] = {1.2, 0.8, 2.0}, sm[3], si[3];
    float *xf = FLOATS(numel);
    bn_input((bn_shape){n, c, hw}, xf, x);
    const double rm0[3] = {rm[0], rm[1], rm[2]}, rv0[3] = {rv[0], rv[1], rv[2]};
    pt_reference_batchnorm2d_forward(1, n, c, hw, x, w, b, rm, rv, momentum, eps, y, sm, si);
    for (int64_t ch = 0; ch < c; ch++) {
        double sum = 0.0, sq = 0.0, ysum = 0.0, ysq = 0.0;
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < hw; j++) sum += x[(i * c + ch) * hw + j];
        const double mean = sum / m;
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < hw; j++) {
                const double d = x[(i * c + ch) * hw + j] - mean, yv = y[(i * c + ch) * hw + j] - b[ch];
                sq += d * d;
                ysum += yv;
                ysq += yv * yv;
            }
        const double biased = sq / m, unbiased = sq / (m - 1.0);
        /* Computed here in double: agreement to ~1e-15 relative. */
        CHECK(fabs(rm[ch] - (0.9 * rm0[ch] + 0.1 * mean)) <= 1e-14 * (1 + fabs(rm[ch])), "running_mean[%lld]",
              (long long)ch);
        CHECK(fabs(rv[ch] - (0.9 * rv0[ch] + 0.1 * unbiased)) <= 1e-14 * (1 + rv[ch]),
              "running_var[%lld] = %.15g, want the unbiased update %.15g", (long long)ch, rv[ch],
              0.9 * rv0[ch] + 0.1 * unbiased);
        CHECK(fabs(si[ch] - 1.0 / sqrt(biased + eps)) <= 1e-14 * si[ch], "save_invstd[%lld] uses the biased variance",
              (long long)ch);
        /* The output has mean bias and biased variance weight^2 * var / (var + eps). */
        CHECK(fabs(ysum / m) <= 1e-13, "y mean of channel %lld is %.3g, want bias", (long long)ch, ysum / m);
        CHECK(fabs(ysq / m - w[ch] * w[ch] * biased / (biased + eps)) <= 1e-13, "y variance of channel %lld", (long long)ch);
    }
    /* Eval mode: running statistics only, nothing updated, save_* get them. */
    const double rm1[3] = {rm[0], rm[1], rm[2]}, rv1[3] = {rv[0], rv[1], rv[2]};
    pt_reference_batchnorm2d_forward(0, n, c, hw, x, w, b, rm, rv, momentum, eps, y, sm, si);
    for (int64_t ch = 0; ch < c; ch++) {
        CHECK(rm[ch] == rm1[ch] && rv[ch] == rv1[ch], "eval mode changed the running stats of channel %lld", (long long)ch);
        CHECK(sm[ch] == rm[ch] && si[ch] == 1.0 / sqrt(rv[ch] + eps), "eval save_* of channel %lld", (long long)ch);
        const double want = (x[ch * hw] - rm[ch]) / sqrt(rv[ch] + eps) * w[ch] + b[ch];
        CHECK(fabs(y[ch * hw] - want) <= 1e-14 * (1 + fabs(want)), "eval y of channel %lld", (long long)ch);
    }
    free(x), free(y), free(xf);
}

static void test_batchnorm(void) {
    for (int si = 0; si < NUM_BN_SHAPES; si++) {
        const bn_shape s = bn_shapes[si];
        for (int affine = 0; affine < 2; affine++) {
            test_batchnorm_forward(s, 1, affine, 1);
            test_batchnorm_forward(s, 1, affine, 0);
            test_batchnorm_forward(s, 0, affine, 1);
            for (int training = 0; training < 2; training++)
                for (int acc = 0; acc < 2; acc++) test_batchnorm_backward(s, training, affine, acc, 1, 1);
            test_batchnorm_backward(s, 1, affine, 0, 0, 1); /* no dx */
            test_batchnorm_backward(s, 1, affine, 1, 1, 0); /* frozen params */
            test_batchnorm_backward(s, 0, affine, 0, 1, 0); /* eval, dx only */
        }
    }
    /* Eval forward with save_* NULL is allowed. */
    float x[6] = {1, 2, 3, 4, 5, 6}, y[6], rm[2] = {1, 2}, rv[2] = {1, 4};
    CHECK(pt_batchnorm2d_forward(CPU, 0, 1, 2, 3, x, NULL, NULL, rm, rv, 0.1, 1e-5, y, NULL, NULL) == PT_OK,
          "eval batchnorm with NULL save_*: %s", pt_last_error());
    CHECK(fabsf(y[5] - (float)((6 - 2) / sqrt(4 + 1e-5))) <= 1e-6f, "eval batchnorm y[5] = %g", y[5]);
    test_batchnorm_torch_semantics();
}

/* ---------------------------------------------------------------- batch norm: gradient checks */

typedef struct bn_grad_ctx {
    int training;
    int64_t n, c, hw;
    double *x, *w, *b, *r, *rm, *rv, *y, *sm, *si;
} bn_grad_ctx;

/* L = sum(r * y): its gradient is the backward of dy = r. */
static double bn_loss(void *p) {
    bn_grad_ctx *g = p;
    double rm[16], rv[16]; /* eval: the running statistics are constants (copied: never updated) */
    if (!g->training) {
        memcpy(rm, g->rm, (size_t)g->c * sizeof(double));
        memcpy(rv, g->rv, (size_t)g->c * sizeof(double));
    }
    pt_reference_batchnorm2d_forward(g->training, g->n, g->c, g->hw, g->x, g->w, g->b, g->training ? NULL : rm,
                                     g->training ? NULL : rv, 0.1, 1e-5, g->y, g->sm, g->si);
    return dot(g->r, g->y, g->n * g->c * g->hw);
}

static void gradcheck_batchnorm(int training, int affine) {
    const int64_t n = 3, c = 2, hw = 5, numel = n * c * hw;
    bn_grad_ctx g = {training, n, c, hw, DOUBLES(numel), DOUBLES(c), DOUBLES(c), DOUBLES(numel), DOUBLES(c),
                     DOUBLES(c), DOUBLES(numel), DOUBLES(c), DOUBLES(c)};
    float *scratch = FLOATS(numel);
    bn_input((bn_shape){n, c, hw}, scratch, g.x);
    fill_signed(scratch, g.r, numel, 0.1f, 1.0f, 0.0f);
    fill_signed(scratch, g.w, c, 0.5f, 1.5f, 0.0f);
    fill_signed(scratch, g.b, c, 0.1f, 1.0f, 0.0f);
    fill_signed(scratch, g.rm, c, 0.1f, 1.0f, 0.0f);
    for (int64_t ch = 0; ch < c; ch++) g.rv[ch] = rng_uniform(0.3f, 3.0f);
    if (!affine) {
        free(g.w), free(g.b);
        g.w = g.b = NULL;
    }

    double *dx = DOUBLES(numel), *dw = DOUBLES(c), *db = DOUBLES(c), *num = DOUBLES(numel);
    bn_loss(&g); /* fills save_mean / save_invstd */
    pt_reference_batchnorm2d_backward(training, n, c, hw, g.x, g.w, g.sm, g.si, g.r, dx, dw, db, 0);
    char what[96];
    /* h = 1e-5: truncation error ~h^2 * |L'''| ~ 1e-10, rounding ~1e-16 / h ~ 1e-11. */
    const double h = 1e-5, atol = 1e-8, rtol = 1e-6;
    snprintf(what, sizeof what, "batchnorm gradcheck training=%d affine=%d dx", training, affine);
    numeric_grad(bn_loss, &g, g.x, numel, h, num);
    close_dd(what, dx, num, numel, atol, rtol);
    if (affine) {
        snprintf(what, sizeof what, "batchnorm gradcheck training=%d dweight", training);
        numeric_grad(bn_loss, &g, g.w, c, h, num);
        close_dd(what, dw, num, c, atol, rtol);
        snprintf(what, sizeof what, "batchnorm gradcheck training=%d dbias", training);
        numeric_grad(bn_loss, &g, g.b, c, h, num);
        close_dd(what, db, num, c, atol, rtol);
        free(g.w), free(g.b);
    }
    free(g.x), free(g.r), free(g.rm), free(g.rv), free(g.y), free(g.sm), free(g.si);
    free(dx), free(dw), free(db), free(num), free(scratch);
}

/* ---------------------------------------------------------------- batch norm + ReLU fused vs the two ops */

/* Odd shapes: C = 3, HW = 1 and 7x7, N = 1 and 5 (N = HW = 1 in eval only: torch refuses it when
 * training), and one big enough for the OpenMP path. */
static const bn_shape bn_relu_shapes[] = {{5, 3, 49}, {1, 3, 49}, {5, 3, 1}, {1, 3, 7}, {1, 3, 1}, {8, 16, 1089}};
#define NUM_BN_RELU_SHAPES ((int)(sizeof bn_relu_shapes / sizeof bn_relu_shapes[0]))

static int bits_equal(const float *a, const float *b, int64_t n) { return memcmp(a, b, (size_t)n * sizeof(float)) == 0; }

/* pt_batchnorm2d_relu_forward against pt_batchnorm2d_forward then pt_relu_forward, and its backward
 * against pt_relu_backward then pt_batchnorm2d_backward. The ReLU backward takes the fused forward's
 * output (torch's relu backward masks by the output of the forward being differentiated), so that
 * both backwards apply one mask: the fused one recomputes it from x and the statistics, and any
 * element where it disagreed with the output would move the channel sums by a whole |dy| >= 0.01,
 * far past the tolerances below. In eval the mask is also checked exactly: dx = 0 where y = 0. */
static void test_batchnorm_relu_case(const bn_shape s, int training, int affine) {
    const int64_t numel = s.n * s.c * s.hw, c = s.c;
    float *x = FLOATS(numel), *z = FLOATS(numel), *yu = FLOATS(numel), *yf = FLOATS(numel), *dy = FLOATS(numel),
          *g = FLOATS(numel), *dxu = FLOATS(numel), *dxf = FLOATS(numel);
    float *w = FLOATS(c), *b = FLOATS(c), *rmu = FLOATS(c), *rvu = FLOATS(c), *rmf = FLOATS(c), *rvf = FLOATS(c),
          *smu = FLOATS(c), *siu = FLOATS(c), *smf = FLOATS(c), *sif = FLOATS(c), *dwu = FLOATS(c), *dbu = FLOATS(c),
          *dwf = FLOATS(c), *dbf = FLOATS(c);
    double *xd = DOUBLES(numel);
    bn_input(s, x, xd);
    fill_signed(w, NULL, c, 0.5f, 1.5f, 0.0f);
    fill_signed(b, NULL, c, 0.1f, 1.0f, 0.0f);
    fill_signed(rmu, NULL, c, 0.5f, 3.0f, 0.0f);
    for (int64_t ch = 0; ch < c; ch++) rvu[ch] = rng_uniform(0.3f, 3.0f), rmf[ch] = rmu[ch], rvf[ch] = rvu[ch];
    const float *wp = affine ? w : NULL, *bp = affine ? b : NULL;
    char what[200];
    snprintf(what, sizeof what, "batchnorm+relu (%lld, %lld, %lld) training=%d affine=%d", (long long)s.n,
             (long long)s.c, (long long)s.hw, training, affine);

    if (!status_ok(pt_batchnorm2d_forward(CPU, training, s.n, s.c, s.hw, x, wp, bp, rmu, rvu, 0.1, 1e-5, z, smu, siu), what) ||
        !status_ok(pt_relu_forward(CPU, numel, z, yu), what) ||
        !status_ok(pt_batchnorm2d_relu_forward(CPU, training, s.n, s.c, s.hw, x, wp, bp, rmf, rvf, 0.1, 1e-5, yf, smf, sif),
                   what))
        return;
    /* The statistics come from the same code: the same bits. */
    CHECK(bits_equal(smf, smu, c) && bits_equal(sif, siu, c), "%s: save_mean / save_invstd differ", what);
    CHECK(bits_equal(rmf, rmu, c) && bits_equal(rvf, rvu, c), "%s: running stats differ", what);
    /* y: the fused op normalizes with mean and invstd rounded to float (what it saves), the plain
     * one with their double values; each is off by 2^-24 relative, which moves
     * (x - mean) * invstd * w by at most 2^-24 * |invstd * w| * (|mean| + |x - mean|)
     * <= 2^-22 * max|invstd * w| * max|x|; then each side rounds once (1 ulp between them). */
    double scale = 0.0, xmax = 0.0;
    for (int64_t ch = 0; ch < c; ch++) scale = fmax(scale, fabs((double)sif[ch] * (affine ? w[ch] : 1.0)));
    for (int64_t j = 0; j < numel; j++) xmax = fmax(xmax, fabs(xd[j]));
    check_close(what, yf, yu, numel, 0x1p-22 * scale * xmax, 0x1p-23, &stats[F_BN_RELU]);
    int64_t negative = 0, positive = 0;
    for (int64_t j = 0; j < numel; j++) negative += yf[j] < 0.0f, positive += yf[j] > 0.0f;
    /* Both signs before the ReLU, or the mask is not exercised (tiny shapes may be all one sign). */
    CHECK(negative == 0 && (numel < 20 || (positive > 0 && positive < numel)),
          "%s: y has %lld negative and %lld positive of %lld", what,
          (long long)negative, (long long)positive, (long long)numel);

    /* The backward with every grad, accumulating or not, then with dx or the param grads NULL. */
    for (int variant = 0; variant < 4; variant++) {
        const int accumulate = variant & 1, with_params = variant != 2, with_dx = variant != 3;
        fill_signed(dy, NULL, numel, 0.01f, 1.0f, 0.0f);
        fill_signed(dwu, NULL, c, 0.1f, 1.0f, 0.0f); /* the .grad being accumulated into */
        fill_signed(dbu, NULL, c, 0.1f, 1.0f, 0.0f);
        memcpy(dwf, dwu, (size_t)c * sizeof(float)), memcpy(dbf, dbu, (size_t)c * sizeof(float));
        for (int64_t j = 0; j < numel; j++) dxf[j] = NAN; /* must be overwritten, or stay NaN when NULL */
        if (!status_ok(pt_relu_backward(CPU, numel, yf, dy, g), what) ||
            !status_ok(pt_batchnorm2d_backward(CPU, training, s.n, s.c, s.hw, x, wp, smf, sif, g, dxu,
                                               with_params ? dwu : NULL, with_params ? dbu : NULL, accumulate),
                       what) ||
            !status_ok(pt_batchnorm2d_relu_backward(CPU, training, s.n, s.c, s.hw, x, wp, bp, smf, sif, dy,
                                                    with_dx ? dxf : NULL, with_params ? dwf : NULL,
                                                    with_params ? dbf : NULL, accumulate),
                       what))
            break;
        if (with_dx) {
            /* dx: the same double formula from the same masked dy and statistics, the channel sums
             * added in the same order, rounded once: 1 ulp apart at most, plus the cancellation in
             * dy - mean(dy) - (x - mean) * k at the scale of the largest |dx|. */
            double dx_max = 0.0;
            for (int64_t j = 0; j < numel; j++) dx_max = fmax(dx_max, fabs(dxu[j]));
            check_close("batchnorm+relu dx", dxf, dxu, numel, 1e-9 * dx_max, 0x1p-23, &stats[F_BN_RELU]);
            if (!training) {
                int64_t bad = 0;
                for (int64_t j = 0; j < numel; j++) bad += (yf[j] == 0.0f) != (dxf[j] == 0.0f);
                CHECK(bad == 0, "%s: eval dx is 0 at %lld elements where y is not, or not 0 where y is", what,
                      (long long)bad);
            }
        } else {
            int64_t written = 0;
            for (int64_t j = 0; j < numel; j++) written += !isnan(dxf[j]);
            CHECK(written == 0, "%s: dx written although NULL was passed", what);
        }
        /* dweight, dbias: the same double sums, plus the old .grad when accumulating, rounded once. */
        check_close("batchnorm+relu dweight", dwf, dwu, c, 1e-12, 0x1p-23, &stats[F_BN_RELU]);
        check_close("batchnorm+relu dbias", dbf, dbu, c, 1e-12, 0x1p-23, &stats[F_BN_RELU]);
    }
    free(x), free(z), free(yu), free(yf), free(dy), free(g), free(dxu), free(dxf), free(w), free(b), free(rmu);
    free(rvu), free(rmf), free(rvf), free(smu), free(siu), free(smf), free(sif), free(dwu), free(dbu), free(dwf);
    free(dbf), free(xd);
}

static void test_batchnorm_relu(void) {
    for (int k = 0; k < NUM_BN_RELU_SHAPES; k++) {
        const bn_shape s = bn_relu_shapes[k];
        for (int training = 0; training < 2; training++) {
            if (training && s.n * s.hw < 2) continue;
            for (int affine = 0; affine < 2; affine++) test_batchnorm_relu_case(s, training, affine);
        }
    }
}

/* ---------------------------------------------------------------- ReLU and elementwise */

/* Vector tails (1, 7, 1000) and chunks split between threads (65537, 1000003). */
static const int64_t flat_sizes[] = {0, 1, 7, 1000, 65537, 1000003};
#define NUM_FLAT ((int)(sizeof flat_sizes / sizeof flat_sizes[0]))

static void test_relu(void) {
    for (int k = 0; k < NUM_FLAT; k++) {
        const int64_t n = flat_sizes[k];
        float *x = n ? FLOATS(n) : NULL, *y = n ? FLOATS(n) : NULL, *dy = n ? FLOATS(n) : NULL, *dx = n ? FLOATS(n) : NULL;
        double *xd = DOUBLES(n), *yd = DOUBLES(n), *dyd = DOUBLES(n), *dxd = DOUBLES(n);
        fill_signed(x, xd, n, 0.01f, 2.0f, 0.0f);
        fill_signed(dy, dyd, n, 0.01f, 2.0f, 0.0f);
        if (n > 3) x[3] = NAN, xd[3] = NAN; /* torch.relu lets NaN through; threshold_backward passes dy */
        char what[64];
        snprintf(what, sizeof what, "relu forward n=%lld", (long long)n);
        if (status_ok(pt_relu_forward(CPU, n, x, y), what)) {
            pt_reference_relu_forward(n, xd, yd);
            close_fd(what, y, yd, n, 0.0, 0.0, F_RELU); /* exact: a select */
        }
        snprintf(what, sizeof what, "relu backward n=%lld", (long long)n);
        if (status_ok(pt_relu_backward(CPU, n, x, dy, dx), what)) {
            pt_reference_relu_backward(n, xd, dyd, dxd);
            close_fd(what, dx, dxd, n, 0.0, 0.0, F_RELU);
        }
        /* In place: y aliases x, dx aliases dy. */
        if (n > 0) {
            memcpy(y, x, (size_t)n * sizeof(float));
            pt_relu_forward(CPU, n, y, y);
            close_fd("relu forward in place", y, yd, n, 0.0, 0.0, F_RELU);
            memcpy(dx, dy, (size_t)n * sizeof(float));
            pt_relu_backward(CPU, n, x, dx, dx);
            close_fd("relu backward in place", dx, dxd, n, 0.0, 0.0, F_RELU);
        }
        free(x), free(y), free(dy), free(dx), free(xd), free(yd), free(dyd), free(dxd);
    }
}

typedef struct relu_grad_ctx {
    int64_t n;
    double *x, *r, *y;
} relu_grad_ctx;

static double relu_loss(void *p) {
    relu_grad_ctx *g = p;
    pt_reference_relu_forward(g->n, g->x, g->y);
    return dot(g->r, g->y, g->n);
}

static void gradcheck_relu(void) {
    const int64_t n = 40;
    relu_grad_ctx g = {n, DOUBLES(n), DOUBLES(n), DOUBLES(n)};
    double *dx = DOUBLES(n), *num = DOUBLES(n);
    float *scratch = FLOATS(n);
    fill_signed(scratch, g.x, n, 0.1f, 1.0f, 0.0f); /* |x| >= 0.1 >> h: no kink crossed */
    fill_signed(scratch, g.r, n, 0.1f, 1.0f, 0.0f);
    pt_reference_relu_backward(n, g.x, g.r, dx);
    numeric_grad(relu_loss, &g, g.x, n, 1e-6, num);
    close_dd("relu gradcheck dx", dx, num, n, 1e-9, 1e-8); /* piecewise linear: exact up to rounding */
    free(g.x), free(g.r), free(g.y), free(dx), free(num), free(scratch);
}

static void test_elementwise(void) {
    for (int k = 0; k < NUM_FLAT; k++) {
        const int64_t n = flat_sizes[k];
        float *a = n ? FLOATS(n) : NULL, *b = n ? FLOATS(n) : NULL, *y = n ? FLOATS(n) : NULL;
        double *ad = DOUBLES(n), *bd = DOUBLES(n), *yd = DOUBLES(n);
        fill_signed(a, ad, n, 0.01f, 1.0f, 0.0f);
        fill_signed(b, bd, n, 0.01f, 1.0f, 0.0f);
        char what[64];
        snprintf(what, sizeof what, "add n=%lld", (long long)n);
        if (status_ok(pt_add(CPU, n, a, b, y), what)) {
            pt_reference_add(n, ad, bd, yd);
            /* Correctly rounded (the float sum is the double sum of two floats rounded once): within
             * the unit roundoff 2^-24 of the exact sum. */
            close_fd(what, y, yd, n, 0.0, 0x1p-24, F_ELEM);
        }
        if (n > 0) { /* y aliasing a, then b */
            float *a2 = FLOATS(n), *b2 = FLOATS(n);
            memcpy(a2, a, (size_t)n * sizeof(float));
            memcpy(b2, b, (size_t)n * sizeof(float));
            pt_add(CPU, n, a2, b, a2);
            close_fd("add y = a", a2, yd, n, 0.0, 0x1p-24, F_ELEM);
            pt_add(CPU, n, a, b2, b2);
            close_fd("add y = b", b2, yd, n, 0.0, 0x1p-24, F_ELEM);
            free(a2), free(b2);
        }

        const double alpha = -0.37; /* not a float: its rounding is part of the tolerance */
        snprintf(what, sizeof what, "axpy n=%lld", (long long)n);
        if (n > 0) memcpy(y, b, (size_t)n * sizeof(float));
        memcpy(yd, bd, (size_t)n * sizeof(double));
        if (status_ok(pt_axpy(CPU, n, alpha, a, y), what)) {
            pt_reference_axpy(n, alpha, ad, yd);
            /* |x|, |y| < 1: alpha's float rounding (<= 2e-8 * |x|), the product's (<= 3e-8, none
             * with FMA) and the sum's (half an ulp of the result) -> atol 1e-7, rtol 6e-8. */
            close_fd(what, y, yd, n, 1e-7, 6e-8, F_AXPY);
        }

        snprintf(what, sizeof what, "fill n=%lld", (long long)n);
        if (status_ok(pt_fill(CPU, n, 0.3, y), what)) {
            pt_reference_fill(n, 0.3, yd);
            close_fd(what, y, yd, n, 0.0, 0x1p-24, F_ELEM); /* the float nearest 0.3 */
        }
        if (n > 0 && status_ok(pt_fill(CPU, n, -INFINITY, y), "fill -inf"))
            CHECK(y[n - 1] == -INFINITY && y[0] == -INFINITY, "fill -inf wrote %g", y[0]);
        free(a), free(b), free(y), free(ad), free(bd), free(yd);
    }
}

/* ---------------------------------------------------------------- pooling */

typedef struct pool_shape {
    int64_t n, c, h, w, kernel, stride, padding;
} pool_shape;

/* ResNet's stem (3x3 s2 p1), plain 2x2 s2, overlapping 3x3 s1 p1, k2 p1 (P = H + 1), a window as
 * big as the plane, a 1x1 kernel, rows of more than 256 interior outputs (the fast kernel's piece),
 * and a call big enough for the OpenMP path (4*16*33*35 = 73920). */
static const pool_shape pool_shapes[] = {
    {2, 3, 11, 13, 3, 2, 1}, {1, 2, 8, 8, 2, 2, 0}, {2, 2, 9, 7, 3, 1, 1}, {1, 3, 5, 6, 2, 1, 1},
    {2, 1, 5, 5, 5, 1, 2},   {1, 2, 4, 3, 1, 1, 0}, {1, 2, 5, 601, 3, 2, 1}, {1, 1, 3, 700, 2, 1, 1},
    {4, 16, 33, 35, 3, 2, 1},
    /* n*c >= 16 planes with output rows under 16: vectorized across planes (cpu/pool2d.c) --
     * ResNet's stem pool at 28x28 inputs, no padding, and 600 planes in blocks of 256 plus a tail */
    {8, 5, 14, 14, 3, 2, 1}, {3, 7, 9, 10, 3, 2, 0}, {2, 300, 4, 5, 2, 1, 1},
};
#define NUM_POOL_SHAPES ((int)(sizeof pool_shapes / sizeof pool_shapes[0]))

static int64_t out_size(int64_t in, int64_t k, int64_t s, int64_t p) { return (in + 2 * p - k) / s + 1; }

/* tie_mode 0: distinct random values; 1: values from {-1, 0.5, 2} (many ties); 2: all negative
 * (padding must not win as 0). */
static void test_maxpool(const pool_shape s, int tie_mode) {
    const int64_t p = out_size(s.h, s.kernel, s.stride, s.padding), q = out_size(s.w, s.kernel, s.stride, s.padding);
    const int64_t in = s.n * s.c * s.h * s.w, out = s.n * s.c * p * q;
    float *x = FLOATS(in), *y = FLOATS(out), *dy = FLOATS(out), *dx = FLOATS(in);
    double *xd = DOUBLES(in), *yd = DOUBLES(out), *dyd = DOUBLES(out), *dxd = DOUBLES(in);
    int32_t *am = xalloc(out, sizeof(int32_t)), *amd = xalloc(out, sizeof(int32_t));
    static const float levels[3] = {-1.0f, 0.5f, 2.0f};
    for (int64_t j = 0; j < in; j++) {
        x[j] = tie_mode == 1 ? levels[rng_next() % 3] : tie_mode == 2 ? -rng_uniform(0.5f, 3.0f) : rng_signed(0.01f, 3.0f);
        xd[j] = x[j];
    }
    fill_signed(dy, dyd, out, 0.1f, 1.0f, 0.0f);
    char what[160];
    snprintf(what, sizeof what, "maxpool (%lld, %lld, %lld, %lld) k%lld s%lld p%lld ties=%d", (long long)s.n,
             (long long)s.c, (long long)s.h, (long long)s.w, (long long)s.kernel, (long long)s.stride,
             (long long)s.padding, tie_mode);
    if (!status_ok(pt_maxpool2d_forward(CPU, s.n, s.c, s.h, s.w, s.kernel, s.stride, s.padding, x, y, am), what)) return;
    pt_reference_maxpool2d_forward(s.n, s.c, s.h, s.w, s.kernel, s.stride, s.padding, xd, yd, amd);
    close_fd(what, y, yd, out, 0.0, 0.0, F_MAXPOOL); /* exact: a selection */
    int64_t argmax_bad = 0;
    for (int64_t j = 0; j < out; j++) argmax_bad += am[j] != amd[j];
    CHECK(argmax_bad == 0, "%s: %lld argmax indices differ from the reference", what, (long long)argmax_bad);
    if (tie_mode == 2)
        for (int64_t j = 0; j < out; j++)
            if (!(y[j] < 0.0f)) {
                CHECK(0, "%s: y[%lld] = %g, padding won over negative inputs", what, (long long)j, y[j]);
                break;
            }
    /* Without argmax the outputs are the same. */
    float *y2 = FLOATS(out);
    pt_maxpool2d_forward(CPU, s.n, s.c, s.h, s.w, s.kernel, s.stride, s.padding, x, y2, NULL);
    CHECK(memcmp(y, y2, (size_t)out * sizeof(float)) == 0, "%s: y differs when argmax is NULL", what);

    for (int64_t j = 0; j < in; j++) dx[j] = NAN;
    snprintf(what + strlen(what), sizeof what - strlen(what), " backward");
    if (status_ok(pt_maxpool2d_backward(CPU, s.n, s.c, s.h, s.w, p, q, dy, am, dx), what)) {
        pt_reference_maxpool2d_backward(s.n, s.c, s.h, s.w, p, q, dyd, amd, dxd);
        /* Overlapping windows add up to kernel^2 terms of |dy| < 1 in float vs double. */
        close_fd(what, dx, dxd, in, 1e-7, 5e-7, F_MAXPOOL_BWD);
    }
    free(x), free(y), free(y2), free(dy), free(dx), free(xd), free(yd), free(dyd), free(dxd), free(am), free(amd);
}

/* By hand, torch's rules on one 4x4 plane with a 3x3 stride-2 pad-1 window: ties go to the first
 * in-plane element of the window (row by row), padding is -inf. */
static void test_maxpool_by_hand(void) {
    float x[16], y[4];
    int32_t am[4];
    for (int j = 0; j < 16; j++) x[j] = -2.0f;
    pt_maxpool2d_forward(CPU, 1, 1, 4, 4, 3, 2, 1, x, y, am);
    /* Windows cover rows/cols {0,1}, {1,2,3}: the first in-plane element is (0,0), (0,1), (1,0), (1,1). */
    const int32_t want_ties[4] = {0, 1, 4, 5};
    for (int j = 0; j < 4; j++) {
        CHECK(y[j] == -2.0f, "maxpool all -2: y[%d] = %g (padding must count as -inf)", j, y[j]);
        CHECK(am[j] == want_ties[j], "maxpool ties: argmax[%d] = %d, want the first maximum %d", j, am[j], want_ties[j]);
    }
    x[5] = 7.0f, x[15] = 7.0f, x[10] = 7.0f; /* (1,1) is in all four windows; (2,2) in the last, tied */
    pt_maxpool2d_forward(CPU, 1, 1, 4, 4, 3, 2, 1, x, y, am);
    for (int j = 0; j < 4; j++) CHECK(y[j] == 7.0f && am[j] == 5, "maxpool: window %d -> %g at %d, want 7 at 5", j, y[j], am[j]);
    float dy[4] = {1.0f, 2.0f, 3.0f, 4.0f}, dx[16];
    pt_maxpool2d_backward(CPU, 1, 1, 4, 4, 2, 2, dy, am, dx);
    for (int j = 0; j < 16; j++) CHECK(dx[j] == (j == 5 ? 10.0f : 0.0f), "maxpool backward dx[%d] = %g", j, dx[j]);
}

typedef struct maxpool_grad_ctx {
    pool_shape s;
    double *x, *r, *y;
} maxpool_grad_ctx;

static double maxpool_loss(void *p) {
    maxpool_grad_ctx *g = p;
    const pool_shape s = g->s;
    pt_reference_maxpool2d_forward(s.n, s.c, s.h, s.w, s.kernel, s.stride, s.padding, g->x, g->y, NULL);
    return dot(g->r, g->y, s.n * s.c * out_size(s.h, s.kernel, s.stride, s.padding) * out_size(s.w, s.kernel, s.stride, s.padding));
}

static void gradcheck_maxpool(void) {
    const pool_shape s = {2, 2, 7, 6, 3, 2, 1};
    const int64_t p = out_size(s.h, 3, 2, 1), q = out_size(s.w, 3, 2, 1), in = s.n * s.c * s.h * s.w,
                  out = s.n * s.c * p * q;
    maxpool_grad_ctx g = {s, DOUBLES(in), DOUBLES(out), DOUBLES(out)};
    double *dx = DOUBLES(in), *num = DOUBLES(in);
    int32_t *am = xalloc(out, sizeof(int32_t));
    /* Distinct values on a grid 1/64 apart: no window has a near-tie the perturbation could flip. */
    for (int64_t j = 0; j < in; j++) g.x[j] = (double)((j * 37) % in) / 64.0 - 1.0;
    float *scratch = FLOATS(out);
    fill_signed(scratch, g.r, out, 0.1f, 1.0f, 0.0f);
    pt_reference_maxpool2d_forward(s.n, s.c, s.h, s.w, s.kernel, s.stride, s.padding, g.x, g.y, am);
    pt_reference_maxpool2d_backward(s.n, s.c, s.h, s.w, p, q, g.r, am, dx);
    numeric_grad(maxpool_loss, &g, g.x, in, 1e-6, num);
    close_dd("maxpool gradcheck dx", dx, num, in, 1e-9, 1e-8);
    free(g.x), free(g.r), free(g.y), free(dx), free(num), free(am), free(scratch);
}

/* HW = 49 (7x7), 1, and 128 x 64 planes of 16 (the CIFAR ResNet head; >= 65536 elements: parallel). */
static const bn_shape avg_shapes[] = {{2, 3, 49}, {1, 1, 1}, {3, 5, 1}, {128, 64, 16}};

static void test_global_avgpool(void) {
    for (int k = 0; k < 4; k++) {
        const bn_shape s = avg_shapes[k];
        const int64_t in = s.n * s.c * s.hw, out = s.n * s.c;
        float *x = FLOATS(in), *y = FLOATS(out), *dy = FLOATS(out), *dx = FLOATS(in);
        double *xd = DOUBLES(in), *yd = DOUBLES(out), *dyd = DOUBLES(out), *dxd = DOUBLES(in);
        fill_signed(x, xd, in, 0.01f, 2.0f, 0.3f);
        fill_signed(dy, dyd, out, 0.01f, 1.0f, 0.0f);
        char what[96];
        snprintf(what, sizeof what, "global avgpool (%lld, %lld, %lld)", (long long)s.n, (long long)s.c, (long long)s.hw);
        if (status_ok(pt_global_avgpool_forward(CPU, s.n, s.c, s.hw, x, y), what)) {
            pt_reference_global_avgpool_forward(s.n, s.c, s.hw, xd, yd);
            close_fd(what, y, yd, out, 1e-12, 6e-8, F_AVGPOOL); /* a double mean rounded once: 2^-24 = 5.96e-8 */
        }
        if (status_ok(pt_global_avgpool_backward(CPU, s.n, s.c, s.hw, dy, dx), what)) {
            pt_reference_global_avgpool_backward(s.n, s.c, s.hw, dyd, dxd);
            close_fd("global avgpool backward", dx, dxd, in, 0.0, 0x1p-24, F_AVGPOOL); /* dy / HW rounded once */
        }
        free(x), free(y), free(dy), free(dx), free(xd), free(yd), free(dyd), free(dxd);
    }
}

typedef struct avg_grad_ctx {
    int64_t n, c, hw;
    double *x, *r, *y;
} avg_grad_ctx;

static double avgpool_loss(void *p) {
    avg_grad_ctx *g = p;
    pt_reference_global_avgpool_forward(g->n, g->c, g->hw, g->x, g->y);
    return dot(g->r, g->y, g->n * g->c);
}

static void gradcheck_avgpool(void) {
    avg_grad_ctx g = {2, 3, 9, DOUBLES(54), DOUBLES(6), DOUBLES(6)};
    double *dx = DOUBLES(54), *num = DOUBLES(54);
    float *scratch = FLOATS(54);
    fill_signed(scratch, g.x, 54, 0.1f, 1.0f, 0.0f);
    fill_signed(scratch, g.r, 6, 0.1f, 1.0f, 0.0f);
    pt_reference_global_avgpool_backward(2, 3, 9, g.r, dx);
    numeric_grad(avgpool_loss, &g, g.x, 54, 1e-6, num);
    close_dd("global avgpool gradcheck dx", dx, num, 54, 1e-9, 1e-8);
    free(g.x), free(g.r), free(g.y), free(dx), free(num), free(scratch);
}

/* ---------------------------------------------------------------- cross-entropy */

typedef struct ce_shape {
    int64_t n, classes;
} ce_shape;

/* Tiny, CIFAR-10, ImageNet-like, and big enough for the OpenMP path (300 x 1000). */
static const ce_shape ce_shapes[] = {{5, 3}, {1, 1}, {37, 10}, {64, 1000}, {300, 1000}, {3, 1}};
#define NUM_CE_SHAPES ((int)(sizeof ce_shapes / sizeof ce_shapes[0]))

static void test_cross_entropy(const ce_shape s, double ls, double grad_scale) {
    const int64_t numel = s.n * s.classes;
    float *z = FLOATS(numel), *p = FLOATS(numel), *d = FLOATS(numel);
    double *zd = DOUBLES(numel), *pd = DOUBLES(numel), *dd = DOUBLES(numel), *pf = DOUBLES(numel);
    int32_t *t = xalloc(s.n, sizeof(int32_t));
    fill_signed(z, zd, numel, 0.05f, 6.0f, 0.0f);
    for (int64_t i = 0; i < s.n; i++) t[i] = (int32_t)(rng_next() % (uint64_t)s.classes);
    char what[128];
    snprintf(what, sizeof what, "cross-entropy (%lld, %lld) label_smoothing=%g grad_scale=%g", (long long)s.n,
             (long long)s.classes, ls, grad_scale);
    double loss = NAN, loss_ref = NAN;
    if (!status_ok(pt_cross_entropy_forward(CPU, s.n, s.classes, z, t, ls, p, &loss), what)) return;
    pt_reference_cross_entropy_forward(s.n, s.classes, zd, t, ls, pd, &loss_ref);
    /* probs: exp in double stored as float, then scaled by 1/sum: two roundings. */
    close_fd(what, p, pd, numel, 1e-30, 2.5e-7, F_CE_PROBS);
    /* The loss is double throughout; only the summation order and the algebraic form differ. */
    {
        const double dl = fabs(loss - loss_ref), tol = 1e-12 + 1e-12 * fabs(loss_ref);
        if (dl > stats[F_CE_LOSS].max_abs) stats[F_CE_LOSS].max_abs = dl;
        if (dl / tol > stats[F_CE_LOSS].max_used) stats[F_CE_LOSS].max_used = dl / tol;
        CHECK(dl <= tol, "%s: loss %.17g, reference %.17g", what, loss, loss_ref);
    }
    /* Backward: both twins from the same (float) probs. */
    to_double(p, pf, numel);
    if (status_ok(pt_cross_entropy_backward(CPU, s.n, s.classes, p, t, ls, grad_scale, d), what)) {
        pt_reference_cross_entropy_backward(s.n, s.classes, pf, t, ls, grad_scale, dd);
        close_fd(what, d, dd, numel, 1e-30, 1.2e-7, F_CE_GRAD); /* double maths rounded once */
    }
    free(z), free(p), free(d), free(zd), free(pd), free(dd), free(pf), free(t);
}

static void test_cross_entropy_by_hand(void) {
    /* torch: F.cross_entropy(tensor([[1., 0., -1.]]), tensor([0]), label_smoothing=0.1) */
    const float z[3] = {1.0f, 0.0f, -1.0f};
    const int32_t t[1] = {0};
    float p[3], d[3];
    double loss;
    pt_cross_entropy_forward(CPU, 1, 3, z, t, 0.1, p, &loss);
    CHECK(fabs(loss - 0.5076059644443804) <= 1e-12, "CE with label smoothing 0.1: loss %.17g, want 0.5076059644443804",
          loss);
    pt_cross_entropy_forward(CPU, 1, 3, z, t, 0.0, p, &loss);
    CHECK(fabs(loss - 0.40760596444438035) <= 1e-12, "CE: loss %.17g, want 0.40760596444438035", loss);
    const double lse = 1.4076059644443804;
    for (int k = 0; k < 3; k++) CHECK(fabs(p[k] - exp(z[k] - lse)) <= 1e-7 * p[k], "CE probs[%d] = %g", k, p[k]);
    /* grad = (p - q) / N * grad_scale, q = 0.9 * onehot + 0.1 / 3 */
    pt_cross_entropy_backward(CPU, 1, 3, p, t, 0.1, 2.0, d);
    for (int k = 0; k < 3; k++) {
        const double want = 2.0 * (exp(z[k] - lse) - (0.9 * (k == 0) + 0.1 / 3));
        CHECK(fabs(d[k] - want) <= 1e-6, "CE dlogits[%d] = %g, want %g", k, d[k], want);
    }
    /* Two rows, mean reduction: logits equal -> log(2) each. */
    const float z2[4] = {3.0f, 3.0f, -1.0f, -1.0f};
    const int32_t t2[2] = {1, 0};
    float p2[4];
    pt_cross_entropy_forward(CPU, 2, 2, z2, t2, 0.0, p2, &loss);
    CHECK(fabs(loss - log(2.0)) <= 1e-12, "CE mean of two log(2) rows: %.17g", loss);
    /* Huge logits stay finite (log-sum-exp around the maximum). */
    const float z3[2] = {1000.0f, -1000.0f};
    pt_cross_entropy_forward(CPU, 1, 2, z3, t, 0.0, p2, &loss);
    CHECK(loss == 0.0 && p2[0] == 1.0f && p2[1] == 0.0f, "CE with logits +-1000: loss %g, probs %g %g", loss, p2[0], p2[1]);
}

typedef struct ce_grad_ctx {
    int64_t n, classes;
    double *z, *p, ls, grad_scale;
    int32_t *t;
} ce_grad_ctx;

static double ce_loss(void *p) {
    ce_grad_ctx *g = p;
    double loss;
    pt_reference_cross_entropy_forward(g->n, g->classes, g->z, g->t, g->ls, g->p, &loss);
    return g->grad_scale * loss;
}

static void gradcheck_cross_entropy(double ls, double grad_scale) {
    const int64_t n = 4, classes = 5, numel = n * classes;
    int32_t t[4] = {0, 4, 2, 2};
    ce_grad_ctx g = {n, classes, DOUBLES(numel), DOUBLES(numel), ls, grad_scale, t};
    double *d = DOUBLES(numel), *num = DOUBLES(numel);
    float *scratch = FLOATS(numel);
    fill_signed(scratch, g.z, numel, 0.1f, 3.0f, 0.0f);
    ce_loss(&g);
    pt_reference_cross_entropy_backward(n, classes, g.p, t, ls, grad_scale, d);
    numeric_grad(ce_loss, &g, g.z, numel, 1e-5, num);
    char what[80];
    snprintf(what, sizeof what, "cross-entropy gradcheck ls=%g grad_scale=%g", ls, grad_scale);
    close_dd(what, d, num, numel, 1e-9, 1e-6); /* h = 1e-5: truncation ~1e-10 */
    free(g.z), free(g.p), free(d), free(num), free(scratch);
}

static void test_argmax_correct(void) {
    static const ce_shape shapes[] = {{1, 1}, {7, 3}, {1000, 100}}; /* the last: parallel */
    for (int k = 0; k < 3; k++) {
        const ce_shape s = shapes[k];
        const int64_t numel = s.n * s.classes;
        float *z = FLOATS(numel);
        double *zd = DOUBLES(numel);
        int32_t *t = xalloc(s.n, sizeof(int32_t));
        /* Few levels: many ties, where the first maximum must decide. */
        for (int64_t j = 0; j < numel; j++) zd[j] = z[j] = (float)(rng_next() % 4);
        for (int64_t i = 0; i < s.n; i++) t[i] = (int32_t)(rng_next() % (uint64_t)s.classes);
        int64_t got = -1, want = -2;
        if (status_ok(pt_argmax_correct(CPU, s.n, s.classes, z, t, &got), "argmax_correct")) {
            pt_reference_argmax_correct(s.n, s.classes, zd, t, &want);
            CHECK(got == want, "argmax_correct (%lld, %lld): %lld, reference %lld", (long long)s.n, (long long)s.classes,
                  (long long)got, (long long)want);
        }
        free(z), free(zd), free(t);
    }
    const float z[6] = {1.0f, 3.0f, 3.0f, /* tie: first maximum is class 1 */ -1.0f, -2.0f, -0.5f};
    const int32_t t1[2] = {1, 2}, t2[2] = {2, 0};
    int64_t correct = -1;
    pt_argmax_correct(CPU, 2, 3, z, t1, &correct);
    CHECK(correct == 2, "argmax_correct by hand: %lld, want 2", (long long)correct);
    pt_argmax_correct(CPU, 2, 3, z, t2, &correct);
    CHECK(correct == 0, "argmax_correct by hand (tie goes to the first): %lld, want 0", (long long)correct);
}

/* ---------------------------------------------------------------- thread-count independence */

/* The outputs must be the same bits with 1 thread and with 3 (a team on any machine). */
static void test_thread_independence(void) {
    const int64_t n = 16, c = 8, hw = 1024, numel = n * c * hw, rows = 400, classes = 300;
    float *x = FLOATS(numel), *y1 = FLOATS(numel), *y3 = FLOATS(numel), *sm = FLOATS(c), *si = FLOATS(c);
    float *z = FLOATS(rows * classes), *p = FLOATS(rows * classes);
    double *xd = DOUBLES(numel), loss1, loss3;
    int32_t *t = xalloc(rows, sizeof(int32_t));
    bn_input((bn_shape){n, c, hw}, x, xd);
    fill_signed(z, NULL, rows * classes, 0.1f, 4.0f, 0.0f);
    for (int64_t i = 0; i < rows; i++) t[i] = (int32_t)(rng_next() % (uint64_t)classes);
    const int before = pt_num_threads();
    pt_set_num_threads(1);
    pt_batchnorm2d_forward(CPU, 1, n, c, hw, x, NULL, NULL, NULL, NULL, 0.1, 1e-5, y1, sm, si);
    pt_cross_entropy_forward(CPU, rows, classes, z, t, 0.1, p, &loss1);
    pt_set_num_threads(3);
    pt_batchnorm2d_forward(CPU, 1, n, c, hw, x, NULL, NULL, NULL, NULL, 0.1, 1e-5, y3, sm, si);
    pt_cross_entropy_forward(CPU, rows, classes, z, t, 0.1, p, &loss3);
    pt_set_num_threads(before);
    CHECK(memcmp(y1, y3, (size_t)numel * sizeof(float)) == 0, "batchnorm y differs between 1 and 3 threads");
    CHECK(loss1 == loss3, "cross-entropy loss differs between 1 and 3 threads: %.17g vs %.17g", loss1, loss3);
    free(x), free(y1), free(y3), free(sm), free(si), free(z), free(p), free(xd), free(t);
}

int main(void) {
    printf("simd level %s, %d threads\n", pt_simd_level(), pt_num_threads());
    test_batchnorm();
    gradcheck_batchnorm(1, 1);
    gradcheck_batchnorm(1, 0);
    gradcheck_batchnorm(0, 1);
    test_batchnorm_relu();
    test_relu();
    gradcheck_relu();
    test_elementwise();
    for (int k = 0; k < NUM_POOL_SHAPES; k++)
        for (int tie_mode = 0; tie_mode < 3; tie_mode++) test_maxpool(pool_shapes[k], tie_mode);
    test_maxpool_by_hand();
    gradcheck_maxpool();
    test_global_avgpool();
    gradcheck_avgpool();
    for (int k = 0; k < NUM_CE_SHAPES; k++) {
        test_cross_entropy(ce_shapes[k], 0.0, 1.0);
        test_cross_entropy(ce_shapes[k], 0.1, 1.0);
        test_cross_entropy(ce_shapes[k], 0.1, 0.25);
    }
    test_cross_entropy_by_hand();
    gradcheck_cross_entropy(0.0, 1.0);
    gradcheck_cross_entropy(0.1, 1.0);
    gradcheck_cross_entropy(0.1, 0.5);
    test_argmax_correct();
    test_thread_independence();
    for (int f = 0; f < NUM_FAMILIES; f++)
        printf("  %-28s largest |diff| %.3g (%.0f%% of its tolerance)\n", family_names[f], stats[f].max_abs,
               100.0 * stats[f].max_used);
    return test_exit_status("test_layers");
}
