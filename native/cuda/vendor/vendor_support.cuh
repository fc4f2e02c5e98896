// What the vendor entry points (blas.cu, conv.cu, batchnorm.cu) share, from loader.cu: the loaded
// libraries' function tables, and per call the current device, panoptim's stream and the library
// handle bound to it, with the vendor lock held for the duration of the call.
#pragma once

#include "cuda/pt_cuda.cuh"

#include <mutex>

#include "cuda/vendor/vendor_api.h"
#include "cuda/optim_support.cuh"

struct PtCublas {
#define PT_VENDOR_MEMBER(ret, name, params) ret(*name) params;
    PT_CUBLAS_FUNCTIONS(PT_VENDOR_MEMBER)
};
struct PtCudnn {
    PT_CUDNN_FUNCTIONS(PT_VENDOR_MEMBER)
#undef PT_VENDOR_MEMBER
};

// One vendor call in progress: cuBLAS and cuDNN handles are not meant to be shared by threads at
// once, so `lock` serialises the (asynchronous, short) queueing of vendor work.
struct PtBlasCall {
    std::unique_lock<std::mutex> lock;
    const PtCublas *f = nullptr;
    cublasHandle_t handle = nullptr;
    int index = 0;
    cudaStream_t stream = nullptr;
};
struct PtDnnCall {
    std::unique_lock<std::mutex> lock;
    const PtCudnn *f = nullptr;
    cudnnHandle_t handle = nullptr;
    int index = 0;
    cudaStream_t stream = nullptr;
};

// Loads the library (once), finds the current device and its stream, checks that `ptrs` (count
// pointers, NULL ones skipped, named by `names`) are memory of that device, and binds the device's
// handle to the stream. PT_ERR_UNSUPPORTED when the library cannot be loaded, saying where it looked.
int pt_vendor_begin_blas(const char *op, const char *const *names, const void *const *ptrs, int count, PtBlasCall *call);
int pt_vendor_begin_dnn(const char *op, const char *const *names, const void *const *ptrs, int count, PtDnnCall *call);

// A failed library call as PT_ERR_DEVICE, with the library's own words.
int pt_cublas_fail(const PtBlasCall &call, const char *op, const char *what, cublasStatus_t status);
int pt_cudnn_fail(const PtDnnCall &call, const char *op, const char *what, cudnnStatus_t status);

#define PT_CUBLAS_TRY(call, op, expr)                                                \
    do {                                                                             \
        cublasStatus_t pt_st_ = (expr);                                              \
        if (pt_st_ != PT_CUBLAS_STATUS_SUCCESS) return pt_cublas_fail(call, op, #expr, pt_st_); \
    } while (0)
#define PT_CUDNN_TRY(call, op, expr)                                                 \
    do {                                                                             \
        cudnnStatus_t pt_st_ = (expr);                                               \
        if (pt_st_ != PT_CUDNN_STATUS_SUCCESS) return pt_cudnn_fail(call, op, #expr, pt_st_); \
    } while (0)

// cuBLAS and cuDNN take int sizes: a dimension past INT_MAX is PT_ERR_UNSUPPORTED, naming it.
int pt_vendor_check_int(const char *op, const char *what, int64_t v);

// The cuDNN math type of convolutions: CUDNN_FMA_MATH (fp32), or tensor-op math with
// PANOPTIM_CUDA_VENDOR_TF32=1.
int pt_vendor_dnn_math_type(void);
