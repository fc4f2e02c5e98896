/*
 * pt_roofline_step on the CPU: the arithmetic on random data, bit for bit, at sizes that take the
 * single-threaded path, the OpenMP chunks and odd tails; and every argument check.
 */
#include <stdlib.h>

#include "panoptim.h"
#include "roofline_expect.h"
#include "test_expect_error.h"

static void arithmetic(int64_t n, int64_t offset) {
    /* offset shifts every array off its allocation's alignment (the vector loops' peel paths). */
    float *buf = malloc(sizeof(float) * (size_t)(8 * (n + offset) + 1));
    float *p = buf + offset, *g = p + n + offset, *m = g + n + offset, *v = m + n + offset;
    float *wp = v + n, *wm = wp + n, *wv = wm + n;
    roofline_inputs(n, p, g, m, v);
    memcpy(wp, p, sizeof(float) * (size_t)n);
    memcpy(wm, m, sizeof(float) * (size_t)n);
    memcpy(wv, v, sizeof(float) * (size_t)n);
    roofline_expected(n, wp, g, wm, wv);
    const int s = pt_roofline_step(CPU, n, p, g, m, v);
    CHECK(s == PT_OK, "n = %lld: status %d (%s)", (long long)n, s, pt_last_error());
    roofline_mismatches("p", p, wp, n);
    roofline_mismatches("m", m, wm, n);
    roofline_mismatches("v", v, wv, n);
    free(buf);
}

static void errors(void) {
    float a[4] = {0}, b[4] = {0}, c[4] = {0}, d[4] = {0};
    EXPECT(INVALID, "unknown device", pt_roofline_step(2, 4, a, b, c, d));
    EXPECT(INVALID, "n must be >= 0", pt_roofline_step(CPU, -1, a, b, c, d));
    EXPECT(INVALID, "p is NULL", pt_roofline_step(CPU, 4, NULL, b, c, d));
    EXPECT(INVALID, "g is NULL", pt_roofline_step(CPU, 4, a, NULL, c, d));
    EXPECT(INVALID, "m is NULL", pt_roofline_step(CPU, 4, a, b, NULL, d));
    EXPECT(INVALID, "v is NULL", pt_roofline_step(CUDA, 4, a, b, c, NULL));
    EXPECT(PT_OK, "", pt_roofline_step(CPU, 0, NULL, NULL, NULL, NULL));
    if (!pt_cuda_compiled()) EXPECT(UNSUPPORTED, "without CUDA", pt_roofline_step(CUDA, 4, a, b, c, d));
}

int main(void) {
    const int64_t sizes[] = {1, 3, 4, 17, 1000, 65535, 65536, 65536 * 3 + 5, 1 << 20};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        arithmetic(sizes[k], 0);
        arithmetic(sizes[k], 1);
    }
    pt_set_num_threads(1); /* the same results on one thread */
    arithmetic(65536 * 3 + 5, 0);
    errors();
    return test_exit_status("test_roofline");
}
