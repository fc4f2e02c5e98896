// What every native/cuda/*.cu file includes first: the CUDA headers, the launch helper and the
// error helpers. The same sources compile twice: with nvcc into libpanoptim (a real GPU), and with
// the host C++ compiler and native/cudasim/include into libpanoptim_cudasim (the CPU simulator,
// PANOPTIM_CUDASIM defined). The two documented forks between them live here and nowhere else:
//  - pt_launch<kernel>(grid, block, smem, stream, args...): `kernel<<<grid, block, smem, stream>>>`
//    under nvcc (then cudaGetLastError), the simulator's checked, stream-queued launcher otherwise;
//  - pt_dynamic_shared<T>(): the block's dynamic shared memory (`extern __shared__` under nvcc).
// The CUDA subset the simulator supports is listed in native/cudasim/include/cuda_runtime.h.
#pragma once

#include <cuda_runtime.h>
#include <cuda_bf16.h>

#include <utility>

#include "api/error.h"
#include "cuda/capture.h"

#if defined(PANOPTIM_CUDASIM)
template <auto Kernel, class... Args>
static inline cudaError_t pt_launch(dim3 grid, dim3 block, size_t smem, cudaStream_t stream, Args &&...args) {
    return pt_sim::launch<Kernel>(grid, block, smem, stream, std::forward<Args>(args)...);
}
template <class T>
__device__ __forceinline__ T *pt_dynamic_shared() {
    return static_cast<T *>(pt_sim::dynamic_shared());
}
#else
template <auto Kernel, class... Args>
static inline cudaError_t pt_launch(dim3 grid, dim3 block, size_t smem, cudaStream_t stream, Args &&...args) {
    Kernel<<<grid, block, smem, stream>>>(std::forward<Args>(args)...);
    return cudaGetLastError();
}
template <class T>
__device__ __forceinline__ T *pt_dynamic_shared() {
    extern __shared__ __align__(16) unsigned char pt_dynamic_smem[];
    return reinterpret_cast<T *>(pt_dynamic_smem);
}
#endif

// A CUDA error as a panoptim status: PT_ERR_OUT_OF_MEMORY for allocation failures, PT_ERR_DEVICE
// otherwise, with a message naming the panoptim call, what failed and CUDA's own words. An error of
// stream capture also breaks the device's graph capture, with this message as the reason.
static inline int pt_cuda_fail(cudaError_t err, const char *op, const char *what) {
    cudaGetLastError();  // a non-sticky error must not fail the next call too
    const int status = pt_fail(err == cudaErrorMemoryAllocation ? PT_ERR_OUT_OF_MEMORY : PT_ERR_DEVICE,
                               "%s: %s failed: %s (%s)", op, what, cudaGetErrorString(err), cudaGetErrorName(err));
    if (err == cudaErrorStreamCaptureUnsupported || err == cudaErrorStreamCaptureInvalidated ||
        err == cudaErrorStreamCaptureImplicit)
        pt_cuda_capture_broken(pt_last_error());
    return status;
}

// `PT_CUDA_TRY(op, cudaMemcpyAsync(...));` returns the status from the enclosing function on error.
#define PT_CUDA_TRY(op, call)                                              \
    do {                                                                   \
        cudaError_t pt_err_ = (call);                                      \
        if (pt_err_ != cudaSuccess) return pt_cuda_fail(pt_err_, op, #call); \
    } while (0)

// The calling host thread's current device and panoptim's stream on it (native/cuda/cuda_device.cu).
// Fails, with a message saying why (no driver, no device, ...), when CUDA cannot be used.
extern "C" int pt_cuda_current(int *index, cudaStream_t *stream);
