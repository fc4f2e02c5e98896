// Pooling on CUDA, forward and backward: pt_cuda_maxpool2d_* and pt_cuda_global_avgpool_*, the
// twins of cpu/pool2d.c (the formulas are written in cpu/reference/pool2d_reference.c).
//   https://pytorch.org/docs/stable/generated/torch.nn.MaxPool2d.html
//   https://pytorch.org/docs/stable/generated/torch.nn.AdaptiveAvgPool2d.html
//
// x, dx are (N, C, H, W) (or (N, C, HW)); y, dy are (N, C, P, Q) (or (N, C)); argmax like y.
//
// Max-pool forward: one thread per output; its window clipped to the plane (padding is -inf and
// never wins), scanned row by row keeping the FIRST maximum (strictly greater replaces; a NaN always
// replaces) -- the CPU twin's rule, so values and argmax are its bits, ties included.
// Max-pool backward, deterministic without float atomics and bit-identical to the CPU's ordered
// scatter: one warp per (image, channel) plane zeroes dx, then walks the output rows in order, 32
// outputs of a row at a time. Within an output row, the argmax of forward's windows never moves
// back (two windows of a row that took different maxima cannot both contain both: that would make
// each strictly larger than the other), so outputs sharing an input form runs of adjacent lanes;
// the first lane of a run adds the run's dy values to dx in lane order (shuffles), as the CPU adds
// them in output order, and __syncwarp orders one slice's writes before the next slice's reads.
// Any in-range argmax is allowed, so a slice whose indices break that order (not forward's) is
// added one lane at a time instead: slower, same result.
// The argmax indices are device data the host cannot check without a sync: one outside the plane
// is never dereferenced, and its plane's dx is set to NaN so the bad grad shows.
// Global average pooling: one warp per plane sums in double (fixed lane order, then a butterfly),
// mean rounded once; backward writes dy/HW (in double, rounded once) over each plane.
//
// Invariants: x, dy and argmax are never written; dx is fully overwritten.
#include "cuda/pt_cuda.cuh"

#include <math.h>

#include "cuda/block_reduce.cuh"
#include "cuda/layers_cuda.h"
#include "cuda/map_kernel.cuh"

namespace {

constexpr int kBlock = 256;
constexpr int kWarpsPerBlock = kBlock / 32;

// ---------------------------------------------------------------- max pooling, forward

struct MaxpoolArgs {
    int64_t planes, h, w, kernel, stride, padding, p, q;
    const float *x;
    float *y;
    int32_t *argmax;  // or NULL
    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(x, (size_t)(planes * h * w) * 4), f(y, (size_t)(planes * p * q) * 4);
        f(argmax, argmax ? (size_t)(planes * p * q) * 4 : 0);
    }
};

// I: the index type, 32-bit when the output allows (cheaper divisions).
template <class I>
__global__ void __launch_bounds__(kBlock) maxpool_forward(MaxpoolArgs a) {
    const I outputs = (I)(a.planes * a.p * a.q), q = (I)a.q, pq = (I)(a.p * a.q);
    const I stride_all = (I)gridDim.x * blockDim.x;
    for (I o = (I)blockIdx.x * blockDim.x + threadIdx.x; o < outputs; o += stride_all) {
        const I plane = o / pq, rem = o - plane * pq, pp = rem / q, qq = rem - pp * q;
        const int64_t h0 = (int64_t)pp * a.stride - a.padding, w0 = (int64_t)qq * a.stride - a.padding;
        const int64_t hs = h0 < 0 ? 0 : h0, he = h0 + a.kernel < a.h ? h0 + a.kernel : a.h;
        const int64_t ws = w0 < 0 ? 0 : w0, we = w0 + a.kernel < a.w ? w0 + a.kernel : a.w;
        const float *xp = a.x + (int64_t)plane * a.h * a.w;
        float best = -INFINITY;
        int32_t best_at = (int32_t)(hs * a.w + ws);
        for (int64_t hh = hs; hh < he; hh++)
            for (int64_t ww = ws; ww < we; ww++) {
                const float v = xp[hh * a.w + ww];
                if (v > best || v != v) best = v, best_at = (int32_t)(hh * a.w + ww);
            }
        a.y[o] = best;
        if (a.argmax != nullptr) a.argmax[o] = best_at;
    }
}

// ---------------------------------------------------------------- max pooling, backward

struct MaxpoolBackwardArgs {
    int64_t planes, hw, w, p, q;
    const float *dy;
    const int32_t *argmax;
    float *dx;
    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(dy, (size_t)(planes * p * q) * 4), f(argmax, (size_t)(planes * p * q) * 4), f(dx, (size_t)(planes * hw) * 4);
    }
};

__global__ void __launch_bounds__(kBlock) maxpool_backward(MaxpoolBackwardArgs a) {
    const int lane = threadIdx.x & 31;
    const int64_t plane = (int64_t)blockIdx.x * kWarpsPerBlock + (threadIdx.x >> 5);
    if (plane >= a.planes) return;  // whole warps only
    const int64_t hw = a.hw, pq = a.p * a.q;
    float *dxp = a.dx + plane * hw;
    const float *dyp = a.dy + plane * pq;
    const int32_t *ap = a.argmax + plane * pq;
    for (int64_t i = lane; i < hw; i += 32) dxp[i] = 0.0f;
    __syncwarp();
    bool bad = false;
    for (int64_t pp = 0; pp < a.p; pp++)
        for (int64_t q0 = 0; q0 < a.q; q0 += 32) {
            const int64_t o = pp * a.q + q0 + lane;
            const bool active = q0 + lane < a.q;
            int64_t t = active ? (int64_t)ap[o] : -1;
            const float g = active ? dyp[o] : 0.0f;
            const bool valid = active && t >= 0 && t < hw;
            bad = bad || (active && !valid);
            if (!valid) t = -1 - lane;  // matches no other lane
            const int64_t left = __shfl_up_sync(kPtFullWarp, t, 1);
            // Forward's argmax along an output row: columns strictly increase between different
            // targets (two targets in one column would both lie in both windows). Indices that break
            // it (made by hand: any in-range index is allowed) are added lane by lane instead.
            const int64_t col = valid ? t % a.w : -1, left_col = __shfl_up_sync(kPtFullWarp, col, 1);
            const bool ordered = !valid || lane == 0 || left_col < 0 || left == t || col > left_col;
            if (!__all_sync(kPtFullWarp, ordered)) {
                for (int j = 0; j < 32; j++) {
                    if (lane == j && valid) dxp[t] += g;
                    __syncwarp();
                }
                continue;
            }
            const bool leader = valid && (lane == 0 || left != t);
            float v = leader ? dxp[t] + g : 0.0f;
            bool running = leader;
            for (int d = 1; __any_sync(kPtFullWarp, running); d++) {
                const int64_t tn = __shfl_down_sync(kPtFullWarp, t, d);
                const float gn = __shfl_down_sync(kPtFullWarp, g, d);
                running = running && lane + d < 32 && tn == t;
                if (running) v += gn;
            }
            if (leader) dxp[t] = v;
            __syncwarp();  // this slice's writes before the next slice's reads
        }
    if (__any_sync(kPtFullWarp, bad))
        for (int64_t i = lane; i < hw; i += 32) dxp[i] = NAN;
}

// ---------------------------------------------------------------- global average pooling

struct AvgpoolArgs {
    int64_t planes, hw;
    const float *in;
    float *out;
    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(in, (size_t)(planes * hw) * 4), f(out, (size_t)planes * 4);
    }
};

// One warp per plane: lane-strided sums in double, then the butterfly.
__global__ void __launch_bounds__(kBlock) avgpool_forward(AvgpoolArgs a) {
    const int lane = threadIdx.x & 31;
    const int64_t plane = (int64_t)blockIdx.x * kWarpsPerBlock + (threadIdx.x >> 5);
    if (plane >= a.planes) return;
    const float *xp = a.in + plane * a.hw;
    double sum = 0.0;
    for (int64_t i = lane; i < a.hw; i += 32) sum += (double)xp[i];
    sum = pt_warp_sum(sum);
    if (lane == 0) a.out[plane] = (float)(sum / (double)a.hw);
}

// dx over each plane = dy[plane] / hw: flat, through cuda/map_kernel.cuh.
struct AvgpoolSpread {
    int64_t planes, hw;
    const float *dy;
    float *dx;
    bool narrow;  // planes * hw < 2^32: the plane by a 32-bit division, several times cheaper
    __device__ int64_t plane(int64_t i) const { return narrow ? (int64_t)((uint32_t)i / (uint32_t)hw) : i / hw; }
    __device__ float value(int64_t i) const { return (float)((double)dy[plane(i)] / (double)hw); }
    __device__ void at(int64_t i) const { dx[i] = value(i); }
    __device__ void at4(int64_t i) const {  // hw % 4 == 0 (aligned()): the four share a plane
        const float g = value(i);
        pt_store4(dx, i, make_float4(g, g, g, g));
    }
    bool aligned() const { return hw % 4 == 0 && pt_aligned16(dx); }
    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(dy, (size_t)planes * 4), f(dx, (size_t)(planes * hw) * 4);
    }
};

unsigned warp_blocks(int64_t planes) { return (unsigned)((planes + kWarpsPerBlock - 1) / kWarpsPerBlock); }

}  // namespace

extern "C" int pt_cuda_maxpool2d_forward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t kernel, int64_t stride,
                                         int64_t padding, const float *x, float *y, int32_t *argmax) {
    int index = 0;
    cudaStream_t stream = nullptr;
    const int st = pt_cuda_current(&index, &stream);
    if (st != PT_OK) return st;
    const MaxpoolArgs a{n * c, h, w, kernel, stride, padding, (h + 2 * padding - kernel) / stride + 1,
                        (w + 2 * padding - kernel) / stride + 1, x, y, argmax};
    const int64_t outputs = a.planes * a.p * a.q;
    int64_t blocks = (outputs + kBlock - 1) / kBlock;
    if (blocks > kMapMaxBlocks) blocks = kMapMaxBlocks;
    const bool narrow = outputs + blocks * kBlock <= (int64_t)UINT32_MAX;
    const cudaError_t err =
        narrow ? pt_launch<maxpool_forward<uint32_t>>(dim3((unsigned)blocks), dim3(kBlock), 0, stream, a)
               : pt_launch<maxpool_forward<int64_t>>(dim3((unsigned)blocks), dim3(kBlock), 0, stream, a);
    if (err != cudaSuccess) return pt_cuda_fail(err, "pt_maxpool2d_forward", "maxpool_forward launch");
    return PT_OK;
}

extern "C" int pt_cuda_maxpool2d_backward(int64_t n, int64_t c, int64_t h, int64_t w, int64_t p, int64_t q,
                                          const float *dy, const int32_t *argmax, float *dx) {
    int index = 0;
    cudaStream_t stream = nullptr;
    const int st = pt_cuda_current(&index, &stream);
    if (st != PT_OK) return st;
    const MaxpoolBackwardArgs a{n * c, h * w, w, p, q, dy, argmax, dx};
    const cudaError_t err = pt_launch<maxpool_backward>(dim3(warp_blocks(a.planes)), dim3(kBlock), 0, stream, a);
    if (err != cudaSuccess) return pt_cuda_fail(err, "pt_maxpool2d_backward", "maxpool_backward launch");
    return PT_OK;
}

extern "C" int pt_cuda_global_avgpool_forward(int64_t n, int64_t c, int64_t hw, const float *x, float *y) {
    int index = 0;
    cudaStream_t stream = nullptr;
    const int st = pt_cuda_current(&index, &stream);
    if (st != PT_OK) return st;
    const AvgpoolArgs a{n * c, hw, x, y};
    const cudaError_t err = pt_launch<avgpool_forward>(dim3(warp_blocks(a.planes)), dim3(kBlock), 0, stream, a);
    if (err != cudaSuccess) return pt_cuda_fail(err, "pt_global_avgpool_forward", "avgpool_forward launch");
    return PT_OK;
}

extern "C" int pt_cuda_global_avgpool_backward(int64_t n, int64_t c, int64_t hw, const float *dy, float *dx) {
    const int64_t all = n * c * hw;
    return pt_map("pt_global_avgpool_backward", all, AvgpoolSpread{n * c, hw, dy, dx, all <= (int64_t)UINT32_MAX});
}
