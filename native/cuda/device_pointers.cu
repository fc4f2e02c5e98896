// Validation of the device pointers of a fused CUDA step: a host pointer (a float[] of the caller,
// a pinned buffer) or memory of another device must become PT_ERR_INVALID_ARGUMENT naming the list
// and index, never an illegal-address fault that poisons the CUDA context.
//
// cudaPointerGetAttributes costs about a microsecond a pointer; a ResNet-50 step with Adam state
// passes ~800. A training loop passes the same lists every step, so each host thread remembers
// the hashes of its last kCacheSize validated calls and skips the checks on a repeat. The hash
// covers the device, the counts and every pointer (64 bits, splitmix-mixed: a false hit needs two
// different lists to collide). Freeing a buffer and passing the stale address again is not
// caught after its first check, as a GPU would not catch it either.
#include "cuda/pt_cuda.cuh"

#include "cuda/optim_support.cuh"

#include <stdio.h>

namespace {

constexpr int kCacheSize = 8;
constexpr int kMaxLists = 8;

struct Cache {
    uint64_t hash[kCacheSize] = {};
    int next = 0;
};
thread_local Cache cache;

uint64_t mix(uint64_t h, uint64_t v) {
    uint64_t z = h ^ (v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2));
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t hash_call(int index, int64_t n, const int64_t *numels, const pt_cuda_list *lists, int num_lists) {
    uint64_t h = mix(0x5eedull, uint64_t(index));
    h = mix(h, uint64_t(n));
    for (int64_t i = 0; i < n; i++) h = mix(h, uint64_t(numels[i]));
    for (int l = 0; l < num_lists; l++) {
        const pt_cuda_list &list = lists[l];
        h = mix(h, list.ptrs == nullptr ? 0 : 1);
        if (list.ptrs == nullptr) continue;
        const int64_t count = list.per_tensor ? n : 1;
        for (int64_t i = 0; i < count; i++) h = mix(h, reinterpret_cast<uintptr_t>(list.ptrs[i]));
    }
    return h == 0 ? 1 : h;  // 0 marks an empty cache slot
}

// What p is, in words, when it is not memory of device `index`; NULL when it is.
const char *not_device_memory(const void *p, int index, int *other_device) {
    cudaPointerAttributes a;
    const cudaError_t err = cudaPointerGetAttributes(&a, p);
    if (err != cudaSuccess) {
        cudaGetLastError();  // older runtimes fail for unregistered host memory: not sticky
        return "host memory";
    }
    switch (a.type) {
    case cudaMemoryTypeManaged: return nullptr;
    case cudaMemoryTypeDevice:
        if (a.device == index) return nullptr;
        *other_device = a.device;
        return "memory of another device";
    case cudaMemoryTypeHost: return "pinned host memory";
    default: return "host memory";
    }
}

}  // namespace

int pt_cuda_check_lists(const char *op, int index, int64_t num_tensors, const int64_t *numels,
                        const pt_cuda_list *lists, int num_lists) {
    const uint64_t h = hash_call(index, num_tensors, numels, lists, num_lists);
    for (int c = 0; c < kCacheSize; c++)
        if (cache.hash[c] == h) return PT_OK;
    for (int l = 0; l < num_lists; l++) {
        const pt_cuda_list &list = lists[l];
        if (list.ptrs == nullptr) continue;
        const int64_t count = list.per_tensor ? num_tensors : 1;
        for (int64_t i = 0; i < count; i++) {
            const void *p = list.ptrs[i];
            if (p == nullptr || (list.per_tensor && numels[i] == 0)) continue;
            int other = -1;
            const char *what = not_device_memory(p, index, &other);
            if (what == nullptr) continue;
            char where[48] = "";
            if (other >= 0) snprintf(where, sizeof where, " (cuda:%d)", other);
            if (list.per_tensor)
                return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s[%lld] = %p is %s%s, not memory of cuda:%d", op,
                               list.name, (long long)i, p, what, where, index);
            return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s = %p is %s%s, not memory of cuda:%d", op, list.name, p,
                           what, where, index);
        }
    }
    cache.hash[cache.next] = h;
    cache.next = (cache.next + 1) % kCacheSize;
    return PT_OK;
}

int pt_cuda_begin_step(const char *op, int64_t num_tensors, const int64_t *numels, const pt_step_extras *x,
                       const pt_cuda_list *lists, int num_lists, pt_cuda_step *out) {
    if (num_tensors > INT32_MAX)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: at most %d tensors per CUDA call, got %lld", op, INT32_MAX,
                       (long long)num_tensors);
    int s = pt_cuda_current(&out->index, &out->stream);
    if (s != PT_OK) return s;
    const pt_step_extras none = {};
    if (x == nullptr) x = &none;
    const void *lr = x->lr, *steps = x->steps, *grad_scale = x->grad_scale, *found_inf = x->found_inf;
    pt_cuda_list all[kMaxLists + 5];
    if (num_lists > kMaxLists) return pt_fail(PT_ERR_INTERNAL, "%s: %d lists to check", op, num_lists);
    for (int l = 0; l < num_lists; l++) all[l] = lists[l];
    int n = num_lists;
    all[n++] = {"extras->params_bf16", x->params_bf16, true};
    all[n++] = {"extras->lr", lr ? &lr : nullptr, false};
    all[n++] = {"extras->steps", steps ? &steps : nullptr, false};
    all[n++] = {"extras->grad_scale", grad_scale ? &grad_scale : nullptr, false};
    all[n++] = {"extras->found_inf", found_inf ? &found_inf : nullptr, false};
    s = pt_cuda_check_lists(op, out->index, num_tensors, numels, all, n);
    if (s != PT_OK) return s;
    out->x = {x->lr, x->steps, x->grad_scale, x->found_inf, num_tensors};
    out->bf16_grads = x->grad_dtype == PT_DTYPE_BFLOAT16;
    out->params_bf16 = x->params_bf16;
    out->steps = x->steps;
    return PT_OK;
}
