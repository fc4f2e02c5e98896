/*
 * pt_cast on the CPU and the shared conversions behind it (common/dtypes.h), against independent
 * references, exhaustively where the domain is small:
 *  - every one of the 65536 bf16 and fp16 bit patterns widens to its exact value (computed here
 *    from the fields with ldexp) and narrows back to the same bits (NaNs to NaN, 0x7fff);
 *  - float -> fp16 / bf16 on every tie (the midpoint of each pair of neighbouring values: ties go
 *    to the even mantissa), one float ulp either side of every tie, the overflow edge (65504,
 *    65520 - ulp, 65520), the subnormal edge (2^-25 rounds to 0, above it to the smallest
 *    subnormal), signed zeros, infinities, NaN; and on random floats of every magnitude against the
 *    compiler's own _Float16 conversion (where the compiler has one) and a nearest-value search;
 *  - float32 -> float32 and the other same-dtype casts are bit copies; numel 0; bad dtypes,
 *    devices and pointers are refused with messages naming them.
 * Exact comparisons throughout: conversions are specified to the bit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/dtypes.h"
#include "panoptim.h"
#include "test_expect_error.h"
#include "test_support.h"

#define ALL 65536

static uint32_t fbits(float f) { return pt_float_bits(f); }

/* The value of fp16 pattern h, from its fields. */
static double fp16_value(uint16_t h) {
    const int e = (h >> 10) & 31, m = h & 1023;
    const double s = (h & 0x8000) ? -1.0 : 1.0;
    if (e == 31) return m ? NAN : s * INFINITY;
    return e == 0 ? s * ldexp(m, -24) : s * ldexp(1024 + m, e - 25);
}

static double bf16_value(uint16_t h) {
    const int e = (h >> 7) & 255, m = h & 127;
    const double s = (h & 0x8000) ? -1.0 : 1.0;
    if (e == 255) return m ? NAN : s * INFINITY;
    return e == 0 ? s * ldexp(m, -133) : s * ldexp(128 + m, e - 134);
}

static void *xmalloc(size_t bytes) {
    void *p = malloc(bytes ? bytes : 1);
    if (!p) exit(2);
    return p;
}

/* Every pattern of a 16-bit dtype widens exactly through pt_cast and narrows back to itself. */
static void check_all_patterns(int dtype, const char *name, double (*value)(uint16_t)) {
    uint16_t *bits = xmalloc(ALL * 2), *back = xmalloc(ALL * 2);
    float *wide = xmalloc(ALL * 4);
    for (int i = 0; i < ALL; i++) bits[i] = (uint16_t)i;
    CHECK(pt_cast(PT_DEVICE_CPU, ALL, bits, dtype, wide, PT_DTYPE_FLOAT32) == PT_OK, "%s widen: %s", name, pt_last_error());
    CHECK(pt_cast(PT_DEVICE_CPU, ALL, wide, PT_DTYPE_FLOAT32, back, dtype) == PT_OK, "%s narrow: %s", name, pt_last_error());
    int bad_wide = 0, bad_back = 0;
    for (int i = 0; i < ALL; i++) {
        const double want = value((uint16_t)i);
        const int ok = isnan(want) ? isnan(wide[i]) : (double)wide[i] == want && !signbit(wide[i]) == !signbit(want);
        if (!ok && bad_wide++ == 0) CHECK(0, "%s 0x%04x widens to %.9g, want %.9g", name, i, wide[i], want);
        const uint16_t want_back = isnan(want) ? 0x7fff : (uint16_t)i;
        if (back[i] != want_back && bad_back++ == 0)
            CHECK(0, "%s 0x%04x narrows back to 0x%04x, want 0x%04x", name, i, back[i], want_back);
    }
    CHECK(bad_wide == 0 && bad_back == 0, "%s: %d widened and %d narrowed wrongly", name, bad_wide, bad_back);
    free(bits), free(back), free(wide);
}

/* The dtype pattern nearest to x (ties to the even pattern) by search over the finite positive
 * patterns 0 .. max_finite, whose values increase with the bits: an independent narrowing. */
static uint16_t nearest(float x, uint16_t max_finite, double overflow_at, double (*value)(uint16_t)) {
    if (isnan(x)) return 0x7fff;
    const uint16_t sign = signbit(x) ? 0x8000 : 0;
    const double a = fabs((double)x);
    if (a >= overflow_at) return sign | (uint16_t)(max_finite + 1); /* inf */
    uint32_t lo = 0, hi = max_finite; /* the last pattern <= a */
    while (lo < hi) {
        const uint32_t mid = (lo + hi + 1) / 2;
        if (value((uint16_t)mid) <= a) lo = mid;
        else hi = mid - 1;
    }
    if (lo == max_finite) return sign | (uint16_t)lo; /* below overflow_at: rounds down */
    const double dl = a - value((uint16_t)lo), dh = value((uint16_t)(lo + 1)) - a;
    const uint32_t pick = dl < dh ? lo : dh < dl ? lo + 1 : (lo % 2 == 0 ? lo : lo + 1);
    return sign | (uint16_t)pick;
}

static int narrow_ok(float x, int dtype, uint16_t *got, uint16_t *want) {
    if (dtype == PT_DTYPE_FLOAT16) {
        *got = pt_float_to_fp16(x);
        *want = nearest(x, 0x7bff, 65520.0, fp16_value);
    } else {
        *got = pt_float_to_bf16(x);
        *want = nearest(x, 0x7f7f, ldexp(256 - 0.5, 120), bf16_value); /* half-way past the largest bf16 */
    }
    return *got == *want;
}

/* Ties and their neighbours: for each positive finite pattern p below the largest, the midpoint of
 * p and p + 1 (exact in float) and one float ulp either side. */
static void check_ties(int dtype, const char *name, uint16_t max_finite, double (*value)(uint16_t)) {
    int bad = 0, checked = 0;
    for (uint32_t p = 0; p < max_finite; p++) {
        const float mid = (float)((value((uint16_t)p) + value((uint16_t)(p + 1))) / 2);
        const float xs[3] = {mid, nextafterf(mid, 0.0f), nextafterf(mid, INFINITY)};
        for (int j = 0; j < 3; j++)
            for (int s = 0; s < 2; s++) {
                const float x = s ? -xs[j] : xs[j];
                uint16_t got, want;
                checked++;
                if (!narrow_ok(x, dtype, &got, &want) && bad++ < 3)
                    CHECK(0, "%s(%a) = 0x%04x, want 0x%04x", name, x, got, want);
            }
    }
    CHECK(bad == 0, "%s: %d of %d ties or tie neighbours rounded wrongly", name, bad, checked);
}

static void check_edges(void) {
    const struct {
        float x;
        uint16_t fp16, bf16;
    } cases[] = {
        {0.0f, 0x0000, 0x0000},
        {-0.0f, 0x8000, 0x8000},
        {1.0f, 0x3c00, 0x3f80},
        {65504.0f, 0x7bff, 0x4780},
        {65519.99609375f, 0x7bff, 0x4780}, /* just below the fp16 overflow tie */
        {65520.0f, 0x7c00, 0x4780},        /* the tie: to even, which is inf */
        {-65520.0f, 0xfc00, 0xc780},
        {INFINITY, 0x7c00, 0x7f80},
        {-INFINITY, 0xfc00, 0xff80},
        {0x1p-24f, 0x0001, 0x3380},        /* the smallest fp16 subnormal */
        {0x1p-25f, 0x0000, 0x3300},        /* the tie below it: to 0 */
        {0x1.000002p-25f, 0x0001, 0x3300}, /* just above the tie */
        {0x1.8p-24f, 0x0002, 0x33c0},      /* 1.5 subnormal ulps: tie to even 2 */
        {0x1.ffcp-15f, 0x0400, 0x3880},    /* 1023.5 subnormal ulps: a tie to even 1024, the smallest normal */
        {0x1p-14f, 0x0400, 0x3880},
        {1e-30f, 0x0000, 0x0da2},
        {0x1.fefffep127f, 0x7c00, 0x7f7f}, /* just below bf16's overflow tie */
        {0x1.ffp127f, 0x7c00, 0x7f80},     /* bf16's overflow tie: to even, inf */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const uint16_t h = pt_float_to_fp16(cases[i].x), b = pt_float_to_bf16(cases[i].x);
        CHECK(h == cases[i].fp16, "fp16(%a) = 0x%04x, want 0x%04x", cases[i].x, h, cases[i].fp16);
        CHECK(b == cases[i].bf16, "bf16(%a) = 0x%04x, want 0x%04x", cases[i].x, b, cases[i].bf16);
    }
    CHECK(pt_float_to_fp16(NAN) == 0x7fff && pt_float_to_bf16(-NAN) == 0x7fff, "NaN narrows to 0x7fff");
    CHECK(isnan(pt_round_to_dtype(NAN, PT_DTYPE_FLOAT16)) && isnan(pt_round_to_dtype(NAN, PT_DTYPE_BFLOAT16)),
          "NaN rounds to NaN");
    CHECK(pt_round_to_dtype(1.0f + 0x1p-9f, PT_DTYPE_BFLOAT16) == 1.0f, "bf16 rounding of 1 + 2^-9");
    CHECK(pt_round_to_dtype(1.0f + 0x1p-9f, PT_DTYPE_FLOAT16) == 1.0f + 0x1p-9f, "fp16 keeps 1 + 2^-9");
    CHECK(pt_round_to_dtype(0.1f, PT_DTYPE_FLOAT32) == 0.1f, "float32 rounding is the identity");
}

/* Random floats of every magnitude (random bits, NaNs included) against the nearest-value search
 * and, where the compiler has _Float16, against its conversion. */
static void check_random(void) {
    int bad = 0;
    for (int i = 0; i < 200000; i++) {
        float x = pt_bits_float((uint32_t)rng_next());
        if (i % 2) x = ldexpf(rng_signed(1.0f, 2.0f), (int)(rng_next() % 50) - 30); /* fp16's range */
        uint16_t got, want;
        for (int d = 1; d <= 2; d++)
            if (!narrow_ok(x, d, &got, &want) && bad++ < 3) CHECK(0, "dtype %d: narrow(%a) = 0x%04x, want 0x%04x", d, x, got, want);
#if defined(__FLT16_MAX__)
        const _Float16 h = (_Float16)x;
        uint16_t hb;
        memcpy(&hb, &h, 2);
        if (!isnan(x) && hb != pt_float_to_fp16(x) && bad++ < 3)
            CHECK(0, "fp16(%a) = 0x%04x, the compiler's _Float16 gives 0x%04x", x, pt_float_to_fp16(x), hb);
#endif
    }
    CHECK(bad == 0, "%d random narrowings wrong", bad);
}

static void check_same_dtype_and_api(void) {
    float src[5] = {1.5f, -NAN, 0x1p-140f, INFINITY, 3.25f}, dst[5];
    CHECK(pt_cast(CPU, 5, src, PT_DTYPE_FLOAT32, dst, PT_DTYPE_FLOAT32) == PT_OK && memcmp(src, dst, sizeof src) == 0,
          "float32 -> float32 copies the bits");
    uint16_t h[3] = {0x7d01, 0x0001, 0xfbff}, h2[3], b2[3];
    CHECK(pt_cast(CPU, 3, h, PT_DTYPE_FLOAT16, h2, PT_DTYPE_FLOAT16) == PT_OK && memcmp(h, h2, sizeof h) == 0,
          "float16 -> float16 copies the bits (a NaN payload too)");
    /* fp16 -> bf16 through float: 65504 -> 65536 (bf16 has 8 bits), the subnormal 2^-24 exact. */
    CHECK(pt_cast(CPU, 3, h, PT_DTYPE_FLOAT16, b2, PT_DTYPE_BFLOAT16) == PT_OK, "fp16 -> bf16");
    CHECK(b2[0] == 0x7fff && b2[1] == 0x3380 && b2[2] == 0xc780, "fp16 -> bf16 gave %04x %04x %04x", b2[0], b2[1], b2[2]);
    EXPECT(PT_OK, "", pt_cast(CPU, 0, NULL, PT_DTYPE_FLOAT32, NULL, PT_DTYPE_FLOAT16));
    EXPECT(INVALID, "src_dtype 3", pt_cast(CPU, 5, src, 3, dst, PT_DTYPE_FLOAT32));
    EXPECT(INVALID, "dst_dtype -1", pt_cast(CPU, 5, src, PT_DTYPE_FLOAT32, dst, -1));
    EXPECT(INVALID, "dst_dtype 7", pt_cast(CPU, 0, NULL, PT_DTYPE_FLOAT32, NULL, 7));
    EXPECT(INVALID, "numel = -1", pt_cast(CPU, -1, src, PT_DTYPE_FLOAT32, dst, PT_DTYPE_FLOAT32));
    EXPECT(INVALID, "src is NULL", pt_cast(CPU, 5, NULL, PT_DTYPE_FLOAT32, dst, PT_DTYPE_FLOAT32));
    EXPECT(INVALID, "dst is NULL", pt_cast(CPU, 5, src, PT_DTYPE_FLOAT32, NULL, PT_DTYPE_FLOAT32));
    EXPECT(INVALID, "device 5", pt_cast(5, 5, src, PT_DTYPE_FLOAT32, dst, PT_DTYPE_FLOAT32));
}

int main(void) {
    check_all_patterns(PT_DTYPE_BFLOAT16, "bf16", bf16_value);
    check_all_patterns(PT_DTYPE_FLOAT16, "fp16", fp16_value);
    check_ties(PT_DTYPE_FLOAT16, "fp16", 0x7bff, fp16_value);
    check_ties(PT_DTYPE_BFLOAT16, "bf16", 0x7f7f, bf16_value);
    check_edges();
    check_random();
    check_same_dtype_and_api();
    (void)fbits;
    return test_exit_status("test_cast");
}
