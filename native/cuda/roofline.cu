// pt_cuda_roofline_step: the GPU memory roofline of a fused AdamW step, the twin of cpu/roofline.c
// (see cpu/roofline_kernels.h). Per element: m += g; v += g; p += m - v -- read p, g, m, v, write
// p, m, v, 28 bytes, no arithmetic worth the name. Its GB/s is the ceiling of any fused step that
// moves the same bytes on this GPU; bench/gpu reports the optimizers as a fraction of it.
//
// One kernel, queued on panoptim's stream of the current device. 16-byte accesses (float4) when all
// four pointers are 16-byte aligned, which cudaMalloc'd tensors are; the scalar path covers the
// rest and the tail. Grid-stride loop over a grid capped at kMaxBlocks: enough resident threads to
// keep an H200's memory busy (132 SMs x 2048 threads), few enough blocks for the CPU simulator.
#include "pt_cuda.cuh"
#include "cpu/roofline_kernels.h"

namespace {

constexpr int kBlock = 256;
constexpr int64_t kMaxBlocks = 4096;

__global__ void __launch_bounds__(kBlock)
    roofline_kernel(int64_t n, float *__restrict__ p, const float *__restrict__ g, float *__restrict__ m,
                    float *__restrict__ v, bool vectorized) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    const int64_t first = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t done = 0;
    if (vectorized) {
        const int64_t n4 = n / 4;
        float4 *p4 = reinterpret_cast<float4 *>(p), *m4 = reinterpret_cast<float4 *>(m);
        float4 *v4 = reinterpret_cast<float4 *>(v);
        const float4 *g4 = reinterpret_cast<const float4 *>(g);
        for (int64_t i = first; i < n4; i += stride) {
            // All four loads before any use, so they are in flight together.
            float4 pi = p4[i], mi = m4[i], vi = v4[i];
            const float4 gi = g4[i];
            mi.x += gi.x, mi.y += gi.y, mi.z += gi.z, mi.w += gi.w;
            vi.x += gi.x, vi.y += gi.y, vi.z += gi.z, vi.w += gi.w;
            pi.x += mi.x - vi.x, pi.y += mi.y - vi.y, pi.z += mi.z - vi.z, pi.w += mi.w - vi.w;
            p4[i] = pi, m4[i] = mi, v4[i] = vi;
        }
        done = n4 * 4;
    }
    for (int64_t i = done + first; i < n; i += stride) {
        const float mi = m[i] + g[i], vi = v[i] + g[i];
        m[i] = mi, v[i] = vi;
        p[i] += mi - vi;
    }
}

bool aligned16(const void *ptr) { return (reinterpret_cast<uintptr_t>(ptr) & 15u) == 0; }

}  // namespace

extern "C" int pt_cuda_roofline_step(int64_t n, float *p, const float *g, float *m, float *v) {
    int index = 0;
    cudaStream_t stream = nullptr;
    const int s = pt_cuda_current(&index, &stream);
    if (s != PT_OK) return s;
    const bool vectorized = aligned16(p) && aligned16(g) && aligned16(m) && aligned16(v);
    const int64_t work = vectorized ? n / 4 + n % 4 : n;  // items of the longer of the two loops, at most
    int64_t blocks = (work + kBlock - 1) / kBlock;
    if (blocks > kMaxBlocks) blocks = kMaxBlocks;
    PT_CUDA_TRY("pt_roofline_step",
                (pt_launch<roofline_kernel>(dim3((unsigned)blocks), dim3(kBlock), 0, stream, n, p, g, m, v, vectorized)));
    return PT_OK;
}
