// One elementwise kernel for the flat layer ops (relu.cu, elementwise.cu): op.at4(i) updates
// elements [i, i + 4) with 16-byte accesses, op.at(i) one element. The launcher picks the float4
// path when every pointer the op holds is 16-byte aligned (cudaMalloc'd tensors are), the scalar
// path for the rest and the tail. Grid-stride over at most kMapMaxBlocks blocks of 256: enough
// resident threads to keep an H200's memory busy (132 SMs x 2048), few enough for the simulator.
//
// An Op is a struct of device pointers and scalars with
//   __device__ void at(int64_t i) const;  __device__ void at4(int64_t i) const;
//   bool aligned() const;  (host) for_each_device_pointer(f) (the simulator checks extents).
// Aliasing (y = x, dx = dy) is allowed: each element is read, then written at the same index.
#pragma once

#include "cuda/pt_cuda.cuh"

constexpr int kMapBlock = 256;
constexpr int64_t kMapMaxBlocks = 4096;

__device__ __forceinline__ float4 pt_load4(const float *p, int64_t i) { return *reinterpret_cast<const float4 *>(p + i); }
__device__ __forceinline__ void pt_store4(float *p, int64_t i, float4 v) { *reinterpret_cast<float4 *>(p + i) = v; }

static inline bool pt_aligned16(const void *ptr) { return (reinterpret_cast<uintptr_t>(ptr) & 15u) == 0; }

template <class Op>
__global__ void __launch_bounds__(kMapBlock) map_kernel(int64_t n, Op op, bool vectorized) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    const int64_t first = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t done = 0;
    if (vectorized) {
        const int64_t n4 = n / 4;
        for (int64_t i = first; i < n4; i += stride) op.at4(i * 4);
        done = n4 * 4;
    }
    for (int64_t i = done + first; i < n; i += stride) op.at(i);
}

// Queues op over [0, n) on the stream of the current device; `op_name` names the public call.
template <class Op>
static int pt_map(const char *op_name, int64_t n, const Op &op) {
    if (n == 0) return PT_OK;
    int index = 0;
    cudaStream_t stream = nullptr;
    const int s = pt_cuda_current(&index, &stream);
    if (s != PT_OK) return s;
    const bool vectorized = op.aligned();
    const int64_t work = vectorized ? n / 4 + n % 4 : n;
    int64_t blocks = (work + kMapBlock - 1) / kMapBlock;
    if (blocks > kMapMaxBlocks) blocks = kMapMaxBlocks;
    const cudaError_t err = pt_launch<map_kernel<Op>>(dim3((unsigned)blocks), dim3(kMapBlock), 0, stream, n, op, vectorized);
    if (err != cudaSuccess) return pt_cuda_fail(err, op_name, "map_kernel launch");
    return PT_OK;
}
