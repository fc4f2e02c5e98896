// panoptim's own SGEMM on CUDA: pt_cuda_gemm / pt_cuda_sgemm (cuda/matmul_cuda.h), and
// pt_cuda_matmul, the twin of cpu/matmul.c. Row-major, all four transpose combinations:
//   c (M, N) = alpha * op(a) (M, K) @ op(b) (K, N) + beta * c [+ bias per column or per row]
// The classic register-blocked SGEMM (CUTLASS's SIMT "128x128_8x2", Volkov & Demmel's register
// blocking; https://siboehm.com/articles/22/CUDA-MMM walks through the same steps):
//  - a block computes a BM x BN tile of c, walking K in steps of BK: each step's BM x BK slice of
//    op(a) and BK x BN slice of op(b) are copied to shared memory, stored K-major (S[kk][row]), so
//    that the inner product reads 4 consecutive rows (or columns) as one 16-byte load;
//  - 256 threads, each accumulating TM x TN results in registers (8 x 8 on 128 x 128 tiles):
//    its rows are TM/4 groups of 4 consecutive rows, BM / (TM/4) apart (the same for columns), and
//    a warp is 4 x 8 threads, so a warp's shared loads are one 64-byte and one 128-byte wavefront
//    per k for 4 x 8 x 64 multiply-adds;
//  - double-buffered shared memory with the next slice prefetched into registers: its global loads
//    are issued before the current slice's multiply-adds and stored after them, one __syncthreads()
//    per BK step;
//  - each thread loads one float4 of each operand per step (16-byte loads when the operand's base
//    is 16-byte aligned and its leading dimension a multiple of 4; four guarded scalar loads
//    otherwise, and for any float4 that crosses the edge of M, N or K, out-of-range values being
//    zeros); the operand whose K runs along memory (a not transposed, b transposed) is transposed
//    on its way into shared memory, whose rows are padded by 4 floats so that those stores do not
//    conflict on banks;
//  - the epilogue scales by alpha, adds beta * c (c is not read when beta == 0: it may hold NaN)
//    and the bias, with 16-byte accesses to c where it is aligned;
//  - blocks are numbered down groups of 8 tile rows (Triton's grouped ordering), so that the
//    blocks resident together share their a and b panels in L2.
// Two tile configurations: 128 x 128 (BK 8, 8 x 8 per thread) for grids that fill the GPU, 64 x 64
// (BK 16, 4 x 4 per thread) when 128 x 128 tiles would be fewer blocks than multiprocessors; and
// split-K over gridDim.y when even those leave most multiprocessors idle on a long K.
// Deterministic: no atomics; each element of c is one thread's sum over K in increasing order, or
// over its K slice, the slices then added in slice order by splitk_reduce_kernel. Batched products
// (strided) run on gridDim.y too.
// Mixed precision (pt_gemm's a_dtype, b_dtype, compute_dtype, not all float32): the same kernel
// with a Mixed loader, which reads each operand element from its storage dtype (float32, bf16 or
// fp16, one element at a time: no 16-byte path) and rounds it to the compute dtype
// (common/dtypes.h) on its way into shared memory; everything after is the float32 GEMM.
#include "cuda/pt_cuda.cuh"

#include <limits.h>
#include <stdint.h>

#include "common/dtypes.h"
#include "cuda/matmul_cuda.h"
#include "cuda/optim_support.cuh"

namespace {

constexpr int kThreads = 256;
constexpr int kGroupM = 8;          // tile rows per group of the block order
constexpr int kMaxGridY = 65535;    // products of a batch per launch

template <int BM_, int BN_, int BK_, int TM_, int TN_>
struct Config {
    static constexpr int BM = BM_, BN = BN_, BK = BK_, TM = TM_, TN = TN_;
    static constexpr int kLdA = BM + 4, kLdB = BN + 4;           // shared row lengths, floats
    static constexpr int kThreadsM = BM / TM, kThreadsN = BN / TN;  // the thread grid, 16 x 16
    static constexpr int kGapM = BM / (TM / 4), kGapN = BN / (TN / 4);  // between a thread's 4-row groups
    static constexpr size_t kSmemBytes = sizeof(float) * 2 * BK * (kLdA + kLdB);
    static_assert(kThreadsM * kThreadsN == kThreads, "one result tile per thread");
    static_assert(kThreadsM % 4 == 0 && kThreadsN % 8 == 0, "a warp is 4 x 8 threads");
    static_assert(TM % 4 == 0 && TN % 4 == 0, "threads own groups of 4 rows and 4 columns");
};
using Large = Config<128, 128, 8, 8, 8>;
using Small = Config<64, 64, 16, 4, 4>;

struct GemmArgs {
    const void *a, *b;  // a_dtype / b_dtype elements (float unless mixed)
    float *c;
    const float *bias;
    int m, n, k, bias_kind;
    int64_t lda, ldb, ldc;
    int64_t stride_a, stride_b, stride_c;  // between the products of gridDim.y
    float alpha, beta;
    int tiles_m, tiles_n;
    bool vec_c;  // 16-byte accesses to c: c 16-byte aligned, ldc and stride_c multiples of 4
    bool trans_a, trans_b;
    int batch;    // products in this launch (gridDim.y)
    int k_chunk;  // split-K: product z of gridDim.y sums k in [z * k_chunk, min(k, (z + 1) * k_chunk)); 0: no split
    int a_dtype, b_dtype, compute_dtype;  // pt_dtype; all float32 unless the kernel is the mixed one

    // For the simulator's launch check: the extent each pointer is read or written over.
    template <class F>
    void for_each_device_pointer(F &&f) const {
        const int64_t z = (int64_t)batch - 1;
        if (k > 0) {  // split: the slices tile one a and one b
            const int64_t ra = trans_a ? k : m, ca = trans_a ? m : k, rb = trans_b ? n : k, cb = trans_b ? k : n;
            f(a, pt_dtype_size(a_dtype) * (size_t)((k_chunk ? 0 : z * stride_a) + (ra - 1) * lda + ca));
            f(b, pt_dtype_size(b_dtype) * (size_t)((k_chunk ? 0 : z * stride_b) + (rb - 1) * ldb + cb));
        }
        f(c, sizeof(float) * (size_t)(z * stride_c + (int64_t)(m - 1) * ldc + n));
        if (bias != nullptr) f(bias, sizeof(float) * (size_t)(bias_kind == PT_GEMM_BIAS_ROWS ? m : n));
    }
};

// One operand's slice of a K step: ROWS (BM or BN) x BK values, one float4 per thread, loaded into
// a register and then stored to shared memory as S[kk][r] (row length ROWS + 4). kContigK: the
// operand's K index runs along memory (a not transposed, b transposed), element (r, kk) at
// p[r * ld + kk], and a thread's float4 is (r, kk .. kk+3); otherwise the element is at
// p[kk * ld + r] and a thread's float4 is (r .. r+3, kk). Either way its 4 elements are consecutive
// in memory. kMixed: elements of storage dtype `dtype`, each rounded to `round_to` (see the top).
template <int ROWS, int BK, bool kContigK, bool VEC, bool kMixed>
struct SliceLoader {
    static_assert(ROWS * BK == 4 * kThreads, "one float4 per thread and operand");
    static_assert(!(VEC && kMixed), "the mixed loader reads element by element");
    static constexpr int kLd = ROWS + 4;
    const void *base;  // the operand
    int64_t at;        // this thread's first element in the current K step (an index into base)
    int64_t step;      // elements from one K step to the next
    int r, kk;         // this thread's row (along M or N) and k within the slice
    int dtype, round_to;  // kMixed: storage and compute dtypes

    __device__ __forceinline__ void init(const void *p, int64_t ld, int r0, int tid, int storage, int compute) {
        base = p, dtype = storage, round_to = compute;
        if (kContigK) {
            r = tid / (BK / 4), kk = (tid % (BK / 4)) * 4;
            at = (int64_t)(r0 + r) * ld + kk;
            step = BK;
        } else {
            kk = tid / (ROWS / 4), r = (tid % (ROWS / 4)) * 4;
            at = (int64_t)kk * ld + r0 + r;
            step = (int64_t)BK * ld;
        }
    }
    __device__ __forceinline__ void advance() { at += step; }
    // Element at + j of the operand, as the product uses it.
    __device__ __forceinline__ float elem(int j) const {
        if constexpr (kMixed) return pt_round_to_dtype(pt_load_dtype(base, at + j, dtype), round_to);
        else return static_cast<const float *>(base)[at + j];
    }

    // rows_left: rows of the operand from this tile's first on; k_left: K minus the step's first k.
    __device__ __forceinline__ float4 load(int rows_left, int k_left) const {
        float4 v;
        if (kContigK) {
            const bool row = r < rows_left;
            if (VEC && row && kk + 3 < k_left) return *reinterpret_cast<const float4 *>(static_cast<const float *>(base) + at);
            v.x = row && kk < k_left ? elem(0) : 0.0f;
            v.y = row && kk + 1 < k_left ? elem(1) : 0.0f;
            v.z = row && kk + 2 < k_left ? elem(2) : 0.0f;
            v.w = row && kk + 3 < k_left ? elem(3) : 0.0f;
        } else {
            const bool k = kk < k_left;
            if (VEC && k && r + 3 < rows_left) return *reinterpret_cast<const float4 *>(static_cast<const float *>(base) + at);
            v.x = k && r < rows_left ? elem(0) : 0.0f;
            v.y = k && r + 1 < rows_left ? elem(1) : 0.0f;
            v.z = k && r + 2 < rows_left ? elem(2) : 0.0f;
            v.w = k && r + 3 < rows_left ? elem(3) : 0.0f;
        }
        return v;
    }
    // s: one buffer, BK x kLd floats.
    __device__ __forceinline__ void store(float *s, const float4 &v) const {
        if (kContigK) {
            s[(kk + 0) * kLd + r] = v.x;
            s[(kk + 1) * kLd + r] = v.y;
            s[(kk + 2) * kLd + r] = v.z;
            s[(kk + 3) * kLd + r] = v.w;
        } else {
            *reinterpret_cast<float4 *>(s + kk * kLd + r) = v;
        }
    }
};

// Block -> (tile row, tile column): down groups of kGroupM tile rows, column by column.
__device__ __forceinline__ void tile_of_block(int block, int tiles_m, int tiles_n, int &tm, int &tn) {
    const int per_group = kGroupM * tiles_n;
    const int group = block / per_group;
    const int first = group * kGroupM;
    const int height = tiles_m - first < kGroupM ? tiles_m - first : kGroupM;
    const int in_group = block - group * per_group;
    tm = first + in_group % height;
    tn = in_group / height;
}

template <class C, bool TA, bool TB, bool VEC, bool MIXED>
__global__ void __launch_bounds__(kThreads, 2) sgemm_kernel(GemmArgs g) {
    float *const as_all = pt_dynamic_shared<float>();   // [2][BK][kLdA]
    float *const bs_all = as_all + 2 * C::BK * C::kLdA;  // [2][BK][kLdB]
    const int tid = threadIdx.x;
    int tm, tn;
    tile_of_block(blockIdx.x, g.tiles_m, g.tiles_n, tm, tn);
    const int m0 = tm * C::BM, n0 = tn * C::BN;
    const int64_t z = blockIdx.y;

    // Compute layout: warps of 4 x 8 threads on the 16 x 16 thread grid.
    const int warp = tid / 32, lane = tid % 32;
    constexpr int kWarpsN = C::kThreadsN / 8;
    const int trow = (warp / kWarpsN) * 4 + lane / 8, tcol = (warp % kWarpsN) * 8 + lane % 8;

    float acc[C::TM][C::TN];
#pragma unroll
    for (int i = 0; i < C::TM; i++)
#pragma unroll
        for (int j = 0; j < C::TN; j++) acc[i][j] = 0.0f;

    // Split-K: this product's share of K (its a and b start at its first k, by the strides).
    const int k = g.k_chunk > 0 ? min(g.k - (int)z * g.k_chunk, g.k_chunk) : g.k;
    if (k > 0) {
        SliceLoader<C::BM, C::BK, !TA, VEC, MIXED> la;
        SliceLoader<C::BN, C::BK, TB, VEC, MIXED> lb;
        la.init(g.a, g.lda, m0, tid, g.a_dtype, g.compute_dtype);
        lb.init(g.b, g.ldb, n0, tid, g.b_dtype, g.compute_dtype);
        la.at += z * g.stride_a, lb.at += z * g.stride_b;
        const int rows_a = g.m - m0, rows_b = g.n - n0;
        const int steps = (k + C::BK - 1) / C::BK;

        float4 va = la.load(rows_a, k), vb = lb.load(rows_b, k);
        la.store(as_all, va);
        lb.store(bs_all, vb);
        __syncthreads();
        for (int t = 0; t < steps; t++) {
            const int cur = t & 1;
            const bool more = t + 1 < steps;
            if (more) {  // the next slice's global loads, in flight during the multiply-adds
                la.advance(), lb.advance();
                const int k_left = k - (t + 1) * C::BK;
                va = la.load(rows_a, k_left);
                vb = lb.load(rows_b, k_left);
            }
            const float *as = as_all + cur * C::BK * C::kLdA + trow * 4;
            const float *bs = bs_all + cur * C::BK * C::kLdB + tcol * 4;
#pragma unroll
            for (int kk = 0; kk < C::BK; kk++) {
                float af[C::TM], bf[C::TN];
#pragma unroll
                for (int q = 0; q < C::TM / 4; q++) {
                    const float4 v = *reinterpret_cast<const float4 *>(as + kk * C::kLdA + q * C::kGapM);
                    af[4 * q] = v.x, af[4 * q + 1] = v.y, af[4 * q + 2] = v.z, af[4 * q + 3] = v.w;
                }
#pragma unroll
                for (int q = 0; q < C::TN / 4; q++) {
                    const float4 v = *reinterpret_cast<const float4 *>(bs + kk * C::kLdB + q * C::kGapN);
                    bf[4 * q] = v.x, bf[4 * q + 1] = v.y, bf[4 * q + 2] = v.z, bf[4 * q + 3] = v.w;
                }
#pragma unroll
                for (int i = 0; i < C::TM; i++)
#pragma unroll
                    for (int j = 0; j < C::TN; j++) acc[i][j] += af[i] * bf[j];
            }
            if (more) {  // into the other buffer, which every thread finished reading a step ago
                la.store(as_all + (cur ^ 1) * C::BK * C::kLdA, va);
                lb.store(bs_all + (cur ^ 1) * C::BK * C::kLdB, vb);
                __syncthreads();
            }
        }
    }

    // Epilogue: c = alpha * acc + beta * c + bias, row by row of this thread's results.
    float *const c = g.c + z * g.stride_c;
    const bool read_c = g.beta != 0.0f;
#pragma unroll
    for (int i = 0; i < C::TM; i++) {
        const int row = m0 + (i / 4) * C::kGapM + trow * 4 + i % 4;
        if (row >= g.m) continue;
        float *const crow = c + (int64_t)row * g.ldc;
        const float row_bias = g.bias_kind == PT_GEMM_BIAS_ROWS ? g.bias[row] : 0.0f;
#pragma unroll
        for (int q = 0; q < C::TN / 4; q++) {
            const int col = n0 + q * C::kGapN + tcol * 4;
            if (col >= g.n) continue;
            float v[4];
#pragma unroll
            for (int j = 0; j < 4; j++) v[j] = g.alpha * acc[i][4 * q + j];
            if (g.vec_c && col + 3 < g.n) {
                if (read_c) {
                    const float4 old = *reinterpret_cast<const float4 *>(crow + col);
                    v[0] += g.beta * old.x, v[1] += g.beta * old.y, v[2] += g.beta * old.z, v[3] += g.beta * old.w;
                }
                if (g.bias_kind == PT_GEMM_BIAS_COLS)
#pragma unroll
                    for (int j = 0; j < 4; j++) v[j] += g.bias[col + j];
                else if (g.bias_kind == PT_GEMM_BIAS_ROWS)
#pragma unroll
                    for (int j = 0; j < 4; j++) v[j] += row_bias;
                *reinterpret_cast<float4 *>(crow + col) = make_float4(v[0], v[1], v[2], v[3]);
            } else {
#pragma unroll
                for (int j = 0; j < 4; j++) {
                    if (col + j >= g.n) break;
                    float out = v[j];
                    if (read_c) out += g.beta * crow[col + j];
                    if (g.bias_kind == PT_GEMM_BIAS_COLS) out += g.bias[col + j];
                    else if (g.bias_kind == PT_GEMM_BIAS_ROWS) out += row_bias;
                    crow[col + j] = out;
                }
            }
        }
    }
}

template <class C, bool TA, bool TB, bool VEC, bool MIXED>
cudaError_t launch_kernel(dim3 grid, cudaStream_t stream, const GemmArgs &g) {
    return pt_launch<sgemm_kernel<C, TA, TB, VEC, MIXED>>(grid, dim3(kThreads), C::kSmemBytes, stream, g);
}

bool is_mixed(const GemmArgs &g) {
    return g.a_dtype != PT_DTYPE_FLOAT32 || g.b_dtype != PT_DTYPE_FLOAT32 || g.compute_dtype != PT_DTYPE_FLOAT32;
}

// Float32 operands: 16-byte loads where allowed; mixed ones: the element-wise mixed loader.
template <class C, bool TA, bool TB>
cudaError_t launch_vec(bool vec, dim3 grid, cudaStream_t stream, const GemmArgs &g) {
    if (is_mixed(g)) return launch_kernel<C, TA, TB, false, true>(grid, stream, g);
    return vec ? launch_kernel<C, TA, TB, true, false>(grid, stream, g) : launch_kernel<C, TA, TB, false, false>(grid, stream, g);
}

// p advanced by `elements` elements of dtype.
const void *advance_elements(const void *p, int64_t elements, int dtype) {
    return static_cast<const char *>(p) + elements * pt_dtype_size(dtype);
}

template <class C>
cudaError_t launch_config(bool vec, cudaStream_t stream, GemmArgs g, int64_t batch) {
    g.tiles_m = (g.m + C::BM - 1) / C::BM;
    g.tiles_n = (g.n + C::BN - 1) / C::BN;
    const unsigned blocks = (unsigned)((int64_t)g.tiles_m * g.tiles_n);
    for (int64_t z0 = 0; z0 < batch; z0 += kMaxGridY) {
        g.batch = (int)(batch - z0 < kMaxGridY ? batch - z0 : kMaxGridY);
        const dim3 grid(blocks, (unsigned)g.batch);
        cudaError_t err;
        if (g.trans_a)
            err = g.trans_b ? launch_vec<C, true, true>(vec, grid, stream, g) : launch_vec<C, true, false>(vec, grid, stream, g);
        else
            err = g.trans_b ? launch_vec<C, false, true>(vec, grid, stream, g) : launch_vec<C, false, false>(vec, grid, stream, g);
        if (err != cudaSuccess) return err;
        g.a = advance_elements(g.a, kMaxGridY * g.stride_a, g.a_dtype);
        g.b = advance_elements(g.b, kMaxGridY * g.stride_b, g.b_dtype);
        g.c += kMaxGridY * g.stride_c;
    }
    return cudaSuccess;
}

int forced_tile = 0, forced_splits = 0;  // pt_cuda_gemm_force

// Split-K, for grids that leave most multiprocessors idle on a long K (a 512 x 64 output over
// K = 4608 is 8 blocks of 64 x 64): gridDim.y slices of K, each a product into its own plane of a
// workspace, then splitk_reduce_kernel adds the planes in slice order and applies alpha, beta and
// the bias. The order depends on the shape and the GPU's multiprocessor count only: deterministic.
constexpr int kSplitMinK = 256;  // K per slice at least
constexpr int kSplitAlign = 16;  // slices start at multiples of 16: 16-byte aligned, whole BK steps
constexpr int kReduceThreads = 256;
constexpr int kReduceMaxBlocks = 4096;

struct ReduceArgs {
    const float *partial;  // splits planes of m x n
    float *c;
    const float *bias;
    int m, n, splits, bias_kind;
    int64_t ldc;
    float alpha, beta;

    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(partial, sizeof(float) * (size_t)splits * (size_t)m * (size_t)n);
        f(c, sizeof(float) * (size_t)((int64_t)(m - 1) * ldc + n));
        if (bias != nullptr) f(bias, sizeof(float) * (size_t)(bias_kind == PT_GEMM_BIAS_ROWS ? m : n));
    }
};

__global__ void __launch_bounds__(kReduceThreads) splitk_reduce_kernel(ReduceArgs r) {
    const int64_t plane = (int64_t)r.m * r.n;
    for (int64_t at = (int64_t)blockIdx.x * kReduceThreads + threadIdx.x; at < plane;
         at += (int64_t)gridDim.x * kReduceThreads) {
        float sum = 0.0f;
        for (int z = 0; z < r.splits; z++) sum += r.partial[z * plane + at];
        const int i = (int)(at / r.n), j = (int)(at % r.n);
        float *const cp = r.c + (int64_t)i * r.ldc + j;
        float out = r.alpha * sum;
        if (r.beta != 0.0f) out += r.beta * *cp;
        if (r.bias_kind == PT_GEMM_BIAS_COLS) out += r.bias[j];
        else if (r.bias_kind == PT_GEMM_BIAS_ROWS) out += r.bias[i];
        *cp = out;
    }
}

// Multiprocessors of the current device, remembered per host thread and device.
int multiprocessors() {
    thread_local int device = -1, count = 0;
    int now = 0;
    if (cudaGetDevice(&now) != cudaSuccess) {
        cudaGetLastError();
        return 132;
    }
    if (now != device) {
        if (cudaDeviceGetAttribute(&count, cudaDevAttrMultiProcessorCount, now) != cudaSuccess || count < 1) {
            cudaGetLastError();
            count = 132;
        }
        device = now;
    }
    return count;
}

bool aligned16(const void *p) { return (reinterpret_cast<uintptr_t>(p) & 15u) == 0; }

int check_dim(const char *op, const char *name, int64_t value) {
    if (value < 0) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: GEMM %s = %lld is negative", op, name, (long long)value);
    if (value > INT_MAX)
        return pt_fail(PT_ERR_UNSUPPORTED, "%s: %s = %lld exceeds %d, the largest matrix dimension of the CUDA GEMM", op,
                       name, (long long)value, INT_MAX);
    return PT_OK;
}

int check_ld(const char *op, const char *name, int64_t ld, int64_t row_length) {
    const int64_t least = row_length > 1 ? row_length : 1;
    if (ld < least)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: GEMM %s = %lld is less than its row length %lld", op, name,
                       (long long)ld, (long long)least);
    return PT_OK;
}

// 16-byte loads of a and b, and accesses to c, where every product of the launch allows them.
void set_vector_flags(GemmArgs &g, bool *vec) {
    *vec = g.k > 0 && !is_mixed(g) && aligned16(g.a) && aligned16(g.b) && g.lda % 4 == 0 && g.ldb % 4 == 0 && g.stride_a % 4 == 0 &&
           g.stride_b % 4 == 0;
    g.vec_c = aligned16(g.c) && g.ldc % 4 == 0 && g.stride_c % 4 == 0;
}

template <class C>
cudaError_t launch_plain(cudaStream_t stream, GemmArgs g, int64_t batch) {
    bool vec;
    set_vector_flags(g, &vec);
    return launch_config<C>(vec, stream, g, batch);
}

// The products of `splits` slices of K into a workspace, then their sum into c.
template <class C>
int launch_split(const char *op, cudaStream_t stream, const GemmArgs &g, int splits, int chunk) {
    float *partial = nullptr;
    const size_t plane = (size_t)g.m * (size_t)g.n;
    PT_CUDA_TRY(op, cudaMallocAsync((void **)&partial, sizeof(float) * plane * (size_t)splits, stream));
    GemmArgs s = g;
    s.c = partial, s.ldc = g.n, s.stride_c = (int64_t)plane;
    s.alpha = 1.0f, s.beta = 0.0f, s.bias = nullptr, s.bias_kind = PT_GEMM_BIAS_NONE;
    s.k_chunk = chunk;
    s.stride_a = g.trans_a ? (int64_t)chunk * g.lda : chunk;
    s.stride_b = g.trans_b ? chunk : (int64_t)chunk * g.ldb;
    cudaError_t err = launch_plain<C>(stream, s, splits);
    const char *what = "sgemm_kernel launch (split-K)";
    if (err == cudaSuccess) {
        const ReduceArgs r = {partial, g.c, g.bias, g.m, g.n, splits, g.bias_kind, g.ldc, g.alpha, g.beta};
        int64_t blocks = ((int64_t)plane + kReduceThreads - 1) / kReduceThreads;
        if (blocks > kReduceMaxBlocks) blocks = kReduceMaxBlocks;
        err = pt_launch<splitk_reduce_kernel>(dim3((unsigned)blocks), dim3(kReduceThreads), 0, stream, r);
        what = "splitk_reduce_kernel launch";
    }
    const cudaError_t freed = cudaFreeAsync(partial, stream);  // after the kernels, in stream order
    if (err != cudaSuccess) return pt_cuda_fail(err, op, what);
    if (freed != cudaSuccess) return pt_cuda_fail(freed, op, "cudaFreeAsync (split-K workspace)");
    return PT_OK;
}

template <class C>
int launch(const char *op, cudaStream_t stream, const GemmArgs &g, int64_t batch, int splits, int chunk) {
    if (splits > 1) return launch_split<C>(op, stream, g, splits, chunk);
    const cudaError_t err = launch_plain<C>(stream, g, batch);
    if (err != cudaSuccess) return pt_cuda_fail(err, op, C::BM == 128 ? "sgemm_kernel<128x128> launch" : "sgemm_kernel<64x64> launch");
    return PT_OK;
}

}  // namespace

extern "C" void pt_cuda_gemm_force(int tile, int splits) {
    forced_tile = tile;
    forced_splits = splits;
}

extern "C" int pt_cuda_gemm(const char *op, void *stream, const pt_gemm *p) {
    PT_TRY(check_dim(op, "m", p->m));
    PT_TRY(check_dim(op, "n", p->n));
    PT_TRY(check_dim(op, "k", p->k));
    if (p->batch < 0) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: GEMM batch = %lld is negative", op, (long long)p->batch);
    if (p->m == 0 || p->n == 0 || p->batch == 0) return PT_OK;
    if (p->k > 0) {
        PT_TRY(check_ld(op, "lda", p->lda, p->trans_a ? p->m : p->k));
        PT_TRY(check_ld(op, "ldb", p->ldb, p->trans_b ? p->k : p->n));
    }
    PT_TRY(check_ld(op, "ldc", p->ldc, p->n));
    if ((p->k > 0 && (p->a == nullptr || p->b == nullptr)) || p->c == nullptr ||
        (p->bias_kind != PT_GEMM_BIAS_NONE && p->bias == nullptr))
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: GEMM with a NULL matrix or bias", op);
    if (p->bias_kind < PT_GEMM_BIAS_NONE || p->bias_kind > PT_GEMM_BIAS_ROWS)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: GEMM bias_kind %d is not a pt_gemm_bias", op, p->bias_kind);
    if (!pt_dtype_valid(p->a_dtype) || !pt_dtype_valid(p->b_dtype) || !pt_dtype_valid(p->compute_dtype))
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: GEMM dtypes a %d, b %d, compute %d (" PT_DTYPE_CHOICES ")", op,
                       p->a_dtype, p->b_dtype, p->compute_dtype);

    GemmArgs g = {};
    g.a = p->a, g.b = p->b, g.c = p->c;
    g.bias = p->bias_kind == PT_GEMM_BIAS_NONE ? nullptr : p->bias;
    g.bias_kind = p->bias_kind;
    g.m = (int)p->m, g.n = (int)p->n, g.k = (int)p->k;
    g.lda = p->lda, g.ldb = p->ldb, g.ldc = p->ldc;
    const bool batched = p->batch > 1;
    g.stride_a = batched ? p->stride_a : 0, g.stride_b = batched ? p->stride_b : 0, g.stride_c = batched ? p->stride_c : 0;
    g.alpha = p->alpha, g.beta = p->beta;
    g.trans_a = p->trans_a != 0, g.trans_b = p->trans_b != 0;
    g.a_dtype = p->a_dtype, g.b_dtype = p->b_dtype, g.compute_dtype = p->compute_dtype;
    if (g.alpha == 0.0f) g.k = 0;  // c = beta * c (+ bias): a and b are not read, as BLAS says

    // 128 x 128 tiles when they make at least one block per multiprocessor, 64 x 64 otherwise; then
    // split-K when even those leave most of the GPU idle and K is long enough to share.
    const int sms = multiprocessors();
    const int64_t large_blocks = ((p->m + Large::BM - 1) / Large::BM) * ((p->n + Large::BN - 1) / Large::BN);
    const int64_t small_blocks = ((p->m + Small::BM - 1) / Small::BM) * ((p->n + Small::BN - 1) / Small::BN);
    const bool large = forced_tile == 128 || (forced_tile != 64 && (p->batch >= sms || large_blocks * p->batch >= sms));
    const int64_t blocks = large ? large_blocks : small_blocks;
    if (blocks > INT_MAX)
        return pt_fail(PT_ERR_UNSUPPORTED, "%s: GEMM of %lld x %lld has more tiles than a CUDA grid holds", op,
                       (long long)p->m, (long long)p->n);
    int64_t splits = 1;
    if (p->batch == 1 && forced_splits > 0) splits = forced_splits;
    else if (p->batch == 1 && forced_splits == 0 && blocks * 2 <= sms && g.k >= 2 * kSplitMinK) {
        splits = (2 * sms + blocks - 1) / blocks;  // about two blocks per multiprocessor
        if (splits > g.k / kSplitMinK) splits = g.k / kSplitMinK;
    }
    int chunk = 0;
    if (splits > 1 && g.k > 0) {
        const int64_t per = (g.k + splits - 1) / splits;
        chunk = (int)((per + kSplitAlign - 1) / kSplitAlign * kSplitAlign);
        splits = (g.k + chunk - 1) / chunk;  // no empty slice
    } else {
        splits = 1;
    }
    cudaStream_t s = static_cast<cudaStream_t>(stream);
    return large ? launch<Large>(op, s, g, p->batch, (int)splits, chunk) : launch<Small>(op, s, g, p->batch, (int)splits, chunk);
}

extern "C" int pt_cuda_sgemm(const char *op, void *stream, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                             float alpha, const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c,
                             int64_t ldc) {
    const pt_gemm g = {trans_a, trans_b, m,       n, k, alpha, beta, a, lda, b, ldb, c, ldc, nullptr, PT_GEMM_BIAS_NONE,
                       1,       0,       0,       0, PT_DTYPE_FLOAT32, PT_DTYPE_FLOAT32, PT_DTYPE_FLOAT32};
    return pt_cuda_gemm(op, stream, &g);
}

extern "C" int pt_cuda_check_device_pointers(const char *op, int index, int count, const char *const *names,
                                             const void *const *ptrs) {
    pt_cuda_list lists[8];
    if (count > 8) return pt_fail(PT_ERR_INTERNAL, "%s: %d pointers to check", op, count);
    for (int i = 0; i < count; i++) lists[i] = {names[i], &ptrs[i], false};
    return pt_cuda_check_lists(op, index, 0, nullptr, lists, count);
}

extern "C" int pt_cuda_matmul(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const void *a,
                              int a_dtype, const void *b, int b_dtype, double beta, float *c, int compute_dtype) {
    const bool plain = (a_dtype | b_dtype | compute_dtype) == PT_DTYPE_FLOAT32;
    const char *op = plain ? "pt_matmul" : "pt_matmul_ex";
    PT_TRY(check_dim(op, "m", m));  // before anything touches the device
    PT_TRY(check_dim(op, "n", n));
    PT_TRY(check_dim(op, "k", k));
    int index = 0;
    cudaStream_t stream = nullptr;
    PT_TRY(pt_cuda_current(&index, &stream));
    static const char *const names[3] = {"a", "b", "c"};
    const void *const ptrs[3] = {a, b, c};
    PT_TRY(pt_cuda_check_device_pointers(op, index, 3, names, ptrs));
    /* Row-major leading dimensions: the stored row lengths, as cpu/matmul.c. */
    const pt_gemm g = {trans_a, trans_b, m, n, k, (float)alpha, (float)beta, a, trans_a ? m : k, b, trans_b ? k : n, c, n,
                       nullptr, PT_GEMM_BIAS_NONE, 1, 0, 0, 0, a_dtype, b_dtype, compute_dtype};
    return pt_cuda_gemm(op, stream, &g);
}
