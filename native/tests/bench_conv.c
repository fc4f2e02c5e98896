/*
 * Throughput of the CPU conv2d (im2col + OpenBLAS sgemm, cpu/conv2d.c) on ResNet-34's conv shapes
 * at batch 64 with 32x32 inputs (CIFAR-sized: the stem and max-pool take 32 -> 16 -> 8, so the
 * four stages run at 8x8, 4x4, 2x2 and 1x1), against OpenBLAS sgemm's own rate on a large square
 * GEMM measured in the same run. Not a test: run ./bench_conv [threads] [--no-check] from the
 * build folder.
 *
 * FLOPs are the nominal 2*N*K*C*R*S*P*Q of a forward (taps over the padding included, as every
 * conv benchmark counts them); a backward (dx, dweight and dbias) is twice that. So a shape whose
 * filter taps mostly see padding (layer4's 3x3 on 1x1 planes: 8 of 9 taps), which cpu/conv2d.c
 * skips, shows more than the sgemm rate. Each shape is first checked against the direct-loop
 * reference (forward and every backward output; "max diff" is max |fast - ref| / (1 + |ref|)),
 * then timed: two warm-up calls, REPS timed calls (--no-check skips the check). Both the median
 * and the best time are printed; the rates use the best, of the conv and of sgemm alike: on a
 * machine whose cores other work shares now and then, the best is what the machine can do (as in
 * bench_optim). The last row adds up a whole ResNet-34 conv pass (each shape times its number of
 * occurrences in the network).
 *
 * The target: CPU conv >= 60% of the measured sgemm rate.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "cpu/dense_kernels.h"
#include "panoptim.h"
#include "resnet34_convs.h"

#define REPS 15
#define BATCH 64

static float *random_floats(int64_t n) {
    float *p = malloc((size_t)n * sizeof(float));
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    uint64_t state = 0x5eed + (uint64_t)n;
    for (int64_t i = 0; i < n; i++) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        p[i] = (float)((int64_t)(state >> 40) - (1 << 23)) * 0x1p-23f; /* uniform in [-1, 1) */
    }
    return p;
}

static int cmp_double(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct timing {
    double median, best;
} timing;

typedef struct conv_bufs {
    pt_conv2d_shape sh;
    float *x, *w, *b, *y, *dy, *dx, *dw, *db;
} conv_bufs;

static void must(int status, const char *what) {
    if (status != PT_OK) {
        fprintf(stderr, "%s failed: %s\n", what, pt_last_error());
        exit(1);
    }
}

static void run_forward(const conv_bufs *c) {
    const pt_conv2d_shape *s = &c->sh;
    must(pt_conv2d_forward(PT_DEVICE_CPU, s->n, s->c, s->h, s->w, s->k, s->r, s->s, s->stride_h, s->stride_w,
                           s->pad_h, s->pad_w, c->x, c->w, c->b, c->y),
         "pt_conv2d_forward");
}

static void run_backward(const conv_bufs *c) {
    const pt_conv2d_shape *s = &c->sh;
    must(pt_conv2d_backward(PT_DEVICE_CPU, s->n, s->c, s->h, s->w, s->k, s->r, s->s, s->stride_h, s->stride_w,
                            s->pad_h, s->pad_w, c->x, c->w, c->dy, c->dx, c->dw, c->db, 0),
         "pt_conv2d_backward");
}

typedef void (*conv_fn)(const conv_bufs *);

static timing time_calls(conv_fn fn, const conv_bufs *c) {
    double t[REPS];
    fn(c);
    fn(c);
    for (int i = 0; i < REPS; i++) {
        const double t0 = omp_get_wtime();
        fn(c);
        t[i] = omp_get_wtime() - t0;
    }
    qsort(t, REPS, sizeof t[0], cmp_double);
    return (timing){t[REPS / 2], t[0]};
}

/* Largest |fast - ref| / (1 + |ref|) over n floats. */
static double max_rel_diff(const float *got, const float *ref, int64_t n) {
    double worst = 0.0;
    for (int64_t i = 0; i < n; i++) {
        const double d = fabs((double)got[i] - (double)ref[i]) / (1.0 + fabs((double)ref[i]));
        if (!(d <= worst)) worst = d; /* NaN sticks */
    }
    return worst;
}

/* Forward and every backward output against the reference: returns the largest difference. */
static double validate(const conv_bufs *c) {
    const pt_conv2d_shape *s = &c->sh;
    const int64_t nx = s->n * s->c * s->h * s->w, nw = s->k * s->c * s->r * s->s, ny = s->n * s->k * s->p * s->q;
    float *y = malloc((size_t)ny * sizeof(float)), *dx = malloc((size_t)nx * sizeof(float));
    float *dw = malloc((size_t)nw * sizeof(float)), *db = malloc((size_t)s->k * sizeof(float));
    run_forward(c);
    run_backward(c);
    pt_reference_conv2d_forward(s, c->x, c->w, c->b, y);
    pt_reference_conv2d_backward(s, c->x, c->w, c->dy, dx, dw, db, 0);
    double worst = max_rel_diff(c->y, y, ny);
    const double d[3] = {max_rel_diff(c->dx, dx, nx), max_rel_diff(c->dw, dw, nw), max_rel_diff(c->db, db, s->k)};
    for (int i = 0; i < 3; i++) worst = d[i] > worst || d[i] != d[i] ? d[i] : worst;
    free(y), free(dx), free(dw), free(db);
    return worst;
}

static double sgemm_rate(int64_t m, int64_t n, int64_t k, double *best_rate) {
    float *a = random_floats(m * k), *b = random_floats(k * n), *c = random_floats(m * n);
    double t[REPS];
    for (int i = -2; i < REPS; i++) {
        const double t0 = omp_get_wtime();
        must(pt_matmul(PT_DEVICE_CPU, 0, 0, m, n, k, 1.0, a, b, 0.0, c), "pt_matmul");
        if (i >= 0) t[i] = omp_get_wtime() - t0;
    }
    qsort(t, REPS, sizeof t[0], cmp_double);
    free(a), free(b), free(c);
    const double flops = 2.0 * (double)m * (double)n * (double)k;
    *best_rate = flops / t[0] / 1e9;
    return flops / t[REPS / 2] / 1e9;
}

int main(int argc, char **argv) {
    int check = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-check") == 0) check = 0;
        else pt_set_num_threads(atoi(argv[i]));
    }
    printf("bench_conv: %d threads, SIMD %s, batch %d, 32x32 inputs\n", pt_num_threads(), pt_simd_level(), BATCH);

    double sgemm_best;
    const double sgemm = sgemm_rate(2048, 2048, 2048, &sgemm_best);
    printf("sgemm 2048x2048x2048 (pt_matmul): %.1f GFLOP/s median, %.1f best\n\n", sgemm, sgemm_best);

    printf("%-32s %6s %8s | %7s %7s %7s %5s | %7s %7s %7s %5s\n", "shape (x count in resnet34)", "GFLOP",
           "max diff", "fwd ms", "best", "GFLOP/s", "%gemm", "f+b ms", "best", "GFLOP/s", "%gemm");
    double net_flops = 0, net_fwd[2] = {0, 0}, net_fb[2] = {0, 0}; /* [median, best] */
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        const shape *s = &shapes[i];
        const int64_t p = (s->h + 2 * s->pad - s->r) / s->stride + 1;
        conv_bufs c = {.sh = {BATCH, s->c, s->h, s->h, s->k, s->r, s->r, s->stride, s->stride, s->pad, s->pad, p, p}};
        const int64_t nx = BATCH * s->c * s->h * s->h, nw = s->k * s->c * s->r * s->r, ny = BATCH * s->k * p * p;
        c.x = random_floats(nx), c.w = random_floats(nw), c.b = random_floats(s->k), c.dy = random_floats(ny);
        c.y = random_floats(ny), c.dx = random_floats(nx), c.dw = random_floats(nw), c.db = random_floats(s->k);

        const double diff = check ? validate(&c) : NAN;
        const timing fwd = time_calls(run_forward, &c), bwd = time_calls(run_backward, &c);
        const double flops = 2.0 * BATCH * s->k * s->c * s->r * s->r * p * p;
        const double fwd_rate = flops / fwd.best / 1e9, fb_rate = 3 * flops / (fwd.best + bwd.best) / 1e9;
        char label[64];
        snprintf(label, sizeof label, "%s (x%d)", s->name, s->count);
        printf("%-32s %6.3f %8.1e | %7.3f %7.3f %7.1f %4.0f%% | %7.3f %7.3f %7.1f %4.0f%%\n", label, flops / 1e9, diff,
               fwd.median * 1e3, fwd.best * 1e3, fwd_rate, 100 * fwd_rate / sgemm_best, (fwd.median + bwd.median) * 1e3,
               (fwd.best + bwd.best) * 1e3, fb_rate, 100 * fb_rate / sgemm_best);
        net_flops += s->count * flops;
        net_fwd[0] += s->count * fwd.median, net_fwd[1] += s->count * fwd.best;
        net_fb[0] += s->count * (fwd.median + bwd.median), net_fb[1] += s->count * (fwd.best + bwd.best);
        free(c.x), free(c.w), free(c.b), free(c.dy), free(c.y), free(c.dx), free(c.dw), free(c.db);
    }
    const double net_fwd_rate = net_flops / net_fwd[1] / 1e9, net_fb_rate = 3 * net_flops / net_fb[1] / 1e9;
    printf("%-32s %6.3f %8s | %7.2f %7.2f %7.1f %4.0f%% | %7.2f %7.2f %7.1f %4.0f%%\n", "resnet34 convs, weighted",
           net_flops / 1e9, "", net_fwd[0] * 1e3, net_fwd[1] * 1e3, net_fwd_rate, 100 * net_fwd_rate / sgemm_best,
           net_fb[0] * 1e3, net_fb[1] * 1e3, net_fb_rate, 100 * net_fb_rate / sgemm_best);
    printf("\nms: median and best of %d calls; GFLOP/s from the best; %%gemm = that / the best sgemm rate\n", REPS);
    return 0;
}
