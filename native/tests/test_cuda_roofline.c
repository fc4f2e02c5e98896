/*
 * pt_roofline_step on a CUDA device (a GPU, or the CPU simulator): random data uploaded, one step,
 * results downloaded and compared bit for bit with the same additions on the host, for sizes that
 * take the float4 path with and without a tail, and for pointers off 16-byte alignment (the
 * scalar path). On a real build without a usable GPU it exits 77 (skipped).
 */
#include <stdlib.h>

#include "panoptim.h"
#include "roofline_expect.h"
#include "test_expect_error.h"

enum { DEV = 0 };

static int ok(int s, const char *what) {
    CHECK(s == PT_OK, "%s: status %d (%s)", what, s, pt_last_error());
    return s == PT_OK;
}

/* One step over n elements starting `offset` floats into each device allocation. */
static void arithmetic(int64_t n, int64_t offset) {
    const size_t bytes = sizeof(float) * (size_t)n;
    float *host = malloc(7 * bytes + 1), *d[4] = {NULL, NULL, NULL, NULL};
    float *h[4] = {host, host + n, host + 2 * n, host + 3 * n}; /* p, g, m, v */
    float *want[3] = {host + 4 * n, host + 5 * n, host + 6 * n}; /* p, m, v */
    roofline_inputs(n, h[0], h[1], h[2], h[3]);
    memcpy(want[0], h[0], bytes);
    memcpy(want[1], h[2], bytes);
    memcpy(want[2], h[3], bytes);
    roofline_expected(n, want[0], h[1], want[1], want[2]);

    int good = 1;
    for (int k = 0; k < 4 && good; k++) {
        good = ok(pt_cuda_malloc(DEV, (int64_t)(bytes + sizeof(float) * offset), (void **)&d[k]), "pt_cuda_malloc");
        good = good && ok(pt_cuda_copy(DEV, d[k] + offset, h[k], (int64_t)bytes, PT_COPY_HOST_TO_DEVICE), "upload");
    }
    good = good && ok(pt_roofline_step(CUDA, n, d[0] + offset, d[1] + offset, d[2] + offset, d[3] + offset), "step");
    good = good && ok(pt_cuda_synchronize(DEV), "pt_cuda_synchronize");
    const int back[3] = {0, 2, 3};
    static const char *const names[3] = {"p", "m", "v"};
    for (int k = 0; k < 3 && good; k++) {
        good = ok(pt_cuda_copy(DEV, h[back[k]], d[back[k]] + offset, (int64_t)bytes, PT_COPY_DEVICE_TO_HOST), "download");
        if (good && roofline_mismatches(names[k], h[back[k]], want[k], n))
            fprintf(stderr, "  (n = %lld, offset %lld)\n", (long long)n, (long long)offset);
    }
    for (int k = 0; k < 4; k++) pt_cuda_free(DEV, d[k]);
    free(host);
}

int main(void) {
    int count = 0;
    if (pt_cuda_device_count(&count) != PT_OK) {
        if (!pt_cuda_simulated()) {
            printf("test_cuda_roofline: skipped: %s\n", pt_last_error());
            return 77;
        }
        CHECK(0, "the simulator has no device: %s", pt_last_error());
        return test_exit_status("test_cuda_roofline");
    }
    ok(pt_cuda_set_device(DEV), "pt_cuda_set_device");
    /* The last size runs the grid-stride loop past the capped grid (4096 blocks of 256 float4s),
     * plus a scalar tail: a million simulated threads, so on a GPU only. */
    const int64_t sizes[] = {1, 3, 4, 5, 1000, 65536 + 7, 4 * 4096 * 256 * 2 + 3};
    const size_t num_sizes = sizeof sizes / sizeof sizes[0] - (pt_cuda_simulated() ? 1 : 0);
    for (size_t k = 0; k < num_sizes; k++) {
        arithmetic(sizes[k], 0);
        arithmetic(sizes[k], 1);
    }
    EXPECT(PT_OK, "", pt_roofline_step(CUDA, 0, NULL, NULL, NULL, NULL));
    return test_exit_status("test_cuda_roofline");
}
