// pt_cast on CUDA: pt_cuda_cast, the twin of cpu/cast.c. dst = src converted between float32,
// bfloat16 and float16 by the shared conversions of common/dtypes.h (the same integer code on the
// host, the simulator and the GPU, so every build gives the same bits); the same dtype is one
// device-to-device copy. One grid-stride map kernel (cuda/map_kernel.cuh), element by element.
#include "cuda/pt_cuda.cuh"

#include "common/dtypes.h"
#include "cuda/map_kernel.cuh"
#include "cuda/matmul_cuda.h"
#include "cuda/mixed_cuda.h"

namespace {

struct Cast {
    int64_t n;
    const void *src;
    void *dst;
    int src_dtype, dst_dtype;
    __device__ void at(int64_t i) const { pt_store_dtype(dst, i, dst_dtype, pt_load_dtype(src, i, src_dtype)); }
    __device__ void at4(int64_t i) const {
        for (int j = 0; j < 4; j++) at(i + j);
    }
    bool aligned() const { return false; }  // 2- and 4-byte elements, one at a time
    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(src, (size_t)n * pt_dtype_size(src_dtype)), f(dst, (size_t)n * pt_dtype_size(dst_dtype));
    }
};

}  // namespace

extern "C" int pt_cuda_cast(int64_t numel, const void *src, int src_dtype, void *dst, int dst_dtype) {
    static const char op[] = "pt_cast";
    if (numel == 0) return PT_OK;
    int index = 0;
    cudaStream_t stream = nullptr;
    PT_TRY(pt_cuda_current(&index, &stream));
    static const char *const names[2] = {"src", "dst"};
    const void *const ptrs[2] = {src, dst};
    PT_TRY(pt_cuda_check_device_pointers(op, index, 2, names, ptrs));
    if (src_dtype == dst_dtype) {
        if (src != dst)
            PT_CUDA_TRY(op, cudaMemcpyAsync(dst, src, (size_t)numel * pt_dtype_size(src_dtype), cudaMemcpyDeviceToDevice,
                                            stream));
        return PT_OK;
    }
    return pt_map(op, numel, Cast{numel, src, dst, src_dtype, dst_dtype});
}
