// The capturable step counts (torch's `state["step"]` as a device tensor): steps[i] += 1 for every
// tensor of a fused call, on the device, unless the step was skipped for inf/NaN grads.
//   https://pytorch.org/docs/stable/generated/torch.optim.Adam.html (capturable)
// A kernel of its own, queued after the optimizer's: the optimizer's blocks all read the count
// before any is incremented (a block incrementing it in the same kernel could run before another
// block of the same tensor read it).
#include "cuda/pt_cuda.cuh"

#include "cuda/optim_support.cuh"

namespace {

constexpr int kThreads = 256;

// steps is (n), one float per tensor.
__global__ void __launch_bounds__(kThreads) count_steps_kernel(float *steps, int64_t n, const float *found_inf) {
    if (found_inf != nullptr && *found_inf != 0.0f) return;
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x)
        steps[i] = steps[i] + 1.0f;
}

}  // namespace

int pt_cuda_count_steps(const char *op, cudaStream_t stream, float *steps, int64_t n, const float *found_inf) {
    if (steps == nullptr || n == 0) return PT_OK;
    const int64_t blocks = (n + kThreads - 1) / kThreads;
    const cudaError_t err = pt_launch<count_steps_kernel>(dim3(unsigned(blocks < 1024 ? blocks : 1024)),
                                                          dim3(kThreads), 0, stream, steps, n, found_inf);
    if (err != cudaSuccess) return pt_cuda_fail(err, op, "count_steps_kernel launch");
    return PT_OK;
}
