/*
 * Helpers of the mixed-precision tests (test_mixed_dense.c, test_cuda_mixed.c): operands stored in
 * a dtype, their values as float32 after rounding to a compute dtype, and the check of a float32
 * sum of products against a reference with the bound of its summation error.
 *
 * Tolerance of one output element, a sum of L products whose operands were rounded the same way on
 * both sides (so each product is the same exact float on both sides: bf16 and fp16 products are
 * exact in float32): only the float32 summation differs, and any order of it is within
 * gamma_L * S of the exact sum, S = sum of |terms| (Higham, "Accuracy and Stability of Numerical
 * Algorithms", 3.1), plus one rounding each for alpha, beta * c and the bias. Two float sums, or a
 * float sum against a double one, then differ by at most 2 * (L + 4) * u * S, u = 2^-24, with S
 * computed here in double from the absolute values. A wrong rounding of one operand (bf16: a
 * relative 2^-9) moves a sum by far more than that.
 */
#ifndef PT_TEST_MIXED_SUPPORT_H
#define PT_TEST_MIXED_SUPPORT_H

#include <math.h>
#include <stdlib.h>

#include "common/dtypes.h"
#include "test_support.h"

#define MIXED_U 0x1p-24

static const char *const dtype_names[3] = {"float32", "bfloat16", "float16"};

static inline void *mixed_alloc(size_t bytes) {
    void *p = malloc(bytes ? bytes : 1);
    if (!p) exit(2);
    return p;
}

/* n random floats, never zero: magnitudes in [0.1, 1) with random signs. */
static inline float *mixed_random(int64_t n) {
    float *p = mixed_alloc(sizeof(float) * (size_t)n);
    for (int64_t i = 0; i < n; i++) p[i] = rng_signed(0.1f, 1.0f);
    return p;
}

/* src stored as dtype (rounded to nearest even for bf16 / fp16). */
static inline void *mixed_store(const float *src, int64_t n, int dtype) {
    void *p = mixed_alloc((size_t)pt_dtype_size(dtype) * (size_t)n);
    for (int64_t i = 0; i < n; i++) pt_store_dtype(p, i, dtype, src[i]);
    return p;
}

/* The values of the n elements of p (stored as dtype) as operands of compute: widened, rounded. */
static inline float *mixed_operand(const void *p, int64_t n, int dtype, int compute) {
    float *out = mixed_alloc(sizeof(float) * (size_t)n);
    for (int64_t i = 0; i < n; i++) out[i] = pt_round_to_dtype(pt_load_dtype(p, i, dtype), compute);
    return out;
}

static inline float *mixed_abs(const float *p, int64_t n) {
    float *out = mixed_alloc(sizeof(float) * (size_t)n);
    for (int64_t i = 0; i < n; i++) out[i] = fabsf(p[i]);
    return out;
}

/* |the operand values| (mixed_operand), for the error bounds. */
static inline float *mixed_abs_operand(const void *p, int64_t n, int dtype, int compute) {
    float *out = mixed_operand(p, n, dtype, compute);
    for (int64_t i = 0; i < n; i++) out[i] = fabsf(out[i]);
    return out;
}

static inline float *mixed_copy(const float *p, int64_t n) {
    float *out = mixed_alloc(sizeof(float) * (size_t)n);
    for (int64_t i = 0; i < n; i++) out[i] = p[i];
    return out;
}

static double mixed_worst; /* largest fraction of a tolerance used */

/* |got - ref| <= 2 * (len + 4) * u * S[i] for every element (NaN only matches NaN); returns the
 * number of failures, printing the first. */
static inline int64_t mixed_check(const char *what, const float *got, const float *ref, const float *S, int64_t n,
                                  int64_t len) {
    int64_t bad = 0;
    for (int64_t i = 0; i < n; i++) {
        const double tol = 2.0 * (double)(len + 4) * MIXED_U * (double)S[i] + 1e-30;
        const double d = fabs((double)got[i] - (double)ref[i]);
        if (d / tol > mixed_worst) mixed_worst = d / tol;
        if (d <= tol || (isnan(got[i]) && isnan(ref[i]))) continue;
        if (bad++ == 0)
            fprintf(stderr, "FAIL %s[%lld]: got %.9g, reference %.9g (|diff| %.3g > tolerance %.3g)\n", what,
                    (long long)i, got[i], ref[i], d, tol);
    }
    if (bad) test_failures++;
    return bad;
}

/* Whether some element differs from ref by more than the tolerance: the rounding to a narrower
 * compute dtype must show, so that a kernel ignoring compute_dtype cannot pass. */
static inline int mixed_differs(const float *got, const float *ref, const float *S, int64_t n, int64_t len) {
    for (int64_t i = 0; i < n; i++)
        if (fabs((double)got[i] - (double)ref[i]) > 2.0 * (double)(len + 4) * MIXED_U * (double)S[i]) return 1;
    return 0;
}

#endif
