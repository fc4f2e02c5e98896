/*
 * bench/gpu/gemm_bench: GFLOP/s of pt_matmul (panoptim's own SGEMM on CUDA, OpenBLAS on the CPU)
 * over the public C API, on square products and the GEMM shapes of a ResNet:
 *   square    4096^3 in the four transpose combinations, 1024^3 and 2048^3
 *   linear    a 512 -> 1000 classifier at batch 256: forward (x @ W^T), dx (dy @ W), dW (dy^T @ x)
 *   conv      ResNet-34's 3x3 convolutions at batch 64 on 32 x 32 inputs (and the 7x7 stem) as the
 *             one GEMM an implicit-GEMM forward computes: (K, C*R*S) @ (C*R*S, N*P*Q)
 * Per shape: --warmup calls, then --iters calls back to back, timed by CUDA events on panoptim's
 * stream (the host clock for --device cpu and on the CUDA simulator, whose figures mean nothing);
 * the median and best call, GFLOP/s = 2 M N K / 1e9 / s of the median. Before timing, 32 entries of
 * the first product are checked against a double-precision dot product on the host (tolerance
 * 2 (K + 4) u sum |a| |b|, as test_cuda_matmul), so a figure is never that of a wrong product.
 *
 *   gemm_bench [--device cuda|cpu] [--shapes square,linear,conv] [--shape MxNxK[:nn|nt|tn|tt]]...
 *              [--warmup W] [--iters R] [--quick]
 * --shape (repeatable) replaces the named sets; --quick runs two tiny shapes once (the ctests).
 * Exit status: 0, 1 when a call failed or a check disagreed, 2 on bad arguments, 77 when --device
 * cuda finds no usable device.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_clock.h"
#include "bench_mem.h"
#include "panoptim.h"

enum { MAX_SHAPES = 64, CHECKS = 32 };

typedef struct shape {
    char name[48];
    int ta, tb;
    int64_t m, n, k;
} shape;

static shape shapes[MAX_SHAPES];
static int num_shapes;

static void add(const char *name, int ta, int tb, int64_t m, int64_t n, int64_t k) {
    if (num_shapes == MAX_SHAPES) return;
    shape *s = &shapes[num_shapes++];
    snprintf(s->name, sizeof s->name, "%s", name);
    s->ta = ta, s->tb = tb, s->m = m, s->n = n, s->k = k;
}

static void add_set(const char *set) {
    if (strcmp(set, "square") == 0) {
        add("square", 0, 0, 4096, 4096, 4096);
        add("square", 0, 1, 4096, 4096, 4096);
        add("square", 1, 0, 4096, 4096, 4096);
        add("square", 1, 1, 4096, 4096, 4096);
        add("square", 0, 0, 2048, 2048, 2048);
        add("square", 0, 0, 1024, 1024, 1024);
    } else if (strcmp(set, "linear") == 0) { /* batch 256, 512 -> 1000 */
        add("fc forward", 0, 1, 256, 1000, 512);
        add("fc dx", 0, 0, 256, 512, 1000);
        add("fc dweight", 1, 0, 1000, 512, 256);
    } else if (strcmp(set, "conv") == 0) { /* batch 64, 32 x 32: the stem to 16 x 16, layers at 8, 4, 2, 1 */
        add("conv stem 7x7", 0, 0, 64, 64 * 16 * 16, 3 * 49);
        add("conv layer1 3x3", 0, 0, 64, 64 * 8 * 8, 64 * 9);
        add("conv layer2 3x3", 0, 0, 128, 64 * 4 * 4, 128 * 9);
        add("conv layer3 3x3", 0, 0, 256, 64 * 2 * 2, 256 * 9);
        add("conv layer4 3x3", 0, 0, 512, 64 * 1 * 1, 512 * 9);
    }
}

static int parse_shape(const char *text) {
    long long m, n, k;
    char t[3] = "nn";
    int used = 0;
    if (sscanf(text, "%lldx%lldx%lld%n", &m, &n, &k, &used) != 3 || m < 1 || n < 1 || k < 1) return 0;
    if (text[used] == ':') {
        if (strlen(text + used + 1) != 2) return 0;
        memcpy(t, text + used + 1, 2);
    } else if (text[used]) {
        return 0;
    }
    if ((t[0] != 'n' && t[0] != 't') || (t[1] != 'n' && t[1] != 't')) return 0;
    add("custom", t[0] == 't', t[1] == 't', m, n, k);
    return 1;
}

static int usage(const char *why) {
    fprintf(stderr,
            "gemm_bench: %s\nusage: gemm_bench [--device cuda|cpu] [--shapes square,linear,conv] "
            "[--shape MxNxK[:nn|nt|tn|tt]]... [--warmup W] [--iters R] [--quick]\n",
            why);
    return 2;
}

static int cmp_double(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* CHECKS entries of c against double dot products of the host copies of a and b. */
static int check_product(bench_device d, const shape *s, const float *da, const float *db, const float *dc, char *out,
                         size_t cap) {
    const int64_t na = s->m * s->k, nb = s->k * s->n, nc = s->m * s->n;
    float *a = malloc(sizeof(float) * (size_t)na), *b = malloc(sizeof(float) * (size_t)nb);
    float *c = malloc(sizeof(float) * (size_t)nc);
    int ok = a && b && c && bench_download(d, a, da, (int64_t)sizeof(float) * na) == PT_OK &&
             bench_download(d, b, db, (int64_t)sizeof(float) * nb) == PT_OK &&
             bench_download(d, c, dc, (int64_t)sizeof(float) * nc) == PT_OK;
    if (!ok) snprintf(out, cap, "FAIL (download: %s)", bench_mem_error());
    const int64_t lda = s->ta ? s->m : s->k, ldb = s->tb ? s->k : s->n;
    double worst = 0;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int t = 0; ok && t < CHECKS; t++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        const int64_t i = t == 0 ? 0 : t == 1 ? s->m - 1 : (int64_t)(x % (uint64_t)s->m);
        const int64_t j = t == 0 ? 0 : t == 1 ? s->n - 1 : (int64_t)((x >> 32) % (uint64_t)s->n);
        double sum = 0, mag = 0;
        for (int64_t p = 0; p < s->k; p++) {
            const double av = s->ta ? a[p * lda + i] : a[i * lda + p], bv = s->tb ? b[j * ldb + p] : b[p * ldb + j];
            sum += av * bv, mag += fabs(av * bv);
        }
        const double used = fabs((double)c[i * s->n + j] - sum) / (2.0 * (double)(s->k + 4) * 0x1p-24 * mag + 1e-37);
        worst = used > worst || used != used ? used : worst;
        if (!(used <= 1.0)) {
            snprintf(out, cap, "FAIL c[%lld][%lld] = %.9g, want %.9g", (long long)i, (long long)j, c[i * s->n + j], sum);
            ok = 0;
        }
    }
    if (ok) snprintf(out, cap, "ok (%.2f of tol)", worst);
    free(a), free(b), free(c);
    return ok;
}

int main(int argc, char **argv) {
    bench_device dev = {PT_DEVICE_CUDA, 0};
    int warmup = 5, iters = 20, quick = 0, custom = 0;
    char sets[128] = "square,linear,conv";
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--quick") == 0) {
            quick = 1;
        } else if (!val) {
            return usage("missing value or unknown option");
        } else if (strcmp(arg, "--device") == 0) {
            if (strcmp(val, "cuda") == 0) dev = (bench_device){PT_DEVICE_CUDA, 0};
            else if (strcmp(val, "cpu") == 0) dev = (bench_device){PT_DEVICE_CPU, -1};
            else return usage("--device is cuda or cpu");
            i++;
        } else if (strcmp(arg, "--shapes") == 0) {
            snprintf(sets, sizeof sets, "%s", val);
            i++;
        } else if (strcmp(arg, "--shape") == 0) {
            if (!parse_shape(val)) return usage("--shape is MxNxK or MxNxK:nn|nt|tn|tt");
            custom = 1;
            i++;
        } else if (strcmp(arg, "--warmup") == 0 || strcmp(arg, "--iters") == 0) {
            char *end = NULL;
            const long v = strtol(val, &end, 10);
            if (!val[0] || *end || v < (strcmp(arg, "--iters") == 0 ? 1 : 0) || v > 100000) return usage("bad count");
            *(strcmp(arg, "--iters") == 0 ? &iters : &warmup) = (int)v;
            i++;
        } else {
            return usage("unknown option");
        }
    }
    if (quick) {
        num_shapes = 0;
        add("quick", 0, 0, 64, 64, 64);
        add("quick", 1, 0, 33, 17, 9);
        warmup = 1, iters = 2;
    } else if (!custom) {
        for (char *tok = strtok(sets, ","); tok; tok = strtok(NULL, ",")) {
            const int before = num_shapes;
            add_set(tok);
            if (num_shapes == before) return usage("--shapes takes square, linear, conv");
        }
    }

    char device[128] = "cpu";
    void *stream = NULL;
    if (dev.kind == PT_DEVICE_CUDA) {
        int count = 0;
        if (pt_cuda_device_count(&count) != PT_OK) {
            printf("gemm_bench: skipped: %s\n", pt_last_error());
            return 77;
        }
        if (pt_cuda_set_device(0) != PT_OK || pt_cuda_stream(0, &stream) != PT_OK ||
            pt_cuda_device_info(0, device, sizeof device, NULL, NULL, NULL, NULL) != PT_OK) {
            fprintf(stderr, "gemm_bench: %s\n", pt_last_error());
            return 1;
        }
        if (pt_cuda_simulated()) strncat(device, " (simulated)", sizeof device - strlen(device) - 1);
    } else {
        snprintf(device, sizeof device, "cpu (%d threads, OpenBLAS)", pt_num_threads());
    }
    const bench_clock_ops *clock = &bench_host_clock;
#ifdef BENCH_HAVE_EVENTS
    if (dev.kind == PT_DEVICE_CUDA && !pt_cuda_simulated()) clock = &bench_event_clock;
#endif
    printf("gemm_bench on %s: pt_matmul, median of %d calls after %d warm-up (%s)\n", device, iters, warmup, clock->name);
    printf("%-16s %2s %6s %6s %6s %10s %10s %9s  %s\n", "shape", "op", "M", "N", "K", "ms", "best ms", "GFLOP/s", "check");

    int failed = 0;
    double *ms = malloc(sizeof(double) * (size_t)(iters + 1));
    for (int si = 0; si < num_shapes && ms; si++) {
        const shape *s = &shapes[si];
        const int64_t na = s->m * s->k, nb = s->k * s->n, nc = s->m * s->n;
        float *a = NULL, *b = NULL, *c = NULL;
        char check[128] = "-";
        int st = bench_alloc(dev, (int64_t)sizeof(float) * na, (void **)&a);
        if (st == PT_OK) st = bench_alloc(dev, (int64_t)sizeof(float) * nb, (void **)&b);
        if (st == PT_OK) st = bench_alloc(dev, (int64_t)sizeof(float) * nc, (void **)&c);
        if (st == PT_OK) st = bench_fill_random(dev, a, na, 0.1f, 1.0f, 1 + (uint64_t)si);
        if (st == PT_OK) st = bench_fill_random(dev, b, nb, 0.1f, 1.0f, 1000 + (uint64_t)si);
        const char *err = st == PT_OK ? NULL : bench_mem_error();
        if (st == PT_OK) {
            st = pt_matmul(dev.kind, s->ta, s->tb, s->m, s->n, s->k, 1.0, a, b, 0.0, c);
            if (st != PT_OK) err = pt_last_error();
            else if (!check_product(dev, s, a, b, c, check, sizeof check)) failed = 1;
        }
        for (int w = 1; st == PT_OK && w < warmup; w++)
            if ((st = pt_matmul(dev.kind, s->ta, s->tb, s->m, s->n, s->k, 1.0, a, b, 0.0, c)) != PT_OK) err = pt_last_error();
        bench_clock *clk = NULL;
        if (st == PT_OK && (st = clock->open(&clk, dev.index, stream, iters + 1, &err)) == PT_OK) {
            for (int r = 0; st == PT_OK && r < iters; r++) {
                if ((st = clock->mark(clk, r, &err)) != PT_OK) break;
                if ((st = pt_matmul(dev.kind, s->ta, s->tb, s->m, s->n, s->k, 1.0, a, b, 0.0, c)) != PT_OK)
                    err = pt_last_error();
            }
            if (st == PT_OK) st = clock->mark(clk, iters, &err);
            if (st == PT_OK) st = clock->read(clk, ms, &err);
            clock->close(clk);
        }
        const char op[3] = {s->ta ? 't' : 'n', s->tb ? 't' : 'n', 0};
        if (st != PT_OK) {
            printf("%-16s %2s %6lld %6lld %6lld  FAIL: %s\n", s->name, op, (long long)s->m, (long long)s->n, (long long)s->k,
                   err ? err : "?");
            failed = 1;
        } else {
            qsort(ms, (size_t)iters, sizeof(double), cmp_double);
            const double median = ms[iters / 2], gflops = 2.0 * (double)s->m * (double)s->n * (double)s->k / (median * 1e6);
            printf("%-16s %2s %6lld %6lld %6lld %10.4f %10.4f %9.1f  %s\n", s->name, op, (long long)s->m, (long long)s->n,
                   (long long)s->k, median, ms[0], gflops, check);
        }
        bench_free(dev, a), bench_free(dev, b), bench_free(dev, c);
    }
    free(ms);
    return failed;
}
