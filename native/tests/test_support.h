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

/* Uniform in [lo, hi). */
static inline float rng_uniform(float lo, float hi) {
    return lo + (hi - lo) * (float)((double)(rng_next() >> 40) * 0x1p-24);
}

/* Magnitude in [lo, hi) with a random sign: never zero when lo > 0, so that no check can pass
 * merely because both sides stayed 0. */
static inline float rng_signed(float lo, float hi) {
    const float x = rng_uniform(lo, hi);
    return (rng_next() & 1) ? -x : x;
}

/* Largest differences seen by check_close, for the report. */
typedef struct diff_stats {
    double max_abs, max_rel;
} diff_stats;

/* Checks |got - ref| <= atol + rtol * |ref| element by element (NaN only matches NaN); prints
 * the first mismatch and returns the number of mismatching elements. */
static inline int64_t check_close(const char *what, const float *got, const float *ref, int64_t n, double atol,
                           double rtol, diff_stats *stats) {
    int64_t bad = 0;
    for (int64_t j = 0; j < n; j++) {
        const double a = got[j], b = ref[j];
        const double d = fabs(a - b);
        int ok;
        if (isnan(a) || isnan(b)) {
            ok = isnan(a) && isnan(b);
        } else {
            ok = d <= atol + rtol * fabs(b);
            if (d > stats->max_abs) stats->max_abs = d;
            if (b != 0.0 && d / fabs(b) > stats->max_rel) stats->max_rel = d / fabs(b);
        }
        if (!ok && bad++ == 0)
            fprintf(stderr, "FAIL %s[%lld]: got %.9g, reference %.9g (|diff| %.3g > %.3g + %.3g * |ref|)\n",
                    what, (long long)j, a, b, d, atol, rtol);
    }
    if (bad) test_failures++;
    return bad;
}

#endif
