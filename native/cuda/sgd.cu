// Fused SGD step on CUDA: pt_cuda_sgd_step, the twin of cpu/sgd.c (and, for the extras,
// cpu/optim_extras.c).
//   https://pytorch.org/docs/stable/generated/torch.optim.SGD.html
//
// Per element, g = grad (/ grad_scale, negated if maximize):
//   g += weight_decay * p                                 (if weight_decay != 0)
//   if momentum != 0:
//     buf = g                                             (if momentum_buffer_is_new[i])
//     buf = momentum * buf + (1 - dampening) * g          (otherwise)
//     g = nesterov ? g + momentum * buf : buf
//   p -= lr * g                                           (lr: the argument, or *extras->lr)
// The same float operations in the same order as cpu/sgd.c.
//
// Invariants: params and momentum buffers are updated in place; grads are never written; a new
// momentum buffer is only written, never read; momentum buffers are not touched when momentum == 0.
#include "cuda/pt_cuda.cuh"

#include "cuda/multi_tensor_apply.cuh"
#include "cuda/optim_cuda.h"
#include "cuda/optim_support.cuh"

namespace {

using pt_mta::kGrad;
using pt_mta::kIlp;
using pt_mta::kParam;

enum { kBuf = 2 };  // then the bf16 copy

template <class G>
struct SgdOp {
    using Grad = G;
    static constexpr int kDepth = 4;
    using Entry = pt_mta::Entry<kDepth>;
    using Scalars = pt_mta::LrScalars;

    float sign;      // -1 if maximize
    float wd;        // g += wd * p
    float momentum;  // buf = momentum * buf + w * g
    float w;         // 1 - dampening
    float lr;
    int l2, use_momentum, nesterov;

    // A new buffer is written without being read (its old contents may be garbage).
    __device__ __forceinline__ unsigned reads(const Entry &e) const {
        return (e.flags & pt_mta::kIsNew) ? ~(1u << kBuf) : ~0u;
    }
    __device__ __forceinline__ Scalars scalars(const Entry &, const pt_mta::DeviceExtras &x) const {
        return pt_mta::lr_scalars(lr, x);
    }
    // r[list][ii]: param, grad, momentum_buffer of element ii.
    __device__ __forceinline__ void update(float (&r)[kDepth - 1][kIlp], int ii, const Scalars &s,
                                           const Entry &e) const {
        float g = sign * r[kGrad][ii];
        if (l2) g = g + wd * r[kParam][ii];
        if (use_momentum) {
            const float b = (e.flags & pt_mta::kIsNew) ? g : momentum * r[kBuf][ii] + w * g;
            r[kBuf][ii] = b;
            g = nesterov ? g + momentum * b : b;
        }
        r[kParam][ii] = r[kParam][ii] - s.lr * g;
    }
};

template <class G>
int sgd_launch(const char *op_name, const pt_cuda_step &c, int64_t n, const int64_t *numels, float *const *params,
               const void *const *grads, float *const *momentum_buffers, const uint8_t *momentum_buffer_is_new,
               const pt_sgd_options *o) {
    SgdOp<G> op;
    op.sign = o->maximize ? -1.0f : 1.0f;
    op.wd = float(o->weight_decay);
    op.momentum = float(o->momentum);
    op.w = float(1.0 - o->dampening);
    op.lr = float(o->lr);
    op.l2 = o->weight_decay != 0.0;
    op.use_momentum = o->momentum != 0.0;
    op.nesterov = op.use_momentum && o->nesterov;

    pt_mta::HostTable<SgdOp<G>::kDepth> t;
    if (!t.reserve(n)) return pt_fail(PT_ERR_OUT_OF_MEMORY, "%s: no host memory for the tensor table", op_name);
    for (int64_t i = 0; i < n; i++) {
        if (numels[i] == 0) continue;
        void *const ptrs[SgdOp<G>::kDepth] = {params[i], const_cast<void *>(grads[i]),
                                              op.use_momentum ? momentum_buffers[i] : nullptr,
                                              c.params_bf16 ? c.params_bf16[i] : nullptr};
        auto &e = t.add(i, numels[i], ptrs, sizeof(G));
        if (op.use_momentum && momentum_buffer_is_new != nullptr && momentum_buffer_is_new[i]) e.flags |= pt_mta::kIsNew;
    }
    return pt_mta::launch(op_name, "sgd multi_tensor_apply_kernel", c.stream, op, c.x, t);
}

}  // namespace

extern "C" int pt_cuda_sgd_step(const char *op, int64_t num_tensors, const int64_t *numels, float *const *params,
                                const void *const *grads, float *const *momentum_buffers,
                                const uint8_t *momentum_buffer_is_new, const pt_sgd_options *o,
                                const pt_step_extras *x) {
    if (num_tensors == 0) return PT_OK;
    const pt_cuda_list lists[] = {
        {"params", reinterpret_cast<const void *const *>(params), true},
        {"grads", grads, true},
        {"momentum_buffers", o->momentum != 0.0 ? reinterpret_cast<const void *const *>(momentum_buffers) : nullptr,
         true},
    };
    pt_cuda_step c;
    const int s = pt_cuda_begin_step(op, num_tensors, numels, x, lists, 3, &c);
    if (s != PT_OK) return s;
    return (c.bf16_grads ? sgd_launch<__nv_bfloat16> : sgd_launch<float>)(op, c, num_tensors, numels, params, grads,
                                                                          momentum_buffers, momentum_buffer_is_new, o);
}
