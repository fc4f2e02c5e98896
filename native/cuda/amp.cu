// AMP's dynamic loss scaling on CUDA (torch.amp.GradScaler), the twins of cpu/amp.c, all queued on
// panoptim's stream with no host sync (the scale, tracker and flag stay in device memory):
//  - pt_cuda_amp_check_finite: one multi-tensor launch (cuda/multi_tensor_apply.cuh) over every
//    tensor; a thread that sees inf or NaN stores 1.0f to *found_inf (all such stores write the
//    same value, so their races are harmless); nothing ever writes 0 there;
//  - pt_cuda_amp_update_scale: one thread, torch's _amp_update_scale_ (common/amp_update.h);
//  - pt_cuda_scale_by: y *= *scale, a map kernel (cuda/map_kernel.cuh) reading the scale on the
//    device.
#include "cuda/pt_cuda.cuh"

#include <math.h>

#include "common/amp_update.h"
#include "cuda/map_kernel.cuh"
#include "cuda/matmul_cuda.h"
#include "cuda/mixed_cuda.h"
#include "cuda/optim_support.cuh"

namespace {

using pt_mta::kGrad;
using pt_mta::kIlp;

// The multi-tensor Op: the tensors are the "grad" list (param and copy lists unused), only read.
template <class G>
struct CheckFiniteOp {
    using Grad = G;
    static constexpr int kDepth = 3;
    using Entry = pt_mta::Entry<kDepth>;
    struct Scalars {};

    float *found_inf;

    __device__ __forceinline__ unsigned reads(const Entry &) const { return 1u << kGrad; }
    __device__ __forceinline__ Scalars scalars(const Entry &, const pt_mta::DeviceExtras &) const { return {}; }
    // Elements past a tensor's end are 0 here (finite).
    __device__ __forceinline__ void update(float (&r)[kDepth - 1][kIlp], int ii, const Scalars &, const Entry &) const {
        if (!isfinite(r[kGrad][ii])) *found_inf = 1.0f;
    }
    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(static_cast<const void *>(found_inf), sizeof(float));
    }
};

template <class G>
int check_finite_launch(const char *op_name, cudaStream_t stream, int64_t n, const int64_t *numels,
                        const void *const *tensors, float *found_inf) {
    CheckFiniteOp<G> op;
    op.found_inf = found_inf;
    pt_mta::HostTable<CheckFiniteOp<G>::kDepth> t;
    if (!t.reserve(n)) return pt_fail(PT_ERR_OUT_OF_MEMORY, "%s: no host memory for the tensor table", op_name);
    for (int64_t i = 0; i < n; i++) {
        if (numels[i] == 0) continue;
        void *const ptrs[CheckFiniteOp<G>::kDepth] = {nullptr, const_cast<void *>(tensors[i]), nullptr};
        t.add(i, numels[i], ptrs, sizeof(G));
    }
    const pt_mta::DeviceExtras none = {};  // no found_inf here: the kernel must run whatever it holds
    return pt_mta::launch(op_name, "amp check-finite multi_tensor_apply_kernel", stream, op, none, t);
}

__global__ void update_scale_kernel(float *scale, int32_t *growth_tracker, const float *found_inf, double growth_factor,
                                    double backoff_factor, int32_t growth_interval) {
    pt_amp_update_scale_rule(scale, growth_tracker, found_inf, growth_factor, backoff_factor, growth_interval);
}

struct ScaleBy {
    int64_t n;
    float *y;
    const float *scale;
    __device__ void at(int64_t i) const { y[i] = y[i] * *scale; }
    __device__ void at4(int64_t i) const {
        const float s = *scale;
        const float4 v = pt_load4(y, i);
        pt_store4(y, i, make_float4(v.x * s, v.y * s, v.z * s, v.w * s));
    }
    bool aligned() const { return pt_aligned16(y); }
    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(y, (size_t)n * 4), f(scale, sizeof(float));
    }
};

int current(const char *op, int count, const char *const *names, const void *const *ptrs, int *index,
            cudaStream_t *stream) {
    PT_TRY(pt_cuda_current(index, stream));
    return pt_cuda_check_device_pointers(op, *index, count, names, ptrs);
}

}  // namespace

extern "C" int pt_cuda_amp_check_finite(int64_t num_tensors, const int64_t *numels, const void *const *tensors,
                                        int dtype, float *found_inf) {
    static const char op[] = "pt_amp_check_finite";
    if (num_tensors == 0) return PT_OK;
    if (num_tensors > INT32_MAX)
        return pt_fail(PT_ERR_UNSUPPORTED, "%s: %lld tensors, at most %d per call", op, (long long)num_tensors, INT32_MAX);
    int index = 0;
    cudaStream_t stream = nullptr;
    PT_TRY(pt_cuda_current(&index, &stream));
    const void *const flag[1] = {found_inf};
    const pt_cuda_list lists[2] = {{"tensors", tensors, true}, {"found_inf", flag, false}};
    PT_TRY(pt_cuda_check_lists(op, index, num_tensors, numels, lists, 2));
    if (dtype == PT_DTYPE_BFLOAT16)
        return check_finite_launch<__nv_bfloat16>(op, stream, num_tensors, numels, tensors, found_inf);
    if (dtype == PT_DTYPE_FLOAT16)
        return check_finite_launch<pt_mta::Half>(op, stream, num_tensors, numels, tensors, found_inf);
    return check_finite_launch<float>(op, stream, num_tensors, numels, tensors, found_inf);
}

extern "C" int pt_cuda_amp_update_scale(float *scale, int32_t *growth_tracker, const float *found_inf,
                                        double growth_factor, double backoff_factor, int64_t growth_interval) {
    static const char op[] = "pt_amp_update_scale";
    static const char *const names[3] = {"scale", "growth_tracker", "found_inf"};
    const void *const ptrs[3] = {scale, growth_tracker, found_inf};
    int index = 0;
    cudaStream_t stream = nullptr;
    PT_TRY(current(op, 3, names, ptrs, &index, &stream));
    const cudaError_t err = pt_launch<update_scale_kernel>(dim3(1), dim3(1), 0, stream, scale, growth_tracker, found_inf,
                                                           growth_factor, backoff_factor, (int32_t)growth_interval);
    if (err != cudaSuccess) return pt_cuda_fail(err, op, "update_scale_kernel launch");
    return PT_OK;
}

extern "C" int pt_cuda_scale_by(int64_t numel, float *y, const float *scale) {
    static const char op[] = "pt_scale_by";
    if (numel == 0) return PT_OK;
    static const char *const names[2] = {"y", "scale"};
    const void *const ptrs[2] = {y, scale};
    int index = 0;
    cudaStream_t stream = nullptr;
    PT_TRY(current(op, 2, names, ptrs, &index, &stream));
    return pt_map(op, numel, ScaleBy{numel, y, scale});
}
