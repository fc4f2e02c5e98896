/* Built instead of cuda/cast.cu and cuda/amp.cu when the library is compiled without nvcc: the same
 * entry points (cuda/mixed_cuda.h), failing with the reason. */
#include "api/error.h"
#include "cuda/mixed_cuda.h"

static int no_cuda(const char *op) {
    return pt_fail(PT_ERR_UNSUPPORTED, "%s: this libpanoptim was built without CUDA (nvcc was not found at build time)",
                   op);
}

int pt_cuda_cast(int64_t numel, const void *src, int src_dtype, void *dst, int dst_dtype) { return no_cuda("pt_cast"); }

