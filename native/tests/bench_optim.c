/*
 * Bandwidth of the fused CPU steps at 2^24 params against memcpy of 2^24 floats. Not a test:
 * run ./bench_optim from the build folder (optionally with a thread count argument).
 *
 * A fused step touches each byte once, so its bandwidth is (bytes read + bytes written) / time:
 * AdamW reads p, g, m, v and writes p, m, v (28 B/param). memcpy moves 4 B read + 4 B written
 * per float, and is single-threaded as glibc ships it. Reported: the median and the best of the
 * timed repetitions (the best is the machine's capability when other work shares the cores).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "panoptim.h"

#define N ((int64_t)1 << 24)
#define REPS 15

static float *buffer(float value) {
    float *p = malloc((size_t)N * sizeof(float));
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    for (int64_t j = 0; j < N; j++) p[j] = value; /* fault every page in before timing */
    return p;
}

static int cmp_double(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef void (*bench_fn)(void);

typedef struct timing {
    double median, best; /* seconds per call */
} timing;

/* Times REPS calls after two warm-up calls. */
static timing time_calls(bench_fn fn) {
    double t[REPS];
    fn();
    fn();
    for (int r = 0; r < REPS; r++) {
        const double t0 = omp_get_wtime();
        fn();
        t[r] = omp_get_wtime() - t0;
    }
    qsort(t, REPS, sizeof t[0], cmp_double);
    return (timing){t[REPS / 2], t[0]};
}

static float *p, *g, *s1, *s2, *s3, *src, *dst;
static const int64_t numel = N;
static int64_t step = 1;

/* Same starting state for every case, so that none runs on NaNs or denormals left by another. */
static void reset(void) {
    for (int64_t j = 0; j < N; j++) {
        p[j] = 0.5f;
        s1[j] = 1.0f;
        s2[j] = s3[j] = 0.01f;
    }
}

static void run_memcpy(void) { memcpy(dst, src, (size_t)N * sizeof(float)); }

static void run_memcpy_parallel(void) {
#pragma omp parallel
    {
        const int64_t nt = omp_get_num_threads(), t = omp_get_thread_num();
        const int64_t lo = N * t / nt, hi = N * (t + 1) / nt;
        memcpy(dst + lo, src + lo, (size_t)(hi - lo) * sizeof(float));
    }
}

/* A plain copy loop on all threads: ordinary (cached) stores, unlike glibc's non-temporal ones
 * for large sizes; whichever copy is faster on a machine is the fair yardstick. */
static void run_copy_loop(void) {
#pragma omp parallel for simd schedule(static)
    for (int64_t j = 0; j < N; j++) dst[j] = src[j];
}

static void check(int status) {
    if (status != PT_OK) {
        fprintf(stderr, "step failed: %s\n", pt_last_error());
        exit(1);
    }
}

static void run_adamw(void) {
    step++; /* keeps the bias corrections moving, as in training */
    check(pt_adamw_step(PT_DEVICE_CPU, 1, &numel, &p, (const float *const *)&g, &s1, &s2, NULL, &step, 1e-3, 0.9,
                        0.999, 1e-8, 0.01, 0, 0));
}

static void run_adamw_amsgrad(void) {
    step++;
    check(pt_adamw_step(PT_DEVICE_CPU, 1, &numel, &p, (const float *const *)&g, &s1, &s2, &s3, &step, 1e-3, 0.9,
                        0.999, 1e-8, 0.01, 1, 0));
}

/* The same 2^24 params as 256 tensors of 2^16 in one call, as a real model's param group. */
#define PIECES 256
static int64_t piece_numels[PIECES], piece_steps[PIECES];
static float *piece_p[PIECES], *piece_m[PIECES], *piece_v[PIECES];
static const float *piece_g[PIECES];

static void run_adamw_256_tensors(void) {
    for (int i = 0; i < PIECES; i++) piece_steps[i] = step;
    step++;
    check(pt_adamw_step(PT_DEVICE_CPU, PIECES, piece_numels, piece_p, piece_g, piece_m, piece_v, NULL, piece_steps,
                        1e-3, 0.9, 0.999, 1e-8, 0.01, 0, 0));
}

static void run_sgd_momentum(void) {
    const uint8_t is_new = 0;
    check(pt_sgd_step(PT_DEVICE_CPU, 1, &numel, &p, (const float *const *)&g, &s1, &is_new, 1e-3, 0.9, 0.0, 1e-4,
                      0, 0));
}

static void run_sgd_plain(void) {
    check(pt_sgd_step(PT_DEVICE_CPU, 1, &numel, &p, (const float *const *)&g, NULL, NULL, 1e-3, 0.0, 0.0, 0.0, 0,
                      0));
}

static void run_rmsprop(void) {
    check(pt_rmsprop_step(PT_DEVICE_CPU, 1, &numel, &p, (const float *const *)&g, &s1, NULL, NULL, 1e-3, 0.99,
                          1e-8, 0.0, 0.0, 0, 0));
}

static void run_rmsprop_centered_momentum(void) {
    check(pt_rmsprop_step(PT_DEVICE_CPU, 1, &numel, &p, (const float *const *)&g, &s1, &s2, &s3, 1e-3, 0.99, 1e-8,
                          0.0, 0.9, 1, 0));
}

int main(int argc, char **argv) {
    if (argc > 1 && pt_set_num_threads(atoi(argv[1])) != PT_OK) {
        fprintf(stderr, "%s\n", pt_last_error());
        return 1;
    }
    p = buffer(0.5f), g = buffer(0.01f), s1 = buffer(0.0f), s2 = buffer(0.0f), s3 = buffer(0.0f);
    src = buffer(1.0f), dst = buffer(0.0f);
    for (int i = 0; i < PIECES; i++) {
        const int64_t off = (int64_t)i * (N / PIECES);
        piece_numels[i] = N / PIECES;
        piece_p[i] = p + off, piece_g[i] = g + off, piece_m[i] = s1 + off, piece_v[i] = s2 + off;
    }
    printf("panoptim %s, simd %s, %d threads, 2^24 params (%.0f MiB per buffer)\n", pt_version(), pt_simd_level(),
           pt_num_threads(), N * 4.0 / (1 << 20));

    const double gb = 1e9;
    const timing tm = time_calls(run_memcpy), tp = time_calls(run_memcpy_parallel), tl = time_calls(run_copy_loop);
    const double memcpy_gbs = 8.0 * N / tm.median / gb, memcpy_best = 8.0 * N / tm.best / gb;
    printf("%-26s %5s  %9s %9s  %s\n", "", "B/el", "median", "best", "ratio to 1-thread memcpy (median, best)");
    printf("%-26s %5d  %4.1f GB/s %4.1f GB/s\n", "memcpy (glibc, 1 thread)", 8, memcpy_gbs, memcpy_best);
    printf("%-26s %5d  %4.1f GB/s %4.1f GB/s\n", "memcpy (all threads)", 8, 8.0 * N / tp.median / gb,
           8.0 * N / tp.best / gb);
    printf("%-26s %5d  %4.1f GB/s %4.1f GB/s\n", "copy loop (all threads)", 8, 8.0 * N / tl.median / gb,
           8.0 * N / tl.best / gb);

    static const struct {
        const char *name;
        bench_fn fn;
        int bytes;
    } cases[] = {
        {"adamw", run_adamw, 28},
        {"adamw, 256 tensors", run_adamw_256_tensors, 28},
        {"adamw amsgrad", run_adamw_amsgrad, 36},
        {"sgd momentum", run_sgd_momentum, 20},
        {"sgd plain", run_sgd_plain, 12},
        {"rmsprop", run_rmsprop, 20},
        {"rmsprop centered+momentum", run_rmsprop_centered_momentum, 36},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        reset();
        const timing t = time_calls(cases[c].fn);
        const double med = (double)cases[c].bytes * N / t.median / gb, best = (double)cases[c].bytes * N / t.best / gb;
        printf("%-26s %5d  %4.1f GB/s %4.1f GB/s  %.2f  %.2f\n", cases[c].name, cases[c].bytes, med, best,
               med / memcpy_gbs, best / memcpy_best);
    }
    return 0;
}
