/* Built instead of native/cuda/vendor/ without nvcc: every vendor entry point fails with the reason. */
#include <stdint.h>
#include <stdio.h>

#include "api/error.h"
#include "cuda/vendor/vendor.h"

static int pt_vendor_unavailable(const char *op) {
    return pt_fail(PT_ERR_UNSUPPORTED, "%s: this libpanoptim was built without CUDA (nvcc was not found at build time)",
                   op);
}

void pt_vendor_describe(char *buf, int64_t capacity) {
    snprintf(buf, (size_t)capacity, "vendor: unavailable: this libpanoptim was built without CUDA\n");
}

#include "cuda/vendor/vendor_stubs.inc"
