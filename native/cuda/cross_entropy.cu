// Softmax cross-entropy on CUDA: pt_cuda_cross_entropy_* and pt_cuda_argmax_correct, the twins of
// cpu/cross_entropy.c (the formulas are written in cpu/reference/cross_entropy_reference.c).
//   https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html (mean reduction)
//
// logits, probs, dlogits are (N, C); targets (N), int32 on the device.
// Per row, as the CPU twin, in double: m = the row max, e_c = exp(z_c - m) (stored to probs as a
// float, then scaled by 1/s with s = sum e_c, the CPU's two roundings), lse = m + log(s),
//   loss_i = lse - (1 - eps) * z_t - (eps / C) * sum_c z_c.
// One warp per row (lane-strided loads, butterfly sums: a fixed order). The mean loss is
// deterministic: each block adds its 8 row losses in row order into its own slot, and one block
// sums the slots in a fixed tree order; no float atomics.
//
// Host outputs: *loss and *correct are host memory (the contract), so these two calls copy one
// small result back and synchronize panoptim's stream -- the only layer calls that wait. Their
// _nosync twins leave the result in device memory instead (one float, written by store_result), so
// a training loop reads its losses back once per logging interval, not once per step. The
// targets are on the device, so they are checked there, first (one block): with any target
// outside [0, C) the row kernels write nothing, and the call returns PT_ERR_INVALID_ARGUMENT naming
// the first bad one, as the CPU path does. The backward cannot report without a sync: a row with a
// bad target gets NaN in dlogits (nothing outside the tensors is touched).
//
// Invariants: logits, probs (in the backward) and targets are never written.
#include "cuda/pt_cuda.cuh"

#include <math.h>

#include "cuda/block_reduce.cuh"
#include "cuda/layers_cuda.h"
#include "cuda/map_kernel.cuh"

namespace {

constexpr int kBlock = 256;
constexpr int kWarpsPerBlock = kBlock / 32;

// The small device result copied back by the synchronizing calls.
struct Result {
    double loss;
    unsigned long long bad;        // targets outside [0, C)
    unsigned long long first_bad;  // the lowest such row (ULLONG_MAX when none)
    unsigned long long correct;
};

struct RowsArgs {
    int64_t n, classes;
    const float *logits;
    const int32_t *targets;
    double label_smoothing;
    float *probs;       // forward only
    double *partial;    // forward: one slot per block
    Result *result;
    template <class F>
    void for_each_device_pointer(F &&f) const {
        const size_t all = (size_t)(n * classes) * 4;
        f(logits, all), f(targets, (size_t)n * 4), f(probs, probs ? all : 0);
        f(partial, partial ? (size_t)((n + kWarpsPerBlock - 1) / kWarpsPerBlock) * 8 : 0), f(result, sizeof(Result));
    }
};

// One block: counts the bad targets and finds the first; zeroes the correct count.
__global__ void __launch_bounds__(kBlock) check_targets(RowsArgs a) {
    __shared__ unsigned long long shared[33];
    unsigned long long bad = 0, first = ~0ull;
    for (int64_t i = threadIdx.x; i < a.n; i += blockDim.x) {
        const int32_t t = a.targets[i];
        if (t < 0 || t >= a.classes) {
            bad++;
            first = first < (unsigned long long)i ? first : (unsigned long long)i;
        }
    }
    bad = pt_block_sum(bad, shared);
    first = pt_block_reduce(first, shared, ~0ull, [](unsigned long long x, unsigned long long y) { return x < y ? x : y; });
    if (threadIdx.x == 0) a.result->bad = bad, a.result->first_bad = first, a.result->correct = 0;
}

// Warp w of block b: row b * 8 + w. probs and the block's loss slot.
__global__ void __launch_bounds__(kBlock) forward_rows(RowsArgs a) {
    __shared__ double row_loss[kWarpsPerBlock];
    if (a.result->bad != 0) return;  // a rejected call writes nothing (uniform over the grid)
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int64_t i = (int64_t)blockIdx.x * kWarpsPerBlock + warp, classes = a.classes;
    double loss = 0.0;
    if (i < a.n) {
        const float *z = a.logits + i * classes;
        float *p = a.probs + i * classes;
        float m = -INFINITY;
        for (int64_t k = lane; k < classes; k += 32) m = fmaxf(m, z[k]);
#pragma unroll
        for (int offset = 16; offset > 0; offset >>= 1) m = fmaxf(m, __shfl_xor_sync(kPtFullWarp, m, offset));
        double s = 0.0, zsum = 0.0;
        for (int64_t k = lane; k < classes; k += 32) {
            const double e = exp((double)z[k] - (double)m);
            p[k] = (float)e;
            s += e;
            zsum += (double)z[k];
        }
        s = pt_warp_sum(s);
        zsum = pt_warp_sum(zsum);
        const double inv = 1.0 / s;
        for (int64_t k = lane; k < classes; k += 32) p[k] = (float)((double)p[k] * inv);  // this lane's own writes
        const double eps = a.label_smoothing;
        loss = (double)m + log(s) - (1.0 - eps) * (double)z[a.targets[i]];
        if (eps != 0.0) loss -= eps / (double)classes * zsum;
    }
    if (lane == 0) row_loss[warp] = loss;
    __syncthreads();
    if (threadIdx.x == 0) {
        double total = 0.0;
        for (int w = 0; w < kWarpsPerBlock; w++) total += row_loss[w];
        a.partial[blockIdx.x] = total;
    }
}

// One block: the block slots in a fixed order (thread-strided, then the tree), divided by N.
__global__ void __launch_bounds__(kBlock) mean_loss(RowsArgs a, int64_t slots) {
    __shared__ double shared[33];
    if (a.result->bad != 0) return;
    double total = 0.0;
    for (int64_t b = threadIdx.x; b < slots; b += blockDim.x) total += a.partial[b];
    total = pt_block_sum(total, shared);
    if (threadIdx.x == 0) a.result->loss = total / (double)a.n;
}

// The CPU's argmax rule as a total order: a NaN beats any number (the first NaN wins), else the
// larger value, ties to the lower index.
struct Best {
    float v;
    int32_t k;
};
__device__ __forceinline__ bool beats(Best a, Best b) {
    const bool an = a.v != a.v, bn = b.v != b.v;
    if (an != bn) return an;
    if (!an && a.v != b.v) return a.v > b.v;
    return a.k < b.k;
}

__global__ void __launch_bounds__(kBlock) argmax_rows(RowsArgs a) {
    __shared__ int row_hit[kWarpsPerBlock];
    if (a.result->bad != 0) return;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int64_t i = (int64_t)blockIdx.x * kWarpsPerBlock + warp;
    int hit = 0;
    if (i < a.n) {
        const float *z = a.logits + i * a.classes;
        Best best{-INFINITY, INT32_MAX};
        for (int64_t k = lane; k < a.classes; k += 32) {
            const Best c{z[k], (int32_t)k};
            if (beats(c, best)) best = c;
        }
#pragma unroll
        for (int offset = 16; offset > 0; offset >>= 1) {
            const Best o{__shfl_xor_sync(kPtFullWarp, best.v, offset), __shfl_xor_sync(kPtFullWarp, best.k, offset)};
            if (beats(o, best)) best = o;
        }
        hit = best.k == a.targets[i];
    }
    if (lane == 0) row_hit[warp] = hit;
    __syncthreads();
    if (threadIdx.x == 0) {
        unsigned long long count = 0;
        for (int w = 0; w < kWarpsPerBlock; w++) count += (unsigned long long)row_hit[w];
        if (count != 0) atomicAdd(&a.result->correct, count);  // integer: exact in any order
    }
}

// The _nosync calls' device result: the mean loss or the correct count as one float (counts below
// 2^24 are exact), NaN when a target was bad (the backward's way of showing it without a sync).
__global__ void store_result(const Result *r, float *loss, float *correct) {
    if (threadIdx.x != 0) return;
    const bool bad = r->bad != 0;
    if (loss != nullptr) *loss = bad ? NAN : (float)r->loss;
    if (correct != nullptr) *correct = bad ? NAN : (float)r->correct;
}

// dlogits = (probs - target distribution) * grad_scale / N: flat, through cuda/map_kernel.cuh.
struct Backward {
    int64_t n, classes;
    const float *probs;
    const int32_t *targets;
    double off, on, scale;  // eps / C, (1 - eps) + eps / C, grad_scale / N
    float *dlogits;
    bool narrow;  // n * classes < 2^32: the row by a 32-bit division, several times cheaper
    __device__ int64_t row_of(int64_t i) const {
        return narrow ? (int64_t)((uint32_t)i / (uint32_t)classes) : i / classes;
    }
    __device__ float value(int64_t i, float p, int64_t row, int32_t t) const {
        if (t < 0 || t >= classes) return NAN;  // a bad target: the row shows it
        return (float)(((double)p - (i - row * classes == t ? on : off)) * scale);
    }
    __device__ void at(int64_t i) const {
        const int64_t row = row_of(i);
        dlogits[i] = value(i, probs[i], row, targets[row]);
    }
    __device__ void at4(int64_t i) const {  // classes % 4 == 0 (aligned()): one row
        const int64_t row = row_of(i);
        const int32_t t = targets[row];
        const float4 p = pt_load4(probs, i);
        pt_store4(dlogits, i, make_float4(value(i, p.x, row, t), value(i + 1, p.y, row, t), value(i + 2, p.z, row, t),
                                          value(i + 3, p.w, row, t)));
    }
    bool aligned() const { return classes % 4 == 0 && pt_aligned16(probs) && pt_aligned16(dlogits); }
    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(probs, (size_t)(n * classes) * 4), f(targets, (size_t)n * 4), f(dlogits, (size_t)(n * classes) * 4);
    }
};

// Copies the result back (synchronizing the stream); a bad target becomes the CPU path's message.
int finish(const char *op, const RowsArgs &a, cudaStream_t stream, Result *out) {
    PT_CUDA_TRY(op, cudaMemcpyAsync(out, a.result, sizeof(Result), cudaMemcpyDeviceToHost, stream));
    PT_CUDA_TRY(op, cudaStreamSynchronize(stream));
    if (out->bad == 0) return PT_OK;
    int32_t value = 0;
    PT_CUDA_TRY(op, cudaMemcpyAsync(&value, a.targets + out->first_bad, sizeof value, cudaMemcpyDeviceToHost, stream));
    PT_CUDA_TRY(op, cudaStreamSynchronize(stream));
    return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: targets[%lld] is %d, outside [0, %lld) (%lld bad targets)", op,
                   (long long)out->first_bad, (int)value, (long long)a.classes, (long long)out->bad);
}

// Queues the forward's kernels: the mean loss ends in result->loss.
int queue_forward(const char *op, const RowsArgs &a, int64_t blocks, cudaStream_t stream) {
    cudaError_t err = pt_launch<check_targets>(dim3(1), dim3(kBlock), 0, stream, a);
    if (err != cudaSuccess) return pt_cuda_fail(err, op, "check_targets launch");
    err = pt_launch<forward_rows>(dim3((unsigned)blocks), dim3(kBlock), 0, stream, a);
    if (err != cudaSuccess) return pt_cuda_fail(err, op, "forward_rows launch");
    err = pt_launch<mean_loss>(dim3(1), dim3(kBlock), 0, stream, a, blocks);
    if (err != cudaSuccess) return pt_cuda_fail(err, op, "mean_loss launch");
    return PT_OK;
}

// Queues the argmax count: it ends in result->correct.
int queue_argmax(const char *op, const RowsArgs &a, cudaStream_t stream) {
    cudaError_t err = pt_launch<check_targets>(dim3(1), dim3(kBlock), 0, stream, a);
    if (err != cudaSuccess) return pt_cuda_fail(err, op, "check_targets launch");
    err = pt_launch<argmax_rows>(dim3((unsigned)((a.n + kWarpsPerBlock - 1) / kWarpsPerBlock)), dim3(kBlock), 0, stream,
                                 a);
    if (err != cudaSuccess) return pt_cuda_fail(err, op, "argmax_rows launch");
    return PT_OK;
}

int queue_store(const char *op, const Result *result, float *loss, float *correct, cudaStream_t stream) {
    const cudaError_t err = pt_launch<store_result>(dim3(1), dim3(32), 0, stream, result, loss, correct);
    return err == cudaSuccess ? PT_OK : pt_cuda_fail(err, op, "store_result launch");
}

}  // namespace

extern "C" int pt_cuda_cross_entropy_forward(int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                                             double label_smoothing, float *probs, double *loss) {
    static const char op[] = "pt_cross_entropy_forward";
    PT_TRY(pt_cuda_capture_refuse_host_result(op));  // *loss
    const int64_t blocks = (n + kWarpsPerBlock - 1) / kWarpsPerBlock;
    PtScratch scratch;
    PT_TRY(scratch.open(op, sizeof(Result) + (size_t)blocks * sizeof(double)));
    Result *result = static_cast<Result *>(scratch.ptr);
    const RowsArgs a{n, classes, logits, targets, label_smoothing, probs, reinterpret_cast<double *>(result + 1), result};
    PT_TRY(queue_forward(op, a, blocks, scratch.stream));
    Result host;
    const int s = finish(op, a, scratch.stream, &host);
    if (s == PT_OK) *loss = host.loss;
    return s;
}

extern "C" int pt_cuda_cross_entropy_forward_nosync(int64_t n, int64_t classes, const float *logits,
                                                    const int32_t *targets, double label_smoothing, float *probs,
                                                    float *loss) {
    static const char op[] = "pt_cross_entropy_forward_nosync";
    const int64_t blocks = (n + kWarpsPerBlock - 1) / kWarpsPerBlock;
    PtScratch scratch;
    PT_TRY(scratch.open(op, sizeof(Result) + (size_t)blocks * sizeof(double)));
    Result *result = static_cast<Result *>(scratch.ptr);
    const RowsArgs a{n, classes, logits, targets, label_smoothing, probs, reinterpret_cast<double *>(result + 1), result};
    PT_TRY(queue_forward(op, a, blocks, scratch.stream));
    return queue_store(op, result, loss, nullptr, scratch.stream);
}

extern "C" int pt_cuda_cross_entropy_backward(int64_t n, int64_t classes, const float *probs, const int32_t *targets,
                                              double label_smoothing, double grad_scale, float *dlogits) {
    const double off = label_smoothing / (double)classes;
    const int64_t all = n * classes;
    return pt_map("pt_cross_entropy_backward", all,
                  Backward{n, classes, probs, targets, off, (1.0 - label_smoothing) + off, grad_scale / (double)n, dlogits,
                           all <= (int64_t)UINT32_MAX});
}

extern "C" int pt_cuda_argmax_correct(int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                                      int64_t *correct) {
    static const char op[] = "pt_argmax_correct";
    PT_TRY(pt_cuda_capture_refuse_host_result(op));  // *correct
    PtScratch scratch;
    PT_TRY(scratch.open(op, sizeof(Result)));
    const RowsArgs a{n, classes, logits, targets, 0.0, nullptr, nullptr, static_cast<Result *>(scratch.ptr)};
    PT_TRY(queue_argmax(op, a, scratch.stream));
    Result host;
    const int s = finish(op, a, scratch.stream, &host);
    if (s == PT_OK) *correct = (int64_t)host.correct;
    return s;
}

extern "C" int pt_cuda_argmax_correct_nosync(int64_t n, int64_t classes, const float *logits, const int32_t *targets,
                                             float *correct) {
    static const char op[] = "pt_argmax_correct_nosync";
    PtScratch scratch;
    PT_TRY(scratch.open(op, sizeof(Result)));
    const RowsArgs a{n, classes, logits, targets, 0.0, nullptr, nullptr, static_cast<Result *>(scratch.ptr)};
    PT_TRY(queue_argmax(op, a, scratch.stream));
    return queue_store(op, a.result, nullptr, correct, scratch.stream);
}
