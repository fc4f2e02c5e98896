// pt_batchnorm2d_forward and pt_batchnorm2d_backward on cuDNN (the vendor backend; contract in
// panoptim.h): x, y, dy (N, C, HW) seen by cuDNN as NCHW (N, C, HW, 1) in CUDNN_BATCHNORM_SPATIAL
// mode, with weight, bias, running and saved statistics (C) as (1, C, 1, 1).
//
// How cuDNN's conventions map onto panoptim's (which are torch's):
//  - exponentialAverageFactor is torch's momentum: running = (1 - f) * running + f * stat;
//  - cuDNN updates resultRunningVariance with the unbiased variance (M / (M - 1), M = N * HW) and
//    normalizes with the biased one, as torch does: torch's cudnn_batch_norm passes momentum and
//    running_var to cuDNN unchanged, so no conversion is needed (test_cuda_vendor checks it);
//  - resultSaveInvVariance is 1 / sqrt(var + eps), panoptim's save_invstd;
//  - CUDNN_BN_MIN_EPSILON is 0.0 in cuDNN 9, so every eps > 0 that native/api accepts is allowed.
// cuDNN needs what panoptim lets be NULL: scale and bias (affine = False: ones and zeros), and the
// training backward's dx, dscale and dbias (scratch, discarded). Eval mode's backward, where the
// statistics are constants, is not a cuDNN call: two small kernels below compute it.
#include "cuda/vendor/vendor_support.cuh"

#include "cuda/vendor/vendor.h"

namespace {

// Device scratch from panoptim's pool, freed (stream-ordered) on scope exit.
struct Scratch {
    int index = 0;
    void *ptrs[4] = {};
    int used = 0;
    ~Scratch() {
        for (int i = 0; i < used; i++) pt_cuda_free(index, ptrs[i]);
    }
    int take(int64_t floats, float **out) {
        void *p = nullptr;
        int s = pt_cuda_malloc(index, floats * (int64_t)sizeof(float), &p);
        if (s != PT_OK) return s;
        ptrs[used++] = p;
        *out = static_cast<float *>(p);
        return PT_OK;
    }
};

__global__ void fill(float *y, int64_t n, float value) {
    const int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = value;
}

// Eval mode's save_mean / save_invstd (C): running_mean and 1 / sqrt(running_var + eps) in double,
// as the CPU kernel computes them. Either output may be NULL.
__global__ void eval_saved_stats(const float *running_mean, const float *running_var, double eps, int64_t c,
                                 float *save_mean, float *save_invstd) {
    const int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= c) return;
    if (save_mean != nullptr) save_mean[i] = running_mean[i];
    if (save_invstd != nullptr) save_invstd[i] = (float)(1.0 / sqrt((double)running_var[i] + eps));
}

// Eval backward, dx (N, C, HW) = dy * weight[c] * invstd[c] (weight NULL: 1).
__global__ void eval_backward_dx(const float *dy, const float *weight, const float *invstd, int64_t c, int64_t hw,
                                 int64_t total, float *dx) {
    const int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= total) return;
    const int64_t ch = (i / hw) % c;
    dx[i] = dy[i] * ((weight != nullptr ? weight[ch] : 1.0f) * invstd[ch]);
}

constexpr int kReduceThreads = 256;

// Eval backward, one block per channel: dweight (+)= sum(dy * (x - mean)) * invstd, dbias (+)= sum(dy),
// sums in double over (N, HW). Either output may be NULL.
__global__ void eval_backward_params(const float *x, const float *dy, const float *mean, const float *invstd,
                                     int64_t n, int64_t c, int64_t hw, float *dweight, float *dbias, int accumulate) {
    __shared__ double s_dxm[kReduceThreads];
    __shared__ double s_dy[kReduceThreads];
    const int64_t ch = blockIdx.x;
    const double m = mean[ch];
    double sum_dxm = 0.0, sum_dy = 0.0;
    for (int64_t i = threadIdx.x; i < n * hw; i += blockDim.x) {
        const int64_t at = (i / hw) * c * hw + ch * hw + i % hw;
        sum_dxm += (double)dy[at] * ((double)x[at] - m);
        sum_dy += dy[at];
    }
    s_dxm[threadIdx.x] = sum_dxm;
    s_dy[threadIdx.x] = sum_dy;
    __syncthreads();
    for (int half = blockDim.x / 2; half > 0; half /= 2) {
        if ((int)threadIdx.x < half) {
            s_dxm[threadIdx.x] += s_dxm[threadIdx.x + half];
            s_dy[threadIdx.x] += s_dy[threadIdx.x + half];
        }
        __syncthreads();
    }
    if (threadIdx.x != 0) return;
    const float gw = (float)(s_dxm[0] * invstd[ch]), gb = (float)s_dy[0];
    if (dweight != nullptr) dweight[ch] = accumulate ? dweight[ch] + gw : gw;
    if (dbias != nullptr) dbias[ch] = accumulate ? dbias[ch] + gb : gb;
}

int blocks_for(int64_t count, int threads) { return (int)((count + threads - 1) / threads); }

// The (N, C, HW, 1) data and (1, C, 1, 1) statistics descriptors, destroyed on scope exit.
struct BnDescs {
    const PtCudnn *f = nullptr;
    cudnnTensorDescriptor_t data = nullptr, stats = nullptr;
    ~BnDescs() {
        if (f == nullptr) return;
        if (data) f->cudnnDestroyTensorDescriptor(data);
        if (stats) f->cudnnDestroyTensorDescriptor(stats);
    }
};

int describe(const PtDnnCall &call, const char *op, BnDescs &d, int64_t n, int64_t c, int64_t hw) {
    int s = pt_vendor_check_int(op, "n", n);
    if (s == PT_OK) s = pt_vendor_check_int(op, "c", c);
    if (s == PT_OK) s = pt_vendor_check_int(op, "hw", hw);
    if (s != PT_OK) return s;
    d.f = call.f;
    PT_CUDNN_TRY(call, op, call.f->cudnnCreateTensorDescriptor(&d.data));
    PT_CUDNN_TRY(call, op, call.f->cudnnCreateTensorDescriptor(&d.stats));
    PT_CUDNN_TRY(call, op, call.f->cudnnSetTensor4dDescriptor(d.data, PT_CUDNN_TENSOR_NCHW, PT_CUDNN_DATA_FLOAT, (int)n, (int)c, (int)hw, 1));
    PT_CUDNN_TRY(call, op, call.f->cudnnSetTensor4dDescriptor(d.stats, PT_CUDNN_TENSOR_NCHW, PT_CUDNN_DATA_FLOAT, 1, (int)c, 1, 1));
    return PT_OK;
}

// `*ptr` when not NULL, else a scratch vector of `count` floats set to `value`.
int or_constant(const PtDnnCall &call, const char *op, Scratch &scratch, const float *given, int64_t count, float value,
                const float **out) {
    if (given != nullptr) {
        *out = given;
        return PT_OK;
    }
    float *p = nullptr;
    int s = scratch.take(count, &p);
    if (s != PT_OK) return s;
    PT_CUDA_TRY(op, (pt_launch<fill>(dim3(blocks_for(count, 256)), dim3(256), 0, call.stream, p, count, value)));
    *out = p;
    return PT_OK;
}

}  // namespace

extern "C" int pt_vendor_batchnorm2d_forward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                             const float *weight, const float *bias, float *running_mean,
                                             float *running_var, double momentum, double eps, float *y,
                                             float *save_mean, float *save_invstd) {
    const char *op = "pt_batchnorm2d_forward";
    const char *names[] = {"x", "weight", "bias", "running_mean", "running_var", "y", "save_mean", "save_invstd"};
    const void *ptrs[] = {x, weight, bias, running_mean, running_var, y, save_mean, save_invstd};
    PtDnnCall call;
    int s = pt_vendor_begin_dnn(op, names, ptrs, 8, &call);
    if (s != PT_OK) return s;
    BnDescs d;
    s = describe(call, op, d, n, c, hw);
    if (s != PT_OK) return s;
    Scratch scratch;
    scratch.index = call.index;
    const float *scale = nullptr, *shift = nullptr;
    s = or_constant(call, op, scratch, weight, c, 1.0f, &scale);
    if (s == PT_OK) s = or_constant(call, op, scratch, bias, c, 0.0f, &shift);
    if (s != PT_OK) return s;
    const float one = 1.0f, zero = 0.0f;
    const PtCudnn &f = *call.f;
    if (training) {
        // running_mean / running_var NULL (not tracking): cuDNN skips the update when both are NULL.
        PT_CUDNN_TRY(call, op,
                     f.cudnnBatchNormalizationForwardTraining(call.handle, PT_CUDNN_BATCHNORM_SPATIAL, &one, &zero, d.data, x,
                                                              d.data, y, d.stats, scale, shift, momentum, running_mean,
                                                              running_var, eps, save_mean, save_invstd));
        return PT_OK;
    }
    PT_CUDNN_TRY(call, op,
                 f.cudnnBatchNormalizationForwardInference(call.handle, PT_CUDNN_BATCHNORM_SPATIAL, &one, &zero, d.data, x,
                                                           d.data, y, d.stats, scale, shift, running_mean, running_var,
                                                           eps));
    if (save_mean != nullptr || save_invstd != nullptr)
        PT_CUDA_TRY(op, (pt_launch<eval_saved_stats>(dim3(blocks_for(c, 256)), dim3(256), 0, call.stream, running_mean,
                                                     running_var, eps, c, save_mean, save_invstd)));
    return PT_OK;
}

extern "C" int pt_vendor_batchnorm2d_backward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                              const float *weight, const float *save_mean, const float *save_invstd,
                                              const float *dy, float *dx, float *dweight, float *dbias, int accumulate) {
    const char *op = "pt_batchnorm2d_backward";
    const char *names[] = {"x", "weight", "save_mean", "save_invstd", "dy", "dx", "dweight", "dbias"};
    const void *ptrs[] = {x, weight, save_mean, save_invstd, dy, dx, dweight, dbias};
    PtDnnCall call;
    int s = pt_vendor_begin_dnn(op, names, ptrs, 8, &call);
    if (s != PT_OK) return s;
    const int64_t total = n * c * hw;
    if (!training) {
        if (dx != nullptr)
            PT_CUDA_TRY(op, (pt_launch<eval_backward_dx>(dim3(blocks_for(total, 256)), dim3(256), 0, call.stream, dy,
                                                         weight, save_invstd, c, hw, total, dx)));
        if (dweight != nullptr || dbias != nullptr)
            PT_CUDA_TRY(op, (pt_launch<eval_backward_params>(dim3((unsigned)c), dim3(kReduceThreads), 0, call.stream, x,
                                                             dy, save_mean, save_invstd, n, c, hw, dweight, dbias,
                                                             accumulate)));
        return PT_OK;
    }
    BnDescs d;
    s = describe(call, op, d, n, c, hw);
    if (s != PT_OK) return s;
    Scratch scratch;
    scratch.index = call.index;
    const float *scale = nullptr;
    s = or_constant(call, op, scratch, weight, c, 1.0f, &scale);
    // cuDNN writes all three grads: the ones panoptim was not asked for go to scratch. With
    // accumulate, betaParamDiff = 1 adds into dweight / dbias (scratch then holds garbage + grad,
    // which nobody reads).
    if (s == PT_OK && dx == nullptr) s = scratch.take(total, &dx);
    if (s == PT_OK && dweight == nullptr) s = scratch.take(c, &dweight);
    if (s == PT_OK && dbias == nullptr) s = scratch.take(c, &dbias);
    if (s != PT_OK) return s;
    const float one = 1.0f, zero = 0.0f;
    // eps is not used when the saved statistics are given, but cuDNN wants one >= CUDNN_BN_MIN_EPSILON.
    const double unused_eps = 1e-5;
    PT_CUDNN_TRY(call, op,
                 call.f->cudnnBatchNormalizationBackward(call.handle, PT_CUDNN_BATCHNORM_SPATIAL, &one, &zero, &one,
                                                         accumulate ? &one : &zero, d.data, x, d.data, dy, d.data, dx,
                                                         d.stats, scale, dweight, dbias, unused_eps, save_mean,
                                                         save_invstd));
    return PT_OK;
}
