// Fused RMSprop step on CUDA: pt_cuda_rmsprop_step, the twin of cpu/rmsprop.c (and, for the extras,
// cpu/optim_extras.c).
//   https://pytorch.org/docs/stable/generated/torch.optim.RMSprop.html
//
// Per element, g = grad (/ grad_scale, negated if maximize):
//   g += weight_decay * p                                 (if weight_decay != 0)
//   sq = alpha * sq + (1 - alpha) * g * g
//   if centered: ga = ga + (1 - alpha) * (g - ga);  avg = sqrt(sq - ga * ga) + eps
//   else:        avg = sqrt(sq) + eps
//   if momentum > 0: buf = momentum * buf + g / avg;  p -= lr * buf
//   else:            p -= lr * g / avg                   (lr: the argument, or *extras->lr)
// The same float operations in the same order as cpu/rmsprop.c. RMSprop's math has no step
// count; extras->steps, when given, are only counted (torch keeps "step" for RMSprop too).
//
// Invariants: params and state are updated in place; grads are never written; momentum_buffers
// are not touched when momentum == 0, grad_avgs not unless centered.
#include "cuda/pt_cuda.cuh"

#include <math.h>

#include "cuda/multi_tensor_apply.cuh"
#include "cuda/optim_cuda.h"
#include "cuda/optim_support.cuh"

namespace {

using pt_mta::kGrad;
using pt_mta::kIlp;
using pt_mta::kParam;

enum { kSquareAvg = 2, kBuf = 3, kGradAvg = 4 };  // then the bf16 copy

template <class G>
struct RmspropOp {
    using Grad = G;
    static constexpr int kDepth = 6;
    using Entry = pt_mta::Entry<kDepth>;
    using Scalars = pt_mta::LrScalars;

    float sign;      // -1 if maximize
    float wd;        // g += wd * p
    float alpha, w;  // sq = alpha * sq + w * g * g, w = 1 - alpha; ga moves w of the way to g
    float eps;
    float momentum;
    float lr;
    int l2, centered, use_momentum;

    __device__ __forceinline__ unsigned reads(const Entry &) const { return ~0u; }
    __device__ __forceinline__ Scalars scalars(const Entry &, const pt_mta::DeviceExtras &x) const {
        return pt_mta::lr_scalars(lr, x);
    }
    // r[list][ii]: param, grad, square_avg, momentum_buffer, grad_avg of element ii.
    __device__ __forceinline__ void update(float (&r)[kDepth - 1][kIlp], int ii, const Scalars &s,
                                           const Entry &) const {
        float g = sign * r[kGrad][ii];
        if (l2) g = g + wd * r[kParam][ii];
        const float sq = alpha * r[kSquareAvg][ii] + w * g * g;
        r[kSquareAvg][ii] = sq;
        float avg;
        if (centered) {
            const float ga = r[kGradAvg][ii] + w * (g - r[kGradAvg][ii]);
            r[kGradAvg][ii] = ga;
            avg = sqrtf(sq - ga * ga) + eps;
        } else {
            avg = sqrtf(sq) + eps;
        }
        if (use_momentum) {
            const float b = momentum * r[kBuf][ii] + g / avg;
            r[kBuf][ii] = b;
            r[kParam][ii] = r[kParam][ii] - s.lr * b;
        } else {
            r[kParam][ii] = r[kParam][ii] - s.lr * (g / avg);
        }
    }
};

template <class G>
int rmsprop_launch(const char *op_name, const pt_cuda_step &c, int64_t n, const int64_t *numels,
                   float *const *params, const void *const *grads, float *const *square_avgs,
                   float *const *momentum_buffers, float *const *grad_avgs, const pt_rmsprop_options *o) {
    RmspropOp<G> op;
    op.sign = o->maximize ? -1.0f : 1.0f;
    op.wd = float(o->weight_decay);
    op.alpha = float(o->alpha);
    op.w = float(1.0 - o->alpha);
    op.eps = float(o->eps);
    op.momentum = float(o->momentum);
    op.lr = float(o->lr);
    op.l2 = o->weight_decay != 0.0;
    op.centered = o->centered != 0;
    op.use_momentum = o->momentum > 0.0;

    pt_mta::HostTable<RmspropOp<G>::kDepth> t;
    if (!t.reserve(n)) return pt_fail(PT_ERR_OUT_OF_MEMORY, "%s: no host memory for the tensor table", op_name);
    for (int64_t i = 0; i < n; i++) {
        if (numels[i] == 0) continue;
        void *const ptrs[RmspropOp<G>::kDepth] = {params[i], const_cast<void *>(grads[i]), square_avgs[i],
                                                  op.use_momentum ? momentum_buffers[i] : nullptr,
                                                  op.centered ? grad_avgs[i] : nullptr,
                                                  c.params_bf16 ? c.params_bf16[i] : nullptr};
        t.add(i, numels[i], ptrs, sizeof(G));
    }
    return pt_mta::launch(op_name, "rmsprop multi_tensor_apply_kernel", c.stream, op, c.x, t);
}

}  // namespace

extern "C" int pt_cuda_rmsprop_step(const char *op, int64_t num_tensors, const int64_t *numels, float *const *params,
                                    const void *const *grads, float *const *square_avgs,
                                    float *const *momentum_buffers, float *const *grad_avgs,
                                    const pt_rmsprop_options *o, const pt_step_extras *x) {
    if (num_tensors == 0) return PT_OK;
    const pt_cuda_list lists[] = {
        {"params", reinterpret_cast<const void *const *>(params), true},
        {"grads", grads, true},
        {"square_avgs", reinterpret_cast<const void *const *>(square_avgs), true},
        {"momentum_buffers", o->momentum > 0.0 ? reinterpret_cast<const void *const *>(momentum_buffers) : nullptr,
         true},
        {"grad_avgs", o->centered ? reinterpret_cast<const void *const *>(grad_avgs) : nullptr, true},
    };
    pt_cuda_step c;
    int s = pt_cuda_begin_step(op, num_tensors, numels, x, lists, 5, &c);
    if (s != PT_OK) return s;
    s = (c.bf16_grads ? rmsprop_launch<__nv_bfloat16> : rmsprop_launch<float>)(
        op, c, num_tensors, numels, params, grads, square_avgs, momentum_buffers, grad_avgs, o);
    if (s != PT_OK) return s;
    return pt_cuda_count_steps(op, c.stream, c.steps, num_tensors, c.x.found_inf);
}
