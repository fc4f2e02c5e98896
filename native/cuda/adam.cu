// Fused Adam / AdamW step on CUDA: pt_cuda_adam_step, the twin of cpu/adam.c (and, for the extras,
// cpu/optim_extras.c). One kernel for both, told apart by a mode, as PyTorch's FusedAdamMathFunctor.
//   https://pytorch.org/docs/stable/generated/torch.optim.Adam.html
//   https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
//
// Per element, g = grad (/ grad_scale, negated if maximize), t = the step being taken:
//   Adam:  g += weight_decay * p          AdamW: p *= 1 - lr * weight_decay
//   m = m + (1 - beta1) * (g - m)
//   v = beta2 * v + (1 - beta2) * g * g
//   if amsgrad: vmax = max(vmax, v), and vmax replaces v below
//   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// The same float operations in the same order as cpu/adam.c; the per-tensor scalars are computed
// in double on the host (1 - beta1^t, sqrt(1 - beta2^t), AdamW's decay), or on the device from
// extras->lr and extras->steps[i] + 1 (capturable), then rounded to float once.
//
// Invariants: params and state are updated in place; grads are never written; max_exp_avg_sqs is
// not touched unless amsgrad; extras->steps are incremented by a separate kernel afterwards.
#include "cuda/pt_cuda.cuh"

#include <math.h>

#include "cuda/multi_tensor_apply.cuh"
#include "cuda/optim_cuda.h"
#include "cuda/optim_support.cuh"

namespace {

using pt_mta::kGrad;
using pt_mta::kIlp;
using pt_mta::kParam;

enum { kExpAvg = 2, kExpAvgSq = 3, kMaxExpAvgSq = 4 };  // then the bf16 copy
enum WdMode { WD_NONE, WD_L2, WD_DECOUPLED };

template <class G>
struct AdamOp {
    using Grad = G;
    static constexpr int kDepth = 6;
    using Entry = pt_mta::Entry<kDepth>;
    struct Scalars {
        float step_size;  // lr / (1 - beta1^t)
        float bc2_sqrt;   // sqrt(1 - beta2^t)
        float decay;      // AdamW: p *= decay
    };

    float sign;        // -1 if maximize
    float wd;          // Adam: g += wd * p
    float decay;       // AdamW: 1 - lr * wd, from the host lr
    float w1;          // 1 - beta1 (torch's lerp weight)
    float beta2, w2;   // v = beta2 * v + w2 * g * g
    float eps;
    double lr, beta1_d, beta2_d, wd_d;  // for scalars computed on the device
    int wd_mode, amsgrad;

    __device__ __forceinline__ unsigned reads(const Entry &) const { return ~0u; }

    // Entry: s0 = 1 - beta1^t, s1 = sqrt(1 - beta2^t) from the host's steps[i].
    __device__ __forceinline__ Scalars scalars(const Entry &e, const pt_mta::DeviceExtras &x) const {
        const double lr_now = x.lr != nullptr ? double(*x.lr) : lr;
        double bc1 = e.s0, bc2_sqrt = e.s1;
        if (x.steps != nullptr) {
            const double t = double(x.steps[e.index] + 1.0f);  // the count is incremented after this kernel
            bc1 = 1.0 - pow(beta1_d, t);
            bc2_sqrt = sqrt(1.0 - pow(beta2_d, t));
        }
        return {float(lr_now / bc1), float(bc2_sqrt), x.lr != nullptr ? float(1.0 - lr_now * wd_d) : decay};
    }

    // r[list][ii]: param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq of element ii.
    __device__ __forceinline__ void update(float (&r)[kDepth - 1][kIlp], int ii, const Scalars &s,
                                           const Entry &) const {
        float p = r[kParam][ii];
        float g = sign * r[kGrad][ii];
        if (wd_mode == WD_L2) g = g + wd * p;
        if (wd_mode == WD_DECOUPLED) p = p * s.decay;
        const float m = r[kExpAvg][ii] + w1 * (g - r[kExpAvg][ii]);
        float v = beta2 * r[kExpAvgSq][ii] + w2 * g * g;
        r[kExpAvg][ii] = m;
        r[kExpAvgSq][ii] = v;
        if (amsgrad) {
            v = r[kMaxExpAvgSq][ii] > v ? r[kMaxExpAvgSq][ii] : v;
            r[kMaxExpAvgSq][ii] = v;
        }
        const float denom = sqrtf(v) / s.bc2_sqrt + eps;
        r[kParam][ii] = p - s.step_size * (m / denom);
    }
};

template <class G>
int adam_launch(const char *op_name, const pt_cuda_step &c, int64_t n, const int64_t *numels, float *const *params,
                const void *const *grads, float *const *exp_avgs, float *const *exp_avg_sqs,
                float *const *max_exp_avg_sqs, const int64_t *steps, const pt_adam_options *o) {
    AdamOp<G> op;
    op.sign = o->maximize ? -1.0f : 1.0f;
    op.wd = float(o->weight_decay);
    op.decay = float(1.0 - o->lr * o->weight_decay);
    op.w1 = float(1.0 - o->beta1);
    op.beta2 = float(o->beta2);
    op.w2 = float(1.0 - o->beta2);
    op.eps = float(o->eps);
    op.lr = o->lr, op.beta1_d = o->beta1, op.beta2_d = o->beta2, op.wd_d = o->weight_decay;
    // Zero decay is skipped, as torch does, so that an inf/NaN param cannot leak into g.
    op.wd_mode = o->weight_decay == 0.0 ? WD_NONE : o->decoupled_weight_decay ? WD_DECOUPLED : WD_L2;
    op.amsgrad = o->amsgrad != 0;

    pt_mta::HostTable<AdamOp<G>::kDepth> t;
    if (!t.reserve(n)) return pt_fail(PT_ERR_OUT_OF_MEMORY, "%s: no host memory for the tensor table", op_name);
    for (int64_t i = 0; i < n; i++) {
        if (numels[i] == 0) continue;
        void *const ptrs[AdamOp<G>::kDepth] = {params[i], const_cast<void *>(grads[i]), exp_avgs[i], exp_avg_sqs[i],
                                               o->amsgrad ? max_exp_avg_sqs[i] : nullptr,
                                               c.params_bf16 ? c.params_bf16[i] : nullptr};
        auto &e = t.add(i, numels[i], ptrs, sizeof(G));
        if (steps != nullptr) {
            const double step = double(steps[i]);
            e.s0 = 1.0 - pow(o->beta1, step);
            e.s1 = sqrt(1.0 - pow(o->beta2, step));
        }
    }
    return pt_mta::launch(op_name, "adam multi_tensor_apply_kernel", c.stream, op, c.x, t);
}

}  // namespace

extern "C" int pt_cuda_adam_step(const char *op, int64_t num_tensors, const int64_t *numels, float *const *params,
                                 const void *const *grads, float *const *exp_avgs, float *const *exp_avg_sqs,
                                 float *const *max_exp_avg_sqs, const int64_t *steps, const pt_adam_options *o,
                                 const pt_step_extras *x) {
    if (num_tensors == 0) return PT_OK;
    const pt_cuda_list lists[] = {
        {"params", reinterpret_cast<const void *const *>(params), true},
        {"grads", grads, true},
        {"exp_avgs", reinterpret_cast<const void *const *>(exp_avgs), true},
        {"exp_avg_sqs", reinterpret_cast<const void *const *>(exp_avg_sqs), true},
        {"max_exp_avg_sqs", o->amsgrad ? reinterpret_cast<const void *const *>(max_exp_avg_sqs) : nullptr, true},
    };
    pt_cuda_step c;
    int s = pt_cuda_begin_step(op, num_tensors, numels, x, lists, 5, &c);
    if (s != PT_OK) return s;
    s = (c.bf16_grads ? adam_launch<__nv_bfloat16> : adam_launch<float>)(
        op, c, num_tensors, numels, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, o);
    if (s != PT_OK) return s;
    return pt_cuda_count_steps(op, c.stream, c.steps, num_tensors, c.x.found_inf);
}
