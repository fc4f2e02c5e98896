// ReLU on CUDA, forward and backward: pt_cuda_relu_*, the twins of cpu/relu.c.
//   https://pytorch.org/docs/stable/generated/torch.nn.ReLU.html
//
//   forward:  y = x < 0 ? 0 : x            (NaN passes through, as torch.relu)
//   backward: dx = x <= 0 ? 0 : dy         (torch's threshold_backward)
//
// x, y, dy, dx are flat (numel). One flat kernel each (cuda/map_kernel.cuh: float4 when aligned).
// Invariants: y may alias x, dx may alias dy; x and dy are otherwise never written. Exact, so the
// results are the CPU's bits.
#include "cuda/pt_cuda.cuh"

#include "cuda/layers_cuda.h"
#include "cuda/map_kernel.cuh"

namespace {

__device__ __forceinline__ float relu(float x) { return x < 0.0f ? 0.0f : x; }
__device__ __forceinline__ float relu_grad(float x, float g) { return x <= 0.0f ? 0.0f : g; }

struct ReluForward {
    int64_t n;
    const float *x;
    float *y;
    __device__ void at(int64_t i) const { y[i] = relu(x[i]); }
    __device__ void at4(int64_t i) const {
        const float4 v = pt_load4(x, i);
        pt_store4(y, i, make_float4(relu(v.x), relu(v.y), relu(v.z), relu(v.w)));
    }
    bool aligned() const { return pt_aligned16(x) && pt_aligned16(y); }
    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(x, (size_t)n * 4), f(y, (size_t)n * 4);
    }
};

struct ReluBackward {
    int64_t n;
    const float *x, *dy;
    float *dx;
    __device__ void at(int64_t i) const { dx[i] = relu_grad(x[i], dy[i]); }
    __device__ void at4(int64_t i) const {
        const float4 v = pt_load4(x, i), g = pt_load4(dy, i);
        pt_store4(dx, i, make_float4(relu_grad(v.x, g.x), relu_grad(v.y, g.y), relu_grad(v.z, g.z), relu_grad(v.w, g.w)));
    }
    bool aligned() const { return pt_aligned16(x) && pt_aligned16(dy) && pt_aligned16(dx); }
    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(x, (size_t)n * 4), f(dy, (size_t)n * 4), f(dx, (size_t)n * 4);
    }
};

}  // namespace

extern "C" int pt_cuda_relu_forward(int64_t numel, const float *x, float *y) {
    return pt_map("pt_relu_forward", numel, ReluForward{numel, x, y});
}

extern "C" int pt_cuda_relu_backward(int64_t numel, const float *x, const float *dy, float *dx) {
    return pt_map("pt_relu_backward", numel, ReluBackward{numel, x, dy, dx});
}
