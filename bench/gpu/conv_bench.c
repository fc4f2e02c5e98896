/*
 * conv_bench: the CUDA conv2d (cuda/conv2d.cu) over ResNet-34's conv shapes at batch 64 with 32x32
 * inputs (the stem and max-pool take 32 -> 16 -> 8, so the four stages run at 8x8, 4x4, 2x2 and
 * 1x1: native/tests/resnet34_convs.h, which bench_conv.c times on the CPU). Per shape:
 * forward, and backward with dx, dweight and dbias, each checked once against the CPU call
 * ("check" = max |cuda - cpu| / (1 + |cpu|) over y, dx, dweight, dbias), then timed over --reps calls
 * after --warmup: CUDA events on panoptim's stream on a GPU (nothing waits between calls), the host
 * clock on the simulator (conv_bench_sim, whose figures mean nothing: its ctest runs every shape at
 * batch 1 to check the harness). GFLOP/s count the nominal 2*N*K*C*R*S*P*Q of a forward, taps over
 * the padding included, as conv benchmarks do; a backward (dx and dweight) is twice that. The last
 * row is a whole ResNet-34 conv pass (each shape times its occurrences in the network), from the
 * medians.
 *   ./conv_bench [--batch N] [--warmup N] [--reps N]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_clock.h"
#include "panoptim.h"
#include "resnet34_convs.h"

enum { SHAPES = sizeof shapes / sizeof shapes[0] };

/* One shape's tensors: host copies (h_*) for the CPU check, device ones (d_*) for the runs. */
typedef struct tensors {
    int64_t n, p, nx, nw, ny;
    float *h[8], *d[8]; /* x, weight, bias, dy, y, dx, dweight, dbias */
} tensors;
enum { X, WT, B, DY, Y, DX, DW, DB };

#ifdef BENCH_HAVE_EVENTS
static const bench_clock_ops *const timer = &bench_event_clock;
#else
static const bench_clock_ops *const timer = &bench_host_clock;
#endif

static int fail(const char *what) {
    fprintf(stderr, "conv_bench: %s: %s\n", what, pt_last_error());
    return 1;
}

#define ARGS(t, sh) (t)->n, (sh)->c, (sh)->h, (sh)->h, (sh)->k, (sh)->r, (sh)->r, (sh)->stride, (sh)->stride, (sh)->pad, (sh)->pad

static int forward(const tensors *t, const shape *sh, int device) {
    float *const *b = device == PT_DEVICE_CUDA ? t->d : t->h;
    return pt_conv2d_forward(device, ARGS(t, sh), b[X], b[WT], b[B], b[Y]);
}

static int backward(const tensors *t, const shape *sh, int device) {
    float *const *b = device == PT_DEVICE_CUDA ? t->d : t->h;
    return pt_conv2d_backward(device, ARGS(t, sh), b[X], b[WT], b[DY], b[DX], b[DW], b[DB], 0);
}

static int setup(tensors *t, const shape *sh, int64_t batch) {
    memset(t, 0, sizeof *t);
    t->n = batch, t->p = (sh->h + 2 * sh->pad - sh->r) / sh->stride + 1;
    t->nx = batch * sh->c * sh->h * sh->h, t->nw = sh->k * sh->c * sh->r * sh->r, t->ny = batch * sh->k * t->p * t->p;
    const int64_t sizes[8] = {t->nx, t->nw, sh->k, t->ny, t->ny, t->nx, t->nw, sh->k};
    uint64_t state = 0x5eed + (uint64_t)t->nx;
    for (int i = 0; i < 8; i++) {
        t->h[i] = malloc(sizeof(float) * (size_t)sizes[i]);
        if (!t->h[i]) return PT_ERR_OUT_OF_MEMORY;
        for (int64_t j = 0; j < sizes[i]; j++) { /* xorshift in [-1, 1): inputs; outputs overwritten */
            state ^= state << 13, state ^= state >> 7, state ^= state << 17;
            t->h[i][j] = (float)(state >> 40) * 0x1p-23f - 1.0f;
        }
        const int s = pt_cuda_malloc(0, (int64_t)sizeof(float) * sizes[i], (void **)&t->d[i]);
        if (s != PT_OK) return s;
        if (i <= DY && pt_cuda_copy(0, t->d[i], t->h[i], (int64_t)sizeof(float) * sizes[i], PT_COPY_HOST_TO_DEVICE))
            return PT_ERR_DEVICE;
    }
    return PT_OK;
}

static void teardown(tensors *t) {
    for (int i = 0; i < 8; i++) {
        free(t->h[i]);
        if (t->d[i]) pt_cuda_free(0, t->d[i]);
    }
}

/* max |cuda - cpu| / (1 + |cpu|) over the outputs of one forward and one backward; -1 on error. */
static double check(const tensors *t, const shape *sh) {
    if (forward(t, sh, PT_DEVICE_CUDA) || backward(t, sh, PT_DEVICE_CUDA) || forward(t, sh, PT_DEVICE_CPU) ||
        backward(t, sh, PT_DEVICE_CPU) || pt_cuda_synchronize(0))
        return -1;
    const int outs[4] = {Y, DX, DW, DB};
    const int64_t sizes[4] = {t->ny, t->nx, t->nw, sh->k};
    double worst = 0;
    for (int o = 0; o < 4; o++) {
        float *got = malloc(sizeof(float) * (size_t)sizes[o]);
        if (!got || pt_cuda_copy(0, got, t->d[outs[o]], (int64_t)sizeof(float) * sizes[o], PT_COPY_DEVICE_TO_HOST)) {
            free(got);
            return -1;
        }
        for (int64_t j = 0; j < sizes[o]; j++) {
            const double ref = t->h[outs[o]][j], d = fabs(got[j] - ref) / (1 + fabs(ref));
            worst = d > worst || isnan(d) ? d : worst;
        }
        free(got);
    }
    return worst;
}

static int cmp_double(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median ms of `reps` back-to-back calls of run (after `warmup`), or -1 on error. */
static double time_calls(int (*run)(const tensors *, const shape *, int), const tensors *t, const shape *sh,
                         void *stream, int warmup, int reps) {
    for (int i = 0; i < warmup; i++)
        if (run(t, sh, PT_DEVICE_CUDA) != PT_OK) return -1;
    bench_clock *c = NULL;
    const char *err = NULL;
    double *ms = calloc((size_t)reps, sizeof(double)), median = -1;
    int s = ms ? timer->open(&c, 0, stream, reps + 1, &err) : PT_ERR_OUT_OF_MEMORY;
    for (int i = 0; i < reps && s == PT_OK; i++) {
        s = timer->mark(c, i, &err);
        if (s == PT_OK) s = run(t, sh, PT_DEVICE_CUDA);
    }
    if (s == PT_OK) s = timer->mark(c, reps, &err);
    if (s == PT_OK) s = timer->read(c, ms, &err);
    if (s == PT_OK) {
        qsort(ms, (size_t)reps, sizeof(double), cmp_double);
        median = ms[reps / 2];
    } else if (err) {
        fprintf(stderr, "conv_bench: clock: %s\n", err);
    }
    if (c) timer->close(c);
    free(ms);
    return median;
}

int main(int argc, char **argv) {
    int64_t batch = 64;
    int warmup = 3, reps = 20;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && !strcmp(argv[i], "--batch")) batch = atoll(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--warmup")) warmup = atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--reps")) reps = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: conv_bench [--batch N] [--warmup N] [--reps N]\n");
            return 2;
        }
    }
    if (batch < 1 || warmup < 0 || reps < 1) {
        fprintf(stderr, "conv_bench: --batch and --reps must be >= 1, --warmup >= 0\n");
        return 2;
    }
    int count = 0;
    if (pt_cuda_device_count(&count) != PT_OK) {
        printf("conv_bench: skipped: %s\n", pt_last_error());
        return 77;
    }
    char device[128] = "";
    void *stream = NULL;
    if (pt_cuda_set_device(0) || pt_cuda_stream(0, &stream) ||
        pt_cuda_device_info(0, device, sizeof device, NULL, NULL, NULL, NULL))
        return fail("device 0");
    printf("conv_bench on %s%s: ResNet-34 convs, batch %lld, 32x32 inputs; median of %d calls after %d (%s)\n", device,
           pt_cuda_simulated() ? " (simulated: timings meaningless)" : "", (long long)batch, reps, warmup, timer->name);
    printf("%-30s %3s %10s %9s %10s %9s %9s\n", "shape", "x", "fwd ms", "GFLOP/s", "bwd ms", "GFLOP/s", "check");
    double total_ms[2] = {0, 0}, total_flop = 0;
    int bad = 0;
    for (int i = 0; i < SHAPES; i++) {
        const shape *sh = &shapes[i];
        tensors t;
        if (setup(&t, sh, batch) != PT_OK) {
            teardown(&t);
            return fail(sh->name);
        }
        const double flop = 2.0 * (double)batch * sh->k * sh->c * sh->r * sh->r * t.p * t.p;
        const double diff = check(&t, sh);
        const double fwd = time_calls(forward, &t, sh, stream, warmup, reps);
        const double bwd = time_calls(backward, &t, sh, stream, warmup, reps);
        teardown(&t);
        if (diff < 0 || fwd < 0 || bwd < 0) return fail(sh->name);
        bad += !(diff < 1e-3); /* a sum of C*R*S <= 4608 products of [-1, 1) in another order */
        printf("%-30s %3d %10.4f %9.1f %10.4f %9.1f %9.2g%s\n", sh->name, sh->count, fwd, flop / fwd / 1e6, bwd,
               2 * flop / bwd / 1e6, diff, diff < 1e-3 ? "" : " FAIL");
        total_ms[0] += sh->count * fwd, total_ms[1] += sh->count * bwd, total_flop += sh->count * flop;
    }
    printf("%-30s %3s %10.4f %9.1f %10.4f %9.1f\n", "ResNet-34 convs", "", total_ms[0], total_flop / total_ms[0] / 1e6,
           total_ms[1], 2 * total_flop / total_ms[1] / 1e6);
    return bad ? 1 : 0;
}
