/*
 * Parity of the fast CPU kernels (through the public pt_*_step API, device CPU) with the scalar
 * references (pt_reference_*_step), for every optimizer and option combination, over >= 10 steps.
 *
 * The tensor sizes cover the empty tensor (NULL pointers), vector tails (1, 7, 1000) and chunks
 * split between threads (65537, 1000003 > 64K-element chunks). Odd steps split the list into two
 * calls, so that the small tensors also go through the serial (below-threshold) path. After each
 * step every param and state buffer is compared, and grads must be bit-for-bit unchanged.
 * Unused state lists are passed as NULL, so a kernel touching them would crash.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/optim_kernels.h"
#include "panoptim.h"
#include "test_support.h"

/* Tolerance, per element: |fast - ref| <= ATOL * scale + RTOL * |ref|, where scale is the
 * largest |ref| in that buffer (all tensors). The fast kernels differ from the references only
 * where the AVX2/AVX-512 clones fuse a*b+c (one rounding instead of two), i.e. by a few ulps of
 * the terms involved; the baseline clone has no FMA and must match bit for bit (checked with
 * zero tolerance when it is the one running). The atol part scales with the buffer because
 * momentum buffers are sums of +-O(1) terms reaching |buf| ~ 10: where such a sum cancels to near
 * zero it still carries an absolute error of ~ulp(10) ~ 1e-6, which a fixed atol of 1e-6 would
 * flag. Observed with FMA: at most ~30% of this tolerance; the run prints how much was used. */
#define ATOL 5e-7
#define RTOL 5e-6
static double abs_tol = ATOL, rel_tol = RTOL; /* zero for the baseline clone, see main */

#define NT 6
#define STEPS 10
#define MAX_BUFS 4 /* params + up to three state buffers */

static const int64_t numels[NT] = {0, 1, 7, 1000, 65537, 1000003};
static const char *const tensor_names[NT] = {"t0", "t1", "t7", "t1000", "t65537", "t1000003"};

/* buf 0 is params; the meaning of 1..3 depends on the optimizer. */
static float *fast[MAX_BUFS][NT], *ref[MAX_BUFS][NT];
static float *grad[NT], *grad_copy[NT];
static const float *grad_in[NT];

static float *alloc_floats(int64_t n) {
    if (n == 0) return NULL; /* the API allows NULL for empty tensors: make the kernels cope */
    float *p = malloc((size_t)n * sizeof(float));
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

static void alloc_all(void) {
    for (int i = 0; i < NT; i++) {
        for (int b = 0; b < MAX_BUFS; b++) {
            fast[b][i] = alloc_floats(numels[i]);
            ref[b][i] = alloc_floats(numels[i]);
        }
        grad[i] = alloc_floats(numels[i]);
        grad_copy[i] = alloc_floats(numels[i]);
        grad_in[i] = grad[i];
    }
}

/* Fills buffer b of both twins with the same values: |x| in [lo, hi), random sign if signed_. */
static void fill(int b, float lo, float hi, int signed_) {
    for (int i = 0; i < NT; i++) {
        for (int64_t j = 0; j < numels[i]; j++) ref[b][i][j] = signed_ ? rng_signed(lo, hi) : rng_uniform(lo, hi);
        if (numels[i]) memcpy(fast[b][i], ref[b][i], (size_t)numels[i] * sizeof(float));
    }
}

/* Grads are slices of one pool of random values at random offsets: fresh inputs every step
 * without paying the PRNG for every element. */
#define POOL ((int64_t)1 << 21)
static float *pool;

static void new_grads(void) {
    if (!pool) {
        pool = alloc_floats(POOL);
        for (int64_t j = 0; j < POOL; j++) pool[j] = rng_signed(0.1f, 1.0f);
    }
    for (int i = 0; i < NT; i++) {
        if (numels[i] == 0) continue;
        const float *src = pool + rng_next() % (uint64_t)(POOL - numels[i]);
        memcpy(grad[i], src, (size_t)numels[i] * sizeof(float));
        memcpy(grad_copy[i], src, (size_t)numels[i] * sizeof(float));
    }
}

/* Step k is one fused call over all tensors (even k) or two calls, tensors [0, 4) then [4, 6). */
static int split(int k, int off[2], int cnt[2]) {
    if (k % 2 == 0) {
        off[0] = 0, cnt[0] = NT;
        return 1;
    }
    off[0] = 0, cnt[0] = 4, off[1] = 4, cnt[1] = NT - 4;
    return 2;
}

static float *const *list(float **l, int off) { return l ? l + off : NULL; }

/* Compares the used buffers and the grads; returns nonzero if anything differs. */
static int compare(const char *label, int k, const int used[MAX_BUFS], const char *const *buf_names,
                   diff_stats stats[]) {
    int64_t bad = 0;
    char what[256];
    for (int b = 0; b < MAX_BUFS; b++) {
        if (!used[b]) continue; /* passed as NULL: the kernels could not have touched it */
        double scale = 0.0;
        for (int i = 0; i < NT; i++) {
            const float *r = ref[b][i];
#pragma omp simd reduction(max : scale)
            for (int64_t j = 0; j < numels[i]; j++) scale = fabs(r[j]) > scale ? fabs(r[j]) : scale;
        }
        for (int i = 0; i < NT; i++) {
            snprintf(what, sizeof what, "%s step %d %s %s", label, k, buf_names[b], tensor_names[i]);
            bad += check_close(what, fast[b][i], ref[b][i], numels[i], abs_tol * scale, rel_tol, &stats[b]);
        }
    }
    for (int i = 0; i < NT; i++) {
        const int same = numels[i] == 0 || memcmp(grad[i], grad_copy[i], (size_t)numels[i] * sizeof(float)) == 0;
        CHECK(same, "%s step %d: grads of %s were written", label, k, tensor_names[i]);
        bad += !same;
    }
    return bad != 0;
}

/* ------------------------------------------------------------------------------------ SGD */

static diff_stats sgd_stats[2];
static const char *const sgd_names[] = {"param", "momentum_buffer"};

static void run_sgd(double momentum, double dampening, int nesterov, double wd, int maximize) {
    char label[160];
    snprintf(label, sizeof label, "sgd(momentum=%g dampening=%g nesterov=%d wd=%g maximize=%d)", momentum,
             dampening, nesterov, wd, maximize);
    const pt_sgd_options o = {0.05, momentum, dampening, wd, nesterov, maximize};
    float **bufs_fast = momentum != 0.0 ? fast[1] : NULL, **bufs_ref = momentum != 0.0 ? ref[1] : NULL;
    fill(0, 0.1f, 1.0f, 1);
    fill(1, 0.1f, 1.0f, 1);
    for (int k = 0; k < STEPS; k++) {
        /* Step 0 starts every buffer; step 3 restarts two of them (as after a state reset);
         * otherwise none is new and the flag list is NULL. A new buffer holds NaN beforehand:
         * it must be written without being read. */
        static const uint8_t all_new[NT] = {1, 1, 1, 1, 1, 1}, some_new[NT] = {0, 0, 1, 0, 1, 0};
        const uint8_t *is_new = k == 0 ? all_new : k == 3 ? some_new : NULL;
        for (int i = 0; i < NT && is_new && momentum != 0.0; i++)
            for (int64_t j = 0; j < numels[i] && is_new[i]; j++) fast[1][i][j] = ref[1][i][j] = NAN;
        new_grads();
        int off[2], cnt[2];
        for (int c = 0, n = split(k, off, cnt); c < n; c++) {
            int s = pt_sgd_step(PT_DEVICE_CPU, cnt[c], numels + off[c], fast[0] + off[c], grad_in + off[c],
                                list(bufs_fast, off[c]), is_new ? is_new + off[c] : NULL, o.lr, o.momentum,
                                o.dampening, o.weight_decay, o.nesterov, o.maximize);
            CHECK(s == PT_OK, "%s: status %d (%s)", label, s, pt_last_error());
        }
        pt_reference_sgd_step(NT, numels, ref[0], grad_in, bufs_ref, is_new, &o);
        const int used[MAX_BUFS] = {1, momentum != 0.0};
        if (compare(label, k, used, sgd_names, sgd_stats)) return;
    }
}

/* -------------------------------------------------------------------------------- RMSprop */

static diff_stats rmsprop_stats[4];
static const char *const rmsprop_names[] = {"param", "square_avg", "momentum_buffer", "grad_avg"};

static void run_rmsprop(int centered, double momentum, double wd, int maximize) {
    char label[160];
    snprintf(label, sizeof label, "rmsprop(centered=%d momentum=%g wd=%g maximize=%d)", centered, momentum, wd,
             maximize);
    const pt_rmsprop_options o = {0.01, 0.99, 1e-8, wd, momentum, centered, maximize};
    fill(0, 0.1f, 1.0f, 1);
    /* square_avg >= 0.5 > grad_avg^2: the centered variance starts (and stays) positive. */
    fill(1, 0.5f, 1.0f, 0);
    fill(2, 0.1f, 1.0f, 1);
    fill(3, 0.01f, 0.5f, 1);
    for (int k = 0; k < STEPS; k++) {
        new_grads();
        int off[2], cnt[2];
        for (int c = 0, n = split(k, off, cnt); c < n; c++) {
            int s = pt_rmsprop_step(PT_DEVICE_CPU, cnt[c], numels + off[c], fast[0] + off[c], grad_in + off[c],
                                    fast[1] + off[c], list(momentum > 0.0 ? fast[2] : NULL, off[c]),
                                    list(centered ? fast[3] : NULL, off[c]), o.lr, o.alpha, o.eps,
                                    o.weight_decay, o.momentum, o.centered, o.maximize);
            CHECK(s == PT_OK, "%s: status %d (%s)", label, s, pt_last_error());
        }
        pt_reference_rmsprop_step(NT, numels, ref[0], grad_in, ref[1], momentum > 0.0 ? ref[2] : NULL,
                                  centered ? ref[3] : NULL, &o);
        const int used[MAX_BUFS] = {1, 1, momentum > 0.0, centered};
        if (compare(label, k, used, rmsprop_names, rmsprop_stats)) return;
    }
}

/* ----------------------------------------------------------------------------- Adam/AdamW */

static diff_stats adam_stats[4];
static const char *const adam_names[] = {"param", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"};

static void run_adam(int decoupled, int amsgrad, double wd, int maximize) {
    char label[160];
    snprintf(label, sizeof label, "%s(amsgrad=%d wd=%g maximize=%d)", decoupled ? "adamw" : "adam", amsgrad, wd,
             maximize);
    const pt_adam_options o = {0.01, 0.9, 0.999, 1e-8, wd, amsgrad, maximize, decoupled};
    fill(0, 0.1f, 1.0f, 1);
    fill(1, 0.01f, 0.1f, 1);
    fill(2, 0.01f, 1.0f, 0);
    fill(3, 0.01f, 1.0f, 0);
    for (int k = 0; k < STEPS; k++) {
        /* Tensors at different step counts, as after adding a param group mid-training. */
        int64_t steps[NT];
        for (int i = 0; i < NT; i++) steps[i] = k + 1 + 3 * i;
        new_grads();
        int off[2], cnt[2];
        for (int c = 0, n = split(k, off, cnt); c < n; c++) {
            int s = (decoupled ? pt_adamw_step : pt_adam_step)(
                PT_DEVICE_CPU, cnt[c], numels + off[c], fast[0] + off[c], grad_in + off[c], fast[1] + off[c],
                fast[2] + off[c], list(amsgrad ? fast[3] : NULL, off[c]), steps + off[c], o.lr, o.beta1, o.beta2,
                o.eps, o.weight_decay, o.amsgrad, o.maximize);
            CHECK(s == PT_OK, "%s: status %d (%s)", label, s, pt_last_error());
        }
        pt_reference_adam_step(NT, numels, ref[0], grad_in, ref[1], ref[2], amsgrad ? ref[3] : NULL, steps, &o);
        const int used[MAX_BUFS] = {1, 1, 1, amsgrad};
        if (compare(label, k, used, adam_names, adam_stats)) return;
    }
}

static void report(const char *optimizer, const char *const *buf_names, int nbufs, const diff_stats *stats) {
    for (int b = 0; b < nbufs; b++)
        printf("%-8s %-16s largest |fast - ref| %.3g, %.0f%% of its tolerance\n", optimizer, buf_names[b],
               stats[b].max_abs, 100.0 * stats[b].max_used);
}

int main(void) {
    /* Three threads, whatever the machine: the parallel path runs, with an uneven split. */
    CHECK(pt_set_num_threads(3) == PT_OK, "pt_set_num_threads(3): %s", pt_last_error());
    printf("simd level: %s, threads: %d\n", pt_simd_level(), pt_num_threads());
    if (strcmp(pt_simd_level(), "baseline") == 0) abs_tol = rel_tol = 0.0;
    alloc_all();

    for (int wd = 0; wd < 2; wd++)
        for (int maximize = 0; maximize < 2; maximize++) {
            run_sgd(0.0, 0.0, 0, 0.05 * wd, maximize);
            run_sgd(0.9, 0.0, 0, 0.05 * wd, maximize);
            run_sgd(0.9, 0.25, 0, 0.05 * wd, maximize);
            run_sgd(0.9, 0.0, 1, 0.05 * wd, maximize);
            for (int centered = 0; centered < 2; centered++)
                for (int momentum = 0; momentum < 2; momentum++)
                    run_rmsprop(centered, 0.9 * momentum, 0.05 * wd, maximize);
            for (int decoupled = 0; decoupled < 2; decoupled++)
                for (int amsgrad = 0; amsgrad < 2; amsgrad++) run_adam(decoupled, amsgrad, 0.05 * wd, maximize);
        }

    printf("tolerance: |fast - ref| <= %g * (largest |ref| of the buffer) + %g * |ref|\n", abs_tol, rel_tol);
    report("sgd", sgd_names, 2, sgd_stats);
    report("rmsprop", rmsprop_names, 4, rmsprop_stats);
    report("adam(w)", adam_names, 4, adam_stats);
    return test_exit_status("test_optim_parity");
}
