// Multi-tensor apply: one kernel launch updates every tensor of a fused optimizer call, whatever
// the number of tensors and their sizes (PyTorch's MultiTensorApply.cuh, extended).
//   https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/cuda/MultiTensorApply.cuh
//
// The tensors (numel > 0 only) are described by a table of Entry: the addresses of each list
// (param, grad, optimizer state..., bf16 model copy), numel, per-tensor scalars and the index of
// the tensor's first chunk of kChunk elements (a prefix sum over the table). Block b takes chunks
// b, b + gridDim.x, ... and finds each chunk's tensor by a binary search over first_chunk, so one
// launch covers any list: no block -> tensor map, no launch per full table. The table travels
//  - by value in the kernel argument (`const __grid_constant__`, so that indexing it reads the
//    parameter space instead of copying it to local memory) when it has <= kInlineBytes of entries;
//  - otherwise in device memory: allocated on the stream (cudaMallocAsync), filled by a
//    stream-ordered copy from host memory and freed after the launch (cudaFreeAsync), so a long
//    list (a ResNet-50's 161 tensors with Adam state) is still one launch and no host sync;
//    during a CUDA graph capture, which cannot record that copy, one launch per inline slice.
//
// Within a chunk, each thread handles kIlp = 4 consecutive elements per turn with 16-byte loads
// (8 bytes for 4 bf16) when every list of the tensor is aligned for them, plus a scalar tail of
// the last < 4 elements; a tensor with any misaligned list goes the scalar path, kIlp elements a
// thread strided by the block so that loads stay coalesced. Math is fp32 (bf16 grads widened).
//
// An optimizer supplies an Op (sgd.cu, rmsprop.cu, adam.cu): its group scalars, the lists it
// reads, its per-chunk scalars (capturable: from device memory) and its element update on
// r[list][ii]. Around the Op this file does the AMP part: found_inf != 0 ends the kernel before
// anything is read or written; grads are divided by *grad_scale before the Op sees them; the bf16
// copy is written from the updated param. Invariants: grads are only read, the bf16 copy only
// written; a list whose address is NULL in an entry is neither read nor written.
#pragma once

#include "cuda/pt_cuda.cuh"

#include <stdint.h>

#include "common/dtypes.h"

#include <memory>
#include <new>

namespace pt_mta {

constexpr int64_t kChunk = 65536;  // elements per chunk (PyTorch's kChunkSize)
constexpr int kBlock = 512;        // threads per block
constexpr int kIlp = 4;            // elements per thread per turn: one float4
constexpr int kInlineBytes = 16384;  // table bytes passed by value (<= 32764 with the rest of Args)
constexpr int64_t kMaxGrid = int64_t(1) << 20;  // blocks per launch; more chunks are grid-strided

// Positions of the lists in every Entry: param and grad first, the bf16 copy last.
constexpr int kParam = 0, kGrad = 1;

// Entry flags.
constexpr uint32_t kVector = 1;  // every list aligned for 16-byte (bf16: 8-byte) accesses
constexpr uint32_t kIsNew = 2;   // SGD: the momentum buffer is new (written, never read)

// One tensor of the call. Depth = lists, the bf16 copy included.
template <int Depth>
struct Entry {
    void *ptr[Depth];      // [kParam] float, [kGrad] Grad, [2, Depth-1) float state, [Depth-1] bf16 copy
    int64_t numel;         // > 0
    int64_t first_chunk;   // chunks of the entries before this one
    double s0, s1;         // per-tensor scalars of the optimizer (Adam: 1 - beta1^t, sqrt(1 - beta2^t))
    int32_t index;         // position in the caller's list (extras->steps[index])
    uint32_t flags;        // kVector | kIsNew
};

// The extras in device memory (any may be NULL). num_steps: extras->steps holds that many floats.
struct DeviceExtras {
    const float *lr;
    const float *steps;
    const float *grad_scale;
    const float *found_inf;
    int64_t num_steps;
};

// fp16 elements (IEEE binary16 bits), for lists of half tensors (amp.cu), widened by
// common/dtypes.h.
struct Half {
    uint16_t bits;
};

// Ops whose fields hold device pointers list them with for_each_device_pointer(f) (for the
// simulator's launch check); others have none.
template <class Op, class F>
auto op_device_pointers(const Op &op, F &f, int) -> decltype(op.for_each_device_pointer(f), void()) {
    op.for_each_device_pointer(f);
}
template <class Op, class F>
void op_device_pointers(const Op &, F &, long) {}

// The per-chunk scalars of the optimizers whose only changing scalar is lr (SGD, RMSprop): the
// host's float lr, or the capturable one read from the device.
struct LrScalars {
    float lr;
};
__device__ __forceinline__ LrScalars lr_scalars(float host_lr, const DeviceExtras &x) {
    return {x.lr != nullptr ? *x.lr : host_lr};
}

// Element sizes of the lists of an Op's entries, for the launch-time pointer checks.
template <class Op>
inline size_t list_element_size(int k) {
    if (k == kGrad) return sizeof(typename Op::Grad);
    return k == Op::kDepth - 1 ? sizeof(__nv_bfloat16) : sizeof(float);
}

// The table by value in the kernel argument.
template <class E, int Cap>
struct InlineTable {
    static constexpr int kCapacity = Cap;
    E e[Cap];
    __device__ __forceinline__ const E &operator[](int i) const { return e[i]; }
    const E *host_entries() const { return e; }
    template <class F>
    void for_each_table_pointer(int n, F &&f) const {}
};

// The table in device memory. host_e is the host copy it was filled from, read only by the
// launch-time pointer checks (never dereferenced by the kernel).
template <class E>
struct GlobalTable {
    const E *e;
    const E *host_e;
    __device__ __forceinline__ const E &operator[](int i) const { return e[i]; }
    const E *host_entries() const { return host_e; }
    template <class F>
    void for_each_table_pointer(int n, F &&f) const { f(static_cast<const void *>(e), sizeof(E) * size_t(n)); }
};

template <class Op, class Table>
struct Args {
    Op op;
    DeviceExtras x;
    Table table;
    int32_t num_entries;
    int64_t total_chunks;

    // For the simulator's launch-time check: every device address the kernel may touch, with its extent.
    template <class F>
    void for_each_device_pointer(F &&f) const {
        const auto *e = table.host_entries();
        for (int i = 0; i < num_entries; i++)
            for (int k = 0; k < Op::kDepth; k++)
                if (e[i].ptr[k] != nullptr) f(static_cast<const void *>(e[i].ptr[k]), list_element_size<Op>(k) * size_t(e[i].numel));
        table.for_each_table_pointer(num_entries, f);
        op_device_pointers(op, f, 0);
        if (x.lr) f(static_cast<const void *>(x.lr), sizeof(float));
        if (x.steps) f(static_cast<const void *>(x.steps), sizeof(float) * size_t(x.num_steps));
        if (x.grad_scale) f(static_cast<const void *>(x.grad_scale), sizeof(float));
        if (x.found_inf) f(static_cast<const void *>(x.found_inf), sizeof(float));
    }
};

// ------------------------------------------------------------------------------ device helpers

// 4 bf16 in one 8-byte access.
struct __align__(8) Bf16x4 {
    __nv_bfloat16 v[4];
};

__device__ __forceinline__ void load4(float (&r)[kIlp], const float *p) {
    const float4 v = *reinterpret_cast<const float4 *>(p);
    r[0] = v.x, r[1] = v.y, r[2] = v.z, r[3] = v.w;
}
__device__ __forceinline__ void load4(float (&r)[kIlp], const __nv_bfloat16 *p) {
    const Bf16x4 v = *reinterpret_cast<const Bf16x4 *>(p);
    for (int ii = 0; ii < kIlp; ii++) r[ii] = __bfloat162float(v.v[ii]);
}
__device__ __forceinline__ void store4(float *p, const float (&r)[kIlp]) {
    *reinterpret_cast<float4 *>(p) = make_float4(r[0], r[1], r[2], r[3]);
}
__device__ __forceinline__ void store4(__nv_bfloat16 *p, const float (&r)[kIlp]) {
    Bf16x4 v;
    for (int ii = 0; ii < kIlp; ii++) v.v[ii] = __float2bfloat16_rn(r[ii]);
    *reinterpret_cast<Bf16x4 *>(p) = v;
}
// 4 fp16 in one 8-byte access.
struct __align__(8) Halfx4 {
    Half v[4];
};
__device__ __forceinline__ void load4(float (&r)[kIlp], const Half *p) {
    const Halfx4 v = *reinterpret_cast<const Halfx4 *>(p);
    for (int ii = 0; ii < kIlp; ii++) r[ii] = pt_fp16_to_float(v.v[ii].bits);
}
__device__ __forceinline__ float load1(const float *p) { return *p; }
__device__ __forceinline__ float load1(const __nv_bfloat16 *p) { return __bfloat162float(*p); }
__device__ __forceinline__ float load1(const Half *p) { return pt_fp16_to_float(p->bits); }

// The type behind list k of an Op's entries.
template <class Op, int K>
struct ListType {
    using T = float;
};
template <class Op>
struct ListType<Op, kGrad> {
    using T = const typename Op::Grad;
};

// r[k][ii] for the kIlp elements of one turn: loads (Vector: 4 consecutive from j; else
// element j + ii * stride where below end), the AMP unscale, the Op, the stores.
template <class Op, bool Vector, int K = 0>
__device__ __forceinline__ void load_lists(float (&r)[Op::kDepth - 1][kIlp], const typename Op::Entry &e,
                                           unsigned reads, int64_t j, int64_t stride, int64_t end) {
    if constexpr (K < Op::kDepth - 1) {
        using T = typename ListType<Op, K>::T;
        T *p = static_cast<T *>(e.ptr[K]);
        if (p != nullptr && (reads >> K & 1u)) {
            if constexpr (Vector) {
                load4(r[K], p + j);
            } else {
                for (int ii = 0; ii < kIlp; ii++)
                    if (j + ii * stride < end) r[K][ii] = load1(p + j + ii * stride);
            }
        }
        load_lists<Op, Vector, K + 1>(r, e, reads, j, stride, end);
    }
}

template <class Op, bool Vector>
__device__ __forceinline__ void store_lists(const float (&r)[Op::kDepth - 1][kIlp], const typename Op::Entry &e,
                                            int64_t j, int64_t stride, int64_t end) {
    for (int k = 0; k < Op::kDepth - 1; k++) {
        if (k == kGrad || e.ptr[k] == nullptr) continue;  // grads are never written
        float *p = static_cast<float *>(e.ptr[k]);
        if (Vector) {
            store4(p + j, r[k]);
        } else {
            for (int ii = 0; ii < kIlp; ii++)
                if (j + ii * stride < end) p[j + ii * stride] = r[k][ii];
        }
    }
    __nv_bfloat16 *copy = static_cast<__nv_bfloat16 *>(e.ptr[Op::kDepth - 1]);
    if (copy != nullptr) {
        if (Vector) {
            store4(copy + j, r[kParam]);
        } else {
            for (int ii = 0; ii < kIlp; ii++)
                if (j + ii * stride < end) copy[j + ii * stride] = __float2bfloat16_rn(r[kParam][ii]);
        }
    }
}

template <class Op, bool Vector>
__device__ __forceinline__ void apply_turn(const Op &op, const typename Op::Entry &e, const typename Op::Scalars &s,
                                           const float *grad_scale, int64_t j, int64_t stride, int64_t end) {
    float r[Op::kDepth - 1][kIlp] = {};
    load_lists<Op, Vector>(r, e, op.reads(e), j, stride, end);
    if (grad_scale != nullptr) {
        const float scale = *grad_scale;
        for (int ii = 0; ii < kIlp; ii++) r[kGrad][ii] = r[kGrad][ii] / scale;  // divided, as torch's fused kernels
    }
    for (int ii = 0; ii < kIlp; ii++) op.update(r, ii, s, e);
    store_lists<Op, Vector>(r, e, j, stride, end);
}

// Elements [begin, end) of one tensor, by the whole block.
template <class Op>
__device__ __forceinline__ void apply_chunk(const Op &op, const typename Op::Entry &e, const typename Op::Scalars &s,
                                            const float *grad_scale, int64_t begin, int64_t end) {
    const int64_t threads = blockDim.x;
    if (e.flags & kVector) {
        // Chunks start at multiples of kChunk, so j stays aligned; only the tensor's end leaves a tail.
        const int64_t turns = (end - begin) / kIlp;
        for (int64_t t = threadIdx.x; t < turns; t += threads)
            apply_turn<Op, true>(op, e, s, grad_scale, begin + t * kIlp, 1, end);
        begin += turns * kIlp;
    }
    for (int64_t base = begin; base < end; base += threads * kIlp)
        apply_turn<Op, false>(op, e, s, grad_scale, base + threadIdx.x, threads, end);
}

// The entry holding chunk c: the last one whose first_chunk <= c (entries are non-empty).
template <class Table>
__device__ __forceinline__ int find_entry(const Table &table, int n, int64_t c) {
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        const int mid = (lo + hi + 1) / 2;
        if (table[mid].first_chunk <= c) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

template <class Op, class Table>
__global__ void __launch_bounds__(kBlock) multi_tensor_apply_kernel(const __grid_constant__ Args<Op, Table> args) {
    // AMP: a step with inf/NaN grads changes nothing, decided on the device (no host sync).
    if (args.x.found_inf != nullptr && *args.x.found_inf != 0.0f) return;
    for (int64_t c = blockIdx.x; c < args.total_chunks; c += gridDim.x) {
        const typename Op::Entry &e = args.table[find_entry(args.table, args.num_entries, c)];
        const int64_t begin = (c - e.first_chunk) * kChunk;
        const int64_t end = begin + kChunk < e.numel ? begin + kChunk : e.numel;
        const typename Op::Scalars s = args.op.scalars(e, args.x);
        apply_chunk(args.op, e, s, args.x.grad_scale, begin, end);
    }
}

// ------------------------------------------------------------------------------------- host

// The table of one call, built on the host: entries for the tensors with numel > 0, in order.
template <int Depth>
struct HostTable {
    std::unique_ptr<Entry<Depth>[]> e;
    int32_t n = 0;
    int64_t total_chunks = 0;

    bool reserve(int64_t capacity) {
        e.reset(new (std::nothrow) Entry<Depth>[capacity > 0 ? capacity : 1]);
        return e != nullptr;
    }
    // ptrs[Depth] as the lists of Entry; grad_bytes: the grad element size (4 or 2).
    Entry<Depth> &add(int64_t index, int64_t numel, void *const (&ptrs)[Depth], size_t grad_bytes) {
        Entry<Depth> &x = e[n++];
        uint32_t aligned = 1;
        for (int k = 0; k < Depth; k++) {
            x.ptr[k] = ptrs[k];
            // 4 elements at a time: 16 bytes of float, 8 of bf16.
            const size_t bytes = k == kGrad ? 4 * grad_bytes : k == Depth - 1 ? 8 : 16;
            if (reinterpret_cast<uintptr_t>(ptrs[k]) % bytes != 0) aligned = 0;
        }
        x.numel = numel;
        x.first_chunk = total_chunks;
        x.s0 = x.s1 = 0.0;
        x.index = int32_t(index);
        x.flags = aligned ? kVector : 0;
        total_chunks += (numel + kChunk - 1) / kChunk;
        return x;
    }
};

// Queues the kernel of `Op` over entries [begin, end) of the table, by value in the argument
// (end - begin <= the inline capacity), their chunks renumbered from 0.
template <class Op>
int launch_inline(const char *op_name, const char *kernel, cudaStream_t stream, const Op &op, const DeviceExtras &x,
                  const HostTable<Op::kDepth> &t, int32_t begin, int32_t end) {
    using E = typename Op::Entry;
    constexpr int kCap = kInlineBytes / int(sizeof(E));
    using A = Args<Op, InlineTable<E, kCap>>;
    static_assert(sizeof(A) <= 32764, "kernel arguments over CUDA's 32 KB limit");
    const int64_t base = t.e[begin].first_chunk;
    const int64_t chunks = (end < t.n ? t.e[end].first_chunk : t.total_chunks) - base;
    std::unique_ptr<A> a(new (std::nothrow) A);
    if (!a) return pt_fail(PT_ERR_OUT_OF_MEMORY, "%s: no host memory for the %s arguments", op_name, kernel);
    a->op = op, a->x = x, a->num_entries = end - begin, a->total_chunks = chunks;
    for (int32_t i = begin; i < end; i++) {
        a->table.e[i - begin] = t.e[i];
        a->table.e[i - begin].first_chunk -= base;
    }
    const dim3 grid(unsigned(chunks < kMaxGrid ? chunks : kMaxGrid)), block(kBlock);
    const cudaError_t err = pt_launch<multi_tensor_apply_kernel<Op, InlineTable<E, kCap>>>(grid, block, 0, stream, *a);
    if (err != cudaSuccess) return pt_cuda_fail(err, op_name, kernel);
    return PT_OK;
}

// Queues the kernel of `Op` over the table on `stream`. `kernel` names it in error messages.
template <class Op>
int launch(const char *op_name, const char *kernel, cudaStream_t stream, const Op &op, const DeviceExtras &x,
           const HostTable<Op::kDepth> &t) {
    using E = typename Op::Entry;
    constexpr int kCap = kInlineBytes / int(sizeof(E));
    if (t.total_chunks == 0) return PT_OK;
    if (t.n <= kCap) return launch_inline(op_name, kernel, stream, op, x, t, 0, t.n);
    // A CUDA graph capture cannot record the host table's copy (a replay would read the host memory
    // again, long freed): one launch per inline-sized slice instead, which a replay does not pay for.
    cudaStreamCaptureStatus capture = cudaStreamCaptureStatusNone;
    PT_CUDA_TRY(op_name, cudaStreamIsCapturing(stream, &capture));
    if (capture != cudaStreamCaptureStatusNone) {
        for (int32_t begin = 0; begin < t.n; begin += kCap)
            PT_TRY(launch_inline(op_name, kernel, stream, op, x, t, begin, begin + kCap < t.n ? begin + kCap : t.n));
        return PT_OK;
    }
    const dim3 grid(unsigned(t.total_chunks < kMaxGrid ? t.total_chunks : kMaxGrid)), block(kBlock);
    cudaError_t err;
    const size_t bytes = sizeof(E) * size_t(t.n);
    void *table = nullptr;
    PT_CUDA_TRY(op_name, cudaMallocAsync(&table, bytes, stream));
    // From pageable memory: staged before the call returns, so the host table may go right after.
    err = cudaMemcpyAsync(table, t.e.get(), bytes, cudaMemcpyHostToDevice, stream);
    if (err == cudaSuccess) {
        Args<Op, GlobalTable<E>> a;
        a.op = op, a.x = x, a.num_entries = t.n, a.total_chunks = t.total_chunks;
        a.table.e = static_cast<const E *>(table), a.table.host_e = t.e.get();
        err = pt_launch<multi_tensor_apply_kernel<Op, GlobalTable<E>>>(grid, block, 0, stream, a);
        if (err != cudaSuccess) {
            cudaFreeAsync(table, stream);
            return pt_cuda_fail(err, op_name, kernel);
        }
    } else {
        cudaFreeAsync(table, stream);
        return pt_cuda_fail(err, op_name, "cudaMemcpyAsync of the tensor table");
    }
    PT_CUDA_TRY(op_name, cudaFreeAsync(table, stream));  // stream-ordered: after the kernel
    return PT_OK;
}

}  // namespace pt_mta
