/*
 * Tiny helpers shared by the C tests: a fixed-seed PRNG and checks that print what failed and
 * count it, so a test reports every failure and then exits non-zero (see test_exit_status).
 */
#ifndef PT_TEST_SUPPORT_H
#define PT_TEST_SUPPORT_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>

static int test_failures;

/* CHECK(condition, printf-format, args...): on failure print file:line and the message. */
#define CHECK(cond, ...)                                                  \
    do {                                                                  \
        if (!(cond)) {                                                    \
            test_failures++;                                              \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);          \
            fprintf(stderr, __VA_ARGS__);                                 \
            fputc('\n', stderr);                                          \
        }                                                                 \
    } while (0)

static inline int test_exit_status(const char *name) {
    if (test_failures) fprintf(stderr, "%s: %d check(s) failed\n", name, test_failures);
    else printf("%s: all checks passed\n", name);
    return test_failures ? 1 : 0;
}

/* splitmix64: fixed seed, so every run sees the same inputs. */
static uint64_t rng_state = 0x5eed5eed12345678ull;

static inline uint64_t rng_next(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi): the top 24 bits of one draw. */
static inline float rng_uniform(float lo, float hi) {
    return lo + (hi - lo) * (float)(rng_next() >> 40) * 0x1p-24f;
}

/* Magnitude in [lo, hi) with a random sign, from one draw: never zero when lo > 0, so that no
 * check can pass merely because both sides stayed 0. */
static inline float rng_signed(float lo, float hi) {
    const uint64_t r = rng_next();
    const float x = lo + (hi - lo) * (float)(r >> 40) * 0x1p-24f;
    return (r & 1) ? -x : x;
}

/* Largest difference seen by check_close, absolute and as a fraction of the tolerance. */
typedef struct diff_stats {
    double max_abs, max_used;
} diff_stats;

/* Checks |got - ref| <= atol + rtol * |ref| element by element (NaN only matches NaN); prints
 * the first mismatch and returns the number of mismatching elements. */
static inline int64_t check_close(const char *what, const float *got, const float *ref, int64_t n, double atol,
                                  double rtol, diff_stats *stats) {
    /* Branch-free first pass, vectorized (the parity test runs it over ~1e9 elements); a NaN
     * difference counts as suspect here and is sorted out below. */
    int64_t suspect = 0;
    double max_abs = stats->max_abs, max_used = stats->max_used;
#pragma omp simd reduction(+ : suspect) reduction(max : max_abs, max_used)
    for (int64_t j = 0; j < n; j++) {
        const double d = fabs((double)got[j] - (double)ref[j]), tol = atol + rtol * fabs((double)ref[j]);
        suspect += !(d <= tol);
        max_abs = d > max_abs ? d : max_abs;
        max_used = d / tol > max_used ? d / tol : max_used;
    }
    stats->max_abs = max_abs, stats->max_used = max_used;
    if (suspect == 0) return 0;

    int64_t bad = 0;
    for (int64_t j = 0; j < n; j++) {
        const double a = got[j], b = ref[j], d = fabs(a - b);
        if (d <= atol + rtol * fabs(b) || (isnan(a) && isnan(b))) continue;
        if (bad++ == 0)
            fprintf(stderr, "FAIL %s[%lld]: got %.9g, reference %.9g (|diff| %.3g > %.3g + %.3g * |ref|)\n",
                    what, (long long)j, a, b, d, atol, rtol);
    }
    if (bad) test_failures++;
    return bad;
}

#endif
