/*
 * The CUDA conv2d (cuda/conv2d.cu) against the CPU one (cpu/conv2d.c), through the public API only:
 * the same random inputs (never zeros) go to pt_conv2d_forward / _backward with PT_DEVICE_CPU and
 * PT_DEVICE_CUDA, and y, dx, dweight and dbias are compared, printing the largest difference of
 * each. Runs on the CUDA simulator (in-order and shuffled thread schedules, AddressSanitizer) and on
 * a GPU; exits 77 (skipped) where CUDA is unusable.
 *
 * Covered: batch 1, 2 and 3; C and K not multiples of the 64-wide tiles (3, 5, 17, 33) and above
 * them (65, 70: two column tiles); 1x1, 3x3, 7x7 (ResNet's stem: stride 2, pad 3) and 3x5
 * filters; strides 1, 2 and 3 (stride phases with no tap at all: dx must still be written, as 0),
 * different strides and pads per dimension; filters larger than the input (taps only in the
 * padding: cut from the GEMMs, their weight grad 0), and none live at all; sums split into parts
 * (the forward's C*R*S with the bias added after, the input grad's within each stride phase, the
 * weight grad's N*P*Q); bias NULL or not; backward with all
 * grads (dweight, dbias overwritten: the device buffers hold NaN on the simulator until then), with
 * accumulate = 1 onto random grads and dx NULL, and with dx alone; the weight grad of a split sum
 * bit-identical on a second run (determinism); and, on the simulator, host pointers refused with a
 * status.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "panoptim.h"
#include "test_cuda_support.h"
#include "test_support.h"

enum { DEV = 0 }; /* test_cuda_support.h works on device 0 too */

typedef struct conv_case {
    int64_t n, c, h, w, k, r, s, sh, sw, ph, pw;
} conv_case;

static const conv_case cases[] = {
    {3, 3, 13, 13, 5, 3, 3, 1, 1, 1, 1},    /* N*P*Q = 507: the weight grad split into parts */
    {3, 17, 13, 13, 33, 3, 3, 2, 2, 1, 1},  /* ResNet's downsampling 3x3: four stride phases */
    {3, 5, 13, 13, 17, 7, 7, 2, 2, 3, 3},   /* the stem's 7x7, stride 2, pad 3 */
    {3, 33, 7, 7, 17, 1, 1, 1, 1, 0, 0},    /* 1x1 */
    {3, 17, 9, 9, 33, 1, 1, 2, 2, 0, 0},    /* 1x1 stride 2 shortcut: odd dx positions are 0 */
    {1, 65, 5, 5, 70, 3, 3, 1, 1, 1, 1},    /* C, K and C*R*S past one 64-wide tile */
    {2, 3, 7, 13, 5, 3, 5, 1, 3, 0, 2},     /* different filter, stride and pad per dimension */
    {2, 5, 8, 8, 7, 1, 1, 3, 3, 0, 0},      /* stride 3 > filter: phases without any tap */
    {3, 17, 1, 1, 9, 3, 3, 1, 1, 1, 1},     /* 3x3 on a 1x1 input: all but the centre tap in padding */
    {2, 9, 2, 2, 5, 3, 3, 2, 2, 1, 1},      /* 3x3 stride 2 on 2x2 */
    {2, 9, 9, 9, 70, 3, 3, 2, 2, 1, 1},     /* input grad split into parts within each stride phase */
    {2, 3, 1, 2, 4, 2, 2, 5, 5, 3, 3},      /* no live tap at all: y = bias, grads 0 */
    {2, 260, 1, 1, 9, 3, 3, 1, 1, 1, 1},    /* dead taps cut, and the live-tap forward split into parts */
};

static float *random_floats(int64_t n) {
    float *p = xmalloc(sizeof(float) * (size_t)n);
    for (int64_t i = 0; i < n; i++) p[i] = rng_signed(0.1f, 1.0f);
    return p;
}

/* Largest differences over the whole run, per tensor. */
static diff_stats stats_y, stats_dx, stats_dw, stats_db;

/* Tolerance of a sum of L products of inputs in [-1, 1]: both sides add in float (the bias grad in
 * double) but in different orders -- OpenBLAS's blocked and FMA-contracted sgemm over im2col, the
 * GPU's 16-wide slices (and split parts) with or without FMA -- so each result may differ by some
 * ulps of its partial sums, which grow like sqrt(L) for random signs and at most like L: atol =
 * 4 * L * FLT_EPSILON, plus 1e-5 relative for the values far from 0. */
static void compare(const char *what, const float *got_dev, const float *ref, int64_t n, int64_t terms,
                    diff_stats *st, const conv_case *cs) {
    float *got = host_floats(got_dev, n);
    if (check_close(what, got, ref, n, 4.0 * (double)terms * FLT_EPSILON, 1e-5, st))
        fprintf(stderr, "  in case n=%lld c=%lld h=%lld w=%lld k=%lld r=%lld s=%lld stride=(%lld,%lld) pad=(%lld,%lld)\n",
                (long long)cs->n, (long long)cs->c, (long long)cs->h, (long long)cs->w, (long long)cs->k,
                (long long)cs->r, (long long)cs->s, (long long)cs->sh, (long long)cs->sw, (long long)cs->ph,
                (long long)cs->pw);
    free(got);
}

#define SHAPE(cs) (cs)->n, (cs)->c, (cs)->h, (cs)->w, (cs)->k, (cs)->r, (cs)->s, (cs)->sh, (cs)->sw, (cs)->ph, (cs)->pw

static void run_case(const conv_case *cs, int with_bias) {
    const int64_t p = (cs->h + 2 * cs->ph - cs->r) / cs->sh + 1, q = (cs->w + 2 * cs->pw - cs->s) / cs->sw + 1;
    const int64_t nx = cs->n * cs->c * cs->h * cs->w, nw = cs->k * cs->c * cs->r * cs->s, ny = cs->n * cs->k * p * q;
    float *x = random_floats(nx), *wt = random_floats(nw), *bias = random_floats(cs->k), *dy = random_floats(ny);
    float *dw0 = random_floats(nw), *db0 = random_floats(cs->k); /* grads already there, for accumulate */
    float *y = xmalloc(sizeof(float) * (size_t)ny), *dx = xmalloc(sizeof(float) * (size_t)nx);
    float *dw = xmalloc(sizeof(float) * (size_t)nw), *db = xmalloc(sizeof(float) * (size_t)cs->k);
    float *d_x = device_floats(x, nx), *d_w = device_floats(wt, nw), *d_b = device_floats(bias, cs->k);
    float *d_dy = device_floats(dy, ny), *d_y = device_floats(NULL, ny), *d_dx = device_floats(NULL, nx);
    float *d_dw = device_floats(NULL, nw), *d_db = device_floats(NULL, cs->k);
    const int64_t crs = cs->c * cs->r * cs->s, krs = cs->k * cs->r * cs->s, npq = cs->n * p * q;

    /* forward */
    MUST(pt_conv2d_forward(PT_DEVICE_CPU, SHAPE(cs), x, wt, with_bias ? bias : NULL, y));
    MUST(pt_conv2d_forward(PT_DEVICE_CUDA, SHAPE(cs), d_x, d_w, with_bias ? d_b : NULL, d_y));
    compare("y", d_y, y, ny, crs + 1, &stats_y, cs);

    /* every grad, overwritten */
    MUST(pt_conv2d_backward(PT_DEVICE_CPU, SHAPE(cs), x, wt, dy, dx, dw, db, 0));
    MUST(pt_conv2d_backward(PT_DEVICE_CUDA, SHAPE(cs), d_x, d_w, d_dy, d_dx, d_dw, d_db, 0));
    compare("dx", d_dx, dx, nx, krs, &stats_dx, cs);
    compare("dweight", d_dw, dw, nw, npq, &stats_dw, cs);
    compare("dbias", d_db, db, cs->k, npq, &stats_db, cs);

    /* the same weight grad again: bit for bit (no order that varies between runs) */
    float *first = host_floats(d_dw, nw);
    MUST(pt_conv2d_backward(PT_DEVICE_CUDA, SHAPE(cs), d_x, d_w, d_dy, NULL, d_dw, NULL, 0));
    float *second = host_floats(d_dw, nw);
    CHECK(memcmp(first, second, sizeof(float) * (size_t)nw) == 0, "dweight differs between two identical runs");
    free(first);
    free(second);

    /* accumulate onto existing grads, dx skipped */
    memcpy(dw, dw0, sizeof(float) * (size_t)nw);
    memcpy(db, db0, sizeof(float) * (size_t)cs->k);
    MUST(pt_cuda_copy(DEV, d_dw, dw0, (int64_t)sizeof(float) * nw, PT_COPY_HOST_TO_DEVICE));
    MUST(pt_cuda_copy(DEV, d_db, db0, (int64_t)sizeof(float) * cs->k, PT_COPY_HOST_TO_DEVICE));
    MUST(pt_conv2d_backward(PT_DEVICE_CPU, SHAPE(cs), x, wt, dy, NULL, dw, db, 1));
    MUST(pt_conv2d_backward(PT_DEVICE_CUDA, SHAPE(cs), d_x, d_w, d_dy, NULL, d_dw, d_db, 1));
    compare("dweight (accumulate)", d_dw, dw, nw, npq + 1, &stats_dw, cs);
    compare("dbias (accumulate)", d_db, db, cs->k, npq + 1, &stats_db, cs);

    /* dx alone (a first layer's grads are skipped the other way; this one has frozen params) */
    MUST(pt_cuda_free(DEV, d_dx));
    d_dx = device_floats(NULL, nx); /* NaN again on the simulator */
    MUST(pt_conv2d_backward(PT_DEVICE_CUDA, SHAPE(cs), d_x, d_w, d_dy, d_dx, NULL, NULL, 1));
    compare("dx (alone)", d_dx, dx, nx, krs, &stats_dx, cs);

    float *dev[] = {d_x, d_w, d_b, d_dy, d_y, d_dx, d_dw, d_db};
    for (size_t i = 0; i < sizeof dev / sizeof dev[0]; i++) MUST(pt_cuda_free(DEV, dev[i]));
    float *host[] = {x, wt, bias, dy, dw0, db0, y, dx, dw, db};
    for (size_t i = 0; i < sizeof host / sizeof host[0]; i++) free(host[i]);
}

/* Host pointers where device memory is due: a status naming the problem, not a crash (the
 * simulator checks kernel arguments at launch; a GPU would fault later, so only here). */
static void host_pointers(void) {
    const conv_case cs = {1, 2, 5, 5, 3, 3, 3, 1, 1, 1, 1};
    float x[50], wt[54], y[75], dy[75];
    for (int i = 0; i < 50; i++) x[i] = 1.0f;
    for (int i = 0; i < 54; i++) wt[i] = 1.0f;
    for (int i = 0; i < 75; i++) dy[i] = 1.0f;
    float *d_y = device_floats(NULL, 75), *d_w = device_floats(wt, 54);
    int s = pt_conv2d_forward(PT_DEVICE_CUDA, SHAPE(&cs), x, d_w, NULL, d_y);
    CHECK(s != PT_OK && strstr(pt_last_error(), "pt_conv2d_forward") != NULL,
          "forward with a host x: status %d (%s)", s, pt_last_error());
    s = pt_conv2d_backward(PT_DEVICE_CUDA, SHAPE(&cs), x, d_w, dy, NULL, y, NULL, 0);
    CHECK(s != PT_OK && strstr(pt_last_error(), "pt_conv2d_backward") != NULL,
          "backward with host pointers: status %d (%s)", s, pt_last_error());
    MUST(pt_cuda_synchronize(DEV));
    MUST(pt_cuda_free(DEV, d_y));
    MUST(pt_cuda_free(DEV, d_w));
}

int main(void) {
    int count = 0;
    if (pt_cuda_device_count(&count) != PT_OK) {
        if (!pt_cuda_simulated()) {
            printf("test_cuda_conv2d: skipped: %s\n", pt_last_error());
            return 77;
        }
        CHECK(0, "the simulator has no device: %s", pt_last_error());
        return test_exit_status("test_cuda_conv2d");
    }
    MUST(pt_cuda_set_device(DEV));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_case(&cases[i], (int)(i % 2 == 1));
    if (pt_cuda_simulated()) host_pointers();
    printf("largest |cuda - cpu|: y %.3g, dx %.3g, dweight %.3g, dbias %.3g (at most %.2f of the tolerance)\n",
           stats_y.max_abs, stats_dx.max_abs, stats_dw.max_abs, stats_db.max_abs,
           fmax(fmax(stats_y.max_used, stats_dx.max_used), fmax(stats_dw.max_used, stats_db.max_used)));
    return test_exit_status("test_cuda_conv2d");
}
