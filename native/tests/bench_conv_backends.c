/*
 * The CPU conv2d backends side by side (panoptim.h, "CPU conv2d backend"): every convolution of a
 * torchvision ResNet-18 at batch 128 (1 x 28 x 28 inputs, or 3 x 32 x 32 with --image 32), forward
 * and backward (dx and dweight, as a training step runs them), on the own kernels (im2col +
 * OpenBLAS), on oneDNN, and on `auto`, in float32 and with bfloat16 compute. Not a test: run
 *   ./bench_conv_backends [--image 28|32] [--batch N] [--threads T]
 * from the build folder. Times are the best of REPS calls after two warm-up calls (the machine's
 * other work only ever adds time); the last rows add up a whole network's convolutions (each shape
 * times its count in ResNet-18). The rule of `auto` (cpu/conv2d_backend.c) was chosen from these rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "cpu/dense_kernels.h"
#include "panoptim.h"

#define REPS 7

typedef struct conv_row {
    const char *name;
    int64_t c, h, k, r, stride, pad, count;
} conv_row;

static float *random_floats(int64_t n, uint64_t seed) {
    float *p = malloc((size_t)n * sizeof(float));
    if (!p) exit(1);
    for (int64_t i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        p[i] = (float)((int64_t)(seed >> 40) - (1 << 23)) * 0x1p-23f;
    }
    return p;
}

typedef struct bufs {
    pt_conv2d_shape sh;
    float *x, *w, *y, *dy, *dx, *dw;
} bufs;

static void must(int status, const char *what) {
    if (status != PT_OK) {
        fprintf(stderr, "%s failed: %s\n", what, pt_last_error());
        exit(1);
    }
}

static void forward(const bufs *b, int dtype) {
    const pt_conv2d_shape *s = &b->sh;
    must(pt_conv2d_forward_ex(PT_DEVICE_CPU, s->n, s->c, s->h, s->w, s->k, s->r, s->s, s->stride_h, s->stride_w,
                              s->pad_h, s->pad_w, b->x, b->w, PT_DTYPE_FLOAT32, NULL, b->y, dtype),
         "pt_conv2d_forward_ex");
}

/* The stem's input needs no grad: a training step asks for dweight alone there. */
static void backward(const bufs *b, int dtype) {
    const pt_conv2d_shape *s = &b->sh;
    must(pt_conv2d_backward_ex(PT_DEVICE_CPU, s->n, s->c, s->h, s->w, s->k, s->r, s->s, s->stride_h, s->stride_w,
                               s->pad_h, s->pad_w, b->x, b->w, PT_DTYPE_FLOAT32, b->dy, s->c <= 3 ? NULL : b->dx,
                               b->dw, NULL, 0, dtype),
         "pt_conv2d_backward_ex");
}

static double best_ms(void (*pass)(const bufs *, int), const bufs *b, int dtype) {
    pass(b, dtype);
    pass(b, dtype);
    double best = 1e30;
    for (int i = 0; i < REPS; i++) {
        const double t0 = omp_get_wtime();
        pass(b, dtype);
        const double t = (omp_get_wtime() - t0) * 1e3;
        if (t < best) best = t;
    }
    return best;
}

int main(int argc, char **argv) {
    int64_t image = 28, batch = 128;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--image")) image = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--batch")) batch = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--threads")) must(pt_set_num_threads(atoi(argv[i + 1])), "pt_set_num_threads");
        else {
            fprintf(stderr, "usage: bench_conv_backends [--image 28|32] [--batch N] [--threads T]\n");
            return 2;
        }
    }
    const int64_t channels = image == 32 ? 3 : 1, s1 = (image + 1) / 2, s2 = (s1 + 1) / 2; /* stem, then max-pool */
    const int64_t s3 = (s2 + 1) / 2, s4 = (s3 + 1) / 2, s5 = (s4 + 1) / 2;
    const conv_row rows[] = {
        {"stem 7x7 s2", channels, image, 64, 7, 2, 3, 1},
        {"layer1 3x3", 64, s2, 64, 3, 1, 1, 4},
        {"layer2.0 3x3 s2", 64, s2, 128, 3, 2, 1, 1},
        {"layer2 3x3", 128, s3, 128, 3, 1, 1, 3},
        {"layer2 down 1x1 s2", 64, s2, 128, 1, 2, 0, 1},
        {"layer3.0 3x3 s2", 128, s3, 256, 3, 2, 1, 1},
        {"layer3 3x3", 256, s4, 256, 3, 1, 1, 3},
        {"layer3 down 1x1 s2", 128, s3, 256, 1, 2, 0, 1},
        {"layer4.0 3x3 s2", 256, s4, 512, 3, 2, 1, 1},
        {"layer4 3x3", 512, s5, 512, 3, 1, 1, 3},
        {"layer4 down 1x1 s2", 256, s4, 512, 1, 2, 0, 1},
    };
    char info[1024];
    pt_cpu_conv_backend_info(info, sizeof info);
    printf("ResNet-18 convolutions, batch %lld x %lld x %lld x %lld, %d threads, simd %s, OPENBLAS_CORETYPE=%s\n%s",
           (long long)batch, (long long)channels, (long long)image, (long long)image, pt_num_threads(),
           pt_simd_level(), getenv("OPENBLAS_CORETYPE") ? getenv("OPENBLAS_CORETYPE") : "(unset)", info);
    const int backends[3] = {PT_CPU_CONV_OWN, PT_CPU_CONV_ONEDNN, PT_CPU_CONV_AUTO};
    double total[2][2][3] = {{{0}}}; /* [dtype][pass][backend] */
    for (int dt = 0; dt < 2; dt++) {
        const int dtype = dt ? PT_DTYPE_BFLOAT16 : PT_DTYPE_FLOAT32;
        printf("\n| %s, ms (best of %d) | fwd own | fwd onednn | fwd auto | bwd own | bwd onednn | bwd auto |\n"
               "|---|---|---|---|---|---|---|\n", dt ? "bf16 compute" : "fp32", REPS);
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
            const conv_row *r = &rows[i];
            const int64_t p = (r->h + 2 * r->pad - r->r) / r->stride + 1;
            bufs b = {.sh = {batch, r->c, r->h, r->h, r->k, r->r, r->r, r->stride, r->stride, r->pad, r->pad, p, p}};
            b.x = random_floats(batch * r->c * r->h * r->h, 1), b.dx = random_floats(batch * r->c * r->h * r->h, 2);
            b.w = random_floats(r->k * r->c * r->r * r->r, 3), b.dw = random_floats(r->k * r->c * r->r * r->r, 4);
            b.y = random_floats(batch * r->k * p * p, 5), b.dy = random_floats(batch * r->k * p * p, 6);
            printf("| %s x%lld |", r->name, (long long)r->count);
            double ms[2][3];
            for (int pass = 0; pass < 2; pass++)
                for (int be = 0; be < 3; be++) {
                    if (pt_cpu_set_conv_backend(backends[be]) != PT_OK) {
                        ms[pass][be] = 0;
                        continue;
                    }
                    ms[pass][be] = best_ms(pass ? backward : forward, &b, dtype);
                    total[dt][pass][be] += ms[pass][be] * (double)r->count;
                }
            for (int pass = 0; pass < 2; pass++)
                for (int be = 0; be < 3; be++) printf(" %.2f |", ms[pass][be]);
            printf("\n");
            free(b.x), free(b.dx), free(b.w), free(b.dw), free(b.y), free(b.dy);
        }
        printf("| **ResNet-18, all convolutions** |");
        for (int pass = 0; pass < 2; pass++)
            for (int be = 0; be < 3; be++) printf(" %.1f |", total[dt][pass][be]);
        printf("\n");
        printf("%s: own / auto = %.2fx forward, %.2fx backward; own / onednn = %.2fx, %.2fx\n", dt ? "bf16" : "fp32",
               total[dt][0][0] / total[dt][0][2], total[dt][1][0] / total[dt][1][2], total[dt][0][0] / total[dt][0][1],
               total[dt][1][0] / total[dt][1][1]);
    }
    pt_cpu_set_conv_backend(PT_CPU_CONV_AUTO);
    return 0;
}
