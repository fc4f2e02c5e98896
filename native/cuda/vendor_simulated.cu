// The simulator's stand-ins for native/cuda/vendor/ (which only nvcc builds): cuBLAS and cuDNN are
// GPU libraries, so every vendor entry point fails here with the reason. Empty under nvcc.
#if defined(PANOPTIM_CUDASIM)
#include "cuda/pt_cuda.cuh"

#include "cuda/vendor/vendor.h"

static int pt_vendor_unavailable(const char *op) {
    return pt_fail(PT_ERR_UNSUPPORTED,
                   "%s: the vendor CUDA backend (cuBLAS/cuDNN) is unavailable: the simulator runs panoptim's own "
                   "kernels only",
                   op);
}

extern "C" {
void pt_vendor_describe(char *buf, int64_t capacity) {
    snprintf(buf, (size_t)capacity, "vendor: unavailable: the simulator runs panoptim's own kernels only\n");
}
#include "cuda/vendor/vendor_stubs.inc"
}
#endif
