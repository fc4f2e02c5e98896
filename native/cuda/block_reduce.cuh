// Deterministic warp and block sums for the layer kernels (batchnorm2d.cu, pool2d.cu,
// cross_entropy.cu): every reduction adds in one fixed tree order that depends only on the block
// shape, never on scheduling, so a CUDA result is the same bits run after run (no float atomics).
//  - pt_warp_sum: xor butterfly over the 32 lanes; every lane ends with the same bits (each level
//    adds the same two values, and float addition is commutative);
//  - pt_block_sum / pt_block_reduce: warp butterflies, then warp 0 combines the per-warp results;
//    every thread gets the total.
// Both need the whole warp / block to call them (they contain shuffles and barriers).
#pragma once

#include "cuda/pt_cuda.cuh"

constexpr unsigned kPtFullWarp = 0xffffffffu;

template <class T>
__device__ __forceinline__ T pt_warp_sum(T v) {
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(kPtFullWarp, v, offset);
    return v;
}

// pt_block_reduce: any associative, commutative op (sum, min, a total-order max) over the block.
// shared: 33 slots of block-scope shared memory, reused by consecutive calls (the barriers at
// entry and exit keep one call's reads apart from the next one's writes). blockDim.x % 32 == 0;
// `identity` fills the slots of absent warps. Every thread gets the result.
template <class T, class Op>
__device__ __forceinline__ T pt_block_reduce(T v, T *shared, T identity, Op op) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) v = op(v, __shfl_xor_sync(kPtFullWarp, v, offset));
    __syncthreads();  // a previous call may still be reading shared[32]
    if (lane == 0) shared[warp] = v;
    __syncthreads();
    if (warp == 0) {
        T w = lane < warps ? shared[lane] : identity;
#pragma unroll
        for (int offset = 16; offset > 0; offset >>= 1) w = op(w, __shfl_xor_sync(kPtFullWarp, w, offset));
        if (lane == 0) shared[32] = w;
    }
    __syncthreads();
    return shared[32];
}

template <class T>
__device__ __forceinline__ T pt_block_sum(T v, T *shared) {
    return pt_block_reduce(v, shared, T(0), [](T a, T b) { return a + b; });
}

// One call's stream (the current device's) and stream-ordered scratch on it, freed on the stream
// after the call's kernels.
struct PtScratch {
    void *ptr = nullptr;
    cudaStream_t stream = nullptr;
    int open(const char *op, size_t bytes) {
        int index = 0;
        const int s = pt_cuda_current(&index, &stream);
        if (s != PT_OK) return s;
        PT_CUDA_TRY(op, cudaMallocAsync(&ptr, bytes, stream));
        return PT_OK;
    }
    ~PtScratch() {
        if (ptr != nullptr) cudaFreeAsync(ptr, stream);
    }
};
