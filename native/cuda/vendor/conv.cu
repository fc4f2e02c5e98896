// pt_conv2d_forward and pt_conv2d_backward on cuDNN (the vendor backend; contracts in panoptim.h):
// NCHW fp32 cross-correlation (torch's conv2d) with zero padding, groups 1, dilation 1.
//   x (N, C, H, W), weight (K, C, R, S), bias (K), y and dy (N, K, P, Q).
// Math: CUDNN_FMA_MATH (fp32, no TF32) unless PANOPTIM_CUDA_VENDOR_TF32=1. Algorithms are fixed, not
// searched: the implicit-GEMM family runs every shape in fp32 and, for the data and filter grads,
// the first choice is deterministic; the second of each pair is the fallback where cuDNN refuses
// the first. Workspaces come from panoptim's stream-ordered pool and go back after the call.
#include "cuda/vendor/vendor_support.cuh"

#include "cuda/vendor/vendor.h"

namespace {

// The descriptors of one convolution, destroyed on every return path.
struct ConvDescs {
    const PtCudnn *f = nullptr;
    cudnnTensorDescriptor_t x = nullptr, y = nullptr, bias = nullptr;
    cudnnFilterDescriptor_t w = nullptr;
    cudnnConvolutionDescriptor_t conv = nullptr;
    ~ConvDescs() {
        if (f == nullptr) return;
        if (x) f->cudnnDestroyTensorDescriptor(x);
        if (y) f->cudnnDestroyTensorDescriptor(y);
        if (bias) f->cudnnDestroyTensorDescriptor(bias);
        if (w) f->cudnnDestroyFilterDescriptor(w);
        if (conv) f->cudnnDestroyConvolutionDescriptor(conv);
    }
};

// A workspace from panoptim's pool; freed (stream-ordered, after the queued work) on scope exit.
struct Workspace {
    int index = 0;
    void *ptr = nullptr;
    size_t bytes = 0;
    ~Workspace() {
        if (ptr != nullptr) pt_cuda_free(index, ptr);
    }
    int reserve(size_t want) {
        if (want <= bytes) return PT_OK;
        if (ptr != nullptr) pt_cuda_free(index, ptr);
        ptr = nullptr;
        bytes = 0;
        int s = pt_cuda_malloc(index, (int64_t)want, &ptr);
        if (s == PT_OK) bytes = want;
        return s;
    }
};

int describe(const PtDnnCall &call, const char *op, ConvDescs &d, int64_t n, int64_t c, int64_t h, int64_t w,
             int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w) {
    const int64_t dims[] = {n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w};
    const char *names[] = {"n", "c", "h", "w", "k", "r", "s", "stride_h", "stride_w", "pad_h", "pad_w"};
    for (int i = 0; i < 11; i++) {
        int st = pt_vendor_check_int(op, names[i], dims[i]);
        if (st != PT_OK) return st;
    }
    const int64_t p = (h + 2 * pad_h - r) / stride_h + 1, q = (w + 2 * pad_w - s) / stride_w + 1;
    const PtCudnn &f = *call.f;
    d.f = call.f;
    PT_CUDNN_TRY(call, op, f.cudnnCreateTensorDescriptor(&d.x));
    PT_CUDNN_TRY(call, op, f.cudnnCreateTensorDescriptor(&d.y));
    PT_CUDNN_TRY(call, op, f.cudnnCreateTensorDescriptor(&d.bias));
    PT_CUDNN_TRY(call, op, f.cudnnCreateFilterDescriptor(&d.w));
    PT_CUDNN_TRY(call, op, f.cudnnCreateConvolutionDescriptor(&d.conv));
    PT_CUDNN_TRY(call, op, f.cudnnSetTensor4dDescriptor(d.x, PT_CUDNN_TENSOR_NCHW, PT_CUDNN_DATA_FLOAT, (int)n, (int)c, (int)h, (int)w));
    PT_CUDNN_TRY(call, op, f.cudnnSetTensor4dDescriptor(d.y, PT_CUDNN_TENSOR_NCHW, PT_CUDNN_DATA_FLOAT, (int)n, (int)k, (int)p, (int)q));
    PT_CUDNN_TRY(call, op, f.cudnnSetTensor4dDescriptor(d.bias, PT_CUDNN_TENSOR_NCHW, PT_CUDNN_DATA_FLOAT, 1, (int)k, 1, 1));
    PT_CUDNN_TRY(call, op, f.cudnnSetFilter4dDescriptor(d.w, PT_CUDNN_DATA_FLOAT, PT_CUDNN_TENSOR_NCHW, (int)k, (int)c, (int)r, (int)s));
    PT_CUDNN_TRY(call, op, f.cudnnSetConvolution2dDescriptor(d.conv, (int)pad_h, (int)pad_w, (int)stride_h, (int)stride_w, 1, 1,
                                                            PT_CUDNN_CROSS_CORRELATION, PT_CUDNN_DATA_FLOAT));
    PT_CUDNN_TRY(call, op, f.cudnnSetConvolutionMathType(d.conv, pt_vendor_dnn_math_type()));
    return PT_OK;
}

// Runs `run(algo, workspace, bytes)` with the first algorithm of `algos` that cuDNN accepts;
// `size(algo, &bytes)` is its workspace query.
template <class Size, class Run>
int with_algorithm(const PtDnnCall &call, const char *op, const char *what, const int (&algos)[2], Size size, Run run) {
    Workspace ws;
    ws.index = call.index;
    cudnnStatus_t last = PT_CUDNN_STATUS_SUCCESS;
    for (int algo : algos) {
        size_t bytes = 0;
        last = size(algo, &bytes);
        if (last != PT_CUDNN_STATUS_SUCCESS) continue;
        int s = ws.reserve(bytes);
        if (s != PT_OK) return s;
        last = run(algo, ws.ptr, bytes);
        if (last == PT_CUDNN_STATUS_SUCCESS) return PT_OK;
    }
    return pt_cudnn_fail(call, op, what, last);
}

}  // namespace

extern "C" int pt_vendor_conv2d_forward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s,
                                        int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w,
                                        const float *x, const float *weight, const float *bias, float *y) {
    const char *op = "pt_conv2d_forward";
    const char *names[] = {"x", "weight", "bias", "y"};
    const void *ptrs[] = {x, weight, bias, y};
    PtDnnCall call;
    int st = pt_vendor_begin_dnn(op, names, ptrs, 4, &call);
    if (st != PT_OK) return st;
    ConvDescs d;
    st = describe(call, op, d, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w);
    if (st != PT_OK) return st;
    const PtCudnn &f = *call.f;
    const float one = 1.0f, zero = 0.0f;
    static const int algos[2] = {PT_CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM,
                                 PT_CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM};
    st = with_algorithm(
        call, op, "cudnnConvolutionForward", algos,
        [&](int algo, size_t *bytes) {
            return f.cudnnGetConvolutionForwardWorkspaceSize(call.handle, d.x, d.w, d.conv, d.y, algo, bytes);
        },
        [&](int algo, void *ws, size_t bytes) {
            return f.cudnnConvolutionForward(call.handle, &one, d.x, x, d.w, weight, d.conv, algo, ws, bytes, &zero, d.y, y);
        });
    if (st != PT_OK) return st;
    // y += bias, broadcast over (N, P, Q).
    if (bias != nullptr) PT_CUDNN_TRY(call, op, f.cudnnAddTensor(call.handle, &one, d.bias, bias, &one, d.y, y));
    return PT_OK;
}

extern "C" int pt_vendor_conv2d_backward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s,
                                         int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w,
                                         const float *x, const float *weight, const float *dy, float *dx,
                                         float *dweight, float *dbias, int accumulate) {
    const char *op = "pt_conv2d_backward";
    const char *names[] = {"x", "weight", "dy", "dx", "dweight", "dbias"};
    const void *ptrs[] = {x, weight, dy, dx, dweight, dbias};
    PtDnnCall call;
    int st = pt_vendor_begin_dnn(op, names, ptrs, 6, &call);
    if (st != PT_OK) return st;
    ConvDescs d;
    st = describe(call, op, d, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w);
    if (st != PT_OK) return st;
    const PtCudnn &f = *call.f;
    const float one = 1.0f, zero = 0.0f;
    // Param grads are summed into when accumulating (beta = 1), as torch's .grad; dx is overwritten.
    const float *param_beta = accumulate ? &one : &zero;
    if (dx != nullptr) {
        static const int algos[2] = {PT_CUDNN_CONVOLUTION_BWD_DATA_ALGO_1, PT_CUDNN_CONVOLUTION_BWD_DATA_ALGO_0};
        st = with_algorithm(
            call, op, "cudnnConvolutionBackwardData", algos,
            [&](int algo, size_t *bytes) {
                return f.cudnnGetConvolutionBackwardDataWorkspaceSize(call.handle, d.w, d.y, d.conv, d.x, algo, bytes);
            },
            [&](int algo, void *ws, size_t bytes) {
                return f.cudnnConvolutionBackwardData(call.handle, &one, d.w, weight, d.y, dy, d.conv, algo, ws, bytes,
                                                      &zero, d.x, dx);
            });
        if (st != PT_OK) return st;
    }
    if (dweight != nullptr) {
        static const int algos[2] = {PT_CUDNN_CONVOLUTION_BWD_FILTER_ALGO_1, PT_CUDNN_CONVOLUTION_BWD_FILTER_ALGO_0};
        st = with_algorithm(
            call, op, "cudnnConvolutionBackwardFilter", algos,
            [&](int algo, size_t *bytes) {
                return f.cudnnGetConvolutionBackwardFilterWorkspaceSize(call.handle, d.x, d.y, d.conv, d.w, algo, bytes);
            },
            [&](int algo, void *ws, size_t bytes) {
                return f.cudnnConvolutionBackwardFilter(call.handle, &one, d.x, x, d.y, dy, d.conv, algo, ws, bytes,
                                                        param_beta, d.w, dweight);
            });
        if (st != PT_OK) return st;
    }
    if (dbias != nullptr)
        PT_CUDNN_TRY(call, op, f.cudnnConvolutionBackwardBias(call.handle, &one, d.y, dy, param_beta, d.bias, dbias));
    return PT_OK;
}
