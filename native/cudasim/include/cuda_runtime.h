// panoptim's CUDA simulator: this cuda_runtime.h stands in for NVIDIA's when native/cuda/*.cu is
// compiled by the host C++ compiler (PANOPTIM_CUDASIM). Kernels run on the CPU: the blocks of a
// grid on a pool of OS threads, the threads of a block as cooperatively scheduled fibers
// (Boost.Context), switching only at barriers and warp collectives. See native/cudasim/README.md.
//
// THE SUPPORTED SUBSET. Anything not listed here is not declared, so using it fails the simulator
// build loudly (an undeclared identifier), never silently.
//  Qualifiers     __global__ __device__ __host__ __forceinline__ __restrict__ (and `#pragma unroll`)
//                 __launch_bounds__(...) __grid_constant__ __align__(n)
//  Shared memory  `__shared__ T name[N];` (static, block or file scope; poisoned with 0xff bytes, a
//                 float NaN, at every block's start), dynamic shared memory through
//                 pt_dynamic_shared<T>() (native/cuda/pt_cuda.cuh; poisoned too). Static shared
//                 bytes are counted for the whole library (an upper bound per kernel).
//  Built-ins      threadIdx blockIdx blockDim gridDim warpSize; dim3 uint3
//  Launch         pt_launch<kernel>(grid, block, smem, stream, args...) (native/cuda/pt_cuda.cuh);
//                 `<<<...>>>` is nvcc syntax and does not exist here.
//  Barriers       __syncthreads() __syncwarp(mask)
//  Warp           __shfl_sync __shfl_up_sync __shfl_down_sync __shfl_xor_sync (values of 1 to 8
//                 bytes, width a power of two <= 32), __ballot_sync __any_sync __all_sync
//                 __activemask (the lanes not exited)
//  Atomics        atomicAdd atomicSub atomicMax atomicMin atomicExch atomicCAS on int, unsigned,
//                 unsigned long long; atomicAdd and atomicExch on float; atomicAdd on double
//  Vector types   char4 uchar4 short2 int2 int4 uint2 uint4 float2 float4 double2 and make_*; a
//                 copy of a float2/int2/uint2/double2/float4/int4/uint4 from or to memory at an
//                 address not aligned to its size fails as on a GPU (cudaErrorMisalignedAddress)
//  bf16           __nv_bfloat16, __float2bfloat16 __float2bfloat16_rn __bfloat162float (cuda_bf16.h)
//  Maths          the C library's float/double functions, rsqrtf, __fdividef, __expf, __logf,
//                 __powf (glibc's), __frsqrt_rn, __fsqrt_rn, __fdiv_rn, __fmul_rn, __fadd_rn, __fmaf_rn,
//                 __saturatef, min/max on integers and floats, __float_as_int, __int_as_float,
//                 __float_as_uint, __uint_as_float, __popc, __popcll, __clz, __ffs, __ldg
//  Runtime        cudaMalloc cudaFree cudaMallocAsync cudaFreeAsync cudaMallocHost cudaFreeHost
//                 cudaMemcpy cudaMemcpyAsync cudaMemset cudaMemsetAsync cudaMemGetInfo
//                 cudaPointerGetAttributes cudaStreamCreate cudaStreamCreateWithFlags
//                 cudaStreamDestroy cudaStreamSynchronize cudaStreamQuery cudaStreamWaitEvent
//                 cudaEventCreate cudaEventCreateWithFlags cudaEventDestroy cudaEventRecord
//                 cudaEventSynchronize cudaEventQuery cudaEventElapsedTime cudaDeviceSynchronize
//                 cudaGetDeviceCount cudaSetDevice cudaGetDevice cudaGetDeviceProperties
//                 cudaDeviceGetAttribute cudaFuncSetAttribute cudaDeviceGetDefaultMemPool
//                 cudaMemPoolSetAttribute cudaMemPoolGetAttribute cudaMemPoolTrimTo
//                 cudaGetLastError cudaPeekAtLastError cudaGetErrorString cudaGetErrorName
//                 cudaDriverGetVersion cudaRuntimeGetVersion
//  Graphs         cudaStreamBeginCapture (modes global, thread-local, relaxed) cudaStreamEndCapture
//                 cudaStreamIsCapturing cudaGraphInstantiate (CUDA 12's 3 arguments, flags 0)
//                 cudaGraphLaunch cudaGraphExecDestroy cudaGraphDestroy: single-stream captures
//                 of launches, memsets, copies between device or pinned memory and
//                 cudaMallocAsync/cudaFreeAsync (graph memory); see runtime/capture.cpp
//
// Semantics that differ from a GPU on purpose, to catch bugs:
//  - launches, copies, memsets and frees queue on their stream and run at synchronization points
//    (stream/event/device synchronize, a synchronous cudaMemcpy, cudaFree, a query): a result read
//    without synchronizing is stale;
//  - raw pointer kernel arguments must be NULL or device (or pinned host) memory, checked at launch;
//    a struct argument lists its pointers and extents with a host member
//    `template <class F> void for_each_device_pointer(F &&f) const` calling f(ptr, bytes);
//  - hardware limits of sm_90 are enforced at launch (1024 threads per block, block and grid
//    dimensions, 48 KB of dynamic shared memory unless raised with cudaFuncSetAttribute, 227 KB in
//    all, 32764 bytes of kernel arguments);
//  - new device allocations are filled with 0xff bytes (NaN), so reads of memory never written show;
//  - a captured graph replays the recorded operations on the stream, in order, with the kernel
//    arguments copied at capture; raw pointer arguments are checked again at each replay (memory
//    freed since the capture is reported, not used); events, copies from or to pageable host
//    memory and freeing memory allocated before the capture are refused during a capture;
//  - a fault inside a kernel (misaligned vector access, deadlock at a barrier, a bad warp mask) is
//    returned by the synchronization that ran it, with the kernel, block and thread named in
//    cudaGetErrorString; unlike a GPU the context survives it.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <math.h>

#include "pt_cudasim/types.h"
#include "pt_cudasim/vector_types.h"
#include "pt_cudasim/api.h"
#include "pt_cudasim/device_functions.h"
#include "pt_cudasim/launch.h"
