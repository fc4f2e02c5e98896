/*
 * Library facts: version, SIMD level, threads, and that the CUDA probe answers either with
 * devices or with a reason (it must not crash on machines without a GPU or driver).
 */
#include <stdio.h>
#include <string.h>

#include "panoptim.h"
#include "test_support.h"

int main(void) {
    char want[64];
    snprintf(want, sizeof want, "%d.%d.%d", PANOPTIM_VERSION_MAJOR, PANOPTIM_VERSION_MINOR, PANOPTIM_VERSION_PATCH);
    CHECK(strcmp(pt_version(), want) == 0, "pt_version() = \"%s\", header says \"%s\"", pt_version(), want);

    const char *simd = pt_simd_level();
    CHECK(simd && (!strcmp(simd, "avx512") || !strcmp(simd, "avx2+fma") || !strcmp(simd, "baseline")),
          "pt_simd_level() = \"%s\"", simd ? simd : "(null)");

    CHECK(pt_num_threads() >= 1, "pt_num_threads() = %d", pt_num_threads());
    CHECK(pt_set_num_threads(1) == PT_OK && pt_num_threads() == 1, "pt_set_num_threads(1) did not take");

    int count = -1;
    pt_clear_error();
    const int s = pt_cuda_device_count(&count);
    const char *msg = pt_last_error();
    if (s == PT_OK) {
        CHECK(count >= 1, "pt_cuda_device_count: PT_OK with count %d", count);
        CHECK(pt_cuda_compiled() == 1, "CUDA devices reported by a build without CUDA");
    } else {
        CHECK(msg[0] != '\0', "pt_cuda_device_count failed (%d) without a message", s);
        CHECK(count == 0, "pt_cuda_device_count failed but set count to %d", count);
        if (!pt_cuda_compiled()) CHECK(s == PT_ERR_UNSUPPORTED, "no-CUDA build: status %d", s);
    }
    printf("version %s, simd %s, threads %d, cuda compiled %d\n", pt_version(), simd, pt_num_threads(),
           pt_cuda_compiled());
    if (s == PT_OK) printf("cuda devices: %d\n", count);
    else printf("cuda unavailable: %s\n", msg);
    return test_exit_status("test_info");
}
