// Elementwise helpers on CUDA: pt_cuda_add / pt_cuda_axpy / pt_cuda_fill, the twins of
// cpu/elementwise.c.
//   add:  y = a + b          (residual connection; y may alias a or b)
//   axpy: y = y + alpha * x  (gradient accumulation; alpha rounded to float once, one FMA per
//                             element, as torch's add_(x, alpha=...) and the CPU's AVX2 clones)
//   fill: y = value          (value rounded to float once)
//
// All tensors are flat (numel). One flat kernel each (cuda/map_kernel.cuh: float4 when aligned).
// Invariants: inputs other than y are never written; aliasing only at the same index.
#include "cuda/pt_cuda.cuh"

#include <math.h>

#include "cuda/layers_cuda.h"
#include "cuda/map_kernel.cuh"

namespace {

struct Add {
    int64_t n;
    const float *a, *b;
    float *y;
    __device__ void at(int64_t i) const { y[i] = a[i] + b[i]; }
    __device__ void at4(int64_t i) const {
        const float4 u = pt_load4(a, i), v = pt_load4(b, i);
        pt_store4(y, i, make_float4(u.x + v.x, u.y + v.y, u.z + v.z, u.w + v.w));
    }
    bool aligned() const { return pt_aligned16(a) && pt_aligned16(b) && pt_aligned16(y); }
    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(a, (size_t)n * 4), f(b, (size_t)n * 4), f(y, (size_t)n * 4);
    }
};

struct Axpy {
    int64_t n;
    float alpha;
    const float *x;
    float *y;
    __device__ void at(int64_t i) const { y[i] = fmaf(alpha, x[i], y[i]); }
    __device__ void at4(int64_t i) const {
        const float4 u = pt_load4(x, i), v = pt_load4(y, i);
        pt_store4(y, i, make_float4(fmaf(alpha, u.x, v.x), fmaf(alpha, u.y, v.y), fmaf(alpha, u.z, v.z),
                                    fmaf(alpha, u.w, v.w)));
    }
    bool aligned() const { return pt_aligned16(x) && pt_aligned16(y); }
    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(x, (size_t)n * 4), f(y, (size_t)n * 4);
    }
};

struct Fill {
    int64_t n;
    float value;
    float *y;
    __device__ void at(int64_t i) const { y[i] = value; }
    __device__ void at4(int64_t i) const { pt_store4(y, i, make_float4(value, value, value, value)); }
    bool aligned() const { return pt_aligned16(y); }
    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(y, (size_t)n * 4);
    }
};

}  // namespace

extern "C" int pt_cuda_add(int64_t numel, const float *a, const float *b, float *y) {
    return pt_map("pt_add", numel, Add{numel, a, b, y});
}

extern "C" int pt_cuda_axpy(int64_t numel, double alpha, const float *x, float *y) {
    return pt_map("pt_axpy", numel, Axpy{numel, (float)alpha, x, y});
}

extern "C" int pt_cuda_fill(int64_t numel, double value, float *y) {
    return pt_map("pt_fill", numel, Fill{numel, (float)value, y});
}
