/*
 * For test_roofline.c and test_cuda_roofline.c: random inputs of pt_roofline_step and the result it
 * must give, computed here in the same float operations (so both twins must match it exactly).
 */
#ifndef PT_TEST_ROOFLINE_EXPECT_H
#define PT_TEST_ROOFLINE_EXPECT_H

#include <stdint.h>
#include <string.h>

#include "test_support.h"

/* p, g, m, v: n random floats each (nonzero, both signs); want_*: the step applied to them. */
static inline void roofline_inputs(int64_t n, float *p, float *g, float *m, float *v) {
    for (int64_t j = 0; j < n; j++) {
        p[j] = rng_signed(0.1f, 1.0f);
        g[j] = rng_signed(0.1f, 1.0f);
        m[j] = rng_signed(0.1f, 1.0f);
        v[j] = rng_signed(0.1f, 1.0f);
    }
}

static inline void roofline_expected(int64_t n, float *p, const float *g, float *m, float *v) {
    for (int64_t j = 0; j < n; j++) {
        volatile float mj = m[j] + g[j], vj = v[j] + g[j]; /* volatile: exactly these roundings */
        m[j] = mj;
        v[j] = vj;
        p[j] = p[j] + (mj - vj);
    }
}

/* Counts elements whose bits differ; prints the first. */
static inline int64_t roofline_mismatches(const char *what, const float *got, const float *want, int64_t n) {
    int64_t bad = 0;
    for (int64_t j = 0; j < n; j++) {
        if (memcmp(&got[j], &want[j], sizeof(float)) == 0) continue;
        if (bad++ == 0) fprintf(stderr, "FAIL %s[%lld]: got %.9g, want %.9g\n", what, (long long)j, got[j], want[j]);
    }
    if (bad) test_failures++;
    return bad;
}

#endif
