/*
 * The CUDA fused steps (cuda/sgd.cu, rmsprop.cu, adam.cu) against the CPU ones, through the public
 * API only: the same random inputs (never zeros) go to pt_*_step_ex with PT_DEVICE_CPU (host
 * buffers, host extras) and PT_DEVICE_CUDA (device buffers from pt_cuda_malloc, device extras),
 * over 10 steps, and every param and state buffer, the bf16 model copy, the step counts and the
 * grads (never written) are compared after each step. Runs on the CUDA simulator (in-order and
 * shuffled thread schedules) and on a GPU; exits 77 (skipped) where CUDA is unusable.
 *
 * Covered: every option combination of every optimizer (small tensors: 0, 1, 3 and 1029
 * elements), with no extras and with all of them; every combination of the extras (bf16 grads,
 * grad_scale, bf16 params copy, capturable lr, capturable steps, found_inf set on one step) for
 * one option set per optimizer; 65537 and 2^20 + 3 elements (several chunks, scalar tails) for a
 * few combinations; 300 tensors of mixed sizes in one call (the tensor table in device memory
 * rather than in the kernel argument); lists starting one element past an aligned address (all of
 * them, or only the grads, or only the bf16 copy: the scalar path); and host pointers given as
 * device pointers, which must be refused with a status naming them, not crash.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/optim_kernels.h" /* pt_float_to_bf16, for the bf16 copy's expected bits */
#include "panoptim.h"
#include "test_cuda_support.h"
#include "test_support.h"

/* Tolerance |cuda - cpu| <= ATOL * (largest |cpu| of the buffer) + RTOL * |cpu|. Same float
 * operations in the same order on both sides; they differ by contraction to FMA (the CPU's
 * AVX2/AVX-512 clones and nvcc both fuse a*b+c, not always the same ones; the simulator does not
 * fuse), by an ulp of a per-tensor scalar computed on the device in the capturable variant
 * (CUDA's double pow), and those differences carry over 10 steps. The scale term covers
 * momentum sums that cancel to near zero, as in test_optim_parity. */
#define ATOL 1e-6
#define RTOL 1e-5
#define STEPS 10
#define MAXT 300

enum { SGD, RMSPROP, ADAM, ADAMW };
enum { X_BF16_GRADS = 1, X_SCALE = 2, X_PARAMS_BF16 = 4, X_LR = 8, X_STEPS = 16, X_FOUND_INF = 32, X_ALL = 63 };
enum { MIS_NONE, MIS_ALL, MIS_GRAD, MIS_COPY }; /* which lists start one element past alignment */

typedef struct config {
    int opt;
    double momentum, dampening, wd;
    int nesterov, centered, amsgrad, maximize;
} config;

static int nt;
static int64_t numels[MAXT];
static float *cpu_buf[4][MAXT], *dev_buf[4][MAXT]; /* params, then up to three state buffers */
static float *cpu_g32[MAXT], *host_tmp;
static uint16_t *cpu_g16[MAXT], *cpu_copy[MAXT], *host_tmp16;
static void *dev_grad[MAXT], *dev_copy[MAXT];
static void *dev_base[6][MAXT]; /* what pt_cuda_malloc returned, for pt_cuda_free */
static float *dev_extras;       /* lr, grad_scale, found_inf, then MAXT step counts */
static diff_stats stats[5];
static int64_t largest;

static void *dev_alloc(int64_t bytes) {
    void *p = NULL;
    MUST(pt_cuda_malloc(0, bytes, &p));
    return p;
}

static void upload(void *dst, const void *src, int64_t bytes) {
    if (bytes) MUST(pt_cuda_copy(0, dst, src, bytes, PT_COPY_HOST_TO_DEVICE));
}

static void download(void *dst, const void *src, int64_t bytes) {
    if (bytes) MUST(pt_cuda_copy(0, dst, src, bytes, PT_COPY_DEVICE_TO_HOST));
}

/* Allocates nt tensors of the given sizes on both sides; `mis` shifts lists by one element. */
static void setup(int count, const int64_t *sizes, int mis) {
    nt = count;
    for (int i = 0; i < nt; i++) {
        const int64_t n = numels[i] = sizes[i];
        largest = n > largest ? n : largest;
        for (int b = 0; b < 4; b++) {
            cpu_buf[b][i] = xmalloc((size_t)n * 4);
            dev_base[b][i] = dev_alloc((n + 1) * 4);
            dev_buf[b][i] = (float *)dev_base[b][i] + (mis == MIS_ALL);
        }
        cpu_g32[i] = xmalloc((size_t)n * 4);
        cpu_g16[i] = xmalloc((size_t)n * 2);
        cpu_copy[i] = xmalloc((size_t)n * 2);
        dev_base[4][i] = dev_alloc((n + 1) * 4);
        dev_base[5][i] = dev_alloc((n + 1) * 2);
        dev_copy[i] = (uint16_t *)dev_base[5][i] + (mis == MIS_ALL || mis == MIS_COPY);
    }
}

/* The device grads of this run: float32 or bf16, shifted when asked. */
static void place_grads(int bf16, int mis) {
    for (int i = 0; i < nt; i++) {
        const int shift = mis == MIS_ALL || mis == MIS_GRAD;
        dev_grad[i] = bf16 ? (void *)((uint16_t *)dev_base[4][i] + shift) : (void *)((float *)dev_base[4][i] + shift);
    }
}

static void teardown(void) {
    for (int i = 0; i < nt; i++) {
        for (int b = 0; b < 4; b++) free(cpu_buf[b][i]);
        free(cpu_g32[i]), free(cpu_g16[i]), free(cpu_copy[i]);
        for (int b = 0; b < 6; b++) MUST(pt_cuda_free(0, dev_base[b][i]));
    }
    nt = 0;
}

/* Buffer b of both sides: |x| in [lo, hi), random sign if signed_, or all NaN (nan_fill). */
static void fill(int b, float lo, float hi, int signed_, int nan_fill) {
    for (int i = 0; i < nt; i++) {
        for (int64_t j = 0; j < numels[i]; j++)
            cpu_buf[b][i][j] = nan_fill ? NAN : signed_ ? rng_signed(lo, hi) : rng_uniform(lo, hi);
        upload(dev_buf[b][i], cpu_buf[b][i], numels[i] * 4);
    }
}

static void new_grads(int bf16, float scale) {
    for (int i = 0; i < nt; i++) {
        for (int64_t j = 0; j < numels[i]; j++) {
            cpu_g32[i][j] = rng_signed(0.1f, 1.0f) * scale;
            cpu_g16[i][j] = pt_float_to_bf16(cpu_g32[i][j]);
        }
        if (bf16) upload(dev_grad[i], cpu_g16[i], numels[i] * 2);
        else upload(dev_grad[i], cpu_g32[i], numels[i] * 4);
    }
}

/* Compares the used buffers, the bf16 copy, the grads and the step counts; nonzero on a difference. */
static int compare(const char *label, int k, const int used[4], int mask, const float *counts) {
    char what[300];
    int64_t bad = 0;
    for (int b = 0; b < 4; b++) {
        if (!used[b]) continue;
        double scale = 0.0;
        for (int i = 0; i < nt; i++)
            for (int64_t j = 0; j < numels[i]; j++) scale = fmax(scale, fabs(cpu_buf[b][i][j]));
        for (int i = 0; i < nt; i++) {
            download(host_tmp, dev_buf[b][i], numels[i] * 4);
            snprintf(what, sizeof what, "%s step %d buffer %d tensor %d (%lld)", label, k, b, i, (long long)numels[i]);
            bad += check_close(what, host_tmp, cpu_buf[b][i], numels[i], ATOL * scale, RTOL, &stats[b]);
            if (b == 0 && (mask & X_PARAMS_BF16)) {
                /* The copy is the device's own updated master rounded to nearest even, bit for bit;
                 * the master itself was compared with the CPU's just above. */
                download(host_tmp16, dev_copy[i], numels[i] * 2);
                for (int64_t j = 0; j < numels[i]; j++)
                    if (host_tmp16[j] != pt_float_to_bf16(host_tmp[j])) {
                        CHECK(0, "%s: params_bf16[%lld] = 0x%04x, the rounded master is 0x%04x", what, (long long)j,
                              host_tmp16[j], pt_float_to_bf16(host_tmp[j]));
                        bad++;
                        break;
                    }
                for (int64_t j = 0; j < numels[i]; j++) {
                    const double d = fabs((double)pt_bf16_to_float(host_tmp16[j]) - cpu_buf[0][i][j]);
                    stats[4].max_abs = fmax(stats[4].max_abs, d);
                }
            }
        }
    }
    for (int i = 0; i < nt; i++) {
        const int bf16 = (mask & X_BF16_GRADS) != 0;
        download(host_tmp, dev_grad[i], numels[i] * (bf16 ? 2 : 4));
        const void *sent = bf16 ? (const void *)cpu_g16[i] : (const void *)cpu_g32[i];
        const int same = memcmp(host_tmp, sent, (size_t)numels[i] * (bf16 ? 2 : 4)) == 0;
        CHECK(same, "%s step %d: the grads of tensor %d were written", label, k, i);
        bad += !same;
    }
    if (mask & X_STEPS) {
        float dev_counts[MAXT];
        download(dev_counts, dev_extras + 3, nt * 4);
        for (int i = 0; i < nt; i++)
            if (dev_counts[i] != counts[i]) {
                CHECK(0, "%s step %d: step count %d is %g on the device, %g on the CPU", label, k, i, dev_counts[i],
                      counts[i]);
                bad++;
                break;
            }
    }
    return bad != 0;
}

/* One config, one set of extras, on the tensors of setup(), over STEPS steps. */
static void run(const config *c, int mask, int mis) {
    char label[240];
    snprintf(label, sizeof label,
             "opt %d (momentum %g dampening %g wd %g nesterov %d centered %d amsgrad %d maximize %d) extras 0x%x "
             "misaligned %d, %d tensors",
             c->opt, c->momentum, c->dampening, c->wd, c->nesterov, c->centered, c->amsgrad, c->maximize, mask, mis,
             nt);
    const int bf16 = (mask & X_BF16_GRADS) != 0;
    place_grads(bf16, mis);
    fill(0, 0.1f, 1.0f, 1, 0);
    fill(1, c->opt == RMSPROP ? 0.5f : 0.01f, 1.0f, c->opt != RMSPROP, c->opt == SGD); /* SGD: new buffers, NaN */
    fill(2, 0.01f, 1.0f, c->opt == RMSPROP, 0);
    fill(3, 0.01f, c->opt == RMSPROP ? 0.5f : 1.0f, c->opt == RMSPROP, 0); /* RMSprop: square_avg > grad_avg^2 */
    float counts[MAXT];
    for (int i = 0; i < nt; i++) counts[i] = (float)(i % 7);
    upload(dev_extras + 3, counts, nt * 4);

    void **host_grads = bf16 ? (void **)cpu_g16 : (void **)cpu_g32;
    uint8_t *is_new = xmalloc((size_t)nt);
    int64_t *steps = xmalloc((size_t)nt * sizeof(int64_t));
    for (int k = 0; k < STEPS; k++) {
        /* Host extras for the CPU, the same values in device memory for CUDA. */
        float host_x[3] = {0.01f * (1.0f + 0.1f * (float)k), 3.0f, (mask & X_FOUND_INF) && k == 4 ? 1.0f : 0.0f};
        upload(dev_extras, host_x, sizeof host_x);
        new_grads(bf16, host_x[1]);
        for (int i = 0; i < nt; i++) is_new[i] = k == 0 || (k == 3 && i % 3 == 1);
        for (int i = 0; i < nt; i++) steps[i] = k + 1 + i % 5;
        pt_step_extras xc = {0}, xd = {0};
        xc.grad_dtype = xd.grad_dtype = bf16 ? PT_DTYPE_BFLOAT16 : PT_DTYPE_FLOAT32;
        if (mask & X_LR) xc.lr = &host_x[0], xd.lr = dev_extras;
        if (mask & X_SCALE) xc.grad_scale = &host_x[1], xd.grad_scale = dev_extras + 1;
        if (mask & X_FOUND_INF) xc.found_inf = &host_x[2], xd.found_inf = dev_extras + 2;
        if (mask & X_STEPS) xc.steps = counts, xd.steps = dev_extras + 3;
        if (mask & X_PARAMS_BF16) xc.params_bf16 = (void *const *)cpu_copy, xd.params_bf16 = dev_copy;
        const double lr = (mask & X_LR) ? NAN : 0.01 * (1.0 + 0.1 * k);
        const int64_t *st = (mask & X_STEPS) ? NULL : steps;
        int used[4] = {1, 0, 0, 0};
        for (int side = 0; side < 2; side++) {
            const int dev = side ? PT_DEVICE_CUDA : PT_DEVICE_CPU;
            float *(*b)[MAXT] = side ? dev_buf : cpu_buf;
            const void *const *g = side ? (const void *const *)dev_grad : (const void *const *)host_grads;
            const pt_step_extras *x = side ? &xd : &xc;
            int s;
            if (c->opt == SGD) {
                s = pt_sgd_step_ex(dev, nt, numels, b[0], g, c->momentum != 0 ? b[1] : NULL, is_new, lr, c->momentum,
                                   c->dampening, c->wd, c->nesterov, c->maximize, x);
                used[1] = c->momentum != 0;
            } else if (c->opt == RMSPROP) {
                s = pt_rmsprop_step_ex(dev, nt, numels, b[0], g, b[1], c->momentum > 0 ? b[2] : NULL,
                                       c->centered ? b[3] : NULL, lr, 0.99, 1e-8, c->wd, c->momentum, c->centered,
                                       c->maximize, x);
                used[1] = 1, used[2] = c->momentum > 0, used[3] = c->centered;
            } else {
                s = (c->opt == ADAMW ? pt_adamw_step_ex : pt_adam_step_ex)(
                    dev, nt, numels, b[0], g, b[1], b[2], c->amsgrad ? b[3] : NULL, st, lr, 0.9, 0.999, 1e-8, c->wd,
                    c->amsgrad, c->maximize, x);
                used[1] = used[2] = 1, used[3] = c->amsgrad;
            }
            CHECK(s == PT_OK, "%s step %d device %d: status %d (%s)", label, k, dev, s, pt_last_error());
        }
        if (compare(label, k, used, mask, counts)) break;
    }
    free(is_new);
    free(steps);
}

/* Host memory where device memory is expected: refused, naming the list and index, no crash. */
static void host_pointers_refused(void) {
    static const int64_t sizes[2] = {5, 70000};
    setup(2, sizes, MIS_NONE);
    place_grads(0, MIS_NONE);
    fill(0, 0.1f, 1.0f, 1, 0);
    fill(1, 0.1f, 1.0f, 1, 0);
    new_grads(0, 1.0f);
    const int64_t steps[2] = {1, 1};
    float host_param[5] = {1, 2, 3, 4, 5}, host_flag = 0.0f;
    float *params[2] = {dev_buf[0][0], dev_buf[0][1]}, *bufs[2] = {dev_buf[1][0], dev_buf[1][1]};
    const void *grads[2] = {dev_grad[0], dev_grad[1]};
    struct {
        const char *what;
        int status;
    } want[] = {{"valid", PT_OK}, {"params[0]", PT_ERR_INVALID_ARGUMENT}, {"grads[1]", PT_ERR_INVALID_ARGUMENT},
                {"extras->found_inf", PT_ERR_INVALID_ARGUMENT}, {"exp_avg_sqs[1]", PT_ERR_INVALID_ARGUMENT}};
    for (int t = 0; t < 5; t++) {
        /* Each case after a valid call of the same shape: a remembered validation must not hide it. */
        pt_step_extras x = {0};
        float *p2[2] = {params[0], params[1]}, *v2[2] = {dev_buf[2][0], dev_buf[2][1]};
        const void *g2[2] = {grads[0], grads[1]};
        if (t == 1) p2[0] = host_param;
        if (t == 2) g2[1] = cpu_g32[1];
        if (t == 3) x.found_inf = &host_flag;
        if (t == 4) v2[1] = cpu_buf[2][1];
        pt_clear_error();
        const int s = t == 1 || t == 2 ? pt_sgd_step_ex(PT_DEVICE_CUDA, 2, numels, p2, g2, bufs, NULL, 0.1, 0.9, 0, 0,
                                                        0, 0, &x)
                                       : pt_adam_step_ex(PT_DEVICE_CUDA, 2, numels, p2, g2, bufs, v2, NULL, steps, 0.1,
                                                         0.9, 0.999, 1e-8, 0, 0, 0, &x);
        CHECK(s == want[t].status, "host pointer case %s: status %d, want %d (%s)", want[t].what, s, want[t].status,
              pt_last_error());
        if (want[t].status != PT_OK)
            CHECK(strstr(pt_last_error(), want[t].what) != NULL, "host pointer case: message \"%s\" lacks \"%s\"",
                  pt_last_error(), want[t].what);
        CHECK(host_param[0] == 1.0f, "host pointer case %s: the host param was written", want[t].what);
    }
    MUST(pt_cuda_synchronize(0));
    teardown();
}

static const config sgd_all = {SGD, 0.9, 0.0, 0.05, 1, 0, 0, 1}, rmsprop_all = {RMSPROP, 0.9, 0, 0.05, 0, 1, 0, 1},
                    adam_all = {ADAM, 0, 0, 0.05, 0, 0, 1, 1}, adamw_all = {ADAMW, 0, 0, 0.05, 0, 0, 1, 0};

int main(void) {
    int count = 0;
    if (pt_cuda_device_count(&count) != PT_OK) {
        printf("test_cuda_optim: skipped: %s\n", pt_last_error());
        return 77;
    }
    printf("CUDA devices: %d, simulated: %d\n", count, pt_cuda_simulated());
    dev_extras = dev_alloc((3 + MAXT) * 4);
    host_tmp = xmalloc(((size_t)1 << 20) * 4 + 64);
    host_tmp16 = xmalloc(((size_t)1 << 20) * 2 + 64);

    /* Every option combination, small tensors, no extras and all of them (found_inf on step 4). */
    static const int64_t small[4] = {0, 1, 3, 1029};
    setup(4, small, MIS_NONE);
    for (int wd = 0; wd < 2; wd++)
        for (int maximize = 0; maximize < 2; maximize++)
            for (int all = 0; all < 2; all++) {
                const int mask = all ? X_ALL : 0, sgd_mask = mask & ~X_STEPS;
                const double w = 0.05 * wd;
                const config sgds[4] = {{SGD, 0.0, 0.0, w, 0, 0, 0, maximize},
                                        {SGD, 0.9, 0.0, w, 0, 0, 0, maximize},
                                        {SGD, 0.9, 0.25, w, 0, 0, 0, maximize},
                                        {SGD, 0.9, 0.0, w, 1, 0, 0, maximize}};
                for (int i = 0; i < 4; i++) run(&sgds[i], sgd_mask, MIS_NONE);
                for (int centered = 0; centered < 2; centered++)
                    for (int momentum = 0; momentum < 2; momentum++) {
                        const config r = {RMSPROP, 0.9 * momentum, 0, w, 0, centered, 0, maximize};
                        run(&r, mask, MIS_NONE);
                    }
                for (int opt = ADAM; opt <= ADAMW; opt++)
                    for (int amsgrad = 0; amsgrad < 2; amsgrad++) {
                        const config a = {opt, 0, 0, w, 0, 0, amsgrad, maximize};
                        run(&a, mask, MIS_NONE);
                    }
            }
    /* Every combination of the extras, one option set per optimizer. */
    for (int mask = 0; mask <= X_ALL; mask++) {
        if (!(mask & X_STEPS)) run(&sgd_all, mask, MIS_NONE);
        run(&rmsprop_all, mask, MIS_NONE);
        run(mask & 1 ? &adam_all : &adamw_all, mask, MIS_NONE);
    }
    teardown();

    /* Misaligned starts: the scalar path, for every list or only one of them. */
    for (int mis = MIS_ALL; mis <= MIS_COPY; mis++) {
        setup(4, small, mis);
        run(&sgd_all, X_BF16_GRADS | X_PARAMS_BF16, mis);
        run(&adamw_all, X_ALL, mis);
        run(&rmsprop_all, mis == MIS_GRAD ? X_BF16_GRADS : X_PARAMS_BF16, mis);
        teardown();
    }

    /* Several chunks and tails: 65537 and 2^20 + 3 elements. */
    static const int64_t big[3] = {65537, ((int64_t)1 << 20) + 3, 3};
    setup(3, big, MIS_NONE);
    run(&adamw_all, X_ALL, MIS_NONE);
    run(&adam_all, 0, MIS_NONE);
    run(&sgd_all, X_BF16_GRADS | X_SCALE | X_PARAMS_BF16, MIS_NONE);
    run(&rmsprop_all, X_STEPS | X_LR, MIS_NONE);
    teardown();
    setup(2, big, MIS_ALL);
    run(&adamw_all, X_BF16_GRADS | X_PARAMS_BF16, MIS_ALL);
    teardown();

    /* 300 tensors of mixed sizes in one call: the table goes to device memory. */
    int64_t many[MAXT];
    for (int i = 0; i < MAXT; i++) many[i] = i % 10 == 0 ? 0 : (int64_t)(rng_next() % 3000) + 1;
    many[7] = 70000;
    setup(MAXT, many, MIS_NONE);
    run(&adamw_all, X_ALL, MIS_NONE);
    run(&sgd_all, 0, MIS_NONE);
    run(&rmsprop_all, X_BF16_GRADS | X_STEPS, MIS_NONE);
    teardown();
    setup(MAXT, many, MIS_GRAD);
    run(&adam_all, X_BF16_GRADS | X_SCALE, MIS_GRAD);
    teardown();

    host_pointers_refused();
    MUST(pt_cuda_free(0, dev_extras));
    MUST(pt_cuda_synchronize(0));

    static const char *const names[5] = {"param", "state 1", "state 2", "state 3", "bf16 copy"};
    printf("tolerance: |cuda - cpu| <= %g * (largest |cpu| of the buffer) + %g * |cpu|\n", ATOL, RTOL);
    for (int b = 0; b < 4; b++)
        printf("%-10s largest |cuda - cpu| %.3g, %.0f%% of its tolerance\n", names[b], stats[b].max_abs,
               100.0 * stats[b].max_used);
    printf("%-10s largest |bf16(cuda master) - cpu master| %.3g (bf16 rounding, exact against its own master)\n",
           names[4], stats[4].max_abs);
    return test_exit_status("test_cuda_optim");
}
