/*
 * The extras of the fused steps on the CPU (pt_*_step_ex, cpu/optim_extras.c) against the plain
 * scalar references (pt_reference_*_step) fed what the extras mean:
 *   grads = bf16_to_float(bf16 grads) or the float32 grads, then / grad_scale;
 *   lr = the float behind extras->lr; t = extras->steps[i] + 1, after which the count is stored;
 *   params_bf16 = round-to-nearest-even of the updated float32 master, bit for bit;
 *   found_inf != 0: nothing written at all (bit for bit), found_inf == 0: a normal step.
 * Every combination of those six extras, for every optimizer with a few option sets, over 10
 * steps, on tensors of 0, 1, 7, 4097 (past one scratch slice) and 70001 elements (a parallel call).
 * Also: all-zero extras are bit for bit the plain call, and the bf16 rounding on known values.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/optim_kernels.h"
#include "panoptim.h"
#include "test_support.h"

/* As test_optim_parity: the fast kernels differ from the references only by FMA contraction in
 * the AVX2/AVX-512 clones (an ulp or so of the terms), so |fast - ref| <= ATOL * (largest |ref| of
 * the buffer) + RTOL * |ref|; the scale covers momentum sums that cancel to near zero. */
#define ATOL 5e-7
#define RTOL 5e-6

#define NT 5
#define STEPS 10
static const int64_t numels[NT] = {0, 1, 7, 4097, 70001};

enum { SGD, RMSPROP, ADAM, ADAMW };
enum { X_BF16_GRADS = 1, X_SCALE = 2, X_PARAMS_BF16 = 4, X_LR = 8, X_STEPS = 16, X_FOUND_INF = 32, X_ALL = 64 };

static float *fast[4][NT], *ref[4][NT]; /* params and up to three state buffers */
static float *grad32[NT], *gref[NT];
static uint16_t *grad16[NT], *pbf16[NT];
static diff_stats stats[4];

static void *alloc_bytes(int64_t n, size_t size) {
    if (n == 0) return NULL;
    void *p = malloc((size_t)n * size);
    if (!p) exit(2);
    return p;
}

static void fill_state(int b, float lo, float hi, int signed_) {
    for (int i = 0; i < NT; i++)
        for (int64_t j = 0; j < numels[i]; j++)
            fast[b][i][j] = ref[b][i][j] = signed_ ? rng_signed(lo, hi) : rng_uniform(lo, hi);
}

/* Fresh grads; gref gets what the kernels must see: the stored grad, widened, then unscaled. */
static void new_grads(int mask, float scale) {
    for (int i = 0; i < NT; i++)
        for (int64_t j = 0; j < numels[i]; j++) {
            const float g = rng_signed(0.1f, 1.0f) * scale;
            grad32[i][j] = g;
            grad16[i][j] = pt_float_to_bf16(g);
            float seen = (mask & X_BF16_GRADS) ? pt_bf16_to_float(grad16[i][j]) : g;
            if (mask & X_SCALE) seen = seen / scale;
            gref[i][j] = seen;
        }
}

typedef struct config {
    int opt;
    double momentum, dampening, wd;
    int nesterov, centered, amsgrad, maximize;
} config;

static int compare_all(const char *label, int nbufs, const int used[4]) {
    int64_t bad = 0;
    char what[256];
    for (int b = 0; b < nbufs; b++) {
        if (!used[b]) continue;
        double scale = 0.0;
        for (int i = 0; i < NT; i++)
            for (int64_t j = 0; j < numels[i]; j++) scale = fmax(scale, fabs(ref[b][i][j]));
        for (int i = 0; i < NT; i++) {
            snprintf(what, sizeof what, "%s buffer %d tensor %d", label, b, i);
            bad += check_close(what, fast[b][i], ref[b][i], numels[i], ATOL * scale, RTOL, &stats[b]);
        }
    }
    return bad != 0;
}

/* One config with one set of extras over STEPS steps. */
static void run(const config *c, int mask) {
    char label[200];
    snprintf(label, sizeof label, "opt %d (momentum %g dampening %g wd %g nesterov %d centered %d amsgrad %d max %d) extras 0x%x",
             c->opt, c->momentum, c->dampening, c->wd, c->nesterov, c->centered, c->amsgrad, c->maximize, mask);
    fill_state(0, 0.1f, 1.0f, 1);
    fill_state(1, c->opt == RMSPROP ? 0.5f : 0.01f, 1.0f, c->opt != RMSPROP); /* RMSprop: sq > ga^2 */
    fill_state(2, 0.01f, 1.0f, c->opt == RMSPROP);
    fill_state(3, 0.01f, c->opt == RMSPROP ? 0.5f : 1.0f, c->opt == RMSPROP);
    float counts[NT];
    for (int i = 0; i < NT; i++) counts[i] = (float)(2 * i);
    for (int k = 0; k < STEPS; k++) {
        const float scale = 3.0f, lr = 0.01f * (1.0f + 0.1f * (float)k), zero = 0.0f;
        new_grads(mask, scale);
        int64_t steps[NT];
        for (int i = 0; i < NT; i++) steps[i] = (mask & X_STEPS) ? (int64_t)counts[i] + 1 : k + 1 + 3 * i;
        float counts_before[NT];
        memcpy(counts_before, counts, sizeof counts);
        pt_step_extras x = {0};
        if (mask & X_LR) x.lr = &lr;
        if (mask & X_STEPS) x.steps = counts;
        if (mask & X_SCALE) x.grad_scale = &scale;
        if (mask & X_FOUND_INF) x.found_inf = &zero;
        x.grad_dtype = (mask & X_BF16_GRADS) ? PT_DTYPE_BFLOAT16 : PT_DTYPE_FLOAT32;
        x.params_bf16 = (mask & X_PARAMS_BF16) ? (void *const *)pbf16 : NULL;
        const void *const *g = (mask & X_BF16_GRADS) ? (const void *const *)grad16 : (const void *const *)grad32;
        const double lr_arg = (mask & X_LR) ? NAN : (double)lr; /* replaced, so never checked */
        const float *const *gr = (const float *const *)gref;
        int s = PT_OK;
        int used[4] = {1, 0, 0, 0};
        if (c->opt == SGD) {
            static const uint8_t all_new[NT] = {1, 1, 1, 1, 1};
            const uint8_t *is_new = k == 0 ? all_new : NULL;
            float **mf = c->momentum != 0.0 ? fast[1] : NULL, **mr = c->momentum != 0.0 ? ref[1] : NULL;
            s = pt_sgd_step_ex(PT_DEVICE_CPU, NT, numels, fast[0], g, mf, is_new, lr_arg, c->momentum, c->dampening,
                               c->wd, c->nesterov, c->maximize, &x);
            const pt_sgd_options o = {lr, c->momentum, c->dampening, c->wd, c->nesterov, c->maximize};
            pt_reference_sgd_step(NT, numels, ref[0], gr, mr, is_new, &o);
            used[1] = c->momentum != 0.0;
        } else if (c->opt == RMSPROP) {
            float **bf = c->momentum > 0 ? fast[2] : NULL, **br = c->momentum > 0 ? ref[2] : NULL;
            float **af = c->centered ? fast[3] : NULL, **ar = c->centered ? ref[3] : NULL;
            s = pt_rmsprop_step_ex(PT_DEVICE_CPU, NT, numels, fast[0], g, fast[1], bf, af, lr_arg, 0.99, 1e-8, c->wd,
                                   c->momentum, c->centered, c->maximize, &x);
            const pt_rmsprop_options o = {lr, 0.99, 1e-8, c->wd, c->momentum, c->centered, c->maximize};
            pt_reference_rmsprop_step(NT, numels, ref[0], gr, ref[1], br, ar, &o);
            used[1] = 1, used[2] = c->momentum > 0, used[3] = c->centered;
        } else {
            const int decoupled = c->opt == ADAMW;
            float **vf = c->amsgrad ? fast[3] : NULL, **vr = c->amsgrad ? ref[3] : NULL;
            s = (decoupled ? pt_adamw_step_ex : pt_adam_step_ex)(PT_DEVICE_CPU, NT, numels, fast[0], g, fast[1],
                                                                 fast[2], vf, (mask & X_STEPS) ? NULL : steps, lr_arg,
                                                                 0.9, 0.999, 1e-8, c->wd, c->amsgrad, c->maximize, &x);
            const pt_adam_options o = {lr, 0.9, 0.999, 1e-8, c->wd, c->amsgrad, c->maximize, decoupled};
            pt_reference_adam_step(NT, numels, ref[0], gr, ref[1], ref[2], vr, steps, &o);
            used[1] = used[2] = 1, used[3] = c->amsgrad;
        }
        CHECK(s == PT_OK, "%s step %d: status %d (%s)", label, k, s, pt_last_error());
        for (int i = 0; i < NT; i++) {
            const float want = (mask & X_STEPS) ? counts_before[i] + 1.0f : counts_before[i];
            CHECK(counts[i] == want, "%s step %d: step count %d is %g, want %g", label, k, i, counts[i], want);
        }
        if (mask & X_PARAMS_BF16)
            for (int i = 0; i < NT; i++)
                for (int64_t j = 0; j < numels[i]; j++)
                    if (pbf16[i][j] != pt_float_to_bf16(fast[0][i][j])) {
                        CHECK(0, "%s step %d: params_bf16[%d][%lld] = 0x%04x, not the rounded master 0x%04x", label, k,
                              i, (long long)j, pbf16[i][j], pt_float_to_bf16(fast[0][i][j]));
                        return;
                    }
        if (compare_all(label, 4, used)) return;
    }
}

/* found_inf != 0: every buffer, the bf16 copy and the step counts stay bit for bit. */
static void run_found_inf(int opt) {
    const float one = 1.0f, lr = 0.1f, scale = 2.0f;
    float counts[NT] = {1, 2, 3, 4, 5};
    for (int b = 0; b < 4; b++) fill_state(b, 0.1f, 1.0f, 0);
    new_grads(0, 1.0f);
    for (int i = 0; i < NT; i++)
        for (int64_t j = 0; j < numels[i]; j++) pbf16[i][j] = 0x1234;
    pt_step_extras x = {.lr = &lr, .steps = opt == SGD ? NULL : counts, .grad_scale = &scale, .found_inf = &one,
                        .params_bf16 = (void *const *)pbf16};
    const void *const *g = (const void *const *)grad32;
    int s;
    if (opt == SGD)
        s = pt_sgd_step_ex(PT_DEVICE_CPU, NT, numels, fast[0], g, fast[1], NULL, 0.1, 0.9, 0, 0.1, 0, 0, &x);
    else if (opt == RMSPROP)
        s = pt_rmsprop_step_ex(PT_DEVICE_CPU, NT, numels, fast[0], g, fast[1], fast[2], fast[3], 0.1, 0.9, 1e-8, 0.1,
                               0.9, 1, 0, &x);
    else
        s = (opt == ADAMW ? pt_adamw_step_ex : pt_adam_step_ex)(PT_DEVICE_CPU, NT, numels, fast[0], g, fast[1],
                                                                fast[2], fast[3], NULL, 0.1, 0.9, 0.999, 1e-8, 0.1, 1,
                                                                0, &x);
    CHECK(s == PT_OK, "found_inf opt %d: status %d (%s)", opt, s, pt_last_error());
    for (int i = 0; i < NT; i++) {
        CHECK(counts[i] == (float)(i + 1), "found_inf opt %d: step count %d changed to %g", opt, i, counts[i]);
        for (int64_t j = 0; j < numels[i]; j++) {
            for (int b = 0; b < 4; b++)
                if (memcmp(&fast[b][i][j], &ref[b][i][j], sizeof(float)) != 0) {
                    CHECK(0, "found_inf opt %d: buffer %d tensor %d element %lld changed", opt, b, i, (long long)j);
                    return;
                }
            if (pbf16[i][j] != 0x1234) {
                CHECK(0, "found_inf opt %d: params_bf16[%d][%lld] written", opt, i, (long long)j);
                return;
            }
        }
    }
}

/* All-zero extras run the plain kernels: bit for bit the plain call. */
static void run_zero_extras(void) {
    static const int64_t steps[NT] = {1, 2, 3, 4, 5};
    const pt_step_extras zero = {0};
    fill_state(0, 0.1f, 1.0f, 1);
    fill_state(1, 0.01f, 1.0f, 1);
    fill_state(2, 0.01f, 1.0f, 0);
    fill_state(3, 0.01f, 1.0f, 0);
    new_grads(0, 1.0f);
    const float *const *g = (const float *const *)grad32;
    int s = pt_adamw_step(PT_DEVICE_CPU, NT, numels, ref[0], g, ref[1], ref[2], ref[3], steps, 0.01, 0.9, 0.999, 1e-8,
                          0.1, 1, 0);
    s |= pt_adamw_step_ex(PT_DEVICE_CPU, NT, numels, fast[0], (const void *const *)g, fast[1], fast[2], fast[3], steps,
                          0.01, 0.9, 0.999, 1e-8, 0.1, 1, 0, &zero);
    CHECK(s == PT_OK, "zero extras: %s", pt_last_error());
    for (int b = 0; b < 4; b++)
        for (int i = 0; i < NT; i++)
            CHECK(numels[i] == 0 || memcmp(fast[b][i], ref[b][i], (size_t)numels[i] * sizeof(float)) == 0,
                  "zero extras: buffer %d tensor %d differs from the plain call", b, i);
}

static void check_rounding(void) {
    static const struct { uint32_t in; uint16_t out; } cases[] = {
        {0x3f800000u, 0x3f80}, /* 1 */
        {0x3f808000u, 0x3f80}, /* tie, even below */
        {0x3f818000u, 0x3f82}, /* tie, even above */
        {0x3f808001u, 0x3f81}, /* just above the tie */
        {0xbf80ffffu, 0xbf81}, /* negative rounds by magnitude */
        {0x7f7fffffu, 0x7f80}, /* FLT_MAX rounds to inf */
        {0x7f800000u, 0x7f80}, /* inf */
        {0x80000000u, 0x8000}, /* -0 */
        {0x7fc00000u, 0x7fff}, /* NaN: CUDA's canonical bf16 NaN */
        {0xffa00001u, 0x7fff},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        union { uint32_t u; float f; } v = {cases[c].in};
        CHECK(pt_float_to_bf16(v.f) == cases[c].out, "bf16(0x%08x) = 0x%04x, want 0x%04x", cases[c].in,
              pt_float_to_bf16(v.f), cases[c].out);
    }
}

int main(void) {
    CHECK(pt_set_num_threads(3) == PT_OK, "pt_set_num_threads(3): %s", pt_last_error());
    for (int i = 0; i < NT; i++) {
        for (int b = 0; b < 4; b++) fast[b][i] = alloc_bytes(numels[i], 4), ref[b][i] = alloc_bytes(numels[i], 4);
        grad32[i] = alloc_bytes(numels[i], 4), gref[i] = alloc_bytes(numels[i], 4);
        grad16[i] = alloc_bytes(numels[i], 2), pbf16[i] = alloc_bytes(numels[i], 2);
    }
    check_rounding();
    static const config configs[] = {
        {SGD, 0.0, 0.0, 0.0, 0, 0, 0, 0},     {SGD, 0.9, 0.25, 0.05, 0, 0, 0, 1}, {SGD, 0.9, 0.0, 0.05, 1, 0, 0, 0},
        {RMSPROP, 0.0, 0, 0.0, 0, 0, 0, 1},  {RMSPROP, 0.9, 0, 0.05, 0, 1, 0, 0}, {ADAM, 0, 0, 0.05, 0, 0, 1, 0},
        {ADAM, 0, 0, 0.0, 0, 0, 0, 1},       {ADAMW, 0, 0, 0.05, 0, 0, 1, 1},    {ADAMW, 0, 0, 0.05, 0, 0, 0, 0},
    };
    for (size_t c = 0; c < sizeof configs / sizeof configs[0]; c++)
        for (int mask = 0; mask < X_ALL; mask++)
            if (!(configs[c].opt == SGD && (mask & X_STEPS))) run(&configs[c], mask);
    for (int opt = SGD; opt <= ADAMW; opt++) run_found_inf(opt);
    run_zero_extras();
    static const char *const names[4] = {"param", "state 1", "state 2", "state 3"};
    for (int b = 0; b < 4; b++)
        printf("%-8s largest |extras - reference| %.3g, %.0f%% of its tolerance\n", names[b], stats[b].max_abs,
               100.0 * stats[b].max_used);
    return test_exit_status("test_optim_extras");
}
