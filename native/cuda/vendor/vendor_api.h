// The few cuBLAS and cuDNN declarations panoptim's vendor backend needs, written out here because
// neither library's headers are needed to build panoptim: both are loaded at run time (loader.cu).
// Each value and prototype was checked against the public headers it names:
//  - cuBLAS: cublas_api.h (CUDA 12.x / 13.x: cublasStatus_t, cublasOperation_t, cublasMath_t with
//    CUBLAS_DEFAULT_MATH = 0, CUBLAS_PEDANTIC_MATH = 2, CUBLAS_TF32_TENSOR_OP_MATH = 3) and
//    library_types.h (libraryPropertyType: MAJOR_VERSION = 0, MINOR_VERSION = 1, PATCH_LEVEL = 2);
//    the exported names are the _v2 ones that cublas_v2.h maps cublasCreate & co. to.
//  - cuDNN 9: cudnn_graph.h (cudnnStatus_t, cudnnDataType_t CUDNN_DATA_FLOAT = 0, cudnnMathType_t
//    CUDNN_FMA_MATH = 3, cudnnConvolutionMode_t CUDNN_CROSS_CORRELATION = 1, the algorithm enums),
//    cudnn_ops.h (cudnnTensorFormat_t CUDNN_TENSOR_NCHW = 0, cudnnBatchNormMode_t
//    CUDNN_BATCHNORM_SPATIAL = 1, the batch-norm calls, CUDNN_BN_MIN_EPSILON 0.0) and cudnn_cnn.h
//    (9.6.0: the legacy convolution calls, deprecated but exported by every 9.x).
// Enums are passed as int: C enums of these libraries are int-sized on every ABI we target.
#pragma once

#include <stddef.h>

#include <cuda_runtime.h>

// ------------------------------------------------------------------ cuBLAS
typedef int cublasStatus_t;
typedef struct cublasContext *cublasHandle_t;
enum {
    PT_CUBLAS_STATUS_SUCCESS = 0,
    PT_CUBLAS_OP_N = 0,
    PT_CUBLAS_OP_T = 1,
    PT_CUBLAS_DEFAULT_MATH = 0,
    PT_CUBLAS_PEDANTIC_MATH = 2,        // fp32 on the FMA units: no TF32, no reduced precision
    PT_CUBLAS_TF32_TENSOR_OP_MATH = 3,
    PT_LIBRARY_MAJOR_VERSION = 0,
    PT_LIBRARY_MINOR_VERSION = 1,
    PT_LIBRARY_PATCH_LEVEL = 2,
};

// X(return type, name, parameters): every cuBLAS function resolved with dlsym.
#define PT_CUBLAS_FUNCTIONS(X)                                                                           \
    X(cublasStatus_t, cublasCreate_v2, (cublasHandle_t * handle))                                        \
    X(cublasStatus_t, cublasSetStream_v2, (cublasHandle_t handle, cudaStream_t stream))                  \
    X(cublasStatus_t, cublasSetMathMode, (cublasHandle_t handle, int mode))                              \
    X(cublasStatus_t, cublasGetProperty, (int type, int *value))                                         \
    X(const char *, cublasGetStatusString, (cublasStatus_t status))                                      \
    X(cublasStatus_t, cublasSgemm_v2,                                                                    \
      (cublasHandle_t handle, int transa, int transb, int m, int n, int k, const float *alpha,           \
       const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc))

// ------------------------------------------------------------------ cuDNN
typedef int cudnnStatus_t;
typedef struct cudnnContext *cudnnHandle_t;
typedef struct cudnnTensorStruct *cudnnTensorDescriptor_t;
typedef struct cudnnFilterStruct *cudnnFilterDescriptor_t;
typedef struct cudnnConvolutionStruct *cudnnConvolutionDescriptor_t;
enum {
    PT_CUDNN_STATUS_SUCCESS = 0,
    PT_CUDNN_DATA_FLOAT = 0,
    PT_CUDNN_TENSOR_NCHW = 0,
    PT_CUDNN_CROSS_CORRELATION = 1,     // torch's conv2d (no kernel flip)
    PT_CUDNN_DEFAULT_MATH = 0,
    PT_CUDNN_FMA_MATH = 3,              // fp32 on the FMA units: no TF32
    PT_CUDNN_TENSOR_OP_MATH = 1,
    PT_CUDNN_BATCHNORM_SPATIAL = 1,     // one mean/var per channel over (N, H, W)
    // cudnnConvolutionFwdAlgo_t / BwdDataAlgo_t / BwdFilterAlgo_t
    PT_CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM = 0,
    PT_CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM = 1,
    PT_CUDNN_CONVOLUTION_BWD_DATA_ALGO_0 = 0,
    PT_CUDNN_CONVOLUTION_BWD_DATA_ALGO_1 = 1,
    PT_CUDNN_CONVOLUTION_BWD_FILTER_ALGO_0 = 0,
    PT_CUDNN_CONVOLUTION_BWD_FILTER_ALGO_1 = 1,
};

#define PT_CUDNN_FUNCTIONS(X)                                                                            \
    X(size_t, cudnnGetVersion, (void))                                                                   \
    X(const char *, cudnnGetErrorString, (cudnnStatus_t status))                                         \
    X(cudnnStatus_t, cudnnCreate, (cudnnHandle_t * handle))                                              \
    X(cudnnStatus_t, cudnnSetStream, (cudnnHandle_t handle, cudaStream_t stream))                        \
    X(cudnnStatus_t, cudnnCreateTensorDescriptor, (cudnnTensorDescriptor_t * desc))                      \
    X(cudnnStatus_t, cudnnDestroyTensorDescriptor, (cudnnTensorDescriptor_t desc))                       \
    X(cudnnStatus_t, cudnnSetTensor4dDescriptor,                                                         \
      (cudnnTensorDescriptor_t desc, int format, int dataType, int n, int c, int h, int w))              \
    X(cudnnStatus_t, cudnnCreateFilterDescriptor, (cudnnFilterDescriptor_t * desc))                      \
    X(cudnnStatus_t, cudnnDestroyFilterDescriptor, (cudnnFilterDescriptor_t desc))                       \
    X(cudnnStatus_t, cudnnSetFilter4dDescriptor,                                                         \
      (cudnnFilterDescriptor_t desc, int dataType, int format, int k, int c, int h, int w))              \
    X(cudnnStatus_t, cudnnCreateConvolutionDescriptor, (cudnnConvolutionDescriptor_t * desc))            \
    X(cudnnStatus_t, cudnnDestroyConvolutionDescriptor, (cudnnConvolutionDescriptor_t desc))             \
    X(cudnnStatus_t, cudnnSetConvolution2dDescriptor,                                                    \
      (cudnnConvolutionDescriptor_t desc, int pad_h, int pad_w, int u, int v, int dilation_h,            \
       int dilation_w, int mode, int computeType))                                                       \
    X(cudnnStatus_t, cudnnSetConvolutionMathType, (cudnnConvolutionDescriptor_t desc, int mathType))     \
    X(cudnnStatus_t, cudnnGetConvolutionForwardWorkspaceSize,                                            \
      (cudnnHandle_t handle, cudnnTensorDescriptor_t xDesc, cudnnFilterDescriptor_t wDesc,               \
       cudnnConvolutionDescriptor_t convDesc, cudnnTensorDescriptor_t yDesc, int algo, size_t *bytes))   \
    X(cudnnStatus_t, cudnnConvolutionForward,                                                            \
      (cudnnHandle_t handle, const void *alpha, cudnnTensorDescriptor_t xDesc, const void *x,            \
       cudnnFilterDescriptor_t wDesc, const void *w, cudnnConvolutionDescriptor_t convDesc, int algo,    \
       void *workSpace, size_t workSpaceSizeInBytes, const void *beta, cudnnTensorDescriptor_t yDesc,    \
       void *y))                                                                                         \
    X(cudnnStatus_t, cudnnGetConvolutionBackwardDataWorkspaceSize,                                       \
      (cudnnHandle_t handle, cudnnFilterDescriptor_t wDesc, cudnnTensorDescriptor_t dyDesc,              \
       cudnnConvolutionDescriptor_t convDesc, cudnnTensorDescriptor_t dxDesc, int algo, size_t *bytes))  \
    X(cudnnStatus_t, cudnnConvolutionBackwardData,                                                       \
      (cudnnHandle_t handle, const void *alpha, cudnnFilterDescriptor_t wDesc, const void *w,            \
       cudnnTensorDescriptor_t dyDesc, const void *dy, cudnnConvolutionDescriptor_t convDesc, int algo,  \
       void *workSpace, size_t workSpaceSizeInBytes, const void *beta, cudnnTensorDescriptor_t dxDesc,   \
       void *dx))                                                                                        \
    X(cudnnStatus_t, cudnnGetConvolutionBackwardFilterWorkspaceSize,                                     \
      (cudnnHandle_t handle, cudnnTensorDescriptor_t xDesc, cudnnTensorDescriptor_t dyDesc,              \
       cudnnConvolutionDescriptor_t convDesc, cudnnFilterDescriptor_t dwDesc, int algo, size_t *bytes))  \
    X(cudnnStatus_t, cudnnConvolutionBackwardFilter,                                                     \
      (cudnnHandle_t handle, const void *alpha, cudnnTensorDescriptor_t xDesc, const void *x,            \
       cudnnTensorDescriptor_t dyDesc, const void *dy, cudnnConvolutionDescriptor_t convDesc, int algo,  \
       void *workSpace, size_t workSpaceSizeInBytes, const void *beta, cudnnFilterDescriptor_t dwDesc,   \
       void *dw))                                                                                        \
    X(cudnnStatus_t, cudnnConvolutionBackwardBias,                                                       \
      (cudnnHandle_t handle, const void *alpha, cudnnTensorDescriptor_t dyDesc, const void *dy,          \
       const void *beta, cudnnTensorDescriptor_t dbDesc, void *db))                                      \
    X(cudnnStatus_t, cudnnAddTensor,                                                                     \
      (cudnnHandle_t handle, const void *alpha, cudnnTensorDescriptor_t aDesc, const void *A,            \
       const void *beta, cudnnTensorDescriptor_t cDesc, void *C))                                        \
    X(cudnnStatus_t, cudnnBatchNormalizationForwardTraining,                                             \
      (cudnnHandle_t handle, int mode, const void *alpha, const void *beta, cudnnTensorDescriptor_t xDesc, \
       const void *x, cudnnTensorDescriptor_t yDesc, void *y, cudnnTensorDescriptor_t bnDesc,             \
       const void *bnScale, const void *bnBias, double exponentialAverageFactor, void *resultRunningMean, \
       void *resultRunningVariance, double epsilon, void *resultSaveMean, void *resultSaveInvVariance))    \
    X(cudnnStatus_t, cudnnBatchNormalizationForwardInference,                                            \
      (cudnnHandle_t handle, int mode, const void *alpha, const void *beta, cudnnTensorDescriptor_t xDesc, \
       const void *x, cudnnTensorDescriptor_t yDesc, void *y, cudnnTensorDescriptor_t bnDesc,             \
       const void *bnScale, const void *bnBias, const void *estimatedMean, const void *estimatedVariance, \
       double epsilon))                                                                                  \
    X(cudnnStatus_t, cudnnBatchNormalizationBackward,                                                    \
      (cudnnHandle_t handle, int mode, const void *alphaDataDiff, const void *betaDataDiff,              \
       const void *alphaParamDiff, const void *betaParamDiff, cudnnTensorDescriptor_t xDesc,             \
       const void *x, cudnnTensorDescriptor_t dyDesc, const void *dy, cudnnTensorDescriptor_t dxDesc,    \
       void *dx, cudnnTensorDescriptor_t bnDesc, const void *bnScale, void *resultBnScaleDiff,           \
       void *resultBnBiasDiff, double epsilon, const void *savedMean, const void *savedInvVariance))
