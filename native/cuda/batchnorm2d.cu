// BatchNorm2d on CUDA, forward and backward: pt_cuda_batchnorm2d_*, the twins of
// cpu/batchnorm2d.c (the formulas are written in cpu/reference/batchnorm2d_reference.c).
//   https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html
//
// x, y, dy, dx are (N, C, HW): channel ch is N rows of HW contiguous floats, C*HW apart.
//
// How (three kernels per call, all on panoptim's stream, no synchronization):
//  1. channel sums (training forward; backward when any grad needs them): a fixed set of S blocks
//     per channel, S a function of the shape only (about kTargetBlocks blocks in all, each with at
//     least kMinUnits loads), each block accumulating in double and reducing with warp shuffles
//     (cuda/block_reduce.cuh) into its own slot of a scratch array -- no atomics;
//     forward: shifted sums S1 = sum(x - K), S2 = sum((x - K)^2), K = the channel's first value,
//     read once (as the CPU twin: no cancellation when |mean| >> std);
//     backward: sum(dy) and sum(dy * (x - mean));
//  2. per channel, one thread adds its S partial sums in slot order (deterministic, the same bits
//     on every run and every GPU), then writes the statistics (save_mean, save_invstd, running
//     stats with the unbiased variance M/(M-1)) or the param grads, and the per-channel
//     coefficients of the elementwise pass;
//  3. the elementwise pass over all N*C*HW values (normalize, or dx), in double as the CPU twin,
//     rounded once to float.
// Loads are float4 when HW % 4 == 0 and the tensors are 16-byte aligned (a row never straddles a
// vector then), scalar otherwise. Eval mode skips kernel 1 (and the backward with only dx wanted
// too). M = N*HW values per channel.
//
// BatchNorm2d + ReLU fused (pt_cuda_batchnorm2d_relu_*), as in the CPU twin (whose header says why):
// the same three kernels, with ReLU applied in the normalize pass and, in the backward, ReLU's
// mask applied to dy wherever the kernels read it (sums and dx); the mask is recomputed from x and
// the saved statistics, and the fused forward normalizes with those float statistics, so that
// forward and backward compute the pre-activation from the same values with one function.
//
// Invariants: x, dy, weight, bias and the saved statistics are never written; the scratch
// (partials and coefficients) is stream-ordered device memory freed on the stream.
#include "cuda/pt_cuda.cuh"

#include <math.h>

#include "cuda/block_reduce.cuh"
#include "cuda/layers_cuda.h"
#include "cuda/map_kernel.cuh"

namespace {

constexpr int kSumBlock = 256;
constexpr int64_t kTargetBlocks = 512;  // ~4 blocks per SM of an H200 (132 SMs)
constexpr int64_t kMinUnits = 2048;     // loads per sum block at least (8 per thread)
constexpr int kChannelBlock = 128;

struct Shape {
    int64_t n, c, hw;
    int64_t hu;  // units (V floats) per row: hw / V
    int splits;  // S sum blocks per channel
};

// Calls f(offset of the unit from the channel's first value) for the units [u, end) of a channel,
// blockDim.x apart: unit u is row u / hu, column u % hu; the quotient is carried, not recomputed.
template <int V, class F>
__device__ __forceinline__ void for_units(int64_t u, int64_t end, int64_t hu, int64_t row_stride, F &&f) {
    int64_t row = u / hu, col = u - row * hu;
    const int64_t step = blockDim.x, step_row = step / hu, step_col = step - step_row * hu;
    for (; u < end; u += step) {
        f(row * row_stride + col * V);
        col += step_col;
        row += step_row;
        if (col >= hu) col -= hu, row++;
    }
}

template <int V>
__device__ __forceinline__ void load(const float *p, float (&v)[V]) {
    if constexpr (V == 4) {
        const float4 t = *reinterpret_cast<const float4 *>(p);
        v[0] = t.x, v[1] = t.y, v[2] = t.z, v[3] = t.w;
    } else {
        v[0] = *p;
    }
}

template <int V>
__device__ __forceinline__ void store(float *p, const float (&v)[V]) {
    if constexpr (V == 4) {
        *reinterpret_cast<float4 *>(p) = make_float4(v[0], v[1], v[2], v[3]);
    } else {
        *p = v[0];
    }
}

// The batch norm's output (x - mean) * scale + shift, in double, rounded once: the one expression
// of the forward and of the fused backward's recomputation, so both round the same bits.
__device__ __forceinline__ float preact(float x, double mean, double scale, double shift) {
    return (float)(((double)x - mean) * scale + shift);
}

// The gradient reaching the batch norm's output: dy, or with the ReLU fused 0 where the output is
// <= 0 (NaN passes, as relu.cu).
template <bool kRelu>
__device__ __forceinline__ double masked(float x, float dy, double mean, double scale, double shift) {
    if constexpr (kRelu) return preact(x, mean, scale, shift) <= 0.0f ? 0.0 : (double)dy;
    return (double)dy;
}

struct SumArgs {
    Shape s;
    const float *x, *dy;     // dy: backward only
    const float *save_mean;  // backward only
    const float *save_invstd, *weight, *bias;  // fused backward only (the recomputed output), else NULL
    double *partial;         // (C, S, 2)
    template <class F>
    void for_each_device_pointer(F &&f) const {
        const size_t all = (size_t)(s.n * s.c * s.hw) * 4, c4 = (size_t)s.c * 4;
        f(x, all), f(dy, dy ? all : 0), f(save_mean, save_mean ? c4 : 0);
        f(save_invstd, save_invstd ? c4 : 0), f(weight, weight ? c4 : 0), f(bias, bias ? c4 : 0);
        f(partial, (size_t)(s.c * s.splits) * 16);
    }
};

// Block b = ch * S + split: the two sums of its share of channel ch into partial[b].
template <int V, bool kBackward, bool kRelu>
__global__ void __launch_bounds__(kSumBlock) channel_sums(SumArgs a) {
    __shared__ double shared[33];
    const Shape s = a.s;
    const int64_t ch = blockIdx.x / s.splits, split = blockIdx.x % s.splits;
    const int64_t units = s.n * s.hu, base = units / s.splits, extra = units % s.splits;
    const int64_t lo = split * base + (split < extra ? split : extra), hi = lo + base + (split < extra);
    const float *xc = a.x + ch * s.hw;
    const float *dyc = kBackward ? a.dy + ch * s.hw : nullptr;
    const double shift = kBackward ? (double)a.save_mean[ch] : (double)xc[0];
    // Fused backward: the forward's scale and bias (shift above is its mean).
    const double scale = kRelu ? (double)a.save_invstd[ch] * (a.weight != nullptr ? a.weight[ch] : 1.0) : 0.0;
    const double bias = kRelu && a.bias != nullptr ? a.bias[ch] : 0.0;
    double s1 = 0.0, s2 = 0.0;
    for_units<V>(lo + threadIdx.x, hi, s.hu, s.c * s.hw, [&](int64_t off) {
        float xv[V];
        load<V>(xc + off, xv);
        if constexpr (kBackward) {
            float gv[V];
            load<V>(dyc + off, gv);
#pragma unroll
            for (int k = 0; k < V; k++) {
                const double g = masked<kRelu>(xv[k], gv[k], shift, scale, bias);
                s1 += g;
                s2 += g * ((double)xv[k] - shift);
            }
        } else {
#pragma unroll
            for (int k = 0; k < V; k++) {
                const double d = (double)xv[k] - shift;
                s1 += d;
                s2 += d * d;
            }
        }
    });
    s1 = pt_block_sum(s1, shared);
    s2 = pt_block_sum(s2, shared);
    if (threadIdx.x == 0) a.partial[blockIdx.x * 2] = s1, a.partial[blockIdx.x * 2 + 1] = s2;
}

// Channel ch's two sums: its S partials added in slot order.
__device__ __forceinline__ void channel_totals(const double *partial, int splits, int64_t ch, double *s1, double *s2) {
    double a = 0.0, b = 0.0;
    for (int k = 0; k < splits; k++) a += partial[(ch * splits + k) * 2], b += partial[(ch * splits + k) * 2 + 1];
    *s1 = a, *s2 = b;
}

struct ForwardStatsArgs {
    Shape s;
    int training;
    int relu;  // fused: normalize with the statistics as saved (float)
    const float *x, *weight, *bias;
    float *running_mean, *running_var, *save_mean, *save_invstd;
    double momentum, eps;
    const double *partial;  // training only
    double *coef;           // (C, 3): mean, scale = invstd * weight, shift = bias
    template <class F>
    void for_each_device_pointer(F &&f) const {
        const size_t c4 = (size_t)s.c * 4;
        f(x, (size_t)(s.n * s.c * s.hw) * 4), f(weight, weight ? c4 : 0), f(bias, bias ? c4 : 0);
        f(running_mean, running_mean ? c4 : 0), f(running_var, running_var ? c4 : 0);
        f(save_mean, save_mean ? c4 : 0), f(save_invstd, save_invstd ? c4 : 0);
        f(partial, partial ? (size_t)(s.c * s.splits) * 16 : 0), f(coef, (size_t)s.c * 24);
    }
};

// One thread per channel: the statistics (as cpu/batchnorm2d.c, in double) and the coefficients.
__global__ void __launch_bounds__(kChannelBlock) forward_stats(ForwardStatsArgs a) {
    const int64_t ch = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (ch >= a.s.c) return;
    const double m = (double)(a.s.n * a.s.hw);
    double mean, invstd;
    if (a.training) {
        double s1, s2;
        channel_totals(a.partial, a.s.splits, ch, &s1, &s2);
        mean = (double)a.x[ch * a.s.hw] + s1 / m;
        double var = (s2 - s1 * (s1 / m)) / m;
        var = var < 0.0 ? 0.0 : var;  // below 0 by rounding only; NaN stays NaN
        invstd = 1.0 / sqrt(var + a.eps);
        a.save_mean[ch] = (float)mean;
        a.save_invstd[ch] = (float)invstd;
        if (a.running_mean != nullptr) {
            a.running_mean[ch] = (float)((1.0 - a.momentum) * a.running_mean[ch] + a.momentum * mean);
            a.running_var[ch] = (float)((1.0 - a.momentum) * a.running_var[ch] + a.momentum * var * m / (m - 1.0));
        }
    } else {
        mean = a.running_mean[ch];
        invstd = 1.0 / sqrt((double)a.running_var[ch] + a.eps);
        if (a.save_mean != nullptr) a.save_mean[ch] = a.running_mean[ch];
        if (a.save_invstd != nullptr) a.save_invstd[ch] = (float)invstd;
    }
    if (a.relu) {  // what the backward reads back from save_mean / save_invstd
        mean = (float)mean;
        invstd = (float)invstd;
    }
    const double w = a.weight != nullptr ? a.weight[ch] : 1.0, b = a.bias != nullptr ? a.bias[ch] : 0.0;
    a.coef[ch * 3] = mean, a.coef[ch * 3 + 1] = invstd * w, a.coef[ch * 3 + 2] = b;
}

constexpr int kBackwardCoefs = 5;  // doubles per channel for the dx pass

struct BackwardStatsArgs {
    Shape s;
    int training, accumulate;
    const float *weight, *bias, *save_mean, *save_invstd;  // bias: fused only, else NULL
    float *dweight, *dbias;
    const double *partial;  // NULL when no sums were needed
    double *coef;           // (C, 5): mean, mean_dy, k, scale, shift (the forward's bias)
    template <class F>
    void for_each_device_pointer(F &&f) const {
        const size_t c4 = (size_t)s.c * 4;
        f(weight, weight ? c4 : 0), f(bias, bias ? c4 : 0), f(save_mean, c4), f(save_invstd, c4);
        f(dweight, dweight ? c4 : 0), f(dbias, dbias ? c4 : 0);
        f(partial, partial ? (size_t)(s.c * s.splits) * 16 : 0), f(coef, (size_t)s.c * 40);
    }
};

__global__ void __launch_bounds__(kChannelBlock) backward_stats(BackwardStatsArgs a) {
    const int64_t ch = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (ch >= a.s.c) return;
    const double m = (double)(a.s.n * a.s.hw);
    const double mean = a.save_mean[ch], invstd = a.save_invstd[ch];
    double sum_dy = 0.0, sum_dy_xmu = 0.0;
    if (a.partial != nullptr) channel_totals(a.partial, a.s.splits, ch, &sum_dy, &sum_dy_xmu);
    if (a.dbias != nullptr) a.dbias[ch] = (float)((a.accumulate ? (double)a.dbias[ch] : 0.0) + sum_dy);
    if (a.dweight != nullptr)
        a.dweight[ch] = (float)((a.accumulate ? (double)a.dweight[ch] : 0.0) + sum_dy_xmu * invstd);
    // d/dx through mean and invstd: dy - mean(dy) - (x - mean) * invstd^2 * mean(dy * (x - mean)).
    double *coef = a.coef + ch * kBackwardCoefs;
    coef[0] = mean;
    coef[1] = a.training ? sum_dy / m : 0.0;
    coef[2] = a.training ? invstd * invstd * sum_dy_xmu / m : 0.0;
    coef[3] = invstd * (a.weight != nullptr ? a.weight[ch] : 1.0);
    coef[4] = a.bias != nullptr ? a.bias[ch] : 0.0;
}

enum { kNormalize, kBackwardTrain, kBackwardEval };

struct ElementwiseArgs {
    Shape s;
    const float *x, *dy;  // forward: x; backward: x (training or fused), dy
    float *out;
    const double *coef;
    int coef_width;  // doubles per channel: 3 (forward), kBackwardCoefs (backward)
    template <class F>
    void for_each_device_pointer(F &&f) const {
        const size_t all = (size_t)(s.n * s.c * s.hw) * 4;
        f(x, x ? all : 0), f(dy, dy ? all : 0), f(out, all), f(coef, (size_t)(s.c * coef_width) * 8);
    }
};

// Unit u of the whole tensor (V floats of one row): row u / hu is plane (image, channel).
// I is the index type: 32-bit when the tensor allows, its division being several times cheaper.
// kRelu: the fused op (forward: max(y, 0); backward: dy masked by the recomputed output).
template <int V, int kMode, bool kRelu, class I>
__global__ void __launch_bounds__(kMapBlock) channel_map(ElementwiseArgs a) {
    const I hu = (I)a.s.hu, c = (I)a.s.c, units = (I)(a.s.n * a.s.c * a.s.hu);
    const I stride = (I)gridDim.x * blockDim.x;
    for (I u = (I)blockIdx.x * blockDim.x + threadIdx.x; u < units; u += stride) {
        const I ch = (u / hu) % c;
        const int64_t off = (int64_t)u * V;
        float r[V];
        if constexpr (kMode == kNormalize) {
            const double mean = a.coef[ch * 3], scale = a.coef[ch * 3 + 1], shift = a.coef[ch * 3 + 2];
            float xv[V];
            load<V>(a.x + off, xv);
#pragma unroll
            for (int k = 0; k < V; k++) {
                const float z = preact(xv[k], mean, scale, shift);
                r[k] = kRelu && z < 0.0f ? 0.0f : z;
            }
        } else {
            const double *coef = a.coef + (int64_t)ch * kBackwardCoefs;
            const double mean = coef[0], mean_dy = coef[1], kk = coef[2], scale = coef[3], shift = coef[4];
            float xv[V] = {}, gv[V];  // x: read when the formula needs it (training, or the mask)
            if constexpr (kMode == kBackwardTrain || kRelu) load<V>(a.x + off, xv);
            load<V>(a.dy + off, gv);
#pragma unroll
            for (int k = 0; k < V; k++) {
                const double g = masked<kRelu>(xv[k], gv[k], mean, scale, shift);
                r[k] = kMode == kBackwardTrain ? (float)((g - mean_dy - ((double)xv[k] - mean) * kk) * scale)
                                               : (float)(g * scale);
            }
        }
        store<V>(a.out + off, r);
    }
}

template <int V, int kMode, bool kRelu>
cudaError_t launch_map(const ElementwiseArgs &a, cudaStream_t stream) {
    const int64_t units = a.s.n * a.s.c * a.s.hu;
    int64_t blocks = (units + kMapBlock - 1) / kMapBlock;
    if (blocks > kMapMaxBlocks) blocks = kMapMaxBlocks;
    const int64_t reach = units + blocks * kMapBlock;  // the loop index never goes past this
    if (reach <= (int64_t)UINT32_MAX)
        return pt_launch<channel_map<V, kMode, kRelu, uint32_t>>(dim3((unsigned)blocks), dim3(kMapBlock), 0, stream, a);
    return pt_launch<channel_map<V, kMode, kRelu, int64_t>>(dim3((unsigned)blocks), dim3(kMapBlock), 0, stream, a);
}

template <int kMode>
cudaError_t launch_map_v(bool vectorized, bool relu, const ElementwiseArgs &a, cudaStream_t stream) {
    if (relu) return vectorized ? launch_map<4, kMode, true>(a, stream) : launch_map<1, kMode, true>(a, stream);
    return vectorized ? launch_map<4, kMode, false>(a, stream) : launch_map<1, kMode, false>(a, stream);
}

template <bool kBackward, bool kRelu>
cudaError_t launch_sums_r(bool vectorized, const SumArgs &a, cudaStream_t stream) {
    const dim3 grid((unsigned)(a.s.c * a.s.splits));
    return vectorized ? pt_launch<channel_sums<4, kBackward, kRelu>>(grid, dim3(kSumBlock), 0, stream, a)
                      : pt_launch<channel_sums<1, kBackward, kRelu>>(grid, dim3(kSumBlock), 0, stream, a);
}

// The forward's sums never mask (the statistics are of x); the backward's do when relu.
template <bool kBackward>
cudaError_t launch_sums(bool vectorized, bool relu, const SumArgs &a, cudaStream_t stream) {
    if (kBackward && relu) return launch_sums_r<true, true>(vectorized, a, stream);
    return launch_sums_r<kBackward, false>(vectorized, a, stream);
}

// The shape with its vector width and split count (functions of the shape only).
Shape make_shape(int64_t n, int64_t c, int64_t hw, bool vectorized) {
    Shape s{n, c, hw, vectorized ? hw / 4 : hw, 1};
    const int64_t units = n * s.hu;
    int64_t splits = (kTargetBlocks + c - 1) / c, most = (units + kMinUnits - 1) / kMinUnits;
    splits = splits < most ? splits : most;
    s.splits = (int)(splits < 1 ? 1 : splits);
    return s;
}

// The forward of both ops (relu: the fused one); `op` names the public call.
int forward(const char *op, bool relu, int training, int64_t n, int64_t c, int64_t hw, const float *x,
            const float *weight, const float *bias, float *running_mean, float *running_var, double momentum,
            double eps, float *y, float *save_mean, float *save_invstd) {
    const bool vectorized = hw % 4 == 0 && pt_aligned16(x) && pt_aligned16(y);
    const Shape s = make_shape(n, c, hw, vectorized);
    const size_t partial_doubles = training ? (size_t)(c * s.splits) * 2 : 0;
    PtScratch scratch;
    const int st = scratch.open(op, (partial_doubles + (size_t)c * 3) * sizeof(double));
    if (st != PT_OK) return st;
    cudaStream_t stream = scratch.stream;
    double *partial = training ? static_cast<double *>(scratch.ptr) : nullptr;
    double *coef = static_cast<double *>(scratch.ptr) + partial_doubles;
    cudaError_t err;
    if (training) {
        err = launch_sums<false>(vectorized, false, SumArgs{s, x, nullptr, nullptr, nullptr, nullptr, nullptr, partial},
                                 stream);
        if (err != cudaSuccess) return pt_cuda_fail(err, op, "channel_sums launch");
    }
    const ForwardStatsArgs fa{s, training, relu, x, weight, bias, running_mean, running_var, save_mean, save_invstd,
                              momentum, eps, partial, coef};
    err = pt_launch<forward_stats>(dim3((unsigned)((c + kChannelBlock - 1) / kChannelBlock)), dim3(kChannelBlock), 0,
                                   stream, fa);
    if (err != cudaSuccess) return pt_cuda_fail(err, op, "forward_stats launch");
    err = launch_map_v<kNormalize>(vectorized, relu, ElementwiseArgs{s, x, nullptr, y, coef, 3}, stream);
    if (err != cudaSuccess) return pt_cuda_fail(err, op, "channel_map (normalize) launch");
    return PT_OK;
}

// The backward of both ops (relu: the fused one, which needs bias to recompute the output).
int backward(const char *op, bool relu, int training, int64_t n, int64_t c, int64_t hw, const float *x,
             const float *weight, const float *bias, const float *save_mean, const float *save_invstd, const float *dy,
             float *dx, float *dweight, float *dbias, int accumulate) {
    // Eval mode with only dx wanted needs no reduction at all.
    const bool need_sums = training || dweight != nullptr || dbias != nullptr;
    if (!need_sums && dx == nullptr) return PT_OK;
    const bool vectorized = hw % 4 == 0 && pt_aligned16(x) && pt_aligned16(dy) && (dx == nullptr || pt_aligned16(dx));
    const Shape s = make_shape(n, c, hw, vectorized);
    const size_t partial_doubles = need_sums ? (size_t)(c * s.splits) * 2 : 0;
    PtScratch scratch;
    const int st = scratch.open(op, (partial_doubles + (size_t)c * kBackwardCoefs) * sizeof(double));
    if (st != PT_OK) return st;
    cudaStream_t stream = scratch.stream;
    double *partial = need_sums ? static_cast<double *>(scratch.ptr) : nullptr;
    double *coef = static_cast<double *>(scratch.ptr) + partial_doubles;
    if (!relu) bias = nullptr;  // only the fused op reads it
    cudaError_t err;
    if (need_sums) {
        const SumArgs sa{s, x, dy, save_mean, relu ? save_invstd : nullptr, relu ? weight : nullptr, bias, partial};
        err = launch_sums<true>(vectorized, relu, sa, stream);
        if (err != cudaSuccess) return pt_cuda_fail(err, op, "channel_sums launch");
    }
    const BackwardStatsArgs ba{s, training, accumulate, weight, bias, save_mean, save_invstd, dweight, dbias, partial,
                               coef};
    err = pt_launch<backward_stats>(dim3((unsigned)((c + kChannelBlock - 1) / kChannelBlock)), dim3(kChannelBlock), 0,
                                    stream, ba);
    if (err != cudaSuccess) return pt_cuda_fail(err, op, "backward_stats launch");
    if (dx == nullptr) return PT_OK;
    const ElementwiseArgs ea{s, training || relu ? x : nullptr, dy, dx, coef, kBackwardCoefs};
    err = training ? launch_map_v<kBackwardTrain>(vectorized, relu, ea, stream)
                   : launch_map_v<kBackwardEval>(vectorized, relu, ea, stream);
    if (err != cudaSuccess) return pt_cuda_fail(err, op, "channel_map (dx) launch");
    return PT_OK;
}

}  // namespace

extern "C" int pt_cuda_batchnorm2d_forward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                           const float *weight, const float *bias, float *running_mean,
                                           float *running_var, double momentum, double eps, float *y,
                                           float *save_mean, float *save_invstd) {
    return forward("pt_batchnorm2d_forward", false, training, n, c, hw, x, weight, bias, running_mean, running_var,
                   momentum, eps, y, save_mean, save_invstd);
}

extern "C" int pt_cuda_batchnorm2d_backward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                            const float *weight, const float *save_mean, const float *save_invstd,
                                            const float *dy, float *dx, float *dweight, float *dbias,
                                            int accumulate) {
    return backward("pt_batchnorm2d_backward", false, training, n, c, hw, x, weight, nullptr, save_mean, save_invstd,
                    dy, dx, dweight, dbias, accumulate);
}

extern "C" int pt_cuda_batchnorm2d_relu_forward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                                const float *weight, const float *bias, float *running_mean,
                                                float *running_var, double momentum, double eps, float *y,
                                                float *save_mean, float *save_invstd) {
    return forward("pt_batchnorm2d_relu_forward", true, training, n, c, hw, x, weight, bias, running_mean, running_var,
                   momentum, eps, y, save_mean, save_invstd);
}

extern "C" int pt_cuda_batchnorm2d_relu_backward(int training, int64_t n, int64_t c, int64_t hw, const float *x,
                                                 const float *weight, const float *bias, const float *save_mean,
                                                 const float *save_invstd, const float *dy, float *dx, float *dweight,
                                                 float *dbias, int accumulate) {
    return backward("pt_batchnorm2d_relu_backward", true, training, n, c, hw, x, weight, bias, save_mean, save_invstd,
                    dy, dx, dweight, dbias, accumulate);
}
